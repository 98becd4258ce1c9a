"""matplotlib drawing of SPC results, in the Making Data Count palette.

Axes-level contract (as seaborn's): pass ``ax=`` to draw into your own Axes; the Axes (or, for
a result with ``by``, a 2-D array of Axes) is returned for further styling. Every artist carries
a ``gid`` naming what it shows (``"qiscope-cl"``, ``"qiscope-points-concern"``, ...), so code
and tests can find it without guessing from colours.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from ._data import SeriesView, series_views, x_axis
from ._style import COLOURS, POINT_LABELS

if TYPE_CHECKING:
    from ..spc import SPCResult

__all__ = ["draw_series", "new_figure", "plot_spc"]

_MARKER_SIZE = 22  # points^2


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float], sharex: bool = False,
               pyplot: bool = True) -> tuple[Any, np.ndarray]:
    """A figure and its 2-D array of Axes, laid out by matplotlib's constrained layout (titles,
    labels and legends outside the Axes get room without a separate tight-layout pass).

    With ``pyplot=False`` the figure is made without pyplot, so nothing is registered with the
    current backend: used for HTML output, where a figure must not also appear (or leak) in a
    notebook.
    """
    if pyplot:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, sharex=sharex,
                                 layout="constrained")
    else:
        from matplotlib.figure import Figure

        fig = Figure(figsize=figsize, layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=sharex)
    return fig, axes


def _segment_edges(xs: np.ndarray, start: int, stop: int) -> tuple[Any, Any]:
    """Where a segment of points begins and ends on the axis: half-way to its neighbours."""
    def mid(i: int, j: int) -> Any:
        return xs[i] + (xs[j] - xs[i]) / 2

    left = mid(start - 1, start) if start > 0 else xs[start]
    right = mid(stop - 1, stop) if stop < len(xs) else xs[stop - 1]
    return left, right


def draw_series(ax: Any, view: SeriesView, *, show_95: bool = False, label_lines: bool = True) -> None:
    """Draw one series (all its phases) into `ax`."""
    pts = view.points
    xs, tick_labels = x_axis(pts["x"])
    values = pts["value"].to_numpy(dtype=float)
    connect = tick_labels is None  # categorical x (units): dots only, as qicharts2

    for k, ph in enumerate(view.phases):
        sl = slice(ph.start, ph.stop)
        px = xs[sl]
        first = k == 0
        if connect:
            ax.plot(px, values[sl], color=COLOURS["line"], linewidth=1.2, zorder=2, gid="qiscope-data")
        ax.plot(px, pts["cl"].to_numpy(dtype=float)[sl], color=COLOURS["cl"], linewidth=1.2, zorder=1,
                drawstyle="steps-mid", gid="qiscope-cl", label="Centre line" if first else "_nolegend_")
        for col in ("ucl", "lcl"):
            ax.plot(px, pts[col].to_numpy(dtype=float)[sl], color=COLOURS["limit"], linewidth=1.0, zorder=1,
                    drawstyle="steps-mid", gid=f"qiscope-{col}",
                    label="Control limits (3 sigma)" if first and col == "ucl" else "_nolegend_")
        if show_95:
            for col in ("ucl_95", "lcl_95"):
                ax.plot(px, pts[col].to_numpy(dtype=float)[sl], color=COLOURS["limit"], linewidth=0.8,
                        linestyle="--", zorder=1, drawstyle="steps-mid", gid=f"qiscope-{col}",
                        label="2-sigma limits" if first and col == "ucl_95" else "_nolegend_")
        if len(view.phases) > 1:
            left, _ = _segment_edges(xs, ph.start, ph.stop)
            if k > 0:
                ax.axvline(left, color=COLOURS["phase"], linestyle=":", linewidth=0.9, zorder=1,
                           gid="qiscope-phase-break")
            ax.annotate(ph.label, xy=(px[0], 1.0), xycoords=("data", "axes fraction"), xytext=(2, -2),
                        textcoords="offset points", va="top", ha="left", fontsize=7,
                        color=COLOURS["phase"], gid="qiscope-phase-label")
        if ph.frozen_until is not None:
            left, _ = _segment_edges(xs, ph.start, ph.stop)
            right, _ = _segment_edges(xs, ph.frozen_until, ph.stop)
            ax.axvspan(left, right, color=COLOURS["baseline"], zorder=0, gid="qiscope-baseline",
                       label="Baseline (frozen limits)" if first else "_nolegend_")
        if label_lines and k == len(view.phases) - 1:
            cl = pts["cl"].to_numpy(dtype=float)[ph.stop - 1]
            if math.isfinite(cl):
                ax.annotate(f"{cl:.4g}", xy=(px[-1], cl), xytext=(4, 0), textcoords="offset points",
                            va="center", fontsize=7, color=COLOURS["cl"], gid="qiscope-cl-label")

    # Two-sided CUSUMs carry a lower statistic (drawn at or below zero, against lcl); a signal
    # of the lower side is marked on the lower line.
    lower = pts["value_lower"].to_numpy(dtype=float) if "value_lower" in pts.columns else None
    if lower is not None and np.isfinite(lower).any():
        for ph in view.phases:
            sl = slice(ph.start, ph.stop)
            ax.plot(xs[sl], lower[sl], color=COLOURS["line"], linewidth=1.2, zorder=2, gid="qiscope-data-lower")
        with np.errstate(invalid="ignore"):
            lower_hit = (lower <= pts["lcl"].to_numpy(dtype=float)) & ~(values >= pts["ucl"].to_numpy(dtype=float))
        values = np.where(np.isfinite(lower) & lower_hit, lower, values)
    _draw_points(ax, xs, values, pts)

    target = pts["target"].to_numpy(dtype=float)
    if np.isfinite(target).any():
        ax.plot(xs, target, color=COLOURS["target"], linestyle="--", linewidth=1.1, zorder=1,
                drawstyle="steps-mid", gid="qiscope-target", label="Target")

    if len(xs) and not np.isfinite(values).any():  # nothing to autoscale on: keep the x range
        ax.text(0.5, 0.5, "no values", transform=ax.transAxes, ha="center", va="center", fontsize=8,
                color=COLOURS["limit"], gid="qiscope-no-values")
        if len(xs) > 1:
            ax.set_xlim(xs[0], xs[-1])
    if tick_labels is not None:
        ax.set_xticks(xs, tick_labels, rotation=45, ha="right")
    elif np.issubdtype(xs.dtype, np.datetime64):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)


def _draw_points(ax: Any, xs: np.ndarray, values: np.ndarray, pts: Any) -> None:
    """One scatter per meaning, so the legend and tests can name them; excluded points hollow."""
    kinds = pts["point_type"].astype(str).to_numpy()
    special = pts["special_cause"].to_numpy(dtype=bool)
    excluded = pts["excluded"].to_numpy(dtype=bool)
    meaning = np.where(special, kinds, "common_cause")
    for kind in ("common_cause", "improvement", "concern", "neutral"):
        m = (meaning == kind) & ~excluded
        if m.any():
            ax.scatter(xs[m], values[m], s=_MARKER_SIZE, color=COLOURS[kind], zorder=3,
                       gid=f"qiscope-points-{kind}", label=POINT_LABELS[kind])
    if excluded.any():
        edges = [COLOURS[k] for k in meaning[excluded]]
        ax.scatter(xs[excluded], values[excluded], s=_MARKER_SIZE, facecolors="white", edgecolors=edges,
                   linewidths=1.2, zorder=4, gid="qiscope-points-excluded", label="Excluded from calculations")


_LEGEND_ORDER = [*POINT_LABELS.values(), "Excluded from calculations", "Centre line", "Control limits (3 sigma)",
                 "2-sigma limits", "Target", "Baseline (frozen limits)"]


def _legend_entries(axes: Any) -> tuple[list[Any], list[str]]:
    """One legend entry per meaning across all `axes`, in a fixed order (points first)."""
    handles: dict[str, Any] = {}
    for a in axes:
        for h, lab in zip(*a.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, h)
    labels = sorted(handles, key=lambda lab: _LEGEND_ORDER.index(lab) if lab in _LEGEND_ORDER else len(_LEGEND_ORDER))
    return [handles[lab] for lab in labels], labels


def _y_label(res: SPCResult) -> str:
    y, n = res.spec.get("y") or "value", res.spec.get("n")
    label = f"{y} / {n}" if n else str(y)
    multiply = float(res.spec.get("multiply") or 1)
    return label if multiply == 1 else f"{label} × {multiply:g}"


def plot_spc(res: SPCResult, ax: Any = None, *, show_95: bool = False, ncols: int = 3,
             title: str | None = None, series: Any = None, phase_labels: Any = None,
             legend: bool = True, figsize: tuple[float, float] | None = None,
             pyplot: bool = True) -> Any:
    """Draw `res` with matplotlib; see :meth:`qiscope.SPCResult.plot` for the options."""
    views = series_views(res, series, phase_labels)
    if not res.by:
        view = views[0]
        if ax is None:
            _, axes = new_figure(figsize=figsize or (8, 4), pyplot=pyplot)
            ax = axes[0, 0]
        draw_series(ax, view, show_95=show_95)
        heading = title or view.name
        ax.set_title(f"{heading}\n{view.subtitle}" if heading else view.subtitle, fontsize=9, loc="left")
        ax.set_ylabel(_y_label(res), fontsize=8)
        if legend:
            ax.legend(*_legend_entries([ax]), fontsize=7, frameon=False, loc="upper left",
                      bbox_to_anchor=(1.01, 1.0))
        return ax

    ncols = max(1, min(ncols, len(views)))
    nrows = math.ceil(len(views) / ncols)
    if ax is None:
        fig, axes = new_figure(nrows, ncols, figsize=figsize or (4.2 * ncols, 3.0 * nrows + 0.6),
                               pyplot=pyplot)
    else:
        flat = np.asarray(ax, dtype=object).ravel()
        if len(flat) < len(views):
            from ..errors import InputError

            raise InputError(f"ax has {len(flat)} Axes but the result has {len(views)} series",
                             column="ax", rule="length")
        axes = flat.reshape(1, -1)
        fig = flat[0].figure
    flat_axes = axes.ravel()
    for a, view in zip(flat_axes, views, strict=False):
        draw_series(a, view, show_95=show_95, label_lines=False)
        wrapped = textwrap.fill(view.subtitle, width=int(150 / ncols), subsequent_indent="  ")
        a.set_title(f"{view.name}\n{wrapped}", fontsize=8, loc="left")
    for a in flat_axes[len(views):]:
        a.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    if legend:
        handles, labels = _legend_entries(flat_axes[: len(views)])
        # "outside" places it below the grid when the figure is laid out (our own figures).
        loc = "outside lower center" if ax is None else "lower center"
        fig.legend(handles, labels, loc=loc, ncol=min(4, len(labels)) or 1, fontsize=7, frameon=False)
    return axes
