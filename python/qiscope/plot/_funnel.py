"""matplotlib drawing of funnel plots (Axes in, Axes out, as the SPC charts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..funnel import coverage_suffix
from ._style import COLOURS

if TYPE_CHECKING:
    from ..funnel import FunnelResult

__all__ = ["plot_funnel"]

_KIND_LABELS = {"proportion": "Proportion", "ratio": "Standardised ratio", "rate": "Ratio"}
_X_LABELS = {"proportion": "Cases", "ratio": "Expected", "rate": "Denominator"}
# Limits from the narrowest: dashed, solid, ...; the unadjusted ones behind in lighter grey.
_STYLES = ("--", "-", ":", "-.")


def plot_funnel(res: FunnelResult, ax: Any = None, *, label_outliers: bool = True,
                show_unadjusted: bool = False, title: str | None = None) -> Any:
    """Draw every unit of `res` against its n with the centre line and the limits in use."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    grid = res.limits
    coverages = sorted(res.coverage)
    for i, c in enumerate(coverages):
        s = coverage_suffix(c)
        style = _STYLES[i % len(_STYLES)]
        label = f"{c:g}% limits" + (" (overdispersion-adjusted)" if res.adjusted else "")
        ax.plot(grid["n"], grid[f"lcl_{s}"], color=COLOURS["limit"], linestyle=style, linewidth=1.0, label=label)
        ax.plot(grid["n"], grid[f"ucl_{s}"], color=COLOURS["limit"], linestyle=style, linewidth=1.0)
        if show_unadjusted and f"lcl_{s}_unadjusted" in grid:
            for side in ("lcl", "ucl"):
                ax.plot(grid["n"], grid[f"{side}_{s}_unadjusted"], color=COLOURS["line"], linestyle=style,
                        linewidth=0.8)
    ax.axhline(res.target, color=COLOURS["cl"], linewidth=1.1, label="target")
    pts = res.points
    outlier = pts["outlier"].to_numpy()
    ax.scatter(pts["n"][~outlier], pts["value"][~outlier], s=22, color=COLOURS["common_cause"], zorder=3)
    if outlier.any():
        ax.scatter(pts["n"][outlier], pts["value"][outlier], s=30, color=COLOURS["neutral"], zorder=4,
                   label="outlier")
        if label_outliers:
            names = pts[res.by].astype(str).agg(" / ".join, axis=1).to_numpy()
            for x, y, name in zip(pts["n"][outlier], pts["value"][outlier], names[outlier], strict=True):
                ax.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
    kind = str(res.spec["kind"])
    ax.set_xlabel(_X_LABELS.get(kind, "n"))
    ax.set_ylabel(_KIND_LABELS.get(kind, "value"))
    n_out = int(outlier.sum())
    ax.set_title(title or f"Funnel plot - {len(pts)} units, {n_out} outlier{'s' if n_out != 1 else ''}",
                 fontsize=10, loc="left")
    upper = np.nanmax([np.nanmax(pts["value"].to_numpy()), res.target]) * 1.1
    lower = min(0.0, float(np.nanmin(pts["value"].to_numpy())))
    ax.set_ylim(lower, upper)
    ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
