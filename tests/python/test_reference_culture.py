"""Every value of the culture reference cases (psych 2.2.9, multilevel 2.7, base R; see
shared/reference/culture/README.md) reproduced by qiscope: closed forms to rtol 1e-9, counts
exactly, omega to 1e-4 absolute."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

import qiscope as qi
from conftest import REFERENCE, requires_shared

pytestmark = requires_shared

CASES = ([c for c in json.loads((REFERENCE / "cases.json").read_text())["cases"] if c["tool"] == "culture"]
         if (REFERENCE / "cases.json").exists() else [])


def close(actual: Any, expected: Any, rel: float = 1e-9) -> None:
    if expected is None:
        assert actual is None or (isinstance(actual, float) and math.isnan(actual))
        return
    assert actual == pytest.approx(expected, rel=rel, abs=1e-12)


def load(case: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any]]:
    files = case["files"]
    data = pd.read_csv(REFERENCE / files["input"])
    meta = json.loads((REFERENCE / files["meta"]).read_text())
    expected = json.loads((REFERENCE / files["expected"]).read_text())
    return data, meta, expected


def instrument(case: dict[str, Any], **extra: Any) -> qi.culture.Instrument:
    return qi.culture.Instrument(**case["instrument"], **extra)


ids = [c["case"] for c in CASES]


@pytest.fixture(params=CASES, ids=ids)
def case(request: pytest.FixtureRequest) -> dict[str, Any]:
    return request.param


def row(table: pd.DataFrame, unit: str | None, measure: str, kind: str = "item") -> pd.Series:
    sel = (table["measure"] == measure) & (table["kind"] == kind)
    sel &= table["unit"].isna() if unit is None else (table["unit"] == unit)
    found = table[sel]
    assert len(found) == 1, (unit, measure, kind)
    return found.iloc[0]


def check_wilson(r: pd.Series, e: dict[str, Any], prefix: str = "") -> None:
    """Percent positive and its Wilson interval against e[prefix + ...]."""
    close(r["percent_positive"], e[f"{prefix}pct_positive"])
    close(r["ci_low"], e[f"{prefix}wilson95_lower_pct"])
    close(r["ci_high"], e[f"{prefix}wilson95_upper_pct"])


def check_item(r: pd.Series, e: dict[str, Any]) -> None:
    assert r["n_valid"] == e["n_valid"]
    assert r["n_positive"] == e["n_positive"]
    assert r["n_neutral"] == e["n_neutral"]
    assert r["n_negative"] == e["n_negative"]
    check_wilson(r, e)
    close(r["percent_neutral"], e["pct_neutral"])
    close(r["percent_negative"], e["pct_negative"])
    assert not r["suppressed"]


def test_score_items_and_composites(case: dict[str, Any]) -> None:
    data, meta, expected = load(case)
    unit = case["calls"]["score"]["unit"]
    table = qi.culture.score(data, instrument(case), unit=unit, min_n=case["calls"]["score"]["min_n"])
    pp = expected["percent_positive"]
    for item, e in pp["items_overall"].items():
        check_item(row(table, None, item), e)
    for u, items in pp["items_by_unit"].items():
        for item, e in items.items():
            check_item(row(table, u, item), e)
    scores = pd.DataFrame(expected["respondent_scores"])
    for name, e in pp["composites_overall"].items():
        r = row(table, None, name, "composite")
        close(r["percent_positive"], e["pct_positive"])
        assert r["n_valid"] == e["pooled_n_valid"]
        assert r["n_positive"] == e["pooled_n_positive"]
        means = scores[f"mean_{name}"].dropna()
        assert r["n_respondents"] == len(means)
        close(r["mean"], means.mean())
    for u, comps in pp["composites_by_unit"].items():
        for name, e in comps.items():
            r = row(table, u, name, "composite")
            close(r["percent_positive"], e["pct_positive"])
            means = scores.loc[scores["unit"] == u, f"mean_{name}"].dropna()
            assert r["n_respondents"] == len(means)
            close(r["mean"], means.mean())
    assert not table["suppressed"].any()
    # Respondent counts per unit (respondents with at least one answer).
    for uc in expected["unit_counts"]:
        for item, n_valid in uc["item_valid_n"].items():
            r = row(table, uc["unit"], item)
            assert r["n_valid"] == n_valid
            assert r["n_respondents"] == uc["n_included"]
    assert table.attrs["n_scored"] == expected["preprocessing"]["n_included"]


def test_score_pooled_composites(case: dict[str, Any]) -> None:
    data, _, expected = load(case)
    table = qi.culture.score(data, instrument(case), unit="unit", min_n=1, composite="pooled")
    pp = expected["percent_positive"]
    for u, comps in [(None, pp["composites_overall"]), *pp["composites_by_unit"].items()]:
        for name, e in comps.items():
            check_wilson(row(table, u, name, "composite"), e, prefix="pooled_")


def _reliability_calls(case: dict[str, Any]) -> list[dict[str, Any]]:
    return case["calls"]["reliability"]


def test_reliability(case: dict[str, Any]) -> None:
    data, _, expected = load(case)
    calls = _reliability_calls(case)
    if not calls:
        pytest.skip("no composite of three or more items in this case")
    for call in calls:
        comp = expected["composites"][call["measure"]]
        key = "alpha_complete" if call["missing"] == "listwise" else "alpha_pairwise"
        e = comp[key]
        res = qi.culture.reliability(data, instrument(case), measure=call["measure"], missing=call["missing"])
        assert res.n_used == e["n_rows_passed"]
        assert res.n_items == e["n_items"]
        for attr, value in [("alpha", e["raw_alpha"]), ("std_alpha", e["std_alpha"]), ("average_r", e["average_r"]),
                            ("alpha_ase", e["ase"]), ("alpha_ci_low", e["feldt_formula"]["lower"]),
                            ("alpha_ci_high", e["feldt_formula"]["upper"])]:
            close(getattr(res, attr), value)
        items = res.items.set_index("item")
        for item, value in e["alpha_if_dropped"]["raw_alpha"].items():
            close(items.loc[item, "alpha_if_deleted"], value)
            close(items.loc[item, "std_alpha_if_deleted"], e["alpha_if_dropped"]["std_alpha"][item])
            close(items.loc[item, "average_r_if_deleted"], e["alpha_if_dropped"]["average_r"][item])
            close(items.loc[item, "r_drop"], e["item_stats"]["r_drop"][item])
            close(items.loc[item, "mean"], e["item_stats"]["mean"][item])
            close(items.loc[item, "sd"], e["item_stats"]["sd"][item])
            assert items.loc[item, "n_valid"] == e["item_valid_n"][item]
        if call["missing"] == "listwise":  # the textbook computation agrees with psych here
            t = comp["alpha_textbook_complete"]
            close(res.alpha, t["raw_alpha"])
            for item, value in t["r_drop"].items():
                close(items.loc[item, "r_drop"], value)
        omega = comp["omega"]["psych_omega_complete" if call["missing"] == "listwise" else "psych_omega_pairwise"]
        if omega["heywood"]:
            continue  # not a stable reference (README)
        assert res.omega == pytest.approx(omega["omega_tot"], abs=1e-4)
        assert res.omega_mcdonald == pytest.approx(omega["omega_textbook_from_these_loadings"], abs=1e-4)
        loadings = pd.Series(omega["loadings_g"])
        np.testing.assert_allclose(items.loc[loadings.index, "loading"], loadings, atol=1e-3)


def test_agreement(case: dict[str, Any]) -> None:
    data, _, expected = load(case)
    for call in case["calls"]["agreement"]:
        comp = expected["composites"][call["measure"]]
        res = qi.culture.agreement(data, instrument(case), measure=call["measure"], unit=call["unit"])
        units = res.units.set_index(call["unit"])
        if "rwg_j" in comp:
            seen = set()
            for e in comp["rwg_j"]["units"]:
                close(units.loc[e["unit"], "rwg_j"], e["rwg_j"])
                close(units.loc[e["unit"], "mean_item_variance"], e["mean_item_var"])
                assert units.loc[e["unit"], "n"] == e["gsize"]
                seen.add(e["unit"])
            for u in set(units.index) - seen:  # units with no complete row are absent in multilevel
                assert math.isnan(units.loc[u, "rwg_j"])
        else:  # a one-item measure: rwg of the item
            (item,) = comp["items"]
            for e in expected["rwg_items"]["items"][item]:
                close(units.loc[e["unit"], "rwg_j"], e["rwg"])
                assert units.loc[e["unit"], "n"] == e["gsize"]
        icc = comp["icc"]
        assert res.icc_n == icc["n"]
        assert res.icc_units == icc["n_units"]
        for attr, key in [("df_between", "df_between"), ("df_within", "df_within"), ("msb", "MSB"), ("msw", "MSW"),
                          ("icc1", "ICC1"), ("icc2", "ICC2"), ("mean_group_size", "ICC1_group_size_used"),
                          ("icc1_n0", "ICC1_textbook_n0"), ("n0", "n0")]:
            close(getattr(res, attr), icc[key])


def test_rwg_of_every_item(case: dict[str, Any]) -> None:
    data, _, expected = load(case)
    inst = instrument(case)
    for item, units in expected["rwg_items"]["items"].items():
        res = qi.culture.agreement(data, inst, measure=item, unit="unit").units.set_index("unit")
        for e in units:
            close(res.loc[e["unit"], "rwg_j"], e["rwg"])
            assert res.loc[e["unit"], "n"] == e["gsize"]


def test_gap(case: dict[str, Any]) -> None:
    data, _, expected = load(case)
    call = case["calls"]["gap"]
    if call is None:
        pytest.skip("no paired items in this case")
    e = expected["paired_gap"]
    out = qi.culture.gap(data, instrument(case), a=call["a"], b=call["b"], unit="unit")
    overall = out.iloc[0]
    assert pd.isna(overall["unit"])
    assert overall["n"] == e["n_pairs"]
    close(overall["mean_a"], e["mean_x_pairs"])
    close(overall["mean_b"], e["mean_y_pairs"])
    close(overall["diff"], e["mean_diff"])
    close(overall["sd_diff"], e["sd_diff"])
    close(overall["t"], e["t_test"]["t"])
    close(overall["df"], e["t_test"]["df"])
    close(overall["p"], e["t_test"]["p_value"])
    close(overall["diff_ci_low"], e["t_test"]["ci95_lower"])
    close(overall["diff_ci_high"], e["t_test"]["ci95_upper"])
    close(overall["wilcoxon_v"], e["wilcoxon"]["V"])
    close(overall["wilcoxon_p"], e["wilcoxon"]["p_value"])
    assert overall["n_nonzero"] == e["wilcoxon"]["n_nonzero"]
    assert not overall["wilcoxon_exact"]
    close(overall["d_z"], e["d_z"])
    by_unit = out.iloc[1:].set_index("unit")
    for u in e["by_unit"]:
        r = by_unit.loc[u["unit"]]
        assert r["n"] == u["n_pairs"]
        close(r["mean_a"], u["mean_x"])
        close(r["mean_b"], u["mean_y"])
        close(r["diff"], u["mean_diff"])
        close(r["sd_diff"], u["sd_diff"])
    # The same from plain columns, without an instrument (no reverse items in this case).
    plain = qi.culture.gap(data, a=call["a"], b=call["b"], min_n=1)
    close(plain.iloc[0]["t"], e["t_test"]["t"])
    close(plain.iloc[0]["wilcoxon_p"], e["wilcoxon"]["p_value"])


def test_saq_scale_scores(case: dict[str, Any]) -> None:
    data, meta, expected = load(case)
    if "saq" not in expected:
        pytest.skip("no SAQ block in this case")
    saq = meta["saq"]
    inst = instrument(case, scale_score="0-100", respondent_positive=saq["positive_if_score_at_least"])
    table = qi.culture.score(data, inst, unit="unit", min_n=1)
    (name,) = case["instrument"]["composites"]
    e = expected["saq"]
    for u in [{"unit": None, **e["overall"]}, *e["units"]]:
        r = row(table, u["unit"], name, "scale")
        assert r["n_respondents"] == u["n_scored"]
        assert r["n_positive"] == u["n_positive"]
        check_wilson(r, u)
        close(r["mean"], u["mean_score"])
        if "flagged" in u:
            assert (r["percent_positive"] >= saq["unit_flag_if_pct_positive_at_least"]) == u["flagged"]


def test_observed_range_reversal_matches_when_extremes_are_used(case: dict[str, Any]) -> None:
    """psych reverses with the data's observed min + max. Where every extreme option was
    chosen (as in these cases) both rules agree; test_culture.py covers where they differ."""
    data, _, _ = load(case)
    inst = instrument(case)
    textbook = qi.culture.score(data, inst, unit=None, min_n=1)
    psych = qi.culture.score(data, inst, unit=None, min_n=1, reverse_by="observed")
    pd.testing.assert_frame_equal(textbook, psych, check_like=False)
