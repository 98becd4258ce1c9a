"""The board report and the command line: one spc call per configuration, the same numbers as
computing each indicator alone, a page that shows every indicator, and clear errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qiscope as qi
import qiscope.report.board as board_module
from qiscope.cli import main
from qiscope.datasets import board_indicators

CONFIG = ["chart", "direction", "multiply"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return board_indicators()


@pytest.fixture(scope="module")
def report(data: pd.DataFrame) -> qi.report.BoardReport:
    return qi.report.board_report(data, date="month", value="numerator", title="Board")


def test_one_spc_call_per_configuration(data: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict] = []
    real = board_module.spc

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(board_module, "spc", counting)
    qi.report.board_report(data, date="month", value="numerator")
    # Independent count: distinct (chart, multiply, has a denominator) per indicator; each
    # indicator's direction goes with it in the same call.
    per_indicator = data.groupby("indicator", sort=False).agg(
        chart=("chart", "first"), direction=("direction", "first"), multiply=("multiply", "first"),
        has_n=("denominator", lambda s: s.notna().any()))
    expected = len(per_indicator[["chart", "multiply", "has_n"]].drop_duplicates())
    assert len(calls) == expected < data["indicator"].nunique()
    assert all(c["by"] == "indicator" for c in calls)
    mixed = [c["direction"] for c in calls if isinstance(c["direction"], dict)]
    assert mixed and all(len(set(d.values())) > 1 for d in mixed)  # the demo board mixes directions


def test_table_equals_each_indicator_computed_alone(data: pd.DataFrame, report) -> None:
    table = report.table.set_index("indicator")
    assert list(table.index) == list(pd.unique(data["indicator"]))  # the data's order
    for name, rows in data.groupby("indicator", sort=False):
        first = rows.iloc[0]
        has_n = rows["denominator"].notna().any()
        alone = qi.spc(rows, y="numerator", n="denominator" if has_n else None, x="month", chart=first["chart"],
                       direction=first["direction"], multiply=first["multiply"], part="phase",
                       target=None if pd.isna(first["target"]) else float(first["target"]),
                       rules="mdc" if first["chart"] != "run" else "anhoej")  # the report's defaults
        last = alone.points[alone.points["value"].notna()].iloc[-1]
        got = table.loc[name]
        assert got["direction"] == first["direction"]
        assert got["latest"] == last["x"]
        for col in ("value", "cl", "lcl", "ucl"):
            assert got[col] == last[col], (name, col)  # same computation: bit for bit
        assert (pd.isna(got["target"]) and pd.isna(first["target"])) or got["target"] == first["target"]
        summary = alone.summary.iloc[-1]
        assert got["variation"] == summary["variation"]
        assert (pd.isna(got["assurance"]) and pd.isna(summary["assurance"])) or got["assurance"] == summary["assurance"]


def test_demo_data_tells_varied_stories(report) -> None:
    """The stories of board_indicators' docstring, as the report reads them (Making Data Count rules)."""
    assert {r.spec["rules"] for r in report.results} == {"mdc"}
    variation = set(report.table["variation"])
    assert {"common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
            "neutral_high"} <= variation
    assert {"pass", "fail", "hit_and_miss"} <= set(report.table["assurance"].dropna())
    icons = report.table.set_index("indicator")[["variation", "assurance"]]
    stories = {
        "C. difficile infections per 10,000 bed days": ("improvement_low", None),
        "Pressure ulcers (category 2+) per 1,000 bed days": ("concern_high", "hit_and_miss"),
        "Medication incidents reported per 1,000 bed days": ("neutral_high", None),
        "Sepsis: antibiotics within 1 hour (%)": ("common_cause", "pass"),
        "Cancer: treated within 62 days (%)": ("concern_low", "fail"),
        "Referral to treatment within 18 weeks (%)": ("common_cause", "fail"),
        "Emergency readmissions within 30 days (%)": ("common_cause", "pass"),
        "A&E: seen within 4 hours (%)": ("improvement_high", "fail"),
        "Diagnostic tests waiting over 6 weeks (%)": ("improvement_low", "fail"),
        "Staff sickness absence (%)": ("concern_high", "hit_and_miss"),
        "Inpatient falls per 1,000 bed days": ("common_cause", "hit_and_miss"),
        "Complaints received": ("common_cause", None),
    }
    for name, (variation_icon, assurance_icon) in stories.items():
        got = icons.loc[name]
        assert got["variation"] == variation_icon, name
        assert (pd.isna(got["assurance"]) and assurance_icon is None) or got["assurance"] == assurance_icon, name
    # Length of stay: one unusual month (31 of 36), beyond the limits, and common cause since.
    los = report.result("Mean length of stay (days)").points
    los = los[los["indicator"] == "Mean length of stay (days)"]
    assert los["special_cause"].to_numpy().nonzero()[0].tolist() == [30]
    assert los["sigma_signal"].iloc[30]


def test_rules_default_to_making_data_count_for_control_charts() -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)] * 2
    # The last 7 months of indicator "a" sit above its mean (4.25): a Making Data Count shift.
    values = np.r_[[3.0, 2, 3, 2, 3, 5, 6, 5, 6, 5, 6, 5], np.arange(12.0)]
    data = pd.DataFrame({"indicator": ["a"] * 12 + ["b"] * 12, "date": months, "value": values,
                         "chart": ["i"] * 12 + ["run"] * 12})
    rep = qi.report.board_report(data)
    assert rep.result("a").spec["rules"] == "mdc" and rep.result("b").spec["rules"] == "anhoej"
    a = rep.table.set_index("indicator").loc["a"]
    mdc = qi.spc(data[data["indicator"] == "a"], y="value", x="date", chart="i", rules="mdc")
    assert a["variation"] == mdc.summary["variation"].iloc[0] == "neutral_high"
    assert mdc.signal_rules().iloc[-7:].str.contains("shift").all()
    # A profile brings its own rules; rules= applies to every chart (a run chart takes anhoej or ihi).
    assert qi.report.board_report(data, profile="qcc").result("a").spec["rules"] == "western_electric"
    assert qi.report.board_report(data, profile="qicharts2").result("a").spec["rules"] == "anhoej"
    assert {r.spec["rules"] for r in qi.report.board_report(data, rules="ihi").results} == {"ihi"}
    with pytest.raises(qi.InputError, match="need control limits, which a run chart has not"):
        qi.report.board_report(data, rules="nelson")


def test_demo_page_shows_every_indicator(demo_report: Path, data: pd.DataFrame) -> None:
    page = demo_report.read_text(encoding="utf-8")
    names = list(pd.unique(data["indicator"]))
    summary = page[page.index('<table class="qiscope-table sortable" id="summary">'):page.index("</table>")]
    assert summary.count("<tr>") == len(names) + 1
    for k, name in enumerate(names, start=1):
        escaped = name.replace("&", "&amp;")
        assert f'<a href="#indicator-{k}">{escaped}</a>' in summary
        assert f'<section id="indicator-{k}"><h2>{escaped}</h2><div class="chart"><svg' in page
    assert page.count("<section") == len(names)
    assert "simulated" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched at view time
    assert "@media print" in page


def test_phase_column_rebases(report) -> None:
    sepsis = report.result("Sepsis: antibiotics within 1 hour (%)").summary
    sepsis = sepsis[sepsis["indicator"] == "Sepsis: antibiotics within 1 hour (%)"]
    assert sepsis["phase_name"].tolist() == ["before", "new sepsis pathway"]
    assert sepsis["x_start"].iloc[1] == pd.Timestamp("2024-08-01")  # month 16 of the series
    row = report.table.set_index("indicator").loc["Sepsis: antibiotics within 1 hour (%)"]
    assert row["cl"] == sepsis["cl"].iloc[1]  # the table reads the latest phase
    assert row["assurance"] == "pass" and row["lcl"] > row["target"]


def test_plot_and_result_of_one_indicator(report) -> None:
    name = "Inpatient falls per 1,000 bed days"
    axes = report.plot(name)
    assert axes.shape == (1, 1) and axes[0, 0].get_title(loc="left").startswith(name)
    assert name in report.result(name).summary["indicator"].tolist()
    with pytest.raises(qi.InputError, match="no indicator 'Nope'"):
        report.result("Nope")
    assert report._repr_html_().count('class="qiscope-icon"') == report.table[["variation", "assurance"]].notna().sum().sum()


def test_defaults_constants_and_overrides() -> None:
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    data = pd.DataFrame({"indicator": ["a"] * 12 + ["b"] * 12, "date": months * 2,
                         "value": np.r_[np.arange(12.0), np.arange(12.0)[::-1]]})
    rep = qi.report.board_report(data)  # every column at its default name
    assert rep.table["chart"].tolist() == ["i", "i"]
    assert rep.table["direction"].tolist() == ["neutral", "neutral"]
    rep = qi.report.board_report(data, chart="run", direction="increase", target=5, multiply=2)
    assert rep.table["chart"].tolist() == ["run", "run"]
    assert rep.table["target"].tolist() == [5.0, 5.0]
    assert rep.table["value"].tolist() == [22.0, 0.0]  # the last values, times 2


def test_errors_name_what_to_fix(data: pd.DataFrame) -> None:
    with pytest.raises(qi.InputError, match=r"column 'date' \(the date\) is not in the data"):
        qi.report.board_report(data, value="numerator")
    bad = data.copy()
    bad.loc[5, "direction"] = "increase"  # the first indicator's direction changes at row 5
    with pytest.raises(qi.InputError, match="direction changes at row 5") as err:
        qi.report.board_report(bad, date="month", value="numerator")
    assert err.value.row == 5
    with pytest.raises(qi.InputError, match=r"'upwards' is not a valid direction"):
        qi.report.board_report(data, date="month", value="numerator", direction="upwards")
    with pytest.raises(qi.InputError, match="neither a column of the data nor a number"):
        qi.report.board_report(data, date="month", value="numerator", target="goal")
    with pytest.raises(qi.InputError, match="unknown value 'pie'"):
        qi.report.board_report(data, date="month", value="numerator", chart="pie")


# -- command line --------------------------------------------------------------------------------
THREE = ["Inpatient falls per 1,000 bed days", "A&E: seen within 4 hours (%)", "Mean length of stay (days)"]


@pytest.fixture(scope="module")
def small(data: pd.DataFrame) -> pd.DataFrame:
    """Three indicators (three configurations) in the command line's default column names."""
    return data[data["indicator"].isin(THREE)].rename(columns={"month": "date", "numerator": "value"})


@pytest.fixture(scope="module")
def csv_input(tmp_path_factory: pytest.TempPathFactory, small: pd.DataFrame) -> Path:
    path = tmp_path_factory.mktemp("cli") / "ipr.csv"
    small.to_csv(path, index=False)
    return path


def test_cli_report_from_csv(csv_input: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(csv_input), "-o", str(out), "--title", "Trust board"]) == 0
    assert f"wrote {out} (3 indicators)" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "<title>Trust board</title>" in page
    assert all(name.replace("&", "&amp;") in page for name in THREE)
    assert "data to 2026-03-01" in page  # ISO text dates from the CSV were read as dates


def test_cli_report_from_parquet_with_flags(tmp_path: Path, small: pd.DataFrame) -> None:
    pytest.importorskip("pyarrow")
    src = tmp_path / "ipr.parquet"
    small.rename(columns={"indicator": "kpi", "value": "num", "date": "month"}).to_parquet(src)
    out = tmp_path / "r.html"
    assert main(["report", str(src), "--indicator", "kpi", "--date", "month", "--value", "num",
                 "--chart", "run", "--direction", "increase", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("Run chart") >= 3 and page.count("<td>increase</td>") == 3


def test_cli_rules_and_profile(csv_input: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(csv_input), "-o", str(out)]) == 0
    assert "rules: mdc." in out.read_text(encoding="utf-8")
    assert main(["report", str(csv_input), "--rules", "anhoej", "-o", str(out)]) == 0
    assert "rules: anhoej." in out.read_text(encoding="utf-8")
    assert main(["report", str(csv_input), "--profile", "ptd", "-o", str(out)]) == 0
    assert "rules: mdc." in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["spc", str(csv_input), "--value", "value", "--date", "date", "--by", "indicator", "--chart", "i",
                 "--rules", "mdc", "--direction", "increase", "--target", "80", "--json"]) == 0
    back = qi.SPCResult.from_json(capsys.readouterr().out)
    assert (back.spec["rules"], back.spec["direction"], back.spec["target"]) == ("mdc", "increase", 80.0)
    assert main(["spc", str(csv_input), "--value", "value", "--rules", "mdc"]) == 2  # a run chart by default
    assert "need control limits" in capsys.readouterr().err


def test_cli_errors_go_to_stderr(csv_input: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(csv_input), "--value", "nothing", "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qiscope: column 'nothing' (the value) is not in the data")
    assert main(["report", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_as_a_process(csv_input: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    run = subprocess.run([sys.executable, "-m", "qiscope.cli", "report", str(csv_input), "-o", str(out)],
                         capture_output=True, text=True, check=True, env={"MPLBACKEND": "Agg", "PATH": ""})
    assert "3 indicators" in run.stdout and run.stderr == ""
    assert out.read_text(encoding="utf-8").count("<section") == 3


def test_sections_equal_each_indicator_reported_alone(data: pd.DataFrame, report) -> None:
    """One call for indicators of mixed directions draws every indicator's section exactly as a
    report of that indicator alone (one call, one direction) does."""
    def sections(rep: qi.report.BoardReport) -> list[str]:
        return [re.sub(r'id="indicator-\d+"', "", s) for s in rep._sections()]

    got = sections(report)
    for k, (name, rows) in enumerate(data.groupby("indicator", sort=False)):
        alone = qi.report.board_report(rows, date="month", value="numerator", title="Board")
        assert sections(alone) == [got[k]], name
        pd.testing.assert_frame_equal(alone.table, report.table.iloc[[k]].reset_index(drop=True), check_exact=True)
