"""qiscope on Dask DataFrames: the results of ``qi.spc``, ``qi.funnel`` and ``qi.culture.score``.

>>> import dask.dataframe as dd, qiscope.dask
>>> ddf = dd.read_parquet("indicators/")                                   # doctest: +SKIP
>>> res = qiscope.dask.spc(ddf, y="value", x="month", by="trust", chart="i")  # doctest: +SKIP
>>> res.summary.head()          # lazy Dask DataFrames                     # doctest: +SKIP
>>> res.compute()               # an ordinary qiscope.SPCResult            # doctest: +SKIP

How it works
------------
SPC is order-dependent within a series, so every row of a series must sit in one partition:
``spc`` shuffles the rows on the ``by`` columns (``DataFrame.shuffle(on=by)``), then computes
each partition with the pandas path - one C++ call for all the series of the partition, with
the GIL released - after putting the partition's rows back in their input order (a shuffle
does not keep it, and rows sharing an x are summed in input order, so the results are
bit-identical to ``qi.spc`` on the whole table). ``points`` and ``summary`` come from the
same task per partition; their ``meta`` is built from the schema the pandas path uses
(``qiscope._schema``).

A funnel plot needs only each unit's totals, which add up across partitions: ``funnel`` sums
y and n per unit in each partition, reduces those sums with a groupby-sum, and makes one C++
call on the (small) table of unit totals.

Survey counts add up too: ``score`` tallies each partition in the culture core (integer counts
per unit, item and composite), adds the tallies pairwise in a tree, and scores the total once
on the client (percentages, intervals and suppression need every unit at once).

Requires ``pip install 'qiscope[dask]'``. Inside a Dask worker the core uses all cores by
default; with several worker processes per machine pass ``n_threads=1`` to avoid
oversubscription (results do not depend on it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _core, _schema
from .errors import InputError
from .funnel import FunnelResult
from .funnel import funnel as _pandas_funnel
from .spc import SPCResult
from .spc import spc as _pandas_spc

__all__ = ["DaskSPCResult", "funnel", "score", "spc"]

# A column added to carry each row's input position through the shuffle: the partition number
# in the high bits, the position within the partition in the low 40 bits.
_ROW_KEY = "__qiscope_row__"
_ROW_BITS = 40


def __dir__() -> list[str]:
    return __all__


def _dask() -> Any:
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as err:  # pragma: no cover - only without the extra
        raise ImportError("qiscope.dask needs Dask: pip install 'qiscope[dask]'") from err
    return dask, dd


def _check_frame(data: Any) -> None:
    _, dd = _dask()
    if not isinstance(data, dd.DataFrame):
        raise InputError(
            f"qiscope.dask takes a Dask DataFrame, not {type(data).__name__} (use qi.spc for pandas)",
            column="data",
            rule="type",
        )


def _names(by: Any) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _require_columns(data: Any, roles: dict[str, Any]) -> None:
    """Every column argument must name a column: array-likes do not partition with the data."""
    for role, value in roles.items():
        for name in _names(value):
            if not isinstance(name, str):
                raise InputError(
                    f"{role}= must name a column of the Dask DataFrame (array-likes are not "
                    "partitioned with the data)",
                    column=role,
                    rule="column_name",
                )
            if name not in data.columns:
                raise InputError(
                    f"column {name!r} (given as {role}=) is not in the data; columns are {list(data.columns)}",
                    column=name,
                    rule="unknown_column",
                )


def _with_row_key(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    number = 0 if partition_info is None else int(partition_info["number"])
    if len(part) >= 1 << _ROW_BITS:  # pragma: no cover - a trillion rows in one partition
        raise InputError("a partition has too many rows (2**40)", column="data", rule="partition_size")
    keyed = part.copy(deep=False)
    keyed[_ROW_KEY] = (np.int64(number) << _ROW_BITS) + np.arange(len(part), dtype=np.int64)
    return keyed


def _spc_partition(part: pd.DataFrame, options: dict[str, Any], meta: tuple[pd.DataFrame, pd.DataFrame]
                   ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any] | None]:
    """The pandas path on one partition (whole series only), rows back in input order."""
    if len(part) == 0:
        return meta[0], meta[1], None
    ordered = part.sort_values(_ROW_KEY, kind="stable").drop(columns=_ROW_KEY).reset_index(drop=True)
    direction = options.get("direction")
    if isinstance(direction, Mapping):  # the series of this partition (compute() checks the rest)
        by = _names(options.get("by"))
        present = pd.MultiIndex.from_frame(ordered[by]) if len(by) > 1 else pd.Index(ordered[by[0]])
        options = {**options, "direction": {k: v for k, v in direction.items() if k in present}}
    res = _pandas_spc(ordered, **options)
    return res.points, res.summary, res.spec


def _spc_columns(options: dict[str, Any]) -> dict[str, Any]:
    """The arguments of qi.spc that name columns (part, exclude, target may also be values)."""
    roles = {k: options.get(k) for k in ("y", "n", "x", "by", "risk")}
    for role in ("part", "exclude", "target"):
        if isinstance(options.get(role), str):
            roles[role] = options[role]
    return roles


class DaskSPCResult:
    """Lazy SPC results: ``points`` and ``summary`` are Dask DataFrames (one partition per
    partition of the shuffled input, series whole); :meth:`compute` returns the
    :class:`qiscope.SPCResult` that ``qi.spc`` gives for the same rows, in the same order."""

    def __init__(self, results: list[Any], points: Any, summary: Any, by: list[str], direction: Any = None) -> None:
        self._results = results
        self._direction = direction
        self.points = points
        self.summary = summary
        self.by = by

    def compute(self, **kwargs: Any) -> SPCResult:
        """Compute every partition (``kwargs`` go to ``dask.compute``, e.g. ``scheduler=``)."""
        dask, _ = _dask()
        parts = dask.compute(*self._results, **kwargs)
        spec = next((p[2] for p in parts if p[2] is not None), None)
        if spec is None:
            raise InputError("the data have no rows", column="data", rule="empty")
        points = pd.concat([p[0] for p in parts], ignore_index=True)
        summary = pd.concat([p[1] for p in parts], ignore_index=True)
        if self.by:  # the pandas path orders series by their labels; keep each series' order
            points = points.sort_values(self.by, kind="stable", ignore_index=True)
            summary = summary.sort_values(self.by, kind="stable", ignore_index=True)
        if "series_direction" in spec:
            spec = {**spec, "series_direction": self._series_direction(parts, summary)}
        return SPCResult(points, summary, spec, list(self.by))

    def _series_direction(self, parts: tuple[Any, ...], summary: pd.DataFrame) -> list[str]:
        """Each partition's per-series directions, in the order of the combined series; a
        mapping's label that no partition holds is an error, as in qi.spc."""
        if not self.by:  # one series, in one partition
            return next(p[2]["series_direction"] for p in parts if p[2] is not None)

        def labels(table: pd.DataFrame) -> list[Any]:
            unique = table[self.by].drop_duplicates()
            return list(unique.itertuples(index=False, name=None)) if len(self.by) > 1 else list(unique[self.by[0]])
        known: dict[Any, str] = {}
        for _, part_summary, part_spec in parts:
            if part_spec is not None:
                known.update(zip(labels(part_summary), part_spec["series_direction"]))
        if isinstance(self._direction, Mapping):
            absent = [k for k in self._direction if k not in known]
            if absent:
                raise InputError(f"direction= names series that are not in the data: {absent}", column="direction",
                                 rule="unknown_series")
        return [known[label] for label in labels(summary)]

    def __repr__(self) -> str:
        return f"<DaskSPCResult partitions={len(self._results)} by={self.by}>"


def spc(data: Any, **options: Any) -> DaskSPCResult:
    """``qi.spc`` on a Dask DataFrame: the same arguments, lazy results.

    Parameters
    ----------
    data : dask.dataframe.DataFrame
        The rows. ``y``, ``n``, ``x``, ``by``, ``risk`` (and ``part``, ``exclude``, ``target``
        when given as columns) must name its columns. A single ``by`` may instead be the
        frame's index when its divisions are known (``ddf.set_index("trust")``, or Parquet
        read sorted): then every series is already whole in one partition and no shuffle
        is made.
    **options
        As :func:`qiscope.spc`. ``x`` is required: after the shuffle, row order is only known
        through x (rows sharing an x keep their input order).

    Returns
    -------
    DaskSPCResult
        ``.points`` and ``.summary`` (lazy Dask DataFrames), ``.compute()`` (an
        :class:`qiscope.SPCResult`, equal to ``qi.spc`` on the whole table).

    Notes
    -----
    Each partition is computed on its own, so options checked against "the longest series"
    (``part`` and ``exclude`` positions) are checked within the partition. A categorical
    ``by`` column should have known categories (``ddf.categorize()``); with unknown ones each
    partition has its own and the combined labels may not keep the pandas path's dtype.
    """
    dask, dd = _dask()
    _check_frame(data)
    if options.get("x") is None:
        raise InputError(
            "x is required with Dask: a shuffle does not keep row order, so the order of a series "
            "must come from its x (dates or numbers)",
            column="x",
            rule="required",
        )
    if "data" in options:
        raise InputError("give the Dask DataFrame as the first argument", column="data", rule="type")
    by = _names(options.get("by"))
    # A frame indexed by its one series column with known divisions already holds each series
    # whole in one partition (dask's fast groupby case): no shuffle is needed.
    presorted = (len(by) == 1 and by[0] not in data.columns and data.index.name == by[0]
                 and data.known_divisions)
    if presorted:
        data = data.reset_index()
    roles = _spc_columns(options)
    if isinstance(options.get("direction"), str) and options["direction"] in data.columns:
        roles["direction"] = options["direction"]  # a column of per-series directions
    _require_columns(data, roles)
    x_dtype = data.dtypes[options["x"]]
    if pd.api.types.is_string_dtype(x_dtype) and not isinstance(x_dtype, pd.CategoricalDtype):
        raise InputError(
            f"column {options['x']!r}: text x is not supported with Dask (whether it holds dates is "
            "only known from all its values); convert it first, e.g. with dd.to_datetime, or make "
            "it a categorical",
            column=options["x"],
            rule="text_x",
        )
    columns = list(dict.fromkeys(name for value in roles.values() for name in _names(value)))
    frame = data[columns].map_partitions(
        _with_row_key, meta=data[columns]._meta.assign(**{_ROW_KEY: np.zeros(0, dtype=np.int64)})
    )
    if by and not presorted:
        frame = frame.shuffle(on=by)
    elif not by:
        frame = frame.repartition(npartitions=1)
    by_dtypes = {name: data.dtypes[name] for name in by}
    phase_names = isinstance(options.get("part"), str)
    kept = _schema.point_columns_of(options.get("point_columns"), by)  # point_columns=, checked early
    meta = (_schema.points_meta(by_dtypes, x_dtype, target=options.get("target") is not None, columns=kept),
            _schema.summary_meta(by_dtypes, x_dtype, phase_names=phase_names))
    task = dask.delayed(_spc_partition, pure=True, nout=3)
    results = [task(part, options, meta) for part in frame.to_delayed()]
    # The meta is exact: Dask must not convert its text columns to its own string dtype.
    with dask.config.set({"dataframe.convert-string": False}):
        points = dd.from_delayed([r[0] for r in results], meta=meta[0])
        summary = dd.from_delayed([r[1] for r in results], meta=meta[1])
    return DaskSPCResult(results, points, summary, by, options.get("direction"))


def _unit_totals(part: pd.DataFrame, by: list[str], y: str, n: str, proportion: bool) -> pd.DataFrame:
    """Per unit: the sums of y and n over the partition's rows, after the row checks the
    pandas path makes (so that no bad row hides inside a sum)."""
    for column in (y, n):
        values = part[column]
        if not pd.api.types.is_numeric_dtype(values.dtype):
            raise InputError(f"column {column!r} is not numeric", column=column, rule="numeric")
        v = values.to_numpy(dtype=np.float64, na_value=np.nan)
        for rule, bad, what in (("missing", np.isnan(v), "is missing"), ("finite", np.isinf(v), "is infinite"),
                                ("non_negative", v < 0, "is negative")):
            if bad.any():
                unit = part[by].iloc[int(np.argmax(bad))].tolist()
                raise InputError(f"column {column!r}: a row of unit {unit} {what}", column=column, rule=rule)
    if proportion:
        above = part[y].to_numpy(dtype=np.float64) > part[n].to_numpy(dtype=np.float64)
        if above.any():
            unit = part[by].iloc[int(np.argmax(above))].tolist()
            raise InputError(f"a row of unit {unit} has y above n (a proportion needs y <= n)",
                             column=y, rule="numerator_le_denominator")
    return part.groupby(by, observed=True, sort=False)[[y, n]].sum().reset_index()


def funnel(data: Any, *, y: str, n: str, by: Any = None, **options: Any) -> FunnelResult:
    """``qi.funnel`` on a Dask DataFrame: unit totals are summed where the data live.

    Parameters
    ----------
    data : dask.dataframe.DataFrame
        The rows; ``y``, ``n`` and ``by`` name its columns.
    y, n, by, **options
        As :func:`qiscope.funnel`. With ``by``, each partition sums y and n per unit and the
        partial sums are added up (they are additive); only the table of unit totals reaches
        the C++ core. Without ``by`` every row is a unit and the rows are collected.

    Returns
    -------
    FunnelResult
        The same as ``qi.funnel`` on the whole table (sums of non-integer values may differ in
        the last bit, as any change in summation order can).
    """
    _, dd = _dask()
    _check_frame(data)
    _require_columns(data, {"y": y, "n": n, "by": by})
    names = _names(by)
    if not names:
        return _pandas_funnel(data[[y, n]].compute(), y=y, n=n, **options)
    proportion = options.get("kind", "proportion") == "proportion"
    part_meta = data[[*names, y, n]]._meta
    meta = _unit_totals(part_meta, names, y, n, proportion)
    partial = data[[*names, y, n]].map_partitions(_unit_totals, names, y, n, proportion, meta=meta)
    totals = partial.groupby(names, observed=True).sum().compute().reset_index()
    return _pandas_funnel(totals, y=y, n=n, by=names, **options)


def score(data: Any, instrument: Any, *, unit: str | None = "unit", min_n: int | str | None = None,
          conf_level: float = 0.95, composite: str = "item_mean", reverse_by: str = "scale") -> Any:
    """``qi.culture.score`` on a Dask DataFrame: partitions are tallied where they live, the
    tallies added up, and the total scored once.

    Parameters
    ----------
    data : dask.dataframe.DataFrame
        One row per respondent, one column per instrument item (raw codes).
    instrument, unit, min_n, conf_level, composite, reverse_by
        As :func:`qiscope.culture.score`; ``unit`` must name a column (or be None).

    Returns
    -------
    ScoreTable
        Exactly ``qi.culture.score(data.compute(), instrument, unit=unit, ...)``, bit for bit.

    Notes
    -----
    Each partition is counted by the culture core (``count``: per unit and item the valid,
    positive, neutral, negative and DNA answers and the sum of codes; per unit and composite the
    scored and positive respondents, their score sums grouped by items answered, and the
    co-answer tables that give the respondent-clustered variance of the item-mean percentage;
    the polarity check's moments). Every tally is an integer (or a minimum/maximum), so the
    partial tallies, added pairwise in a tree, give exactly the tallies of the whole, whatever
    the partitioning. Only the total reaches the client, where one ``score_from_counts`` makes
    the percentages, intervals and suppression: the overall rows and complementary suppression
    need every unit at once, so partitions are never scored on their own. Units are matched by
    label; the table's units are in sorted label order (a categorical keeps its categories'
    order), as in the pandas path.

    ``reverse_by="observed"`` reverses with the smallest and largest answer of all the data,
    which no partition knows: the partitions are then read twice, once for those bounds and
    once to count with them.

    A bad value raises the same :class:`~qiscope.InputError` as the pandas path, with the row
    counted over the whole frame (found from the partition lengths, computed only then); when
    several partitions hold bad values, the first such partition's error is raised.
    """
    import dask

    from .culture._instrument import as_instrument
    from .culture._responses import min_n_arg
    from .culture._score import scored_table

    _check_frame(data)
    _require_columns(data, {"unit": unit})
    inst = as_instrument(instrument)
    missing = [item for item in inst.items if item not in data.columns]
    if missing:
        raise InputError(
            f"item {missing[0]!r} of instrument {inst.name!r} is not a column of the responses "
            f"(columns: {list(data.columns)[:12]}{'...' if len(data.columns) > 12 else ''})",
            column=missing[0], rule="unknown_item")
    # Bad options fail now, before any partition is read: score no respondents with them.
    threshold = min_n_arg(min_n)
    _core.culture.score(inst._core, np.zeros((0, len(inst.items))), None, [], threshold, float(conf_level),
                        composite, reverse_by)
    frame = data[list(dict.fromkeys([*_names(unit), *inst.items]))]
    bounds: list[tuple[float, float]] = []
    if reverse_by == "observed":
        bounds = _total_tally(frame, inst, unit, "scale", [], dask).counts.observed_bounds
    total = _total_tally(frame, inst, unit, reverse_by, bounds, dask)
    counts, labels = total.counts, None
    if unit is not None:
        labels = _unit_order(total.labels, frame._meta[unit].dtype)
        counts = _core.culture.order_units(counts, [str(v) for v in labels])
    out = _core.culture.score_from_counts(inst._core, counts, threshold, float(conf_level), composite, reverse_by)
    return scored_table(out, inst, labels, unit, conf_level=conf_level, composite=composite)


@dataclass
class _Tally:
    """The tallies of some partitions, the original unit labels they hold, or the first error."""

    first: int                    # the first partition it covers
    counts: Any = None            # _core.culture.ScoreCounts
    labels: pd.Index | None = None
    error: InputError | None = None


def _count_partition(part: pd.DataFrame, index: int, inst: Any, unit: str | None, reverse_by: str,
                     bounds: list[tuple[float, float]]) -> _Tally:
    from .culture._responses import answers, renamed

    try:
        data = answers(part, inst, unit)
        labels = [str(v) for v in data.unit_labels] if data.unit_labels is not None else []
        counts = _core.culture.count(inst._core, data.values, data.unit, labels, reverse_by, bounds)
    except InputError as err:
        return _Tally(index, error=renamed(err, unit) if unit is not None else err)
    return _Tally(index, counts, data.unit_labels)


def _add_tallies(a: _Tally, b: _Tally) -> _Tally:
    if a.error is not None or b.error is not None:  # the error of the first partition wins
        return min((t for t in (a, b) if t.error is not None), key=lambda t: t.first)
    labels = a.labels if b.labels is None else b.labels if a.labels is None else a.labels.append(b.labels).unique()
    return _Tally(min(a.first, b.first), _core.culture.merge_counts(a.counts, b.counts), labels)


def _total_tally(frame: Any, inst: Any, unit: str | None, reverse_by: str, bounds: list[tuple[float, float]],
                 dask: Any) -> _Tally:
    """Counts every partition, adds the tallies pairwise (a tree), raises the first error."""
    tallies = [dask.delayed(_count_partition)(part, i, inst, unit, reverse_by, bounds)
               for i, part in enumerate(frame.to_delayed())]
    while len(tallies) > 1:
        pairs = [dask.delayed(_add_tallies)(a, b) for a, b in zip(tallies[::2], tallies[1::2])]
        tallies = pairs + tallies[len(pairs) * 2:]
    (total,) = dask.compute(tallies[0])
    if total.error is not None:
        raise _in_whole_frame(total.error, frame, total.first) from None
    return total


def _in_whole_frame(err: InputError, frame: Any, partition: int) -> InputError:
    """The error with its row counted from the frame's first row, not the partition's."""
    if err.row is None or err.row < 0 or partition == 0:
        return err
    offset = int(sum(frame.partitions[:partition].map_partitions(len).compute()))
    message = str(err).replace(f"row {err.row}", f"row {err.row + offset}", 1)
    return InputError(message, column=err.column, row=err.row + offset, rule=err.rule)


def _unit_order(labels: pd.Index, dtype: Any) -> pd.Index:
    """The units in the pandas path's order. A categorical: its categories, which every
    partition lists in full, joined in partition order (as concatenating the partitions does).
    Else the sorted labels: pd.factorize(sort=True) of the labels the partitions found, as the
    pandas path factorizes the whole column."""
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Index(labels)
    return pd.Index(pd.factorize(labels, sort=True)[1])
