"""Every SPC reference case of shared/reference reproduced: limits to 1e-9 (relative), signals
exactly (qicharts2 0.8.1 and NHSRplotthedots 0.2.2 outputs, see shared/reference/README.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import reference_cases, requires_shared
from reference import case_arguments, read_csv

import qiscope as qi

# What the engine implements so far; the other cases are reported as skipped with the reason.
IMPLEMENTED_CHARTS = {"run", "i", "mr", "xbar", "s", "p", "np", "c", "u", "pp", "up", "g", "t", "ip"}
IMPLEMENTED_RULES = {"anhoej", "ihi", "mdc", "western_electric", "nelson"}

RTOL = 1e-9


def _skip_unimplemented(case: dict) -> None:
    args = case["args"]
    if args.get("chart") not in IMPLEMENTED_CHARTS:
        pytest.skip(f"chart {args.get('chart')!r} is not implemented yet (issue #3)")
    if args.get("rules", "anhoej") not in IMPLEMENTED_RULES:
        pytest.skip(f"rule set {args.get('rules')!r} is not implemented yet (issue #3)")


def assert_close(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected), err_msg=f"{what}: missing values differ")
    ok = ~np.isnan(expected)
    np.testing.assert_allclose(actual[ok], expected[ok], rtol=RTOL, atol=1e-12, err_msg=what)


QICHARTS2 = reference_cases("spc", "qicharts2")


@requires_shared
@pytest.mark.parametrize("case", QICHARTS2, ids=[c["case"] for c in QICHARTS2])
def test_qicharts2_case(case: dict) -> None:
    _skip_unimplemented(case)
    data, args = case_arguments(case)
    res = qi.spc(data, **args)
    expected = read_csv(case["files"]["expected"])
    by = args.get("by") or []
    by = [by] if isinstance(by, str) else list(by)
    facet_cols = [c for c in ("facet1", "facet2") if c in expected.columns][: len(by)]
    keys = [*facet_cols, "xx"]
    expected = expected.sort_values(keys, kind="stable").reset_index(drop=True)
    pts = res.points.copy()
    pts["xx"] = pts.groupby(by, sort=False).cumcount() + 1 if by else np.arange(len(pts)) + 1
    for fc, b in zip(facet_cols, by, strict=True):
        pts[fc] = pts[b].astype(str)
        expected[fc] = expected[fc].astype(str)
    pts = pts.sort_values(keys, kind="stable").reset_index(drop=True)
    assert len(pts) == len(expected)
    if pd.api.types.is_datetime64_any_dtype(expected["x"]):
        assert (pd.to_datetime(pts["x"]).to_numpy() == expected["x"].to_numpy()).all()
    assert_close(pts["value"], expected["y"], "value")
    for ours, theirs in (("cl", "cl"), ("lcl", "lcl"), ("ucl", "ucl"), ("lcl_95", "lcl.95"), ("ucl_95", "ucl.95")):
        assert_close(pts[ours], expected[theirs], ours)
    np.testing.assert_array_equal(pts["sigma_signal"], expected["sigma.signal"], err_msg="sigma_signal")
    np.testing.assert_array_equal(pts["runs_signal"], expected["runs.signal"], err_msg="runs_signal")
    np.testing.assert_array_equal(pts["phase"], expected["part"], err_msg="phase")
    np.testing.assert_array_equal(pts["baseline"], expected["baseline"], err_msg="baseline")
    np.testing.assert_array_equal(~pts["excluded"], expected["include"], err_msg="include")

    # Per phase: the runs analysis.
    per_phase = expected.groupby([*facet_cols, "part"], sort=True).first().reset_index()
    summ = res.summary.copy()
    for fc, b in zip(facet_cols, by, strict=True):
        summ[fc] = summ[b].astype(str)
    summ = summ.rename(columns={"phase": "part"}).sort_values([*facet_cols, "part"]).reset_index(drop=True)
    per_phase = per_phase.sort_values([*facet_cols, "part"]).reset_index(drop=True)
    for ours, theirs in (("longest_run", "longest.run"), ("longest_run_max", "longest.run.max"),
                         ("n_crossings", "n.crossings"), ("n_crossings_min", "n.crossings.min"),
                         ("n_points", "n.useful"), ("n_obs", "n.obs")):
        assert_close(summ[ours].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                     per_phase[theirs], ours)


PTD = reference_cases("spc", "NHSRplotthedots")
_POINT_TYPE = {
    "common_cause": "common_cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "neutral",
    "special_cause_neutral_low": "neutral",
}


@requires_shared
@pytest.mark.parametrize("case", PTD, ids=[c["case"] for c in PTD])
def test_nhsrplotthedots_case(case: dict) -> None:
    _skip_unimplemented(case)
    data, args = case_arguments(case)
    res = qi.spc(data, **args)
    expected = read_csv(case["files"]["expected"])
    summary = read_csv(case["files"]["summary"])
    by = args.get("by")
    pts = res.points
    if by:
        pts = pts.assign(f=pts[by].astype(str))
        expected = expected.sort_values(["f", "x"], kind="stable").reset_index(drop=True)
        pts = pts.sort_values(["f", "x"], kind="stable").reset_index(drop=True)
    assert len(pts) == len(expected)
    assert_close(pts["cl"], expected["mean_col"], "cl")
    assert_close(pts["lcl"], expected["lpl"], "lcl")
    assert_close(pts["ucl"], expected["upl"], "ucl")
    np.testing.assert_array_equal(pts["phase"] - 1, expected["rebase_group"], err_msg="phase")
    np.testing.assert_array_equal(pts["special_cause"], expected["special_cause_flag"], err_msg="special_cause")
    np.testing.assert_array_equal(pts["point_type"].astype(str), expected["point_type"].map(_POINT_TYPE),
                                  err_msg="point_type")
    # Icons: one per facet, on the summary row of its last phase.
    last = res.summary.groupby(by, sort=False).tail(1) if by else res.summary.tail(1)
    icons = summary.dropna(subset=["variation_icon"]).drop_duplicates("f")
    got = dict(zip(last[by].astype(str) if by else ["no facet"], zip(last["variation"].astype(object),
               last["assurance"].astype(object), strict=True), strict=True))
    for rec in icons.itertuples(index=False):
        variation, assurance = got[rec.f]
        assert variation == rec.variation_icon
        want = {"inconsistent": "hit_and_miss"}.get(rec.assurance_icon, rec.assurance_icon)
        assert (None if pd.isna(assurance) else assurance) == (None if pd.isna(want) else want)
