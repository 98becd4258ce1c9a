"""HTML for results: inline SVG charts, no scripts or styles from the network."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .icons import assurance_icon, variation_icon

if TYPE_CHECKING:
    from ..spc import SPCResult

__all__ = ["Indicator", "result_html", "write_report"]

_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; margin: 2em; color: #231f20; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table.qiscope { border-collapse: collapse; font-size: 0.9em; }
table.qiscope th, table.qiscope td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }
table.qiscope th { background: #f2f2f2; cursor: pointer; }
.chart svg { max-width: 100%; height: auto; }
.note { color: #555; font-size: 0.85em; }
@media print { .chart { page-break-inside: avoid; } }
"""

_SORT_SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.dataset.asc !== 'true'; th.dataset.asc = asc;
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.sort || a.cells[col].textContent;
      var y = b.cells[col].dataset.sort || b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def _svg(result: SPCResult, **kwargs: Any) -> str:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    ax = result.plot(**kwargs)
    fig = (ax.flat[0] if hasattr(ax, "flat") else ax).figure
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return html.escape(str(v))


def summary_table(result: SPCResult) -> str:
    """The summary as an HTML table, with the icons drawn."""
    cols = [*result.by, "phase", "x_start", "x_end", "n_points", "cl", "lcl", "ucl", "longest_run",
            "longest_run_max", "n_crossings", "n_crossings_min", "runs_signal", "sigma_signal",
            "variation", "assurance"]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    rows = []
    for rec in result.summary[cols].itertuples(index=False):
        cells = []
        for c, v in zip(cols, rec, strict=True):
            if c == "variation":
                cells.append(f"<td>{variation_icon(None if pd.isna(v) else v, 22)}</td>")
            elif c == "assurance":
                cells.append(f"<td>{assurance_icon(None if pd.isna(v) else v, 22)}</td>")
            else:
                cells.append(f"<td>{_fmt(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="qiscope"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def result_html(result: SPCResult) -> str:
    """Jupyter display: the summary table with icons and the chart inline."""
    return f'<div class="qiscope-result">{summary_table(result)}<div class="chart">{_svg(result)}</div></div>'


@dataclass
class Indicator:
    """One indicator of a report: a name, its result, and an optional note."""

    name: str
    result: SPCResult
    note: str = ""


def _latest(result: SPCResult) -> tuple[Any, Any, Any, Any]:
    pts = result.points.dropna(subset=["value"])
    last = pts.iloc[-1] if len(pts) else None
    summ = result.summary.iloc[-1]
    var = summ["variation"]
    ass = summ["assurance"]
    return (
        None if last is None else last["x"],
        None if last is None else last["value"],
        None if pd.isna(var) else var,
        None if pd.isna(ass) else ass,
    )


def write_report(indicators: list[Indicator], path: str | Path, *, title: str = "qiscope report",
                 intro: str = "") -> Path:
    """Write one self-contained HTML page: a summary table of every indicator (latest value,
    target, variation and assurance icons), then each indicator's chart."""
    rows = []
    sections = []
    for i, ind in enumerate(indicators):
        x, value, var, ass = _latest(ind.result)
        target = ind.result.spec.get("target")
        anchor = f"ind{i}"
        rows.append(
            "<tr>"
            f'<td><a href="#{anchor}">{html.escape(ind.name)}</a></td>'
            f"<td>{_fmt(x)}</td><td>{_fmt(value)}</td><td>{_fmt(target)}</td>"
            f'<td data-sort="{var or ""}">{variation_icon(var)}</td>'
            f'<td data-sort="{ass or ""}">{assurance_icon(ass)}</td>'
            "</tr>"
        )
        sections.append(
            f'<section id="{anchor}" class="indicator"><h2>{html.escape(ind.name)}</h2>'
            f'<p class="note">{html.escape(ind.note)}</p>'
            f'<div class="chart">{_svg(ind.result)}</div>{summary_table(ind.result)}</section>'
        )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_STYLE}</style></head>
<body><h1>{html.escape(title)}</h1><p>{html.escape(intro)}</p>
<table class="qiscope sortable" id="summary"><thead><tr><th>Indicator</th><th>Latest</th><th>Value</th>
<th>Target</th><th>Variation</th><th>Assurance</th></tr></thead><tbody>{"".join(rows)}</tbody></table>
{"".join(sections)}
<p class="note">Made with qiscope. Variation icons come from each indicator's latest point;
assurance icons compare the target with the latest process limits.</p>
<script>{_SORT_SCRIPT}</script></body></html>
"""
    out = Path(path)
    out.write_text(page, encoding="utf-8")
    return out
