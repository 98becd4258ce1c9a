"""Many series, many rows: thread counts, Arrow input and copies must never change a result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qiscope as qi
from qiscope import _schema
from qiscope._arrow import narrow, read_parquet
from qiscope._frames import as_frame, numeric, resolve


def table(series: int, points: int, seed: int, per_point: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = series * points * per_point
    n = rng.integers(1, 400, rows).astype(float)
    frame = pd.DataFrame({
        "unit": np.repeat(np.arange(series), points * per_point),
        "t": np.tile(np.repeat(np.arange(points), per_point), series),
        "y": rng.normal(20, 4, rows),
        "events": rng.binomial(n.astype(int), 0.1).astype(float),
        "n": n,
    })
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def assert_identical(a: qi.SPCResult, b: qi.SPCResult) -> None:
    pd.testing.assert_frame_equal(a.points, b.points, check_exact=True)
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)


@settings(max_examples=15, deadline=None)
@given(
    series=st.integers(1, 150),
    points=st.integers(1, 30),
    per_point=st.integers(1, 3),
    seed=st.integers(0, 2**16),
    chart=st.sampled_from(["run", "i", "p", "u", "xbar", "c"]),
    threads=st.sampled_from([2, 3, 4]),
)
def test_thread_count_does_not_change_results(series: int, points: int, per_point: int, seed: int,
                                              chart: str, threads: int) -> None:
    frame = table(series, points, seed, per_point)
    y = "events" if chart in ("p", "u", "c") else "y"
    kw = dict(y=y, n="n" if chart in ("p", "u") else None, x="t", by="unit", chart=chart, rules="ihi")
    assert_identical(qi.spc(frame, **kw, n_threads=1), qi.spc(frame, **kw, n_threads=threads))


def test_many_series_in_one_call_equal_one_call_per_series() -> None:
    frame = table(40, 25, seed=9)
    together = qi.spc(frame, y="events", n="n", x="t", by="unit", chart="p")
    for unit in (0, 17, 39):
        alone = qi.spc(frame[frame.unit == unit], y="events", n="n", x="t", chart="p")
        mine = together.points[together.points.unit == unit].drop(columns="unit").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.points, check_exact=True)


def test_positions_without_x_restart_in_every_series() -> None:
    res = qi.spc(y=np.arange(12.0), by=np.repeat([2, 1, 3], 4), chart="run")
    assert res.points["x"].tolist() == [1, 2, 3, 4] * 3
    assert res.points["by"].tolist() == [1] * 4 + [2] * 4 + [3] * 4


def test_output_dtypes_are_the_schema() -> None:
    frame = table(5, 20, seed=1)
    res = qi.spc(frame, y="events", n="n", x="t", by="unit", chart="p")
    expected_points = _schema.points_meta({"unit": frame["unit"].dtype}, frame["t"].dtype)
    expected_summary = _schema.summary_meta({"unit": frame["unit"].dtype}, frame["t"].dtype)
    pd.testing.assert_series_equal(res.points.dtypes, expected_points.dtypes)
    pd.testing.assert_series_equal(res.summary.dtypes, expected_summary.dtypes)


# -- copies and Arrow ---------------------------------------------------------------------------

def test_numpy_and_mapping_inputs_are_not_copied() -> None:
    y = np.arange(50.0)
    assert np.shares_memory(numeric(resolve(None, y, "y")), y)
    assert np.shares_memory(numeric(resolve(as_frame({"y": y}), "y", "y")), y)


def test_arrow_numeric_columns_are_views_of_arrow_memory() -> None:
    pa = pytest.importorskip("pyarrow")
    t = pa.table({"y": np.arange(30.0), "unit": np.repeat(np.arange(3), 10), "label": ["a"] * 30,
                  "other": np.zeros(30)})
    frame = narrow(t, ["y", "unit", "label", "not_a_column"])
    assert list(frame.columns) == ["y", "unit", "label"]  # only what is asked for
    y = numeric(resolve(frame, "y", "y"))
    assert y.ctypes.data == t.column("y").chunk(0).buffers()[1].address


@pytest.mark.parametrize("kind", ["pyarrow", "polars"])
def test_arrow_tables_give_the_pandas_result(kind: str) -> None:
    pa = pytest.importorskip("pyarrow")
    frame = table(8, 30, seed=4, per_point=2)
    frame["ward"] = "W" + frame["unit"].astype(str)
    frame["month"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(frame["t"] * 31, unit="D")
    frame.loc[[3, 50], "y"] = np.nan
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    if kind == "polars":
        pl = pytest.importorskip("polars")
        data = pl.from_arrow(arrow)
    else:
        data = arrow
    kw = dict(y="y", x="month", by="ward", chart="i")
    assert_identical(qi.spc(data, **kw), qi.spc(arrow.to_pandas(), **kw))
    kw = dict(y="events", n="n", x="t", by=["unit"], chart="u", multiply=100)
    assert_identical(qi.spc(data, **kw), qi.spc(arrow.to_pandas(), **kw))


def test_parquet_dates_arrive_as_datetimes(tmp_path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "indicators.parquet"
    months = np.array(["2024-01-01", "2024-02-01", "2024-03-01"] * 2, dtype="datetime64[D]")
    pq.write_table(pa.table({
        "indicator": pa.array(["falls"] * 3 + ["sepsis"] * 3).dictionary_encode(),
        "month": pa.array(months, type=pa.date32()),
        "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    }), path)
    frame = read_parquet(path)
    assert frame["month"].dtype.kind == "M"
    assert isinstance(frame["indicator"].dtype, pd.CategoricalDtype)
    res = qi.spc(frame, y="value", x="month", by="indicator", chart="run")
    assert res.points["x"].dtype.kind == "M"
    assert res.summary["indicator"].tolist() == ["falls", "sepsis"]


def test_funnel_takes_an_arrow_table() -> None:
    pa = pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"trust": list("abcdefgh"), "deaths": [3.0, 9, 4, 12, 7, 5, 2, 10],
                          "cases": [100.0, 220, 130, 260, 190, 150, 90, 240], "other": ["x"] * 8})
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    got = qi.funnel(arrow, y="deaths", n="cases", by="trust")
    expected = qi.funnel(arrow.to_pandas(), y="deaths", n="cases", by="trust")
    pd.testing.assert_frame_equal(got.points, expected.points, check_exact=True)


def test_arrow_columns_with_nulls_and_chunks_give_the_pandas_result() -> None:
    pa = pytest.importorskip("pyarrow")
    frame = table(6, 20, seed=8)
    chunks = [pa.Table.from_pandas(frame.iloc[k:k + 40], preserve_index=False) for k in (0, 40, 80)]
    arrow = pa.concat_tables(chunks)  # three chunks per column: no zero-copy view possible
    assert arrow.column("y").num_chunks == 3
    events = pa.array(frame["events"].astype("Int64").mask(frame.index % 17 == 0))  # ints with nulls
    arrow = arrow.set_column(arrow.column_names.index("events"), "events", events)
    kw = dict(y="events", n="n", x="t", by="unit", chart="p")
    assert_identical(qi.spc(arrow, **kw), qi.spc(arrow.to_pandas(), **kw))
    kw = dict(y="y", x="t", by="unit", chart="i")
    assert_identical(qi.spc(arrow, **kw), qi.spc(arrow.to_pandas(), **kw))
