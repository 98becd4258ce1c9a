"""Periods missing from the data: a month with no row at all cannot be kept as a gap (there is
nothing to keep), but it can be seen. ``x_gap`` flags each point whose step from the previous
point of its series is more than 1.5 times the series' median step.

A flag, not a correction: the chart is computed from the points present, in order, as
qicharts2 and NHSRplotthedots do. Add the missing period with an empty value to chart it as a
gap. Charts of events or cases (g, t and the case-level CUSUMs) have irregular steps by nature
and are not flagged, nor is categorical x.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["x_gaps"]

_IRREGULAR_CHARTS = frozenset({"g", "t", "bernoulli_cusum", "ra_cusum", "vlad"})
_GAP_FACTOR = 1.5


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


def x_gaps(x: pd.Series, series: np.ndarray, chart: str, categorical: bool) -> np.ndarray:
    """For each point (ordered by series, then x), whether a step longer than usual precedes it."""
    flags = np.zeros(len(x), dtype=bool)
    if categorical or chart in _IRREGULAR_CHARTS or len(x) < 3:
        return flags
    values = _as_number(x.reset_index(drop=True))
    if values is None:
        return flags
    # Points sharing an x (agg="none") are one period, not a step: only steps over time count.
    step = values.groupby(series).diff()
    step = step.where(step > 0)
    typical = step.groupby(series).transform("median")
    with np.errstate(invalid="ignore"):
        flags = (step > _GAP_FACTOR * typical).to_numpy(dtype=bool, na_value=False)
    return flags
