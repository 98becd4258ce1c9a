"""Write a large long-format indicators file for the report benchmark (fixed seed).

One row per admission: 50 indicators (``indicator``, dictionary-encoded text), the month of
discharge (``month``), the outcome 0/1 (``value``) and ``denominator`` 1, so that the report
sums the rows of each month into a p chart. 10,000,000 rows by default.

    python benchmarks/make_indicators_parquet.py build/bench/indicators.parquet [rows]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def main() -> None:
    path = Path(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    indicators, months = 50, 60
    names = pa.array([f"Indicator {k:02d}" for k in range(indicators)])
    rate = rng.uniform(0.02, 0.3, indicators)
    month_values = np.arange(np.datetime64("2020-04"), np.datetime64("2020-04") + months).astype("datetime64[D]")
    writer = None
    chunk = 1_000_000
    for start in range(0, rows, chunk):
        size = min(chunk, rows - start)
        ind = np.sort(rng.integers(0, indicators, size)).astype(np.int32)
        month = rng.integers(0, months, size)
        value = (rng.random(size) < rate[ind]).astype(np.float64)
        table = pa.table({
            "indicator": pa.DictionaryArray.from_arrays(pa.array(ind), names),
            "month": pa.array(month_values[month], type=pa.date32()),
            "value": value,
            "denominator": np.ones(size),
        })
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()
    print(f"wrote {rows:,} rows to {path}")


if __name__ == "__main__":
    main()
