"""``reliability()`` and ``agreement()``: is a composite consistent, and does a unit agree?"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._serial import _floats, _parse_json
from ..errors import InputError
from ._instrument import Instrument, as_instrument
from ._responses import answers, min_n_arg, renamed, warn_polarity

__all__ = ["AgreementResult", "ReliabilityResult", "agreement", "reliability"]

OMEGA_ESTIMATOR = (
    "omega total from a one-factor minres (unweighted least squares) fit to the item correlation "
    "matrix, in psych::omega's form (1'R1 - sum of uniquenesses) / 1'R1; omega_mcdonald uses the "
    "model-implied denominator (sum of loadings)^2 + sum of uniquenesses"
)


def _default_measure(inst: Instrument, measure: str | None) -> str:
    if measure is not None:
        return measure
    composites = list(inst.composites)
    if len(composites) == 1:
        return composites[0]
    raise InputError(f"name the measure: instrument {inst.name!r} has composites {composites}", column="measure",
                     rule="required")


def _nan(v: Any) -> float:
    return float("nan") if v is None else float(v)


class _JsonResult:
    """A result backed by the core's JSON document: attributes, ``to_json``/``from_json``."""

    _format = ""
    _table_key = ""
    _table_columns: tuple[str, ...] = ()

    def __init__(self, doc: dict[str, Any]) -> None:
        if doc.get("format") != self._format:
            raise InputError(f"not a {self._format} document", column="json", rule="format")
        self._doc = doc

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (NaN written as None)."""
        return json.loads(json.dumps(self._doc))

    def to_json(self) -> str:
        """The result as JSON text, the same document the C++ core writes."""
        return json.dumps(self._doc)

    @classmethod
    def from_json(cls, text: str) -> Any:
        """Rebuild a result written by :meth:`to_json`. The document is read by the C++ reader, which
        checks every member's type, range and column length (InputError naming the member)."""
        _parse_json(text)  # text that is not JSON: the same error as every other result
        return cls(json.loads(_core.culture.checked_result_json(text)))

    def _table(self) -> pd.DataFrame:
        columns = self._doc[self._table_key]
        # JSON objects carry no column order: restore the documented one.
        return pd.DataFrame({k: (_floats(columns[k])
                                 if any(x is None or isinstance(x, float) for x in columns[k]) else columns[k])
                             for k in self._table_columns})

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and json.dumps(self._doc) == json.dumps(other._doc)  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


class ReliabilityResult(_JsonResult):
    """Reliability of one composite (see :func:`reliability`).

    Attributes
    ----------
    alpha, alpha_ci_low, alpha_ci_high : float
        Cronbach's alpha and its Feldt interval.
    alpha_ase, alpha_ase_ci_low, alpha_ase_ci_high : float
        Duhachek & Iacobucci's asymptotic standard error and the normal interval from it.
    std_alpha, average_r : float
        Standardised alpha and the mean inter-item correlation.
    omega, omega_mcdonald : float
        Omega total (see ``omega_estimator``); ``heywood`` flags an unstable fit.
    n_used : int
        Respondents behind the covariances (and the n of the Feldt interval).
    items : pandas.DataFrame
        ``item``, ``n_valid``, ``mean``, ``sd``, ``alpha_if_deleted``, ``std_alpha_if_deleted``,
        ``average_r_if_deleted``, ``r_drop`` (corrected item-total correlation), ``loading``.
    missing, missing_data
        The missing-data policy (``"listwise"`` or ``"pairwise"``) and what it means.
    suppressed, reason, notes
        Withheld below ``min_n`` respondents; notes say why a statistic is missing.
    """

    _format = "qiscope.culture.Reliability/1"
    _table_key = "items"
    _table_columns = ("item", "n_valid", "mean", "sd", "alpha_if_deleted", "std_alpha_if_deleted",
                      "average_r_if_deleted", "r_drop", "loading")
    omega_estimator = OMEGA_ESTIMATOR

    def __getattr__(self, name: str) -> Any:
        doc = self.__dict__.get("_doc", {})
        if name in doc and name != "items":
            value = doc[name]
            return _nan(value) if value is None or isinstance(value, float) else value
        raise AttributeError(name)

    @property
    def items(self) -> pd.DataFrame:
        return self._table()

    @property
    def summary(self) -> pd.DataFrame:
        """One row: measure, missing, n_used, n_items, alpha with intervals, std_alpha, average_r, omega."""
        keys = ["measure", "missing", "n_used", "n_items", "alpha", "alpha_ci_low", "alpha_ci_high", "alpha_ase",
                "std_alpha", "average_r", "omega", "omega_mcdonald", "heywood", "suppressed", "reason"]
        return pd.DataFrame([{k: getattr(self, k) for k in keys}])

    def _repr_html_(self) -> str:
        """Jupyter display: alpha with its intervals, omega, the item statistics, the notes."""
        from ..report._culture import reliability_html

        return reliability_html(self)

    def __repr__(self) -> str:
        if self.suppressed:
            return f"<ReliabilityResult {self.measure!r}: withheld ({self.n_used} respondents < min_n {self.min_n})>"
        return (f"<ReliabilityResult {self.measure!r} ({self.missing}, n={self.n_used}, k={self.n_items}): "
                f"alpha {self.alpha:.3f} [{self.alpha_ci_low:.3f}, {self.alpha_ci_high:.3f}], "
                f"omega {self.omega:.3f}>")


class AgreementResult(_JsonResult):
    """Within-unit agreement and between-unit reliability (see :func:`agreement`).

    Attributes
    ----------
    units : pandas.DataFrame
        One row per unit: ``unit``, ``n`` (rows behind rwg), ``n_respondents``, ``rwg_j``
        (rwg for a one-item measure), ``rwg_lindell``, ``ad_m``, ``mean_item_variance``,
        ``suppressed``, ``reason``.
    icc1, icc2 : float
        ICC(1) with the mean group size N/G and ICC(2), as multilevel::ICC1/ICC2 (not truncated).
    icc1_n0 : float
        ICC(1) with the classical unbalanced group size n0.
    icc1_ci_low, icc1_ci_high, icc2_ci_low, icc2_ci_high : float
        F-based limits as psych::statsBy.
    msb, msw, df_between, df_within, n0, mean_group_size, icc_n, icc_units
        The one-way ANOVA behind them.
    null_variance, missing_data, notes
        The uniform null (A^2 - 1)/12 and the missing-data policy in words.
    """

    _format = "qiscope.culture.Agreement/1"
    _table_key = "units"
    _table_columns = ("unit", "n", "n_respondents", "rwg_j", "rwg_lindell", "ad_m", "mean_item_variance",
                      "suppressed", "reason")

    def __init__(self, doc: dict[str, Any], unit_labels: pd.Index | None = None, unit_name: str = "unit") -> None:
        super().__init__(doc)
        self._labels = unit_labels if unit_labels is not None else pd.Index(doc.get("unit_labels", []))
        self._unit_name = unit_name

    def __getattr__(self, name: str) -> Any:
        doc = self.__dict__.get("_doc", {})
        if name in doc and name != "units":
            value = doc[name]
            return _nan(value) if value is None or isinstance(value, float) else value
        raise AttributeError(name)

    @property
    def units(self) -> pd.DataFrame:
        frame = self._table()
        frame["unit"] = pd.Categorical.from_codes(frame["unit"].to_numpy(dtype=np.int64), categories=self._labels)
        frame["suppressed"] = frame["suppressed"].astype(bool)
        frame["reason"] = pd.array([r or None for r in frame["reason"]], dtype="string")
        return frame.rename(columns={"unit": self._unit_name})

    def _repr_html_(self) -> str:
        """Jupyter display: ICC(1) and ICC(2) with intervals, then rwg(j) per unit."""
        from ..report._culture import agreement_html

        return agreement_html(self)

    def __repr__(self) -> str:
        return (f"<AgreementResult {self.measure!r}: {len(self._doc['units']['unit'])} units, "
                f"ICC(1) {self.icc1:.3f}, ICC(2) {self.icc2:.3f}>")


def reliability(
    responses: Any,
    inst: Instrument | str,
    measure: str | None = None,
    missing: str = "listwise",
    *,
    min_n: int | str | None = None,
    conf_level: float = 0.95,
    reverse_by: str = "scale",
) -> ReliabilityResult:
    """Internal consistency of a composite.

    Parameters
    ----------
    responses, inst
        As for :func:`qiscope.culture.score`.
    measure : str
        A composite of two or more items (default: the instrument's only composite).
    missing : {"listwise", "pairwise"}
        ``"listwise"`` (default, the textbook/SPSS value): complete cases only.
        ``"pairwise"`` (psych::alpha's default): each covariance from the respondents who
        answered both items, over every respondent with an answer in the composite, and the
        Feldt interval's n is that number of respondents.
    min_n : int or str, optional
        Withhold the result below this many respondents (default: the instrument's).

    Returns
    -------
    ReliabilityResult
        Alpha (raw and standardised, Feldt and Duhachek intervals), average r, alpha if an
        item is deleted, r.drop, and omega total (``omega_estimator`` states how it is
        estimated; iterative, so it agrees with psych to about 1e-5).

    References
    ----------
    Cronbach LJ. Psychometrika 1951;16:297-334. Feldt LS, Woodruff DJ, Salih FA. Appl Psychol
    Meas 1987;11:93-103. Duhachek A, Iacobucci D. J Appl Psychol 2004;89:792-808. McDonald RP.
    Test Theory: A Unified Treatment. 1999. Revelle W. psych 2.2.9 (alpha, omega).
    """
    inst = as_instrument(inst)
    measure = _default_measure(inst, measure)
    data = answers(responses, inst, None)
    text = _core.culture.reliability(inst._core, data.values, measure, missing, min_n_arg(min_n), float(conf_level),
                                     reverse_by)
    result = ReliabilityResult(json.loads(text))
    warn_polarity(result._doc["checks"])
    return result


def agreement(
    responses: Any,
    inst: Instrument | str,
    measure: str | None = None,
    unit: Any = "unit",
    *,
    min_n: int | str | None = None,
    conf_level: float = 0.95,
    reverse_by: str = "scale",
) -> AgreementResult:
    """Does each unit agree enough for its mean to describe it? rwg(j) per unit, ICC(1)/ICC(2).

    Parameters
    ----------
    measure : str
        A composite or an item (default: the instrument's only composite).
    unit : str or array-like
        The unit of each respondent.
    min_n : int or str, optional
        Units with fewer respondents have their statistics withheld (default: the instrument's).

    Returns
    -------
    AgreementResult
        ``units`` (rwg_j with the uniform null (A^2 - 1)/12, observed variance above it truncated
        to it; complete rows per unit, as multilevel::rwg.j; NaN for a single respondent) and the
        ICCs from a one-way ANOVA of respondents' composite scores on unit.

    References
    ----------
    James LR, Demaree RG, Wolf G. J Appl Psychol 1984;69:85-98. Lindell MK, Brandt CJ, Whitney DJ.
    Appl Psychol Meas 1999;23:127-35. Bliese PD (2000) in Klein & Kozlowski (eds), Multilevel
    theory, research, and methods in organizations. Bliese PD. multilevel 2.7.
    """
    inst = as_instrument(inst)
    measure = _default_measure(inst, measure)
    data = answers(responses, inst, unit)
    if data.unit is None:
        raise InputError("agreement compares respondents within units: give unit=", column="unit", rule="required")
    labels = [str(v) for v in data.unit_labels] if data.unit_labels is not None else []
    try:
        text = _core.culture.agreement(inst._core, data.values, data.unit, labels, measure, min_n_arg(min_n),
                                       float(conf_level), reverse_by)
    except InputError as err:
        raise renamed(err, data.unit_name) from None
    return AgreementResult(json.loads(text), data.unit_labels, data.unit_name)
