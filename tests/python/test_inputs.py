"""The inputs analysts have: pandas, polars and pyarrow tables, mappings and plain arrays; dates
as datetimes, ISO text, Python dates or periods; categorical ``by``. Every form must give the
same numbers as the pandas reference and hand back the caller's own labels."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qiscope as qi
from qiscope._frames import sorted_codes

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

MONTHS = pd.date_range("2024-01-01", periods=12, freq="MS")
FALLS = [3.0, 5, 4, 6, 2, 5, 4, 3, 6, 5, 4, 9]
BED_DAYS = [900.0, 950, 1000, 980, 990, 1010, 970, 940, 1005, 995, 960, 1000]
NUMBERS = ["value", "cl", "lcl", "ucl", "lcl_95", "ucl_95"]


def reference() -> qi.SPCResult:
    frame = pd.DataFrame({"month": MONTHS, "falls": FALLS, "bed_days": BED_DAYS})
    return qi.spc(frame, y="falls", n="bed_days", x="month", chart="i", multiply=1000)


def assert_same_numbers(res: qi.SPCResult, ref: qi.SPCResult) -> None:
    for col in NUMBERS:
        np.testing.assert_array_equal(res.points[col], ref.points[col], err_msg=col)
    for col in ("longest_run", "n_crossings", "runs_signal", "sigma_signal", "variation"):
        assert res.summary[col].tolist() == ref.summary[col].tolist(), col


def test_reference_has_runs_analysis() -> None:
    s = reference().summary.iloc[0]
    assert s["n_points"] == 12 and pd.notna(s["longest_run"])  # x is time: runs were analysed


@pytest.mark.parametrize("kind", ["polars", "pyarrow", "dict_of_lists", "dict_of_numpy", "dict_of_polars"])
def test_tables_and_mappings(kind: str) -> None:
    columns = {"month": list(MONTHS.to_pydatetime()), "falls": FALLS, "bed_days": BED_DAYS}
    data = {
        "polars": lambda: pl.DataFrame(columns),
        "pyarrow": lambda: pa.table(columns),
        "dict_of_lists": lambda: columns,
        "dict_of_numpy": lambda: {k: np.asarray(v) for k, v in columns.items()},
        "dict_of_polars": lambda: {k: pl.Series(v) for k, v in columns.items()},
    }[kind]()
    res = qi.spc(data, y="falls", n="bed_days", x="month", chart="i", multiply=1000)
    assert_same_numbers(res, reference())
    assert pd.api.types.is_datetime64_any_dtype(res.points["x"])
    assert (res.points["x"].to_numpy() == MONTHS.to_numpy()).all()


def test_plain_arrays_of_any_kind() -> None:
    ref = reference()
    for y, n, x in [
        (np.array(FALLS), np.array(BED_DAYS), MONTHS),
        (pl.Series(FALLS), pl.Series(BED_DAYS), pl.Series(list(MONTHS.to_pydatetime()))),
        (pa.array(FALLS), pa.chunked_array([BED_DAYS[:6], BED_DAYS[6:]]), pa.array(list(MONTHS.date))),
        (pd.Series(FALLS), pd.Series(BED_DAYS), pd.Series(MONTHS)),
    ]:
        assert_same_numbers(qi.spc(y=y, n=n, x=x, chart="i", multiply=1000), ref)


@pytest.mark.parametrize("x", [
    [d.strftime("%Y-%m-%d") for d in MONTHS],           # as read from a CSV file
    [d.strftime("%Y-%m") for d in MONTHS],              # monthly periods as text
    [d.strftime("%Y-%m-%dT00:00:00") for d in MONTHS],  # with a time
    list(MONTHS.date),                                  # datetime.date objects
    list(MONTHS.to_pydatetime()),                       # datetime.datetime objects
])
def test_dates_arrive_in_many_forms(x: list) -> None:
    res = qi.spc(y=FALLS, n=BED_DAYS, x=x, chart="i", multiply=1000)
    assert_same_numbers(res, reference())
    assert pd.api.types.is_datetime64_any_dtype(res.points["x"])
    assert (pd.to_datetime(res.points["x"]).to_numpy() == MONTHS.to_numpy()).all()


def test_iso_text_dates_are_ordered_as_dates() -> None:
    # Shuffled ISO text: the points come back in time order, with the same numbers.
    order = np.random.default_rng(1).permutation(12)
    x = np.array([d.strftime("%Y-%m-%d") for d in MONTHS])[order]
    res = qi.spc(y=np.array(FALLS)[order], n=np.array(BED_DAYS)[order], x=x, chart="i", multiply=1000)
    assert_same_numbers(res, reference())


def test_periods_stay_periods() -> None:
    periods = pd.period_range("2024-01", periods=12, freq="M")
    res = qi.spc(y=FALLS, n=BED_DAYS, x=periods, chart="i", multiply=1000)
    assert_same_numbers(res, reference())
    assert isinstance(res.points["x"].dtype, pd.PeriodDtype)
    assert res.points["x"].tolist() == list(periods)
    res.plot()  # drawn at the periods' start times


def test_invalid_iso_date_names_the_row() -> None:
    x = [d.strftime("%Y-%m-%d") for d in MONTHS]
    x[5] = "2024-02-30"
    with pytest.raises(qi.InputError, match=r"row 5: '2024-02-30' looks like an ISO date") as err:
        qi.spc({"month": x, "falls": FALLS}, y="falls", x="month", chart="i")
    assert (err.value.column, err.value.row, err.value.rule) == ("month", 5, "date")


def test_other_text_is_categorical_and_can_be_kept_as_text() -> None:
    units = [f"ward {c}" for c in "ABCDEFGHIJKL"]
    y = [1.0, 2, 1, 2, 1, 2, 8, 9, 8, 9, 8, 9]  # one crossing: a runs signal over time
    assert bool(qi.spc(y=y, x=MONTHS, chart="i").summary["runs_signal"].iloc[0])
    res = qi.spc(y=y, x=units, chart="i")
    assert res.points["x"].tolist() == units
    assert not res.summary["runs_signal"].iloc[0]  # units are not a time order: no runs signal
    # Dates with one value that is not a date: an error naming the row, not a silent switch to
    # categories (docs/bad-input.md, mixed_date_formats).
    mixed = [d.strftime("%Y-%m-%d") for d in MONTHS[:11]] + ["latest"]
    with pytest.raises(qi.InputError, match="row 11: 'latest'"):
        qi.spc(y=FALLS, x=mixed, chart="i")
    # x_categorical=True keeps ISO text as labels.
    iso = [d.strftime("%Y-%m") for d in MONTHS]
    kept = qi.spc(y=FALLS, x=iso, chart="i", x_categorical=True)
    assert kept.points["x"].tolist() == iso


def two_wards() -> pd.DataFrame:
    return pd.DataFrame({
        "ward": ["Oak"] * 12 + ["Elm"] * 12,
        "month": list(MONTHS) * 2,
        "falls": FALLS + FALLS[::-1],
    })


def test_categorical_by_keeps_categories_and_their_order() -> None:
    data = two_wards()
    data["ward"] = pd.Categorical(data["ward"], categories=["Oak", "Elm", "Ash"])
    res = qi.spc(data, y="falls", x="month", by="ward", chart="i")
    assert isinstance(res.points["ward"].dtype, pd.CategoricalDtype)
    assert list(res.points["ward"].cat.categories) == ["Oak", "Elm", "Ash"]
    assert res.summary["ward"].tolist() == ["Oak", "Elm"]  # category order, unused one left out
    # Each series equals the same series computed alone.
    alone = qi.spc(y=FALLS[::-1], x=MONTHS, chart="i")
    np.testing.assert_array_equal(res.points.loc[res.points["ward"] == "Elm", "ucl"], alone.points["ucl"])


def test_polars_categorical_by_and_integer_by_labels() -> None:
    data = pl.from_pandas(two_wards()).with_columns(pl.col("ward").cast(pl.Categorical))
    res = qi.spc(data, y="falls", x="month", by="ward", chart="i")
    assert set(res.summary["ward"]) == {"Oak", "Elm"}
    ints = two_wards().assign(ward=lambda d: np.where(d["ward"] == "Oak", 10, 20))
    res = qi.spc(ints, y="falls", x="month", by="ward", chart="i")
    assert res.summary["ward"].tolist() == [10, 20] and res.points["ward"].dtype == np.int64


def test_mismatched_lengths_and_unknown_columns_are_named() -> None:
    with pytest.raises(qi.InputError, match="n has 3 values but the data has 12 rows"):
        qi.spc(y=FALLS, n=[1.0, 2.0, 3.0], chart="i")
    with pytest.raises(qi.InputError, match=r"column 'beds' \(given as n=\) is not in the data"):
        qi.spc(two_wards(), y="falls", n="beds", chart="i")


def test_unsupported_data_type() -> None:
    with pytest.raises(qi.InputError, match="data must be a DataFrame or a mapping"):
        qi.spc([1, 2, 3], y="y")


def test_python_dates_in_a_mapping_with_by() -> None:
    data = {"ward": ["A"] * 3 + ["B"] * 3, "day": [dt.date(2025, 1, d) for d in (1, 2, 3)] * 2,
            "y": [1.0, 2.0, 3.0, 3.0, 2.0, 1.0]}
    res = qi.spc(data, y="y", x="day", by="ward", chart="run")
    assert res.points["x"].tolist() == [pd.Timestamp(2025, 1, d) for d in (1, 2, 3)] * 2


# -- sorted codes: the fast factorize behind `by` and `x` ---------------------------------------

_SORTED_CODES_CASES = {
    "int64 dense": lambda v: pd.Series(np.asarray(v, dtype=np.int64)),
    "int64 sparse": lambda v: pd.Series(np.asarray(v, dtype=np.int64) * 10**12),
    "int8": lambda v: pd.Series((np.asarray(v) % 256 - 128).astype(np.int8)),
    "uint64": lambda v: pd.Series((np.asarray(v) % 1000).astype(np.uint64) + np.uint64(2**63)),
    "float": lambda v: pd.Series(np.asarray(v, dtype=np.float64) / 7),
    "dates": lambda v: pd.Series(pd.Timestamp("2020-01-01") + pd.to_timedelta(np.asarray(v) % 500, unit="D")),
    "text": lambda v: pd.Series([f"ward {k % 37}" for k in v], dtype=object),
    "bool": lambda v: pd.Series(np.asarray(v) % 2 == 0),
}


@pytest.mark.parametrize("kind", list(_SORTED_CODES_CASES))
@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=300))
def test_sorted_codes_match_pandas_sorted_factorize(kind: str, values: list[int]) -> None:
    s = _SORTED_CODES_CASES[kind](values)
    codes, uniques = sorted_codes(s)
    expected_codes, expected_uniques = pd.factorize(s, sort=True)
    assert codes.dtype == np.int64
    np.testing.assert_array_equal(codes, expected_codes)
    assert pd.Index(uniques).equals(pd.Index(expected_uniques))
    assert pd.Index(uniques).dtype == pd.Index(expected_uniques).dtype
