"""Comparing units and survey waves: culture counts through the one SPC engine (p chart by wave)
and the one funnel engine (units), with privacy kept. Limits are checked against hand
computations from the raw answers, and the culture-spec §4 funnel anchor."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

import qiscope as qi
from qiscope.culture import Instrument

SOPS = "sops-hospital-2.0"


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return qi.culture.example_survey()


@pytest.fixture(scope="module")
def pulse() -> pd.DataFrame:
    return qi.culture.example_survey(waves=8)


def p_chart_by_hand(y: np.ndarray, n: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Centre line and 3-sigma limits of a p chart (spc-spec §2.2), in percent: p = sum y / sum n
    over the points with a count, sigma_i = sqrt(p (1 - p) / n_i), limits clipped to [0, 1]."""
    shown = ~np.isnan(y)
    p = y[shown].sum() / n[shown].sum()
    sigma = np.sqrt(p * (1 - p) / n)
    return 100 * p, 100 * np.clip(p - 3 * sigma, 0, 1), 100 * np.clip(p + 3 * sigma, 0, 1)


# -- waves: a p chart by default ------------------------------------------------------------------------
def test_wave_chart_is_a_p_chart_with_hand_computed_limits(pulse: pd.DataFrame) -> None:
    chart = qi.culture.wave_chart(pulse, SOPS, "A1")
    assert chart.chart == "p" and chart.spec["multiply"] == 100
    # Independent counts from the raw answers: A1 positive is 4 or 5; 9 (does not apply) and blanks
    # leave the denominator.
    valid = pulse["A1"].between(1, 5)
    counts = pulse[valid].groupby("wave")["A1"].agg(y=lambda a: (a >= 4).sum(), n="size")
    y, n = counts["y"].to_numpy(dtype=float), counts["n"].to_numpy(dtype=float)
    cl, lcl, ucl = p_chart_by_hand(y, n)
    pts = chart.points
    assert pts["x"].tolist() == list(counts.index)
    np.testing.assert_allclose(pts["value"], 100 * y / n, rtol=1e-12)
    np.testing.assert_allclose(pts["cl"], cl, rtol=1e-12)
    np.testing.assert_allclose(pts["lcl"], lcl, rtol=1e-12)
    np.testing.assert_allclose(pts["ucl"], ucl, rtol=1e-12)


def test_wave_chart_by_unit_leaves_suppressed_waves_out_of_the_limits(pulse: pd.DataFrame) -> None:
    table = qi.culture.wave_table(pulse, SOPS, "A1", unit="unit")
    chart = qi.culture.wave_chart(pulse, SOPS, "A1", unit="unit")
    partly = table.groupby("unit", observed=True)["suppressed"].agg(["any", "all"])
    unit = partly.index[(partly["any"] & ~partly["all"]).to_numpy()][0]  # Day Surgery: one wave withheld
    rows = table[table["unit"] == unit]
    y = rows["n_positive"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    cl, lcl, ucl = p_chart_by_hand(y, rows["n_valid"].to_numpy(dtype=float))
    pts = chart.points[chart.points["unit"] == unit]
    assert pts["value"].isna().sum() == rows["suppressed"].sum() == 1  # plotted as missing
    np.testing.assert_allclose(pts["cl"], cl, rtol=1e-12)
    missing = np.isnan(y)  # a missing point has no limits of its own
    np.testing.assert_allclose(pts["ucl"], np.where(missing, np.nan, ucl), rtol=1e-12)
    np.testing.assert_allclose(pts["lcl"], np.where(missing, np.nan, lcl), rtol=1e-12)
    assert (pts["lcl"][~missing] > 0).all()  # the test reaches the unclipped lower limits


# -- units: a funnel plot ---------------------------------------------------------------------------------
def test_unit_funnel_is_the_funnel_of_the_shown_units(survey: pd.DataFrame) -> None:
    f = qi.culture.unit_funnel(survey, SOPS, "E1", unit="unit")
    table = qi.culture.unit_table(survey, SOPS, "E1", unit="unit")
    shown = table[~table["suppressed"]]
    overall = table.attrs["overall"]
    same = qi.funnel(shown, y="n_positive", n="n_valid", by="unit", kind="proportion", multiply=100,
                     target=overall["n_positive"] / overall["n_valid"])
    pd.testing.assert_frame_equal(f.points, same.points)
    pd.testing.assert_frame_equal(f.limits, same.limits)
    # Suppressed units are not plotted, and are named.
    assert f.withheld == table.loc[table["suppressed"], "unit"].astype(str).tolist() == ["Endoscopy", "Stroke"]
    assert not set(f.withheld) & set(f.points["unit"].astype(str))
    # The centre line is the trust value over every respondent, the withheld units included.
    e1 = survey["E1"][survey["E1"].between(1, 5)]
    assert f.target == pytest.approx(100 * (e1 >= 4).mean(), rel=1e-12)
    # Options pass through to qi.funnel.
    adjusted = qi.culture.unit_funnel(survey, SOPS, "E1", overdispersion="additive", limits=(95,))
    assert adjusted.coverage == [95.0] and adjusted.spec["overdispersion"] == "additive"


def test_unit_funnel_normal_limits_by_hand(survey: pd.DataFrame) -> None:
    f = qi.culture.unit_funnel(survey, SOPS, "E1", unit="unit", limit_method="normal")
    e1 = survey["E1"][survey["E1"].between(1, 5)]
    theta = (e1 >= 4).mean()
    n = f.points["n"].to_numpy()
    for coverage, suffix in ((95, "95"), (99.8, "99_8")):
        z = NormalDist().inv_cdf(1 - (1 - coverage / 100) / 2)
        half = z * np.sqrt(theta * (1 - theta) / n)
        np.testing.assert_allclose(f.points[f"lcl_{suffix}"], 100 * np.maximum(theta - half, 0), rtol=1e-9)
        np.testing.assert_allclose(f.points[f"ucl_{suffix}"], 100 * np.minimum(theta + half, 1), rtol=1e-9)
    outside = (f.points["value"] < f.points["lcl_99_8"]) | (f.points["value"] > f.points["ucl_99_8"])
    assert f.points["outlier"].tolist() == outside.tolist()


def test_unit_funnel_culture_spec_anchor() -> None:
    """culture-spec §4: 99.8% limits at theta = 0.6, n = 20 are 0.261482011596136, 0.938517988403864."""
    one_item = Instrument("one", scale=(1, 5), items=["q"], composites={}, min_n=5)
    answers = pd.DataFrame({"ward": ["A"] * 20 + ["B"] * 20 + ["C"] * 10,
                            "q": [5.0] * 12 + [2.0] * 8 + [4.0] * 14 + [1.0] * 6 + [4.0] * 4 + [3.0] * 6})
    f = qi.culture.unit_funnel(answers, one_item, "q", unit="ward", multiply=1, limit_method="normal",
                               limits=(99.8,))
    assert f.target == pytest.approx(0.6, abs=1e-15) and f.withheld == []
    a = f.points[f.points["ward"] == "A"].iloc[0]
    assert a["n"] == 20
    assert a["lcl_99_8"] == pytest.approx(0.261482011596136, abs=1e-9)
    assert a["ucl_99_8"] == pytest.approx(0.938517988403864, abs=1e-9)


def test_unit_funnel_needs_shown_units(survey: pd.DataFrame) -> None:
    with pytest.raises(qi.InputError) as err:
        qi.culture.unit_funnel(survey, SOPS, "E1", unit="unit", min_n=10_000)
    assert err.value.rule == "all_suppressed"
    with pytest.raises(qi.InputError, match="give unit="):
        qi.culture.unit_funnel(survey, SOPS, "E1", unit=None)


def test_unit_funnel_shows_what_it_withholds(survey: pd.DataFrame) -> None:
    f = qi.culture.unit_funnel(survey, SOPS, "E1")
    html = f._repr_html_()
    assert "Funnel plot: E1 by unit" in html
    assert "Not plotted: Endoscopy, Stroke (fewer than 10 valid answers" in html
    ax = f.plot()
    assert "Not shown: Endoscopy, Stroke" in ax.get_title(loc="left")
    assert ax.get_xlabel() == "Valid answers" and ax.get_ylabel() == "E1: percent positive"
    back = qi.FunnelResult.from_json(f.to_json())
    assert back.withheld == f.withheld
    assert math.isclose(back.target, f.target)
