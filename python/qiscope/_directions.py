"""The improvement direction of each series: one for the call, a column, or a mapping.

With ``by=`` the indicators of one call may improve in different directions (falls down,
vaccination up). ``direction=`` then names a column (``"increase"`` / ``"decrease"`` /
``"neutral"`` or missing on each row, the same within a series) or maps series labels to
directions. Either becomes one direction per series code, which the C++ core reads as
``series_direction`` (its icons and point types use it); no statistic is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._frames import resolve
from .errors import InputError

__all__ = ["DIRECTIONS", "series_directions"]

DIRECTIONS = ("neutral", "increase", "decrease")


def series_directions(frame: pd.DataFrame | None, direction: Any, series: np.ndarray | None,
                      labels: pd.DataFrame | None, length: int) -> tuple[str, list[str] | None, str | None]:
    """(the call's direction, one direction per series code or None, the column's name or None).

    Text that names a column of the data is that column; other text is a direction for every
    series; a mapping gives series labels' directions (series it leaves out are neutral)."""
    if direction is None:
        return "neutral", None, None
    if isinstance(direction, str) and (frame is None or direction not in frame.columns):
        return direction, None, None  # a direction name; the core refuses unknown ones
    if isinstance(direction, Mapping):
        return "neutral", _from_mapping(direction, labels), None
    column = resolve(frame, direction, "direction", length)
    assert column is not None
    return "neutral", _from_column(column.values, column.name, series, labels, length), column.name


def _direction_codes(values: Any) -> np.ndarray:
    """Index into DIRECTIONS of each value; -1 for a missing one, -2 for unknown text."""
    text = pd.Series(values, dtype=object)
    codes = pd.Index(DIRECTIONS).get_indexer(text).astype(np.int64)
    codes[(codes < 0) & text.notna().to_numpy()] = -2
    return codes


def _unknown(value: Any, column: str, row: int | None) -> InputError:
    where = f"column {column!r}, row {row}: " if row is not None else f"{column}: "
    return InputError(f"{where}{value!r} is not a direction; expected 'increase', 'decrease' or 'neutral'",
                      column=column, row=row, rule="unknown_name")


def _from_column(values: pd.Series, name: str, series: np.ndarray | None, labels: pd.DataFrame | None,
                 length: int) -> list[str]:
    codes = _direction_codes(values.to_numpy(dtype=object))
    bad = np.flatnonzero(codes == -2)
    if len(bad):
        raise _unknown(values.iloc[bad[0]], name, int(bad[0]))
    keys = series if series is not None else np.zeros(length, dtype=np.int64)
    n_series = len(labels) if labels is not None else 1
    # Each series' direction is its first non-missing value; any other value on its rows is an error.
    given = np.flatnonzero(codes >= 0)
    first = np.full(n_series, -1, dtype=np.int64)
    seen, at = np.unique(keys[given], return_index=True)  # each series' first row with a value
    first[seen] = codes[given][at]
    disagree = np.flatnonzero((codes >= 0) & (codes != first[keys]))
    if len(disagree):
        row = int(disagree[0])
        label = _label(labels, int(keys[row]))
        raise InputError(f"column {name!r}, row {row}: the direction {values.iloc[row]!r} differs from "
                         f"{DIRECTIONS[first[keys[row]]]!r} earlier in series {label}; a series has one direction",
                         column=name, row=row, rule="constant_within_series")
    return [DIRECTIONS[c] if c >= 0 else "neutral" for c in first]


def _from_mapping(mapping: Mapping[Any, Any], labels: pd.DataFrame | None) -> list[str]:
    if labels is None:
        raise InputError("direction= as a mapping of series labels needs by=", column="direction",
                         rule="requires_by")
    index = pd.MultiIndex.from_frame(labels) if labels.shape[1] > 1 else pd.Index(labels.iloc[:, 0])
    keys = list(mapping)
    positions = index.get_indexer(keys)
    absent = [k for k, p in zip(keys, positions) if p < 0]
    if absent:
        raise InputError(f"direction= names series that are not in the data: {absent}", column="direction",
                         rule="unknown_series")
    codes = _direction_codes([mapping[k] for k in keys])
    if (codes == -2).any():
        raise _unknown(mapping[keys[int(np.argmax(codes == -2))]], "direction", None)
    out = np.full(len(labels), "neutral", dtype=object)
    out[positions] = [DIRECTIONS[c] if c >= 0 else "neutral" for c in codes]
    return list(out)


def _label(labels: pd.DataFrame | None, code: int) -> str:
    if labels is None:
        return "(the only series)"
    values = labels.iloc[code].tolist()
    return repr(values[0] if len(values) == 1 else tuple(values))
