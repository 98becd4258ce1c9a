"""point_columns=: a subset of the points table, with exactly the values of the full table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import qiscope as qi
from qiscope import _core
from qiscope._schema import LEAN_POINT_COLUMNS, POINT_COLUMNS


def table(seed: int = 4, units: int = 9, months: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = units * months
    n = rng.integers(20, 300, rows).astype(float)
    frame = pd.DataFrame({
        "trust": np.repeat([f"T{u}" for u in range(units)], months),
        "month": np.tile(pd.date_range("2020-01-01", periods=months, freq="MS"), units),
        "events": rng.binomial(n.astype(int), 0.2).astype(float),
        "cases": n,
        "goal": 0.18 + rng.integers(0, 2, rows) / 100,
    })
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


OPTIONS = dict(y="events", n="cases", x="month", by="trust", chart="p", part=[15], target="goal",
               direction="decrease")
SUBSETS = {
    "lean": "lean",
    "limits": ["cl", "lcl", "ucl"],
    "flags_and_gap": ["x_gap", "special_cause", "rules", "point_type", "target"],
    "listed_x_and_by": ["trust", "x", "value", "n_rows", "x_gap", "lcl_95"],
}


@pytest.mark.parametrize("name", list(SUBSETS), ids=list(SUBSETS))
def test_selects_exactly_the_asked_columns_with_the_full_tables_values(name: str) -> None:
    data = table()
    full = qi.spc(data, **OPTIONS)
    asked = SUBSETS[name]
    part = qi.spc(data, **OPTIONS, point_columns=asked)
    names = list(LEAN_POINT_COLUMNS) if asked == "lean" else [c for c in asked if c not in ("trust", "x")]
    expected = ["trust", "x", *(c for c in full.points.columns if c in names)]
    assert list(part.points.columns) == expected
    pd.testing.assert_frame_equal(part.points, full.points[expected], check_exact=True)
    pd.testing.assert_frame_equal(part.summary, full.summary, check_exact=True)
    assert part.spec["point_columns"] == [c for c in expected if c not in ("trust", "x")]
    assert "point_columns" not in full.spec  # the default result is unchanged


def test_default_is_every_column() -> None:
    res = qi.spc(table(), **OPTIONS)
    assert list(res.points.columns) == ["trust", "x", *POINT_COLUMNS, "target"]


def test_core_batches_do_not_change_the_numbers() -> None:
    # The binding's batch size, forced tiny: each of the core's arrays is bit-identical.
    rng = np.random.default_rng(1)
    y = rng.normal(10, 2, 5000)
    series = np.repeat(np.arange(50, dtype=np.int64), 100)
    spec = '{"chart": "i", "part": [30], "freeze": 20}'
    whole = _core.spc.compute(spec, y, series=series)
    for batch in (1, 33, 1000):
        parts = _core.spc.compute(spec, y, series=series, batch_points=batch)
        for table_name in ("points", "phases"):
            assert whole[table_name].keys() == parts[table_name].keys()
            for column, values in whole[table_name].items():
                np.testing.assert_array_equal(parts[table_name][column], values, strict=True)


@pytest.mark.parametrize("bad", [["value", "ucl_99"], ["row"], "thin", 5, [3]])
def test_unknown_names_are_input_errors(bad: object) -> None:
    with pytest.raises(qi.InputError) as err:
        qi.spc(table(), **OPTIONS, point_columns=bad)
    assert err.value.column == "point_columns"


def test_the_core_names_point_columns_too() -> None:
    with pytest.raises(qi.InputError) as err:
        _core.spc.compute('{"chart": "i"}', np.arange(5.0), point_columns=["value", "nope"])
    assert err.value.column == "point_columns"
    assert "nope" in str(err.value)


def test_json_round_trip_of_a_reduced_result() -> None:
    res = qi.spc(table(), **OPTIONS, point_columns="lean")
    back = qi.SPCResult.from_json(res.to_json())
    pd.testing.assert_frame_equal(back.points, res.points, check_exact=True)
    pd.testing.assert_frame_equal(back.summary, res.summary, check_exact=True)
    assert back.spec == res.spec


def test_json_of_a_reduced_result_still_checks_its_columns() -> None:
    res = qi.spc(table(), **OPTIONS, point_columns=["value", "cl"])
    text = res.to_json().replace('"cl"', '"centre"')
    with pytest.raises(qi.InputError):
        qi.SPCResult.from_json(text)


def test_plot_and_repr_of_a_reduced_result() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    data = table()
    lean = qi.spc(data, **OPTIONS, point_columns="lean")
    with pytest.raises(qi.InputError) as err:
        lean.plot()
    assert err.value.column == "point_columns"
    html = lean._repr_html_()
    assert "No chart" in html and 'id="figure_1"' not in html
    assert "T0" in html  # the summary is still shown
    assert repr(lean).startswith("<SPCResult chart='p' series=9 points=360")

    # What plot() draws is enough: the other columns may be left out.
    drawn = ["y", "n", "value", "phase", "baseline", "excluded", "cl", "lcl", "ucl", "lcl_95", "ucl_95",
             "sigma_signal", "special_cause", "point_type", "rules"]
    enough = qi.spc(data, **OPTIONS, point_columns=drawn)
    axes = enough.plot()
    assert axes.shape[0] * axes.shape[1] >= 9
    assert 'id="figure_1"' in enough._repr_html_()
    plt.close("all")


def test_dask_passes_point_columns_through() -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    from qiscope import dask as qdask

    data = table()
    ddf = dd.from_pandas(data, npartitions=3)
    lazy = qdask.spc(ddf, **OPTIONS, point_columns=["value", "special_cause"])
    assert list(lazy.points.columns) == ["trust", "x", "value", "special_cause"]
    with dask.config.set(scheduler="synchronous"):
        got = lazy.compute()
    expected = qi.spc(ddf.compute(), **OPTIONS, point_columns=["value", "special_cause"])
    pd.testing.assert_frame_equal(got.points, expected.points, check_exact=True)
    with pytest.raises(qi.InputError):
        qdask.spc(ddf, **OPTIONS, point_columns=["nope"])
