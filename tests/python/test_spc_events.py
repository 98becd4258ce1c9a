"""Rows as their own points (``agg="none"``) and per-series improvement directions.

The g chart's limits are computed here from Benneyan's formula (mean m, sigma sqrt(m (m + 1)),
the drawn centre line the median; Provost & Murray 2011, p. 228); per-series directions are
checked against separate calls, one per series.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

import qiscope as qi

# Cases between events: events 2-3 happened on one day, 5-6 on another.
BETWEEN = [12.0, 3, 40, 7, 25, 0, 18, 9, 31, 4]
DAYS = pd.to_datetime(["2025-01-03", "2025-01-09", "2025-01-09", "2025-01-20", "2025-02-02", "2025-02-02",
                       "2025-02-11", "2025-02-27", "2025-03-05", "2025-03-19"])


def test_g_chart_with_repeated_dates_by_hand() -> None:
    res = qi.spc({"days": DAYS, "between": BETWEEN}, y="between", x="days", chart="g", agg="none")
    pts = res.points
    assert len(pts) == len(BETWEEN)
    assert (pts["x"].to_numpy() == DAYS.to_numpy()).all()  # the repeated dates are kept
    assert pts["value"].tolist() == BETWEEN
    assert (pts["n_rows"] == 1).all()
    m = float(np.mean(BETWEEN))
    sigma = math.sqrt(m * (m + 1))
    assert pts["cl"].iloc[0] == float(np.median(BETWEEN))
    assert pts["ucl"].iloc[0] == pytest.approx(m + 3 * sigma, rel=1e-12)
    assert pts["ucl_95"].iloc[0] == pytest.approx(m + 2 * sigma, rel=1e-12)
    assert pts["lcl"].iloc[0] == 0
    # The default combines a day's events into their mean: 8 points, (3 + 40) / 2 on 9 January.
    averaged = qi.spc({"days": DAYS, "between": BETWEEN}, y="between", x="days", chart="g")
    assert len(averaged.points) == 8 and averaged.points["value"].iloc[1] == 21.5


@pytest.mark.parametrize("chart", ["g", "t", "i", "run", "c", "mr", "ewma"])
def test_same_as_distinct_x(chart: str) -> None:
    y = [v + 1 for v in BETWEEN] if chart == "t" else BETWEEN
    tied = qi.spc(y=y, x=DAYS, chart=chart, agg="none")
    apart = qi.spc(y=y, x=pd.date_range("2025-01-01", periods=len(y)), chart=chart, agg="none")
    columns = ["value", "cl", "lcl", "ucl", "special_cause", "point_type"]
    pdt.assert_frame_equal(tied.points[columns], apart.points[columns])
    summary = ["cl", "lcl", "ucl", "longest_run", "n_crossings", "variation"]
    pdt.assert_frame_equal(tied.summary[summary], apart.summary[summary])


def test_rows_sharing_x_keep_their_input_order() -> None:
    res = qi.spc(y=[5.0, 1, 9, 2, 7], x=[3, 1, 3, 2, 3], chart="g", agg="none")
    assert res.points["value"].tolist() == [1, 2, 5, 9, 7]
    assert res.points["x"].tolist() == [1, 2, 3, 3, 3]


def test_part_at_a_repeated_date_and_exclude_by_position() -> None:
    res = qi.spc(y=BETWEEN, x=DAYS, chart="g", agg="none", part=[DAYS[4]], exclude=[2])
    assert res.summary["x_start"].tolist() == [DAYS[0], DAYS[4]]
    assert res.points["phase"].tolist() == [1] * 4 + [2] * 6  # from the first event on 2 February
    assert res.points["excluded"].tolist() == [False, False, True] + [False] * 7
    m1 = np.mean([12, 3, 7])  # the second event of 9 January is excluded
    assert res.points["ucl"].iloc[0] == pytest.approx(m1 + 3 * math.sqrt(m1 * (m1 + 1)), rel=1e-12)


def test_target_plot_report_and_json_with_repeated_dates() -> None:
    target = [20.0] * 5 + [30.0] * 5  # changes between the two events of 2 February
    data = {"days": DAYS, "between": BETWEEN, "target": target}
    res = qi.spc(data, y="between", x="days", chart="g", agg="none", target="target", direction="increase")
    assert res.points["target"].tolist() == target  # each point's own row
    assert res.summary["assurance"].iloc[0] != ""
    ax = res.plot()
    assert len(ax.lines) > 0
    back = qi.SPCResult.from_json(res.to_json())
    assert back.spec["agg"] == "none"
    pdt.assert_frame_equal(back.points, res.points)
    assert "<svg" in res._repr_html_()


def test_agg_none_refused_for_subgroup_charts() -> None:
    for chart in ("xbar", "s"):
        with pytest.raises(qi.InputError) as info:
            qi.spc(y=BETWEEN, x=DAYS, chart=chart, agg="none")
        assert (info.value.column, info.value.rule) == ("agg", "not_applicable")


# -- per-series directions -------------------------------------------------------------------------
def _board() -> pd.DataFrame:
    """Three indicators of 20 months; each ends on a low point beyond its lower limit."""
    base = np.array([10, 12, 11, 9, 10, 11, 12, 10, 9, 11, 10, 12, 11, 10, 9, 11, 12, 10, 11, 2], dtype=float)
    months = pd.period_range("2024-01", periods=20, freq="M")
    frames = []
    for k, (name, direction, target) in enumerate([("falls", "decrease", 8.0), ("vaccination", "increase", 70.0),
                                                   ("audits", None, 50.0)]):
        frames.append(pd.DataFrame({"indicator": name, "month": months, "value": base + 50 * k,
                                    "direction": direction, "target": target}))
    return pd.concat(frames, ignore_index=True)


def _separate(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    points, summaries = [], []
    for name, rows in data.groupby("indicator", sort=True):
        direction = rows["direction"].iloc[0]
        one = qi.spc(rows, y="value", x="month", by="indicator", chart="i", target="target",
                     direction=direction if isinstance(direction, str) else None)
        points.append(one.points)
        summaries.append(one.summary)
    return pd.concat(points, ignore_index=True), pd.concat(summaries, ignore_index=True)


@pytest.mark.parametrize("form", ["column", "mapping"])
def test_per_series_direction_equals_separate_calls(form: str) -> None:
    data = _board()
    direction = "direction" if form == "column" else {"falls": "decrease", "vaccination": "increase"}
    both = qi.spc(data, y="value", x="month", by="indicator", chart="i", target="target", direction=direction)
    points, summary = _separate(data)
    columns = ["indicator", "x", "value", "cl", "lcl", "ucl", "special_cause", "point_type"]
    pdt.assert_frame_equal(both.points[columns], points[columns], check_categorical=False)
    icons = ["indicator", "variation", "assurance"]
    pdt.assert_frame_equal(both.summary[icons], summary[icons], check_categorical=False)
    assert both.summary.set_index("indicator")["variation"].to_dict() == {
        "audits": "neutral_low", "falls": "improvement_low", "vaccination": "concern_low"}
    assert both.spec["series_direction"] == ["neutral", "decrease", "increase"]  # by sorted label
    back = qi.SPCResult.from_json(both.to_json())
    assert back.spec["series_direction"] == both.spec["series_direction"]


def test_mapping_with_several_by_columns() -> None:
    data = _board().assign(site="North")
    res = qi.spc(data, y="value", x="month", by=["site", "indicator"], chart="i",
                 direction={("North", "falls"): "decrease", ("North", "vaccination"): "increase"})
    assert res.summary.set_index("indicator")["variation"].to_dict() == {
        "audits": "neutral_low", "falls": "improvement_low", "vaccination": "concern_low"}


def test_a_column_named_like_a_direction_value_is_still_a_direction_without_data() -> None:
    res = qi.spc(y=[1.0, 2, 3, 4, 5, 6, 7, 8, 9, 30], chart="i", direction="increase")
    assert res.points["point_type"].iloc[-1] == "improvement"


def test_repeated_x_is_not_a_gap() -> None:
    # Monthly measurements, several in some months: the step between months is the usual one.
    months = pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-01", "2025-02-01", "2025-02-01", "2025-02-01",
                             "2025-03-01", "2025-05-01", "2025-05-01"])
    res = qi.spc(y=[5.0, 3, 4, 6, 2, 5, 4, 3, 6], x=months, chart="i", agg="none")
    assert res.points["x_gap"].tolist() == [False] * 7 + [True, False]  # April is missing


def test_jupyter_title_says_directions_are_per_series() -> None:
    res = qi.spc(_board(), y="value", x="month", by="indicator", chart="i", direction="direction")
    assert "improvement: per series" in res._repr_html_()
