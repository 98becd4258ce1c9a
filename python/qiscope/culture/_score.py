"""``score()``: percent positive per unit and overall, and the tables that feed SPC and funnels."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from .._frames import as_frame, group_codes
from ..errors import InputError
from ._instrument import Instrument, as_instrument
from ._responses import answers, min_n_arg, renamed, warn_polarity
from ._tables import ScoreTable

__all__ = ["score", "unit_funnel", "unit_table", "wave_chart", "wave_table"]

_COLUMNS = ["unit", "measure", "kind", "n_respondents", "n_valid", "percent_positive", "percent_neutral",
            "percent_negative", "ci_low", "ci_high", "mean", "suppressed", "reason", "n_positive", "n_neutral",
            "n_negative", "n_dna"]


def score(
    responses: Any,
    inst: Instrument | str,
    unit: Any = "unit",
    min_n: int | str | None = None,
    *,
    conf_level: float = 0.95,
    composite: str = "item_mean",
    reverse_by: str = "scale",
) -> ScoreTable:
    """Percent positive, neutral and negative with intervals, and mean scores, per unit and
    overall, with small cells suppressed.

    Parameters
    ----------
    responses : DataFrame or mapping
        One row per respondent; one column per instrument item holding the raw code as answered
        (negatively worded items not reversed; blanks, missing and DNA codes as typed).
    inst : Instrument or str
        The instrument, or the name of a built-in one.
    unit : str or array-like, optional
        The unit of each respondent (ward, team, department). None: overall only.
    min_n : int or {"default", "ahrq", "nss"}, optional
        No released cell rests on fewer valid answers (default: the instrument's ``min_n``;
        presets 10, 5, 11). Cells that would let a reader recover a suppressed cell by
        subtraction are suppressed too.
    conf_level : float
        Level of the intervals.
    composite : {"item_mean", "pooled"}
        A composite's percentages: the unweighted mean of its items' (AHRQ, default) or all
        positive answers over all valid answers.
    reverse_by : {"scale", "observed"}
        Reverse scoring with the scale's bounds (min + max - x, the published method) or, as
        psych does, with the smallest and largest answer observed.

    Returns
    -------
    ScoreTable
        A pandas DataFrame (in Jupyter it shows the composite rows, withheld cells explained).
        One row per unit (missing for the overall rows, which come first), measure and kind
        (``"item"``, ``"composite"``, ``"scale"``): ``n_respondents``, ``n_valid``,
        ``percent_positive``, ``percent_neutral``, ``percent_negative``, ``ci_low``, ``ci_high``
        (percent), ``mean``, ``suppressed``, ``reason``, and the counts ``n_positive``,
        ``n_neutral``, ``n_negative``, ``n_dna``.

        - Items: percentages of valid answers (DNA/DK and missing codes excluded, neutral
          kept); Wilson score interval (as R ``prop.test(correct = FALSE)``); mean of the
          reverse-scored answers.
        - Composites: ``n_respondents`` counts respondents with a composite score, ``n_valid``
          the pooled answers; the interval is a Wilson interval on the Kish effective size from
          the respondent-clustered (linearised) variance, because one person answers several
          items of a composite; ``mean`` is the mean of respondents' composite scores (mean of
          their answered items).
        - Scale rows (instruments with ``scale_score="0-100"``, the SAQ): ``mean`` is the mean
          0-100 score, ``percent_positive`` the share of respondents at or above
          ``respondent_positive`` with its Wilson interval; neutral and negative are undefined.
        - Suppressed rows keep ``n_respondents`` and ``n_valid`` but no statistic; ``reason``
          says why: ``below_min_n``, ``complementary`` (protects a suppressed sibling),
          ``linked`` (a composite and its items); ``no_valid_answers`` marks empty cells.

        ``attrs`` holds ``instrument``, ``min_n``, ``n_rows``, ``n_scored``, ``n_excluded`` and
        ``polarity_checks``.

    Warns
    -----
    PolarityWarning
        When a negatively worded item looks already reversed in the data.

    References
    ----------
    AHRQ. SOPS Hospital Survey 2.0: Items and Composite Measures; User's Guide (2019).
    Sexton JB et al. BMC Health Serv Res 2006;6:44 (SAQ scoring).
    Wilson EB. J Am Stat Assoc 1927;22:209-12. Kish L. Survey Sampling. Wiley, 1965.
    """
    inst = as_instrument(inst)
    data = answers(responses, inst, unit)
    labels = [str(v) for v in data.unit_labels] if data.unit_labels is not None else []
    try:
        out = _core.culture.score(inst._core, data.values, data.unit, labels, min_n_arg(min_n), float(conf_level),
                                  composite, reverse_by)
    except InputError as err:
        raise renamed(err, data.unit_name) from None
    return scored_table(out, inst, data.unit_labels, data.unit_name if data.unit is not None else None,
                        conf_level=conf_level, composite=composite)


def scored_table(out: dict[str, Any], inst: Instrument, unit_labels: pd.Index | None, unit_name: str | None, *,
                 conf_level: float, composite: str) -> ScoreTable:
    """The ScoreTable of the core's columns ``out`` (from ``score`` or ``score_from_counts``)."""
    table = _frame(out, unit_labels, unit_name or "unit")
    table.attrs.update({
        "instrument": inst.name,
        "min_n": int(out["min_n"]),
        "conf_level": float(conf_level),
        "composite": composite,
        "unit": unit_name,
        "n_rows": int(out["n_rows"]),
        "n_scored": int(out["n_scored"]),
        "n_excluded": int(out["n_excluded"]),
        "polarity_checks": warn_polarity(out["checks"], stacklevel=4),
    })
    return ScoreTable.of(table)


def _frame(out: dict[str, Any], unit_labels: pd.Index | None, unit_name: str) -> pd.DataFrame:
    codes = out["unit"]
    categories = unit_labels if unit_labels is not None else pd.Index([], dtype=object)
    frame = pd.DataFrame({
        "unit": pd.Categorical.from_codes(codes, categories=categories),
        "measure": np.asarray(out["measures"], dtype=object)[out["measure"]],
        "kind": pd.Categorical.from_codes(out["kind"].astype(np.int8), categories=list(_core.culture.kind_names)),
    })
    for col in ("n_respondents", "n_valid"):
        frame[col] = out[col]
    for col in ("percent_positive", "percent_neutral", "percent_negative", "ci_low", "ci_high", "mean"):
        frame[col] = out[col]
    frame["suppressed"] = out["suppressed"].astype(bool)
    reasons = np.asarray(_core.culture.reason_names, dtype=object)[out["reason"].astype(np.int64)]
    frame["reason"] = pd.array(np.where(reasons == "", None, reasons), dtype="string")
    for col in ("n_positive", "n_neutral", "n_negative", "n_dna"):
        values = out[col]
        frame[col] = pd.array(np.where(values < 0, 0, values), dtype="Int64")
        frame.loc[values < 0, col] = pd.NA
    if unit_name != "unit":
        frame = frame.rename(columns={"unit": unit_name}) if unit_name not in frame.columns else frame
    return frame[[c if c != "unit" else unit_name for c in _COLUMNS]]


def _measure_rows(table: pd.DataFrame, inst: Instrument, measure: str) -> pd.DataFrame:
    rows = table[table["measure"] == measure]
    if rows.empty:
        raise InputError(f"{measure!r} is neither a composite nor an item of instrument {inst.name!r}",
                         column="measure", rule="unknown_measure")
    # A composite's count rows (pooled answers); the 0-100 scale row is a different statistic.
    return rows[rows["kind"] != "scale"]


def unit_table(responses: Any, inst: Instrument | str, measure: str, unit: Any = "unit",
               min_n: int | str | None = None, **score_options: Any) -> pd.DataFrame:
    """Positives and valid answers of one measure per unit, ready for a funnel plot.

    One row per unit: the unit, ``n_positive``, ``n_valid``, ``percent_positive``,
    ``suppressed``, ``reason``. Suppressed units have no counts (leave them out of the plot,
    do not impute them). ``attrs["overall"]`` holds the overall positives and valid answers (the
    funnel's target). For a composite the counts pool its items' answers: a funnel (binomial
    limits) then treats answers as independent, which they are not within a respondent, so its
    limits are too narrow - prefer an item, or over-dispersion-adjusted limits.

    Draw it with ``qi.funnel(table, y="n_positive", n="n_valid", by=<unit>, kind="proportion")``.
    """
    inst = as_instrument(inst)
    table = score(responses, inst, unit=unit, min_n=min_n, **score_options)
    name = table.attrs["unit"] or "unit"
    rows = _measure_rows(table, inst, measure)
    overall = rows[rows[name].isna()].iloc[0]
    units = rows[rows[name].notna()].reset_index(drop=True)
    out = units[[name, "n_positive", "n_valid", "percent_positive", "suppressed", "reason"]].copy()
    out.attrs = {"measure": measure, "kind": str(overall["kind"]), "min_n": table.attrs["min_n"],
                 "overall": {"n_positive": None if pd.isna(overall["n_positive"]) else int(overall["n_positive"]),
                             "n_valid": int(overall["n_valid"]),
                             "percent_positive": float(overall["percent_positive"])}}
    return out


def unit_funnel(responses: Any, inst: Instrument | str, measure: str, unit: Any = "unit",
                min_n: int | str | None = None, *, target: float | None = None, multiply: float = 100,
                reverse_by: str = "scale", **funnel_options: Any) -> Any:
    """Percent positive of one measure by unit as a funnel plot.

    Builds :func:`unit_table` and hands the units' positives and valid answers to
    :func:`qiscope.funnel` with ``kind="proportion"``: the limits come from the one funnel
    engine (exact binomial limits by default; ``overdispersion=``, ``profile="funnelplotr"`` and
    every other option of :func:`qiscope.funnel` pass through).

    Privacy: units whose cell is suppressed (below ``min_n``, or withheld to protect another
    unit) are **not plotted** - their counts never leave the core. They are listed in the
    result's ``withheld`` (and in its display and chart), so a reader knows they exist.

    The centre line is the trust's percent positive over **all** respondents, suppressed units
    included (the "trust value" of Spiegelhalter 2005): the overall row the score table already
    releases, as pooled positives / valid answers. Pass ``target=`` (a proportion, 0 to 1) for
    an external benchmark.

    For a composite the counts pool its items' answers; one respondent's answers are
    correlated, so binomial limits are too narrow: prefer a single item, or
    ``overdispersion="multiplicative"`` / ``"additive"``.

    Parameters
    ----------
    responses, inst, unit, min_n
        As for :func:`score`; ``unit`` is required.
    measure : str
        An item or a composite of the instrument.
    target : float, optional
        The centre line as a proportion (default: the trust's pooled proportion).
    multiply : float
        Scale of values and limits (default 100: percent, as the score table).
    **funnel_options
        Passed to :func:`qiscope.funnel` (``overdispersion``, ``limits``, ``profile``, ...).

    Returns
    -------
    qiscope.FunnelResult
        One point per shown unit; ``withheld`` lists the suppressed units.

    Examples
    --------
    >>> import qiscope as qi
    >>> f = qi.culture.unit_funnel(qi.culture.example_survey(), "sops-hospital-2.0", "E1")
    >>> f.withheld
    ['Endoscopy', 'Stroke']

    References
    ----------
    Spiegelhalter DJ (2005) Funnel plots for comparing institutional performance. Stat Med
    24:1185-1202.
    """
    from ..funnel import funnel

    if unit is None:
        raise InputError("a funnel plot compares units: give unit=", column="unit", rule="required")
    table = unit_table(responses, inst, measure, unit=unit, min_n=min_n, reverse_by=reverse_by)
    name = table.columns[0]
    shown = table[~table["suppressed"]]
    withheld = [str(u) for u in table.loc[table["suppressed"], name]]
    if shown.empty:
        raise InputError(f"every unit's {measure!r} cell is suppressed (min_n {table.attrs['min_n']}): nothing "
                         "can be plotted", column=str(name), rule="all_suppressed")
    if target is None:
        overall = table.attrs["overall"]
        if overall["n_positive"] is not None:  # else funnel's own default, the shown units' pooled value
            target = overall["n_positive"] / overall["n_valid"]
    result = funnel(shown, y="n_positive", n="n_valid", by=name, kind="proportion", target=target,
                    multiply=multiply, **funnel_options)
    scale = "percent" if multiply == 100 else "proportion"
    result.spec.update({"measure": measure, "min_n": table.attrs["min_n"], "withheld": withheld,
                        "withheld_reason": f"fewer than {table.attrs['min_n']} valid answers, or protecting "
                                           "such a unit (privacy)",
                        "n_label": "Valid answers", "value_label": f"{measure}: {scale} positive"})
    return result


def wave_table(responses: Any, inst: Instrument | str, measure: str, wave: Any = "wave", unit: Any = None,
               min_n: int | str | None = None, **score_options: Any) -> pd.DataFrame:
    """Positives and valid answers of one measure per survey wave (and unit), for SPC.

    With ``unit``, cells are unit-by-wave, suppressed against the all-respondents total.
    Returns one row per wave (per unit and wave, in sorted order): the unit, the wave,
    ``n_positive``, ``n_valid``, ``percent_positive``, ``suppressed``, ``reason``.
    """
    inst = as_instrument(inst)
    frame = as_frame(responses)
    if frame is None:
        raise InputError("responses are required", column="responses", rule="required")
    frame = frame.reset_index(drop=True)
    codes, labels, names = group_codes(frame, [wave] if unit is None else [unit, wave], len(frame))
    assert codes is not None and labels is not None
    table = score(frame, inst, unit=codes, min_n=min_n, **score_options)
    rows = _measure_rows(table, inst, measure)
    rows = rows[rows["unit"].notna()].reset_index(drop=True)
    out = labels.iloc[rows["unit"].astype(np.int64).to_numpy()].reset_index(drop=True)
    for col in ("n_positive", "n_valid", "percent_positive", "suppressed", "reason"):
        out[col] = rows[col].array
    out.attrs = {"measure": measure, "min_n": table.attrs["min_n"], "wave": names[-1],
                 "unit": names[0] if unit is not None else None}
    return out


def wave_chart(responses: Any, inst: Instrument | str, measure: str, wave: Any = "wave", unit: Any = None,
               chart: str = "p", min_n: int | str | None = None, **spc_options: Any) -> Any:
    """A p-chart (or ``chart="pp"``, Laney's p') of a measure's percent positive by wave.

    Computed by :func:`qiscope.spc` from :func:`wave_table`: the limits come from the one SPC
    engine. Suppressed waves are plotted as missing points. For a composite the points are
    pooled percentages (all positive answers over all answers), which differ slightly from
    AHRQ's item average, and the answers of one respondent are correlated, so p-chart limits
    are too narrow: use an item, or ``chart="pp"``. A handful of annual waves is too few for
    the runs rules; quarterly pulse surveys suit SPC better.
    """
    from ..spc import spc

    table = wave_table(responses, inst, measure, wave=wave, unit=unit, min_n=min_n)
    data = table.assign(n_positive=table["n_positive"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan))
    return spc(data, y="n_positive", n="n_valid", x=table.attrs["wave"], by=table.attrs["unit"], chart=chart,
               multiply=100, **spc_options)
