"""Periods missing from the data: a month with no row at all cannot be kept as a gap (there is
nothing to keep), but it can be seen. ``x_gap`` flags each point whose step from the previous
point of its series is more than 1.5 times the series' median step (steps of zero, points
sharing an x, are one period and not steps).

A flag, not a correction: the chart is computed from the points present, in order, as
qicharts2 and NHSRplotthedots do. Add the missing period with an empty value to chart it as a
gap. Charts of events or cases (g, t and the case-level CUSUMs) have irregular steps by nature
and are not flagged, nor is categorical x.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _core
from ._frames import XAxis

__all__ = ["x_gaps"]

_IRREGULAR_CHARTS = frozenset({"g", "t", "bernoulli_cusum", "ra_cusum", "vlad"})


def _as_number(x: pd.Series) -> pd.Series | None:
    """x as numbers whose differences are its steps, or None when x has no spacing."""
    if pd.api.types.is_datetime64_any_dtype(x.dtype):
        return pd.Series(x.to_numpy(dtype="datetime64[ns]").astype(np.int64), dtype=float)
    if pd.api.types.is_timedelta64_dtype(x.dtype):
        return pd.Series(x.to_numpy(dtype="timedelta64[ns]").astype(np.int64), dtype=float)
    if isinstance(x.dtype, pd.PeriodDtype):
        return pd.Series(x.array.asi8, dtype=float)
    if pd.api.types.is_numeric_dtype(x.dtype) and not pd.api.types.is_bool_dtype(x.dtype):
        return pd.Series(x.to_numpy(dtype=float))
    return None


def x_gaps(xaxis: XAxis, series: np.ndarray, x_codes: np.ndarray, chart: str, n_threads: int = 0) -> np.ndarray:
    """For each point (the core's ``series`` and ``x`` codes, ordered by series, then x),
    whether a step longer than usual precedes it. The steps and medians are computed in C++
    (``qiscope::spc::x_gaps``), in parallel over series."""
    if xaxis.labels is None or xaxis.categorical or chart in _IRREGULAR_CHARTS or len(x_codes) < 3:
        # Without x the points are positions 1, 2, 3, ...: every step is the typical one.
        return np.zeros(len(x_codes), dtype=bool)
    positions = _as_number(pd.Series(xaxis.labels))
    if positions is None:
        return np.zeros(len(x_codes), dtype=bool)
    return _core.spc.x_gaps(series, x_codes, positions.to_numpy(dtype=np.float64),
                            n_threads=n_threads)  # the core's default factor (1.5)
