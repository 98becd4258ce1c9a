"""Funnel plots: what they show (shared by both backends) and the matplotlib drawing.

Both backends draw the same things from :func:`funnel_view`: the units against their n, the
centre line, the limits in use (narrowest dashed, the next solid, ...), the unadjusted limits
behind them when asked, the outliers named, and a note of units withheld for privacy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..funnel import coverage_suffix
from ._style import COLOURS

if TYPE_CHECKING:
    from ..funnel import FunnelResult

__all__ = ["FunnelView", "LimitLine", "funnel_view", "plot_funnel"]

_KIND_LABELS = {"proportion": "Proportion", "ratio": "Standardised ratio", "rate": "Ratio"}
_X_LABELS = {"proportion": "Cases", "ratio": "Expected", "rate": "Denominator"}
# Limits from the narrowest: dashed, solid, ...
_DASHES = ("--", "-", ":", "-.")


@dataclass
class LimitLine:
    """One pair of limits on the drawing grid: columns of ``res.limits``."""

    lower: str
    upper: str
    label: str
    dash: str  # matplotlib line style
    unadjusted: bool  # drawn behind, in a lighter grey, without a legend entry


@dataclass
class FunnelView:
    """A funnel result, ready to draw."""

    names: np.ndarray  # one label per unit ("A / B" for several by columns)
    outlier: np.ndarray  # bool per unit
    lines: list[LimitLine]
    x_label: str
    y_label: str
    title: str
    note: str | None  # units not plotted, and why


def funnel_view(res: FunnelResult, *, show_unadjusted: bool = False, title: str | None = None) -> FunnelView:
    """What a funnel chart of `res` shows, independent of the drawing library."""
    spec = res.spec
    kind = str(spec["kind"])
    lines = []
    for i, c in enumerate(sorted(res.coverage)):
        s = coverage_suffix(c)
        dash = _DASHES[i % len(_DASHES)]
        label = f"{c:g}% limits" + (" (overdispersion-adjusted)" if res.adjusted else "")
        lines.append(LimitLine(f"lcl_{s}", f"ucl_{s}", label, dash, unadjusted=False))
        if show_unadjusted and f"lcl_{s}_unadjusted" in res.limits:
            lines.append(LimitLine(f"lcl_{s}_unadjusted", f"ucl_{s}_unadjusted", f"{c:g}% limits (unadjusted)",
                                   dash, unadjusted=True))
    pts = res.points
    names = pts[res.by].astype(str).agg(" / ".join, axis=1).to_numpy(dtype=object)
    outlier = pts["outlier"].to_numpy(dtype=bool)
    n_out = int(outlier.sum())
    multiply = float(spec.get("multiply", 1))
    y_label = spec.get("value_label") or _KIND_LABELS.get(kind, "value")
    if "value_label" not in spec and multiply == 100 and kind == "proportion":
        y_label += " (%)"
    note = None
    if res.withheld:
        reason = spec.get("withheld_reason", "")
        note = f"Not shown: {', '.join(res.withheld)}" + (f" ({reason})" if reason else "")
    return FunnelView(
        names=names, outlier=outlier, lines=lines,
        x_label=spec.get("n_label") or _X_LABELS.get(kind, "n"), y_label=y_label,
        title=title or f"Funnel plot - {len(pts)} units, {n_out} outlier{'s' if n_out != 1 else ''}",
        note=note,
    )


def y_range(res: FunnelResult) -> tuple[float, float]:
    """From 0 (or the lowest value) to a little above the highest of the values, the target and
    the widest upper limit over the units' range of n (a proportion stops at 100%)."""
    values = res.points["value"].to_numpy(dtype=float)
    grid = res.limits
    in_range = grid["n"].to_numpy(dtype=float) >= np.nanmin(res.points["n"].to_numpy(dtype=float))
    widest = grid[f"ucl_{coverage_suffix(max(res.coverage))}"].to_numpy(dtype=float)[in_range]
    upper = np.nanmax([np.nanmax(values), res.target, np.nanmax(widest, initial=-np.inf)]) * 1.05
    if res.spec["kind"] == "proportion":
        upper = min(upper, float(res.spec.get("multiply", 1)) * 1.02)
    lower = min(0.0, float(np.nanmin(values)))
    return lower, upper


def plot_funnel(res: FunnelResult, ax: Any = None, *, label_outliers: bool = True,
                show_unadjusted: bool = False, title: str | None = None, pyplot: bool = True) -> Any:
    """Draw every unit of `res` against its n with the centre line and the limits in use."""
    from ._mpl import new_figure

    if ax is None:
        _, axes = new_figure(figsize=(8, 5), pyplot=pyplot)
        ax = axes[0, 0]
    view = funnel_view(res, show_unadjusted=show_unadjusted, title=title)
    grid = res.limits
    for line in view.lines:
        colour, width = (COLOURS["line"], 0.8) if line.unadjusted else (COLOURS["limit"], 1.0)
        ax.plot(grid["n"], grid[line.lower], color=colour, linestyle=line.dash, linewidth=width,
                label=None if line.unadjusted else line.label)
        ax.plot(grid["n"], grid[line.upper], color=colour, linestyle=line.dash, linewidth=width)
    ax.axhline(res.target, color=COLOURS["cl"], linewidth=1.1, label="target")
    pts = res.points
    outlier = view.outlier
    ax.scatter(pts["n"][~outlier], pts["value"][~outlier], s=22, color=COLOURS["common_cause"], zorder=3)
    if outlier.any():
        ax.scatter(pts["n"][outlier], pts["value"][outlier], s=30, color=COLOURS["neutral"], zorder=4,
                   label="outlier")
        if label_outliers:
            for x, y, name in zip(pts["n"][outlier], pts["value"][outlier], view.names[outlier], strict=True):
                ax.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
    ax.set_xlabel(view.x_label)
    ax.set_ylabel(view.y_label)
    ax.set_title(view.title + (f"\n{view.note}" if view.note else ""), fontsize=10, loc="left")
    ax.set_ylim(*y_range(res))
    ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
