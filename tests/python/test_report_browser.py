"""The demo report in a real browser (headless Chromium): it loads with no console errors, its
script runs, every indicator is on the page, and a screenshot is kept in build/test-artifacts.

Chromium is installed by ``make test`` when it runs as root (Debian package ``chromium``); without
it these tests are skipped with that reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import ARTIFACTS

from qiscope.datasets import board_indicators

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (make test installs the Debian package 'chromium' when run as "
           "root; otherwise: sudo apt-get install chromium)",
)
# What Chromium writes to stderr for console messages and uncaught errors with --enable-logging.
CONSOLE = re.compile(r":CONSOLE[:(]")


def chromium(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on a local page; no network is needed or used."""
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0", *args,
         page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


def test_console_errors_are_detected(tmp_path: Path) -> None:
    """The check itself works: a page with an error is caught (so a clean run means clean)."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>")
    run = chromium(page, "--dump-dom")
    assert any("undefinedFunction" in line for line in console_lines(run.stderr)), run.stderr[-2000:]


def test_demo_report_loads_cleanly(demo_report: Path) -> None:
    run = chromium(demo_report, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_lines(run.stderr) == []
    dom = run.stdout
    assert 'data-qiscope-ready="1"' in dom  # the page's script ran to its end
    names = pd.unique(board_indicators()["indicator"])
    summary = dom[dom.index('id="summary"'):dom.index("</table>")]
    for name in names:
        escaped = name.replace("&", "&amp;")
        assert escaped in summary
        assert f"<h2>{escaped}</h2>" in dom
    assert dom.count("<section") == len(names)
    assert dom.count('tabindex="0"') == 11  # every summary heading sortable by keyboard too


def test_demo_report_screenshot(demo_report: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "demo-report.png"
    shot.unlink(missing_ok=True)
    run = chromium(demo_report, f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars")
    assert console_lines(run.stderr) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a real, non-blank page


def test_summary_sorts_in_the_browser(tmp_path: Path) -> None:
    """Click the Variation heading (twice) and read the order the page's own script produced."""
    from qiscope.report import html as qh
    from qiscope.report import icon_table

    frame = pd.DataFrame({"name": ["a", "b", "c", "d"], "value": [10.0, 9.5, 100.0, None],
                          "variation": ["improvement_high", "concern_low", "common_cause", None]})
    clicks = """<script>
      var th = document.querySelectorAll('#t th');
      function order() { return Array.prototype.map.call(document.querySelectorAll('#t tbody tr'),
                                                         function (r) { return r.cells[0].textContent; }).join(''); }
      th[2].click(); document.body.setAttribute('data-by-variation', order());
      th[1].click(); document.body.setAttribute('data-by-value', order());
      th[1].click(); document.body.setAttribute('data-by-value-desc', order());
    </script></body>"""
    page = tmp_path / "sort.html"
    page.write_text(qh.page("sort", icon_table(frame, sortable=True, table_id="t")).replace("</body>", clicks))
    run = chromium(page, "--dump-dom")
    assert console_lines(run.stderr) == []
    assert 'data-by-variation="bcad"' in run.stdout  # concern first, no icon last
    assert 'data-by-value="bacd"' in run.stdout  # numbers as numbers (9.5 < 10 < 100)
    assert 'data-by-value-desc="cabd"' in run.stdout  # empty cells stay last


def test_demo_report_prints(demo_report: Path) -> None:
    pdf = ARTIFACTS / "demo-report.pdf"
    pdf.unlink(missing_ok=True)
    run = chromium(demo_report, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert console_lines(run.stderr) == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 16 // 3  # the summary, then the indicators a few to a page
