"""Responses (one row per respondent, one column per item) to the arrays the core reads."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._frames import Column, as_frame, numeric, resolve
from ..errors import InputError
from ._instrument import Instrument

__all__ = ["Answers", "PolarityWarning", "answers", "min_n_arg", "renamed", "unit_column", "warn_polarity"]


class PolarityWarning(UserWarning):
    """A negatively worded item looks already reversed in the data (scores use it as given)."""


@dataclass
class Answers:
    values: np.ndarray                # rows x items, column-major float64, NaN = blank
    unit: np.ndarray | None           # int64 unit codes
    unit_labels: pd.Index | None      # label of each code
    unit_name: str                    # the unit column's name, for messages and output


def unit_column(frame: pd.DataFrame | None, unit: Any, length: int) -> tuple[np.ndarray | None, pd.Index | None, str]:
    """Unit codes (int64, in sorted label order; a categorical keeps its categories' order)."""
    col = resolve(frame, unit, "unit", length)
    if col is None:
        return None, None, "unit"
    s = col.values
    missing = np.flatnonzero(s.isna().to_numpy())
    if missing.size:
        row = int(missing[0])
        raise InputError(f"column {col.name!r}, row {row}: the unit label is missing (every respondent needs "
                         "one; drop the row, label it, or pass unit=None)", column=col.name, row=row, rule="missing")
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(dtype=np.int64), pd.Index(s.cat.categories), col.name
    codes, uniques = pd.factorize(s, sort=True)
    return codes.astype(np.int64, copy=False), pd.Index(uniques), col.name


def answers(responses: Any, inst: Instrument, unit: Any = None) -> Answers:
    """Item columns named by the instrument, as numbers; unit codes."""
    frame = as_frame(responses)
    if frame is None:
        raise InputError("responses are required", column="responses", rule="required")
    items = inst.items
    values = np.empty((len(frame), len(items)), dtype=np.float64, order="F")
    for j, item in enumerate(items):  # one conversion per item column, not per row
        if item not in frame.columns:
            raise InputError(
                f"item {item!r} of instrument {inst.name!r} is not a column of the responses "
                f"(columns: {list(frame.columns)[:12]}{'...' if len(frame.columns) > 12 else ''})",
                column=item, rule="unknown_item")
        values[:, j] = numeric(Column(frame[item].reset_index(drop=True), item), allow_bool=False)
    codes, labels, name = unit_column(frame, unit, len(frame))
    return Answers(values, codes, labels, name)


def renamed(err: InputError, unit_name: str) -> InputError:
    """The core calls the unit column "unit"; say the caller's name instead."""
    if err.column != "unit" or unit_name == "unit":
        return err
    message = str(err).replace("column 'unit'", f"column '{unit_name}'", 1)
    return InputError(message, column=unit_name, row=err.row, rule=err.rule)


def min_n_arg(min_n: int | str | None) -> int:
    """The threshold for the core: 0 (the instrument's), a number >= 1, or a preset name."""
    if min_n is None:
        return 0
    if isinstance(min_n, str):
        from .. import _core

        return int(_core.culture.min_n_preset(min_n))
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise InputError(f"min_n must be a whole number >= 1 or a preset name, not {min_n!r}", column="min_n",
                         rule="range")
    return int(min_n)


def warn_polarity(checks_json: str | list[dict[str, Any]], stacklevel: int = 3) -> list[dict[str, Any]]:
    """Warn about reverse items that look already reversed; return the checks."""
    checks = json.loads(checks_json) if isinstance(checks_json, str) else checks_json
    for c in checks:
        warnings.warn(
            f"item {c['item']!r} is negatively worded, but after reversal it correlates negatively with the "
            f"rest of {c['composite']!r} (r = {c['r_rest']:.2f}, n = {c['n']}): were its answers already "
            "reversed before they reached qiscope? They are scored as given.",
            PolarityWarning, stacklevel=stacklevel)
    return checks
