# Type stubs for qiscope._core, the private pybind11 extension (cpp/bindings/). Hand-written;
# tests/python/test_docs.py checks that they match the compiled module.
#
# `spc` is a submodule at run time; it is declared as a class here so that one stub file can
# describe it (attribute access `_core.spc.compute(...)` type-checks the same way).

from typing import Any

import numpy as np
from numpy.typing import NDArray

__version__: str

class spc:
    """_core.spc: statistical process control."""

    point_type_names: list[str]
    variation_names: list[str]
    assurance_names: list[str]

    @staticmethod
    def compute(
        spec_json: str,
        y: NDArray[np.float64],
        n: NDArray[np.float64] | None = None,
        series: NDArray[np.int64] | None = None,
        x: NDArray[np.int64] | None = None,
        phase_label: NDArray[np.int64] | None = None,
        exclude: NDArray[np.uint8] | None = None,
        target: NDArray[np.float64] | None = None,
        risk: NDArray[np.float64] | None = None,
        point_columns: list[str] | None = None,
        batch_points: int = 1048576,
    ) -> dict[str, dict[str, NDArray[Any]]]:
        """Compute SPC charts for many series: {"points": {column: array}, "phases": {...}}.
        point_columns: the point columns to compute (None: all); batch_points: points computed
        at a time (bounds the working memory; the results do not depend on it)."""

    @staticmethod
    def x_gaps(
        series: NDArray[np.int64],
        x: NDArray[np.int64],
        x_position: NDArray[np.float64],
        factor: float = 1.5,
        n_threads: int = 0,
    ) -> NDArray[np.bool_]:
        """For each point (ordered by series, then x; x codes into x_position), whether its step
        from the previous point of its series is more than factor times the series' median step."""

    @staticmethod
    def resolve_spec(spec_json: str) -> str:
        """Validate a spec (JSON) and return it with every field filled in (JSON)."""

class culture:
    """_core.culture: survey instruments, scoring and psychometrics. Results come back as dicts
    of numpy columns (score) or JSON text (the others); qiscope.culture turns them into frames."""

    kind_names: tuple[str, str, str]
    reason_names: list[str]

    class Instrument:
        """A validated survey instrument (use qiscope.culture.Instrument)."""

        name: str
        n_items: int
        @staticmethod
        def from_json(text: str) -> culture.Instrument: ...
        def to_json(self) -> str: ...

    class ScoreCounts:
        """Additive tallies of a score (C++ culture::ScoreCounts); picklable (CBOR bytes)."""

        n_rows: int
        n_units: int
        unit_labels: list[str]
        observed_bounds: list[tuple[float, float]]
        def to_bytes(self) -> bytes: ...
        @staticmethod
        def from_bytes(data: bytes) -> culture.ScoreCounts: ...

    @staticmethod
    def score(
        instrument: culture.Instrument,
        values: Any,
        unit: Any,
        unit_labels: list[str],
        min_n: int,
        conf_level: float,
        composite: str,
        reverse_by: str,
    ) -> dict[str, Any]:
        """Score table as a dict of numpy columns."""

    @staticmethod
    def count(
        instrument: culture.Instrument,
        values: Any,
        unit: Any,
        unit_labels: list[str],
        reverse_by: str,
        observed_bounds: list[tuple[float, float]],
    ) -> culture.ScoreCounts:
        """Additive tallies of a score (rows x items of raw codes, per unit)."""

    @staticmethod
    def merge_counts(a: culture.ScoreCounts, b: culture.ScoreCounts) -> culture.ScoreCounts:
        """The tallies of both sets of respondents (units matched by label)."""

    @staticmethod
    def order_units(counts: culture.ScoreCounts, labels: list[str]) -> culture.ScoreCounts:
        """The tallies with their units in this label order."""

    @staticmethod
    def score_from_counts(
        instrument: culture.Instrument,
        counts: culture.ScoreCounts,
        min_n: int,
        conf_level: float,
        composite: str,
        reverse_by: str,
    ) -> dict[str, Any]:
        """Score table (dict of numpy columns) from tallies."""

    @staticmethod
    def reliability(
        instrument: culture.Instrument, values: Any, measure: str, missing: str, min_n: int, conf_level: float,
        reverse_by: str,
    ) -> str:
        """Reliability of a composite (JSON)."""

    @staticmethod
    def agreement(
        instrument: culture.Instrument, values: Any, unit: Any, unit_labels: list[str], measure: str, min_n: int,
        conf_level: float, reverse_by: str,
    ) -> str:
        """Within-unit agreement and ICC (JSON)."""

    @staticmethod
    def gap(
        instrument: culture.Instrument, values: Any, unit: Any, unit_labels: list[str], a: str, b: str, min_n: int,
        conf_level: float, reverse_by: str,
    ) -> str:
        """Paired gap between two items of an instrument (JSON)."""

    @staticmethod
    def gap_values(
        a: Any, b: Any, unit: Any, unit_labels: list[str], name_a: str, name_b: str, min_n: int, conf_level: float,
        positive: Any,
    ) -> str:
        """Paired gap between two columns of scored values (JSON)."""

    @staticmethod
    def checked_result_json(text: str) -> str:
        """A culture result document (JSON) checked by the C++ readers and written again."""

    @staticmethod
    def min_n_preset(name: str) -> int: ...
