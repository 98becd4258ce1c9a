"""Charts of qiscope results (matplotlib)."""

from __future__ import annotations

from ._funnel import plot_funnel
from ._mpl import COLOURS, plot_spc

__all__ = ["COLOURS", "plot_funnel", "plot_spc"]
