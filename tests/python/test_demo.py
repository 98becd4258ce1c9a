"""The main job: `qiscope demo` writes a self-contained HTML report."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from qiscope.cli import main
from qiscope.datasets import demo_indicators


def test_demo_data_is_reproducible() -> None:
    a, b = demo_indicators(), demo_indicators()
    assert a.equals(b)
    assert a["indicator"].nunique() == 4 and len(a) == 4 * 36


def test_demo_writes_a_self_contained_report(tmp_path: Path) -> None:
    out = tmp_path / "demo.html"
    assert main(["demo", "-o", str(out)]) == 0
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") >= 8  # eight charts plus icons
    # Nothing is fetched at view time.
    assert not re.search(r"(src|href)=\"https?://", page)
    for name in demo_indicators()["indicator"].unique():
        assert name.replace("&", "&amp;") in page


def test_spc_command_prints_json(tmp_path: Path, capsys) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("month,count\n" + "\n".join(f"2024-{m:02d}-01,{v}" for m, v in
                                              zip(range(1, 13), np.arange(12) % 5, strict=True)))
    assert main(["spc", str(csv), "--value", "count", "--date", "month", "--chart", "i", "--json"]) == 0
    assert '"format": "qiscope.SPCResult"' in capsys.readouterr().out
    assert main(["spc", str(csv), "--value", "nope"]) == 2
