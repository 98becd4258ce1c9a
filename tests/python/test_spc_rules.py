"""The rule sets against independent re-statements of their definitions.

Each oracle below is written from the rule's published wording in the window form the R tools
use (shared/design/spc-spec.md §3.2 for NHSRplotthedots 0.2.2, §4-§5 for qcc 3.0, Western
Electric and Nelson): a point is flagged when a qualifying window contains it (or, in qcc's
"completing" form, ends at it). The engine finds runs by scanning instead, so agreement on many
random series with ties, points on the centre line, shifts, trends and outliers checks one
against the other. The oracles read the centre line and limits from qiscope's result; the limits
themselves are checked against the R tools in test_reference_spc.py.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import qiscope as qi
from qiscope.spc import _RULE_BITS

N_SERIES = 300


def _random_series(rng: np.random.Generator, n: int) -> np.ndarray:
    """A series with some of: a level shift, an inserted trend, an outlier, ties and values
    exactly on an integer mean."""
    y = rng.normal(0, 1, n)
    if rng.random() < 0.5:
        y[rng.integers(n // 2, n) :] += rng.choice([-1.5, 1.5])
    if rng.random() < 0.6:
        length = int(rng.integers(5, 10))
        start = int(rng.integers(0, n - length))
        y[start : start + length] = y[start] + np.linspace(0, rng.choice([-4.0, 4.0]), length)
    if rng.random() < 0.3:
        y[rng.integers(0, n)] += rng.choice([-6.0, 6.0])
    if rng.random() < 0.5:
        # Integers with an integer mean: ties, and points exactly on the centre line.
        y = np.round(y * 2)
        y[-1] -= y.sum() % n
    return y


def _many(seed: int, chart: str = "i") -> pd.DataFrame:
    """Random series for `chart`: measurements for "i"; for "p" and "u", counts out of varying
    denominators whose rate follows a random series (so the limits vary point by point)."""
    rng = np.random.default_rng(seed)
    frames = []
    for s, n in enumerate(rng.integers(14, 40, N_SERIES)):
        z = _random_series(rng, n)
        frame = pd.DataFrame({"s": s, "t": np.arange(n), "y": z})
        if chart in ("p", "u"):
            frame["n"] = rng.integers(40, 400, n).astype(float)
            rate = np.clip(0.2 + 0.04 * z, 0.01, 0.9)
            frame["y"] = (rng.binomial(frame["n"].astype(int), rate) if chart == "p"
                          else rng.poisson(rate * frame["n"])).astype(float)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _spc(data: pd.DataFrame, chart: str, **kwargs: object) -> qi.SPCResult:
    n = "n" if chart in ("p", "u") else None
    return qi.spc(data, y="y", n=n, x="t", by="s", chart=chart, **kwargs)


def _groups(points: pd.DataFrame) -> list[pd.DataFrame]:
    return [g for _, g in points.groupby(["s", "phase"], sort=False)]


# -- NHSRplotthedots 0.2.2 (spc-spec.md §3.2) -----------------------------------------------------


def _windows_end(n: int, length: int) -> range:
    return range(length - 1, n)


def _ptd_point_type(g: pd.DataFrame, direction: int) -> np.ndarray:
    """PTD's special_cause_type and point_type for one phase, restated window by window."""
    y = g["value"].to_numpy()
    n = len(y)
    outside = (y > g["ucl"].to_numpy()) | (y < g["lcl"].to_numpy())
    rtm = np.sign(y - g["cl"].to_numpy())
    close = ~outside & ((y < g["lcl_95"].to_numpy()) | (y > g["ucl_95"].to_numpy()))

    in_trend = np.zeros(n, bool)
    in_shift = np.zeros(n, bool)
    for end in _windows_end(n, 7):
        w = slice(end - 6, end + 1)
        d = np.diff(y[w])
        if (d > 0).all() or (d < 0).all():  # a tie (d == 0) breaks it
            in_trend[w] = True
        if rtm[end] != 0 and (rtm[w] == rtm[end]).all():  # a point on the mean breaks it
            in_shift[w] = True
    in_two_of_three = np.zeros(n, bool)
    for end in _windows_end(n, 3):
        w = slice(end - 2, end + 1)
        if close[w].sum() >= 2 and abs(rtm[w].sum()) == 3:
            in_two_of_three[w] |= close[w]  # only the points near the limits
    # A trend point's direction: towards the next point when that is in a trend too, else
    # from the previous one (PTD's sdy).
    trend_dir = np.zeros(n)
    for i in np.flatnonzero(in_trend):
        step = y[i + 1] - y[i] if i + 1 < n and in_trend[i + 1] else y[i] - y[i - 1]
        trend_dir[i] = 1 if step > 0 else -1
    side = np.select([outside, in_trend, in_two_of_three, in_shift],
                     [np.where(rtm == 1, 1, -1), trend_dir, np.where(rtm > 0, 1, -1), np.where(rtm > 0, 1, -1)], 0)
    if direction == 0:
        return np.where(side != 0, "neutral", "common_cause")
    v = side * direction
    return np.select([v > 0, v < 0], ["improvement", "concern"], "common_cause")


@pytest.mark.parametrize(("chart", "direction"), [("i", "increase"), ("i", "decrease"), ("i", None), ("p", "increase")])
def test_ptd_profile_matches_ptd_rules(chart: str, direction: str | None) -> None:
    # PTD itself draws only XmR charts; on a p chart the same rules read each point's limits.
    data = _many(1 + len(str(direction)) + len(chart), chart)
    if chart == "i":
        # A repeated value between a rising and a falling trend: PTD labels the first trend's
        # last point by the tie (as falling).
        peak = [3.0, 2.5, 3.5, 0, 1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1, 0, 3.0, 2.5]
        data = pd.concat([data, pd.DataFrame({"s": N_SERIES, "t": np.arange(len(peak)), "y": peak})],
                         ignore_index=True)
    res = _spc(data, chart, profile="ptd", direction=direction)
    assert res.spec["rules"] == "mdc"
    d = {"increase": 1, "decrease": -1, None: 0}[direction]
    pts = res.points
    expected = np.concatenate([_ptd_point_type(g, d) for g in _groups(pts)])
    np.testing.assert_array_equal(pts["point_type"].astype(str).to_numpy(), expected)
    np.testing.assert_array_equal(pts["special_cause"].to_numpy(), expected != "common_cause")
    # The random series exercise every rule.
    bits = pts["rules"].to_numpy()
    for rule in ("sigma", "trend", "two_of_three", "shift"):
        assert ((bits & _RULE_BITS[rule]) != 0).sum() > 20, rule


# -- qcc 3.0 / Western Electric / Nelson (spc-spec.md §4, §5) --------------------------------------


def _zones(g: pd.DataFrame) -> dict[str, np.ndarray]:
    y, cl, ucl, lcl = (g[c].to_numpy() for c in ("value", "cl", "ucl", "lcl"))
    sigma = (ucl - cl) / 3  # I and u charts: the upper limit is never truncated
    return {
        "y": y,
        "side": np.sign(y - cl),
        "beyond3": np.sign((y > ucl).astype(int) - (y < lcl).astype(int)),
        "beyond2": np.sign((y > g["ucl_95"].to_numpy()).astype(int) - (y < g["lcl_95"].to_numpy()).astype(int)),
        "beyond1": np.sign((y > cl + sigma).astype(int) - (y < cl - sigma).astype(int)),
        "within1": (y >= cl - sigma) & (y <= cl + sigma),
    }


def _window_rules(z: dict[str, np.ndarray], completing: bool, run_length: int, rules: str) -> dict[str, np.ndarray]:
    """For each rule, the points flagged: every window that qualifies flags its relevant points
    (pattern), or only its newest point if that is relevant (completing, as qcc)."""
    y, n = z["y"], len(z["y"])
    out = {name: np.zeros(n, bool) for name in _RULE_BITS}

    def flag(rule: str, end: int, length: int, relevant: np.ndarray | None = None) -> None:
        w = slice(end - length + 1, end + 1)
        rel = np.ones(length, bool) if relevant is None else relevant[w]
        if completing:
            out[rule][end] |= rel[-1]
        else:
            out[rule][w] |= rel

    out["sigma"] = z["beyond3"] != 0
    diffs = np.diff(y)
    for end in range(n):
        for s in (1, -1):
            if end >= 2:
                w = slice(end - 2, end + 1)
                if (z["beyond2"][w] == s).sum() >= 2:
                    flag("two_of_three", end, 3, z["beyond2"] == s)
            if end >= 4:
                w = slice(end - 4, end + 1)
                if (z["beyond1"][w] == s).sum() >= 4:
                    flag("four_of_five", end, 5, z["beyond1"] == s)
            if end >= run_length - 1 and (z["side"][end - run_length + 1 : end + 1] == s).all():
                flag("one_side", end, run_length)
        if rules == "nelson":
            if end >= 5:
                d = diffs[end - 5 : end]
                if (d > 0).all() or (d < 0).all():
                    flag("trend", end, 6)
            if end >= 13:
                d = diffs[end - 13 : end]
                if (d[1:] * d[:-1] < 0).all():
                    flag("alternating", end, 14)
            if end >= 14 and z["within1"][end - 14 : end + 1].all():
                flag("hugging", end, 15)
            if end >= 7:
                b = z["beyond1"][end - 7 : end + 1]
                if (b != 0).all() and (b > 0).any() and (b < 0).any():
                    flag("mixture", end, 8)
    return out


@pytest.mark.parametrize("chart", ["i", "u"])
@pytest.mark.parametrize("rules", ["western_electric", "nelson"])
@pytest.mark.parametrize("flag_points", ["pattern", "completing"])
def test_western_electric_and_nelson_match_their_window_definitions(chart: str, rules: str, flag_points: str) -> None:
    data = _many(10 + len(rules) + len(flag_points) + len(chart), chart)
    run_length = 8 if rules == "western_electric" else 9
    res = _spc(data, chart, rules=rules, flag_points=flag_points)
    bits = res.points["rules"].to_numpy()
    offset = 0
    for g in _groups(res.points):
        expected = _window_rules(_zones(g), flag_points == "completing", run_length, rules)
        got = bits[offset : offset + len(g)]
        for rule, want in expected.items():
            np.testing.assert_array_equal((got & _RULE_BITS[rule]) != 0, want,
                                          err_msg=f"{rule} in series {g['s'].iloc[0]}")
        offset += len(g)
    used = {"western_electric": ("sigma", "two_of_three", "four_of_five", "one_side"),
            "nelson": ("sigma", "one_side", "trend", "two_of_three", "four_of_five")}[rules]
    for rule in used:
        assert ((bits & _RULE_BITS[rule]) != 0).sum() > 10, rule


def test_qcc_profile_is_qcc_27_run_of_seven() -> None:
    # qcc 2.7: beyond limits and runs of 7 flagged from the 7th point (spc-spec.md §4).
    y = [0.5, 0.6, 0.5, 0.6, 0.5, 0.6, 0.5, 0.6, -0.5, -0.6, 0.5]
    res = qi.spc(y=y, chart="i", profile="qcc", cl=0.0)
    assert res.spec["rules"] == "western_electric"
    np.testing.assert_array_equal(np.flatnonzero(res.points["special_cause"]), [6, 7])
    # The same run under qcc 3.0's default length, 8: only the 8th point.
    res = qi.spc(y=y, chart="i", profile="qcc", cl=0.0, shift_n=8)
    np.testing.assert_array_equal(np.flatnonzero(res.points["special_cause"]), [7])


# -- Python options -----------------------------------------------------------------------------------


def test_tests_select_numbered_rules() -> None:
    # Values around 0 with the last two far above: rule 1 fires, and rule 2 (two of three
    # beyond 2 sigma) too; tests=[2] keeps only the latter's points.
    y = [0.2, -0.1, 0.3, -0.2, 0.1, 0.0, -0.3, 0.2, -0.1, 0.1, 5.0, 0.0, 5.0]
    all_rules = qi.spc(y=y, chart="i", rules="western_electric", freeze=10)
    only_two = qi.spc(y=y, chart="i", rules="western_electric", tests=[2], freeze=10)
    assert all_rules.points["special_cause"].iloc[[10, 12]].all()
    assert (all_rules.signal_rules().iloc[[10, 12]] == "sigma,two_of_three").all()
    assert (only_two.signal_rules().iloc[[10, 12]] == "two_of_three").all()
    assert only_two.spec["rule_numbers"] == [2]


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"rules": "western_electric", "tests": [5]}, "range"),
        ({"rules": "mdc", "tests": [1]}, "rule_set"),
        ({"rules": "nelson", "tests": ["one"]}, "type"),
        ({"rules": "nelson", "flag_points": "every"}, "unknown_name"),
    ],
)
def test_bad_rule_options_are_input_errors(kwargs: dict, rule: str) -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(y=[1.0, 2.0, 3.0, 2.0], chart="i", **kwargs)
    assert err.value.rule == rule
    assert err.value.column in ("tests", "flag_points")


def test_sigma_rule_sets_need_limits() -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(y=[1.0, 2.0, 3.0, 2.0], chart="run", rules="mdc")
    assert (err.value.column, err.value.rule) == ("rules", "needs_limits")


def test_rule_options_survive_json() -> None:
    res = qi.spc(y=[1.0, 2.0, 3.0, 2.0, 5.0], chart="i", rules="nelson", tests=[1, 3], flag_points="completing")
    back = qi.SPCResult.from_json(res.to_json())
    assert back.spec["rule_numbers"] == [1, 3]
    assert back.spec["flag_points"] == "completing"
    assert json.loads(res.to_json())["spec"]["rules"] == "nelson"


def test_icons_on_a_p_chart_use_the_last_points_limits() -> None:
    # Denominators grow, so the limits narrow; the last point (n = 1000) is far above them.
    n = np.array([50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 1000], dtype=float)
    y = np.array([10, 11, 17, 19, 25, 29, 41, 49, 62, 79, 101, 320], dtype=float)
    p_bar = y.sum() / n.sum()
    ucl_last = p_bar + 3 * np.sqrt(p_bar * (1 - p_bar) / n[-1])
    ucl_first = p_bar + 3 * np.sqrt(p_bar * (1 - p_bar) / n[0])
    target = ucl_last + 0.001  # above the last point's UCL, below the first point's
    assert target < ucl_first
    res = qi.spc(y=y, n=n, chart="p", rules="mdc", direction="increase", target=target)
    assert res.points["ucl"].iloc[-1] == pytest.approx(ucl_last, rel=1e-12)
    assert res.summary["variation"].iloc[-1] == "improvement_high"
    assert res.summary["assurance"].iloc[-1] == "fail"
    res = qi.spc(y=y, n=n, chart="p", rules="mdc", direction="decrease", target=target)
    assert res.summary["variation"].iloc[-1] == "concern_high"
    assert res.summary["assurance"].iloc[-1] == "pass"
