"""qiscope: statistical process control and safety-culture analytics for healthcare QI.

>>> import qiscope as qi
>>> chart = qi.spc(data, y="infections", n="bed_days", x="month", chart="u", multiply=1000)
>>> chart.summary

The statistics are computed by a C++ core (``qiscope._core``); this package converts inputs and
presents results (pandas tables, matplotlib charts, HTML reports).
"""

from __future__ import annotations

try:
    from . import _core
except ImportError as err:  # pragma: no cover - only seen with a broken install
    msg = (
        "qiscope's compiled core (qiscope._core) could not be imported. Install qiscope with "
        "`pip install .` from a source checkout (or `make venv`), not by putting python/ on the path."
    )
    raise ImportError(msg) from err

from . import culture, datasets, report
from .errors import InputError
from .funnel import FunnelResult, funnel
from .spc import SPCResult, spc

__version__ = "0.1.0"

__all__ = ["FunnelResult", "InputError", "SPCResult", "__version__", "culture", "datasets", "funnel", "report", "spc"]


def __dir__() -> list[str]:
    return __all__
