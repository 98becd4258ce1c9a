"""matplotlib drawing of SPC results, in the Making Data Count palette.

Axes-level contract (as seaborn's): pass ``ax=`` to draw into your own Axes; the Axes (or an
array of Axes for several series) is returned for further styling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..spc import SPCResult

__all__ = ["COLOURS", "plot_spc"]

# Making Data Count colours (NHSRplotthedots' ptd_spc_colours).
COLOURS = {
    "common_cause": "#7f7f7f",
    "improvement": "#00b0f0",
    "concern": "#e46c0a",
    "neutral": "#490092",
    "line": "#a6a6a6",
    "cl": "#231f20",
    "limit": "#6d6e71",
    "target": "#de1b1b",
}

_CHART_TITLES = {
    "run": "Run chart", "i": "I chart", "mr": "MR chart", "xbar": "Xbar chart", "s": "S chart",
    "p": "P chart", "np": "NP chart", "c": "C chart", "u": "U chart", "pp": "P' chart (Laney)",
    "up": "U' chart (Laney)", "g": "G chart", "t": "T chart", "ip": "I' chart",
    "ewma": "EWMA chart", "cusum": "CUSUM chart", "bernoulli_cusum": "Bernoulli CUSUM",
    "ra_cusum": "Risk-adjusted CUSUM", "vlad": "VLAD (expected - observed)",
}


def _x_positions(x: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    if pd.api.types.is_datetime64_any_dtype(x.dtype) or pd.api.types.is_numeric_dtype(x.dtype):
        return x.to_numpy(), None
    if isinstance(x.dtype, pd.PeriodDtype):
        return x.dt.to_timestamp().to_numpy(), None
    labels = [str(v) for v in x]
    return np.arange(len(x)), labels


def _draw_series(ax: Any, pts: pd.DataFrame, spec: dict[str, Any], show_95: bool) -> None:
    xs, tick_labels = _x_positions(pts["x"].reset_index(drop=True))
    values = pts["value"].to_numpy()
    # Two-sided CUSUMs: the lower statistic, drawn below zero against lcl.
    lower = pts["value_lower"].to_numpy() if "value_lower" in pts else np.full(len(pts), np.nan)
    two_sided = bool(np.isfinite(lower).any())
    for phase in np.unique(pts["phase"].to_numpy()):
        m = (pts["phase"] == phase).to_numpy()
        px = xs[m]
        if spec.get("chart") == "ewma":  # the subgroup means being smoothed, as qcc shows them
            ax.plot(px, pts["y"].to_numpy()[m] * spec.get("multiply", 1), linestyle="none", marker="+",
                    markersize=4, color=COLOURS["line"], zorder=1)
        ax.plot(px, values[m], color=COLOURS["line"], marker="o", markersize=3.5, linewidth=1.2, zorder=2,
                markerfacecolor=COLOURS["common_cause"], markeredgecolor=COLOURS["common_cause"])
        if two_sided:
            ax.plot(px, lower[m], color=COLOURS["line"], marker="o", markersize=3.5, linewidth=1.2, zorder=2,
                    markerfacecolor=COLOURS["common_cause"], markeredgecolor=COLOURS["common_cause"])
        ax.plot(px, pts["cl"].to_numpy()[m], color=COLOURS["cl"], linewidth=1.1, zorder=1, label="_cl")
        for col, style in (("lcl", "-"), ("ucl", "-")):
            ax.plot(px, pts[col].to_numpy()[m], color=COLOURS["limit"], linestyle=style, linewidth=0.9,
                    drawstyle="steps-mid", zorder=1)
        if show_95:
            for col in ("lcl_95", "ucl_95"):
                ax.plot(px, pts[col].to_numpy()[m], color=COLOURS["limit"], linestyle="--", linewidth=0.7,
                        drawstyle="steps-mid", zorder=1)
        if phase > 1:
            ax.axvline(px[0], color=COLOURS["limit"], linestyle=":", linewidth=0.8)
    special = pts["special_cause"].to_numpy()
    kinds = pts["point_type"].astype(str).to_numpy()
    # A signal of the lower statistic is marked on the lower line.
    with np.errstate(invalid="ignore"):
        lower_hit = np.isfinite(lower) & (lower <= pts["lcl"].to_numpy()) & ~(values >= pts["ucl"].to_numpy())
    marked = np.where(lower_hit, lower, values)
    for kind in ("improvement", "concern", "neutral"):
        m = special & (kinds == kind)
        if m.any():
            ax.scatter(xs[m], marked[m], color=COLOURS[kind], s=28, zorder=3, label=kind)
    excluded = pts["excluded"].to_numpy()
    if excluded.any():
        ax.scatter(xs[excluded], values[excluded], facecolors="white", edgecolors=COLOURS["common_cause"],
                   s=28, zorder=4, label="excluded")
    target = spec.get("target")
    if target is not None:
        ax.axhline(target, color=COLOURS["target"], linestyle="--", linewidth=1.0, label="target")
    if tick_labels is not None:
        ax.set_xticks(xs, tick_labels, rotation=45, ha="right")
    ax.spines[["top", "right"]].set_visible(False)


def _subtitle(res: SPCResult, pts: pd.DataFrame, summ: pd.DataFrame) -> str:
    n_sigma = int(pts["sigma_signal"].sum())
    runs = bool(summ["runs_signal"].any())
    parts = [_CHART_TITLES.get(res.chart, res.chart)]
    signals = []
    if n_sigma:
        signals.append(f"{n_sigma} point{'s' if n_sigma > 1 else ''} outside limits")
    if runs:
        signals.append("runs signal")
    if int(pts["special_cause"].sum()) and not signals:
        signals.append("special cause")
    parts.append(", ".join(signals) if signals else "no signal")
    return " - ".join(parts)


def plot_spc(res: SPCResult, ax: Any = None, *, show_95: bool = False, ncols: int = 3,
             title: str | None = None) -> Any:
    """Draw every series of `res`; one Axes, or a grid of small multiples with ``by``."""
    import matplotlib.pyplot as plt

    keys = res.series()
    if len(keys) == 1:
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        _draw_series(ax, res.points, res.spec, show_95)
        ax.set_title(title or _subtitle(res, res.points, res.summary), fontsize=10, loc="left")
        ax.set_ylabel(str(res.spec.get("y") or "value"))
        return ax
    ncols = min(ncols, len(keys))
    nrows = int(np.ceil(len(keys) / ncols))
    if ax is None:
        fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.9 * nrows), squeeze=False,
                                 sharex=True)
    else:
        axes = np.asarray(ax).reshape(nrows, ncols)
        fig = axes.flat[0].figure
    by = res.by
    for i, key in enumerate(keys):
        a = axes.flat[i]
        mp = np.logical_and.reduce([res.points[b].to_numpy() == k for b, k in zip(by, key, strict=True)])
        ms = np.logical_and.reduce([res.summary[b].to_numpy() == k for b, k in zip(by, key, strict=True)])
        pts, summ = res.points[mp], res.summary[ms]
        _draw_series(a, pts, res.spec, show_95)
        a.set_title(" / ".join(str(k) for k in key) + "\n" + _subtitle(res, pts, summ), fontsize=8, loc="left")
        a.tick_params(labelsize=7)
    for a in axes.flat[len(keys):]:
        a.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return axes
