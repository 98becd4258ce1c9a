"""Charts of qiscope results: matplotlib (default) and plotly (optional, ``qiscope[plotly]``).

Use :meth:`qiscope.SPCResult.plot` and :meth:`qiscope.FunnelResult.plot`; this package holds the
drawing and the shared style.
"""

from __future__ import annotations

from ._funnel import plot_funnel
from ._mpl import plot_spc
from ._plotly import plot_funnel_plotly, plot_spc_plotly
from ._style import CHART_NAMES, COLOURS, POINT_LABELS, chart_name

__all__ = ["CHART_NAMES", "COLOURS", "POINT_LABELS", "chart_name", "plot_funnel", "plot_funnel_plotly", "plot_spc",
           "plot_spc_plotly"]
