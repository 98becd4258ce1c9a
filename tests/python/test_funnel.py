"""The qi.funnel Python surface: inputs, errors naming the caller's columns, the tidy tables,
JSON round trip, plot and HTML. The statistics are checked in test_reference_funnel.py
(FunnelPlotR) and tests/cpp/test_funnel.cpp (Spiegelhalter's formulas by hand)."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import qiscope as qi

# shared/design/spc-spec.md §8.4
NUM = [253, 351, 39, 146, 124, 123, 129, 7, 70, 188, 85, 76, 179, 74, 152, 144, 176, 17, 100, 96]
DEN = [1834, 1877, 608, 1669, 1301, 1062, 1486, 313, 1331, 1425, 943, 1452, 1873, 548, 951, 1883, 1958,
       279, 976, 1143]


@pytest.fixture
def units() -> pd.DataFrame:
    return pd.DataFrame({"trust": [f"T{i:02d}" for i in range(20)], "deaths": NUM, "cases": DEN})


def test_points_have_one_row_per_unit_with_limits_and_outliers(units: pd.DataFrame) -> None:
    f = qi.funnel(units, y="deaths", n="cases", by="trust", overdispersion="additive")
    assert list(f.points.columns) == ["trust", "y", "n", "value", "z", "z_winsorised", "cl", "lcl_95", "ucl_95",
                                      "lcl_99_8", "ucl_99_8", "outlier"]
    assert list(f.points["trust"]) == sorted(units["trust"])
    np.testing.assert_allclose(f.points["value"], np.array(NUM) / np.array(DEN), rtol=1e-15)
    assert f.target == pytest.approx(sum(NUM) / sum(DEN), rel=1e-15)
    assert f.adjusted
    assert f.phi == pytest.approx(12.84965, rel=1e-6)  # the §8.4 anchor (same z as FunnelPlotR)
    inside = (f.points["value"] >= f.points["lcl_99_8"]) & (f.points["value"] <= f.points["ucl_99_8"])
    assert (f.points["outlier"] == ~inside).all()
    assert {"lcl_95_unadjusted", "ucl_99_8_unadjusted"} <= set(f.limits.columns)
    assert f.limits["n"].is_monotonic_increasing


def test_rows_of_a_unit_are_summed_and_multiply_scales() -> None:
    data = {"ward": ["a", "b", "a", "b"], "y": [3, 4, 10, 2], "n": [10, 20, 50, 30]}
    f = qi.funnel(data, y="y", n="n", by="ward", multiply=100)
    assert list(f.points["y"]) == [13.0, 6.0]
    assert list(f.points["n"]) == [60.0, 50.0]
    assert f.points["value"].iloc[0] == pytest.approx(100 * 13 / 60, rel=1e-15)
    assert f.target == pytest.approx(100 * 19 / 110, rel=1e-15)
    assert (f.points["cl"] == f.target).all()


def test_without_by_every_row_is_a_unit() -> None:
    f = qi.funnel(y=[12, 30, 7, 45], n=[100, 240, 80, 300])
    assert list(f.points["unit"]) == [0, 1, 2, 3]
    assert f.by == ["unit"]


def test_other_coverages_and_outlier_limit(units: pd.DataFrame) -> None:
    f = qi.funnel(units, y="deaths", n="cases", by="trust", limits=(90, 99), outlier_limit=90)
    assert {"lcl_90", "ucl_90", "lcl_99", "ucl_99"} <= set(f.points.columns)
    inside = (f.points["value"] >= f.points["lcl_90"]) & (f.points["value"] <= f.points["ucl_90"])
    assert (f.points["outlier"] == ~inside).all()
    # FunnelPlotR's limit = 99 means the 99.8% limits
    g = qi.funnel(units, y="deaths", n="cases", by="trust", outlier_limit=99)
    assert g.spec["outlier_coverage"] == 99.8


def test_funnelplotr_reports_zero_phi_without_adjustment(units: pd.DataFrame) -> None:
    f = qi.funnel(units, y="deaths", n="cases", by="trust", profile="funnelplotr")
    assert (f.phi, f.tau2, f.adjusted) == (0.0, 0.0, False)
    assert math.isnan(f.phi_p_value)


@pytest.mark.parametrize(
    ("data", "kwargs", "column", "row", "rule"),
    [
        ({"u": ["a", "b"], "d": [5, 12], "c": [10, 11]}, {"kind": "proportion"}, "d", 1, "numerator_le_denominator"),
        ({"u": ["a", "b"], "d": [5, -1], "c": [10, 11]}, {"kind": "ratio"}, "d", 1, "non_negative"),
        ({"u": ["a", "b"], "d": [5, 1], "c": [10, 0]}, {"kind": "ratio"}, "c", 1, "positive"),
        ({"u": ["a", "b"], "d": [5, 1], "c": [10, np.nan]}, {"kind": "rate"}, "c", 1, "missing"),
        ({"u": ["a", "b"], "d": [np.nan, 1], "c": [10, 3]}, {"kind": "rate"}, "d", 0, "missing"),
        ({"u": ["a", None], "d": [5, 1], "c": [10, 3]}, {"kind": "rate"}, "u", 1, "missing"),
        ({"u": ["a", "b"], "d": [5, "x"], "c": [10, 3]}, {"kind": "rate"}, "d", 1, "numeric"),
    ],
)
def test_bad_input_names_column_and_row(data: dict, kwargs: dict, column: str, row: int, rule: str) -> None:
    with pytest.raises(qi.InputError) as err:
        qi.funnel(pd.DataFrame(data), y="d", n="c", by="u", **kwargs)
    assert (err.value.column, err.value.row, err.value.rule) == (column, row, rule)
    assert column in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "column"),
    [
        ({"kind": "funnel"}, "kind"),
        ({"overdispersion": "both"}, "overdispersion"),
        ({"kind": "rate", "limit_method": "exact"}, "limit_method"),
        ({"outlier_limit": 90}, "outlier_limit"),
        ({"trim_by": 0.6}, "trim_by"),
        ({"limits": (95, 120)}, "limits"),
    ],
)
def test_bad_options_are_named(units: pd.DataFrame, kwargs: dict, column: str) -> None:
    with pytest.raises(qi.InputError) as err:
        qi.funnel(units, y="deaths", n="cases", by="trust", **kwargs)
    assert err.value.column == column


def test_json_round_trip_keeps_every_digit(units: pd.DataFrame) -> None:
    f = qi.funnel(units, y="deaths", n="cases", by="trust", kind="ratio", overdispersion="additive")
    back = qi.FunnelResult.from_json(f.to_json())
    pd.testing.assert_frame_equal(back.points, f.points)
    pd.testing.assert_frame_equal(back.limits, f.limits)
    assert (back.phi, back.tau2, back.adjusted, back.target) == (f.phi, f.tau2, f.adjusted, f.target)
    with pytest.raises(qi.InputError):
        qi.FunnelResult.from_json('{"format": "qiscope.SPCResult"}')


def test_plot_and_html(units: pd.DataFrame) -> None:
    f = qi.funnel(units, y="deaths", n="cases", by="trust")
    ax = f.plot()
    assert ax.get_xlabel() == "Cases"
    assert len(ax.lines) >= 5  # two pairs of limits and the target
    plt.close(ax.figure)
    page = f._repr_html_()
    assert "<svg" in page and "T07" in page  # the outlying unit with n = 313 is listed
    assert "FunnelResult" in repr(f)
