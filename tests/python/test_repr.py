"""Jupyter display of results and the generic HTML building blocks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import qiscope as qi
from qiscope.report import html as qh
from qiscope.report import icon_table


class _Cells(HTMLParser):
    """Rows of the first table in a piece of HTML, as text (icons as their <title>)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._tables = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self._tables += 1
        if self._tables == 1 and tag == "tr":
            self.rows.append([])
        if self._tables == 1 and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def wards(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "ward": np.repeat([f"W{i:02d}" for i in range(n)], 12),
        "month": np.tile(pd.date_range("2025-01-01", periods=12, freq="MS"), n),
        "falls": rng.poisson(5, 12 * n).astype(float),
    })


def test_repr_html_has_summary_icons_and_chart(capsys: pytest.CaptureFixture[str]) -> None:
    res = qi.spc(wards(3), y="falls", x="month", by="ward", chart="i", direction="decrease", target=6.0)
    before = plt.get_fignums()
    html = res._repr_html_()
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""  # nothing printed
    assert plt.get_fignums() == before  # no figure left open (it would show twice in Jupyter)
    assert html.startswith('<div class="qiscope"><style>')
    rows = table_rows(html)
    assert rows[0][:3] == ["ward", "phase", "x_start"]
    assert [r[0] for r in rows[1:]] == ["W00", "W01", "W02"]
    # One variation and one assurance icon per series, with the meaning in words.
    assert html.count('class="qiscope-icon"') == 6
    for variation in res.summary["variation"]:
        assert qi.report.icons.VARIATION_TEXT[variation] in html
    assert html.count("<svg") == 6 + 1  # the icons and one chart
    assert "I chart (XmR) · rules: anhoej · improvement: decrease · 3 series · 36 points" in html


def test_repr_html_of_many_series_is_bounded() -> None:
    res = qi.spc(wards(15), y="falls", x="month", by="ward", chart="i")
    html = res._repr_html_()
    assert "The chart shows the first 12 of 15 series" in html
    chart = html[html.index('<div class="chart">'):]
    assert all(f"W{i:02d}" in chart for i in range(12)) and "W12" not in chart


def test_repr_html_escapes_labels() -> None:
    data = wards(1).assign(ward="<script>alert(1)</script>")
    html = qi.spc(data, y="falls", x="month", by="ward", chart="i")._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_result_without_by() -> None:
    html = qi.spc(y=[5, 3, 4, 6, 2, 5, 4, 3, 6, 5, 4], chart="i")._repr_html_()
    rows = table_rows(html)
    assert rows[0][0] == "phase" and len(rows) == 2
    assert rows[1][rows[0].index("cl")] == "4.273"  # 4.272727... to 4 significant digits


def test_table_formats_and_sorts() -> None:
    frame = pd.DataFrame({
        "unit": ["a&b", "c"],
        "when": pd.to_datetime(["2025-04-01", "2025-05-01 08:30"], format="ISO8601"),
        "beds": [91840.0, 12.3456],
        "ok": [True, False],
        "variation": ["concern_high", None],
    })
    html = icon_table(frame, sortable=True, table_id="t")
    rows = table_rows(html)
    assert rows[0] == ["unit", "when", "beds", "ok", "variation"]
    assert rows[1][:4] == ["a&b", "2025-04-01", "91,840", "yes"]
    assert rows[2][:4] == ["c", "2025-05-01 08:30", "12.35", "no"]
    assert 'class="qiscope-table sortable" id="t"' in html
    assert '<td class="icon" data-sort="0"><svg' in html  # concern sorts first
    assert '<td class="icon" data-sort="9"></td>' in html  # no icon, sorted last
    assert "a&amp;b" in html


def test_table_max_rows() -> None:
    html = qh.table(pd.DataFrame({"x": range(10)}), max_rows=3)
    assert len(table_rows(html)) == 4 and "… 7 more rows" in html


def test_page_is_self_contained() -> None:
    page = qh.page("T & co", qh.block("<p>hi</p>", title="Head", css=False))
    assert page.startswith("<!DOCTYPE html>") and "<title>T &amp; co</title>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "@import" not in page and "url(http" not in page


def test_figure_svg_is_deterministic_and_closes() -> None:
    res = qi.spc(y=[5, 3, 4, 6, 2, 5, 4, 3, 6, 5, 4], chart="i")
    before = plt.get_fignums()
    one = qh.figure_svg(res.plot().figure)
    two = qh.figure_svg(res.plot().figure)
    assert one == two
    assert plt.get_fignums() == before  # the pyplot figures were closed
    assert one.startswith('<div class="chart"><svg') and "I chart (XmR)" in one  # text stays text
