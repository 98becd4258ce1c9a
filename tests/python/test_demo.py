"""The main job: `qiscope demo` writes a self-contained HTML report."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from qiscope.cli import main
from qiscope.datasets import ae_providers, board_indicators, demo_indicators


def test_demo_data_is_reproducible() -> None:
    a, b = demo_indicators(), demo_indicators()
    assert a.equals(b)
    assert a["indicator"].nunique() == 4 and len(a) == 4 * 36


def test_ae_providers_is_reproducible_and_documented() -> None:
    a, b = ae_providers(), ae_providers()
    assert a.equals(b) and a.attrs == b.attrs
    assert len(a) == 134 and a["provider"].is_unique
    assert (a["breaches"] <= a["attendances"]).all() and (a["attendances"] >= 1500).all()
    # Shaped like the public data its docstring cites: median size near 9,400, about 18% breached.
    assert 8000 < a["attendances"].median() < 11000
    assert 0.15 < a["breaches"].sum() / a["attendances"].sum() < 0.22
    assert len(a.attrs["planted"]) == 4 and set(a.attrs["planted"]) <= set(a["provider"])
    assert not ae_providers(seed=1).equals(a)


def test_demo_writes_a_self_contained_report(demo_report: Path) -> None:
    page = demo_report.read_text()  # written by `qiscope demo` (conftest.py)
    assert page.startswith("<!DOCTYPE html>")
    names = board_indicators()["indicator"].unique()
    assert page.count("<section") == len(names)  # one chart per indicator (plus icons)
    # Nothing is fetched at view time.
    assert not re.search(r"(src|href)=\"https?://", page)
    for name in names:
        assert name.replace("&", "&amp;") in page


def test_spc_command_prints_json(tmp_path: Path, capsys) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("month,count\n" + "\n".join(f"2024-{m:02d}-01,{v}" for m, v in
                                              zip(range(1, 13), np.arange(12) % 5, strict=True)))
    assert main(["spc", str(csv), "--value", "count", "--date", "month", "--chart", "i", "--json"]) == 0
    assert '"format": "qiscope.SPCResult"' in capsys.readouterr().out
    assert main(["spc", str(csv), "--value", "nope"]) == 2
