"""Funnel plots for comparing units: ``qi.funnel()`` and its result.

A funnel plot shows each unit's indicator (a proportion, a standardised ratio or a ratio of two
counts) against its size, with control limits that narrow as the size grows. Units outside the
limits differ from the target by more than chance alone would explain.

========================  ===================  ===========================================
your indicator            ``kind``             ``y`` / ``n``
========================  ===================  ===========================================
events among cases        ``"proportion"``     events / cases (binomial)
observed vs expected      ``"ratio"``          observed / expected (SMR, SHMI; target 1)
ratio of two counts       ``"rate"``           count / count (FunnelPlotR's "RC")
========================  ===================  ===========================================

qiscope's defaults follow Spiegelhalter (2005): exact binomial or Poisson limits with his
interpolation, z-scores on the variance-stabilising scale (arcsine, square root, log),
winsorised z for the overdispersion ratio phi, and - when asked - multiplicative (phi) or
additive random-effects (tau^2) widening of the limits. ``profile="funnelplotr"`` reproduces
FunnelPlotR 0.6.0 exactly instead, including its known quirks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._arrow import is_arrow_table, narrow
from ._frames import as_frame, group_codes, numeric, resolve
from .errors import InputError
from ._options import plain_spec
from ._serial import _frame_from_json, _frame_to_json, _json_value, _load_document, _reading, _require_columns
from .spc import _column_names, _renamed

__all__ = ["FunnelResult", "funnel"]

# Spec keys the caller knows by another keyword (for error messages).
_KEYWORDS = {"coverage": "limits", "outlier_coverage": "outlier_limit"}


def funnel(
    data: Any = None,
    *,
    y: Any,
    n: Any,
    by: Any = None,
    kind: str = "proportion",
    overdispersion: str | None = None,
    limits: Sequence[float] = (95, 99.8),
    profile: str | None = None,
    outlier_limit: float | None = None,
    sr_method: str | None = None,
    trim_by: float = 0.1,
    multiply: float = 1,
    shmi_rounding: bool | None = None,
    limit_method: str | None = None,
    target: float | None = None,
    grid_size: int = 1000,
    n_threads: int | None = None,
) -> FunnelResult:
    """Compare units on one indicator with a funnel plot.

    Parameters
    ----------
    data : DataFrame or mapping, optional
        The rows; ``y``, ``n`` and ``by`` name its columns, or are array-likes themselves.
    y : str or array-like
        The numerator: events, or the observed count.
    n : str or array-like
        The denominator: cases, the expected count (``kind="ratio"``), or the second count.
    by : str or list, optional
        Column(s) naming the unit. Rows of one unit are summed. Omitted: every row is a unit.
    kind : str
        ``"proportion"`` (binomial), ``"ratio"`` (indirectly standardised ratio observed /
        expected; ``n`` is the expected count) or ``"rate"`` (a ratio of two counts).
    overdispersion : str, optional
        None (no widening), ``"multiplicative"`` (the normal limits' variance times phi) or
        ``"additive"`` (random effects: tau^2 added on the transformed scale). Limits are only
        widened when phi > 1.
    limits : sequence of float
        Coverages of the limits in percent; 95 and 99.8 leave 2.5% and 0.1% in each tail.
    profile : str, optional
        None: qiscope's documented method (Spiegelhalter 2005). ``"funnelplotr"``: FunnelPlotR
        0.6.0 exactly (arcsine limits for proportions, Garwood limits for ratios, its constants
        1.959964 and 3.090232, SHMI rounding and truncation, CQC limits not squared back,
        phi and tau2 reported as 0 without adjustment).
    outlier_limit : float, optional
        The coverage whose limits mark outliers (one of ``limits``; 99 means 99.8 as in
        FunnelPlotR). Default 99.8.
    sr_method : str, optional
        Ratios only: ``"CQC"`` (square-root scale, winsorised; qiscope's default) or ``"SHMI"``
        (log scale, truncated; FunnelPlotR's default).
    trim_by : float
        Share of units winsorised (or truncated, SHMI) at each end before phi is estimated.
    multiply : float
        Scale of values, centre line and limits (100 for percentages).
    shmi_rounding : bool, optional
        Round expected counts to 2 decimals first (SHMI; default on in the funnelplotr profile).
    limit_method : str, optional
        The unadjusted limits: ``"exact"`` (binomial or Poisson with Spiegelhalter's
        interpolation; the default for proportions and ratios), ``"normal"``, ``"transformed"``
        (normal on the arcsine/square-root/log scale; the default for rates) or ``"garwood"``
        (FunnelPlotR's chi-squared limits for ratios).
    target : float, optional
        The centre line. Default: 1 for ratios, the pooled sum(y) / sum(n) otherwise.
    grid_size : int
        Points of the drawing grid in ``.limits`` (besides every unit's own n).
    n_threads : int, optional
        Threads for the grid of exact limits (default: all cores). Results do not depend on it.

    Returns
    -------
    FunnelResult
        ``.points`` (one row per unit), ``.limits`` (a grid of n for drawing), ``.phi``,
        ``.tau2``, ``.adjusted``, ``.plot()``, ``.to_json()``.

    Examples
    --------
    >>> import qiscope as qi
    >>> f = qi.funnel(y=[12, 30, 7, 45], n=[100, 240, 80, 300], kind="proportion")
    >>> round(f.target, 4)
    0.1306

    References
    ----------
    Spiegelhalter DJ (2005) Funnel plots for comparing institutional performance. Stat Med
    24:1185-1202. Spiegelhalter DJ (2005) Handling over-dispersion of performance indicators.
    Qual Saf Health Care 14:347-351. DerSimonian R, Laird N (1986) Meta-analysis in clinical
    trials. Control Clin Trials 7:177-188.
    """
    if is_arrow_table(data):  # only the named columns, numeric ones as views of Arrow memory
        data = narrow(data, _column_names(y, n, by))
    frame = as_frame(data)
    y_col = resolve(frame, y, "y")
    if y_col is None:
        raise InputError("y is required", column="y", rule="required")
    length = len(y_col.values)
    n_col = resolve(frame, n, "n", length)
    if n_col is None:
        raise InputError("n is required (cases, expected count or second count)", column="n", rule="required")
    unit, labels, by_names = group_codes(frame, by, length)
    names = {"y": y_col.name, "n": n_col.name, **_KEYWORDS}
    if by_names:
        names["by"] = by_names[0] if len(by_names) == 1 else ", ".join(by_names)

    coverage = np.atleast_1d(np.asarray(limits, dtype=object)).tolist()  # checked by the core
    spec: dict[str, Any] = {
        "kind": kind,
        "overdispersion": overdispersion if overdispersion is not None else "none",
        "profile": profile if profile is not None else "qiscope",
        "coverage": coverage,
        "outlier_coverage": _outlier_coverage(outlier_limit, coverage),
        "sr_method": sr_method,
        "limit_method": limit_method,
        "shmi_rounding": shmi_rounding,
        "target": target,
        "trim_by": trim_by,
        "multiply": multiply,
        "grid_size": grid_size,
        "n_threads": 0 if n_threads is None else n_threads,
    }
    spec = plain_spec(spec, _KEYWORDS)
    try:
        out = _core.funnel.compute(json.dumps(spec), numeric(y_col), numeric(n_col), unit)
    except InputError as err:
        raise _renamed(err, names) from None
    return FunnelResult._from_core(out, labels, by_names, names)


def _outlier_coverage(outlier_limit: float | None, coverage: list[float]) -> float | None:
    if outlier_limit is None:
        return None
    value = outlier_limit
    if value == 99 and 99.0 not in coverage and 99.8 in coverage:
        return 99.8  # FunnelPlotR's limit = 99 means the 99.8% limits
    return value


def coverage_suffix(coverage: float) -> str:
    """Column suffix of a coverage: 95 -> "95", 99.8 -> "99_8"."""
    return f"{coverage:g}".replace(".", "_")


class FunnelResult:
    """The result of :func:`funnel`.

    Attributes
    ----------
    points : pandas.DataFrame
        One row per unit (ordered by unit): the ``by`` columns, ``y``, ``n`` (summed; SHMI
        rounding applied), ``value`` (y / n times multiply), ``z`` (z-score on the
        variance-stabilising scale), ``z_winsorised`` (missing where truncated), ``cl``, the
        limits in use at the unit's n (``lcl_95``, ``ucl_95``, ``lcl_99_8``, ``ucl_99_8``, ...)
        and ``outlier``.
    limits : pandas.DataFrame
        A grid of ``n`` with ``cl`` and the limits in use; when the limits are adjusted for
        overdispersion, also the unadjusted ones (``lcl_95_unadjusted``, ...).
    phi, tau2 : float
        The overdispersion ratio and the between-unit variance (transformed scale). NaN with
        fewer than two units; 0 in the funnelplotr profile without adjustment, as FunnelPlotR.
    phi_p_value : float
        P(chi-squared on ``n_phi`` df >= n_phi * phi): small values mean overdispersion.
    adjusted : bool
        The limits in use are overdispersion-adjusted (asked for, and phi > 1).
    withheld : list of str
        Units not plotted (survey units below the privacy threshold, see
        :func:`qiscope.culture.unit_funnel`); empty otherwise.
    target : float
        The centre line (times multiply).
    """

    def __init__(self, points: pd.DataFrame, limits: pd.DataFrame, spec: dict[str, Any], by: list[str],
                 stats: dict[str, Any]) -> None:
        self.points = points
        self.limits = limits
        self.spec = spec
        self.by = by
        self.target = float(stats["target"])
        self.phi = float(stats["phi"])
        self.tau2 = float(stats["tau2"])
        self.phi_p_value = float(stats["phi_p_value"])
        self.n_phi = int(stats["n_phi"])
        self.adjusted = bool(stats["adjusted"])

    @property
    def coverage(self) -> list[float]:
        return [float(c) for c in self.spec["coverage"]]

    @property
    def withheld(self) -> list[str]:
        """Units left out of the plot, for example survey units below the privacy threshold
        (:func:`qiscope.culture.unit_funnel`); empty when every unit is plotted."""
        return [str(u) for u in self.spec.get("withheld", [])]

    @property
    def outliers(self) -> pd.DataFrame:
        """The rows of ``points`` flagged as outliers."""
        return self.points[self.points["outlier"]]

    @classmethod
    def _from_core(cls, out: dict[str, Any], labels: pd.DataFrame | None, by_names: list[str],
                   names: dict[str, str]) -> FunnelResult:
        u, grid = out["units"], out["limits"]
        spec = json.loads(out["spec"])
        suffixes = [coverage_suffix(c) for c in spec["coverage"]]
        points = pd.DataFrame(index=pd.RangeIndex(len(u["unit"])))
        if labels is not None:
            for name in by_names:
                points[name] = labels[name].take(u["unit"]).reset_index(drop=True)
        else:
            points["unit"] = u["unit"]
        for col in ("y", "n", "value", "z", "z_winsorised"):
            points[col] = u[col]
        points["cl"] = out["target"]
        for s, lcl, ucl in zip(suffixes, u["lcl"], u["ucl"], strict=True):
            points[f"lcl_{s}"] = lcl
            points[f"ucl_{s}"] = ucl
        points["outlier"] = u["outlier"].astype(bool)

        table = pd.DataFrame({"n": grid["n"], "cl": np.full(len(grid["n"]), out["target"])})
        for s, lcl, ucl in zip(suffixes, grid["lcl"], grid["ucl"], strict=True):
            table[f"lcl_{s}"] = lcl
            table[f"ucl_{s}"] = ucl
        if out["adjusted"]:
            for s, lcl, ucl in zip(suffixes, grid["lcl_unadjusted"], grid["ucl_unadjusted"], strict=True):
                table[f"lcl_{s}_unadjusted"] = lcl
                table[f"ucl_{s}_unadjusted"] = ucl
        spec.update({"y": names["y"], "n": names["n"], "by": by_names})
        stats = {k: out[k] for k in ("target", "phi", "tau2", "phi_p_value", "n_phi", "adjusted")}
        return cls(points, table, spec, by_names or ["unit"], stats)

    # -- drawing and display ---------------------------------------------------------------
    def plot(self, ax: Any = None, *, backend: str = "matplotlib", label_outliers: bool = True,
             show_unadjusted: bool = False, title: str | None = None, **kwargs: Any) -> Any:
        """Draw the funnel: units against n, the centre line and the limits in use.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (matplotlib); a new figure by default.
        backend : str
            ``"matplotlib"`` (returns the Axes) or ``"plotly"`` (returns a
            ``plotly.graph_objects.Figure`` with hover details per unit: value, counts, z-score,
            its limits; needs ``pip install 'qiscope[plotly]'``).
        label_outliers : bool
            Name the units outside the limits.
        show_unadjusted : bool
            Also draw the limits before the overdispersion adjustment (lighter).
        title : str, optional
            Replaces the default title (units and outliers counted).
        **kwargs
            matplotlib: ``pyplot=False`` makes the figure without pyplot (as HTML output does);
            plotly: ``height=`` in pixels.
        """
        options = {"label_outliers": label_outliers, "show_unadjusted": show_unadjusted, "title": title}
        if backend == "plotly":
            from .plot import plot_funnel_plotly

            if ax is not None:
                raise InputError("ax= is a matplotlib option; the plotly backend does not take it",
                                 column="ax", rule="backend_option")
            return plot_funnel_plotly(self, **options, **kwargs)
        if backend != "matplotlib":
            raise InputError(f"unknown plot backend {backend!r}; expected 'matplotlib' or 'plotly'",
                             column="backend", rule="unknown_name")
        from .plot import plot_funnel

        return plot_funnel(self, ax=ax, **options, **kwargs)

    def __repr__(self) -> str:
        return (
            f"<FunnelResult kind={self.spec['kind']!r} units={len(self.points)} "
            f"outliers={int(self.points['outlier'].sum())} phi={self.phi:.4g} tau2={self.tau2:.4g} "
            f"adjusted={self.adjusted}>"
        )

    def _repr_html_(self) -> str:
        from .report import funnel_html

        return funnel_html(self)

    # -- serialisation -----------------------------------------------------------------------
    def _stats(self) -> dict[str, Any]:
        return {"target": self.target, "phi": self.phi, "tau2": self.tau2,
                "phi_p_value": self.phi_p_value, "n_phi": self.n_phi, "adjusted": self.adjusted}

    def to_json(self) -> str:
        """The result as JSON text (lossless: floats keep every digit, dtypes are restored)."""
        stats = {k: _json_value(v) for k, v in self._stats().items()}
        doc = {
            "format": "qiscope.FunnelResult",
            "version": 1,
            "spec": self.spec,
            "by": self.by,
            "stats": stats,
            "points": _frame_to_json(self.points),
            "limits": _frame_to_json(self.limits),
        }
        return json.dumps(doc, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> FunnelResult:
        """Rebuild a result written by :meth:`to_json`."""
        doc = _load_document(text, "qiscope.FunnelResult", "funnel")
        with _reading("funnel"):
            stats = {k: (np.nan if v is None else v) for k, v in doc["stats"].items()}
            points = _require_columns(_frame_from_json(doc["points"]), ("y", "n", "value", "cl", "outlier"), "points")
            limits = _require_columns(_frame_from_json(doc["limits"]), ("n", "cl"), "limits")
            spec, by = doc["spec"], doc["by"]
            if not isinstance(spec, dict) or not isinstance(spec.get("coverage"), list) or not isinstance(by, list):
                raise InputError("the document's spec or by is malformed", column="json", rule="format")
            return cls(points, limits, spec, [str(b) for b in by], stats)
