"""Self-contained HTML: results in Jupyter, and the board report of many indicators.

- :func:`board_report` computes many indicators (long format) and writes an integrated
  performance report page (``qiscope report`` on the command line).
- ``spc_html``, ``funnel_html``, ``score_html``, ``reliability_html``, ``agreement_html`` and
  ``gap_html`` are the Jupyter displays of the results (``_repr_html_``).
- :mod:`qiscope.report.html` has the building blocks every result's HTML is made of (tables
  with icons, inline SVG charts, pages), for reuse by other result types.
- :func:`variation_icon` and :func:`assurance_icon` draw the Making Data Count icons (our own
  artwork, same meaning).
"""

from __future__ import annotations

from . import html
from ._culture import agreement_html, gap_html, reliability_html, score_html
from ._funnel import funnel_html
from ._spc import icon_table, spc_html
from .board import BoardReport, board_report
from .icons import assurance_icon, icon_key, variation_icon

__all__ = ["BoardReport", "agreement_html", "assurance_icon", "board_report", "funnel_html", "gap_html", "html",
           "icon_key", "icon_table", "reliability_html", "score_html", "spc_html", "variation_icon"]
