"""The bad-input catalogue (docs/bad-input.md): one test per row, with the row's id.

Each test feeds the bad input and checks the documented outcome: an InputError naming column,
row and rule, or a result in which the problem is visible. Expected numbers are computed here
from the textbook formulas, not read back from qiscope.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qiscope as qi
from qiscope import _core

CATALOGUE = Path(__file__).resolve().parents[2] / "docs" / "bad-input.md"
NAN = float("nan")
D2 = 2 / math.sqrt(math.pi)  # qiscope's default d2
ROWS: dict[str, Callable[[], None]] = {}


def row(fn: Callable[[], None]) -> Callable[[], None]:
    ROWS[fn.__name__.removeprefix("row_")] = fn
    return fn


def raises(call: Callable[[], object], column: str, at: int | None, rule: str) -> qi.InputError:
    with pytest.raises(qi.InputError) as info:
        call()
    err = info.value
    assert (err.column, err.row, err.rule) == (column, at, rule), str(err)
    assert isinstance(err, ValueError)
    return err


def months(count: int) -> pd.DatetimeIndex:
    return pd.date_range("2024-01-01", periods=count, freq="MS")


# -- empty, tiny and missing data -----------------------------------------------------------
@row
def row_empty() -> None:
    frame = pd.DataFrame({"y": pd.Series([], dtype=float), "n": pd.Series([], dtype=float)})
    raises(lambda: qi.spc(frame, y="y", chart="i"), "y", None, "empty")
    raises(lambda: qi.funnel(frame, y="y", n="n"), "y", None, "empty")


@row
def row_one_point() -> None:
    res = qi.spc(y=[5.0], chart="i")
    p, s = res.points, res.summary
    assert len(p) == 1 and p.loc[0, "value"] == 5.0 and p.loc[0, "cl"] == 5.0
    assert p[["lcl", "ucl", "lcl_95", "ucl_95"]].isna().all(axis=None)
    assert not p.loc[0, "sigma_signal"] and not p.loc[0, "special_cause"]
    assert s.loc[0, "n_points"] == 0 and pd.isna(s.loc[0, "variation"])


@row
def row_all_missing() -> None:
    res = qi.spc(y=[NAN] * 5, chart="i")
    p, s = res.points, res.summary
    assert len(p) == 5 and p["value"].isna().all() and p["cl"].isna().all() and p["ucl"].isna().all()
    assert not p["sigma_signal"].any() and not p["special_cause"].any()
    assert (s.loc[0, "n_points"], s.loc[0, "n_obs"]) == (0, 5) and pd.isna(s.loc[0, "variation"])
    raises(lambda: qi.funnel(y=[NAN, NAN], n=[10, 20]), "y", 0, "missing")


@row
def row_nan_values() -> None:
    y = [5, 3, NAN, 4, 6, 2, 5, 4, 3, 6, 5, 4]
    res = qi.spc(y=y, chart="i")
    kept = np.array([v for v in y if not math.isnan(v)])
    # Moving ranges only between neighbours that both have a value (spc-spec §8.3): the two next
    # to the gap are dropped, so AMR is 2.0, not the 1.9 of the closed-up series.
    ranges = [abs(y[i] - y[i - 1]) for i in range(1, len(y)) if not (math.isnan(y[i]) or math.isnan(y[i - 1]))]
    assert np.mean(ranges) == 2.0
    assert res.points.loc[0, "cl"] == pytest.approx(kept.mean(), abs=1e-12)
    assert res.points.loc[0, "ucl"] == pytest.approx(kept.mean() + 3 * 2.0 / D2, abs=1e-12)
    assert len(res.points) == 12 and math.isnan(res.points.loc[2, "value"])
    assert not res.points.loc[2, "sigma_signal"]
    assert (res.summary.loc[0, "n_obs"], res.summary.loc[0, "n_points"]) == (12, 11)
    none_as_missing = qi.spc(y=[5, 3, None, 4, 6, 2, 5, 4, 3, 6, 5, 4], chart="i")
    pd.testing.assert_frame_equal(none_as_missing.points, res.points)


@row
def row_infinite_values() -> None:
    raises(lambda: qi.spc(y=[1, 2, np.inf], chart="i"), "y", 2, "finite")
    raises(lambda: qi.spc(y=[1, 2, 3], n=[4, -np.inf, 4], chart="u"), "n", 1, "finite")
    raises(lambda: qi.funnel(y=[1, np.inf], n=[4, 4]), "y", 1, "finite")


@row
def row_text_in_numbers() -> None:
    for bad in ("two", "", "1,5"):
        data = {"count": ["1", bad, "3"]}
        err = raises(lambda data=data: qi.spc(data, y="count", chart="c"), "count", 1, "numeric")
        assert repr(bad) in str(err)
    raises(lambda: qi.funnel({"d": [1, 2], "c": [10, "ten"]}, y="d", n="c"), "c", 1, "numeric")


@row
def row_dates_as_values() -> None:
    raises(lambda: qi.spc(y=pd.Series(months(4)), chart="i"), "y", None, "numeric")
    raises(lambda: qi.spc(y=pd.Series(pd.to_timedelta([1, 2, 3], unit="D")), chart="i"), "y", None, "numeric")


@row
def row_negative_counts() -> None:
    raises(lambda: qi.spc(y=[3, -1, 2], chart="c"), "y", 1, "non_negative")
    raises(lambda: qi.spc(y=[1, 5, 3], n=[4, -4, 4], chart="u"), "n", 1, "non_negative")
    raises(lambda: qi.funnel(y=[1, -2], n=[4, 4]), "y", 1, "non_negative")
    # Negative values are fine where they are measurements.
    assert qi.spc(y=[-3.0, -1, 2], chart="i").points["value"].tolist() == [-3, -1, 2]


@row
def row_zero_denominator() -> None:
    res = qi.spc(y=[1, 0, 3, 2], n=[10, 0, 10, 10], chart="p")
    p = res.points
    pbar = 6 / 30  # every row's counts enter the centre line (qicharts2)
    assert p["cl"].tolist() == pytest.approx([pbar] * 4, abs=1e-15)
    assert math.isnan(p.loc[1, "value"]) and math.isnan(p.loc[1, "ucl"]) and math.isnan(p.loc[1, "lcl"])
    assert p.loc[0, "ucl"] == pytest.approx(pbar + 3 * math.sqrt(pbar * (1 - pbar) / 10), abs=1e-15)
    assert not p["sigma_signal"].any()
    raises(lambda: qi.funnel({"y": [0, 3], "n": [0, 10], "trust": ["a", "b"]}, y="y", n="n", by="trust"),
           "n", 0, "positive")


@row
def row_missing_denominator() -> None:
    res = qi.spc(y=[1, 5, 4, 2], n=[10, NAN, 10, 10], chart="p")
    p = res.points
    assert math.isnan(p.loc[1, "value"]) and math.isnan(p.loc[1, "y"])
    assert p.loc[0, "cl"] == pytest.approx(7 / 30, abs=1e-15)  # the missing row's y is not counted
    assert res.summary.loc[0, "n_points"] == 3


@row
def row_numerator_above_denominator() -> None:
    raises(lambda: qi.spc(y=[1, 5, 3], n=[4, 4, 4], chart="p"), "y", 1, "numerator_le_denominator")
    raises(lambda: qi.funnel(y=[1, 5], n=[4, 4]), "y", 1, "numerator_le_denominator")
    assert qi.spc(y=[1, 5, 3], n=[4, 4, 4], chart="u").points.loc[1, "value"] == 5 / 4


# -- x, order and time -----------------------------------------------------------------------
@row
def row_unsorted_x() -> None:
    rng = np.random.default_rng(11)
    df = pd.DataFrame({"month": months(24), "y": rng.poisson(8, 24).astype(float)})
    shuffled = df.sample(frac=1, random_state=2)
    a = qi.spc(df, y="y", x="month", chart="i")
    b = qi.spc(shuffled, y="y", x="month", chart="i")
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.points.drop(columns="x"), b.points.drop(columns="x"))
    assert (a.points["x"].to_numpy() == b.points["x"].to_numpy()).all()


@row
def row_duplicated_x() -> None:
    x = [1, 1, 2, 3]
    i = qi.spc(y=[2.0, 4, 5, 6], x=x, chart="i")
    assert i.points["value"].tolist() == [3, 5, 6]  # the mean of the rows sharing x
    assert i.points["n_rows"].tolist() == [2, 1, 1]
    c = qi.spc(y=[2.0, 4, 5, 6], x=x, chart="c")
    assert c.points["value"].tolist() == [6, 5, 6]  # counts are summed
    cases = qi.spc(y=[0, 1, 1, 0], x=x, chart="bernoulli_cusum", target=0.3)
    assert cases.points["n_rows"].tolist() == [1, 1, 1, 1]  # one point per case, never combined
    events = qi.spc(y=[2.0, 4, 5, 6], x=x, chart="g", agg="none")
    assert events.points["value"].tolist() == [2, 4, 5, 6]  # each row its own point
    assert events.points["n_rows"].tolist() == [1, 1, 1, 1]


@row
def row_missing_x() -> None:
    raises(lambda: qi.spc({"y": [1, 2, 3], "when": [1, None, 3]}, y="y", x="when"), "when", 1, "missing")
    blank_row = pd.DataFrame({"month": [*months(3), pd.NaT], "falls": [3.0, 5.0, 4.0, np.nan]})
    raises(lambda: qi.spc(blank_row, y="falls", x="month", chart="c"), "month", 3, "missing")


@row
def row_absent_period() -> None:
    x = months(12).delete(4)  # May is not in the export at all
    y = np.array([5.0, 7, 6, 8, 5, 6, 7, 9, 6, 5, 7])
    res = qi.spc(x=x, y=y, chart="i")
    assert len(res.points) == 11
    assert res.points["x_gap"].tolist() == [False] * 4 + [True] + [False] * 6
    # Limits from the points present, in order (as qicharts2 and PTD).
    amr = np.mean(np.abs(np.diff(y)))
    assert res.summary.loc[0, "ucl"] == pytest.approx(y.mean() + 3 * amr / D2, abs=1e-12)
    regular = qi.spc(x=months(11), y=y, chart="i")
    assert not regular.points["x_gap"].any()
    events = qi.spc(x=x, y=y, chart="g")  # events are irregular by nature: no flag
    assert not events.points["x_gap"].any()


@row
def row_mixed_x_types() -> None:
    raises(lambda: qi.spc(y=[1, 2, 3, 4], x=[1, "a", 2, 3], chart="run"), "x", 1, "mixed_types")
    frame = pd.DataFrame({"y": [1.0, 2, 3], "x": pd.Series([pd.Timestamp("2024-01-01"), "Feb", 3], dtype=object)})
    raises(lambda: qi.spc(frame, y="y", x="x"), "x", 1, "mixed_types")


@row
def row_mixed_date_formats() -> None:
    raises(lambda: qi.spc(y=[1, 2, 3, 4], x=["2024-01-01", "2024-02-01", "01/03/2024", "2024-04-01"]),
           "x", 2, "date_format")
    raises(lambda: qi.spc(y=[1, 2, 3], x=["01/01/2024", "01/02/2024", "01/03/2024"]), "x", None, "ambiguous_date")
    # One unambiguous format: read as dates, the same chart as with real dates.
    y = [4.0, 6, 5, 7, 5, 6]
    iso = qi.spc(y=y, x=[f"2024-{m:02d}-01" for m in range(1, 7)], chart="i")
    uk = qi.spc(y=y, x=[f"15/{m:02d}/2024" for m in range(1, 7)], chart="i")
    dates = qi.spc(y=y, x=months(6), chart="i")
    pd.testing.assert_frame_equal(iso.summary, dates.summary)
    assert not iso.spec["x_categorical"] and not uk.spec["x_categorical"]
    assert uk.points["x"].dt.month.tolist() == [1, 2, 3, 4, 5, 6]
    units = qi.spc(y=[1.0, 2, 3], x=["ward A", "ward B", "ICU"])  # not dates: categorical
    assert units.spec["x_categorical"]


# -- phases, baseline and excluded points ------------------------------------------------------
@row
def row_part_out_of_range() -> None:
    raises(lambda: qi.spc(y=[1, 2, 3], part=[7]), "part", None, "range")
    raises(lambda: qi.spc(y=[1, 2, 3], part=[-1]), "part", None, "range")
    y = np.arange(10.0) % 4
    messy = qi.spc(y=y, chart="i", part=[5, 5, 3])
    clean = qi.spc(y=y, chart="i", part=[3, 5])
    pd.testing.assert_frame_equal(messy.points, clean.points)
    assert messy.summary["cl"].tolist() == pytest.approx([y[:3].mean(), y[3:5].mean(), y[5:].mean()])
    pd.testing.assert_frame_equal(qi.spc(y=y, chart="i", part=[0]).points, qi.spc(y=y, chart="i").points)


@row
def row_freeze_out_of_range() -> None:
    raises(lambda: qi.spc(y=[1, 2, 3, 4], freeze=0), "freeze", None, "range")
    raises(lambda: qi.spc(y=[1, 2, 3, 4], freeze=10), "freeze", None, "range")
    raises(lambda: qi.spc(y=[1, 2, 3, 4], freeze=2.5), "freeze", None, "integer")
    res = qi.spc(y=[1.0, 3, 2, 9], chart="i", freeze=np.int64(3))  # numpy integers are fine
    assert res.summary.loc[0, "cl"] == 2.0


@row
def row_exclude_out_of_range() -> None:
    raises(lambda: qi.spc(y=[1, 2, 3], exclude=[-1]), "exclude", None, "range")
    raises(lambda: qi.spc(y=[1, 2, 3], exclude=[3]), "exclude", None, "range")
    res = qi.spc(y=[1.0, 2, 3], chart="i", exclude=[0, 1, 2])
    assert res.points["cl"].isna().all() and res.points["ucl"].isna().all()
    assert res.summary.loc[0, "n_obs"] == 0 and not res.points["special_cause"].any()


# -- options -------------------------------------------------------------------------------------
@row
def row_unknown_names() -> None:
    y = [1, 2, 3]
    raises(lambda: qi.spc(y=y, chart="pie"), "chart", None, "unknown_name")
    raises(lambda: qi.spc(y=y, rules="magic"), "rules", None, "unknown_name")
    raises(lambda: qi.spc(y=y, profile="excel"), "profile", None, "unknown_name")
    raises(lambda: qi.spc(y=y, direction="up"), "direction", None, "unknown_name")
    raises(lambda: qi.spc(y=y, agg="max"), "agg", None, "unknown_name")
    raises(lambda: qi.funnel(y=[1, 2], n=[5, 5], kind="odds"), "kind", None, "unknown_name")
    raises(lambda: qi.spc(y=y, point_columns=["value", "ucl_99"]), "point_columns", None, "unknown_name")
    err = raises(lambda: qi.spc(y=y, chart="pie"), "chart", None, "unknown_name")
    assert "'xbar'" in str(err)  # the allowed names are listed


@row
def row_agg_none_subgroups() -> None:
    for chart in ("xbar", "s"):
        raises(lambda: qi.spc(y=[1.0, 2, 3, 4], x=[1, 1, 2, 2], chart=chart, agg="none"), "agg", None,
               "not_applicable")


@row
def row_direction_per_series() -> None:
    data = {"y": [1.0, 2, 3, 4], "ward": list("AABB"), "dir": ["increase", None, "decrease", "increase"]}
    raises(lambda: qi.spc(data, y="y", by="ward", direction="dir"), "dir", 3, "constant_within_series")
    data["dir"] = ["increase", "up", None, None]
    raises(lambda: qi.spc(data, y="y", by="ward", direction="dir"), "dir", 1, "unknown_name")
    raises(lambda: qi.spc(data, y="y", by="ward", direction={"Z": "increase"}), "direction", None, "unknown_series")
    raises(lambda: qi.spc(data, y="y", direction={"A": "increase"}), "direction", None, "requires_by")


@row
def row_bad_numeric_options() -> None:
    y = [1.0, 2, 3, 4]
    raises(lambda: qi.spc(y=y, chart="i", multiply=NAN), "multiply", None, "finite")
    raises(lambda: qi.spc(y=y, chart="i", multiply=0), "multiply", None, "positive")
    raises(lambda: qi.spc(y=y, chart="i", cl=np.inf), "cl", None, "finite")
    raises(lambda: qi.spc(y=y, chart="i", cl=1e200), "cl", None, "range")
    raises(lambda: qi.spc(y=y, n=[10] * 4, chart="p", cl=2.0), "cl", None, "range")  # a proportion
    raises(lambda: qi.spc(y=y, chart="c", cl=-1.0), "cl", None, "range")
    raises(lambda: qi.spc(y=y, chart="i", profile="qcc", confidence_level=1 - 1e-16), "confidence_level", None,
           "range")
    raises(lambda: qi.spc(y=y, chart="run", rules="ihi", shift_n=1), "shift_n", None, "range")
    raises(lambda: qi.spc(y=y, chart="i", d2=0), "d2", None, "range")
    raises(lambda: qi.spc(y=y, chart="i", n_threads=-1), "n_threads", None, "range")
    raises(lambda: qi.spc(y=y, chart="ewma", lam=NAN), "lam", None, "finite")
    raises(lambda: qi.funnel(y=[1, 2], n=[5, 5], limits=[95, 95]), "limits", None, "distinct")
    raises(lambda: qi.funnel(y=[1, 2], n=[5, 5], grid_size=10**9), "grid_size", None, "range")
    raises(lambda: qi.funnel(y=[1, 2], n=[5, 5], limits=["wide"]), "limits", None, "type")


@row
def row_option_does_not_fit() -> None:
    raises(lambda: qi.spc(y=[1.0, 2, 3, 4], x=[0, 0, 1, 1], chart="ewma", sd_method="mr"), "sd_method", 0,
           "single_values")
    raises(lambda: qi.spc(y=[1.0, 2, 3], chart="cusum", sd_method="rmsdf"), "sd_method", 0, "subgroups")
    raises(lambda: qi.spc(y=[1.0, 2, 3], chart="i", sd_method="mr"), "sd_method", None, "not_applicable")
    raises(lambda: qi.spc(y=[1.0, 2, 3], chart="ewma", sd=1, sd_method="mr"), "sd_method", None, "not_applicable")
    raises(lambda: qi.spc(y=[1.0, 2, 3], chart="ewma", profile="qcc", confidence_level=0.9), "confidence_level",
           None, "not_applicable")
    raises(lambda: qi.spc(y=[1, 2], n=[10, 10], chart="p", profile="qcc", confidence_level=1.5), "confidence_level",
           None, "range")
    raises(lambda: qi.spc(y=[1, 2], n=[10, 10], chart="p", confidence_level=0.9), "confidence_level", None,
           "profile")
    raises(lambda: qi.spc(y=[1, 2], n=[10, 10.5], chart="p", profile="qcc", confidence_level=0.9), "n", 1, "integer")


@row
def row_by_missing_labels() -> None:
    raises(lambda: qi.spc({"y": [1, 2, 3], "ward": ["a", None, "b"]}, y="y", by="ward"), "ward", 1, "missing")
    raises(lambda: qi.funnel({"y": [1, 2], "n": [5, 5], "trust": [None, "b"]}, y="y", n="n", by="trust"),
           "trust", 0, "missing")


@row
def row_mismatched_lengths() -> None:
    raises(lambda: qi.spc(y=[1, 2, 3], n=[1, 2]), "n", None, "length")
    raises(lambda: qi.funnel(y=[1, 2, 3], n=[4, 4]), "n", None, "length")


@row
def row_huge_values() -> None:
    raises(lambda: qi.spc(y=[1e308, 1, 2], chart="i"), "y", 0, "overflow")
    raises(lambda: qi.spc(y=[1, -2e100, 2], chart="i"), "y", 1, "overflow")
    raises(lambda: qi.spc(y=[1, 2, 3], n=[10, 1e-300, 10], chart="u"), "y", 1, "overflow")
    raises(lambda: qi.spc(y=[5.0, 6, 7, 8], chart="cusum", center=0, sd=1e-308), "y", 0, "overflow")
    raises(lambda: qi.funnel(y=[1, 2], n=[10, 1e-300], kind="rate"), "n", 1, "overflow")
    raises(lambda: qi.funnel(y=[9, 0], n=[10, 1.1e-5], kind="rate"), "n", 1, "overflow")
    raises(lambda: qi.funnel(y=[5e16, 4e16], n=[1e17, 1e17]), "n", None, "exact_range")
    assert qi.funnel(y=[5e16, 4e16], n=[1e17, 1e17], limit_method="normal").points["value"].tolist() == [0.5, 0.4]
    # Just below the bound the chart is computed, with finite limits.
    big = qi.spc(y=[1e99, 2e99, 1.5e99], chart="i")
    assert np.isfinite(big.points[["cl", "lcl", "ucl"]].to_numpy()).all()


# -- documents -----------------------------------------------------------------------------------
def _spc_document() -> str:
    return qi.spc(y=[5.0, 3, 4, 6, 2], x=months(5), chart="i").to_json()


@row
def row_truncated_json() -> None:
    text = _spc_document()
    for cut in (1, len(text) // 2, len(text) - 1):
        raises(lambda cut=cut: qi.SPCResult.from_json(text[:cut]), "json", None, "json")
    raises(lambda: qi.SPCResult.from_json("[" * 100_000 + "]" * 100_000), "json", None, "json")
    funnel = qi.funnel(y=[3, 5, 4], n=[30, 40, 35]).to_json()
    raises(lambda: qi.FunnelResult.from_json(funnel[:-10]), "json", None, "json")


@row
def row_hostile_result_json() -> None:
    good = json.loads(_spc_document())

    def edited(change: Callable[[dict], None]) -> str:
        doc = json.loads(json.dumps(good))
        change(doc)
        return json.dumps(doc)

    def shorten_value(doc: dict) -> None:
        column = next(c for c in doc["points"]["columns"] if c["name"] == "value")
        column["values"].pop()

    def drop_cl(doc: dict) -> None:
        doc["points"]["columns"] = [c for c in doc["points"]["columns"] if c["name"] != "cl"]

    def huge_dtype(doc: dict) -> None:
        doc["points"]["columns"][0]["dtype"] = "V99999999999"

    for change in (shorten_value, drop_cl, huge_dtype, lambda d: d.update(points=1),
                   lambda d: d.update(spec=[]), lambda d: d.pop("summary")):
        raises(lambda change=change: qi.SPCResult.from_json(edited(change)), "json", None, "format")
    raises(lambda: qi.SPCResult.from_json(json.dumps({"format": "qiscope.FunnelResult"})), "json", None, "format")
    raises(lambda: qi.FunnelResult.from_json(json.dumps({"format": "qiscope.FunnelResult", "stats": {}})),
           "json", None, "format")
    # Culture results are read by the C++ reader: member types and column lengths are checked.
    reliability = qi.culture.reliability(survey(), mini(), "all")
    assert qi.culture.ReliabilityResult.from_json(reliability.to_json()) == reliability
    doc = json.loads(reliability.to_json())
    doc["items"]["sd"] = 0.5  # a number where a column belongs
    raises(lambda: qi.culture.ReliabilityResult.from_json(json.dumps(doc)), "sd", None, "type")
    agreement = json.loads(qi.culture.agreement(survey(), mini(), "all", unit="ward").to_json())
    agreement["units"]["rwg_j"].append(0.5)
    raises(lambda: qi.culture.AgreementResult.from_json(json.dumps(agreement)), "rwg_j", None, "length")
    raises(lambda: qi.culture.AgreementResult.from_json(reliability.to_json()), "json", None, "format")


@row
def row_hostile_spec_json() -> None:
    # The spec parser of the core (what the bindings and trust tools feed it).
    resolve = _core.spc.resolve_spec
    raises(lambda: resolve('{"chart": "i", "colour": 1}'), "colour", None, "unknown_option")
    raises(lambda: resolve('{"chart": "i", "freeze": 2.5}'), "freeze", None, "integer")
    raises(lambda: resolve('{"chart": "i", "freeze": "12"}'), "freeze", None, "type")
    raises(lambda: resolve('{"chart": "i", "multiply": 1e999}'), "spec", None, "json")
    raises(lambda: resolve('{"chart": "i", "part": [1, 2.5]}'), "part", None, "integer")
    raises(lambda: resolve('{"chart": "i", "y_neg": 1}'), "y_neg", None, "type")
    raises(lambda: resolve('{"chart": "i"'), "spec", None, "json")
    raises(lambda: resolve("[" * 1000 + "]" * 1000), "spec", None, "json")
    raises(lambda: _core.funnel.resolve_spec('{"coverage": 95}'), "coverage", None, "type")


# -- tables ----------------------------------------------------------------------------------------
@row
def row_wrong_shape() -> None:
    raises(lambda: qi.spc(y=np.ones((3, 2)), chart="i"), "y", None, "shape")
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], columns=["y", "y"])
    raises(lambda: qi.spc(frame, y="y", chart="i"), "y", None, "duplicate_column")


@row
def row_missing_column() -> None:
    err = raises(lambda: qi.spc({"infections": [1, 2, 3]}, y="infections ", chart="c"),
                 "infections ", None, "unknown_column")
    assert "'infections'" in str(err)  # the columns that exist are listed


# -- data that breaks a chart's assumptions ------------------------------------------------------
@row
def row_constant_data() -> None:
    res = qi.spc(y=[5.0] * 8, chart="i")
    assert (res.points[["cl", "lcl", "ucl"]] == 5.0).all(axis=None)
    assert not res.points["sigma_signal"].any()
    shifted = qi.spc(y=[5.0] * 8 + [5.5], chart="i", freeze=8)
    assert shifted.points["sigma_signal"].tolist() == [False] * 8 + [True]


@row
def row_funnel_degenerate() -> None:
    raises(lambda: qi.funnel(y=[0, 0, 0], n=[10, 20, 30]), "y", None, "degenerate_target")
    raises(lambda: qi.funnel(y=[10, 20], n=[10, 20]), "y", None, "degenerate_target")
    raises(lambda: qi.funnel(y=[3], n=[10], overdispersion="additive"), "by", None, "too_few_units")
    one = qi.funnel(y=[3], n=[10])  # one unit without overdispersion: drawn, phi undefined
    assert math.isnan(one.phi) and len(one.points) == 1


@row
def row_rare_events_small_units() -> None:
    y, n = [0, 1, 0, 0], [10, 1000, 500, 12]
    f = qi.funnel(y=y, n=n, outlier_limit=95, grid_size=5)
    theta = 1 / 1522
    assert (1 - theta) ** 10 > 0.975  # P(R = 0) alone exceeds the 97.5% point at n = 10
    assert f.points.loc[0, "ucl_95"] == 0.0 and f.points.loc[0, "lcl_95"] == 0.0
    assert not f.points["outlier"].any()
    assert (f.limits["ucl_95"] >= f.limits["lcl_95"]).all() and (f.limits["lcl_95"] >= 0).all()


@row
def row_case_outcomes() -> None:
    raises(lambda: qi.spc(y=[0, 2, 1], chart="bernoulli_cusum", target=0.2), "y", 1, "binary")
    raises(lambda: qi.spc(y=[0, 1, 1], risk=[0.2, 1.5, 0.1], chart="ra_cusum"), "risk", 1, "probability")
    raises(lambda: qi.spc(y=[0, 1, 1], chart="vlad"), "risk", None, "required")


@row
def row_t_chart_nonpositive() -> None:
    raises(lambda: qi.spc(y=[3, 0, 2], chart="t"), "y", 1, "positive")


# -- survey answers and instruments (the culture module) -------------------------------------------
SURVEY_TEXT = """{"name": "mini", "scale": {"min": 1, "max": 5, "missing_codes": [9]},
  "items": ["q1", "q2", {"id": "q3", "reverse": true}], "composites": [{"id": "all", "items": ["q1", "q2", "q3"]}],
  "min_n": 1}"""


def survey() -> pd.DataFrame:
    return pd.DataFrame({"ward": list("AAABBB"), "q1": [4.0, 5, 2, 3, 4, 1], "q2": [3.0, 4, 4, 5, 2, 2],
                         "q3": [1.0, 2, 4, 3, 5, 2]})


def mini() -> qi.culture.Instrument:
    return qi.culture.Instrument.from_json(SURVEY_TEXT)


def overall(table: pd.DataFrame, measure: str) -> pd.Series:
    rows = table[table["ward"].isna() & (table["measure"] == measure) & (table["kind"] == "item")]
    assert len(rows) == 1
    return rows.iloc[0]


@row
def row_survey_out_of_scale() -> None:
    for bad in (6.0, 0.0, 2.5, -99.0, math.inf):
        frame = survey()
        frame.loc[4, "q2"] = bad
        raises(lambda frame=frame: qi.culture.score(frame, mini(), unit="ward"), "q2", 4,
               "finite" if math.isinf(bad) else "scale")
    frame = survey()
    frame.loc[4, "q2"] = 9  # the declared missing code, and a blank: left out of n_valid
    frame.loc[5, "q2"] = np.nan
    r = overall(qi.culture.score(frame, mini(), unit="ward"), "q2")
    assert r["n_valid"] == 4
    assert r["n_positive"] == 3 and r["percent_positive"] == pytest.approx(100 * 3 / 4, abs=1e-12)  # 3, 4, 4, 5


@row
def row_survey_unknown_item() -> None:
    raises(lambda: qi.culture.score(survey().drop(columns="q3"), mini(), unit="ward"), "q3", None, "unknown_item")
    bad_composite = SURVEY_TEXT.replace('"items": ["q1", "q2", "q3"]', '"items": ["q1", "zz"]')
    raises(lambda: qi.culture.Instrument.from_json(bad_composite), "composites[0].items[1]", None, "unknown_item")
    raises(lambda: qi.culture.Instrument("x", items=["a", "b"], reverse=["zz"]), "reverse", None, "unknown_item")
    raises(lambda: qi.culture.reliability(survey(), mini(), "teamwork"), "measure", None, "unknown_measure")


@row
def row_survey_duplicate_respondent() -> None:
    # No respondent ID is read: a repeated row counts twice, as two people with the same answers.
    frame = survey()
    twice = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    table = qi.culture.score(twice, mini(), unit="ward")
    assert table.attrs["n_rows"] == 7 and table.attrs["n_scored"] == 7
    r = overall(table, "q1")
    assert r["n_respondents"] == 7 and r["n_positive"] == 4  # 4, 5, 4 and the repeated 4
    assert r["percent_positive"] == pytest.approx(100 * 4 / 7, abs=1e-12)


@row
def row_survey_instrument_schema() -> None:
    head = '"name": "x", "scale": {"min": 1, "max": 5}'
    cases = [
        ('{"scale": {"min": 1, "max": 5}, "items": ["a"]}', "name", "required"),
        ("{" + head + ', "items": {"a": 1}}', "items", "type"),
        ("{" + head + ', "items": [{"id": "a", "reverse": "yes"}]}', "items[0].reverse", "type"),
        ("{" + head + ', "items": [{"id": "a", "scale": "freq", "reverse": true}]}', "items[0].scale",
         "unknown_scale"),
        ("{" + head + ', "items": ["a", {"id": "a", "reverse": true}]}', "items[1]", "duplicate"),
        ("{" + head + ', "items": ["a"], "colour": "red"}', "colour", "unknown_key"),
        ("{" + head + ', "items": ["a"], "": 1}', "instrument", "unknown_key"),
        ('{"name": "x", "scale": {"min": 18446744073709551615, "max": 5}, "items": ["a"]}', "scale.min", "range"),
        ("{" + head + ', "items": ["a"], "respondent_positive": 1e999}', "instrument", "json"),
        ("{" + head + ', "items": ["a"', "instrument", "json"),
    ]
    for text, column, rule in cases:
        raises(lambda text=text: qi.culture.Instrument.from_json(text), column, None, rule)


@row
def row_survey_text_in_item() -> None:
    frame = survey().astype({"q2": object})
    frame.loc[2, "q2"] = "Agree"
    raises(lambda: qi.culture.score(frame, mini(), unit="ward"), "q2", 2, "numeric")


@row
def row_survey_unit_missing() -> None:
    frame = survey()
    frame.loc[3, "ward"] = None
    raises(lambda: qi.culture.score(frame, mini(), unit="ward"), "ward", 3, "missing")
    raises(lambda: qi.culture.agreement(frame, mini(), "all", unit="ward"), "ward", 3, "missing")


@row
def row_survey_min_n() -> None:
    for bad in (0, -1, 2.5, True):
        raises(lambda bad=bad: qi.culture.score(survey(), mini(), unit="ward", min_n=bad), "min_n", None, "range")
    raises(lambda: qi.culture.score(survey(), mini(), unit="ward", min_n="nhs"), "min_n", None, "unknown_name")
    raises(lambda: qi.culture.Instrument.from_json(SURVEY_TEXT.replace('"min_n": 1', '"min_n": 0')), "min_n", None,
           "range")
    # A threshold above every cell withholds everything; no row is dropped.
    table = qi.culture.score(survey(), mini(), unit="ward", min_n=1000)
    assert table["suppressed"].all() and table["percent_positive"].isna().all()
    assert len(table) == len(qi.culture.score(survey(), mini(), unit="ward", min_n=1))


@pytest.mark.parametrize("row_id", list(ROWS), ids=list(ROWS))
def test_catalogue_row(row_id: str) -> None:
    ROWS[row_id]()


def test_every_catalogue_row_has_a_test() -> None:
    ids = re.findall(r"^\| `([a-z_0-9]+)`[^|]*\|", CATALOGUE.read_text(), flags=re.MULTILINE)
    assert len(ids) >= 32
    assert set(ids) == set(ROWS)


# -- documents mutated at random (the Python readers; tests/fuzz covers the C++ ones) ----------------
def _paths(node: object, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON document, as the keys and indexes that lead to it."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):  # a few entries of each list are enough
            found += _paths(value, (*path, index))
    return found


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
_DOCUMENTS = {
    "SPC": (qi.SPCResult, lambda: qi.spc({"y": [5.0, 3, 4, 6, 2, 7], "ward": list("aaabbb"), "month": list(months(3)) * 2},
                                         y="y", x="month", by="ward", chart="i", target=4.0,
                                         direction="increase").to_json()),
    "funnel": (qi.FunnelResult, lambda: qi.funnel(y=[3, 5, 4, 9], n=[30, 40, 35, 50], grid_size=5).to_json()),
}


@settings(max_examples=150, deadline=None)
@given(which=st.sampled_from(sorted(_DOCUMENTS)), choice=st.data(), value=_JSON_VALUES, drop=st.booleans())
def test_mutated_result_documents_raise_only_input_error(which: str, choice: st.DataObject, value: object,
                                                         drop: bool) -> None:
    cls, make = _DOCUMENTS[which]
    doc = json.loads(make())
    path = choice.draw(st.sampled_from(_paths(doc)[1:]))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if drop and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    try:
        result = cls.from_json(json.dumps(doc))
    except qi.InputError as err:
        assert err.column and err.rule
    else:
        assert isinstance(result.points, pd.DataFrame)
