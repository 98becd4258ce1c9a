"""Charts of qiscope results (matplotlib)."""

from __future__ import annotations

from ._mpl import COLOURS, plot_spc

__all__ = ["COLOURS", "plot_spc"]
