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


# -- funnel and culture results ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return qi.culture.example_survey()


def shows_quietly(result, capsys: pytest.CaptureFixture[str]) -> str:
    """The result's Jupyter HTML, checking that making it printed nothing and left no figure open."""
    before = plt.get_fignums()
    html = result._repr_html_()
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert plt.get_fignums() == before
    assert html.startswith('<div class="qiscope"><style>')
    return html


def test_funnel_display(capsys: pytest.CaptureFixture[str]) -> None:
    units = pd.DataFrame({"trust": ["A", "B", "C", "D", "E"], "deaths": [12.0, 30, 7, 45, 60],
                          "cases": [100.0, 240, 80, 300, 250]})
    f = qi.funnel(units, y="deaths", n="cases", by="trust")
    html = shows_quietly(f, capsys)
    rows = table_rows(html)
    assert rows[0][:3] == ["kind", "units", "target"]
    assert rows[1][:3] == ["proportion", "5", qh.fmt(f.target)]
    outliers = f.points.loc[f.points["outlier"], "trust"].tolist()
    assert outliers and all(f"<td>{name}</td>" in html for name in outliers)
    assert html.count("<svg") == 1


def test_score_table_display_is_a_grid_of_units_and_composites(survey, capsys) -> None:
    table = qi.culture.score(survey, "sops-hospital-2.0", unit="unit")
    assert isinstance(table, pd.DataFrame) and isinstance(table, qi.culture.ScoreTable)
    assert type(table[table["kind"] == "item"]) is pd.DataFrame  # derived frames are plain
    html = shows_quietly(table, capsys)
    assert "Percent positive · sops-hospital-2.0 · 324 respondents" in html
    rows = table_rows(html)
    composites = list(pd.unique(table.loc[table["kind"] == "composite", "measure"]))
    assert rows[0] == ["unit", "respondents", *(c.replace("_", " ") for c in composites)]
    assert [r[0] for r in rows[1:]] == ["all respondents", *table["unit"].cat.categories]
    # Every cell is the table's percent positive to one decimal, or "withheld".
    cells = table[table["kind"] == "composite"]
    cells = cells.assign(unit=cells["unit"].astype(object).fillna("all respondents")).set_index(["unit", "measure"])
    for row in rows[1:]:
        for measure, shown in zip(composites, row[2:], strict=True):
            unit = row[0]
            cell = cells.loc[(unit, measure)]
            assert shown == ("withheld" if cell["suppressed"] else f"{cell['percent_positive']:.1f}"), (unit, measure)
    stroke = next(r for r in rows if r[0] == "Stroke")
    assert set(stroke[2:]) == {"withheld"}


def test_score_table_display_without_units(survey, capsys) -> None:
    table = qi.culture.score(survey, "sops-hospital-2.0", unit=None)
    rows = table_rows(shows_quietly(table, capsys))
    assert rows[0][:4] == ["measure", "respondents", "answers", "% positive"]
    teamwork = table[(table["measure"] == "teamwork") & (table["kind"] == "composite")].iloc[0]
    row = next(r for r in rows if r[0] == "teamwork")
    assert row[3:6] == [f"{teamwork[c]:.1f}" for c in ("percent_positive", "ci_low", "ci_high")]


def test_reliability_and_agreement_display(survey, capsys) -> None:
    rel = qi.culture.reliability(survey, "sops-hospital-2.0", measure="teamwork")
    html = shows_quietly(rel, capsys)
    rows = table_rows(html)
    assert rows[1] == ["Cronbach's alpha (Feldt interval)", qh.fmt(rel.alpha), qh.fmt(rel.alpha_ci_low),
                       qh.fmt(rel.alpha_ci_high)]
    assert "95% CI low" in rows[0]
    assert all(item in html for item in rel.items["item"]) and "minres" in html
    withheld = qi.culture.reliability(survey, "sops-hospital-2.0", measure="teamwork", min_n=1000)
    assert "Withheld: " in shows_quietly(withheld, capsys)

    agr = qi.culture.agreement(survey, "sops-hospital-2.0", measure="teamwork", unit="unit")
    html = shows_quietly(agr, capsys)
    rows = table_rows(html)
    assert rows[1][:2] == ["ICC(1), mean group size", qh.fmt(agr.icc1)]
    assert rows[3][:2] == ["ICC(2)", qh.fmt(agr.icc2)]
    stroke = agr.units[agr.units["unit"] == "Stroke"].iloc[0]
    assert stroke["suppressed"] and "withheld: fewer answers than min_n" in html


def test_gap_display(survey, capsys) -> None:
    gap = qi.culture.gap(survey, "leader-vulnerability", unit="unit")
    assert isinstance(gap, qi.culture.GapTable)
    html = shows_quietly(gap, capsys)
    assert "Gap want_vulnerability − show_vulnerability (paired)" in html
    rows = table_rows(html)
    assert rows[1][0] == "all respondents" and rows[1][1] == str(gap["n"].iloc[0])
    assert rows[1][rows[0].index("p (t)")] == "< 0.0001"  # p < 1e-4 shown as a bound
    assert rows[1][rows[0].index("gap")] == qh.fmt(gap["diff"].iloc[0])
    assert "withheld: fewer answers than min_n" in html


def test_culture_display_escapes_labels(capsys) -> None:
    survey = qi.culture.example_survey()
    survey["unit"] = survey["unit"].astype(str).str.replace("Renal", "<b>Renal</b>")
    html = shows_quietly(qi.culture.score(survey, "sops-hospital-2.0", unit="unit"), capsys)
    assert "<b>Renal</b>" not in html and "&lt;b&gt;Renal&lt;/b&gt;" in html
