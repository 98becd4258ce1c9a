"""Properties of qi.spc and qi.funnel over generated data (hypothesis): results do not depend on
the thread count or on the order of the input rows; reversing the improvement direction swaps
improvement and concern exactly; scaling y by a positive constant scales the centre line and
the limits of i and xbar charts by it; to_json / from_json round trips are lossless; and results
are the same when computed from several Python threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qiscope as qi

SETTINGS = settings(max_examples=25, deadline=None)
CHARTS = ["run", "i", "mr", "xbar", "s", "p", "np", "c", "u", "pp", "up", "g", "t", "ip"]
WITH_N = {"p", "np", "u", "pp", "up", "ip"}
SUBGROUPS = {"xbar", "s"}


def frame(chart: str, seed: int, n_series: int = 3, months: int = 18) -> pd.DataFrame:
    """Monthly rows of several wards, shaped for `chart` (a shift in some wards, a few gaps)."""
    rng = np.random.default_rng(seed)
    rows = []
    for ward in range(n_series):
        level = rng.uniform(5, 25)
        for m, month in enumerate(pd.date_range("2023-01-01", periods=months, freq="MS")):
            shift = 1.6 if ward % 2 and m > months // 2 else 1.0
            for _ in range(int(rng.integers(2, 6)) if chart in SUBGROUPS else 1):
                n = float(rng.integers(40, 240)) if chart in WITH_N else np.nan
                y = float(np.round(level * shift * rng.uniform(0.6, 1.4)))
                if chart in WITH_N:
                    y = float(min(n, np.round(n * 0.1 * shift * rng.uniform(0.5, 1.5))))
                if chart == "t":
                    y += 0.5
                if rng.uniform() < 0.04:
                    y = np.nan
                rows.append({"ward": f"ward {ward}", "month": month, "y": y, "n": n})
    return pd.DataFrame(rows)


def chart_of(df: pd.DataFrame, chart: str, **options: object) -> qi.SPCResult:
    n = "n" if chart in WITH_N else None
    return qi.spc(df, y="y", n=n, x="month", by="ward", chart=chart, direction="increase", target=12.0, **options)


charts = st.sampled_from(CHARTS)
seeds = st.integers(0, 2**31)
rule_sets = st.sampled_from(["anhoej", "ihi"])


@SETTINGS
@given(chart=charts, seed=seeds, rules=rule_sets)
def test_thread_count_does_not_change_results(chart: str, seed: int, rules: str) -> None:
    df = frame(chart, seed, n_series=140, months=6)  # enough series for the pool to split
    one = chart_of(df, chart, rules=rules, n_threads=1)
    many = chart_of(df, chart, rules=rules, n_threads=3)
    pd.testing.assert_frame_equal(one.points, many.points)
    pd.testing.assert_frame_equal(one.summary, many.summary)


@SETTINGS
@given(chart=charts, seed=seeds, rules=rule_sets, shuffle=st.randoms(use_true_random=False))
def test_row_order_does_not_change_results(chart: str, seed: int, rules: str, shuffle) -> None:
    df = frame(chart, seed)
    # Shuffle whole points: rows sharing a ward and month keep their order (the documented sort).
    keys = list(df.groupby(["ward", "month"], sort=False).groups.values())
    shuffle.shuffle(keys)
    shuffled = df.loc[np.concatenate(keys)]
    a = chart_of(df, chart, rules=rules)
    b = chart_of(shuffled, chart, rules=rules)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.points, b.points)


@SETTINGS
@given(chart=charts, seed=seeds, rules=rule_sets)
def test_reversing_direction_swaps_improvement_and_concern(chart: str, seed: int, rules: str) -> None:
    df = frame(chart, seed)
    up = chart_of(df, chart, rules=rules)
    down = qi.spc(df, y="y", n="n" if chart in WITH_N else None, x="month", by="ward", chart=chart,
                  rules=rules, direction="decrease", target=12.0)
    swap = {"improvement": "concern", "concern": "improvement"}
    assert down.points["point_type"].astype(str).tolist() == [
        swap.get(t, t) for t in up.points["point_type"].astype(str)
    ]
    icon_swap = {"improvement_high": "concern_high", "improvement_low": "concern_low",
                 "concern_high": "improvement_high", "concern_low": "improvement_low", "pass": "fail", "fail": "pass"}
    for col in ("variation", "assurance"):
        want = [icon_swap.get(v, v) for v in up.summary[col].astype(object).where(up.summary[col].notna(), None)]
        assert down.summary[col].astype(object).where(down.summary[col].notna(), None).tolist() == want
    same = [c for c in up.points.columns if c != "point_type"]
    pd.testing.assert_frame_equal(up.points[same], down.points[same])


@SETTINGS
@given(chart=st.sampled_from(["i", "xbar"]), seed=seeds,
       scale=st.one_of(st.sampled_from([4.0, 0.25, 1024.0]), st.floats(1e-3, 1e3)))
def test_scaling_y_scales_centre_line_and_limits(chart: str, seed: int, scale: float) -> None:
    df = frame(chart, seed)
    scaled = df.assign(y=df["y"] * scale)
    a = qi.spc(df, y="y", x="month", by="ward", chart=chart)
    b = qi.spc(scaled, y="y", x="month", by="ward", chart=chart)
    exact = scale in (4.0, 0.25, 1024.0)  # powers of 2 scale every operation exactly
    for col in ("value", "cl", "lcl", "ucl", "lcl_95", "ucl_95"):
        want = a.points[col].to_numpy() * scale
        got = b.points[col].to_numpy()
        if exact:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    if exact:
        pd.testing.assert_series_equal(a.points["special_cause"], b.points["special_cause"])


@SETTINGS
@given(chart=charts, seed=seeds, parts=st.booleans())
def test_spc_json_round_trip_is_lossless(chart: str, seed: int, parts: bool) -> None:
    res = chart_of(frame(chart, seed), chart, part=[9] if parts else None)
    back = qi.SPCResult.from_json(res.to_json())
    pd.testing.assert_frame_equal(back.points, res.points)
    pd.testing.assert_frame_equal(back.summary, res.summary)
    assert back.spec == res.spec and back.by == res.by


@SETTINGS
@given(seed=seeds, kind=st.sampled_from(["proportion", "ratio", "rate"]),
       overdispersion=st.sampled_from([None, "multiplicative", "additive"]),
       profile=st.sampled_from([None, "funnelplotr"]))
def test_funnel_json_round_trip_is_lossless(seed: int, kind: str, overdispersion: str | None,
                                            profile: str | None) -> None:
    rng = np.random.default_rng(seed)
    n = rng.integers(50, 2000, 20).astype(float)
    y = np.round(n * rng.uniform(0.05, 0.15, 20))
    res = qi.funnel({"trust": [f"T{i:02d}" for i in range(20)], "y": y, "n": n}, y="y", n="n", by="trust",
                    kind=kind, overdispersion=overdispersion, profile=profile, grid_size=50)
    back = qi.FunnelResult.from_json(res.to_json())
    pd.testing.assert_frame_equal(back.points, res.points)
    pd.testing.assert_frame_equal(back.limits, res.limits)
    assert back.spec == res.spec
    assert (back.phi, back.tau2, back.adjusted) == pytest.approx((res.phi, res.tau2, res.adjusted), nan_ok=True)


# -- several Python threads at once (the GIL is released while the core runs) ----------------------
def test_many_python_threads_give_the_serial_results() -> None:
    jobs = [(chart, seed) for chart in CHARTS for seed in range(3)]
    frames = {job: frame(job[0], job[1], n_series=20) for job in jobs}

    def compute(job: tuple[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
        res = chart_of(frames[job], job[0], n_threads=2)
        return res.points, res.summary

    serial = [compute(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            for (points, summary), (want_points, want_summary) in zip(pool.map(compute, jobs), serial, strict=True):
                pd.testing.assert_frame_equal(points, want_points)
                pd.testing.assert_frame_equal(summary, want_summary)


def test_many_python_threads_give_the_serial_funnels() -> None:
    rng = np.random.default_rng(9)
    inputs = []
    for k in range(24):
        n = rng.integers(50, 3000, 30).astype(float)
        inputs.append(({"y": np.round(n * rng.uniform(0.05, 0.2, 30)), "n": n},
                       ["proportion", "ratio", "rate"][k % 3], [None, "additive"][k % 2]))

    def compute(item: tuple[dict, str, str | None]) -> pd.DataFrame:
        data, kind, overdispersion = item
        res = qi.funnel(data, y="y", n="n", kind=kind, overdispersion=overdispersion, grid_size=600, n_threads=2)
        return pd.concat([res.points, res.limits], axis=1)

    serial = [compute(item) for item in inputs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for got, want in zip(pool.map(compute, inputs), serial, strict=True):
            pd.testing.assert_frame_equal(got, want)


def test_errors_from_many_threads_name_their_own_input() -> None:
    def bad(row: int) -> tuple[str, int | None, str]:
        y = [1.0] * 10
        y[row] = np.inf
        try:
            qi.spc(y=y, chart="i")
        except qi.InputError as err:
            return err.column, err.row, err.rule
        return "", None, ""

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(bad, range(10))) == [("y", row, "finite") for row in range(10)]
