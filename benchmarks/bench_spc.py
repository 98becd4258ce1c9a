"""Speed and memory of qi.spc on many series (never part of `make test`; run `make bench`).

Each case runs in a fresh subprocess so that its peak resident memory is its own. For each
case we report the wall time of the qi.spc call (best of `--repeat`), points per second, the
peak RSS of the process, and the ratio of the time to a floor: reading the same input columns
once with numpy (a sum over each column) in the same process.

    python benchmarks/bench_spc.py                 # the default table
    python benchmarks/bench_spc.py --series 1000 --points 60 --chart u
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

CASES = [
    # (series, points per series, chart, rules)
    (1_000, 60, "i", "anhoej"),
    (10_000, 60, "i", "anhoej"),
    (1_000, 60, "p", "anhoej"),
    (10_000, 60, "p", "anhoej"),
    (1_000, 60, "u", "anhoej"),
    (10_000, 60, "u", "anhoej"),
    (10_000, 60, "run", "anhoej"),
    (10_000, 60, "i", "ihi"),
    (100_000, 60, "i", "anhoej"),
    (1, 1_000_000, "i", "anhoej"),
]


def run_case(series: int, points: int, chart: str, rules: str, repeat: int, threads: int | None) -> dict:
    import resource

    import numpy as np

    import qiscope as qi

    rng = np.random.default_rng(42)
    total = series * points
    by = np.repeat(np.arange(series, dtype=np.int64), points)
    x = np.tile(np.arange(points, dtype=np.int64), series)
    n = rng.integers(50, 500, total).astype(np.float64)
    if chart == "p":
        y = rng.binomial(n.astype(np.int64), 0.2).astype(np.float64)
    elif chart == "u":
        y = rng.poisson(0.05 * n).astype(np.float64)
    else:
        y = rng.normal(100, 10, total)
        n = None
    cols = [c for c in (y, n, by, x) if c is not None]
    floor = min(_timed(lambda: [float(c.sum()) for c in cols]) for _ in range(repeat))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = qi.spc(y=y, n=n, x=x, by=by if series > 1 else None, chart=chart, rules=rules, n_threads=threads)
        best = min(best, time.perf_counter() - t0)
    assert len(res.points) == total
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    input_mib = sum(c.nbytes for c in cols) / 2**20
    return {
        "series": series, "points": points, "chart": chart, "rules": rules,
        "seconds": best, "points_per_s": total / best, "peak_rss_mib": peak_kib / 1024,
        "input_mib": input_mib, "floor_seconds": floor, "ratio_to_floor": best / floor,
    }


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", type=int)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--chart", default="i")
    parser.add_argument("--rules", default="anhoej")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.series, args.points, args.chart, args.rules, args.repeat, args.threads)))
        return
    cases = [(args.series, args.points, args.chart, args.rules)] if args.series else CASES
    print(f"{'series':>8} {'points':>8} {'chart':>5} {'rules':>7} {'seconds':>9} {'points/s':>12} "
          f"{'peak MiB':>9} {'input MiB':>9} {'x floor':>8}")
    for series, points, chart, rules in cases:
        cmd = [sys.executable, __file__, "--child", "--series", str(series), "--points", str(points),
               "--chart", chart, "--rules", rules, "--repeat", str(args.repeat)]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        r = json.loads(out.stdout)
        print(f"{r['series']:>8} {r['points']:>8} {r['chart']:>5} {r['rules']:>7} {r['seconds']:>9.4f} "
              f"{r['points_per_s']:>12,.0f} {r['peak_rss_mib']:>9.1f} {r['input_mib']:>9.1f} "
              f"{r['ratio_to_floor']:>8.0f}")


if __name__ == "__main__":
    main()
