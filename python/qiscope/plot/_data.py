"""What a chart shows, independent of the drawing library.

Both backends (matplotlib in ``_mpl.py``, plotly in ``_plotly.py``) draw the same things from the
same tables: the series of a result, their phases, the point meanings, the target and a
subtitle that says what was found. Keeping those decisions here means the two backends cannot
drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ._style import RULE_LABELS, chart_name

if TYPE_CHECKING:
    from ..spc import SPCResult

__all__ = ["Phase", "SeriesView", "describe_signals", "series_views", "x_axis"]


@dataclass
class Phase:
    """One phase of one series: points ``[start, stop)`` of the series' table."""

    number: int
    label: str
    start: int
    stop: int
    frozen_until: int | None  # index after the last baseline point when the phase is frozen


@dataclass
class SeriesView:
    """One series of a result, ready to draw."""

    key: tuple[Any, ...]
    name: str  # the by labels joined, "" without by
    points: pd.DataFrame  # this series' points, index 0..n-1, with "signal_rules" and "target"
    summary: pd.DataFrame  # this series' phases
    phases: list[Phase]
    subtitle: str


def x_axis(x: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    """Positions to draw x at, and tick labels when x is categorical text.

    Dates and numbers are drawn at their values (matplotlib and plotly both format dates);
    pandas Periods at their start time; anything else at 0, 1, 2, ... with its labels.
    """
    if isinstance(x.dtype, pd.PeriodDtype):
        return x.dt.to_timestamp().to_numpy(), None
    if pd.api.types.is_datetime64_any_dtype(x.dtype):
        if getattr(x.dtype, "tz", None) is not None:  # draw local wall-clock time
            x = x.dt.tz_localize(None)
        return x.to_numpy(), None
    if pd.api.types.is_numeric_dtype(x.dtype) and not pd.api.types.is_bool_dtype(x.dtype):
        return x.to_numpy(dtype=float), None
    return np.arange(len(x), dtype=float), [str(v) for v in x]


def _target(res: SPCResult, pts: pd.DataFrame) -> np.ndarray:
    if "target" in pts.columns:
        return pts["target"].to_numpy(dtype=float)
    value = res.spec.get("target")
    return np.full(len(pts), np.nan if value is None else float(value))


def _phases(pts: pd.DataFrame, summary: pd.DataFrame, labels: Any) -> list[Phase]:
    numbers = pts["phase"].to_numpy()
    baseline = pts["baseline"].to_numpy()
    starts = np.flatnonzero(np.r_[True, numbers[1:] != numbers[:-1]])
    stops = np.r_[starts[1:], len(numbers)]
    names = summary["phase_name"].astype(str).tolist() if "phase_name" in summary.columns else None
    phases = []
    for k, (a, b) in enumerate(zip(starts, stops, strict=True)):
        number = int(numbers[a])
        if labels is not None:
            label = str(labels[k]) if k < len(labels) else ""
        elif names is not None and k < len(names):
            label = names[k]
        else:
            label = f"Phase {number}"
        frozen = baseline[a:b]
        # A frozen phase: a baseline followed by points judged against it.
        frozen_until = int(a + np.argmin(frozen)) if frozen[0] and not frozen.all() else None
        phases.append(Phase(number, label, int(a), int(b), frozen_until))
    return phases


def describe_signals(chart: str, pts: pd.DataFrame, summary: pd.DataFrame) -> str:
    """A one-line subtitle: the chart and what it found (for example
    ``"I chart (XmR) · 2 points outside the limits · long run (9 > 8)"``)."""
    found: list[str] = []
    n_sigma = int(pts["sigma_signal"].sum())
    if n_sigma:
        found.append(f"{n_sigma} point{'s' if n_sigma > 1 else ''} outside the limits")
    for rec in summary.itertuples(index=False):  # one row per phase; a handful at most
        if not getattr(rec, "runs_signal", False):
            continue
        prefix = f"phase {rec.phase}: " if len(summary) > 1 else ""
        run, run_max = getattr(rec, "longest_run", None), getattr(rec, "longest_run_max", None)
        cross, cross_min = getattr(rec, "n_crossings", None), getattr(rec, "n_crossings_min", None)
        reasons = []
        if pd.notna(run) and pd.notna(run_max) and run > run_max:
            reasons.append(f"long run ({run} > {run_max})")
        if pd.notna(cross) and pd.notna(cross_min) and cross < cross_min:
            reasons.append(f"few crossings ({cross} < {cross_min})")
        found.append(prefix + (", ".join(reasons) if reasons else "runs signal"))
    # The other rules that flagged points (shift, trend, 2 of 3, ...), in a fixed order.
    from ..spc import _RULE_BITS

    bits = int(np.bitwise_or.reduce(pts.loc[pts["special_cause"], "rules"].to_numpy(), initial=0))
    found.extend(RULE_LABELS.get(name, name) for name, bit in _RULE_BITS.items()
                 if bits & bit and name not in ("sigma", "long_run", "few_crossings"))
    return " · ".join([chart_name(chart), *(found or ["no signals"])])


def series_views(res: SPCResult, series: Any = None, phase_labels: Any = None) -> list[SeriesView]:
    """The series of `res` to draw (all of them, or those whose keys are in `series`)."""
    points = res.points.assign(signal_rules=res.signal_rules())
    points = points.assign(target=_target(res, points))
    if not res.by:
        keys: list[tuple[Any, ...]] = [()]
        groups = {(): (points, res.summary)}
    else:
        by = res.by if len(res.by) > 1 else res.by[0]
        pgroups = dict(iter(points.groupby(by, sort=False, observed=True)))
        sgroups = dict(iter(res.summary.groupby(by, sort=False, observed=True)))
        keys = [k if isinstance(k, tuple) else (k,) for k in pgroups]
        groups = {(k if isinstance(k, tuple) else (k,)): (v, sgroups[k]) for k, v in pgroups.items()}
    if series is not None:
        wanted = [s if isinstance(s, tuple) else (s,) for s in (series if isinstance(series, list) else [series])]
        missing = [w for w in wanted if w not in groups]
        if missing:
            label = missing[0][0] if len(missing[0]) == 1 else missing[0]
            raise InputError(f"no series {label!r} in this result", column="series", rule="unknown_series")
        keys = wanted
    views = []
    for key in keys:
        pts, summ = groups[key]
        pts = pts.reset_index(drop=True)
        summ = summ.reset_index(drop=True)
        views.append(SeriesView(
            key=key,
            name=" / ".join(str(k) for k in key),
            points=pts,
            summary=summ,
            phases=_phases(pts, summ, phase_labels),
            subtitle=describe_signals(res.chart, pts, summ),
        ))
    return views
