"""HTML display of a funnel plot: the overdispersion summary, the outliers and the chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import html as qh

if TYPE_CHECKING:
    from ..funnel import FunnelResult

__all__ = ["funnel_html"]


def funnel_html(result: FunnelResult) -> str:
    """Jupyter display: a one-line summary, the outlying units and the funnel plot."""
    spec = result.spec
    summary = pd.DataFrame({
        "kind": [spec["kind"]], "units": [len(result.points)], "target": [result.target], "phi": [result.phi],
        "tau2": [result.tau2], "p (no overdispersion)": [result.phi_p_value],
        "limits": [f"adjusted ({spec['overdispersion']})" if result.adjusted else "unadjusted"],
        "outliers": [int(result.points["outlier"].sum())],
    })
    out = result.outliers
    cols = [c for c in out.columns if c != "z_winsorised"]
    outliers = qh.table(out, columns=cols) if len(out) else "<p>No unit is outside the limits.</p>"
    note = None
    if result.withheld:
        note = (f"Not plotted: {', '.join(result.withheld)} "
                f"({result.spec.get('withheld_reason', 'withheld')}).")
    chart = qh.figure_svg(result.plot(pyplot=False).figure)
    return qh.block(qh.table(summary), outliers, chart, title=_title(result), note=note)


def _title(result: FunnelResult) -> str:
    measure = result.spec.get("measure")
    return f"Funnel plot: {measure} by unit" if measure else "Funnel plot"
