"""qiscope.dask against the pandas path: the same rows must give the same results, exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import qiscope as qi

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
qdask = pytest.importorskip("qiscope.dask")


def long_table(seed: int = 3, units: int = 12, months: int = 30) -> pd.DataFrame:
    """Several rows per (unit, month) in shuffled order, so that both the series order and the
    order of rows summed into one point must be restored after a shuffle."""
    rng = np.random.default_rng(seed)
    rows = units * months * 2
    n = rng.integers(20, 300, rows).astype(float)
    frame = pd.DataFrame({
        "trust": np.repeat([f"T{u:02d}" for u in range(units)], months * 2),
        "region": np.repeat(rng.integers(0, 3, units), months * 2),
        "month": np.tile(np.repeat(pd.date_range("2021-01-01", periods=months, freq="MS"), 2), units),
        "value": rng.normal(40, 6, rows) + rng.random(rows) / 3,
        "events": rng.binomial(n.astype(int), 0.15).astype(float),
        "cases": n,
        "goal": 38.0 + rng.integers(0, 2, rows),
        "better": np.repeat(np.where(np.arange(units) % 3 == 0, "increase", "decrease"), months * 2),
        "period": np.where(np.tile(np.repeat(np.arange(months), 2), units) < 12, "before", "after"),
    })
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def assert_same(dask_result: qi.SPCResult, pandas_result: qi.SPCResult) -> None:
    pd.testing.assert_frame_equal(dask_result.points, pandas_result.points, check_exact=True)
    pd.testing.assert_frame_equal(dask_result.summary, pandas_result.summary, check_exact=True)
    assert dask_result.spec == pandas_result.spec
    assert dask_result.by == pandas_result.by


CASES = {
    "i": dict(y="value", x="month", by="trust", chart="i"),
    "u_two_by": dict(y="events", n="cases", x="month", by=["region", "trust"], chart="u", multiply=1000),
    "p_parts_target": dict(y="events", n="cases", x="month", by="trust", chart="p", part="period",
                           target="goal", direction="decrease"),
    "xbar_subgroups": dict(y="value", x="month", by="trust", chart="xbar", rules="ihi", freeze=10),
    "run_positions": dict(y="value", x="month", by="trust", chart="run", part=[8], exclude=[2, 3]),
    "g_events": dict(y="events", x="month", by="trust", chart="g", agg="none"),
    "direction_column": dict(y="value", x="month", by="trust", chart="i", direction="better", target="goal"),
    "direction_mapping": dict(y="value", x="month", by="trust", chart="i", target="goal",
                              direction={"T00": "increase", "T04": "decrease", "T07": "increase"}),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_equals_pandas_path_synchronous(case: str) -> None:
    pdf = long_table()
    ddf = dd.from_pandas(pdf, npartitions=4)
    with dask.config.set(scheduler="synchronous"):
        got = qdask.spc(ddf, **CASES[case]).compute()
    assert_same(got, qi.spc(ddf.compute(), **CASES[case]))


def test_equals_pandas_path_threads_and_lazy_frames() -> None:
    pdf = long_table(seed=5)
    ddf = dd.from_pandas(pdf, npartitions=3)
    options = dict(y="value", x="month", by="trust", chart="i", rules="ihi")
    lazy = qdask.spc(ddf, **options)
    expected = qi.spc(ddf.compute(), **options)  # the rows as Dask holds them (its string dtype)
    with dask.config.set(scheduler="threads"):
        assert_same(lazy.compute(), expected)
        # The lazy frames hold the same rows (in partition order).
        points = lazy.points.compute().sort_values(["trust", "x"], kind="stable", ignore_index=True)
        summary = lazy.summary.compute().sort_values(["trust", "phase"], kind="stable", ignore_index=True)
    pd.testing.assert_frame_equal(points, expected.points, check_exact=True)
    pd.testing.assert_frame_equal(summary, expected.summary, check_exact=True)


@pytest.mark.parametrize("case", ["i", "p_parts_target", "u_two_by"])
def test_meta_matches_pandas_dtypes(case: str) -> None:
    pdf = long_table()
    ddf = dd.from_pandas(pdf, npartitions=2)
    lazy = qdask.spc(ddf, **CASES[case])
    expected = qi.spc(ddf.compute(), **CASES[case])
    pd.testing.assert_series_equal(lazy.points.dtypes, expected.points.dtypes)
    pd.testing.assert_series_equal(lazy.summary.dtypes, expected.summary.dtypes)


def test_categorical_series_labels_keep_their_dtype() -> None:
    pdf = long_table()
    pdf["trust"] = pd.Categorical(pdf["trust"], categories=sorted(pdf["trust"].unique(), reverse=True))
    options = dict(y="value", x="month", by="trust", chart="i")
    ddf = dd.from_pandas(pdf, npartitions=3)
    with dask.config.set(scheduler="synchronous"):
        got = qdask.spc(ddf, **options).compute()
    assert_same(got, qi.spc(ddf.compute(), **options))
    assert got.points["trust"].iloc[0] == "T11"  # the category order, as the pandas path


def test_one_series_without_by() -> None:
    pdf = long_table(units=1, months=40)
    options = dict(y="value", x="month", chart="i")
    ddf = dd.from_pandas(pdf, npartitions=3)
    with dask.config.set(scheduler="synchronous"):
        got = qdask.spc(ddf, **options).compute()
    assert_same(got, qi.spc(ddf.compute(), **options))


def test_result_is_an_ordinary_spc_result() -> None:
    pdf = long_table(units=3, months=20)
    with dask.config.set(scheduler="synchronous"):
        res = qdask.spc(dd.from_pandas(pdf, npartitions=2), y="value", x="month", by="trust", chart="i").compute()
    assert isinstance(res, qi.SPCResult)
    assert qi.SPCResult.from_json(res.to_json()).points.shape == res.points.shape
    assert "T00" in res._repr_html_()


@pytest.mark.parametrize(
    ("kind", "overdispersion", "profile"),
    [("proportion", None, None), ("proportion", "multiplicative", None), ("ratio", "additive", "funnelplotr")],
)
def test_funnel_combines_partition_totals(kind: str, overdispersion: str | None, profile: str | None) -> None:
    pdf = long_table(units=20, months=6)
    if kind == "ratio":  # observed deaths against integer expected counts
        pdf["cases"] = np.round(pdf["cases"] * 0.15)
    options = dict(y="events", n="cases", by="trust", kind=kind, overdispersion=overdispersion, profile=profile)
    ddf = dd.from_pandas(pdf, npartitions=4)
    with dask.config.set(scheduler="synchronous"):
        got = qdask.funnel(ddf, **options)
    expected = qi.funnel(ddf.compute(), **options)
    pd.testing.assert_frame_equal(got.points, expected.points, check_exact=True)
    pd.testing.assert_frame_equal(got.limits, expected.limits, check_exact=True)
    assert got.phi == expected.phi
    assert got.tau2 == expected.tau2


def test_funnel_bad_row_is_not_summed_away() -> None:
    pdf = long_table(units=4, months=3)
    pdf.loc[5, "events"] = -3.0  # another row of the same unit could hide it in the total
    with dask.config.set(scheduler="synchronous"), pytest.raises(qi.InputError) as err:
        qdask.funnel(dd.from_pandas(pdf, npartitions=2), y="events", n="cases", by="trust")
    assert err.value.column == "events"
    assert err.value.rule == "non_negative"


def test_errors_name_the_problem() -> None:
    pdf = long_table(units=2, months=5)
    ddf = dd.from_pandas(pdf, npartitions=2)
    with pytest.raises(qi.InputError) as err:
        qdask.spc(pdf, y="value", x="month")
    assert err.value.rule == "type"
    with pytest.raises(qi.InputError) as err:
        qdask.spc(ddf, y="value", by="trust")
    assert (err.value.column, err.value.rule) == ("x", "required")
    with pytest.raises(qi.InputError) as err:
        qdask.spc(ddf, y="value", x="month", by="ward")
    assert (err.value.column, err.value.rule) == ("ward", "unknown_column")
    with pytest.raises(qi.InputError) as err:
        qdask.spc(ddf, y=pdf["value"].to_numpy(), x="month")
    assert (err.value.column, err.value.rule) == ("y", "column_name")
    with pytest.raises(qi.InputError) as err:
        qdask.spc(ddf.assign(label=ddf["month"].astype(str)), y="value", x="label")
    assert (err.value.column, err.value.rule) == ("label", "text_x")


def test_errors_from_the_core_reach_the_caller() -> None:
    pdf = long_table(units=2, months=5)
    pdf.loc[3, "events"] = pdf.loc[3, "cases"] + 1
    with dask.config.set(scheduler="synchronous"), pytest.raises(qi.InputError) as err:
        qdask.spc(dd.from_pandas(pdf, npartitions=2), y="events", n="cases", x="month", by="trust",
                  chart="p").compute()
    assert err.value.rule == "numerator_le_denominator"


def small_units_survey() -> pd.DataFrame:
    """The example survey without its smallest unit, so that one unit (Endoscopy, 7
    respondents) is below min_n and complementary suppression has to protect it."""
    survey = qi.culture.example_survey()
    survey = survey[survey["unit"] != "Stroke"].reset_index(drop=True)
    survey["unit"] = survey["unit"].cat.remove_unused_categories()
    return survey


def saq_survey(seed: int = 11, rows: int = 400) -> pd.DataFrame:
    """Random SAQ codes 1-5 with blanks, in units of very different sizes."""
    rng = np.random.default_rng(seed)
    inst = qi.culture.instrument("saq-short-form")
    frame = pd.DataFrame({item: rng.integers(1, 6, rows).astype(float) for item in inst.items})
    frame = frame.mask(rng.random(frame.shape) < 0.05)
    frame.insert(0, "ward", rng.choice(["A", "B", "C", "D", "E"], rows, p=[0.42, 0.3, 0.2, 0.07, 0.01]))
    return frame


@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_score_equals_pandas_path_with_suppression(npartitions: int) -> None:
    ddf = dd.from_pandas(small_units_survey(), npartitions=npartitions)
    with dask.config.set(scheduler="synchronous"):
        expected = qi.culture.score(ddf.compute(), "sops-hospital-2.0", unit="unit")
        got = qdask.score(ddf, "sops-hospital-2.0", unit="unit")
    assert (expected["reason"] == "below_min_n").any() and (expected["reason"] == "complementary").any()
    assert qi.culture.instrument("sops-hospital-2.0").reverse  # reverse items are scored
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize("options", [{}, {"min_n": "ahrq", "composite": "pooled"},
                                     {"min_n": 6, "conf_level": 0.9, "reverse_by": "observed"}])
def test_score_equals_pandas_path_saq(options: dict) -> None:
    ddf = dd.from_pandas(saq_survey(), npartitions=4)
    with dask.config.set(scheduler="synchronous"):
        expected = qi.culture.score(ddf.compute(), "saq-short-form", unit="ward", **options)
        got = qdask.score(ddf, "saq-short-form", unit="ward", **options)
    assert (expected["kind"] == "scale").any() and expected["suppressed"].any()
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_score_without_unit_and_bad_input() -> None:
    survey = saq_survey()
    ddf = dd.from_pandas(survey, npartitions=3)
    with dask.config.set(scheduler="synchronous"):
        pd.testing.assert_frame_equal(qdask.score(ddf, "saq-short-form", unit=None),
                                      qi.culture.score(survey, "saq-short-form", unit=None), check_exact=True)
        with pytest.raises(qi.InputError) as err:
            qdask.score(ddf.drop(columns="q7"), "saq-short-form", unit="ward")
        assert (err.value.column, err.value.rule) == ("q7", "unknown_item")
        with pytest.raises(qi.InputError) as err:
            qdask.score(ddf, "saq-short-form", unit="team")
        assert (err.value.column, err.value.rule) == ("team", "unknown_column")
        bad = survey.copy()
        bad.loc[250, "q3"] = 8.0  # outside the 1-5 scale: the core names item and row
        with pytest.raises(qi.InputError) as err:
            qdask.score(dd.from_pandas(bad, npartitions=3), "saq-short-form", unit="ward")
        assert (err.value.column, err.value.row) == ("q3", 250)
    with pytest.raises(qi.InputError):
        qdask.score(survey, "saq-short-form", unit="ward")  # a pandas frame: use qi.culture.score


def assert_same_score(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize("npartitions", [2, 5, 11])
def test_score_of_the_example_survey_by_additive_counts(npartitions: int) -> None:
    """Rows ordered by unit, so partitions hold different units (and a unit spans partitions);
    string labels, as object dtype, so the order must come from sorting the labels found."""
    survey = qi.culture.example_survey()
    survey = survey.assign(unit=survey["unit"].astype(str)).sort_values("unit", kind="stable", ascending=False)
    survey = survey.reset_index(drop=True)
    ddf = dd.from_pandas(survey, npartitions=npartitions, sort=False)
    with dask.config.set(scheduler="synchronous"):
        survey = ddf.compute()  # the same rows, with the string dtype dask gives them
        expected = qi.culture.score(survey, "sops-hospital-2.0", unit="unit", min_n=10)
        got = qdask.score(ddf, "sops-hospital-2.0", unit="unit", min_n=10)
        pooled = qdask.score(ddf, "sops-hospital-2.0", unit="unit", min_n="nss", composite="pooled",
                             conf_level=0.9, reverse_by="observed")
    assert expected["suppressed"].any() and expected[expected["kind"] == "composite"]["ci_low"].notna().any()
    assert_same_score(got, expected)
    assert_same_score(pooled, qi.culture.score(survey, "sops-hospital-2.0", unit="unit", min_n="nss",
                                               composite="pooled", conf_level=0.9, reverse_by="observed"))


def test_score_units_in_the_pandas_order() -> None:
    """Integer units sort as numbers (2 before 10), categorical units keep their categories'
    order, including a category nobody is in."""
    survey = saq_survey(rows=300)
    numbers = survey.assign(ward=survey["ward"].map({"A": 10, "B": 2, "C": 33, "D": 4, "E": 1}))
    order = pd.CategoricalDtype(["E", "C", "A", "Z", "B", "D"])
    categorical = survey.assign(ward=survey["ward"].astype(order))
    with dask.config.set(scheduler="synchronous"):
        for frame in (numbers, categorical):
            ddf = dd.from_pandas(frame, npartitions=4)
            got = qdask.score(ddf, "saq-short-form", unit="ward", min_n=5)
            assert_same_score(got, qi.culture.score(ddf.compute(), "saq-short-form", unit="ward", min_n=5))
        assert list(got["ward"].cat.categories) == list(order.categories)
        # Categories unknown to dask: each partition has its own, joined in partition order.
        parts = [categorical.iloc[i:i + 75].assign(ward=lambda f: f["ward"].cat.remove_unused_categories())
                 for i in range(0, 300, 75)]
        unknown = dd.concat([dd.from_pandas(part, npartitions=1) for part in parts])
        got = qdask.score(unknown, "saq-short-form", unit="ward", min_n=5)
        assert_same_score(got, qi.culture.score(unknown.compute(), "saq-short-form", unit="ward", min_n=5))


def test_score_tallies_add_up_and_pickle() -> None:
    """The core's tallies: two halves merged (either order, units then put in one order) equal
    the tallies of the whole; pickling keeps every field."""
    import pickle

    from qiscope import _core
    from qiscope.culture._responses import answers

    inst = qi.culture.instrument("saq-short-form")
    survey = saq_survey(rows=200)

    def tally(frame: pd.DataFrame) -> object:
        data = answers(frame.reset_index(drop=True), inst, "ward")
        return _core.culture.count(inst._core, data.values, data.unit, [str(v) for v in data.unit_labels],
                                   "scale", [])

    whole, first, second = tally(survey), tally(survey.iloc[:90]), tally(survey.iloc[90:])
    labels = list(whole.unit_labels)
    for merged in (_core.culture.merge_counts(first, second), _core.culture.merge_counts(second, first)):
        assert _core.culture.order_units(merged, labels) == whole
    assert pickle.loads(pickle.dumps(whole)) == whole
    assert _core.culture.ScoreCounts.from_bytes(whole.to_bytes()) == whole
    with pytest.raises(qi.InputError) as err:
        _core.culture.ScoreCounts.from_bytes(b"not a tally")
    assert (err.value.column, err.value.rule) == ("counts", "format")


def test_local_cluster_two_worker_processes() -> None:
    """Two worker processes on loopback; every wait is bounded."""
    import os

    distributed = pytest.importorskip("distributed")
    pdf = long_table(units=6, months=24)
    options = dict(y="events", n="cases", x="month", by="trust", chart="u", n_threads=1)
    ddf = dd.from_pandas(pdf, npartitions=4)
    expected = qi.spc(ddf.compute(), **options)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, worker_dashboard_address=None) as cluster, \
            distributed.Client(cluster, timeout="60s") as client:
        workers = client.run(os.getpid)
        assert len(workers) == 2 and os.getpid() not in workers.values()
        res = qdask.spc(ddf, **options)
        futures = client.compute(res._results)
        distributed.wait(futures, timeout=120)
        assert all(f.status == "finished" for f in futures)
        got = res.compute()  # the client is the default scheduler; its results are reused
        funnel = qdask.funnel(ddf, y="events", n="cases", by="trust")
        survey = small_units_survey()  # tallies pickled between the worker processes
        scored = qdask.score(dd.from_pandas(survey, npartitions=3), "sops-hospital-2.0", unit="unit")
    assert_same_score(scored, qi.culture.score(survey, "sops-hospital-2.0", unit="unit"))
    assert_same(got, expected)
    pd.testing.assert_frame_equal(funnel.points, qi.funnel(ddf.compute(), y="events", n="cases", by="trust").points,
                                  check_exact=True)


def test_row_keys_restore_the_input_order_across_partitions() -> None:
    from qiscope.dask import _ROW_KEY, _with_row_key

    ddf = dd.from_pandas(pd.DataFrame({"a": np.arange(10)}), npartitions=3)
    keyed = ddf.map_partitions(_with_row_key, meta=ddf._meta.assign(**{_ROW_KEY: np.zeros(0, dtype=np.int64)}))
    keys = keyed.compute(scheduler="synchronous")[_ROW_KEY].to_numpy()
    assert np.all(np.diff(keys) > 0)  # unique and increasing in input order
    assert (keys >> 40).tolist() == [0] * 4 + [1] * 3 + [2] * 3  # the partition number on top


def test_frame_indexed_by_the_series_needs_no_shuffle() -> None:
    pdf = long_table()
    with dask.config.set(scheduler="synchronous"):  # set_index's own sort, done beforehand
        indexed = dd.from_pandas(pdf, npartitions=4).set_index("trust").persist()
    assert indexed.known_divisions
    options = dict(y="value", x="month", by="trust", chart="i")
    lazy = qdask.spc(indexed, **options)
    assert "shuffle" not in str(lazy.points.dask.keys()).lower()
    with dask.config.set(scheduler="synchronous"):
        got = lazy.compute()
    # The same rows in the order the indexed frame holds them.
    assert_same(got, qi.spc(indexed.reset_index().compute(), **options))


def test_direction_mapping_naming_absent_series_is_an_error() -> None:
    ddf = dd.from_pandas(long_table(), npartitions=3)
    lazy = qdask.spc(ddf, y="value", x="month", by="trust", chart="i", direction={"T00": "increase", "T99": "up"})
    with dask.config.set(scheduler="synchronous"), pytest.raises(qi.InputError) as info:
        lazy.compute()
    assert (info.value.column, info.value.rule) == ("direction", "unknown_series")
