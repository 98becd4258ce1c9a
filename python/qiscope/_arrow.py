"""Arrow input without a full pandas round trip: pyarrow Tables, polars DataFrames, Parquet.

``qi.spc`` needs a few columns of a table as numpy arrays. Converting a whole Arrow table to
pandas would copy every column, text as Python objects; here only the named columns are
taken, and numeric columns without missing values (one chunk) become numpy *views* of the
Arrow buffers - no copy at all. Other columns (text, dates, columns with nulls) are converted
one by one exactly as ``Table.to_pandas()`` converts them, so the result is the same as with
the pandas frame.

Parquet files are read with pyarrow, dates as ``datetime64`` rather than Python ``date``
objects (ten million of those cost gigabytes) and dictionary-encoded text as pandas
Categoricals.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["is_arrow_table", "narrow", "read_parquet"]


def is_arrow_table(data: Any) -> bool:
    """A pyarrow Table or RecordBatch, or a polars DataFrame (which is Arrow underneath)."""
    module = type(data).__module__.split(".")[0]
    if module == "pyarrow":
        return hasattr(data, "column_names") and hasattr(data, "column")
    return module == "polars" and hasattr(data, "to_arrow") and hasattr(data, "columns")


def _column_to_pandas(column: Any) -> Any:
    """One Arrow column as numpy (a view where possible) or as ``to_pandas`` gives it."""
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray) and column.num_chunks == 1:
        column = column.chunk(0)
    kind = column.type
    numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind)
    if numeric and column.null_count == 0 and isinstance(column, pa.Array):
        return column.to_numpy(zero_copy_only=True)  # a view of the Arrow buffer
    return column.to_pandas()


def narrow(data: Any, columns: Iterable[str]) -> pd.DataFrame:
    """The named columns of an Arrow table (or polars DataFrame) as a pandas DataFrame whose
    numeric columns share the Arrow memory; names that are not columns are left to the
    caller's checks."""
    if type(data).__module__.split(".")[0] == "polars":
        data = data.to_arrow()  # zero copy
    names = [c for c in dict.fromkeys(columns) if c in data.column_names]
    cols = {name: _column_to_pandas(data.column(name)) for name in names}
    return pd.DataFrame({k: v if isinstance(v, pd.Series) else pd.Series(v, copy=False) for k, v in cols.items()},
                        copy=False)


def read_parquet(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A Parquet file as a DataFrame: dates as datetime64, dictionary text as Categoricals,
    Arrow memory released column by column as it is converted."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=columns)
    return table.to_pandas(date_as_object=False, split_blocks=True, self_destruct=True)

