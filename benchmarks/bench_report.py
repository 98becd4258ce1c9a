"""The board report from a large Parquet file: wall time and peak memory of `qiscope report`.

Makes build/bench/indicators.parquet once (10 million rows: one row per admission, 50
indicators, 60 months; see make_indicators_parquet.py), then runs the command line on it in a
subprocess and reports its wall time and peak resident memory next to the size of the input
columns as the core takes them (y and n as float64, indicator and month codes as int64).

    python benchmarks/bench_report.py [--rows 10000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "build" / "bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    path = DATA / f"indicators_{args.rows}.parquet"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "make_indicators_parquet.py"), str(path), str(args.rows)],
                       check=True)
    out = DATA / "report.html"
    qiscope = Path(sys.executable).parent / "qiscope"
    cmd = [str(qiscope), "report", str(path), "--indicator", "indicator", "--date", "month", "--value", "value",
           "--denominator", "denominator", "--chart", "p", "-o", str(out)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"})
    seconds = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    input_mib = args.rows * 32 / 2**20
    print(f"{'rows':>12} {'file MiB':>9} {'input MiB':>10} {'seconds':>8} {'peak MiB':>9} {'peak/input':>11} {'report MiB':>11}")
    print(f"{args.rows:>12,} {path.stat().st_size / 2**20:>9.1f} {input_mib:>10.0f} {seconds:>8.1f} {peak_mib:>9.0f} "
          f"{peak_mib / input_mib:>11.2f} {out.stat().st_size / 2**20:>11.1f}")


if __name__ == "__main__":
    main()
