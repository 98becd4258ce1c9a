"""Building blocks for qiscope's HTML: tables with icons, inline charts, blocks and pages.

Every result type (SPC, funnel, culture) shows itself in Jupyter and in reports with these, so
they share one look. Everything is self-contained: styles inline, charts as inline SVG, no
scripts or fonts fetched from the network. Styles are scoped to ``.qiscope`` so a notebook's own
look is left alone.

>>> import pandas as pd
>>> from qiscope.report import html as qh
>>> frame = pd.DataFrame({"unit": ["A", "B"], "rate": [0.123456, None]})
>>> qh.table(frame)
'<table class="qiscope-table"><thead><tr><th scope="col">unit</th><th scope="col">rate</th></tr></thead><tbody><tr><td>A</td><td class="num">0.1235</td></tr><tr><td>B</td><td class="num"></td></tr></tbody></table>'
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CSS", "SORT_SCRIPT", "block", "escape", "figure_svg", "fmt", "page", "table"]

CSS = """
.qiscope { font-family: Arial, Helvetica, sans-serif; color: #231f20; }
.qiscope h1 { font-size: 1.5em; margin: 0.2em 0 0.4em; }
.qiscope h2 { font-size: 1.15em; margin: 1.6em 0 0.3em; }
.qiscope .qiscope-head { font-weight: bold; margin: 0.2em 0 0.5em; }
.qiscope .note { color: #555; font-size: 0.85em; margin: 0.2em 0 0.6em; }
.qiscope table.qiscope-table { border-collapse: collapse; font-size: 0.85em; margin: 0.4em 0 0.8em; }
.qiscope table.qiscope-table th, .qiscope table.qiscope-table td {
  border-bottom: 1px solid #ddd; padding: 3px 9px; text-align: left; vertical-align: middle; }
.qiscope table.qiscope-table th { background: #f2f2f2; font-weight: bold; }
.qiscope table.qiscope-table td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.qiscope table.qiscope-table td.date { white-space: nowrap; }
.qiscope table.qiscope-table td.icon { text-align: center; padding: 1px 6px; }
.qiscope table.sortable th { cursor: pointer; user-select: none; }
.qiscope table.sortable th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: 0.7em; }
.qiscope table.sortable th[aria-sort="descending"]::after { content: " \\25BC"; font-size: 0.7em; }
.qiscope .chart svg { max-width: 100%; height: auto; }
.qiscope svg.qiscope-icon { vertical-align: middle; }
.qiscope ul.qiscope-key { list-style: none; padding: 0; columns: 2; font-size: 0.85em; }
.qiscope ul.qiscope-key li { margin: 2px 0; break-inside: avoid; }
.qiscope .more { color: #555; font-style: italic; }
@media print {
  .qiscope section { break-inside: avoid; page-break-inside: avoid; }
  .qiscope .no-print { display: none; }
  .qiscope table.sortable th::after { content: none; }
}
"""

# Click (or Enter on) a header to sort; numbers sort as numbers, empty cells last; cells may carry
# data-sort keys (icons sort by severity).
SORT_SCRIPT = """
(function () {
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col];
          return cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === '' || y === '') { return (x === '') - (y === ''); }  // empty cells last, either way
          var nx = parseFloat(x), ny = parseFloat(y);
          var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
    });
  });
  document.body.setAttribute('data-qiscope-ready', '1');
})();
"""


def escape(text: Any) -> str:
    """Text for HTML (``&``, ``<``, ``>`` and quotes escaped)."""
    return html.escape(str(text), quote=True)


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, (float, np.floating)) and not math.isfinite(float(v))


def fmt(v: Any, digits: int = 4) -> str:
    """A value as short, escaped text: numbers to `digits` significant digits, dates as
    ``YYYY-MM-DD`` (with the time only when there is one), missing values as ``""``."""
    if _missing(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        # Large values in full (9,184 bed days, not 9.184e+03); others to `digits` digits.
        return f"{f:,.0f}" if abs(f) >= 10**digits else f"{f:.{digits}g}"
    if isinstance(v, (pd.Timestamp, np.datetime64)):
        t = pd.Timestamp(v)
        return t.strftime("%Y-%m-%d %H:%M" if (t.hour or t.minute) else "%Y-%m-%d")
    return escape(v)


def table(frame: pd.DataFrame, *, columns: Sequence[str] | None = None,
          headers: Mapping[str, str] | None = None,
          formatters: Mapping[str, Callable[[Any], str]] | None = None,
          sort_keys: Mapping[str, Callable[[Any], Any]] | None = None,
          icons: Sequence[str] = (), sortable: bool = False, max_rows: int | None = None,
          table_id: str | None = None) -> str:
    """An HTML table of `frame`.

    Parameters
    ----------
    columns : the columns to show, in order (default: all).
    headers : display names for some columns.
    formatters : per column, a function from a value to HTML (an icon, a link); it must escape
        text itself. Other cells use :func:`fmt`; numbers are right-aligned.
    sort_keys : per column, a function giving the key the sortable table sorts that column by
        (for icons: a severity rank).
    icons : columns whose cells are icons (centred).
    sortable : let readers sort by clicking a header (needs :data:`SORT_SCRIPT` on the page).
    max_rows : show at most this many rows, then a line saying how many more there are.
    """
    cols = list(columns) if columns is not None else [str(c) for c in frame.columns]
    headers = headers or {}
    formatters = formatters or {}
    sort_keys = sort_keys or {}
    shown = frame if max_rows is None else frame.iloc[:max_rows]
    def cell_class(c: str) -> str:
        dtype = frame[c].dtype
        if c in icons:
            return ' class="icon"'
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            return ' class="num"'
        if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
            return ' class="date"'
        return ""

    classes = {c: cell_class(c) for c in cols}
    head = "".join(f'<th scope="col">{escape(headers.get(c, c))}</th>' for c in cols)
    values = {c: shown[c].tolist() for c in cols}
    body = []
    for i in range(len(shown)):  # building text, one row at a time
        cells = []
        for c in cols:
            v = values[c][i]
            sort_attr = f' data-sort="{escape(sort_keys[c](v))}"' if c in sort_keys else ""
            text = formatters[c](v) if c in formatters else fmt(v)
            cells.append(f"<td{classes[c]}{sort_attr}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    table_class = "qiscope-table sortable" if sortable else "qiscope-table"
    ident = f' id="{escape(table_id)}"' if table_id else ""
    more = ""
    if max_rows is not None and len(frame) > max_rows:
        more = f'<p class="more">… {len(frame) - max_rows} more rows</p>'
    return f'<table class="{table_class}"{ident}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{more}'


def figure_svg(fig: Any, *, close: bool = True) -> str:
    """A matplotlib figure as inline SVG text (text kept as text, so it is searchable and small;
    a fixed hash salt, so the same chart gives the same bytes)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "qiscope"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    if close and getattr(fig.canvas, "manager", None) is not None:  # made with pyplot
        import matplotlib.pyplot as plt

        plt.close(fig)
    text = buf.getvalue()
    return '<div class="chart">' + text[text.index("<svg"):] + "</div>"


def block(*parts: str, title: str | None = None, note: str | None = None, css: bool = True) -> str:
    """A ``div.qiscope`` holding `parts` (HTML), with an optional bold title and a note;
    `css` includes the (scoped) style sheet, as a Jupyter display needs."""
    style = f"<style>{CSS}</style>" if css else ""
    head = f'<div class="qiscope-head">{escape(title)}</div>' if title else ""
    tail = f'<p class="note">{escape(note)}</p>' if note else ""
    return f'<div class="qiscope">{style}{head}{"".join(parts)}{tail}</div>'


def page(title: str, body: str, *, script: bool = True) -> str:
    """A complete, self-contained HTML document around `body` (HTML)."""
    js = f"<script>{SORT_SCRIPT}</script>" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n"
        f'<body class="qiscope">{body}{js}</body></html>\n'
    )
