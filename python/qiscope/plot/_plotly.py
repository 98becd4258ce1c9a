"""plotly drawing of SPC results and funnel plots: the same charts as matplotlib, with hover
details per point (per unit in a funnel).

plotly is optional (``pip install qiscope[plotly]``) and imported only when this backend is
used.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..funnel import coverage_suffix
from ._data import SeriesView, series_views, x_axis
from ._funnel import funnel_view, y_range
from ._style import COLOURS, POINT_LABELS

if TYPE_CHECKING:
    from ..funnel import FunnelResult
    from ..spc import SPCResult

__all__ = ["plot_funnel_plotly", "plot_spc_plotly"]


def _import_plotly() -> Any:
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError as err:
        raise ImportError(
            "backend='plotly' needs the optional plotly package: pip install 'qiscope[plotly]'"
        ) from err
    return go, make_subplots


def _numbers(values: Any) -> pd.Series:
    """Numbers as short text (4 significant digits), a dash where missing."""
    a = np.asarray(values, dtype=float)
    text = pd.Series(np.char.mod("%.4g", np.where(np.isfinite(a), a, 0.0)))
    return text.where(np.isfinite(a), "–")


def _hover(view: SeriesView) -> np.ndarray:
    """One hover text per point: what it is, where its limits are, and why it is flagged."""
    pts = view.points
    meaning = np.where(pts["special_cause"], pts["point_type"].astype(str), "common_cause")
    text = ("<b>" + pts["x"].astype(str) + "</b><br>value: " + _numbers(pts["value"])
            + "<br>centre line: " + _numbers(pts["cl"])
            + "<br>limits: " + _numbers(pts["lcl"]) + " to " + _numbers(pts["ucl"])
            + "<br>" + pd.Series(meaning).map(POINT_LABELS))
    rules = pts["signal_rules"].str.replace(",", ", ")
    text = text + np.where(rules != "", "<br>rules: " + rules, "")
    has_n = np.isfinite(pts["n"].to_numpy(dtype=float))
    text = text + np.where(has_n, "<br>y / n: " + _numbers(pts["y"]) + " / " + _numbers(pts["n"]), "")
    if len(view.phases) > 1:
        labels = np.repeat([ph.label for ph in view.phases], [ph.stop - ph.start for ph in view.phases])
        text = text + "<br>phase: " + labels
    text = text + np.where(pts["excluded"], "<br>excluded from calculations", "")
    return text.to_numpy(dtype=object)


def _add_series(fig: Any, go: Any, view: SeriesView, row: int, col: int, show_95: bool,
                shown: set[str]) -> None:
    """Add one series' traces to subplot (row, col); each legend entry is shown once per figure."""
    pts = view.points
    xs, tick_labels = x_axis(pts["x"])
    if tick_labels is not None:
        xs = np.array(tick_labels, dtype=object)
    elif np.issubdtype(xs.dtype, np.datetime64):
        xs = np.array(pd.DatetimeIndex(xs).to_pydatetime(), dtype=object)
    values = pts["value"].to_numpy(dtype=float)

    def first_time(group: str) -> bool:
        new = group not in shown
        shown.add(group)
        return new

    def line(x: Any, y: np.ndarray, name: str, group: str, **style: Any) -> None:
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name, legendgroup=group,
                                 showlegend=first_time(group), hoverinfo="skip", line_shape="hvh", **style),
                      row=row, col=col)

    for k, ph in enumerate(view.phases):
        sl = slice(ph.start, ph.stop)
        if tick_labels is None:  # a time series: connect the points (units stay dots only)
            fig.add_trace(go.Scatter(x=xs[sl], y=values[sl], mode="lines", showlegend=False,
                                     hoverinfo="skip", line={"color": COLOURS["line"], "width": 1.5}),
                          row=row, col=col)
        line(xs[sl], pts["cl"].to_numpy(dtype=float)[sl], "Centre line", "cl",
             line={"color": COLOURS["cl"], "width": 1.5})
        for c in ("ucl", "lcl"):
            line(xs[sl], pts[c].to_numpy(dtype=float)[sl], "Control limits (3 sigma)", "limits",
                 line={"color": COLOURS["limit"], "width": 1.2})
        if show_95:
            for c in ("ucl_95", "lcl_95"):
                line(xs[sl], pts[c].to_numpy(dtype=float)[sl], "2-sigma limits", "limits95",
                     line={"color": COLOURS["limit"], "width": 1, "dash": "dash"})
        if len(view.phases) > 1:
            fig.add_annotation(x=xs[ph.start], y=1, yref="y domain", text=ph.label, showarrow=False,
                               xanchor="left", yanchor="top", font={"size": 10, "color": COLOURS["phase"]},
                               row=row, col=col)

    target = pts["target"].to_numpy(dtype=float)
    if np.isfinite(target).any():
        line(xs, target, "Target", "target",
             line={"color": COLOURS["target"], "width": 1.2, "dash": "dash"})

    hover = _hover(view)
    meaning = np.where(pts["special_cause"], pts["point_type"].astype(str), "common_cause")
    excluded = pts["excluded"].to_numpy(dtype=bool)
    for kind in ("common_cause", "improvement", "concern", "neutral"):
        m = (meaning == kind) & ~excluded
        if m.any():
            fig.add_trace(go.Scatter(x=xs[m], y=values[m], mode="markers", name=POINT_LABELS[kind],
                                     legendgroup=kind, showlegend=first_time(kind), marker={"color": COLOURS[kind], "size": 7},
                                     hovertext=hover[m], hoverinfo="text"), row=row, col=col)
    if excluded.any():
        fig.add_trace(go.Scatter(x=xs[excluded], y=values[excluded], mode="markers",
                                 name="Excluded from calculations", legendgroup="excluded", showlegend=first_time("excluded"),
                                 marker={"color": "white", "size": 7,
                                         "line": {"width": 1.5, "color": [COLOURS[k] for k in meaning[excluded]]}},
                                 hovertext=hover[excluded], hoverinfo="text"), row=row, col=col)


def plot_spc_plotly(res: SPCResult, *, show_95: bool = False, ncols: int = 3, title: str | None = None,
                    series: Any = None, phase_labels: Any = None, height: int | None = None) -> Any:
    """Draw `res` as a plotly Figure (subplots with ``by``); see :meth:`SPCResult.plot`."""
    go, make_subplots = _import_plotly()
    views = series_views(res, series, phase_labels)
    ncols = max(1, min(ncols, len(views)))
    nrows = math.ceil(len(views) / ncols)
    titles = [f"{v.name}<br><sub>{v.subtitle}</sub>" if v.name else v.subtitle for v in views]
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=titles, vertical_spacing=0.5 / max(nrows, 1) / 2)
    shown: set[str] = set()
    for i, view in enumerate(views):
        _add_series(fig, go, view, i // ncols + 1, i % ncols + 1, show_95, shown)
    fig.update_layout(title=title, template="simple_white", hovermode="closest",
                      height=height or (420 if nrows == 1 else 300 * nrows),
                      legend={"orientation": "h", "y": -0.12}, margin={"t": 90})
    for ann in fig.layout.annotations[: len(titles)]:  # subplot titles: left aligned, small
        ann.update(font={"size": 11}, xanchor="left", x=ann.x - 0.5 / ncols + 0.01)
    return fig


_PLOTLY_DASH = {"--": "dash", "-": "solid", ":": "dot", "-.": "dashdot"}


def _funnel_hover(res: FunnelResult, names: np.ndarray) -> np.ndarray:
    """One hover text per unit: its value, counts, z-score, its limits and whether it is outside."""
    pts = res.points
    text = ("<b>" + pd.Series(names, dtype=object) + "</b><br>value: " + _numbers(pts["value"])
            + "<br>y / n: " + _numbers(pts["y"]) + " / " + _numbers(pts["n"])
            + "<br>z: " + _numbers(pts["z"]))
    for c in sorted(res.coverage):
        s = coverage_suffix(c)
        text = text + f"<br>{c:g}% limits: " + _numbers(pts[f"lcl_{s}"]) + " to " + _numbers(pts[f"ucl_{s}"])
    text = text + np.where(pts["outlier"], "<br>outside the limits (outlier)", "<br>within the limits")
    return text.to_numpy(dtype=object)


def plot_funnel_plotly(res: FunnelResult, *, label_outliers: bool = True, show_unadjusted: bool = False,
                       title: str | None = None, height: int | None = None) -> Any:
    """Draw `res` as a plotly Figure with hover details per unit; see :meth:`FunnelResult.plot`."""
    go, _ = _import_plotly()
    view = funnel_view(res, show_unadjusted=show_unadjusted, title=title)
    grid, pts = res.limits, res.points
    fig = go.Figure()
    for line in view.lines:
        colour, width = (COLOURS["line"], 0.8) if line.unadjusted else (COLOURS["limit"], 1.2)
        for k, col in enumerate((line.lower, line.upper)):
            fig.add_trace(go.Scatter(x=grid["n"], y=grid[col], mode="lines", name=line.label,
                                     legendgroup=line.label, showlegend=k == 0, hoverinfo="skip",
                                     line={"color": colour, "width": width, "dash": _PLOTLY_DASH[line.dash]}))
    n_range = [float(grid["n"].min()), float(grid["n"].max())]
    fig.add_trace(go.Scatter(x=n_range, y=[res.target, res.target], mode="lines", name="target",
                             hoverinfo="skip", line={"color": COLOURS["cl"], "width": 1.5}))
    hover = _funnel_hover(res, view.names)
    for is_outlier, name, colour, size in ((False, "unit", COLOURS["common_cause"], 7),
                                           (True, "outlier", COLOURS["neutral"], 9)):
        m = view.outlier == is_outlier
        if not m.any():
            continue
        labelled = is_outlier and label_outliers
        fig.add_trace(go.Scatter(x=pts["n"][m], y=pts["value"][m], mode="markers+text" if labelled else "markers",
                                 name=name, text=view.names[m] if labelled else None, textposition="top right",
                                 textfont={"size": 10}, marker={"color": colour, "size": size},
                                 hovertext=hover[m], hoverinfo="text"))
    subtitle = f"<br><sub>{view.note}</sub>" if view.note else ""
    fig.update_layout(title={"text": view.title + subtitle, "x": 0.01, "xanchor": "left"},
                      template="simple_white", hovermode="closest", height=height or 480,
                      xaxis_title=view.x_label, yaxis_title=view.y_label, yaxis_range=list(y_range(res)),
                      legend={"orientation": "h", "y": -0.18})
    return fig
