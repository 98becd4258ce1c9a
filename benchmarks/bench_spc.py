"""Speed and memory of qi.spc on many series (never part of `make test`; run `make bench`).

Each case runs in a fresh subprocess. For each we report the wall time of the qi.spc call
(best of --repeat), points per second, the peak resident memory *during the call* (sampled
every 2 ms by a thread, since the C++ core releases the GIL) next to the size of the input
columns, and the ratio of the time to a floor measured in the same process: reading the same
input columns once with numpy (a sum over each).

    python benchmarks/bench_spc.py                    # the speed table and thread scaling
    python benchmarks/bench_spc.py --memory           # peak memory at 1e6 and 1e7 points
    python benchmarks/bench_spc.py --memory --big     # ... and one run at 1e8 points (lean, ~9 GB)
    python benchmarks/bench_spc.py --series 1000 --points 60 --chart u --threads 1
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

# (series, points per series, chart, rules)
CASES = [
    (1, 1_000_000, "i", "anhoej"),
    *[(s, 60, c, "anhoej") for c in ("i", "p", "u", "run") for s in (1_000, 10_000, 100_000)],
    (10_000, 60, "i", "ihi"),
]
THREAD_CASES = [(10_000, 60, "i", "anhoej"), (100_000, 60, "p", "anhoej"), (100_000, 60, "run", "anhoej")]
MEMORY_CASES = [(16_667, 60, "i", "anhoej"), (166_667, 60, "i", "anhoej")]
BIG_CASE = (1_666_667, 60, "i", "anhoej")


class PeakRSS:
    """The highest resident set size seen while the block runs (polled from /proc)."""

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def _rss(self) -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * self._page

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(self.interval)

    def __enter__(self) -> PeakRSS:
        self.before = self._rss()
        self.peak = self.before
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


def make_columns(series: int, points: int, chart: str) -> dict:
    import numpy as np

    rng = np.random.default_rng(42)
    total = series * points
    cols = {"y": None, "n": None, "by": None, "x": np.tile(np.arange(points, dtype=np.int64), series)}
    if series > 1:
        cols["by"] = np.repeat(np.arange(series, dtype=np.int64), points)
    if chart in ("p", "u"):
        n = rng.integers(50, 500, total).astype(np.float64)
        cols["n"] = n
        y = rng.binomial(n.astype(np.int64), 0.2) if chart == "p" else rng.poisson(0.05 * n)
        cols["y"] = y.astype(np.float64)
    else:
        cols["y"] = rng.normal(100, 10, total)
    return cols


def run_case(series: int, points: int, chart: str, rules: str, repeat: int, threads: int | None,
             point_columns: str | None = None) -> dict:
    import numpy as np

    import qiscope as qi

    cols = make_columns(series, points, chart)
    inputs = [c for c in cols.values() if c is not None]
    floor = min(_timed(lambda: [float(c.sum()) for c in inputs]) for _ in range(max(repeat, 3)))
    kept = point_columns if point_columns in (None, "lean") else point_columns.split(",")
    kw = dict(y=cols["y"], n=cols["n"], x=cols["x"], by=cols["by"], chart=chart, rules=rules, n_threads=threads,
              point_columns=kept)
    best, peak, res = float("inf"), 0, None
    for _ in range(repeat):
        res = None  # free the previous result before measuring the next call
        with PeakRSS() as rss:
            t0 = time.perf_counter()
            res = qi.spc(**kw)
            seconds = time.perf_counter() - t0
        best = min(best, seconds)
        peak = max(peak, rss.peak)
        baseline = rss.before
    assert res is not None and len(res.points) == series * points
    total = series * points
    input_bytes = sum(c.nbytes for c in inputs)
    output_bytes = int(res.points.memory_usage(deep=False).sum() + res.summary.memory_usage(deep=False).sum())
    return {
        "series": series, "points": points, "chart": chart, "rules": rules, "threads": threads or 0,
        "seconds": best, "points_per_s": total / best, "peak_rss_mib": peak / 2**20,
        "call_mib": (peak - baseline) / 2**20, "input_mib": input_bytes / 2**20,
        "output_mib": output_bytes / 2**20, "floor_seconds": floor, "ratio_to_floor": best / floor,
        "signals": int(np.asarray(res.points["special_cause"]).sum()),
    }


SURVEY = (500_000, 40, 2_000)  # respondents, items, units


def run_survey(repeat: int) -> dict:
    """qi.culture.score on synthetic answers: 40 five-point items (8 negatively worded, 5%
    blank), 8 composites of 5 items, respondents spread over units."""
    import numpy as np

    import qiscope as qi

    respondents, items, units = SURVEY
    rng = np.random.default_rng(7)
    names = [f"q{k + 1:02d}" for k in range(items)]
    answers = rng.integers(1, 6, (respondents, items)).astype(np.float64)
    answers[rng.random((respondents, items)) < 0.05] = np.nan
    data = {name: answers[:, k] for k, name in enumerate(names)}
    data["unit"] = rng.integers(0, units, respondents)
    inst = qi.culture.Instrument("bench-40", scale=(1, 5), items=names, reverse=names[::5],
                                 composites={f"c{k + 1}": names[5 * k: 5 * k + 5] for k in range(items // 5)})
    inputs = list(data.values())
    floor = min(_timed(lambda: [float(np.nansum(c)) for c in inputs]) for _ in range(3))
    best, peak = float("inf"), 0
    for _ in range(repeat):
        with PeakRSS() as rss:
            t0 = time.perf_counter()
            table = qi.culture.score(data, inst, unit="unit")
            best = min(best, time.perf_counter() - t0)
        peak = max(peak, rss.peak)
        del table
    return {"respondents": respondents, "items": items, "units": units, "seconds": best,
            "answers_per_s": respondents * items / best, "input_mib": sum(c.nbytes for c in inputs) / 2**20,
            "peak_rss_mib": peak / 2**20, "ratio_to_floor": best / floor}


def _survey_child(repeat: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--survey-child", "--repeat", str(repeat)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _child(case: tuple, repeat: int, threads: int | None, point_columns: str | None = None) -> dict:
    series, points, chart, rules = case
    cmd = [sys.executable, __file__, "--child", "--series", str(series), "--points", str(points),
           "--chart", chart, "--rules", rules, "--repeat", str(repeat)]
    if threads:
        cmd += ["--threads", str(threads)]
    if point_columns:
        cmd += ["--point-columns", point_columns]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def speed_table(cases: list, repeat: int, threads: int | None) -> None:
    print(f"{'series':>8} {'points':>8} {'chart':>5} {'rules':>7} {'seconds':>9} {'points/s':>12} "
          f"{'input MiB':>9} {'peak MiB':>9} {'x floor':>8}")
    for case in cases:
        r = _child(case, repeat, threads)
        print(f"{r['series']:>8,} {r['points']:>8,} {r['chart']:>5} {r['rules']:>7} {r['seconds']:>9.4f} "
              f"{r['points_per_s']:>12,.0f} {r['input_mib']:>9.1f} {r['peak_rss_mib']:>9.0f} "
              f"{r['ratio_to_floor']:>8.0f}")
    r = _survey_child(repeat)
    print(f"survey: {r['respondents']:,} respondents x {r['items']} items, {r['units']:,} units: "
          f"{r['seconds']:.3f} s, {r['answers_per_s']:,.0f} answers/s, input {r['input_mib']:.0f} MiB, "
          f"peak {r['peak_rss_mib']:.0f} MiB, x floor {r['ratio_to_floor']:.0f}")


def machine_ceiling() -> float:
    """What two threads can gain on this machine right now: the same arithmetic (numpy, which
    releases the GIL, writing in place so that no memory is allocated) run one after the other,
    then in two threads at once. A machine whose second core is busy gives far less than 2."""
    import numpy as np

    arrays = [np.random.default_rng(k).random(1_000_000) for k in range(2)]

    def work(a: np.ndarray) -> None:
        for _ in range(40):
            np.sqrt(a, out=a)
            np.multiply(a, 1.0000001, out=a)

    work(arrays[0])  # warm up
    t0 = time.perf_counter()
    for a in arrays:
        work(a)
    serial = time.perf_counter() - t0
    workers = [threading.Thread(target=work, args=(a,)) for a in arrays]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return serial / (time.perf_counter() - t0)


def thread_table(repeat: int) -> None:
    print(f"machine's own ceiling for 2 threads now (numpy arithmetic in two threads): {machine_ceiling():.2f}x")
    print(f"{'series':>8} {'points':>8} {'chart':>5} {'1 thread s':>11} {'2 threads s':>12} {'speed-up':>9}")
    for case in THREAD_CASES:
        one = _child(case, repeat, 1)
        two = _child(case, repeat, 2)
        print(f"{case[0]:>8,} {case[1]:>8,} {case[2]:>5} {one['seconds']:>11.4f} {two['seconds']:>12.4f} "
              f"{one['seconds'] / two['seconds']:>9.2f}")


def memory_table(big: bool) -> None:
    """Each size with every point column, with point_columns="lean" and with only the flag
    (``point_columns=["special_cause"]``: the national screen, a summary of every series and
    which points signal); the 1e8 runs are lean and flag only (the full table alone is 10 GB)."""
    print(f"{'points':>12} {'columns':>13} {'input MiB':>10} {'output MiB':>11} {'peak MiB':>9} {'call MiB':>9} "
          f"{'peak/input':>11} {'(call-output)/input':>20} {'seconds':>8}")
    runs = [(case, columns) for case in MEMORY_CASES for columns in (None, "lean", "special_cause")]
    for case, columns in runs + ([(BIG_CASE, "lean"), (BIG_CASE, "special_cause")] if big else []):
        r = _child(case, 1, None, columns)
        total = r["series"] * r["points"]
        print(f"{total:>12,} {columns or 'all':>13} {r['input_mib']:>10.0f} {r['output_mib']:>11.0f} {r['peak_rss_mib']:>9.0f} "
              f"{r['call_mib']:>9.0f} {r['peak_rss_mib'] / r['input_mib']:>11.2f} "
              f"{(r['call_mib'] - r['output_mib']) / r['input_mib']:>20.2f} {r['seconds']:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", type=int)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--chart", default="i")
    parser.add_argument("--rules", default="anhoej")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--point-columns", help='point_columns= of qi.spc: "lean" or names separated by commas')
    parser.add_argument("--memory", action="store_true", help="the memory table (1e6, 1e7 points)")
    parser.add_argument("--big", action="store_true", help="with --memory: also 1e8 points")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--survey-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.survey_child:
        print(json.dumps(run_survey(args.repeat)))
        return
    if args.child:
        print(json.dumps(run_case(args.series, args.points, args.chart, args.rules, args.repeat, args.threads,
                                  args.point_columns)))
        return
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if args.memory:
        memory_table(args.big)
        return
    if args.series:
        speed_table([(args.series, args.points, args.chart, args.rules)], args.repeat, args.threads)
        return
    speed_table(CASES, args.repeat, args.threads)
    print()
    thread_table(args.repeat)


if __name__ == "__main__":
    main()
