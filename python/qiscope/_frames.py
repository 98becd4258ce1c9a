"""Turn what analysts hand us (DataFrames, mappings, arrays) into plain numpy columns.

Everything here is conversion and validation that needs the column names; statistics live in
the C++ core. No function loops over rows or groups in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["Column", "XAxis", "as_frame", "factorize_x", "group_codes", "numeric", "resolve"]


def _to_pandas(obj: Any) -> Any:
    """polars and pyarrow tables and columns as pandas (dates stay dates, categories stay
    categories). polars converts through pyarrow, which its ``qiscope[polars]`` extra brings."""
    try:
        return obj.to_pandas()
    except ImportError as err:
        raise ImportError(
            f"reading a {type(obj).__module__.split('.')[0]} object needs pyarrow: pip install 'qiscope[polars]'"
        ) from err


def _as_series(values: Any) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.Index):
        return pd.Series(values)
    if hasattr(values, "to_pandas"):  # polars Series, pyarrow Array / ChunkedArray
        converted = _to_pandas(values)
        return converted if isinstance(converted, pd.Series) else pd.Series(converted)
    if isinstance(values, (list, tuple)):
        return pd.Series(list(values))  # keeps each value's type (numpy would turn [1, "a"] into text)
    return pd.Series(np.asarray(values), copy=False)  # a view: pandas 3 would copy


def as_frame(data: Any) -> pd.DataFrame | None:
    """A pandas DataFrame view of `data`: pandas, polars or pyarrow tables, or a mapping of
    column names to array-likes (lists, numpy, pandas, polars or pyarrow columns)."""
    if data is None:
        return None
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_pandas"):  # polars DataFrame, pyarrow Table / RecordBatch
        frame = _to_pandas(data)
        if isinstance(frame, pd.DataFrame):
            return frame
    if isinstance(data, Mapping):
        return pd.DataFrame({k: _as_series(v).reset_index(drop=True) for k, v in data.items()}, copy=False)
    raise InputError(
        f"data must be a DataFrame or a mapping of columns, not {type(data).__name__}",
        column="data",
        rule="type",
    )


@dataclass
class Column:
    """A resolved column: its values and the name to use in messages and output."""

    values: pd.Series
    name: str


def resolve(frame: pd.DataFrame | None, spec: Any, role: str, length: int | None = None) -> Column | None:
    """Resolve `spec` (a column name or an array-like) to a Series named for messages."""
    if spec is None:
        return None
    if isinstance(spec, str):
        if frame is None:
            raise InputError(f"{role}={spec!r} names a column but no data was given", column=spec, rule="missing_data")
        if spec not in frame.columns:
            raise InputError(
                f"column {spec!r} (given as {role}=) is not in the data; columns are {list(frame.columns)}",
                column=spec,
                rule="unknown_column",
            )
        if (frame.columns == spec).sum() > 1:
            raise InputError(f"the data has several columns named {spec!r}", column=spec, rule="duplicate_column")
        return Column(frame[spec].reset_index(drop=True), spec)
    if not isinstance(spec, (pd.Series, pd.Index)) and not hasattr(spec, "to_pandas") and _ndim(spec) != 1:
        raise InputError(
            f"{role} must be a column name or one-dimensional values, not an array of shape {np.shape(spec)}",
            column=role,
            rule="shape",
        )
    values = _as_series(spec).reset_index(drop=True)
    if length is not None and len(values) != length:
        raise InputError(
            f"{role} has {len(values)} values but the data has {length} rows", column=role, rule="length"
        )
    return Column(values, role if values.name is None else str(values.name))


def _ndim(values: Any) -> int:
    try:
        return int(np.ndim(values))
    except ValueError:  # ragged nested lists
        return -1


def numeric(col: Column, *, allow_bool: bool = True) -> np.ndarray:
    """float64 values of a column; text, infinities and other non-numbers raise InputError."""
    s = col.values
    if s.dtype.kind in "mMc" or isinstance(s.dtype, pd.PeriodDtype):
        # pd.to_numeric would turn dates into nanoseconds: a plausible-looking, wrong chart.
        raise InputError(
            f"column {col.name!r} holds {s.dtype} values, not numbers (convert durations with "
            ".dt.total_seconds(), or give dates as x)",
            column=col.name,
            rule="numeric",
        )
    if s.dtype == bool and allow_bool:
        return s.to_numpy(dtype=np.float64)
    if isinstance(s.dtype, pd.BooleanDtype):
        return s.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    if not pd.api.types.is_numeric_dtype(s.dtype):
        converted = pd.to_numeric(s, errors="coerce")
        bad = converted.isna() & s.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"column {col.name!r}, row {row}: {s.iloc[row]!r} is not a number",
                column=col.name,
                row=row,
                rule="numeric",
            )
        s = converted
    values = s.to_numpy(dtype=np.float64, na_value=np.nan)
    inf = np.isinf(values)
    if inf.any():
        row = int(np.flatnonzero(inf)[0])
        raise InputError(f"column {col.name!r}, row {row}: value is infinite", column=col.name, row=row, rule="finite")
    return values


def _first_missing(mask: np.ndarray) -> int | None:
    idx = np.flatnonzero(mask)
    return int(idx[0]) if idx.size else None


@dataclass
class XAxis:
    """x as sortable integer codes plus the labels they stand for."""

    codes: np.ndarray | None  # int64, or None for "position in series"
    labels: pd.Index | None
    name: str
    categorical: bool

    def key_of(self, value: Any) -> int:
        """The code of the first x label >= value (where a phase given by x starts)."""
        assert self.labels is not None
        label = value
        if isinstance(self.labels, pd.DatetimeIndex) and not isinstance(value, pd.Timestamp):
            label = pd.Timestamp(value)
        if self.categorical:
            matches = np.flatnonzero(self.labels == label)
            if matches.size == 0:
                raise InputError(f"{value!r} is not a value of x", column="part", rule="unknown_x")
            return int(matches[0])
        return int(self.labels.searchsorted(label, side="left"))


def sorted_codes(s: pd.Series) -> tuple[np.ndarray, Any]:
    """``pd.factorize(s, sort=True)`` (int64 codes of the values in sorted order, and the sorted
    distinct values), faster for the columns that carry series and x at scale. pandas sorts by
    remapping every code through a sort of the distinct values, which is most of its time on
    ten million rows; here integers in a range not much wider than the column are ranked through
    a table of the values present (two vector passes, no hashing), and other plain numbers and
    dates are hashed unsorted and only their few distinct values sorted. Anything else (text,
    categories, periods, nullable types) is left to pandas. No missing values (the callers
    refuse them first)."""
    values = s.to_numpy() if isinstance(s.dtype, np.dtype) else None
    if values is not None and values.dtype.kind in "iu" and len(values):
        low, high = int(values.min()), int(values.max())
        if high - low < len(values) + 1024:  # the rank table is at most about 8 bytes a row
            # Offsets from the smallest value, in a type wide enough for any such column; they
            # become the codes in place (one array of 8 bytes a row, no other).
            wide = np.int64 if values.dtype.kind == "i" else np.uint64
            codes = np.subtract(values, wide(low), dtype=wide).view(np.int64)
            present = np.zeros(high - low + 1, dtype=bool)
            present[codes] = True
            rank = np.cumsum(present, dtype=np.int64) - 1
            uniques = (np.flatnonzero(present).astype(wide) + wide(low)).astype(values.dtype)
            return np.take(rank, codes, out=codes, mode="wrap"), pd.Index(uniques)  # codes < len(rank)
    if values is not None and values.dtype.kind in "iufmMb":
        codes, uniques = pd.factorize(s, sort=False)
        order = np.argsort(np.asarray(uniques), kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        codes = codes.astype(np.int64, copy=False)
        return np.take(rank, codes, out=codes, mode="wrap"), uniques.take(order)  # codes < len(rank)
    codes, uniques = pd.factorize(s, sort=True)
    return codes.astype(np.int64, copy=False), uniques


def factorize_x(col: Column | None, *, categorical: bool | None = None) -> XAxis:
    """Codes of x in sorted order (categories' order for a pandas Categorical)."""
    if col is None:
        return XAxis(None, None, "x", bool(categorical))
    s = col.values
    missing = _first_missing(s.isna().to_numpy())
    if missing is not None:
        raise InputError(
            f"column {col.name!r}, row {missing}: x is missing (every point needs its x; "
            "drop or fill the row)",
            column=col.name,
            row=missing,
            rule="missing",
        )
    if isinstance(s.dtype, pd.CategoricalDtype):
        is_cat = not s.dtype.ordered if categorical is None else categorical
        return XAxis(s.cat.codes.to_numpy(dtype=np.int64), pd.Index(s.cat.categories), col.name, is_cat)
    if not categorical:
        s = _as_dates(s, col.name)
        s = _text_dates(s, col.name)
    ordered_kind = (
        pd.api.types.is_numeric_dtype(s.dtype)
        or pd.api.types.is_datetime64_any_dtype(s.dtype)
        or pd.api.types.is_timedelta64_dtype(s.dtype)
        or isinstance(s.dtype, pd.PeriodDtype)
    )
    codes, uniques = sorted_codes(s)
    is_cat = (not ordered_kind) if categorical is None else categorical
    return XAxis(codes, pd.Index(uniques), col.name, is_cat)


# ISO 8601 dates as text: a year and month at least, optionally a day, a time and a zone.
_ISO_DATE = r"\d{4}-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?"


def _as_dates(s: pd.Series, name: str) -> pd.Series:
    """Dates that arrive as text or as Python objects, as datetime64; anything else unchanged.

    Policy (documented in :func:`qiscope.spc`): text x is read as dates only when *every* value
    is an ISO 8601 date (``2024-04``, ``2024-04-01``, ``2024-04-01T08:00``), as a CSV file gives
    them; then x is time-ordered and comes back as datetime64. A value that looks like an ISO
    date but is not a real one (``2024-02-30``) is an error naming the row, not a silent switch
    to categories. Other text stays categorical (units such as wards).
    """
    kind = pd.api.types.infer_dtype(s, skipna=False)
    if kind in ("date", "datetime"):  # datetime.date / datetime.datetime objects
        return pd.Series(pd.to_datetime(s.to_numpy()), name=s.name)
    if kind != "string" or not bool(s.str.fullmatch(_ISO_DATE).all()):
        return s
    parsed = pd.to_datetime(s, format="ISO8601", errors="coerce")
    bad = _first_missing(parsed.isna().to_numpy())
    if bad is not None:
        raise InputError(
            f"column {name!r}, row {bad}: {s.iloc[bad]!r} looks like an ISO date but is not a valid "
            "date (x is read as dates because every value has the form YYYY-MM[-DD])",
            column=name,
            row=bad,
            rule="date",
        )
    return parsed


def _first_row_of_another_type(s: pd.Series) -> int:
    first = type(s.iloc[0])
    return next(row for row, value in enumerate(s) if type(value) is not first)  # only on the error path


# Text read as dates when the first value of x has one of these formats (and then every value
# must have it). Day-first and month-first both appear: text that fits both is ambiguous.
TEXT_DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m", "%Y/%m/%d",
    "%Y/%m", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y",
    "%b %Y", "%B %Y", "%b-%Y",
)


def _reads_as(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def _text_dates(s: pd.Series, name: str) -> pd.Series:
    """x not already read as dates by :func:`_as_dates`: text in another date format, as
    datetime64; an error where text and numbers mix or dates change format; else unchanged.

    Text is read as dates only when the first value has one of TEXT_DATE_FORMATS, every value
    has that format, and the day-first and month-first readings do not disagree: an export whose
    dates changed format, or whose 01/02/2024 could be either month, is an error rather than a
    guess (or a silent switch to categories). Text whose first value is no date is categorical.
    """
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in ("mixed", "mixed-integer"):
        row = _first_row_of_another_type(s)
        raise InputError(
            f"column {name!r}, row {row}: {s.iloc[row]!r} is not of the type of row 0 ({s.iloc[0]!r}); "
            "x must be all numbers, all dates or all text",
            column=name,
            row=row,
            rule="mixed_types",
        )
    if kind != "string":
        return s
    first = str(s.iloc[0]).strip()
    formats = [fmt for fmt in TEXT_DATE_FORMATS if _reads_as(first, fmt)]
    readings: dict[str, pd.Series] = {}
    first_failure: dict[str, int] = {}
    for fmt in formats:
        parsed = pd.to_datetime(s.str.strip(), format=fmt, errors="coerce")
        bad = np.flatnonzero(parsed.isna().to_numpy())
        if bad.size:
            first_failure[fmt] = int(bad[0])
        else:
            readings[fmt] = parsed
    if len(readings) > 1 and not all(r.equals(next(iter(readings.values()))) for r in readings.values()):
        raise InputError(
            f"column {name!r}: dates such as {first!r} read both as day-first and as month-first "
            "text; parse them first (pd.to_datetime with format= or dayfirst=)",
            column=name,
            rule="ambiguous_date",
        )
    if readings:
        return next(iter(readings.values()))
    if first_failure:  # the first value is a date, a later one is not in its format
        row = max(first_failure.values())
        raise InputError(
            f"column {name!r}, row {row}: {s.iloc[row]!r} is not a date in the format of row 0 ({first!r}); "
            "dates given as text must share one format",
            column=name,
            row=row,
            rule="date_format",
        )
    return s


def group_codes(frame: pd.DataFrame | None, by: Any, length: int) -> tuple[np.ndarray | None, pd.DataFrame | None, list[str]]:
    """Series codes (int64) for the `by` columns, the label table indexed by code, and names."""
    if by is None:
        return None, None, []
    specs: Sequence[Any] = [by] if isinstance(by, str) or not isinstance(by, (list, tuple)) else by
    cols = [resolve(frame, b, "by", length) for b in specs]
    names = [c.name for c in cols if c is not None]
    table = pd.DataFrame({c.name: c.values for c in cols if c is not None}, copy=False)
    for name in names:
        missing = _first_missing(table[name].isna().to_numpy())
        if missing is not None:
            raise InputError(
                f"column {name!r}, row {missing}: the series label is missing",
                column=name,
                row=missing,
                rule="missing",
            )
    if len(names) == 1:  # one column: a sorted factorize is the same grouping, without a groupby
        codes, uniques = sorted_codes(table[names[0]])
        return codes, pd.DataFrame({names[0]: uniques}), names
    grouped = table.groupby(names, sort=True, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.int64)
    labels = grouped.size().index.to_frame(index=False)
    for name in names:  # keep the input's dtypes (categoricals stay categorical)
        if isinstance(table[name].dtype, pd.CategoricalDtype):
            labels[name] = pd.Categorical(labels[name], categories=table[name].cat.categories)
    return codes, labels, names
