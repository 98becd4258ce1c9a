"""qcc 2.7's sigma estimators (``sd_method=`` for EWMA and CUSUM) and probability limits
(``confidence_level=``), checked against qcc's formulas written out here with numpy and
scipy.stats: sd.xbar / sd.xbar.one in qcc.R for the sigmas, and limits.xbar, limits.xbar.one,
limits.S, limits.p, limits.np, limits.c, limits.u (qcc.R) and limits.g (spc.g.R) for the
quantiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

import qiscope as qi

# qcc.options("exp.R.unscaled") and ("se.R.unscaled") for n = 2..6.
D2 = {2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534}
D3 = {2: 0.8525033, 3: 0.8883697, 4: 0.8798108, 5: 0.8640855, 6: 0.8480442}

# Subgroups of 2 to 6 rows.
GROUPS = [[10.2, 9.8, 10.5, 10.1], [9.6, 10.4], [10.9, 10.0, 10.3], [9.9, 10.1, 10.6, 9.4, 10.2],
          [10.8, 9.7, 10.0, 10.4, 9.5, 10.3], [10.1, 10.7, 9.9], [9.3, 10.2, 10.0, 10.6]]
SINGLES = [5.1, 3.2, 4.4, 6.0, 2.7, 5.3, 4.1, 3.6, 6.2, 5.0, 4.8, 3.9]


def c4(n: float) -> float:
    return float(np.sqrt(2 / (n - 1)) * np.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2)))


def frame(groups: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame({"x": [k for k, g in enumerate(groups) for _ in g], "y": [v for g in groups for v in g]})


def qcc_sigma(groups: list[list[float]], method: str) -> float:
    """qcc's sd.xbar (subgroups) and sd.xbar.one (single values, d2 = 1.128)."""
    n = np.array([len(g) for g in groups], dtype=float)
    r = np.array([np.ptp(g) for g in groups])
    s = np.array([np.std(g, ddof=1) if len(g) > 1 else np.nan for g in groups])
    d2 = np.array([D2.get(len(g), np.nan) for g in groups])
    d3 = np.array([D3.get(len(g), np.nan) for g in groups])
    c = np.array([c4(k) if k > 1 else np.nan for k in n])
    if method == "uwave_r":
        return float(np.mean(r / d2))
    if method == "uwave_sd":
        return float(np.mean(s / c))
    if method == "mvlue_r":
        w = (d2 / d3) ** 2
        return float(np.sum(r / d2 * w) / np.sum(w))
    if method == "mvlue_sd":
        w = c**2 / (1 - c**2)
        return float(np.sum(s / c * w) / np.sum(w))
    if method == "rmsdf":
        w = n - 1
        return float(np.sqrt(np.sum(s**2 * w) / np.sum(w)) / c4(np.sum(w) + 1))
    values = np.array([g[0] for g in groups])
    if method == "mr":
        return float(np.mean(np.abs(np.diff(values))) / 1.128)
    assert method == "sd"
    return float(np.std(values, ddof=1) / c4(len(values)))


def qcc_ewma_limits(groups: list[list[float]], sigma: float, lam: float = 0.2, nsigmas: float = 3.0):
    n = np.array([len(g) for g in groups], dtype=float)
    center = np.sum([np.sum(g) for g in groups]) / np.sum(n)
    t = np.arange(1, len(groups) + 1)
    se = sigma / np.sqrt(n) * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    return center - nsigmas * se, center + nsigmas * se


@pytest.mark.parametrize("method", ["uwave_r", "uwave_sd", "mvlue_r", "mvlue_sd", "rmsdf"])
def test_ewma_limits_with_each_subgroup_method(method: str) -> None:
    res = qi.spc(frame(GROUPS), y="y", x="x", chart="ewma", profile="qcc", sd_method=method)
    lcl, ucl = qcc_ewma_limits(GROUPS, qcc_sigma(GROUPS, method))
    np.testing.assert_allclose(res.points["lcl"], lcl, rtol=1e-12)
    np.testing.assert_allclose(res.points["ucl"], ucl, rtol=1e-12)


@pytest.mark.parametrize("method", ["mr", "sd"])
def test_ewma_limits_with_each_individuals_method(method: str) -> None:
    groups = [[v] for v in SINGLES]
    res = qi.spc(y=SINGLES, chart="ewma", profile="qcc", sd_method=method, lam=0.3)
    lcl, ucl = qcc_ewma_limits(groups, qcc_sigma(groups, method), lam=0.3)
    np.testing.assert_allclose(res.points["lcl"], lcl, rtol=1e-12)
    np.testing.assert_allclose(res.points["ucl"], ucl, rtol=1e-12)


def test_cusum_standardises_with_the_chosen_sigma() -> None:
    sigma = qcc_sigma(GROUPS, "mvlue_sd")
    res = qi.spc(frame(GROUPS), y="y", x="x", chart="cusum", sd_method="mvlue_sd")
    n = np.array([len(g) for g in GROUPS])
    center = np.sum([np.sum(g) for g in GROUPS]) / n.sum()
    upper = 0.0
    expected = []
    for g, size in zip(GROUPS, n):
        upper = max(0.0, upper + (np.mean(g) - center) / (sigma / np.sqrt(size)) - 0.5)
        expected.append(upper)
    np.testing.assert_allclose(res.points["value"], expected, rtol=1e-12, atol=1e-14)


def test_default_sigma_is_unchanged_and_named() -> None:
    data = frame(GROUPS)
    for profile, method in (("qcc", "uwave_r"), (None, "rmsdf")):
        default = qi.spc(data, y="y", x="x", chart="ewma", profile=profile)
        named = qi.spc(data, y="y", x="x", chart="ewma", profile=profile, sd_method=method)
        pd.testing.assert_frame_equal(default.points, named.points)


@pytest.mark.parametrize(("kwargs", "column", "row", "rule"), [
    ({"y": [1.0, 2, 3, 4], "x": [0, 0, 1, 1], "sd_method": "mr"}, "sd_method", 0, "single_values"),
    ({"y": [1.0, 2, 3], "sd_method": "uwave_r"}, "sd_method", 0, "subgroups"),
    ({"y": [1.0] * 26 + [2, 3], "x": [0] * 26 + [1, 1], "sd_method": "uwave_r"}, "sd_method", 0, "subgroup_size"),
    ({"y": [1.0, 2, 3], "sd_method": "MR"}, "sd_method", None, "unknown_name"),
    ({"y": [1.0, 2, 3], "sd_method": "mr", "sd": 1.0}, "sd_method", None, "not_applicable"),
])
def test_sd_method_that_does_not_fit(kwargs: dict, column: str, row: int | None, rule: str) -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(chart="ewma", **kwargs)
    assert (err.value.column, err.value.row, err.value.rule) == (column, row, rule)


def test_sd_method_only_for_ewma_and_cusum() -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(y=[1.0, 2, 3], chart="i", sd_method="mr")
    assert (err.value.column, err.value.rule) == ("sd_method", "not_applicable")


# -- confidence_level: probability limits ------------------------------------------------------
LEVEL = 0.95
TAIL = (1 - LEVEL) / 2


def qcc_chart(**kwargs):
    return qi.spc(profile="qcc", confidence_level=LEVEL, **kwargs)


def test_i_and_xbar_limits_are_normal_quantiles() -> None:
    res = qcc_chart(y=SINGLES, chart="i")
    sigma = qcc_sigma([[v] for v in SINGLES], "mr")
    z = stats.norm.ppf(1 - TAIL)
    np.testing.assert_allclose(res.points["ucl"], np.mean(SINGLES) + z * sigma, rtol=1e-12)
    np.testing.assert_allclose(res.points["lcl"], np.mean(SINGLES) - z * sigma, rtol=1e-12)
    np.testing.assert_allclose(res.points["ucl_95"], np.mean(SINGLES) + 2 * sigma, rtol=1e-12)

    res = qcc_chart(data=frame(GROUPS), y="y", x="x", chart="xbar")
    n = np.array([len(g) for g in GROUPS])
    center = np.sum([np.sum(g) for g in GROUPS]) / n.sum()
    se = qcc_sigma(GROUPS, "uwave_r") / np.sqrt(n)
    np.testing.assert_allclose(res.points["lcl"], center - z * se, rtol=1e-12)
    np.testing.assert_allclose(res.points["ucl"], center + z * se, rtol=1e-12)


def test_s_limits_are_chi_squared_quantiles_of_sigma() -> None:
    res = qcc_chart(data=frame(GROUPS), y="y", x="x", chart="s")
    sigma = qcc_sigma(GROUPS, "uwave_sd")
    df = np.array([len(g) - 1 for g in GROUPS])
    np.testing.assert_allclose(res.points["lcl"], sigma * np.sqrt(stats.chi2.ppf(TAIL, df) / df), rtol=1e-10)
    np.testing.assert_allclose(res.points["ucl"], sigma * np.sqrt(stats.chi2.ppf(1 - TAIL, df) / df), rtol=1e-10)


Y = np.array([3, 5, 2, 8, 4, 6, 1, 7])
N = np.array([40, 50, 30, 60, 50, 45, 35, 55])


def test_np_and_p_limits_are_binomial_quantiles() -> None:
    pbar = Y.sum() / N.sum()
    low, high = stats.binom.ppf(TAIL, N, pbar), stats.binom.isf(TAIL, N, pbar)
    np_chart = qcc_chart(y=Y, n=N, chart="np")
    np.testing.assert_array_equal(np_chart.points["lcl"], low)
    np.testing.assert_array_equal(np_chart.points["ucl"], high)
    p_chart = qcc_chart(y=Y, n=N, chart="p")
    np.testing.assert_allclose(p_chart.points["lcl"], low / N, rtol=1e-15)
    np.testing.assert_allclose(p_chart.points["ucl"], high / N, rtol=1e-15)


def test_c_and_u_limits_are_poisson_quantiles() -> None:
    c_chart = qcc_chart(y=Y, chart="c")
    np.testing.assert_array_equal(c_chart.points["lcl"], stats.poisson.ppf(TAIL, Y.mean()))
    np.testing.assert_array_equal(c_chart.points["ucl"], stats.poisson.ppf(1 - TAIL, Y.mean()))
    exposure = N / 10
    u_chart = qcc_chart(y=Y, n=exposure, chart="u")
    mean = Y.sum() / exposure.sum() * exposure
    np.testing.assert_allclose(u_chart.points["lcl"], stats.poisson.ppf(TAIL, mean) / exposure, rtol=1e-15)
    np.testing.assert_allclose(u_chart.points["ucl"], stats.poisson.ppf(1 - TAIL, mean) / exposure, rtol=1e-15)


def test_g_limits_are_geometric_quantiles() -> None:
    trials = np.array([12, 3, 25, 7, 1, 40, 9, 15, 30, 2])
    res = qcc_chart(y=trials, chart="g")
    # R's qgeom counts failures before the event; scipy's geom counts trials (from 1).
    prob = 1 / trials.mean()
    np.testing.assert_array_equal(res.points["lcl"], stats.geom.ppf(TAIL, prob) - 1)
    np.testing.assert_array_equal(res.points["ucl"], stats.geom.ppf(1 - TAIL, prob) - 1)


def test_signals_are_strictly_beyond_the_probability_limits() -> None:
    y = np.array([2, 3, 2, 4, 3, 2, 3, 14])
    res = qcc_chart(y=y, chart="c", freeze=7)
    ucl = stats.poisson.ppf(1 - TAIL, y[:7].mean())
    assert res.points["ucl"].iloc[-1] == ucl
    assert res.points["sigma_signal"].tolist() == [False] * 7 + [True]


@pytest.mark.parametrize(("kwargs", "column", "rule"), [
    ({"chart": "c", "profile": "qcc", "confidence_level": 1.0}, "confidence_level", "range"),
    ({"chart": "c", "profile": "qcc", "confidence_level": 0}, "confidence_level", "range"),
    ({"chart": "c", "profile": "qcc", "confidence_level": float("nan")}, "confidence_level", "finite"),
    ({"chart": "run", "profile": "qcc", "confidence_level": 0.9}, "confidence_level", "not_applicable"),
    ({"chart": "ewma", "profile": "qcc", "confidence_level": 0.9}, "confidence_level", "not_applicable"),
    ({"chart": "c", "confidence_level": 0.9}, "confidence_level", "profile"),
    ({"chart": "c", "profile": "qcc", "rules": "nelson", "confidence_level": 0.9}, "confidence_level", "sigma_zones"),
])
def test_confidence_level_validation(kwargs: dict, column: str, rule: str) -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(y=[3, 5, 2, 8], **kwargs)
    assert (err.value.column, err.value.rule) == (column, rule)


def test_options_survive_the_json_round_trip() -> None:
    res = qcc_chart(y=Y, n=N, chart="np")
    back = qi.SPCResult.from_json(res.to_json())
    assert back.spec["confidence_level"] == LEVEL
    pd.testing.assert_frame_equal(back.points, res.points)
    ewma = qi.spc(frame(GROUPS), y="y", x="x", chart="ewma", sd_method="mvlue_r")
    back = qi.SPCResult.from_json(ewma.to_json())
    assert back.spec["sd_method"] == "mvlue_r"
    pd.testing.assert_frame_equal(back.points, ewma.points)
