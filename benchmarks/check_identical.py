"""Guard for performance work: results must stay bit-identical.

Runs a fixed, varied set of ``qi.spc`` calls (every chart, rule sets, phases, freeze, exclude,
gaps, subgroups, several series, text and date x) and either saves their ``points`` and
``summary`` frames or compares them exactly (values and dtypes) with a saved set:

    PYTHONPATH=/path/to/old/build python benchmarks/check_identical.py save golden.pkl
    python benchmarks/check_identical.py compare golden.pkl
"""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pandas as pd


def cases() -> dict[str, dict]:
    rng = np.random.default_rng(7)
    rows = 3 * 40
    n = rng.integers(20, 200, rows).astype(float)
    data = pd.DataFrame({
        "ward": np.repeat(["b", "a", "c"], 40),
        "month": np.tile(pd.date_range("2020-01-01", periods=40, freq="MS"), 3),
        "t": np.tile(np.arange(40), 3),
        "y": rng.normal(50, 8, rows),
        "events": rng.binomial(n.astype(int), 0.2).astype(float),
        "n": n,
        "time": rng.exponential(10, rows) + 0.1,
        "flag": rng.random(rows) < 0.05,
    })
    data.loc[[5, 77], "y"] = np.nan
    out: dict[str, dict] = {}
    for chart in ("run", "i", "mr", "c", "g", "t", "ewma", "cusum"):
        col = "time" if chart == "t" else ("events" if chart in ("c", "g") else "y")
        out[chart] = dict(data=data, y=col, x="month", by="ward", chart=chart)
    for chart in ("p", "np", "u", "pp", "up", "ip"):
        out[chart] = dict(data=data, y="events", n="n", x="t", by="ward", chart=chart, multiply=100)
    sub = data.assign(t=data["t"] // 4)
    for chart in ("xbar", "s"):
        out[chart] = dict(data=sub, y="y", x="t", by="ward", chart=chart)
    out["i_ihi_parts"] = dict(data=data, y="y", x="t", by="ward", chart="i", rules="ihi", part=[10, 25])
    out["i_freeze_exclude"] = dict(data=data, y="y", x="t", by="ward", chart="i", freeze=20, exclude="flag",
                                   direction="increase", target=55.0)
    out["p_profile"] = dict(data=data, y="events", n="n", x="month", by="ward", chart="p", profile="qicharts2",
                            direction="decrease", target=0.18)
    out["run_no_x"] = dict(y=data["y"].to_numpy(), chart="run")
    out["i_text_x"] = dict(data=data[data.ward == "a"].assign(unit=[f"u{i:02d}" for i in range(40)]),
                           y="y", x="unit", chart="i")
    out["agg_median"] = dict(data=sub, y="y", x="t", by="ward", chart="i", agg="median")
    # Many series, rows shuffled, two rows per (series, x): the sort and the sums of rows.
    big = pd.DataFrame({
        "s": np.repeat(np.arange(500), 60), "x": np.tile(np.repeat(np.arange(30), 2), 500),
        "y": rng.normal(10, 2, 30_000), "n": rng.integers(5, 50, 30_000).astype(float),
    })
    big["e"] = rng.binomial(big["n"].astype(int), 0.3).astype(float)
    big = big.sample(frac=1.0, random_state=1).reset_index(drop=True)
    for chart in ("i", "run", "xbar", "s", "ewma"):
        out[f"many_{chart}"] = dict(data=big, y="y", x="x", by="s", chart=chart,
                                    rules=None if chart == "ewma" else "ihi")
    for chart in ("p", "u"):
        out[f"many_{chart}"] = dict(data=big, y="e", n="n", x="x", by="s", chart=chart, y_neg=False,
                                    target=0.3, direction="increase")
    for rules in ("mdc", "western_electric", "nelson"):
        out[f"many_i_{rules}"] = dict(data=big, y="y", x="x", by="s", chart="i", rules=rules, direction="decrease")
    out["many_p_ptd"] = dict(data=big, y="e", n="n", x="x", by="s", chart="p", profile="ptd", target=0.3,
                             direction="increase")
    out["bernoulli"] = dict(y=(rng.random(200) < 0.1).astype(float), chart="bernoulli_cusum", target=0.1)
    return out


def run_all() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    import qiscope as qi

    results = {}
    for name, kwargs in cases().items():
        res = qi.spc(**kwargs)
        results[name] = (res.points, res.summary)
    return results


def main() -> int:
    mode, path = sys.argv[1], sys.argv[2]
    results = run_all()
    if mode == "save":
        with open(path, "wb") as f:
            pickle.dump(results, f)
        print(f"saved {len(results)} cases to {path}")
        return 0
    with open(path, "rb") as f:
        golden = pickle.load(f)
    bad = 0
    for name, (points, summary) in golden.items():
        new_points, new_summary = results[name]
        for what, old, new in (("points", points, new_points), ("summary", summary, new_summary)):
            try:
                pd.testing.assert_frame_equal(new, old, check_exact=True)
            except AssertionError as err:
                bad += 1
                print(f"{name}.{what}: DIFFERENT\n{err}\n")
    print(f"{len(golden)} cases: {'all identical' if not bad else f'{bad} frames differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
