"""How results are written to and read from JSON: one home for every result type.

A result's ``to_json`` writes a document tagged with its ``format`` (``"qiscope.SPCResult"``,
``"qiscope.FunnelResult"``, ...); its tables go in as columns with their pandas dtype, so
``from_json`` restores them exactly: floats keep every digit (Python's repr is exact),
categoricals keep their categories and order, dates and periods their type. JSON has no NaN,
so missing values are written as null.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError


def _parse_json(text: str) -> Any:
    """JSON text as Python data; text that is not JSON is an input error (rule ``json``)."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, TypeError) as err:  # bad text, deep nesting, not text
        raise InputError(f"not valid JSON: {err}", column="json", rule="json") from err


def _load_document(text: str, fmt: str, what: str) -> dict[str, Any]:
    """The JSON document a result's ``to_json`` wrote, checked for its format tag."""
    doc = _parse_json(text)
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        raise InputError(f"not a qiscope {what} result", column="json", rule="format")
    return doc


@contextmanager
def _reading(what: str) -> Iterator[None]:
    """Reading a result document: whatever a malformed one raises becomes an InputError."""
    try:
        yield
    except InputError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as err:
        raise InputError(f"not a valid qiscope {what} result ({type(err).__name__}: {err})", column="json",
                         rule="format") from err


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], table: str) -> pd.DataFrame:
    """`frame`, read from a document, if it has `columns` (what the result's methods use)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {table} table of the document lacks the columns {missing}", column="json", rule="format")
    return frame


def _json_value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (np.floating,)):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, pd.Period):
        return str(v)
    return v


def _frame_to_json(df: pd.DataFrame) -> dict[str, Any]:
    cols = []
    for name in df.columns:
        s = df[name]
        entry: dict[str, Any] = {"name": str(name), "dtype": str(s.dtype)}
        if isinstance(s.dtype, pd.CategoricalDtype):
            entry["categories"] = [_json_value(c) for c in s.cat.categories]
            entry["categories_dtype"] = str(s.cat.categories.dtype)
            entry["values"] = s.cat.codes.astype(int).tolist()
        else:
            entry["values"] = [_json_value(v) for v in s.tolist()]
        cols.append(entry)
    return {"columns": cols}


def _floats(values: list[Any], dtype: str = "float64") -> np.ndarray:
    """Numbers read from JSON as a float array, null (a missing value) as NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=dtype)


# The dtypes _frame_to_json writes; a document naming any other is refused (numpy would otherwise
# build whatever it names, "V99999999999" included).
_DTYPE = re.compile(
    r"(u?int(8|16|32|64)|U?Int(8|16|32|64)|float(32|64)|Float(32|64)|bool|boolean|object|str|string|category"
    r"|datetime64\[[a-z]+(, [A-Za-z_/+\-0-9:]+)?\]|timedelta64\[[a-z]+\]|period\[[A-Za-z0-9\-]+\])"
)


def _restore(values: list[Any], dtype: str) -> Any:
    if not isinstance(dtype, str) or not _DTYPE.fullmatch(dtype) or not isinstance(values, list):
        raise InputError(f"a column of dtype {dtype!r} cannot be read", column="json", rule="format")
    if dtype.startswith("datetime64"):
        # Written as ISO text (or null); numbers would be read as epochs, with a warning.
        if not all(v is None or isinstance(v, str) for v in values):
            raise InputError("a date column of the document holds something other than text", column="json",
                             rule="format")
        return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601").astype(dtype)
    if dtype.startswith("period"):
        return pd.PeriodIndex(values, freq=dtype[dtype.index("[") + 1 : -1])
    if dtype in ("float64", "float32"):
        return _floats(values, dtype)
    if dtype in ("Int64", "boolean", "string"):
        return pd.array(values, dtype=dtype)
    if dtype == "object":
        return pd.Series(values, dtype=object)
    return np.array(values, dtype=dtype)


def _frame_from_json(doc: dict[str, Any]) -> pd.DataFrame:
    data: dict[str, Any] = {}
    if not isinstance(doc, dict) or not isinstance(doc.get("columns"), list):
        raise InputError("a table of the document has no list of columns", column="json", rule="format")
    for entry in doc["columns"]:
        if entry["dtype"] == "category":
            cats = _restore(entry["categories"], entry["categories_dtype"])
            data[entry["name"]] = pd.Categorical.from_codes(entry["values"], categories=pd.Index(cats))
        else:
            data[entry["name"]] = _restore(entry["values"], entry["dtype"])
    return pd.DataFrame({k: (v.reset_index(drop=True) if isinstance(v, pd.Series) else v) for k, v in data.items()})
