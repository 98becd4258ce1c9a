"""The columns of an SPC result and their dtypes: one source for the pandas path and Dask's meta.

``qi.spc`` builds its ``points`` and ``summary`` frames here, from the core's arrays, and
``qiscope.dask`` builds the empty ``meta`` frames it hands to Dask from the same tables, so the
two can not drift apart (``tests/python/test_dask.py`` checks that they agree).

Assembly copies as little as it can: the core's arrays become columns without a copy (0/1
flags are viewed as bool, the enum codes as Categorical codes) and the frames are built in one
constructor call, which does not consolidate (copy) the columns into blocks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from .errors import InputError

__all__ = ["LEAN_POINT_COLUMNS", "OPTIONAL_POINT_COLUMNS", "OPTIONAL_SUMMARY_COLUMNS", "POINT_COLUMNS", "SUMMARY_COLUMNS", "TEXT", "points_frame", "point_columns_of", "points_meta", "summary_frame", "summary_meta"]

#: The dtype pandas gives text by default (``str`` from pandas 3, ``object`` before).
TEXT = pd.Series(["text"]).dtype

_POINT_TYPES = pd.CategoricalDtype(list(_core.spc.point_type_names))
_VARIATIONS = pd.CategoricalDtype([n for n in _core.spc.variation_names if n])
_ASSURANCES = pd.CategoricalDtype([n for n in _core.spc.assurance_names if n])

#: ``points`` after the ``by`` columns and ``x`` (whose dtypes come from the input).
POINT_COLUMNS: dict[str, Any] = {
    "y": np.dtype(np.float64),
    "n": np.dtype(np.float64),
    "value": np.dtype(np.float64),
    "value_lower": np.dtype(np.float64),
    "n_rows": np.dtype(np.int64),
    "x_gap": np.dtype(bool),  # from the x labels by _core.spc.x_gaps (_gaps.py), not by compute
    "phase": np.dtype(np.int64),
    "baseline": np.dtype(bool),
    "excluded": np.dtype(bool),
    "cl": np.dtype(np.float64),
    "lcl": np.dtype(np.float64),
    "ucl": np.dtype(np.float64),
    "lcl_95": np.dtype(np.float64),
    "ucl_95": np.dtype(np.float64),
    "sigma_signal": np.dtype(bool),
    "runs_signal": np.dtype(bool),
    "signal_member": np.dtype(bool),
    "special_cause": np.dtype(bool),
    "point_type": _POINT_TYPES,
    "rules": np.dtype(np.uint32),
}

#: ``summary`` after the ``by`` columns; ``x_start`` and ``x_end`` take the dtype of ``x``.
SUMMARY_COLUMNS: dict[str, Any] = {
    "phase": np.dtype(np.int64),
    "chart": TEXT,
    "x_start": None,
    "x_end": None,
    "n_points": pd.Int64Dtype(),
    "n_obs": np.dtype(np.int64),
    "cl": np.dtype(np.float64),
    "lcl": np.dtype(np.float64),
    "ucl": np.dtype(np.float64),
    "longest_run": pd.Int64Dtype(),
    "longest_run_max": pd.Int64Dtype(),
    "n_crossings": pd.Int64Dtype(),
    "n_crossings_min": pd.Int64Dtype(),
    "runs_signal": np.dtype(bool),
    "sigma_signal": np.dtype(np.int64),
    "variation": _VARIATIONS,
    "assurance": _ASSURANCES,
}

#: Columns present only with some options: ``points.target`` when a target is given,
#: ``summary.phase_name`` (after ``phase``) when ``part`` names a column of phase labels.
OPTIONAL_POINT_COLUMNS: dict[str, Any] = {"target": np.dtype(np.float64)}
OPTIONAL_SUMMARY_COLUMNS: dict[str, Any] = {"phase_name": TEXT}

#: ``point_columns="lean"``: the chart's values, limits and signals, for analysis at scale
#: (the ``by`` columns and ``x`` are always kept).
LEAN_POINT_COLUMNS = ("y", "value", "phase", "cl", "lcl", "ucl", "special_cause", "point_type")


def point_columns_of(point_columns: Any, always: Sequence[str] = ()) -> list[str] | None:
    """The ``points`` columns after the ``by`` columns and ``x`` that ``point_columns=`` asks
    for, in the contract's order (None: all of them). ``x`` and the names in `always` (the
    ``by`` columns) may be listed; they are kept anyway."""
    if point_columns is None:
        return None
    if isinstance(point_columns, str):
        if point_columns == "lean":
            return list(LEAN_POINT_COLUMNS)
        raise InputError(f"point_columns must be None, 'lean' or a list of column names, not {point_columns!r}",
                         column="point_columns", rule="unknown_name")
    try:
        names = list(point_columns)
    except TypeError:
        raise InputError(f"point_columns must be None, 'lean' or a list of column names, not "
                         f"{type(point_columns).__name__}", column="point_columns", rule="type") from None
    known = (*POINT_COLUMNS, *OPTIONAL_POINT_COLUMNS)
    for name in names:
        if not (isinstance(name, str) and (name in known or name == "x" or name in always)):
            raise InputError(f"point_columns: {name!r} is not a column of points; the columns are "
                             f"{['x', *known]} (and the by columns)", column="point_columns", rule="unknown_name")
    return [name for name in known if name in names]


_NULLABLE = ("n_points", "longest_run", "longest_run_max", "n_crossings", "n_crossings_min")


def _flag(codes: np.ndarray) -> np.ndarray:
    """A 0/1 uint8 column of the core as bool, without a copy."""
    return codes.view(np.bool_)


def _nullable(values: np.ndarray) -> pd.arrays.IntegerArray:
    """int64 with -1 meaning 'not defined' as a pandas nullable Int64."""
    missing = values < 0
    return pd.arrays.IntegerArray(np.where(missing, 0, values), missing)


def _positions(series: np.ndarray) -> np.ndarray:
    """1-based position of each point within its series (points come grouped by series)."""
    count = len(series)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], series[1:] != series[:-1])))
    lengths = np.diff(np.append(starts, count))
    return np.arange(1, count + 1, dtype=np.int64) - np.repeat(starts, lengths)


def _by_columns(labels: pd.DataFrame | None, by_names: Sequence[str], codes: np.ndarray) -> dict[str, Any]:
    if labels is None:
        return {}
    return {name: labels[name].take(codes).reset_index(drop=True) for name in by_names}


def points_frame(p: Mapping[str, np.ndarray], x_labels: pd.Index | None, labels: pd.DataFrame | None,
                 by_names: Sequence[str]) -> pd.DataFrame:
    """``points`` from the core's point arrays; x is ``x_labels`` at the core's x codes, or
    the position in the series when x was not given."""
    cols: dict[str, Any] = _by_columns(labels, by_names, p["series"])
    cols["x"] = x_labels.take(p["x"]).to_numpy() if x_labels is not None else _positions(p["series"])
    for name, dtype in POINT_COLUMNS.items():
        if name not in p:  # columns the Python layer adds (x_gap)
            continue
        values = p[name]
        if name == "point_type":
            cols[name] = pd.Categorical.from_codes(values.view(np.int8), dtype=dtype)
        elif dtype == np.dtype(bool):
            cols[name] = _flag(values)
        else:
            cols[name] = values.astype(dtype, copy=False)
    return pd.DataFrame(cols, copy=False)


def summary_frame(s: Mapping[str, np.ndarray], x: np.ndarray, chart: str, labels: pd.DataFrame | None,
                  by_names: Sequence[str]) -> pd.DataFrame:
    """``summary`` from the core's phase arrays; ``x`` is the points' x column."""
    first = s["first"]
    last = first + s["length"] - 1
    cols: dict[str, Any] = _by_columns(labels, by_names, s["series"])
    for name, dtype in SUMMARY_COLUMNS.items():
        if name == "chart":
            cols[name] = pd.array(np.full(len(first), chart, dtype=object), dtype=dtype)
        elif name in ("x_start", "x_end"):
            cols[name] = x[first if name == "x_start" else last]
        elif name == "n_points":
            cols[name] = _nullable(s["n_useful"])
        elif name in _NULLABLE:
            cols[name] = _nullable(s[name])
        elif name in ("variation", "assurance"):
            # Code 0 is "none" (no icon): a missing value; the others shift down by one.
            cols[name] = pd.Categorical.from_codes(s[name].view(np.int8) - 1, dtype=dtype)
        elif dtype == np.dtype(bool):
            cols[name] = _flag(s[name])
        else:
            cols[name] = s[name].astype(dtype, copy=False)
    return pd.DataFrame(cols, copy=False)


def _x_dtype(x_dtype: Any) -> Any:
    """The dtype of the output x for an input x of `x_dtype` (None: x not given)."""
    if x_dtype is None:
        return np.dtype(np.int64)
    if isinstance(x_dtype, pd.CategoricalDtype):
        return x_dtype.categories.dtype
    return x_dtype


def _empty(dtypes: Mapping[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in dtypes.items()})


def points_meta(by_dtypes: Mapping[str, Any], x_dtype: Any, *, target: bool = False,
                columns: Sequence[str] | None = None) -> pd.DataFrame:
    """An empty ``points`` frame with the dtypes ``qi.spc`` gives for these input dtypes
    (``target``: a target was given; ``columns``: as ``point_columns_of``, None: all)."""
    optional = OPTIONAL_POINT_COLUMNS if target else {}
    kept = {name: dtype for name, dtype in {**POINT_COLUMNS, **optional}.items() if columns is None or name in columns}
    return _empty({**by_dtypes, "x": _x_dtype(x_dtype), **kept})


def summary_meta(by_dtypes: Mapping[str, Any], x_dtype: Any, *, phase_names: bool = False) -> pd.DataFrame:
    """An empty ``summary`` frame with the dtypes ``qi.spc`` gives for these input dtypes
    (``phase_names``: ``part`` named a column of phase labels)."""
    x = _x_dtype(x_dtype)
    dtypes: dict[str, Any] = dict(by_dtypes)
    for name, dtype in SUMMARY_COLUMNS.items():
        dtypes[name] = x if dtype is None else dtype
        if name == "phase" and phase_names:
            dtypes.update(OPTIONAL_SUMMARY_COLUMNS)
    return _empty(dtypes)
