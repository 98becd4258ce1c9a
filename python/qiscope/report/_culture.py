"""HTML display of safety-culture results: score tables, reliability, agreement and gaps.

Withheld cells say why in words (never a bare empty cell), the overall row reads "all
respondents", and percentages show one decimal, as survey reports do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from . import html as qh

if TYPE_CHECKING:
    from ..culture import AgreementResult, ReliabilityResult

__all__ = ["agreement_html", "gap_html", "reliability_html", "score_html"]

REASON_TEXT = {
    "below_min_n": "withheld: fewer answers than min_n",
    "complementary": "withheld: would reveal a withheld cell",
    "linked": "withheld: with its composite or items",
    "no_valid_answers": "no valid answers",
    "too_few": "withheld: too few answers",
    "constant": "no variation",
}


def _reason(v: Any) -> str:
    return "" if pd.isna(v) else qh.escape(REASON_TEXT.get(str(v), str(v)))


def _unit(v: Any) -> str:
    return "<b>all respondents</b>" if pd.isna(v) else qh.escape(v)


def _percent(v: Any) -> str:
    return "" if pd.isna(v) else f"{float(v):.1f}"


def _p_value(v: Any) -> str:
    if pd.isna(v):
        return ""
    return "&lt; 0.0001" if float(v) < 1e-4 else f"{float(v):.2g}"


def _statistics(rows: list[tuple[str, Any, Any, Any]], level: float | None = None) -> str:
    """A small table of named statistics with their interval."""
    frame = pd.DataFrame(rows, columns=["statistic", "estimate", "low", "high"])
    pct = f"{100 * level:g}% " if level is not None else ""
    return qh.table(frame, headers={"low": f"{pct}CI low", "high": f"{pct}CI high"})


def _cell(v: Any) -> str:
    """A wide table's cell: a percentage, or why there is none."""
    if isinstance(v, str):
        return "no answers" if v == "no_valid_answers" else "withheld"
    return _percent(v)


def score_html(table: pd.DataFrame) -> str:
    """A score table at a glance: percent positive of each composite (the 0-100 scales of a
    SAQ-type instrument; the items when there are no composites), all respondents then one row
    per unit; withheld cells say so. Every row stays in the DataFrame."""
    attrs = table.attrs
    unit = attrs.get("unit")
    kind = next((k for k in ("scale", "composite") if (table["kind"] == k).any()), "item")
    rows = table[table["kind"] == kind]
    title = f"Percent positive · {attrs.get('instrument', 'survey')} · {attrs.get('n_scored', '?')} respondents"
    if attrs.get("n_excluded"):
        title += f" ({attrs['n_excluded']} excluded)"
    notes = [f"No cell rests on fewer than {attrs.get('min_n', '?')} answers: \"withheld\" cells have too few, "
             "would reveal such a cell by subtraction, or go with a withheld composite or item."]
    if unit is None:  # overall only: one row per measure, with its interval
        cols = ["measure", "n_respondents", "n_valid", "percent_positive", "ci_low", "ci_high", "mean", "reason"]
        body = qh.table(rows, columns=cols, formatters={"percent_positive": _percent, "ci_low": _percent,
                                                        "ci_high": _percent, "reason": _reason},
                        headers={"n_respondents": "respondents", "n_valid": "answers",
                                 "percent_positive": "% positive", "ci_low": "CI low", "ci_high": "CI high",
                                 "reason": "note"})
    else:
        label = rows[unit].astype(object).where(rows[unit].notna(), "all respondents")
        value = rows["percent_positive"].astype(object).where(~rows["suppressed"], rows["reason"].astype(object))
        long = pd.DataFrame({unit: label.to_numpy(), "measure": rows["measure"].to_numpy(),
                             "cell": value.to_numpy(), "n": rows["n_respondents"].to_numpy()})
        wide = long.pivot(index=unit, columns="measure", values="cell")
        wide = wide.loc[pd.unique(long[unit]), pd.unique(long["measure"])]
        wide.insert(0, "respondents", long.groupby(unit, sort=False)["n"].max())
        measures = [str(m) for m in wide.columns[1:]]
        wide = wide.reset_index()
        body = qh.table(wide, headers={m: m.replace("_", " ") for m in measures},  # long names wrap
                        formatters={unit: lambda v: f"<b>{qh.escape(v)}</b>" if v == "all respondents"
                                    else qh.escape(v), **dict.fromkeys(measures, _cell)})
        notes.append(f"% positive by {kind}; the intervals, means and item rows are in the DataFrame.")
    flagged = attrs.get("polarity_checks", [])  # each one was warned about
    if flagged:
        notes.append(f"{len(flagged)} negatively worded item(s) look already reversed in the data: "
                     + ", ".join(str(c.get("item")) for c in flagged) + ".")
    return qh.block(body, title=title, note=" ".join(notes))


def reliability_html(res: ReliabilityResult) -> str:
    """Alpha with its intervals, omega, the item statistics and the notes."""
    title = f"Reliability of {res.measure!r} · {res.missing} · {res.n_used} respondents · {res.n_items} items"
    if res.suppressed:
        return qh.block(title=title, note=f"Withheld: {res.n_used} respondents, fewer than min_n = {res.min_n}.")
    stats = _statistics([
        ("Cronbach's alpha (Feldt interval)", res.alpha, res.alpha_ci_low, res.alpha_ci_high),
        ("Cronbach's alpha (Duhachek interval)", res.alpha, res.alpha_ase_ci_low, res.alpha_ase_ci_high),
        ("standardised alpha", res.std_alpha, None, None),
        ("average inter-item r", res.average_r, None, None),
        ("omega total", res.omega, None, None),
    ], float(res.conf_level))
    notes = [*res.notes, res.missing_data, f"Omega: {res.omega_estimator}."]
    return qh.block(stats, qh.table(res.items), title=title, note=" ".join(str(n) for n in notes if n))


def agreement_html(res: AgreementResult) -> str:
    """ICC(1) and ICC(2) with intervals, then rwg(j) per unit, withheld units explained."""
    title = f"Agreement on {res.measure!r} · {res.icc_units} units · {res.icc_n} respondents"
    stats = _statistics([
        ("ICC(1), mean group size", res.icc1, res.icc1_ci_low, res.icc1_ci_high),
        ("ICC(1), unbalanced n0", res.icc1_n0, None, None),
        ("ICC(2)", res.icc2, res.icc2_ci_low, res.icc2_ci_high),
    ])
    table = qh.table(res.units, formatters={"reason": _reason}, headers={"reason": "note"})
    notes = [*res.notes, f"rwg(j) against the uniform null variance {qh.fmt(res.null_variance)}.", res.missing_data]
    return qh.block(stats, table, title=title, note=" ".join(str(n) for n in notes if n))


def gap_html(table: pd.DataFrame, *, max_rows: int = 60) -> str:
    """The paired gap a - b: overall, then per unit, withheld units explained."""
    attrs = table.attrs
    unit = table.columns[0]
    cols = [unit, "n", "mean_a", "mean_b", "diff", "diff_ci_low", "diff_ci_high", "p", "wilcoxon_p", "d_z",
            "percent_positive_a", "percent_positive_b", "mcnemar_p", "reason"]
    a, b = attrs.get("a", "a"), attrs.get("b", "b")
    headers = {"mean_a": f"mean {a}", "mean_b": f"mean {b}", "diff": "gap", "diff_ci_low": "CI low",
               "diff_ci_high": "CI high", "p": "p (t)", "wilcoxon_p": "p (Wilcoxon)",
               "percent_positive_a": f"% positive {a}", "percent_positive_b": f"% positive {b}",
               "mcnemar_p": "p (McNemar)", "reason": "note"}
    formatters = {unit: _unit, "p": _p_value, "wilcoxon_p": _p_value, "mcnemar_p": _p_value,
                  "percent_positive_a": _percent, "percent_positive_b": _percent, "reason": _reason}
    level = f"{100 * float(attrs.get('conf_level', 0.95)):g}%"
    note = (f"Paired over respondents who answered both; {level} paired-t interval of the mean gap; d_z = mean "
            f"gap / SD of the gaps. Rows with fewer than {attrs.get('min_n', '?')} pairs are withheld.")
    return qh.block(qh.table(table, columns=cols, headers=headers, formatters=formatters, max_rows=max_rows),
                    title=f"Gap {a} − {b} (paired)", note=note)
