"""qiscope against the Python SPC packages on PyPI, on the same data in the same run.

Never part of `make test`; `make bench` runs it after creating build/peers, a virtual
environment that holds the peers (so they never enter the test environment):

    python benchmarks/bench_peers.py --peers-python build/peers/bin/python

The data are made once (fixed seed) and saved under build/bench; every tool then runs in its
own subprocess (its own peak memory), qiscope and the plain pandas/numpy XmR with this Python,
the peers with the peers' Python. qiscope and the pandas XmR take the best of 5 calls; peers
that work one series per call run series after series
until a time budget is spent; their time is then scaled to all the series (marked "~"), which
is generous to them (no slowdown from memory growth is counted).

Peers (those that install from PyPI and compute charts from data):
  clinical-qikit  qic(..., facets=) - computes without drawing
  pyqicharts      qic(...)          - one series per call; always draws a matplotlib figure
  pyshewhart      XbarSControlChart - X-bar/S only, fixed subgroup size; always draws
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE.parent / "build" / "bench"
REPEAT = 5  # qiscope and the pandas XmR: best of REPEAT calls
BUDGET_SECONDS = float(os.environ.get("QISCOPE_BENCH_BUDGET", "20"))

# name: (chart, series, points per series, rows per point)
CASES = {
    "i_1000x60": ("i", 1_000, 60, 1),
    "p_1000x60": ("p", 1_000, 60, 1),
    "xbar_200x30x5": ("xbar", 200, 30, 5),
    "i_1x100000": ("i", 1, 100_000, 1),
}

TOOLS = ["qiscope", "pandas_xmr", "clinical-qikit", "pyqicharts", "pyshewhart"]
PEERS = {"clinical-qikit", "pyqicharts", "pyshewhart"}


def make_data(case: str) -> Path:
    chart, series, points, per_point = CASES[case]
    path = DATA_DIR / f"{case}.npz"
    if path.exists():
        return path
    rng = np.random.default_rng(20240601)
    rows = series * points * per_point
    by = np.repeat(np.arange(series, dtype=np.int64), points * per_point)
    x = np.tile(np.repeat(np.arange(points, dtype=np.int64), per_point), series)
    n = rng.integers(50, 500, rows).astype(np.float64)
    y = rng.binomial(n.astype(np.int64), 0.2).astype(np.float64) if chart == "p" else rng.normal(100, 10, rows)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    np.savez(path, by=by, x=x, y=y, n=n)
    return path


# -- the tools --------------------------------------------------------------------------------
# Each returns (seconds, series computed, first series' [cl, lcl, ucl] at its first point).

def run_qiscope(chart: str, d: dict[str, np.ndarray], series: int) -> tuple[float, int, list[float]]:
    import qiscope as qi

    kw = dict(y=d["y"], x=d["x"], by=d["by"] if series > 1 else None, chart=chart, profile="qicharts2")
    if chart == "p":
        kw["n"] = d["n"]
    qi.spc(**{**kw, "y": kw["y"][:1000], "x": kw["x"][:1000], "by": None,
              **({"n": kw["n"][:1000]} if chart == "p" else {})})  # warm-up
    seconds = float("inf")
    for _ in range(REPEAT):  # best of a few: a single fast call is at the mercy of the machine's load
        t0 = time.perf_counter()
        res = qi.spc(**kw)
        seconds = min(seconds, time.perf_counter() - t0)
    first = res.points.iloc[0]
    return seconds, series, [float(first.cl), float(first.lcl), float(first.ucl)]


def run_pandas_xmr(chart: str, d: dict[str, np.ndarray], series: int) -> tuple[float, int, list[float]]:
    """A plain pandas/numpy XmR (I chart), written for this comparison with qicharts2's
    conventions: per-series mean; mean moving range after dropping, once, ranges of at least
    3.267 x their mean; limits mean +- 3 MRbar / 1.128; points beyond them. No runs analysis,
    no summary table."""
    if chart != "i":
        raise NotImplementedError
    seconds = float("inf")
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        frame = _pandas_xmr(d)
        seconds = min(seconds, time.perf_counter() - t0)
    first = frame.iloc[0]
    return seconds, series, [float(first.cl), float(first.lcl), float(first.ucl)]


def _pandas_xmr(d: dict[str, np.ndarray]) -> Any:
    import pandas as pd

    frame = pd.DataFrame({"by": d["by"], "x": d["x"], "y": d["y"]}).sort_values(["by", "x"], kind="stable")
    groups = frame.groupby("by", sort=True)["y"]
    mr = groups.diff().abs()
    cl = groups.transform("mean")
    mr_bar = mr.groupby(frame["by"]).transform("mean")
    screened = mr.where(mr < 3.267 * mr_bar)
    sigma = screened.groupby(frame["by"]).transform("mean") / 1.128
    frame["cl"], frame["lcl"], frame["ucl"] = cl, cl - 3 * sigma, cl + 3 * sigma
    frame["signal"] = (frame["y"] > frame["ucl"]) | (frame["y"] < frame["lcl"])
    return frame


def _per_series(d: dict[str, np.ndarray], series: int, one: object) -> tuple[float, int, list[float]]:
    """Calls one(rows) for series after series until the time budget is spent."""
    bounds = np.searchsorted(d["by"], np.arange(series + 1))
    t0 = time.perf_counter()
    done, limits = 0, [float("nan")] * 3
    for s in range(series):
        out = one(slice(bounds[s], bounds[s + 1]))  # type: ignore[operator]
        if s == 0:
            limits = out
        done += 1
        if time.perf_counter() - t0 > BUDGET_SECONDS:
            break
    return time.perf_counter() - t0, done, limits


def run_clinical_qikit(chart: str, d: dict[str, np.ndarray], series: int) -> tuple[float, int, list[float]]:
    import pandas as pd
    from qikit import qic

    frame = pd.DataFrame({"by": d["by"], "x": d["x"], "y": d["y"], "n": d["n"]})
    kw = dict(x="x", y="y", chart=chart, n="n" if chart == "p" else None)
    if series == 1:
        t0 = time.perf_counter()
        res = qic(data=frame, **kw)
        row = res.data.iloc[0]
        return time.perf_counter() - t0, 1, [float(row.cl), float(row.lcl), float(row.ucl)]

    def one(rows: slice) -> list[float]:
        row = qic(data=frame.iloc[rows], **kw).data.iloc[0]
        return [float(row.cl), float(row.lcl), float(row.ucl)]

    # facets= would compute all series in one call, but measured slower than one call per
    # series (0.24 s against 0.04 s for 20 series), so the faster way is timed.
    return _per_series(d, series, one)


def run_pyqicharts(chart: str, d: dict[str, np.ndarray], series: int) -> tuple[float, int, list[float]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from pyqicharts import qic

    frame = pd.DataFrame({"by": d["by"], "x": d["x"], "y": d["y"], "n": d["n"]})
    kw = dict(x="x", y="y", chart=chart, denominator="n" if chart == "p" else None)

    def one(rows: slice) -> list[float]:
        res = qic(frame.iloc[rows], **kw)
        plt.close(res.figure)
        return [float(np.atleast_1d(v)[0]) if v is not None else float("nan")
                for v in (res.centre, res.lcl, res.ucl)]

    return _per_series(d, series, one)


def run_pyshewhart(chart: str, d: dict[str, np.ndarray], series: int) -> tuple[float, int, list[float]]:
    if chart != "xbar":
        raise NotImplementedError
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from pyshewhart import XbarS

    per_point = int(np.sum((d["by"] == 0) & (d["x"] == 0)))

    def one(rows: slice) -> list[float]:
        chart_ = XbarS(list(d["y"][rows]), sample_size=per_point)
        plt.close("all")
        rec = chart_.record
        return [float(rec.mean_of_means), float("nan"), float("nan")]

    return _per_series(d, series, one)


RUNNERS = {
    "qiscope": run_qiscope, "pandas_xmr": run_pandas_xmr, "clinical-qikit": run_clinical_qikit,
    "pyqicharts": run_pyqicharts, "pyshewhart": run_pyshewhart,
}


def child(tool: str, case: str) -> dict[str, object]:
    import resource

    chart, series, points, per_point = CASES[case]
    with np.load(DATA_DIR / f"{case}.npz") as f:
        d = {k: f[k] for k in f.files}
    try:
        seconds, done, limits = RUNNERS[tool](chart, d, series)
    except NotImplementedError:
        return {"tool": tool, "case": case, "supported": False}
    scale = series / done
    return {
        "tool": tool, "case": case, "supported": True, "seconds": seconds * scale, "extrapolated": done < series,
        "series_done": done, "points_per_s": done * points / seconds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "limits": limits,
    }


def version_of(python: str, dist: str) -> str:
    out = subprocess.run([python, "-c", f"import importlib.metadata as m; print(m.version({dist!r}))"],
                         capture_output=True, text=True)
    return out.stdout.strip() or "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers-python", default=str(HERE.parent / "build" / "peers" / "bin" / "python"))
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--child", nargs=2, metavar=("TOOL", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    have_peers = Path(args.peers_python).exists()
    print(f"peers' Python: {args.peers_python}" + ("" if have_peers else " (missing: peers skipped)"))
    for dist in sorted(PEERS):
        print(f"  {dist} {version_of(args.peers_python, dist) if have_peers else '-'}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print()
    header = (f"{'case':<15} {'tool':<15} {'seconds':>10} {'points/s':>12} {'peak MiB':>9} "
              f"{'x qiscope':>10}  {'first cl / lcl / ucl (qicharts2 conventions)'}")
    print(header)
    print("-" * len(header))
    for case in args.cases:
        make_data(case)
        qiscope_seconds = None
        for tool in TOOLS:
            python = args.peers_python if tool in PEERS else sys.executable
            if tool in PEERS and not have_peers:
                continue
            out = subprocess.run([python, __file__, "--child", tool, case], capture_output=True, text=True,
                                 env={**os.environ, "MPLBACKEND": "Agg"})
            if out.returncode != 0:
                last = (out.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{case:<15} {tool:<15} failed: {last[:90]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            if not r["supported"]:
                print(f"{case:<15} {tool:<15} {'(chart not offered)':>10}")
                continue
            if tool == "qiscope":
                qiscope_seconds = r["seconds"]
            ratio = r["seconds"] / qiscope_seconds if qiscope_seconds else float("nan")
            mark = "~" if r["extrapolated"] else " "
            limits = " / ".join(f"{v:.6g}" for v in r["limits"])
            print(f"{case:<15} {tool:<15} {mark}{r['seconds']:>9.4f} {r['points_per_s']:>12,.0f} "
                  f"{r['peak_rss_mib']:>9.0f} {ratio:>10.1f}  {limits}")
    print()
    print("~ : the peer ran series after series for", BUDGET_SECONDS, "s; its time is scaled to all series.")
    print("x qiscope: the tool's time divided by qiscope's (higher is slower than qiscope).")


if __name__ == "__main__":
    main()
