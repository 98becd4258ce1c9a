"""qi.culture beyond the reference cases: instruments and their schema, bad input, privacy
(including a property test that no released output recovers a suppressed cell), polarity
checks, psych's reversal, the SPC/funnel tables, serialisation and threads."""

from __future__ import annotations

import json
import pickle
import threading
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qiscope as qi
from qiscope.culture import Instrument, PolarityWarning

# The culture-spec §4 test set: unit, i1, i2, i3, i4r (i4r negatively worded).
ROWS = """A,4,4,5,2 A,5,4,4,1 A,4,3,4,2 A,3,4,4,3 A,5,5,5,1 A,4,4,3,2 B,2,3,2,4 B,3,2,3,4 B,2,2,1,5
B,3,3,3,3 B,2,1,2,4 B,4,3,3,3 C,4,3,4,3 C,3,3,2,3 C,5,4,4,2 C,2,3,3,4 C,4,5,4,2 C,3,2,3,3""".split()


def culture_test() -> pd.DataFrame:
    cells = [r.split(",") for r in ROWS]
    frame = pd.DataFrame(cells, columns=["ward", "i1", "i2", "i3", "i4r"])
    return frame.astype({c: float for c in ("i1", "i2", "i3", "i4r")})


def simple(min_n: int = 1, **extra) -> Instrument:
    return Instrument("culture_test", scale=(1, 5), items=["i1", "i2", "i3", "i4r"], reverse=["i4r"],
                      composites={"c": ["i1", "i2", "i3", "i4r"]}, missing_codes=[9], min_n=min_n, **extra)


# -- instruments -------------------------------------------------------------------------------
def test_builtins_validate_against_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    folder = resources.files("qiscope.culture").joinpath("instruments")
    schema = json.loads(folder.joinpath("instrument.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    names = qi.culture.available()
    assert set(names) >= {"sops-hospital-2.0", "saq-short-form", "edmondson-psychological-safety",
                          "leader-vulnerability"}
    for name in names:
        raw = json.loads(folder.joinpath(f"{name}.json").read_text())
        validator.validate(raw)
        validator.validate(qi.culture.instrument(name).to_dict())  # the canonical form too
    validator.validate(simple().to_dict())
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"name": "x", "scale": {"min": 1, "max": 5}, "items": ["a"], "colour": 1})


def test_sops_structure() -> None:
    inst = qi.culture.instrument("sops-hospital-2.0")
    assert len(inst.composites) == 10
    assert sum(len(v) for v in inst.composites.values()) == 32
    assert len(inst.reverse) == 13
    assert {"D3", "E1"} <= set(inst.items) - {i for v in inst.composites.values() for i in v}
    assert inst.composites["response_to_error"] == ["A6", "A7", "A10", "A13"]


def test_instrument_round_trips() -> None:
    inst = simple(min_n=7, scale_score="0-100")
    again = Instrument.from_json(inst.to_json())
    assert again == inst
    assert pickle.loads(pickle.dumps(inst)) == inst
    assert inst.reverse == ["i4r"] and inst.min_n == 7 and inst.scale_score == "0-100"
    assert "4 items" in repr(inst)


def test_instrument_file(tmp_path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(simple().to_json())
    assert Instrument.from_json(path) == simple()
    assert Instrument.from_json(str(path)) == simple()
    with pytest.raises(qi.InputError) as err:
        Instrument.from_json(str(tmp_path / "missing.json"))
    assert err.value.rule == "file"


@pytest.mark.parametrize(
    ("change", "column", "rule"),
    [
        (lambda d: d.pop("name"), "name", "required"),
        (lambda d: d["composites"][0]["items"].append("zz"), "composites[0].items[4]", "unknown_item"),
        (lambda d: d["scale"].update(missing_codes=[3]), "scale.missing_codes[0]", "overlaps_scale"),
        (lambda d: d.update(min_n=0), "min_n", "range"),
        (lambda d: d["items"][0].update(reverse="yes"), "items[0].reverse", "type"),
    ],
    ids=["no-name", "unknown-item", "missing-code-on-scale", "min-n-zero", "reverse-not-bool"],
)
def test_instrument_failing_its_schema_names_the_field(change, column: str, rule: str) -> None:
    doc = simple().to_dict()
    change(doc)
    with pytest.raises(qi.InputError) as err:
        Instrument.from_json(json.dumps(doc))
    assert err.value.column == column
    assert err.value.rule == rule


def test_instrument_constructor_errors() -> None:
    with pytest.raises(qi.InputError) as err:
        Instrument("x", items=["a"], reverse=["b"])
    assert (err.value.column, err.value.rule) == ("reverse", "unknown_item")
    with pytest.raises(qi.InputError) as err:
        qi.culture.instrument("no-such-survey")
    assert err.value.rule == "unknown_instrument"


# -- bad responses -------------------------------------------------------------------------------
def test_code_outside_the_scale_names_item_and_row() -> None:
    data = culture_test()
    data.loc[4, "i3"] = 7
    with pytest.raises(qi.InputError) as err:
        qi.culture.score(data, simple(), unit="ward")
    assert (err.value.column, err.value.row, err.value.rule) == ("i3", 4, "scale")
    assert "i3" in str(err.value)


def test_text_answer_names_item_and_row() -> None:
    data = culture_test().astype({"i2": object})
    data.loc[6, "i2"] = "agree"
    with pytest.raises(qi.InputError) as err:
        qi.culture.score(data, simple(), unit="ward")
    assert (err.value.column, err.value.row) == ("i2", 6)


def test_missing_item_column_and_unknown_measure() -> None:
    data = culture_test().drop(columns="i3")
    with pytest.raises(qi.InputError) as err:
        qi.culture.score(data, simple(), unit="ward")
    assert (err.value.column, err.value.rule) == ("i3", "unknown_item")
    with pytest.raises(qi.InputError) as err:
        qi.culture.reliability(culture_test(), simple(), measure="teamwork")
    assert (err.value.column, err.value.rule) == ("measure", "unknown_measure")
    with pytest.raises(qi.InputError) as err:
        qi.culture.gap(culture_test(), simple(), a="i1", b="nope")
    assert (err.value.column, err.value.rule) == ("b", "unknown_item")


def test_unit_with_missing_label_names_column_and_row() -> None:
    data = culture_test()
    data.loc[11, "ward"] = None
    for call in (lambda: qi.culture.score(data, simple(), unit="ward"),
                 lambda: qi.culture.agreement(data, simple(), unit="ward"),
                 lambda: qi.culture.gap(data, simple(), a="i1", b="i2", unit="ward")):
        with pytest.raises(qi.InputError) as err:
            call()
        assert (err.value.column, err.value.row, err.value.rule) == ("ward", 11, "missing")


def test_bad_options() -> None:
    with pytest.raises(qi.InputError) as err:
        qi.culture.score(culture_test(), simple(), unit="ward", min_n=0)
    assert err.value.column == "min_n"
    with pytest.raises(qi.InputError) as err:
        qi.culture.score(culture_test(), simple(), unit="ward", min_n="everyone")
    assert err.value.rule == "unknown_name"
    with pytest.raises(qi.InputError) as err:
        qi.culture.reliability(culture_test(), simple(), missing="mean")
    assert err.value.column == "missing"
    with pytest.raises(qi.InputError) as err:
        qi.culture.score(culture_test(), simple(), unit="ward", reverse_by="guess")
    assert err.value.column == "reverse_by"


# -- scoring ---------------------------------------------------------------------------------------
def test_score_layout_and_hand_values() -> None:
    table = qi.culture.score(culture_test(), simple(), unit="ward")
    assert list(table.columns[:13]) == ["ward", "measure", "kind", "n_respondents", "n_valid", "percent_positive",
                                        "percent_neutral", "percent_negative", "ci_low", "ci_high", "mean",
                                        "suppressed", "reason"]
    overall = table[table["ward"].isna()].set_index("measure")
    assert overall.loc["i1", "percent_positive"] == pytest.approx(50.0, abs=1e-12)
    assert overall.loc["c", "percent_positive"] == pytest.approx((9 + 7 + 8 + 7) / 18 / 4 * 100, abs=1e-12)
    assert list(table["ward"].cat.categories) == ["A", "B", "C"]
    assert table.attrs["n_scored"] == 18 and table.attrs["min_n"] == 1
    assert table["reason"].isna().all()
    only = qi.culture.score(culture_test(), simple(), unit=None)
    assert only["unit"].isna().all() and len(only) == 5


def test_one_item_composite_interval_is_the_items_wilson() -> None:
    inst = Instrument("one", items=["i1", "i2"], composites={"only": ["i1"]}, min_n=1)
    table = qi.culture.score(culture_test(), inst, unit="ward")
    for _, rows in table.groupby("ward", observed=False, dropna=False):
        item = rows[rows["measure"] == "i1"].iloc[0]
        comp = rows[rows["measure"] == "only"].iloc[0]
        assert comp["ci_low"] == pytest.approx(item["ci_low"], abs=1e-9)
        assert comp["ci_high"] == pytest.approx(item["ci_high"], abs=1e-9)


def test_min_answered_excludes_respondents() -> None:
    data = culture_test()
    data.loc[0, ["i2", "i3", "i4r"]] = np.nan  # answered one item only
    inst = Instrument("x", items=["i1", "i2", "i3", "i4r"], reverse=["i4r"], composites={"c": ["i1", "i2", "i3", "i4r"]},
                      min_n=1, min_answered=2)
    table = qi.culture.score(data, inst, unit="ward")
    assert table.attrs["n_excluded"] == 1 and table.attrs["n_scored"] == 17
    assert table.loc[(table["measure"] == "i1") & table["ward"].isna(), "n_valid"].item() == 17


def test_saq_builtin_has_scale_rows() -> None:
    inst = qi.culture.instrument("saq-short-form")
    rng = np.random.default_rng(1)
    data = pd.DataFrame(rng.integers(1, 6, size=(40, len(inst.items))).astype(float), columns=inst.items)
    data["unit"] = np.repeat(["a", "b"], 20)
    table = qi.culture.score(data, inst, min_n=5)
    scale = table[(table["kind"] == "scale") & (table["measure"] == "teamwork_climate") & table["unit"].isna()].iloc[0]
    # By hand: respondent score (mean of the six items, q2 reversed - 1) x 25; positive at 75.
    items = data[inst.composites["teamwork_climate"]].copy()
    items["q2"] = 6 - items["q2"]
    scores = (items.mean(axis=1) - 1) * 25
    assert scale["mean"] == pytest.approx(scores.mean(), abs=1e-9)
    assert scale["percent_positive"] == pytest.approx(100 * (scores >= 75).mean(), abs=1e-9)
    assert np.isnan(scale["percent_neutral"])


def test_polarity_warning_for_an_already_reversed_item() -> None:
    data = culture_test()
    data["i4r"] = 6 - data["i4r"]  # a vendor export that reversed the negatively worded item
    with pytest.warns(PolarityWarning, match="i4r"):
        table = qi.culture.score(data, simple(), unit="ward")
    assert table.attrs["polarity_checks"][0]["item"] == "i4r"
    with pytest.warns(PolarityWarning):
        qi.culture.reliability(data, simple())


def test_psych_observed_range_reversal_changes_means_not_alpha() -> None:
    data = culture_test()
    items = ["i1", "i2", "i3", "i4r"]
    data[items] = data[items].clip(lower=2)  # nobody chose 1: the observed range is 2..5
    lo, hi = 2, 5
    textbook = qi.culture.score(data, simple(), unit=None)
    psych = qi.culture.score(data, simple(), unit=None, reverse_by="observed")
    t = textbook.set_index("measure")
    p = psych.set_index("measure")
    raw_mean = data["i4r"].mean()
    assert t.loc["i4r", "mean"] == pytest.approx(6 - raw_mean, abs=1e-12)
    assert p.loc["i4r", "mean"] == pytest.approx(lo + hi - raw_mean, abs=1e-12)
    assert p.loc["i4r", "mean"] - t.loc["i4r", "mean"] == pytest.approx(1, abs=1e-12)
    a1 = qi.culture.reliability(data, simple())
    a2 = qi.culture.reliability(data, simple(), reverse_by="observed")
    assert a1.alpha == pytest.approx(a2.alpha, abs=1e-12)


# -- privacy ---------------------------------------------------------------------------------------
def test_default_threshold_is_ten_and_presets() -> None:
    data = culture_test()
    inst = Instrument("x", items=["i1", "i2", "i3", "i4r"], reverse=["i4r"], composites={"c": ["i1", "i2", "i3", "i4r"]})
    table = qi.culture.score(data, inst, unit="ward")
    assert table.attrs["min_n"] == 10
    units = table[table["ward"].notna()]
    assert units["suppressed"].all()  # 6 respondents a ward
    assert units["percent_positive"].isna().all() and units["n_positive"].isna().all()
    assert set(units["reason"]) == {"below_min_n"}
    assert not table[table["ward"].isna()]["suppressed"].any()  # 18 overall
    assert qi.culture.score(data, inst, unit="ward", min_n="ahrq").attrs["min_n"] == 5
    assert qi.culture.score(data, inst, unit="ward", min_n="nss").attrs["min_n"] == 11


def _released(table: pd.DataFrame) -> pd.DataFrame:
    return table[~table["suppressed"]]


def check_no_recovery(table: pd.DataFrame, inst: Instrument, unit: str, k: int) -> None:
    """Play the reader of the released table. A total minus the released units gives the
    suppressed units' sum, which pins down one cell when exactly one unit is hidden; a
    composite is the mean of its items, so a released composite with exactly one hidden item,
    or a hidden composite with every item released, gives that cell away; a 0-100 scale row is a
    rescaled composite. None of these may happen, and every released cell rests on at least k
    answers (respondents for composites)."""
    basis = np.where(table["kind"] == "item", table["n_valid"], table["n_respondents"])
    released = ~table["suppressed"].to_numpy()
    assert (basis[released & (basis > 0)] >= k).all()
    for (measure, kind), rows in table.groupby(["measure", "kind"], observed=True):
        overall = rows[rows[unit].isna()]
        units = rows[rows[unit].notna()]
        b = np.where(units["kind"] == "item", units["n_valid"], units["n_respondents"])
        hidden = units["suppressed"].to_numpy() & (b > 0)
        if not overall["suppressed"].iloc[0] and hidden.any():
            assert hidden.sum() >= 2, (measure, kind)  # else total - released = that one cell
            assert b[hidden].sum() >= k, (measure, kind)  # the derivable mixture is itself >= k
    for name, items in inst.composites.items():
        for u, rows in table.groupby(unit, observed=True, dropna=False):
            comp = rows[(rows["measure"] == name) & (rows["kind"] == "composite")].iloc[0]
            its = rows[rows["measure"].isin(items) & (rows["kind"] == "item") & (rows["n_valid"] > 0)]
            if comp["suppressed"] and len(its):
                assert its["suppressed"].any(), (u, name)  # else the mean of the items gives it
            if not comp["suppressed"]:
                assert not its["suppressed"].any(), (u, name)  # else composite x m - the others
            scale = rows[(rows["measure"] == name) & (rows["kind"] == "scale")]
            if len(scale):
                assert scale["suppressed"].iloc[0] == comp["suppressed"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), k=st.sampled_from([2, 3, 5, 10]), n_units=st.integers(1, 7),
       zero_to_hundred=st.booleans())
@pytest.mark.filterwarnings("ignore::qiscope.culture.PolarityWarning")
def test_no_released_output_recovers_a_suppressed_cell(seed: int, k: int, n_units: int, zero_to_hundred: bool) -> None:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(0, 16, n_units)
    n = int(sizes.sum())
    inst = Instrument("prop", items=["a", "b", "c", "d", "e"], reverse=["c"], missing_codes=[9],
                      composites={"x": ["a", "b", "c"], "y": ["d", "e"]}, min_n=k,
                      scale_score="0-100" if zero_to_hundred else None)
    answers = rng.integers(1, 6, size=(n, 5)).astype(float)
    answers[rng.random((n, 5)) < 0.15] = np.nan
    answers[rng.random((n, 5)) < 0.05] = 9
    data = pd.DataFrame(answers, columns=inst.items)
    data["team"] = np.repeat([f"t{i}" for i in range(n_units)], sizes)
    if n == 0:
        return
    table = qi.culture.score(data, inst, unit="team")
    check_no_recovery(table, inst, "team", k)
    gap = qi.culture.gap(data, inst, a="a", b="d", unit="team")
    units = gap.iloc[1:]
    hidden = units["suppressed"].to_numpy() & (units["n"].to_numpy() > 0)
    if not gap["suppressed"].iloc[0] and hidden.any():
        assert hidden.sum() >= 2 and units["n"].to_numpy()[hidden].sum() >= k
    assert (gap.loc[~gap["suppressed"] & (gap["n"] > 0), "n"] >= k).all()


def test_agreement_and_reliability_of_small_units_are_withheld() -> None:
    data = culture_test()
    res = qi.culture.agreement(data, simple(min_n=7), unit="ward")
    assert res.units["suppressed"].all()
    assert res.units["rwg_j"].isna().all()
    rel = qi.culture.reliability(data, simple(min_n=19))
    assert rel.suppressed and np.isnan(rel.alpha) and rel.reason == "below_min_n"
    assert "withheld" in repr(rel)


# -- results, tables for SPC and funnels -------------------------------------------------------------
def test_result_json_round_trips() -> None:
    rel = qi.culture.reliability(culture_test(), simple(), missing="pairwise")
    again = qi.culture.ReliabilityResult.from_json(rel.to_json())
    assert again == rel
    assert again.items["alpha_if_deleted"].tolist() == rel.items["alpha_if_deleted"].tolist()
    assert rel.summary["alpha"].item() == pytest.approx(0.934702024522384, abs=1e-12)
    assert "minres" in rel.omega_estimator
    agr = qi.culture.agreement(culture_test(), simple(), unit="ward")
    back = qi.culture.AgreementResult.from_json(agr.to_json())
    assert back.icc1 == agr.icc1
    assert back.units["rwg_j"].tolist() == agr.units["rwg_j"].tolist()
    assert "complete rows" in agr.missing_data
    assert list(agr.units.columns) == ["ward", "n", "n_respondents", "rwg_j", "rwg_lindell", "ad_m",
                                       "mean_item_variance", "suppressed", "reason"]
    assert list(rel.items.columns)[:2] == ["item", "n_valid"]
    with pytest.raises(qi.InputError):
        qi.culture.ReliabilityResult.from_json(agr.to_json())


def test_unit_table_matches_score() -> None:
    survey = qi.culture.example_survey()
    inst = qi.culture.instrument("sops-hospital-2.0")
    table = qi.culture.unit_table(survey, inst, "A1", unit="unit")
    scores = qi.culture.score(survey, inst, unit="unit")
    a1 = scores[(scores["measure"] == "A1") & scores["unit"].notna()].reset_index(drop=True)
    assert table["n_valid"].tolist() == a1["n_valid"].tolist()
    assert table["n_positive"].equals(a1["n_positive"])
    assert table["suppressed"].any()  # the small units
    assert table.attrs["overall"]["n_valid"] == scores.loc[(scores["measure"] == "A1") & scores["unit"].isna(),
                                                           "n_valid"].item()


def test_wave_table_and_chart() -> None:
    survey = qi.culture.example_survey(waves=8)
    inst = qi.culture.instrument("sops-hospital-2.0")
    table = qi.culture.wave_table(survey, inst, "teamwork")
    assert table["wave"].tolist() == list(range(1, 9))
    for w in (1, 5):
        one = qi.culture.score(survey[survey["wave"] == w], inst, unit=None)
        row = one[(one["measure"] == "teamwork") & (one["kind"] == "composite")].iloc[0]
        assert table.loc[table["wave"] == w, "n_valid"].item() == row["n_valid"]
        assert table.loc[table["wave"] == w, "n_positive"].item() == row["n_positive"]
    by_unit = qi.culture.wave_table(survey, inst, "A1", unit="unit")
    assert len(by_unit) == 8 * len(qi.culture.datasets.UNITS)
    assert by_unit.loc[by_unit["unit"] == "Stroke", "suppressed"].all()
    run = qi.culture.wave_chart(survey, inst, "A1", chart="run")
    a1 = qi.culture.wave_table(survey, inst, "A1")
    np.testing.assert_allclose(run.points["value"], 100 * a1["n_positive"].astype(float) / a1["n_valid"], rtol=1e-12)


def test_gap_from_the_leader_vulnerability_pair() -> None:
    survey = qi.culture.example_survey()
    out = qi.culture.gap(survey, "leader-vulnerability", unit="unit")
    assert out.attrs["a"] == "want_vulnerability" and out.attrs["b"] == "show_vulnerability"
    overall = out.iloc[0]
    pairs = survey[["want_vulnerability", "show_vulnerability"]].dropna()
    d = pairs["want_vulnerability"] - pairs["show_vulnerability"]
    assert overall["n"] == len(pairs)
    assert overall["diff"] == pytest.approx(d.mean(), abs=1e-12)
    assert overall["d_z"] == pytest.approx(d.mean() / d.std(), abs=1e-12)
    assert overall["percent_positive_a"] == pytest.approx(100 * (pairs["want_vulnerability"] >= 4).mean(), abs=1e-12)
    assert out["suppressed"].any()


def test_threads_give_the_serial_result() -> None:
    survey = qi.culture.example_survey(waves=3)
    inst = qi.culture.instrument("sops-hospital-2.0")
    serial = qi.culture.score(survey, inst, unit="unit")
    results: list[pd.DataFrame] = []

    def work() -> None:
        results.append(qi.culture.score(survey, inst, unit="unit"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for r in results:
        pd.testing.assert_frame_equal(r, serial)


def test_cli_survey_score(tmp_path, capsys) -> None:
    from qiscope.cli import main

    path = tmp_path / "answers.csv"
    culture_test().to_csv(path, index=False)
    inst = tmp_path / "inst.json"
    inst.write_text(simple().to_json())
    out = tmp_path / "table.csv"
    assert main(["survey", "score", str(path), "--instrument", str(inst), "--unit", "ward", "--min-n", "5",
                 "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert len(table) == 4 * 5 and not table["suppressed"].any()
    assert main(["survey", "score", str(path), "--instrument", "sops-hospital-2.0"]) == 2
    assert "is not a column" in capsys.readouterr().err


def test_reliability_states_its_missing_data_policy() -> None:
    data = culture_test()
    data.loc[2, "i2"] = np.nan
    listwise = qi.culture.reliability(data, simple())
    pairwise = qi.culture.reliability(data, simple(), missing="pairwise")
    assert listwise.n_used == 17 and pairwise.n_used == 18
    assert listwise.missing_data.startswith("listwise") and pairwise.missing_data.startswith("pairwise")
