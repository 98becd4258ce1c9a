"""Self-contained HTML: a result's Jupyter display and the indicator report."""

from __future__ import annotations

from ._funnel import funnel_html
from ._html import Indicator, result_html, write_report
from .icons import assurance_icon, variation_icon

__all__ = ["Indicator", "assurance_icon", "funnel_html", "result_html", "variation_icon", "write_report"]
