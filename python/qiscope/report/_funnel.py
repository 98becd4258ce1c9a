"""HTML display of a funnel plot: the overdispersion summary, the outliers and the chart."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ._html import _fmt, _svg

if TYPE_CHECKING:
    from ..funnel import FunnelResult

__all__ = ["funnel_html"]


def _table(header: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_fmt(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="qiscope"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def funnel_html(result: FunnelResult) -> str:
    """Jupyter display: a one-line summary, the outlying units and the funnel plot."""
    spec = result.spec
    summary = _table(
        ["kind", "units", "target", "phi", "tau2", "p (no overdispersion)", "limits", "outliers"],
        [[spec["kind"], len(result.points), result.target, result.phi, result.tau2, result.phi_p_value,
          ("adjusted (" + str(spec["overdispersion"]) + ")") if result.adjusted else "unadjusted",
          int(result.points["outlier"].sum())]],
    )
    out = result.outliers
    cols = [c for c in out.columns if c not in ("z_winsorised",)]
    outliers = _table(cols, out[cols].to_numpy().tolist()) if len(out) else "<p>No unit is outside the limits.</p>"
    return f'<div class="qiscope-result">{summary}{outliers}<div class="chart">{_svg(result)}</div></div>'
