"""Every FunnelPlotR reference case of shared/reference reproduced with profile="funnelplotr":
per unit the limits in use at 95 and 99.8% (relative 1e-9), the outlier flags exactly, phi and
tau2 (relative 1e-9) where FunnelPlotR estimates them, and the whole drawing grid
(FunnelPlotR 0.6.0 outputs, see shared/reference/FunnelPlotR/README.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import reference_cases, requires_shared
from reference import case_arguments, read_csv

import qiscope as qi

RTOL = 1e-9
CASES = reference_cases("funnel", "FunnelPlotR")
# FunnelPlotR's column names for the limits at 95% and 99.8%, unadjusted and adjusted.
UNIT_LIMITS = {False: ("LCL95", "UCL95", "LCL99", "UCL99"), True: ("OD95LCL", "OD95UCL", "OD99LCL", "OD99UCL")}
GRID_LIMITS = {False: ("ll95", "ul95", "ll998", "ul998"), True: ("odll95", "odul95", "odll998", "odul998")}
OURS = ("lcl_95", "ucl_95", "lcl_99_8", "ucl_99_8")


def close(actual: pd.Series | np.ndarray, expected: pd.Series | np.ndarray, what: str) -> None:
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=RTOL, atol=1e-13, err_msg=what)


def run_case(case: dict) -> tuple[qi.FunnelResult, pd.DataFrame]:
    data, args = case_arguments(case)
    res = qi.funnel(data, **args)
    expected = read_csv(case["files"]["expected"])
    expected["group"] = expected["group"].astype(str)
    points = res.points.assign(group=res.points["group"].astype(str))
    points = points.set_index("group").loc[expected["group"]].reset_index()
    return res, points.assign(expected_index=expected.index), expected


@requires_shared
@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_funnelplotr_case(case: dict) -> None:
    res, points, expected = run_case(case)
    multiplier = case["tool_settings"]["multiplier"]
    adjusted = bool(expected["draw_adjusted"].iloc[0])
    assert res.adjusted == adjusted
    assert len(points) == len(expected)
    close(points["y"], expected["numerator"], "numerator")
    close(points["n"], expected["denominator"], "denominator")
    close(points["value"], expected["rr"] * multiplier, "value")
    for ours, theirs in zip(OURS, UNIT_LIMITS[adjusted], strict=True):
        close(points[ours], expected[theirs], ours)
    np.testing.assert_array_equal(points["outlier"].to_numpy(), expected["outlier"].to_numpy() == 1,
                                  err_msg="outlier")
    close(points["z"], expected["Uzscore"], "z")
    close(points["z_winsorised"].fillna(-999), expected["Wuzscore"].fillna(-999), "z_winsorised")
    if case["compare"]["phi_tau2"]:
        close([res.phi, res.tau2], [expected["phi"].iloc[0], expected["tau2"].iloc[0]], "phi, tau2")
    else:  # FunnelPlotR reports 0 for both when adjustment is off
        assert (res.phi, res.tau2) == (0.0, 0.0)


@requires_shared
@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_funnelplotr_drawing_grid(case: dict) -> None:
    res, _, expected = run_case(case)
    grid = read_csv(case["files"]["limits"])
    adjusted = bool(expected["draw_adjusted"].iloc[0])
    assert len(res.limits) == len(grid)
    close(res.limits["n"], grid["number_seq"], "n")
    for ours, theirs in zip(OURS, GRID_LIMITS[adjusted], strict=True):
        close(res.limits[ours], grid[theirs], ours)
    if adjusted:
        for ours, theirs in zip(OURS, GRID_LIMITS[False], strict=True):
            close(res.limits[f"{ours}_unadjusted"], grid[theirs], f"{ours}_unadjusted")
