"""x_gap (missing periods) computed in C++ against an independent pandas computation of the
documented rule: a point is flagged when its step from the previous point of its series is
more than 1.5 times the median of the series' positive steps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qiscope as qi


def pandas_x_gaps(points: pd.DataFrame, by: str | None) -> np.ndarray:
    """The rule written with pandas: per-series steps of x, positive ones only, their median."""
    x = points["x"]
    if pd.api.types.is_datetime64_any_dtype(x.dtype):
        values = pd.Series(x.to_numpy(dtype="datetime64[ns]").astype(np.int64), dtype=float)
    elif isinstance(x.dtype, pd.PeriodDtype):
        values = pd.Series(x.array.asi8, dtype=float)
    else:
        values = pd.Series(x.to_numpy(dtype=float))
    series = points[by].to_numpy() if by else np.zeros(len(points))
    step = values.groupby(series).diff()
    step = step.where(step > 0)
    typical = step.groupby(series).transform("median")
    return (step > 1.5 * typical).to_numpy(dtype=bool, na_value=False)


def _frame(kind: str, steps: list[list[int]], repeat_first: bool) -> pd.DataFrame:
    rows = []
    for s, series_steps in enumerate(steps):
        pos = np.cumsum([0, *series_steps])
        for k, p in enumerate(pos):
            rows.append((f"unit {s}", int(p), float(k % 5)))
            if repeat_first and k == 0:
                rows.append((f"unit {s}", int(p), 1.0))  # a second row at the same x
    df = pd.DataFrame(rows, columns=["unit", "pos", "y"])
    if kind == "month":
        df["x"] = pd.period_range("2020-01", periods=int(df["pos"].max()) + 1, freq="M")[df["pos"]]
    elif kind == "date":
        df["x"] = pd.Timestamp("2021-03-01") + pd.to_timedelta(df["pos"] * 7, unit="D")
    elif kind == "float":
        df["x"] = df["pos"] * 0.25
    else:
        df["x"] = df["pos"]
    return df


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["int", "float", "date", "month"]),
    steps=st.lists(st.lists(st.integers(1, 4), min_size=0, max_size=12), min_size=1, max_size=5),
    repeat_first=st.booleans(),
    threads=st.sampled_from([1, 2, 3]),
)
def test_x_gap_matches_the_rule_computed_with_pandas(kind: str, steps: list[list[int]], repeat_first: bool,
                                                     threads: int) -> None:
    df = _frame(kind, steps, repeat_first)
    res = qi.spc(df, x="x", y="y", by="unit", chart="i", agg="none", n_threads=threads)
    np.testing.assert_array_equal(res.points["x_gap"].to_numpy(), pandas_x_gaps(res.points, "unit"))


@pytest.mark.parametrize("kind", ["int", "date", "month"])
def test_x_gap_on_one_series_with_a_missing_period(kind: str) -> None:
    df = _frame(kind, [[1, 1, 1, 2, 1, 1, 3, 1]], repeat_first=False)
    res = qi.spc(df, x="x", y="y", chart="i")
    expected = [False] * 4 + [True, False, False, True, False]
    assert res.points["x_gap"].tolist() == expected
    np.testing.assert_array_equal(res.points["x_gap"].to_numpy(), pandas_x_gaps(res.points, None))
