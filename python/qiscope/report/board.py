"""The board report: many indicators in long format -> one self-contained HTML page.

An integrated performance report (IPR) in the Making Data Count style: a summary table with,
for every indicator, its latest value, its target, a variation icon and an assurance icon;
then every indicator's chart. The page needs no network to view and prints cleanly.

The statistics come from as few ``qi.spc(..., by=indicator)`` calls as the data allow: one per
distinct (chart, multiply, has-denominator) combination, because those are options of a whole
call; each indicator's improvement direction goes with it (``direction=`` as a mapping).
Indicators that share them - typically most of a board's - are computed together in the C++
core; there is no per-indicator loop over the statistics.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._frames import Column, as_frame, numeric
from ..errors import InputError
from ..plot import chart_name
from ..spc import _TIME_WEIGHTED, SPCResult, spc
from . import html as qh
from ._spc import icon_table, spc_chart
from .icons import icon_key

__all__ = ["BoardReport", "board_report"]

_DIRECTIONS = ("increase", "decrease", "neutral")


def _option(frame: pd.DataFrame, given: Any, name: str) -> tuple[str | None, Any]:
    """An option given as a column of the data or as one value for every indicator: returns
    (column, None) or (None, value). None means the column called `name` if there is one."""
    if given is None:
        return (name, None) if name in frame.columns else (None, None)
    if isinstance(given, str) and given in frame.columns:
        return given, None
    return None, given


def _text_option(frame: pd.DataFrame, given: Any, name: str, default: str,
                 allowed: tuple[str, ...] | None = None) -> pd.Series:
    """Per-row text values of an option (lower case, missing -> `default`), checked against
    `allowed`; a bad value is an error naming its row."""
    column, constant = _option(frame, given, name)
    raw = frame[column] if column is not None else pd.Series(constant, index=frame.index, dtype=object)
    text = raw.astype(object).where(raw.notna(), default).astype(str).str.strip().str.lower()
    bad = ~text.isin(allowed) if allowed is not None else ~text.str.fullmatch(r"[a-z_]+")
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        where = f"column {column!r}, row {row}: " if column is not None else f"{name}="
        expected = f"; expected one of {list(allowed)}" if allowed else ""
        raise InputError(f"{where}{text.iloc[row]!r} is not a valid {name}{expected}", column=column or name,
                         row=row if column is not None else None, rule="unknown_name")
    return text


def _require(frame: pd.DataFrame, column: str, role: str) -> str:
    if column not in frame.columns:
        raise InputError(f"column {column!r} (the {role}) is not in the data; columns are {list(frame.columns)}",
                         column=column, rule="unknown_column")
    return column


def _optional_column(frame: pd.DataFrame, given: str | None, role: str) -> str | None:
    """A column given by name (it must exist), else the column called `role` if there is one."""
    if given is not None:
        return _require(frame, given, role)
    return role if role in frame.columns else None


def _per_indicator(frame: pd.DataFrame, ind: str, options: dict[str, pd.Series]) -> pd.DataFrame:
    """One row per indicator with its options; an option that changes within an indicator is
    an error naming the indicator and the row."""
    table = pd.DataFrame({ind: frame[ind].to_numpy(), **{k: v.to_numpy() for k, v in options.items()}})
    for name in options:
        counts = table.groupby(ind, sort=False)[name].nunique(dropna=False)
        if (counts > 1).any():
            bad = counts.index[np.argmax(counts.to_numpy() > 1)]
            rows = np.flatnonzero((table[ind] == bad).to_numpy())
            first = table[name].iloc[rows[0]]
            row = int(rows[np.argmax(table[name].iloc[rows].ne(first).to_numpy())])
            raise InputError(f"indicator {bad!r}: {name} changes at row {row} ({table[name].iloc[row]!r} after "
                             f"{first!r}); it must be the same for all rows of an indicator",
                             column=name, row=row, rule="constant_per_indicator")
    return table.groupby(ind, sort=False).first()


def board_report(data: Any, *, indicator: str = "indicator", date: str = "date", value: str = "value",
                 denominator: str | None = None, chart: str | None = None, direction: str | None = None,
                 target: str | float | None = None, multiply: str | float | None = None,
                 phase: str | None = None, rules: str | None = None, profile: str | None = None,
                 title: str = "Integrated performance report", intro: str = "") -> BoardReport:
    """Compute every indicator of a long-format table and gather them into a board report.

    Parameters
    ----------
    data : DataFrame (pandas, polars, pyarrow) or mapping
        One row per indicator and date.
    indicator, date, value : str
        Columns: the indicator's name, the period (dates, or ISO date text), and the measure
        (the numerator when there is a denominator).
    denominator : str, optional
        Column of denominators. Default: the column ``denominator`` if there is one.
        Indicators whose denominators are all missing are charted from ``value`` alone.
    chart, direction, multiply, target : str or value, optional
        Each is a column (one value per indicator, repeated on its rows) or one value for every
        indicator. Defaults: the column of that name if the data have one, else chart ``"i"``
        (XmR, as Making Data Count), no direction (``"neutral"``), multiply 1, no target.
    phase : str, optional
        Column of phase labels (for example ``"before"``, ``"after the new pathway"``): limits
        and rules restart where an indicator's label changes, and the icons come from the
        latest phase (Making Data Count's "rebase"). Default: the column ``phase`` if any.
    rules, profile : str, optional
        Passed to :func:`qiscope.spc`. Default: the Making Data Count rules (``"mdc"``: a point
        beyond the limits, a run of 7 on one side of the mean, a trend of 7, two of three beyond 2
        sigma) for control charts, Anhøj's rules for run charts. A ``profile`` (for example
        ``"ptd"``, NHSRplotthedots) brings its own rules; ``rules=`` applies to every chart.
    title, intro : str
        The page's title and an introductory paragraph.

    Returns
    -------
    BoardReport
        ``.table`` (one row per indicator), ``.results``, ``.plot(name)``, ``.to_html()``,
        ``.write(path)``; shows its table in Jupyter.

    Examples
    --------
    >>> import qiscope as qi
    >>> from qiscope.datasets import board_indicators
    >>> report = qi.report.board_report(board_indicators(), date="month", value="numerator")
    >>> len(report.table) == board_indicators()["indicator"].nunique()
    True
    """
    frame = as_frame(data)
    if frame is None or len(frame) == 0:
        raise InputError("the report needs data: one row per indicator and date", column="data", rule="empty")
    ind = _require(frame, indicator, "indicator")
    x = _require(frame, date, "date")
    y = _require(frame, value, "value")
    den = _optional_column(frame, denominator, "denominator")
    if frame[ind].isna().any():
        row = int(np.flatnonzero(frame[ind].isna().to_numpy())[0])
        raise InputError(f"column {ind!r}, row {row}: the indicator name is missing", column=ind, row=row,
                         rule="missing")

    config = _configurations(frame, ind, den, chart=chart, direction=direction, multiply=multiply)
    target_col, target_value = _option(frame, target, "target")
    target_arg = target_col if target_col is not None else _number(target_value, "target", None)
    phase_col = _optional_column(frame, phase, "phase")

    results: list[SPCResult] = []
    where: dict[Any, int] = {}
    for (c, m, with_n), members in config.groupby(["chart", "multiply", "has_n"], sort=False):
        rows = frame if len(members) == len(config) else frame[frame[ind].isin(members.index)]
        directions = members["direction"]
        d = directions.iloc[0] if directions.nunique() == 1 else directions.to_dict()
        result = spc(rows, y=y, n=den if with_n else None, x=x, by=ind, chart=c, direction=d, multiply=m,
                     target=target_arg, part=phase_col, rules=_rules_for(c, rules, profile), profile=profile)
        where.update(dict.fromkeys(members.index, len(results)))
        results.append(result)
    order = list(config.index)
    table = pd.concat([_latest(r, ind) for r in results], ignore_index=True)
    table = table.set_index(ind).loc[order].reset_index()
    table.insert(2, "direction", config["direction"].reindex(order).to_numpy())
    return BoardReport(results=results, table=table, indicator=ind, title=title, intro=intro, _where=where)


def _rules_for(chart: str, rules: str | None, profile: str | None) -> str | None:
    """The rule set of one chart type in the report: Making Data Count's for control charts, as
    a Making Data Count board report reads them, unless ``rules=`` or a profile says otherwise.
    Run charts keep Anhøj's rules and time-weighted charts their own limits (None: qi.spc's
    defaults)."""
    if rules is not None or profile is not None:
        return rules
    return None if chart == "run" or chart in _TIME_WEIGHTED else "mdc"


def _configurations(frame: pd.DataFrame, ind: str, den: str | None, *, chart: Any, direction: Any,
                    multiply: Any) -> pd.DataFrame:
    """One row per indicator, in the data's order: the options of a whole spc call (chart,
    direction, multiply, and whether it has denominators)."""
    # Options given as columns are checked row by row and per indicator; an option given as
    # one value is checked once and not spread over the rows (a national file has millions).
    one_row = pd.DataFrame(index=pd.RangeIndex(1))
    per_row: dict[str, pd.Series] = {}
    constant: dict[str, Any] = {}
    # The core checks chart names and lists the valid ones.
    for name, given, default, allowed in (("chart", chart, "i", None),
                                          ("direction", direction, "neutral", _DIRECTIONS)):
        column, value = _option(frame, given, name)
        if column is not None:
            per_row[name] = _text_option(frame, column, name, default, allowed)
        else:
            constant[name] = _text_option(one_row, value, name, default, allowed).iloc[0]
    multiply_col, multiply_value = _option(frame, multiply, "multiply")
    if multiply_col is not None:
        multiply_values = numeric(Column(frame[multiply_col].reset_index(drop=True), multiply_col))
        per_row["multiply"] = pd.Series(np.where(np.isnan(multiply_values), 1.0, multiply_values), index=frame.index)
    else:
        constant["multiply"] = _number(multiply_value, "multiply", 1.0)
    if per_row:
        config = _per_indicator(frame, ind, per_row)
    else:
        # The indicators in order of appearance, as _per_indicator's groupby gives them.
        config = pd.DataFrame(index=pd.Index(np.asarray(frame[ind].unique()), name=ind))
    for name, value in constant.items():
        config[name] = value
    config = config[["chart", "direction", "multiply"]]
    if den is None:
        config["has_n"] = False
    else:  # an indicator without any denominator is charted from its values alone
        config["has_n"] = frame[den].notna().groupby(frame[ind], sort=False).any().reindex(config.index).to_numpy()
    return config


def _number(value: Any, name: str, default: float | None) -> float | None:
    if value is None:
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}={value!r} is neither a column of the data nor a number", column=name,
                         rule="numeric") from None


def _latest(result: SPCResult, ind: str) -> pd.DataFrame:
    """Per indicator: the latest point with a value, its limits and target, and the icons."""
    pts = result.points[result.points["value"].notna()]
    last = pts.groupby(ind, sort=False, observed=True).tail(1).set_index(ind)
    icons = result.summary.groupby(ind, sort=False, observed=True).tail(1).set_index(ind)
    out = pd.DataFrame(index=icons.index)
    out["chart"] = result.chart
    out["latest"] = last["x"].reindex(out.index)
    out["value"] = last["value"].reindex(out.index)
    out["target"] = last["target"].reindex(out.index) if "target" in last.columns else np.nan
    for col in ("cl", "lcl", "ucl"):
        out[col] = last[col].reindex(out.index)
    out["variation"] = icons["variation"].astype(object)
    out["assurance"] = icons["assurance"].astype(object)
    return out.reset_index()


@dataclass
class BoardReport:
    """Many indicators, computed together: ``table`` (one row per indicator: latest value,
    target, centre line and limits at the latest point, variation and assurance) and the
    ``results`` behind it. ``write(path)`` saves the HTML page."""

    results: list[SPCResult]
    table: pd.DataFrame
    indicator: str
    title: str
    intro: str
    _where: dict[Any, int]

    def indicators(self) -> list[Any]:
        """The indicators, in the order of the data."""
        return list(self.table[self.indicator])

    def result(self, name: Any) -> SPCResult:
        """The result that holds indicator `name` (shared with the indicators computed with it)."""
        if name not in self._where:
            raise InputError(f"no indicator {name!r} in this report", column=self.indicator, rule="unknown_series")
        return self.results[self._where[name]]

    def plot(self, name: Any, **options: Any) -> Any:
        """Indicator `name`'s chart (see :meth:`qiscope.SPCResult.plot` for the options)."""
        return self.result(name).plot(series=name, **options)

    def _sections(self) -> Iterator[str]:
        for k, name in enumerate(self.indicators()):
            res = self.result(name)
            mask = (res.summary[self.indicator] == name).to_numpy()
            phases = res.summary[mask]
            cols = [c for c in ("phase", "phase_name", "x_start", "x_end", "n_points", "cl", "lcl", "ucl",
                                "runs_signal", "sigma_signal", "variation", "assurance") if c in phases.columns]
            chart = spc_chart(res, series=[name], figsize=(9.5, 3.8), ncols=1)
            yield (f'<section id="indicator-{k + 1}"><h2>{qh.escape(name)}</h2>{chart}'
                   f"{icon_table(phases, columns=cols)}"
                   '<p class="no-print note"><a href="#summary">back to the summary</a></p></section>')

    def _summary_table(self) -> str:
        anchors = {name: f"indicator-{k + 1}" for k, name in enumerate(self.indicators())}

        def link(name: Any) -> str:
            return f'<a href="#{anchors[name]}">{qh.escape(name)}</a>'

        shown = self.table.assign(chart=self.table["chart"].map(chart_name))
        headers = {self.indicator: "Indicator", "chart": "Chart", "direction": "Improvement", "latest": "Latest",
                   "value": "Value", "target": "Target", "cl": "Mean", "lcl": "Lower limit",
                   "ucl": "Upper limit", "variation": "Variation", "assurance": "Assurance"}
        return icon_table(shown, columns=list(headers), headers=headers, formatters={self.indicator: link},
                          sort_keys={self.indicator: str}, sortable=True, table_id="summary")

    def to_html(self) -> str:
        """The whole report as one self-contained HTML page."""
        latest = pd.to_datetime(self.table["latest"], errors="coerce").max() if len(self.table) else None
        facts = f"{len(self.table)} indicators"
        if latest is not None and not pd.isna(latest):
            facts += f"; data to {qh.fmt(latest)}"
        rules = sorted({str(r.spec.get("rules")) for r in self.results})
        facts += f"; rules: {', '.join(rules)}. Click a column heading to sort."
        body = (
            f"<h1>{qh.escape(self.title)}</h1>"
            + (f"<p>{qh.escape(self.intro)}</p>" if self.intro else "")
            + f'<p class="note">{qh.escape(facts)}</p>'
            + self._summary_table()
            + "<details open><summary>What the icons mean</summary>" + icon_key() + "</details>"
            + "".join(self._sections())
            + '<p class="note">Variation icons describe each indicator\'s latest point; assurance icons '
              "compare its target with the latest process limits. Made with qiscope.</p>"
        )
        return qh.page(self.title, body)

    def write(self, path: str | Path) -> Path:
        """Write :meth:`to_html` to `path` (UTF-8) and return the path."""
        out = Path(path)
        out.write_text(self.to_html(), encoding="utf-8")
        return out

    def _repr_html_(self) -> str:
        cols = [self.indicator, "chart", "latest", "value", "target", "cl", "lcl", "ucl", "variation", "assurance"]
        return qh.block(icon_table(self.table, columns=cols),
                        title=f"{self.title}: {len(self.table)} indicators",
                        note="Charts: .plot(name); the full page: .write('report.html').")
