"""The Python surface of qi.spc: inputs, options, outputs and errors (independent values are
computed in each test from the textbook formulas)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import qiscope as qi
from qiscope import _core

D2_EXACT = 2 / np.sqrt(np.pi)


def test_version_is_single_sourced() -> None:
    assert qi.__version__ == _core.__version__


def xmr_limits(y: np.ndarray, d2: float) -> tuple[float, float, float]:
    cl = float(np.mean(y))
    amr = float(np.mean(np.abs(np.diff(y))))
    return cl, cl - 3 * amr / d2, cl + 3 * amr / d2


def test_i_chart_default_is_the_textbook_xmr() -> None:
    rng = np.random.default_rng(1)
    y = rng.normal(10, 2, 40)
    res = qi.spc(y=y, chart="xmr")
    cl, lcl, ucl = xmr_limits(y, D2_EXACT)
    assert res.summary.loc[0, "cl"] == pytest.approx(cl, rel=1e-12)
    assert res.summary.loc[0, "lcl"] == pytest.approx(lcl, rel=1e-12)
    assert res.summary.loc[0, "ucl"] == pytest.approx(ucl, rel=1e-12)
    assert res.points["lcl_95"].iloc[0] == pytest.approx(cl - 2 * (cl - lcl) / 3, rel=1e-12)
    assert (res.points["sigma_signal"] == ((y > ucl) | (y < lcl))).all()


def test_by_computes_every_series_like_separate_calls() -> None:
    rng = np.random.default_rng(2)
    df = pd.DataFrame({
        "ward": np.repeat(["B", "A", "C"], 24),
        "month": np.tile(pd.date_range("2024-01-01", periods=24, freq="MS"), 3),
        "rate": rng.gamma(4, 2, 72),
    }).sample(frac=1, random_state=3)  # row order must not matter
    many = qi.spc(df, y="rate", x="month", by="ward", chart="i")
    assert list(many.summary["ward"]) == ["A", "B", "C"]
    for ward, rows in df.groupby("ward"):
        one = qi.spc(rows, y="rate", x="month", chart="i")
        got = many.points[many.points["ward"] == ward].reset_index(drop=True)
        pd.testing.assert_series_equal(got["ucl"], one.points["ucl"], check_names=False)
        assert (got["x"].to_numpy() == one.points["x"].to_numpy()).all()


def test_rows_sharing_x_are_combined() -> None:
    df = pd.DataFrame({"x": [1, 1, 2, 2, 3, 3, 4, 4], "y": [1.0, 3, 2, 2, 5, 1, 0, 4],
                       "n": [10.0, 10, 5, 15, 10, 10, 20, 20]})
    mean = qi.spc(df, y="y", x="x", chart="run")
    np.testing.assert_allclose(mean.points["value"], [2, 2, 3, 2])
    ratio = qi.spc(df, y="y", n="n", x="x", chart="run")
    np.testing.assert_allclose(ratio.points["value"], [4 / 20, 4 / 20, 6 / 20, 4 / 40])
    assert list(ratio.points["n"]) == [20, 20, 20, 40]
    med = qi.spc(df, y="y", x="x", chart="run", agg="median")
    np.testing.assert_allclose(med.points["value"], [2, 2, 3, 2])


def test_part_by_position_by_x_value_and_by_label_column_agree() -> None:
    df = pd.DataFrame({"month": pd.date_range("2023-01-01", periods=30, freq="MS"),
                       "y": np.r_[np.full(18, 5.0), np.full(12, 9.0)] + np.tile([0, 1, -1], 10)})
    df["period"] = np.where(df["month"] >= "2024-07-01", "after", "before")
    by_pos = qi.spc(df, y="y", x="month", chart="i", part=[18])
    by_x = qi.spc(df, y="y", x="month", chart="i", part=["2024-07-01"])
    by_label = qi.spc(df, y="y", x="month", chart="i", part="period")
    for res in (by_x, by_label):
        pd.testing.assert_frame_equal(res.points, by_pos.points)
    assert list(by_pos.summary["cl"]) == pytest.approx([5.0, 9.0])
    assert list(by_pos.summary["x_start"]) == [pd.Timestamp("2023-01-01"), pd.Timestamp("2024-07-01")]


def test_exclude_positions_and_boolean_column_agree() -> None:
    y = np.array([4.0, 5, 6, 5, 40, 5, 4, 6, 5, 5])
    a = qi.spc(y=y, chart="i", exclude=[4])
    b = qi.spc({"y": y, "odd": np.arange(10) == 4}, y="y", chart="i", exclude="odd")
    pd.testing.assert_frame_equal(a.points, b.points)
    kept = np.delete(y, 4)
    cl, lcl, ucl = xmr_limits(kept, D2_EXACT)
    assert a.summary.loc[0, "cl"] == pytest.approx(cl)
    assert a.summary.loc[0, "ucl"] == pytest.approx(ucl)
    assert bool(a.points.loc[4, "excluded"]) and bool(a.points.loc[4, "sigma_signal"])


def test_freeze_uses_the_first_points_only() -> None:
    y = np.r_[np.tile([3.0, 4.0], 6), np.tile([8.0, 9.0], 6)]
    res = qi.spc(y=y, chart="i", freeze=12)
    assert res.summary.loc[0, "cl"] == 3.5
    assert list(res.points["baseline"]) == [True] * 12 + [False] * 12
    assert res.points["sigma_signal"].iloc[12:].all()


def test_missing_values_are_kept_as_gaps() -> None:
    y = [5, 3, np.nan, 4, 6, 2, 5, 4, 3, 6, 5, 4]
    res = qi.spc(y=y, chart="i", profile="qicharts2")
    assert len(res.points) == 12 and np.isnan(res.points["value"].iloc[2])
    # spc-spec §8.3: the two MRs next to the NA are dropped, AMR = 2.0.
    assert res.summary.loc[0, "ucl"] == pytest.approx(47 / 11 + 3 * 2.0 / 1.128, rel=1e-12)
    assert res.summary.loc[0, "n_points"] == 11 and res.summary.loc[0, "n_obs"] == 12


def test_categorical_x_has_no_runs_signal() -> None:
    units = [f"unit {c}" for c in "ABCDEFGHIJKL"]
    res = qi.spc(x=units, y=np.r_[np.full(11, 1.0), 0.0], chart="run")
    assert not res.summary.loc[0, "runs_signal"]
    assert res.spec["x_categorical"]


def test_ihi_rules_flag_a_shift() -> None:
    y = np.r_[np.tile([1.0, 3.0], 6), np.full(6, 4.0), np.full(6, 0.0)]
    res = qi.spc(y=y, chart="run", rules="ihi")
    assert res.points["special_cause"].iloc[12:18].all()
    assert "shift" in res.signal_rules().iloc[12]


@pytest.mark.parametrize("chart", ["run", "i", "mr"])
def test_json_round_trip_is_lossless(chart: str) -> None:
    df = pd.DataFrame({"ward": np.repeat(pd.Categorical(["x", "y"]), 15),
                       "day": np.tile(pd.date_range("2025-01-01", periods=15), 2),
                       "y": np.random.default_rng(4).normal(size=30)})
    res = qi.spc(df, y="y", x="day", by="ward", chart=chart, part=[7], target=0.5, direction="increase")
    back = qi.SPCResult.from_json(res.to_json())
    pd.testing.assert_frame_equal(back.points, res.points)
    pd.testing.assert_frame_equal(back.summary, res.summary)
    assert back.spec == json.loads(json.dumps(res.spec))


def test_thread_count_does_not_change_results() -> None:
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"s": np.repeat(np.arange(500), 20), "y": rng.normal(size=10_000)})
    one = qi.spc(df, y="y", by="s", chart="i", n_threads=1)
    two = qi.spc(df, y="y", by="s", chart="i", n_threads=2)
    pd.testing.assert_frame_equal(one.points, two.points)


# -- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "column", "row", "rule"),
    [
        ({"y": "count", "x": "when", "data": {"count": [1, 2, np.inf], "when": [1, 2, 3]}}, "count", 2, "finite"),
        ({"y": "count", "x": "when", "data": {"count": ["1", "two", "3"], "when": [1, 2, 3]}}, "count", 1, "numeric"),
        ({"y": "count", "x": "when", "data": {"count": [1, 2, 3], "when": [1, None, 3]}}, "when", 1, "missing"),
        ({"y": "count", "by": "ward", "data": {"count": [1, 2, 3], "ward": ["a", None, "b"]}}, "ward", 1, "missing"),
        ({"y": "deaths", "n": "cases", "chart": "p", "data": {"deaths": [1, 5, 3], "cases": [4, 4, 4]}}, "deaths", 1,
         "numerator_le_denominator"),
        ({"y": "deaths", "n": "cases", "chart": "u", "data": {"deaths": [1, 5, 3], "cases": [4, -4, 4]}}, "cases", 1,
         "non_negative"),
        ({"y": "count", "data": {"count": [1, 2, 3]}, "chart": "pie"}, "chart", None, "unknown_name"),
        ({"y": "count", "data": {"count": [1, 2, 3]}, "rules": "magic"}, "rules", None, "unknown_name"),
        ({"y": "count", "data": {"count": [1, 2, 3]}, "profile": "excel"}, "profile", None, "unknown_name"),
        ({"y": "count", "data": {"count": [1, 2, 3]}, "part": [7]}, "part", None, "range"),
        ({"y": "count", "data": {"count": [1, 2, 3]}, "exclude": [-1]}, "exclude", None, "range"),
        ({"y": "count", "data": {"count": [1, 2, 3]}, "freeze": 0}, "freeze", None, "range"),
        ({"y": "missing_col", "data": {"count": [1, 2, 3]}}, "missing_col", None, "unknown_column"),
        ({"y": [1, 2, 3], "n": [1, 2]}, "n", None, "length"),
    ],
)
def test_bad_input_names_column_and_row(kwargs: dict, column: str, row: int | None, rule: str) -> None:
    data = kwargs.pop("data", None)
    with pytest.raises(qi.InputError) as info:
        qi.spc(data, **kwargs)
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.column, err.row, err.rule) == (column, row, rule)
    assert column in str(err)


def test_from_json_rejects_other_documents() -> None:
    with pytest.raises(qi.InputError):
        qi.SPCResult.from_json('{"format": "something else"}')
    with pytest.raises(qi.InputError):
        qi.SPCResult.from_json("{not json")


def test_plot_draws_limits_and_colours_signals() -> None:
    import matplotlib.pyplot as plt

    y = np.r_[np.full(10, 5.0) + np.tile([0.5, -0.5], 5), 20.0]
    res = qi.spc(y=y, chart="i", direction="decrease")
    ax = res.plot()
    assert len(ax.lines) >= 4  # values, centre line, two limits
    flagged = [c for c in ax.collections if c.get_gid() == "qiscope-points-concern"]
    assert flagged and len(flagged[0].get_offsets()) == 1
    plt.close(ax.figure)
    many = qi.spc({"g": np.repeat(["a", "b"], 11), "y": np.r_[y, y]}, y="y", by="g", chart="i")
    axes = many.plot()
    assert sum(a.get_visible() for a in axes.flat) == 2
    plt.close(axes.flat[0].figure)


def test_repr_html_shows_table_and_chart() -> None:
    res = qi.spc(y=np.arange(12.0) % 4, chart="run")
    html = res._repr_html_()
    assert "<table" in html and "<svg" in html


@pytest.mark.parametrize("profile", ["ptd", "mdc_excel", "qcc"])
def test_a_profiles_rule_set_applies_to_shewhart_charts_only(profile: str) -> None:
    y = np.r_[np.tile([4.0, 6.0], 8), np.full(8, 9.0)]
    assert qi.spc(y=y, chart="run", profile=profile).spec["rules"] == "anhoej"
    expected = {"ptd": "mdc", "mdc_excel": "mdc", "qcc": "western_electric"}[profile]
    assert qi.spc(y=y, chart="i", profile=profile).spec["rules"] == expected
