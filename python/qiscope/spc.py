"""Statistical process control: ``qi.spc()`` and its result.

Choosing a chart
----------------
========================  ==========================================================
your data                 chart
========================  ==========================================================
any measure over time     ``"run"`` (median, Anhøj rules) - the place to start
one measurement a period  ``"i"`` (alias ``"xmr"``) and ``"mr"`` for its moving ranges
several per period        ``"xbar"`` and ``"s"`` (rows sharing one x form a subgroup)
events of n cases         ``"p"`` (proportion), ``"np"``; ``"pp"`` for large n (Laney)
counts                    ``"c"`` (same opportunity), ``"u"`` per exposure; ``"up"``
rare events               ``"g"`` (cases between events), ``"t"`` (time between)
means of unequal groups   ``"ip"`` (Taylor's I' chart: y / n with group sizes n)
small sustained shifts    ``"ewma"`` or ``"cusum"`` (measurements; rows sharing x form
                          a subgroup)
one 0/1 outcome per case  ``"bernoulli_cusum"`` (against one in-control rate),
                          ``"ra_cusum"`` and ``"vlad"`` (against each case's ``risk``)
========================  ==========================================================

The time-weighted charts (the last two rows) accumulate evidence over the points of a phase
and signal only at their own limits: no runs analysis and no rule set. Two-sided CUSUMs
report the upper statistic in ``value`` (tested against ``ucl``) and the lower one, drawn at
or below zero, in ``value_lower`` (tested against ``lcl``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._arrow import is_arrow_table, narrow
from ._directions import series_directions
from ._frames import Column, XAxis, as_frame, factorize_x, group_codes, numeric, resolve
from ._gaps import x_gaps
from ._options import plain_spec
from ._schema import POINT_COLUMNS, point_columns_of, points_frame, summary_frame
from ._serial import _frame_from_json, _frame_to_json, _load_document, _reading, _require_columns
from .errors import InputError

__all__ = ["SPCResult", "spc"]

_RULE_BITS = {
    "sigma": 1 << 0,
    "long_run": 1 << 1,
    "few_crossings": 1 << 2,
    "shift": 1 << 3,
    "trend": 1 << 4,
    "runs_count": 1 << 5,
    "two_of_three": 1 << 6,
    "four_of_five": 1 << 7,
    "one_side": 1 << 8,
    "alternating": 1 << 9,
    "hugging": 1 << 10,
    "mixture": 1 << 11,
}

_PROFILE_RULES = {"ptd": "mdc", "mdc_excel": "mdc", "qcc": "western_electric"}
_TIME_WEIGHTED = {"ewma", "cusum", "bernoulli_cusum", "ra_cusum", "vlad"}
# Spec keys the caller knows by another keyword (for error messages).
_KEYWORDS = {"lambda": "lam", "trend_ties_break": "trend_ties", "rule_numbers": "tests"}
# Columns a result document must have for SPCResult's methods (plot, report) to work.
_POINT_COLUMNS = ("x", "y", "n", "value", "phase", "cl", "lcl", "ucl", "lcl_95", "ucl_95", "sigma_signal",
                  "runs_signal", "signal_member", "special_cause", "point_type", "rules")
#: The point columns plot() draws (a result computed with fewer point_columns cannot be drawn).
_PLOT_COLUMNS = ("x", "y", "n", "value", "phase", "baseline", "excluded", "cl", "lcl", "ucl", "lcl_95", "ucl_95",
                 "sigma_signal", "special_cause", "point_type", "rules")
_SUMMARY_COLUMNS = ("phase", "chart", "n_points", "cl", "lcl", "ucl", "runs_signal", "sigma_signal", "variation",
                    "assurance")


def _default_rules(chart: str, profile: str | None) -> str:
    """The rule set when none is asked for: a profile's own set applies to Shewhart charts;
    run charts keep Anhøj's rules and time-weighted charts signal at their own limits."""
    if chart == "run" or chart in _TIME_WEIGHTED:
        return "anhoej"
    return _PROFILE_RULES.get(profile or "", "anhoej")


def spc(
    data: Any = None,
    *,
    y: Any,
    n: Any = None,
    x: Any = None,
    chart: str = "run",
    multiply: float = 1,
    by: Any = None,
    part: Any = None,
    freeze: int | None = None,
    exclude: Any = None,
    rules: str | None = None,
    direction: str | Mapping[Any, str] | None = None,
    target: Any = None,
    profile: str | None = None,
    cl: float | None = None,
    agg: str = "mean",
    y_neg: bool = True,
    screen_mr: bool | None = None,
    d2: float | None = None,
    shift_n: int | None = None,
    trend_n: int | None = None,
    two_of_three: str | None = None,
    trend_ties: str | None = None,
    tests: int | Sequence[int] | None = None,
    flag_points: str | None = None,
    runs_method: str = "anhoej",
    confidence_level: float | None = None,
    x_categorical: bool | None = None,
    risk: Any = None,
    lam: float = 0.2,
    k: float = 0.5,
    h: float = 5.0,
    nsigmas: float = 3.0,
    center: float | None = None,
    sd: float | None = None,
    sd_method: str | None = None,
    head_start: float = 0.0,
    odds_ratio: float = 2.0,
    limit: float = 3.5,
    n_threads: int | None = None,
    point_columns: str | Sequence[str] | None = None,
) -> SPCResult:
    """Compute a control chart or run chart for one or many series.

    Choosing a chart
    ----------------
    Start with a run chart (``"run"``): it needs no assumption about the distribution. Then
    pick the control chart that matches how the data were made:

    ========================================  ==================================================
    your data (one value per period)          chart
    ========================================  ==================================================
    a measurement (minutes, days, a score)    ``"i"`` (XmR; ``"mr"`` for its moving ranges)
    several measurements per period           ``"xbar"`` and ``"s"`` (rows sharing x = subgroup)
    patients with / without something         ``"p"`` (y cases of n, y <= n); ``"np"``
    (a proportion of n)                       ``"pp"`` (Laney) when n is large (thousands)
    events counted over an exposure           ``"u"`` (y events per n bed days, ...); ``"up"``
    (a rate; y may exceed n)
    events in equal opportunity               ``"c"``
    rare events                               ``"g"`` (cases between), ``"t"`` (time between)
    means of groups of unequal size           ``"ip"`` (Taylor's I' chart: y / n)
    ========================================  ==================================================

    A proportion cannot exceed 1: if a numerator is above its denominator the data are a rate
    and the error says to use a u chart. Making Data Count uses ``"i"`` for every indicator.

    Parameters
    ----------
    data : DataFrame or mapping, optional
        The rows: a pandas, polars or pyarrow table, or a mapping of column names to arrays.
        ``y``, ``n``, ``x``, ``by`` name its columns, or are array-likes themselves.
    y : str or array-like
        The measure; with ``n``, the numerator.
    n : str or array-like, optional
        The denominator: cases for p, np and pp, exposure for u and up, group sizes for ip
        (default: the number of rows sharing x); for other charts y/n is charted. Not for
        xbar and s, whose subgroup sizes are the numbers of rows sharing x.
    x : str or array-like, optional
        Time or order (dates, numbers, pandas Periods) or units (text: categorical, no runs
        analysis). Text in which every value is an ISO 8601 date (``"2024-04"``,
        ``"2024-04-01"``), as read from a CSV file, is taken as dates; other text is
        categorical. Rows sharing one x are combined into one point: counts and denominators
        are summed, values are averaged (``agg``); for xbar and s they form the subgroup.
        With ``agg="none"`` every row is its own point (events: two on one day are two).
        Omitted: row order. The result keeps the x values (dates as datetime64).
    chart : str
        ``"run" "i" "mr" "xbar" "s" "p" "np" "c" "u" "pp" "up" "g" "t" "ip"``; ``"xmr"`` is
        ``"i"``; time-weighted ``"ewma" "cusum" "bernoulli_cusum" "ra_cusum" "vlad"``. See the
        module docstring for which to choose.
    multiply : float
        Scale for the plotted values and limits (for example 1000 for a rate per 1,000).
    by : str or list, optional
        Column(s) that split the data into series, all computed in one call. The result keeps
        their labels and dtypes (a categorical stays categorical, in its category order).
    part : list of int, list of x values, or str, optional
        Where new phases start: 0-based positions within each series, x values (the phase
        starts at that x), or a column of phase labels (a new phase where the label changes).
        Limits and rules restart in each phase.
    freeze : int, optional
        The number of leading points of each phase whose values form the baseline of the
        centre line and limits; later points are tested against them.
    exclude : list of int, or str/array of bool, optional
        Points (0-based positions within each series, or a boolean column) left out of every
        calculation but still reported.
    rules : str, optional
        ``"anhoej"`` (default), ``"ihi"``, ``"mdc"`` (NHS Making Data Count),
        ``"western_electric"``, ``"nelson"``. With a profile and no ``rules``: ``"ptd"`` and
        ``"mdc_excel"`` use ``"mdc"``, ``"qcc"`` uses ``"western_electric"`` rules 1 and 4 with a
        run of 7 (qcc 2.7). See the README for what each set tests.
    direction : str or mapping, optional
        ``"increase"`` or ``"decrease"``: which way is improvement (colours and icons). With
        ``by``, series may differ: a column name (``"increase"``, ``"decrease"``, ``"neutral"``
        or missing on each row, one value per series) or a mapping of series labels (tuples
        for several ``by`` columns) to directions; series it leaves out are neutral.
    target : float or str, optional
        A target (a number or a column), for the assurance icon.
    profile : str, optional
        Reproduce another tool exactly: ``"qicharts2"``, ``"ptd"`` (NHSRplotthedots),
        ``"mdc_excel"``, ``"qcc"``. None: qiscope's documented defaults (exact d2 = 2/sqrt(pi),
        no moving-range screening). Explicit options below override the profile.
    cl : float, optional
        A fixed centre line (on the plotted scale) instead of the computed one.
    agg : str
        How rows sharing one x are combined outside xbar/s: ``"mean"``, ``"median"``, ``"sum"``,
        or ``"none"``: every row is its own point, in input order within one x (each event of a
        g or t chart; qicharts2 averages them, its issue #47). Points then repeat x; ``part``
        at an x starts at its first row and ``exclude`` positions count points. Not for xbar
        and s, whose rows sharing x are the subgroup.
    y_neg : bool
        False: negative lower limits become 0 when every value is >= 0.
    screen_mr, d2, shift_n, trend_n, two_of_three, trend_ties
        Override the profile: screen moving ranges (Nelson 1982); the d2 constant; the lengths
        of a run on one side (IHI 6, MDC 7, Western Electric 8, Nelson 9) and of a trend (IHI 5,
        MDC 7, Nelson 6); ``"2023"`` or ``"legacy"`` two-of-three (MDC); ``"break"`` or
        ``"skip"`` for repeated values in a trend.
    tests : int or list of int, optional
        The numbered rules to apply with ``rules="western_electric"`` (1-4) or ``"nelson"``
        (1-8), for example ``tests=[1, 2, 5]``. Default: all of them (qcc profile: 1 and 4).
    runs_method : str
        Critical values of the runs analysis: ``"anhoej"`` (default), or the ``"bestbox"`` and
        ``"cutbox"`` limits of Anhøj & Wentzel-Larsen (2020) for 10-100 useful points (as
        qicharts2's ``method``; Anhøj's limits outside that range). The reported
        ``longest_run_max`` and ``n_crossings_min`` stay Anhøj's.
    flag_points : str, optional
        Which points of a signalling pattern are flagged: ``"pattern"`` (default: every point
        of the run, trend or window) or ``"completing"`` (as qcc: only from the point where the
        pattern is complete).
    confidence_level : float, optional
        qcc's ``confidence.level`` (``profile="qcc"``; charts xbar, i, s, p, np, c, u, g): a
        probability in (0, 1) that makes ``lcl``/``ucl`` probability limits, the
        ``(1 - level) / 2`` and ``1 - (1 - level) / 2`` quantiles of the statistic's normal,
        chi-squared (s), binomial (p, np), Poisson (c, u) or geometric (g) distribution, instead
        of 3 sigma. ``lcl_95``/``ucl_95`` stay at 2 sigma; rules that need the sigma zones
        (Western Electric 2-3, Nelson 5-8, MDC) are refused.
    x_categorical : bool, optional
        Treat x as units rather than time (default: text x is categorical).
    risk : str or array-like, optional
        ``ra_cusum`` and ``vlad``: each case's predicted probability of the event, in [0, 1].
        Their ``y`` (and ``bernoulli_cusum``'s) is the case's outcome, 0 or 1; rows are never
        combined, each is one case (ordered by x, then row order).
    lam, nsigmas : float
        ``ewma``: the weight of the newest subgroup mean (0 < lam <= 1) and the width of the
        limits in standard errors of the EWMA, which widen to their asymptote over the first
        points (exact variance, as qcc).
    center, sd : float, optional
        ``ewma`` and ``cusum``: the in-control mean and process sigma. Default: the mean of
        the baseline rows, and the I chart's sigma (mean moving range / d2, so 1.128 under
        ``profile="qcc"``) for single values or the pooled SD / c4 for subgroups (under
        ``profile="qcc"``, subgroups of 2 to 25 rows use qcc's mean of range / d2).
    sd_method : str, optional
        ``ewma`` and ``cusum``: how sigma is estimated from the baseline, qcc's ``std.dev``
        methods. Subgroups: ``"uwave_r"`` (mean of R_i / d2(n_i), n_i <= 25), ``"uwave_sd"``
        (mean of s_i / c4(n_i)), ``"mvlue_r"`` and ``"mvlue_sd"`` (the same, weighted by
        (d2 / d3)^2 and c4^2 / (1 - c4^2)), ``"rmsdf"`` (pooled SD / c4(sum(n_i - 1) + 1));
        single values: ``"mr"`` (mean moving range / d2) and ``"sd"`` (SD / c4(n)). Not with
        ``sd=``.
    k, h, head_start : float
        ``cusum``: reference value, decision interval and fast-initial-response start, all in
        standard errors of the subgroup mean (qcc's ``se.shift / 2``, ``decision.interval``,
        ``head.start``). The sums are not reset after a signal (as qcc).
    odds_ratio, limit : float
        ``bernoulli_cusum`` and ``ra_cusum``: the change in the odds of the event to detect
        (the upper CUSUM tests odds x odds_ratio, the lower odds / odds_ratio) and the control
        limit; a sum reaching it signals and restarts from 0. ``bernoulli_cusum`` takes its
        in-control probability as ``target=``, else the event rate of the baseline
        (``freeze=``).
    n_threads : int, optional
        Threads for many series (default: all cores). Results do not depend on it.
    point_columns : list of str or "lean", optional
        Which columns of ``points`` to return (default: all). The ``by`` columns and ``x`` are
        always kept; ``"lean"`` keeps ``y``, ``value``, ``phase``, ``cl``, ``lcl``, ``ucl``,
        ``special_cause`` and ``point_type``. The values are those of the full table; columns
        left out are never built, which bounds memory at scale (README, "Memory"): for a
        national screen, ``["special_cause"]`` with the full ``summary`` peaks at about 2.6x
        the input columns at 1e8 points. ``plot()`` needs the columns it draws
        (``_repr_html_`` then shows the summary only).

    Returns
    -------
    SPCResult
        ``.points`` (one row per point), ``.summary`` (one row per series and phase),
        ``.plot()``, ``.to_json()``.

    Examples
    --------
    >>> import qiscope as qi
    >>> chart = qi.spc(y=[5, 3, 4, 6, 2, 5, 4, 3, 6, 5, 4], chart="i")
    >>> print(round(chart.summary.cl.iloc[0], 4))
    4.2727

    Many indicators in one call, with dates read from text:

    >>> data = {"ward": ["A"] * 12 + ["B"] * 12,
    ...         "month": [f"2025-{m:02d}" for m in range(1, 13)] * 2,
    ...         "falls": [3, 5, 4, 6, 2, 5, 4, 3, 6, 5, 4, 3] * 2}
    >>> chart = qi.spc(data, y="falls", x="month", by="ward", chart="i", direction="decrease")
    >>> print(chart.summary[["ward", "cl", "variation"]].to_string(index=False))
    ward       cl    variation
       A 4.166667 common_cause
       B 4.166667 common_cause

    References
    ----------
    Anhøj J, Olesen AV (2014) Run charts revisited. PLoS ONE 9(11): e113825.
    Provost LP, Murray SK (2011) The Health Care Data Guide. Jossey-Bass.
    Montgomery DC (2019) Introduction to Statistical Quality Control, 8th ed. Wiley.
    Steiner SH, Cook RJ, Farewell VT, Treasure T (2000) Monitoring surgical performance using
    risk-adjusted cumulative sum charts. Biostatistics 1(4): 441-452.
    Neuburger J, et al. (2017) Comparison of control charts for monitoring clinical
    performance using binary data. BMJ Qual Saf, doi:10.1136/bmjqs-2016-005526.
    Lovegrove J, Valencia O, Treasure T, Sherlaw-Johnson C, Gallivan S (1997) Monitoring the
    results of cardiac surgery by variable life-adjusted display. Lancet 350: 1128-1130.
    """
    if is_arrow_table(data):  # only the named columns, numeric ones as views of Arrow memory
        data = narrow(data, _column_names(y, n, x, by, part, exclude, target, risk, direction))
    frame = as_frame(data)
    y_col = resolve(frame, y, "y")
    if y_col is None:
        raise InputError("y is required", column="y", rule="required")
    length = len(y_col.values)
    n_col = resolve(frame, n, "n", length)
    x_col = resolve(frame, x, "x", length)
    risk_col = resolve(frame, risk, "risk", length)
    names = {"y": y_col.name, "n": n_col.name if n_col else "n", "x": x_col.name if x_col else "x",
             "risk": risk_col.name if risk_col else "risk", **_KEYWORDS}

    y_values = numeric(y_col)
    n_values = numeric(n_col) if n_col is not None else None
    risk_values = numeric(risk_col) if risk_col is not None else None
    xaxis = factorize_x(x_col, categorical=x_categorical)
    series, labels, by_names = group_codes(frame, by, length)
    if by_names:
        names["by"] = by_names[0] if len(by_names) == 1 else ", ".join(by_names)
    call_direction, per_series_direction, direction_name = series_directions(frame, direction, series, labels, length)
    if direction_name is not None:
        names["direction"] = direction_name

    spec: dict[str, Any] = {
        "chart": chart,
        "rules": rules if rules is not None else _default_rules(chart, profile),
        "direction": call_direction,
        "profile": profile if profile is not None else "qiscope",
        "agg": agg,
        "multiply": multiply,
        "cl": cl,
        "freeze": freeze,
        "x_categorical": xaxis.categorical,
        "y_neg": bool(y_neg),
        "screen_mr": screen_mr,
        "d2": d2,
        "shift_n": shift_n,
        "trend_n": trend_n,
        "two_of_three": two_of_three,
        "trend_ties_break": None if trend_ties is None else _ties(trend_ties),
        "rule_numbers": _rule_numbers(tests),
        "flag_points": flag_points,
        "runs_method": runs_method,
        "confidence_level": confidence_level,
        "lambda": lam,
        "k": k,
        "h": h,
        "nsigmas": nsigmas,
        "center": center,
        "sd": sd,
        "sd_method": sd_method,
        "head_start": head_start,
        "odds_ratio": odds_ratio,
        "limit": limit,
        "n_threads": 0 if n_threads is None else n_threads,
    }

    if per_series_direction is not None:
        spec["series_direction"] = per_series_direction
    phase_label = phase_label_values = None
    if part is not None:
        if isinstance(part, str) and frame is not None and part in frame.columns:
            labels_col = resolve(frame, part, "part", length)
            assert labels_col is not None
            phase_label = pd.factorize(labels_col.values, use_na_sentinel=False)[0].astype(np.int64)
            phase_label_values = labels_col.values.to_numpy(dtype=object)
            names["part"] = part
        else:
            positions, x_keys = _part_starts(part, xaxis)
            spec["part"], spec["part_x"] = positions, x_keys

    exclude_mask = None
    if exclude is not None:
        if isinstance(exclude, str) or (not _is_int_list(exclude)):
            ex_col = resolve(frame, exclude, "exclude", length)
            assert ex_col is not None
            exclude_mask = ex_col.values.fillna(False).astype(bool).to_numpy(dtype=np.uint8)
            names["exclude"] = ex_col.name
        else:
            spec["exclude"] = [int(e) for e in np.atleast_1d(exclude)]

    target_values = None
    if target is not None:
        if isinstance(target, (int, float, np.number)) and not isinstance(target, bool):
            spec["target"] = float(target)
        else:
            t_col = resolve(frame, target, "target", length)
            assert t_col is not None
            target_values = numeric(t_col)
            names["target"] = t_col.name

    spec = plain_spec(spec, _KEYWORDS)
    kept = point_columns_of(point_columns, by_names)
    # The core computes series and x always (for the by labels, x_gap and the summary).
    core_columns = None if kept is None else ["series", "x", *(c for c in kept if c in POINT_COLUMNS and c != "x_gap")]
    try:
        out = _core.spc.compute(
            json.dumps(spec),
            y_values,
            n_values,
            series,
            xaxis.codes,
            phase_label,
            exclude_mask,
            target_values,
            risk_values,
            point_columns=core_columns,
        )
    except InputError as err:
        raise _renamed(err, names) from None
    wants_target = kept is None or "target" in kept
    point_targets = (_point_targets(out, spec, target_values, series, xaxis.codes)
                     if wants_target and target_values is not None else None)
    # The per-row series and x codes are not needed any more: freed before the result frames are
    # built, the peak of the call (16 bytes a row less at the peak).
    del series
    xaxis = dataclasses.replace(xaxis, codes=None)
    result = SPCResult._from_core(out, spec, xaxis, labels, by_names, names, kept)
    if point_targets is not None:
        result.points["target"] = point_targets
    elif wants_target and spec.get("target") is not None:
        result.points["target"] = float(spec["target"])
    _add_presentation_columns(result, out, spec, n_col.name if n_col is not None else None, phase_label_values)
    return result


def _point_targets(out: dict[str, dict[str, np.ndarray]], spec: dict[str, Any], target_values: np.ndarray,
                   series: np.ndarray | None, x_codes: np.ndarray | None) -> np.ndarray:
    """The target of each point from a target column: the one the core uses (the last one given
    among the point's rows). No statistics, only the caller's input carried to the output."""
    p = out["points"]
    rows = len(target_values)
    series_keys = series if series is not None else np.zeros(rows, dtype=np.int64)
    x_keys = x_codes if x_codes is not None else np.arange(rows, dtype=np.int64)
    if spec.get("agg") == "none":
        # Each point is one row, in (series, x, input) order as the core sorts them (stable).
        return target_values[np.lexsort((x_keys, series_keys))]
    keys = pd.DataFrame({"series": series_keys, "x": x_keys, "target": target_values})
    last = keys.groupby(["series", "x"], sort=False)["target"].last()  # skips missing targets
    return last.reindex(pd.MultiIndex.from_arrays([p["series"], p["x"]])).to_numpy()


def _add_presentation_columns(result: SPCResult, out: dict[str, dict[str, np.ndarray]], spec: dict[str, Any],
                              n_name: str | None, phase_labels: np.ndarray | None) -> None:
    """Carry the caller's names to the output, for charts and reports: ``summary.phase_name``
    (with ``part`` as a column of labels) and the name of ``n`` in ``spec``."""
    if n_name is not None and spec["chart"] not in ("xbar", "s"):
        result.spec["n"] = n_name  # for axis labels: the plotted value is y / n
    if phase_labels is not None:
        first_rows = out["phases"]["first_row"]
        names = pd.Series(phase_labels[first_rows], dtype=object)
        result.summary.insert(result.summary.columns.get_loc("phase") + 1, "phase_name",
                              names.where(names.notna(), "").astype(str).to_numpy())


def _column_names(*args: Any) -> list[str]:
    """The arguments that name columns (a name, or a list of names for ``by``)."""
    names: list[str] = []
    for arg in args:
        if isinstance(arg, str):
            names.append(arg)
        elif isinstance(arg, (list, tuple)):
            names.extend(a for a in arg if isinstance(a, str))
    return names


def _rule_numbers(tests: int | Sequence[int] | None) -> list[int]:
    if tests is None:
        return []
    numbers = np.atleast_1d(np.asarray(tests))
    if numbers.ndim != 1 or numbers.dtype.kind not in "iu":
        raise InputError(f"tests must be rule numbers such as [1, 2, 5], not {tests!r}", column="tests", rule="type")
    return [int(k) for k in numbers]


def _ties(value: str) -> bool:
    if value not in ("break", "skip"):
        raise InputError(f"trend_ties must be 'break' or 'skip', not {value!r}", column="trend_ties", rule="unknown_name")
    return value == "break"


def _is_int_list(value: Any) -> bool:
    arr = np.atleast_1d(np.asarray(value))
    return arr.dtype.kind in "iu" and arr.ndim == 1


def _part_starts(part: Any, xaxis: XAxis) -> tuple[list[int], list[int]]:
    values = list(part) if isinstance(part, (list, tuple, np.ndarray, pd.Index, pd.Series)) else [part]
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values) and (
        xaxis.labels is None or not pd.api.types.is_integer_dtype(xaxis.labels.dtype)
    ):
        return [int(v) for v in values], []
    if xaxis.labels is None:
        raise InputError("part is given as x values but x is not given", column="part", rule="needs_x")
    try:
        return [], [xaxis.key_of(v) for v in values]
    except (TypeError, ValueError) as err:
        if isinstance(err, InputError):
            raise
        raise InputError(f"part value cannot be compared with x: {err}", column="part", rule="type") from err


def _renamed(err: InputError, names: dict[str, str]) -> InputError:
    """The core names its inputs y, n, x, by, ...; say the caller's column names instead."""
    column = names.get(err.column, err.column)
    message = str(err)
    if column != err.column:
        message = message.replace(f"column '{err.column}'", f"column '{column}'", 1)
    return InputError(message, column=column, row=err.row, rule=err.rule)


class SPCResult:
    """The result of :func:`spc`: ``points``, ``summary``, ``plot()``, ``to_json()``.

    Attributes
    ----------
    points : pandas.DataFrame
        One row per point: the ``by`` columns, ``x``, ``y``, ``n``, ``value`` (plotted),
        ``value_lower`` (the lower statistic of a two-sided CUSUM, else missing), ``n_rows``
        (input rows combined into the point: more than 1 where rows shared an x), ``x_gap``
        (the step from the previous point is over 1.5 times the series' median step: periods
        may be missing from the data), ``phase``, ``baseline``, ``excluded``, ``cl``, ``lcl``, ``ucl``, ``lcl_95``,
        ``ucl_95``, ``sigma_signal``, ``runs_signal``, ``signal_member``,
        ``special_cause``, ``point_type``.
    summary : pandas.DataFrame
        One row per series and phase: ``n_points``, centre line and limits (where constant),
        the runs analysis, signal counts, ``variation`` and ``assurance`` icons.
    spec : dict
        The options the result was computed with.
    """

    def __init__(self, points: pd.DataFrame, summary: pd.DataFrame, spec: dict[str, Any], by: list[str]) -> None:
        self.points = points
        self.summary = summary
        self.spec = spec
        self.by = by

    @property
    def chart(self) -> str:
        return str(self.spec["chart"])

    # -- construction from the core ------------------------------------------------------
    @classmethod
    def _from_core(
        cls,
        out: dict[str, dict[str, np.ndarray]],
        spec: dict[str, Any],
        xaxis: XAxis,
        labels: pd.DataFrame | None,
        by_names: list[str],
        names: dict[str, str],
        kept: list[str] | None = None,
    ) -> SPCResult:
        points = points_frame(out["points"], xaxis.labels, labels, by_names)
        summary = summary_frame(out["phases"], points["x"].to_numpy(), spec["chart"], labels, by_names)
        if kept is None or "x_gap" in kept:
            before_gap = list(POINT_COLUMNS)[: list(POINT_COLUMNS).index("x_gap")]
            points.insert(len(by_names) + 1 + sum(c in points.columns for c in before_gap), "x_gap",
                          x_gaps(xaxis, out["points"]["series"], out["points"]["x"], spec["chart"],
                                 spec.get("n_threads", 0)))
        result_spec = dict(spec)
        if kept is not None:
            result_spec["point_columns"] = kept
        result_spec["x"] = names.get("x")
        result_spec["y"] = names.get("y")
        result_spec["by"] = by_names
        return cls(points, summary, result_spec, by_names)

    # -- reading ---------------------------------------------------------------------------
    def signal_rules(self) -> pd.Series:
        """For each point, the names of the rules that flagged it (comma-separated)."""
        bits = self.points["rules"].to_numpy()
        out = np.full(len(bits), "", dtype=object)
        for name, bit in _RULE_BITS.items():
            hit = (bits & bit) != 0
            out[hit] = np.where(out[hit] == "", name, out[hit] + "," + name)
        return pd.Series(out, index=self.points.index, name="signal_rules")

    def series(self) -> list[tuple[Any, ...]]:
        """The series keys (tuples of ``by`` labels) in the order of the result."""
        if not self.by:
            return [()]
        return list(self.summary[self.by].drop_duplicates().itertuples(index=False, name=None))

    def _missing_plot_columns(self) -> list[str]:
        return [c for c in _PLOT_COLUMNS if c not in self.points.columns]

    def plot(self, ax: Any = None, *, backend: str = "matplotlib", show_95: bool = False,
             series: Any = None, ncols: int = 3, title: str | None = None,
             phase_labels: Any = None, **kwargs: Any) -> Any:
        """Draw the chart: one Axes, or a grid of small multiples (one per series) with ``by``.

        Points are grey (common cause) or coloured by what a special cause means, in the Making
        Data Count palette: blue improvement, orange concern, purple neither (no ``direction``).
        Excluded points are hollow; phases are separate segments with labels; a frozen
        baseline is shaded; a target is a red dashed line. The subtitle names the chart and
        the signals found.

        Parameters
        ----------
        ax : matplotlib Axes (or array of Axes with ``by``), optional
            Where to draw; a new figure by default.
        backend : str
            ``"matplotlib"`` (returns the Axes, or a 2-D array of Axes with ``by``) or
            ``"plotly"`` (returns a ``plotly.graph_objects.Figure`` with hover details per
            point; needs ``pip install 'qiscope[plotly]'``).
        show_95 : bool
            Also draw the 2-sigma limits (dashed).
        series : key or list of keys, optional
            Only these series (``by`` labels; tuples for several ``by`` columns).
        ncols : int
            Columns of the small-multiples grid.
        title : str, optional
            A title (above the subtitle of a single chart, or over the whole grid).
        phase_labels : list of str, optional
            Names of the phases, in order (default: the ``part`` labels, or "Phase 1", ...).
        **kwargs
            matplotlib only: ``legend=False``, ``figsize=(w, h)``.

        Examples
        --------
        >>> import qiscope as qi
        >>> chart = qi.spc(y=[5, 3, 4, 6, 2, 5, 4, 3, 6, 5, 4, 9], chart="i", part=[6])
        >>> ax = chart.plot(show_95=True, phase_labels=["before", "after"])
        >>> ax.get_title(loc="left").splitlines()[0]
        'I chart (XmR) · no signals'
        """
        missing = self._missing_plot_columns()
        if missing:
            raise InputError(f"plot() draws the point columns {missing}, which this result was computed "
                             "without (point_columns=); compute it with point_columns=None to draw it",
                             column="point_columns", rule="missing_columns")
        options = {"show_95": show_95, "series": series, "ncols": ncols, "title": title,
                   "phase_labels": phase_labels}
        if backend == "plotly":
            from .plot import plot_spc_plotly

            if ax is not None or kwargs:
                unknown = "ax" if ax is not None else next(iter(kwargs))
                raise InputError(f"{unknown}= is a matplotlib option; the plotly backend does not take it",
                                 column=unknown, rule="backend_option")
            return plot_spc_plotly(self, **options)
        if backend != "matplotlib":
            raise InputError(f"unknown plot backend {backend!r}; expected 'matplotlib' or 'plotly'",
                             column="backend", rule="unknown_name")
        from .plot import plot_spc

        return plot_spc(self, ax=ax, **options, **kwargs)

    # -- serialisation -----------------------------------------------------------------------
    def to_json(self) -> str:
        """The result as JSON text (lossless: floats keep every digit, dtypes are restored)."""
        doc = {
            "format": "qiscope.SPCResult",
            "version": 1,
            "spec": self.spec,
            "by": self.by,
            "points": _frame_to_json(self.points),
            "summary": _frame_to_json(self.summary),
        }
        return json.dumps(doc, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> SPCResult:
        """Rebuild a result written by :meth:`to_json`."""
        doc = _load_document(text, "qiscope.SPCResult", "SPC")
        with _reading("SPC"):
            spec, by = doc["spec"], doc["by"]
            if not isinstance(spec, dict) or "chart" not in spec or not isinstance(by, list):
                raise InputError("the document's spec or by is malformed", column="json", rule="format")
            # A result computed with point_columns= has those columns (and x) only.
            kept = spec.get("point_columns")
            required = _POINT_COLUMNS if kept is None else ("x", *(c for c in _POINT_COLUMNS if c in kept))
            points = _require_columns(_frame_from_json(doc["points"]), required, "points")
            summary = _require_columns(_frame_from_json(doc["summary"]), _SUMMARY_COLUMNS, "summary")
            return cls(points, summary, spec, [str(b) for b in by])

    # -- display -------------------------------------------------------------------------------
    def __repr__(self) -> str:
        n_series = len(self.series())
        return (
            f"<SPCResult chart={self.chart!r} series={n_series} points={len(self.points)} "
            f"phases={len(self.summary)}>"
        )

    def _repr_html_(self) -> str:
        """Jupyter display: the summary with variation and assurance icons, then the chart (inline
        SVG, at most 12 series). Prints nothing and leaves no open matplotlib figure."""
        from .report import spc_html

        return spc_html(self)


