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
    def resolve_spec(spec_json: str) -> str:
        """Validate a spec (JSON) and return it with every field filled in (JSON)."""
