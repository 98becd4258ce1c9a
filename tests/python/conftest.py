"""Shared fixtures: where ../shared is, and how reference cases are read."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference"
DATA = SHARED / "data"
ARTIFACTS = REPO / "build" / "test-artifacts"  # kept after the run to look at (not committed)


def reference_cases(call: str, tool: str | None = None) -> list[dict]:
    """The cases of shared/reference/cases.json for `call` (and `tool`); [] without ../shared."""
    index = REFERENCE / "cases.json"
    if not index.exists():
        return []
    cases = json.loads(index.read_text())["cases"]
    return [c for c in cases if c.get("call") == call and (tool is None or c["tool"] == tool)]


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the pyplot figures a test opened (more than 20 open ones make matplotlib warn, and
    warnings are errors here)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def shared_data() -> Path:
    if not DATA.exists():
        pytest.skip("../shared/data is not beside this clone (it is in CI)")
    return DATA


requires_shared = pytest.mark.skipif(
    not REFERENCE.exists(), reason="../shared/reference is not beside this clone (CI always has it)"
)


@pytest.fixture(scope="session")
def demo_report() -> Path:
    """The demo board report, written once per run by ``qiscope demo`` into build/test-artifacts."""
    from qiscope.cli import main

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "demo-report.html"
    assert main(["demo", "-o", str(path)]) == 0
    return path
