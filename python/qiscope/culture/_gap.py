"""``gap()``: paired comparison of two items answered by the same respondents."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._frames import Column, as_frame, numeric, resolve
from .._serial import _floats
from ..errors import InputError
from ._instrument import Instrument, as_instrument
from ._responses import answers, min_n_arg, renamed, unit_column
from ._tables import GapTable

__all__ = ["gap"]

_COLUMNS = ["n", "mean_a", "mean_b", "diff", "sd_diff", "diff_ci_low", "diff_ci_high", "t", "df", "p", "wilcoxon_v",
            "wilcoxon_p", "wilcoxon_exact", "n_nonzero", "d_z", "percent_positive_a", "percent_positive_b",
            "percent_positive_diff", "percent_diff_ci_low", "percent_diff_ci_high", "mcnemar_p", "suppressed",
            "reason"]


def gap(
    responses: Any,
    inst: Instrument | str | None = None,
    *,
    a: Any = None,
    b: Any = None,
    unit: Any = None,
    min_n: int | str | None = None,
    conf_level: float = 0.95,
    reverse_by: str = "scale",
    positive: tuple[int, int] | None = None,
) -> GapTable:
    """The paired gap a - b between two items answered by the same respondents.

    Parameters
    ----------
    responses : DataFrame or mapping
        One row per respondent.
    inst : Instrument or str, optional
        With an instrument, ``a`` and ``b`` are its item IDs (default: its first pair); answers
        are checked against the scale, reverse-scored, and counted positive by its rule.
        Without one, ``a`` and ``b`` are numeric columns used as given (NaN = no answer) and
        ``positive`` (an inclusive range) enables the percent-positive columns.
    a, b : str or array-like
        The two items; the gap is a - b.
    unit : str or array-like, optional
        Also one row per unit (after the overall row).
    min_n : int or str, optional
        Rows with fewer complete pairs are withheld, with a complementary unit where needed
        (default: the instrument's, else 10).

    Returns
    -------
    GapTable
        A pandas DataFrame (shown in Jupyter with the overall row named and withheld units
        explained). The overall row (unit missing) first, then one per unit: ``n`` (complete pairs),
        ``mean_a``, ``mean_b`` (of the pairs), ``diff``, ``sd_diff``, ``diff_ci_low``,
        ``diff_ci_high``, ``t``, ``df``, ``p`` (paired t, as R ``t.test(paired = TRUE)``),
        ``wilcoxon_v``, ``wilcoxon_p``, ``wilcoxon_exact`` (R ``wilcox.test(paired = TRUE)``:
        zero differences dropped, mid-ranks; exact p without ties or zeros below 50 pairs,
        otherwise the tie-corrected normal approximation with continuity correction),
        ``n_nonzero``, ``d_z`` (mean difference / SD of the differences - not pingouin's d_av),
        ``percent_positive_a``, ``percent_positive_b``, ``percent_positive_diff`` with
        Newcombe's paired (method 10) interval ``percent_diff_ci_low``/``_high`` and the exact
        McNemar ``mcnemar_p``, ``suppressed``, ``reason``.

    References
    ----------
    Newcombe RG. Stat Med 1998;17:2635-50 (paired proportions). Lakens D. Front Psychol
    2013;4:863 (d_z). Fagerland MW, Lydersen S, Laake P. Statistical Analysis of Contingency
    Tables. CRC, 2017 (ch. 8).
    """
    frame = as_frame(responses)
    if inst is not None:
        inst = as_instrument(inst)
        if a is None and b is None and inst.pairs:
            a, b = inst.pairs[0]
        if not isinstance(a, str) or not isinstance(b, str):
            raise InputError("with an instrument, a= and b= are item IDs", column="a", rule="type")
        data = answers(frame, inst, unit)
        labels = [str(v) for v in data.unit_labels] if data.unit_labels is not None else []
        try:
            text = _core.culture.gap(inst._core, data.values, data.unit, labels, a, b, min_n_arg(min_n),
                                     float(conf_level), reverse_by)
        except InputError as err:
            raise renamed(err, data.unit_name) from None
        unit_labels, unit_name = data.unit_labels, data.unit_name
    else:
        if a is None or b is None:
            raise InputError("give the two items: a= and b=", column="a" if a is None else "b", rule="required")
        a_col = resolve(frame, a, "a")
        assert a_col is not None
        length = len(a_col.values)
        b_col = resolve(frame, b, "b", length)
        assert b_col is not None
        codes, unit_labels, unit_name = unit_column(frame, unit, length)
        labels = [str(v) for v in unit_labels] if unit_labels is not None else []
        rng = None if positive is None else (int(positive[0]), int(positive[1]))
        try:
            text = _core.culture.gap_values(numeric(Column(a_col.values, a_col.name)),
                                            numeric(Column(b_col.values, b_col.name)), codes, labels, a_col.name,
                                            b_col.name, min_n_arg(min_n), float(conf_level), rng)
        except InputError as err:
            raise renamed(err, unit_name) from None
    doc = json.loads(text)
    rows = doc["rows"]
    out = pd.DataFrame({
        unit_name: pd.Categorical.from_codes(np.asarray(rows["unit"], dtype=np.int64),
                                             categories=unit_labels if unit_labels is not None else []),
    })
    for col in _COLUMNS:
        values = rows[col]
        if col == "reason":
            out[col] = pd.array([r or None for r in values], dtype="string")
        elif col in ("suppressed", "wilcoxon_exact"):
            out[col] = np.asarray(values, dtype=bool)
        elif col in ("n", "n_nonzero"):
            arr = np.asarray(values, dtype=np.int64)
            out[col] = pd.array(np.where(arr < 0, 0, arr), dtype="Int64")
            out.loc[arr < 0, col] = pd.NA
        else:
            out[col] = _floats(values)
    out.attrs = {"a": doc["a"], "b": doc["b"], "min_n": doc["min_n"], "conf_level": doc["conf_level"],
                 "unit": unit_name if unit is not None else None}
    return GapTable.of(out)
