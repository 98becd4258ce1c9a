"""Chart structure, not pixels: which lines are drawn, in which colours, with which labels.

Every artist qiscope draws has a gid naming it (``qiscope-cl``, ``qiscope-points-concern``, ...);
the expected values come from the result's own tables or from the inputs, never from the
drawing code.
"""

from __future__ import annotations

import sys

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import qiscope as qi
from qiscope.plot import COLOURS

# 20 values around 10 with one far above (position 12): 3-sigma signal on an I chart.
Y = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 11, 9, 30, 10, 9, 11, 10, 12, 9, 10]
MONTHS = pd.date_range("2024-01-01", periods=len(Y), freq="MS")


def by_gid(ax, gid: str) -> list:
    return [a for a in ax.get_children() if a.get_gid() == gid]


def scatter_points(ax, gid: str) -> np.ndarray:
    (col,) = by_gid(ax, gid)
    return np.asarray(col.get_offsets())


def test_lines_and_limits_of_a_single_chart() -> None:
    res = qi.spc(y=Y, x=MONTHS, chart="i")
    ax = res.plot()
    assert len(by_gid(ax, "qiscope-data")) == 1
    (cl,) = by_gid(ax, "qiscope-cl")
    (ucl,) = by_gid(ax, "qiscope-ucl")
    (lcl,) = by_gid(ax, "qiscope-lcl")
    np.testing.assert_array_equal(cl.get_ydata(), res.points["cl"])
    np.testing.assert_array_equal(ucl.get_ydata(), res.points["ucl"])
    np.testing.assert_array_equal(lcl.get_ydata(), res.points["lcl"])
    assert ucl.get_linestyle() == "-"
    assert to_hex(cl.get_color()) == COLOURS["cl"]
    assert by_gid(ax, "qiscope-ucl_95") == []  # 2-sigma limits only when asked


def test_two_sigma_limits_are_dashed_when_asked() -> None:
    res = qi.spc(y=Y, chart="i")
    ax = res.plot(show_95=True)
    (u95,) = by_gid(ax, "qiscope-ucl_95")
    (l95,) = by_gid(ax, "qiscope-lcl_95")
    assert u95.get_linestyle() == "--" and l95.get_linestyle() == "--"
    np.testing.assert_array_equal(u95.get_ydata(), res.points["ucl_95"])


@pytest.mark.parametrize(("direction", "meaning"), [("increase", "improvement"), ("decrease", "concern"),
                                                    (None, "neutral")])
def test_special_cause_points_are_coloured_by_meaning(direction: str | None, meaning: str) -> None:
    res = qi.spc(y=Y, chart="i", direction=direction)
    assert res.points["sigma_signal"].tolist() == [i == 12 for i in range(len(Y))]  # the outlier only
    ax = res.plot()
    flagged = scatter_points(ax, f"qiscope-points-{meaning}")
    np.testing.assert_array_equal(flagged, [[13, 30]])  # x is the 1-based position without x
    (col,) = by_gid(ax, f"qiscope-points-{meaning}")
    assert to_hex(col.get_facecolor()[0]) == COLOURS[meaning]
    common = scatter_points(ax, "qiscope-points-common_cause")
    assert len(common) == len(Y) - 1
    others = {"improvement", "concern", "neutral"} - {meaning}
    assert all(by_gid(ax, f"qiscope-points-{k}") == [] for k in others)
    assert "1 point outside the limits" in ax.get_title(loc="left")


def test_mdc_palette() -> None:
    # NHSRplotthedots' ptd_spc_colours (shared/design/spc-spec.md §3.4)
    assert COLOURS["common_cause"] == "#a6a6a6"
    assert COLOURS["improvement"] == "#00b0f0"
    assert COLOURS["concern"] == "#e46c0a"
    assert COLOURS["neutral"] == "#490092"
    assert COLOURS["target"] == "#de1b1b"


def test_excluded_points_are_hollow() -> None:
    res = qi.spc(y=Y, chart="i", exclude=[3, 12], direction="increase")
    ax = res.plot()
    (col,) = by_gid(ax, "qiscope-points-excluded")
    np.testing.assert_array_equal(col.get_offsets(), [[4, Y[3]], [13, Y[12]]])
    assert all(to_hex(c) == "#ffffff" for c in col.get_facecolor())
    # The edge tells what the point would mean: the outlier is still beyond the limits.
    expected = ["improvement" if s else "common_cause"
                for s in res.points.loc[[3, 12], "special_cause"]]
    assert [to_hex(c) for c in col.get_edgecolor()] == [COLOURS[k] for k in expected]
    filled = [a for a in ax.get_children()
              if str(a.get_gid()).startswith("qiscope-points-") and a.get_gid() != "qiscope-points-excluded"]
    assert sum(len(a.get_offsets()) for a in filled) == len(Y) - 2  # every other point drawn once


def test_phases_are_separate_segments_with_labels() -> None:
    res = qi.spc(y=Y, x=MONTHS, chart="i", part=[8, 14])
    ax = res.plot()
    cls = by_gid(ax, "qiscope-cl")
    assert len(cls) == 3
    assert [len(line.get_xdata()) for line in cls] == [8, 6, 6]
    for line, (_, phase) in zip(cls, res.summary.iterrows(), strict=True):
        assert set(line.get_ydata()) == {phase["cl"]}
    assert len(by_gid(ax, "qiscope-phase-break")) == 2
    assert [t.get_text() for t in by_gid(ax, "qiscope-phase-label")] == ["Phase 1", "Phase 2", "Phase 3"]
    assert len(by_gid(ax, "qiscope-data")) == 3  # the data line breaks between phases too

    named = res.plot(phase_labels=["baseline", "checklist", "huddles"])
    assert [t.get_text() for t in by_gid(named, "qiscope-phase-label")] == ["baseline", "checklist", "huddles"]


def test_phase_labels_from_a_part_column() -> None:
    data = pd.DataFrame({"y": Y, "month": MONTHS, "stage": ["before"] * 10 + ["after PDSA 1"] * 10})
    res = qi.spc(data, y="y", x="month", part="stage", chart="i")
    assert res.summary["phase_name"].tolist() == ["before", "after PDSA 1"]
    ax = res.plot()
    assert [t.get_text() for t in by_gid(ax, "qiscope-phase-label")] == ["before", "after PDSA 1"]


def test_frozen_baseline_is_shaded() -> None:
    res = qi.spc(y=Y, x=MONTHS, chart="i", freeze=10)
    ax = res.plot()
    (span,) = by_gid(ax, "qiscope-baseline")
    x0, x1 = span.get_x(), span.get_x() + span.get_width()
    xs = mdates.date2num(MONTHS)
    assert x0 == pytest.approx(xs[0])
    assert x1 == pytest.approx((xs[9] + xs[10]) / 2)  # half-way to the first point after the baseline
    assert "Baseline (frozen limits)" in ax.get_legend_handles_labels()[1]
    assert by_gid(qi.spc(y=Y, chart="i").plot(), "qiscope-baseline") == []


def test_target_line_scalar_and_column() -> None:
    ax = qi.spc(y=Y, chart="i", target=10.5).plot()
    (line,) = by_gid(ax, "qiscope-target")
    assert set(line.get_ydata()) == {10.5}
    assert to_hex(line.get_color()) == COLOURS["target"]

    data = pd.DataFrame({"y": Y, "goal": [12.0] * 10 + [11.0] * 10})
    res = qi.spc(data, y="y", chart="i", target="goal")
    np.testing.assert_array_equal(res.points["target"], data["goal"])
    (line,) = by_gid(res.plot(), "qiscope-target")
    np.testing.assert_array_equal(line.get_ydata(), data["goal"])


def test_target_column_takes_the_last_target_of_a_point() -> None:
    # Two rows per month; the target of a month is the last one given (as the core uses it).
    data = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "m": [1, 1, 2, 2, 3, 3],
                         "goal": [1.0, np.nan, 2.0, 3.0, np.nan, np.nan]})
    res = qi.spc(data, y="y", x="m", chart="run", target="goal")
    np.testing.assert_array_equal(res.points["target"], [1.0, 3.0, np.nan])


def test_dates_on_the_axis() -> None:
    ax = qi.spc(y=Y, x=MONTHS, chart="i").plot()
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    (data,) = by_gid(ax, "qiscope-data")
    np.testing.assert_array_equal(mdates.date2num(data.get_xdata()), mdates.date2num(MONTHS))


def test_categorical_x_is_dots_with_labels() -> None:
    units = [f"ward {c}" for c in "ABCDEFGHIJKLMNOPQRST"]
    res = qi.spc(y=Y, x=units, chart="i")
    ax = res.plot()
    assert [t.get_text() for t in ax.get_xticklabels()] == units
    assert by_gid(ax, "qiscope-data") == []  # units are not a time series: no connecting line


def test_subtitle_names_chart_and_signals() -> None:
    # 12 points above the median then 12 below: a long run (Anhøj).
    y = [5 + (i % 3) for i in range(12)] + [1 + (i % 3) for i in range(12)]
    res = qi.spc(y=y, chart="run")
    s = res.summary.iloc[0]
    assert bool(s["runs_signal"])
    title = res.plot().get_title(loc="left")
    assert title.startswith("Run chart · ")
    assert f"long run ({s['longest_run']} > {s['longest_run_max']})" in title
    assert qi.spc(y=Y[:12], chart="i").plot().get_title(loc="left") == "I chart (XmR) · no signals"


def test_y_label_says_what_is_plotted() -> None:
    data = pd.DataFrame({"falls": [3, 4, 5, 4], "bed_days": [900, 1000, 1100, 950]})
    ax = qi.spc(data, y="falls", n="bed_days", chart="i", multiply=1000).plot()
    assert ax.get_ylabel() == "falls / bed_days × 1000"


def small_multiples_data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    wards = ["A", "B", "C", "D", "E"]
    return pd.DataFrame({
        "ward": np.repeat(wards, 15),
        "month": np.tile(pd.date_range("2024-01-01", periods=15, freq="MS"), len(wards)),
        "y": rng.normal(10, 1, 15 * len(wards)),
    })


def test_by_gives_small_multiples_with_shared_styling() -> None:
    res = qi.spc(small_multiples_data(), y="y", x="month", by="ward", chart="i")
    axes = res.plot(ncols=2)
    assert axes.shape == (3, 2)
    visible = [a for a in axes.flat if a.get_visible()]
    assert len(visible) == 5
    assert [a.get_title(loc="left").splitlines()[0] for a in visible] == ["A", "B", "C", "D", "E"]
    assert not axes.flat[5].get_visible()
    for a in visible:
        (cl,) = by_gid(a, "qiscope-cl")
        assert to_hex(cl.get_color()) == COLOURS["cl"]
        assert a.get_legend() is None
    fig = axes.flat[0].figure
    assert len(fig.legends) == 1  # one legend for the grid
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[0] == "Common cause" and len(labels) == len(set(labels))


def test_series_selects_and_by_is_always_a_grid() -> None:
    res = qi.spc(small_multiples_data(), y="y", x="month", by="ward", chart="i")
    assert res.plot(series="C").shape == (1, 1)
    axes = res.plot(series=["B", "D"])
    assert axes.shape == (1, 2)
    assert [a.get_title(loc="left").splitlines()[0] for a in axes.flat] == ["B", "D"]
    with pytest.raises(qi.InputError, match="no series 'Z'"):
        res.plot(series="Z")


def test_by_draws_into_given_axes() -> None:
    res = qi.spc(small_multiples_data(), y="y", x="month", by="ward", chart="i")
    fig, axes = plt.subplots(1, 5)
    out = res.plot(ax=axes)
    assert all(a.figure is fig for a in out.flat)
    with pytest.raises(qi.InputError, match="2 Axes but the result has 5 series"):
        res.plot(ax=axes[:2])


def test_single_chart_draws_into_given_axes() -> None:
    fig, ax = plt.subplots()
    assert qi.spc(y=Y, chart="i").plot(ax=ax) is ax


def test_unknown_backend() -> None:
    with pytest.raises(qi.InputError, match="unknown plot backend 'bokeh'"):
        qi.spc(y=Y, chart="i").plot(backend="bokeh")


# -- plotly ---------------------------------------------------------------------------------------
def traces(fig, name: str) -> list:
    return [t for t in fig.data if t.name == name]


def test_plotly_figure_with_hover_details() -> None:
    go = pytest.importorskip("plotly.graph_objects")
    res = qi.spc(y=Y, x=MONTHS, chart="i", direction="increase", target=10.5)
    fig = res.plot(backend="plotly")
    assert isinstance(fig, go.Figure)
    (flagged,) = traces(fig, "Special cause: improvement")
    assert flagged.marker.color == COLOURS["improvement"]
    assert list(flagged.y) == [30.0]
    (hover,) = flagged.hovertext
    p = res.points.iloc[12]
    assert f"value: {p['value']:.4g}" in hover
    assert f"limits: {p['lcl']:.4g} to {p['ucl']:.4g}" in hover
    assert "rules: sigma" in hover
    assert len(traces(fig, "Target")) == 1
    names = [t.name for t in fig.data if t.showlegend]
    assert len(names) == len(set(names))  # each legend entry once


def test_plotly_small_multiples() -> None:
    pytest.importorskip("plotly")
    res = qi.spc(small_multiples_data(), y="y", x="month", by="ward", chart="i", exclude=[2])
    fig = res.plot(backend="plotly", ncols=3)
    assert [a.text.split("<br>")[0] for a in fig.layout.annotations[:5]] == ["A", "B", "C", "D", "E"]
    assert len(traces(fig, "Centre line")) == 5
    excluded = traces(fig, "Excluded from calculations")
    assert len(excluded) == 5 and all(t.marker.color == "white" for t in excluded)
    assert sum(t.showlegend for t in excluded) == 1


def test_plotly_rejects_matplotlib_options() -> None:
    pytest.importorskip("plotly")
    fig, ax = plt.subplots()
    with pytest.raises(qi.InputError, match="matplotlib option"):
        qi.spc(y=Y, chart="i").plot(ax=ax, backend="plotly")


def test_plotly_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "plotly", None)
    monkeypatch.setitem(sys.modules, "plotly.graph_objects", None)
    with pytest.raises(ImportError, match=r"pip install 'qiscope\[plotly\]'"):
        qi.spc(y=Y, chart="i").plot(backend="plotly")


def test_series_without_values_keeps_its_dates() -> None:
    res = qi.spc(y=[np.nan] * 6, x=MONTHS[:6], chart="i")
    ax = res.plot()
    assert len(by_gid(ax, "qiscope-no-values")) == 1
    left, right = ax.get_xlim()
    assert (left, right) == pytest.approx((mdates.date2num(MONTHS[0]), mdates.date2num(MONTHS[5])))


def test_display_columns_survive_json() -> None:
    data = pd.DataFrame({"y": Y, "month": MONTHS, "stage": ["before"] * 10 + ["after"] * 10,
                         "goal": [11.0] * 20})
    res = qi.spc(data, y="y", x="month", part="stage", target="goal", chart="i")
    again = qi.SPCResult.from_json(res.to_json())
    assert again.points.equals(res.points) and again.summary.equals(res.summary)
    assert again.summary["phase_name"].tolist() == ["before", "after"]
    assert [t.get_text() for t in by_gid(again.plot(), "qiscope-phase-label")] == ["before", "after"]


# -- funnel plots -----------------------------------------------------------------------------------------
FUNNEL_UNITS = pd.DataFrame({"trust": [f"T{i:02d}" for i in range(8)],
                             "deaths": [12.0, 30, 7, 45, 60, 18, 9, 25],
                             "cases": [100.0, 240, 80, 300, 250, 150, 120, 200]})


def test_funnel_plotly_has_limits_target_and_hover_per_unit() -> None:
    go = pytest.importorskip("plotly.graph_objects")
    f = qi.funnel(FUNNEL_UNITS, y="deaths", n="cases", by="trust", multiply=100)
    assert f.points["outlier"].any() and not f.points["outlier"].all()
    fig = f.plot(backend="plotly")
    assert isinstance(fig, go.Figure)
    names = [t.name for t in fig.data]
    assert names == ["95% limits", "95% limits", "99.8% limits", "99.8% limits", "target", "unit", "outlier"]
    # Each pair of limits is one legend entry and follows the result's grid exactly.
    assert [t.showlegend for t in fig.data[:4]] == [True, False, True, False]
    np.testing.assert_array_equal(fig.data[2].y, f.limits["lcl_99_8"])
    np.testing.assert_array_equal(fig.data[3].y, f.limits["ucl_99_8"])
    assert fig.data[0].line.dash == "dash" and fig.data[2].line.dash == "solid"
    assert tuple(fig.data[4].y) == (f.target, f.target)
    # Every unit is drawn once, with its own hover text; outliers are named on the chart.
    units, outliers = fig.data[5], fig.data[6]
    assert len(units.x) + len(outliers.x) == len(f.points)
    flagged = f.points[f.points["outlier"]]
    assert list(outliers.text) == flagged["trust"].tolist()
    np.testing.assert_array_equal(outliers.y, flagged["value"])
    first = flagged.iloc[0]
    hover = outliers.hovertext[0]
    assert hover.startswith(f"<b>{first['trust']}</b>")
    assert f"y / n: {first['y']:.4g} / {first['n']:.4g}" in hover
    assert f"99.8% limits: {first['lcl_99_8']:.4g} to {first['ucl_99_8']:.4g}" in hover
    assert "outside the limits" in hover and "within the limits" in units.hovertext[0]
    assert fig.layout.xaxis.title.text == "Cases" and fig.layout.yaxis.title.text == "Proportion (%)"
    assert fig.layout.title.text.startswith(f"Funnel plot - 8 units, {len(flagged)} outlier")


def test_funnel_plotly_unadjusted_limits_and_options() -> None:
    pytest.importorskip("plotly")
    f = qi.funnel(FUNNEL_UNITS, y="deaths", n="cases", by="trust", overdispersion="multiplicative")
    assert f.adjusted
    fig = f.plot(backend="plotly", show_unadjusted=True, label_outliers=False, title="Mortality", height=600)
    assert [t.name for t in fig.data[:4]] == ["95% limits (overdispersion-adjusted)"] * 2 + [
        "95% limits (unadjusted)"] * 2
    np.testing.assert_array_equal(fig.data[2].y, f.limits["lcl_95_unadjusted"])
    assert fig.layout.height == 600 and fig.layout.title.text == "Mortality"
    assert all(t.text is None for t in fig.data if t.mode and "markers" in t.mode)
    with pytest.raises(qi.InputError, match="ax= is a matplotlib option"):
        f.plot(ax=plt.subplots()[1], backend="plotly")
    with pytest.raises(qi.InputError) as err:
        f.plot(backend="bokeh")
    assert err.value.rule == "unknown_name"


def test_funnel_matplotlib_without_pyplot() -> None:
    f = qi.funnel(FUNNEL_UNITS, y="deaths", n="cases", by="trust")
    before = plt.get_fignums()
    ax = f.plot(pyplot=False)
    assert plt.get_fignums() == before  # made without pyplot, as for HTML output
    upper = ax.get_ylim()[1]
    assert upper <= 1.02 and upper >= f.limits.loc[f.limits["n"] >= 80, "ucl_99_8"].max()
