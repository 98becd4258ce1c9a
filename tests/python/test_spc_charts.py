"""The Shewhart charts through the Python layer: subgroups from rows sharing x, the edge-case
policies as users see them, errors naming the caller's columns, and JSON/plot for every chart.
The formulas themselves are tested in tests/cpp/test_spc_charts.cpp and against qicharts2 in
test_reference_spc.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import qiscope as qi

CHARTS = ["xbar", "s", "p", "np", "c", "u", "pp", "up", "g", "t", "ip"]


def _data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    x = np.repeat(pd.date_range("2024-01-01", periods=15, freq="MS"), 3)
    return pd.DataFrame({"month": x, "value": rng.normal(10, 2, len(x)).round(2),
                         "events": rng.poisson(4, len(x)) + 1, "cases": 40})


def _args(chart: str) -> dict:
    if chart in ("xbar", "s"):
        return {"y": "value", "x": "month"}
    if chart in ("g", "t"):
        return {"y": "events"}
    return {"y": "events", "n": "cases", "x": "month"}


@pytest.mark.parametrize("chart", CHARTS)
def test_every_chart_round_trips_through_json_and_plots(chart: str) -> None:
    res = qi.spc(_data(), chart=chart, **_args(chart))
    back = qi.SPCResult.from_json(res.to_json())
    pd.testing.assert_frame_equal(back.points, res.points)
    pd.testing.assert_frame_equal(back.summary, res.summary)
    ax = res.plot()
    assert ax.lines  # the values and the lines were drawn
    assert np.isfinite(res.points["cl"]).all()


def test_xbar_subgroups_are_the_rows_sharing_x() -> None:
    data = pd.DataFrame({"day": [1, 1, 1, 2, 2, 2], "v": [1.0, 2, 3, 2, 4, 6]})
    res = qi.spc(data, y="v", x="day", chart="xbar")
    assert res.points["n"].tolist() == [3, 3]
    assert res.points["value"].tolist() == [2, 4]
    # c4(3) = sqrt(pi)/2; s-bar = 1.5; A3 = 3 / (c4 sqrt(3)).
    a3 = 3 / (math.sqrt(math.pi) / 2 * math.sqrt(3))
    assert res.points["ucl"].iloc[0] == pytest.approx(3 + a3 * 1.5, abs=1e-12, rel=0)


def test_zero_denominator_is_a_gap_without_limits_or_signal() -> None:
    res = qi.spc(y=[2, 3, 0, 4], n=[20, 30, 0, 31], chart="p")
    row = res.points.iloc[2]
    assert math.isnan(row["value"]) and math.isnan(row["lcl"]) and math.isnan(row["ucl"])
    assert not row["sigma_signal"]
    assert res.points["cl"].iloc[0] == pytest.approx(9 / 81, abs=1e-15, rel=0)


def test_subgroup_of_one_has_no_limits() -> None:
    res = qi.spc(y=[1.0, 2, 3, 5, 6, 7, 8], x=[1, 1, 1, 2, 3, 3, 3], chart="xbar")
    assert res.points["value"].iloc[1] == 5
    assert math.isnan(res.points["ucl"].iloc[1])
    assert not res.points["sigma_signal"].iloc[1]


def test_errors_name_the_callers_columns() -> None:
    data = _data()
    with pytest.raises(qi.InputError) as err:
        qi.spc(data, y="value", n="cases", x="month", chart="xbar")
    assert err.value.column == "cases" and err.value.rule == "not_used"
    bad = data.assign(cases=2)
    with pytest.raises(qi.InputError) as err:
        qi.spc(bad, y="events", n="cases", x="month", chart="np")
    assert err.value.column == "events" and err.value.rule == "numerator_le_denominator"
    assert err.value.row == int(np.flatnonzero(bad["events"] > 2)[0])
    with pytest.raises(qi.InputError) as err:
        qi.spc(y=[3.0, 0.0, 2.0], chart="t")
    assert err.value.row == 1 and err.value.rule == "positive"
