"""How an SPC result looks in HTML: its summary with icons, its chart, its Jupyter display."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ..plot import chart_name
from . import html as qh
from .icons import assurance_icon, variation_icon

if TYPE_CHECKING:
    from ..spc import SPCResult

__all__ = ["ASSURANCE_RANK", "VARIATION_RANK", "describe", "icon_table", "spc_chart", "spc_html", "spc_table"]

# Sort order of the icons: what needs attention first.
VARIATION_RANK = {"concern_high": 0, "concern_low": 0, "neutral_high": 1, "neutral_low": 1,
                  "common_cause": 2, "improvement_high": 3, "improvement_low": 3}
ASSURANCE_RANK = {"fail": 0, "hit_and_miss": 1, "pass": 2}

_SUMMARY_COLUMNS = ["phase", "phase_name", "x_start", "x_end", "n_points", "cl", "lcl", "ucl",
                    "longest_run", "longest_run_max", "n_crossings", "n_crossings_min", "runs_signal",
                    "sigma_signal", "variation", "assurance"]


ICON_SIZE = 30


def _icon(draw: Any) -> Any:
    return lambda v: draw(None if pd.isna(v) else str(v), ICON_SIZE)


def _rank(ranks: dict[str, int]) -> Any:
    return lambda v: 9 if pd.isna(v) else ranks.get(str(v), 9)


ICON_FORMATTERS = {"variation": _icon(variation_icon), "assurance": _icon(assurance_icon)}
ICON_SORT_KEYS = {"variation": _rank(VARIATION_RANK), "assurance": _rank(ASSURANCE_RANK)}


def icon_table(frame: pd.DataFrame, *, formatters: dict[str, Any] | None = None,
               sort_keys: dict[str, Any] | None = None, **options: Any) -> str:
    """:func:`qiscope.report.html.table` with the ``variation`` and ``assurance`` columns drawn
    as icons (and sorted by severity in a sortable table)."""
    icons = [c for c in ICON_FORMATTERS if c in frame.columns]
    return qh.table(frame, formatters={**ICON_FORMATTERS, **(formatters or {})},
                    sort_keys={**ICON_SORT_KEYS, **(sort_keys or {})}, icons=icons, **options)


def spc_table(result: SPCResult, *, max_rows: int | None = None) -> str:
    """The summary (one row per series and phase) as an HTML table, icons drawn."""
    cols = [*result.by, *(c for c in _SUMMARY_COLUMNS if c in result.summary.columns)]
    return icon_table(result.summary, columns=cols, max_rows=max_rows)


def spc_chart(result: SPCResult, *, series: Any = None, max_series: int | None = None, **options: Any) -> str:
    """The chart as inline SVG (at most `max_series` small multiples), drawn without pyplot so
    it never also appears, or lingers, in a notebook."""
    if series is None and result.by and max_series is not None:
        keys = result.series()
        series = keys[:max_series] if len(keys) > max_series else None
    ax = result.plot(series=series, pyplot=False, **options)
    fig = (ax.flat[0] if hasattr(ax, "flat") else ax).figure
    return qh.figure_svg(fig)


def describe(result: SPCResult) -> str:
    """One line: chart, rules, direction and size."""
    spec = result.spec
    parts = [chart_name(result.chart), f"rules: {spec.get('rules')}"]
    if spec.get("profile") not in (None, "qiscope"):
        parts.append(f"profile: {spec['profile']}")
    if spec.get("series_direction"):
        parts.append("improvement: per series")
    elif spec.get("direction") not in (None, "neutral"):
        parts.append(f"improvement: {spec['direction']}")
    n_series = len(result.series())
    parts.append(f"{n_series} series" if result.by else "1 series")
    parts.append(f"{len(result.points)} points")
    return " · ".join(parts)


def spc_html(result: SPCResult, *, max_series: int = 12, max_rows: int = 40) -> str:
    """The Jupyter display of a result: a title line, the summary with icons, the chart."""
    n_series = len(result.series())
    note = None
    if result.by and n_series > max_series:
        note = (f"The chart shows the first {max_series} of {n_series} series; "
                "use .plot(series=[...]) for others.")
    if result._missing_plot_columns():  # computed with point_columns= leaving out what is drawn
        return qh.block(spc_table(result, max_rows=max_rows), title=describe(result),
                        note="No chart: the result was computed without the point columns it draws (point_columns=).")
    return qh.block(spc_table(result, max_rows=max_rows), spc_chart(result, max_series=max_series),
                    title=describe(result), note=note)
