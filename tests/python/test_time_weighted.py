"""Time-weighted charts through the Python API: EWMA, tabular CUSUM, Bernoulli CUSUM,
risk-adjusted CUSUM and VLAD, checked against recurrences written out here (independently of
the C++ core), published values, bad input and the JSON round trip."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import qiscope as qi

# Montgomery, Introduction to Statistical Quality Control, Table 9.1 (mu0 = 10, sigma = 1).
MONTGOMERY_9_1 = [
    9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34, 9.03, 11.47, 10.51, 9.40, 10.08,
    9.37, 10.62, 10.31, 8.52, 10.84, 10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52,
]
# His Table 9.2: the upper sum C+ (k = 0.5, h = 5), to two decimals.
MONTGOMERY_UPPER = [
    0.0, 0.0, 0.0, 1.16, 2.82, 2.50, 0.04, 1.00, 0.0, 0.0, 0.0, 0.97, 0.98, 0.0, 0.0,
    0.0, 0.12, 0.0, 0.0, 0.34, 0.74, 0.0, 1.79, 2.79, 2.89, 3.47, 3.35, 4.47, 5.28, 5.30,
]


def _odds_shift(p0: float, odds_ratio: float) -> float:
    odds = odds_ratio * p0 / (1 - p0)
    return odds / (1 + odds)


def _bchart(y: np.ndarray, p0: float, odds_ratio: float, limit: float) -> tuple[list[float], list[float]]:
    """bchart's recurrence (spc-spec.md §2.5), reporting the sums reached before a reset."""
    p1, p2 = _odds_shift(p0, odds_ratio), _odds_shift(p0, 1 / odds_ratio)
    z1 = z2 = 0.0
    upper, lower = [], []
    for x in y:
        s1 = x * math.log(p1 / p0) + (1 - x) * math.log((1 - p1) / (1 - p0))
        s2 = x * math.log(p2 / p0) + (1 - x) * math.log((1 - p2) / (1 - p0))
        z1 = max(0.0, z1 + s1)
        z2 = min(0.0, z2 - s2)
        upper.append(z1)
        lower.append(z2)
        z1 = 0.0 if z1 >= limit else z1
        z2 = 0.0 if z2 <= -limit else z2
    return upper, lower


def test_ewma_matches_its_recurrence_and_flags_the_shift() -> None:
    data = pd.DataFrame({"hour": range(1, 31), "concentration": MONTGOMERY_9_1})
    res = qi.spc(data, y="concentration", x="hour", chart="ewma", lam=0.1, nsigmas=2.7, center=10, sd=1)
    z, values, ucl = 10.0, [], []
    for t, x in enumerate(MONTGOMERY_9_1, start=1):
        z = 0.1 * x + 0.9 * z
        values.append(z)
        ucl.append(10 + 2.7 * math.sqrt(0.1 / 1.9 * (1 - 0.9 ** (2 * t))))
    pts = res.points
    np.testing.assert_allclose(pts["value"], values, rtol=0, atol=1e-12)
    np.testing.assert_allclose(pts["ucl"], ucl, rtol=0, atol=1e-12)
    np.testing.assert_allclose(pts["lcl"], 20 - np.array(ucl), rtol=0, atol=1e-12)
    assert pts["value_lower"].isna().all()
    assert list(np.flatnonzero(pts["sigma_signal"])) == [28, 29]
    summary = res.summary.iloc[0]
    assert summary["sigma_signal"] == 2
    assert pd.isna(summary["longest_run"])
    assert not summary["runs_signal"]
    assert pd.isna(summary["ucl"])  # the limits widen over the first points


def test_cusum_reproduces_montgomery_table_9_2() -> None:
    res = qi.spc(y=MONTGOMERY_9_1, chart="cusum", center=10, sd=1, k=0.5, h=5)
    pts = res.points
    np.testing.assert_allclose(pts["value"], MONTGOMERY_UPPER, rtol=0, atol=0.005 + 1e-12)
    c_minus, lower = 0.0, []
    for x in MONTGOMERY_9_1:
        c_minus = max(0.0, 9.5 - x + c_minus)
        lower.append(-c_minus)
    np.testing.assert_allclose(pts["value_lower"], lower, rtol=0, atol=1e-12)
    assert list(np.flatnonzero(pts["special_cause"])) == [28, 29]
    assert (pts["ucl"] == 5).all() and (pts["lcl"] == -5).all() and (pts["cl"] == 0).all()
    zero = pts["value_lower"].to_numpy() == 0
    assert not np.signbit(pts["value_lower"].to_numpy()[zero]).any()  # no -0.0 in the output


def test_cusum_default_sigma_follows_the_profile() -> None:
    y = [5, 3, 4, 6, 2, 5, 4, 3, 6, 5, 4]
    mean_mr = np.mean(np.abs(np.diff(y)))
    center = np.mean(y)
    for profile, d2 in (("qcc", 1.128), (None, 2 / math.sqrt(math.pi))):
        res = qi.spc(y=y, chart="cusum", profile=profile)
        z1 = (y[0] - center) / (mean_mr / d2)
        assert res.points["value"].iloc[0] == pytest.approx(max(0.0, z1 - 0.5), abs=1e-12)
        assert res.points["value_lower"].iloc[0] == pytest.approx(-max(0.0, -z1 - 0.5), abs=1e-12)


def test_bernoulli_cusum_on_cabg_deaths_as_bchart(shared_data) -> None:
    # qicharts2's example bchart(cabg$death, target = 200): p0 from the first 200 operations.
    cabg = pd.read_csv(shared_data / "qicharts2_cabg.csv")
    res = qi.spc(cabg, y="death", chart="bernoulli_cusum", freeze=200)
    deaths = cabg["death"].to_numpy(dtype=float)
    upper, lower = _bchart(deaths, deaths[:200].mean(), 2.0, 3.5)
    pts = res.points
    assert len(pts) == len(cabg)
    np.testing.assert_allclose(pts["value"], upper, rtol=0, atol=1e-9)
    np.testing.assert_allclose(pts["value_lower"], lower, rtol=0, atol=1e-9)
    expected = (np.array(upper) >= 3.5) | (np.array(lower) <= -3.5)
    np.testing.assert_array_equal(pts["sigma_signal"], expected)
    assert pts["baseline"].sum() == 200


def test_bernoulli_cusum_with_a_target_probability() -> None:
    y = np.array([0, 1, 1, 0, 1, 1] + [0] * 45)
    res = qi.spc(y=y, chart="bernoulli_cusum", target=0.1, odds_ratio=2, limit=2)
    upper, lower = _bchart(y, 0.1, 2.0, 2.0)
    np.testing.assert_allclose(res.points["value"], upper, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.points["value_lower"], lower, rtol=0, atol=1e-12)
    assert res.points["sigma_signal"].sum() == 2


def _cases() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-05", "2024-01-05",
                                "2024-01-06", "2024-01-08", "2024-01-09"]),
        "died": [0, 1, 1, 0, 1, 1, 0, False],
        "predicted": [0.1, 0.5, 0.2, 0.8, 0.05, 0.3, 0.02, 0.4],
    })


def test_ra_cusum_uses_steiner_weights_case_by_case() -> None:
    cases = _cases()
    res = qi.spc(cases, y="died", x="date", risk="predicted", chart="ra_cusum", odds_ratio=2, limit=0.82,
                 direction="decrease")
    y = cases["died"].to_numpy(dtype=float)
    p = cases["predicted"].to_numpy()
    # Steiner et al. (2000): W = y ln R - ln(1 - p + R p), upper R = 2, lower R = 1/2.
    w_up = y * math.log(2) - np.log(1 + p)
    w_down = y * math.log(0.5) - np.log(1 - p / 2)
    x = z = 0.0
    upper, lower = [], []
    for a, b in zip(w_up, w_down, strict=True):
        x = max(0.0, x + a)
        z = min(0.0, z - b)
        upper.append(x)
        lower.append(z)
        x = 0.0 if x >= 0.82 else x
        z = 0.0 if z <= -0.82 else z
    pts = res.points
    assert len(pts) == len(cases)  # two cases on one date stay two points
    assert (pts["x"] == cases["date"]).all()
    np.testing.assert_allclose(pts["value"], upper, rtol=0, atol=1e-12)
    np.testing.assert_allclose(pts["value_lower"], lower, rtol=0, atol=1e-12)
    signal = np.flatnonzero(pts["special_cause"])
    assert list(signal) == [4]
    assert pts["point_type"].iloc[4] == "concern"  # more deaths than predicted


def test_vlad_is_expected_minus_observed_per_series() -> None:
    cases = pd.concat([_cases().assign(surgeon="A"), _cases().iloc[:4].assign(surgeon="B")], ignore_index=True)
    res = qi.spc(cases, y="died", x="date", risk="predicted", by="surgeon", chart="vlad")
    for surgeon, group in cases.groupby("surgeon"):
        expected = np.cumsum(group["predicted"].to_numpy() - group["died"].to_numpy(dtype=float))
        got = res.points.loc[res.points["surgeon"] == surgeon, "value"]
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert not res.points["special_cause"].any()
    assert res.points["ucl"].isna().all()


@pytest.mark.parametrize("chart", ["ra_cusum", "vlad"])
def test_risk_outside_zero_one_names_column_and_row(chart: str) -> None:
    cases = _cases()
    cases.loc[3, "predicted"] = 1.2
    with pytest.raises(qi.InputError) as err:
        qi.spc(cases, y="died", risk="predicted", chart=chart)
    assert err.value.column == "predicted"
    assert err.value.row == 3
    assert "predicted" in str(err.value)


@pytest.mark.parametrize("chart", ["ra_cusum", "vlad", "bernoulli_cusum"])
def test_outcome_not_zero_or_one_names_column_and_row(chart: str) -> None:
    cases = _cases()
    cases["died"] = cases["died"].astype(float)
    cases.loc[5, "died"] = 2
    kwargs = {"risk": "predicted"} if chart != "bernoulli_cusum" else {"target": 0.2}
    with pytest.raises(qi.InputError) as err:
        qi.spc(cases, y="died", chart=chart, **kwargs)
    assert err.value.column == "died"
    assert err.value.row == 5
    assert err.value.rule == "binary"


@pytest.mark.parametrize(
    ("kwargs", "column"),
    [
        ({"chart": "ra_cusum"}, "risk"),
        ({"chart": "ra_cusum", "risk": [0.1] * 8, "odds_ratio": 1}, "odds_ratio"),
        ({"chart": "bernoulli_cusum", "target": 1.5}, "target"),
        ({"chart": "cusum", "h": 4, "head_start": 4}, "head_start"),
        ({"chart": "cusum", "multiply": 100}, "multiply"),
        ({"chart": "ewma", "lam": 0}, "lam"),
        ({"chart": "ewma", "rules": "ihi"}, "rules"),
        ({"chart": "vlad", "risk": [0.1] * 8, "sd": 1.0}, "sd"),
    ],
)
def test_options_out_of_range_are_named(kwargs: dict, column: str) -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(y=[0, 1, 0, 0, 1, 0, 0, 0], **kwargs)
    assert err.value.column == column


def test_risk_is_refused_by_charts_that_do_not_use_it() -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(y=[1.0, 2.0, 3.0], risk=[0.1, 0.2, 0.3], chart="i")
    assert err.value.column == "risk"
    assert err.value.rule == "not_applicable"


def test_text_x_is_refused_because_order_matters() -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(y=[1.0, 2.0, 3.0], x=["b", "a", "c"], chart="ewma")
    assert err.value.column == "x"


@pytest.mark.parametrize("chart", ["ewma", "cusum", "bernoulli_cusum", "ra_cusum", "vlad"])
def test_json_round_trip_and_plot(chart: str) -> None:
    cases = _cases()
    kwargs = {"risk": "predicted"} if chart in ("ra_cusum", "vlad") else {}
    if chart in ("ewma", "cusum"):
        cases["died"] = cases["predicted"] * 10  # a measurement
    if chart == "bernoulli_cusum":
        kwargs = {"target": 0.3}
    res = qi.spc(cases, y="died", x="date", chart=chart, **kwargs)
    back = qi.SPCResult.from_json(res.to_json())
    pd.testing.assert_frame_equal(back.points, res.points)
    pd.testing.assert_frame_equal(back.summary, res.summary)
    ax = res.plot()
    two_sided = chart in ("cusum", "bernoulli_cusum", "ra_cusum")
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == len(res.points)]
    # value, cl, lcl, ucl (+ value_lower; + the raw means and 2-sigma limits not drawn by default)
    assert len(lines) >= (5 if two_sided else 4)
    assert "<table" in res._repr_html_()
