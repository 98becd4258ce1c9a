"""Safety-culture survey scoring: instruments, percent positive, privacy, psychometrics, gaps.

>>> import qiscope as qi
>>> inst = qi.culture.instrument("sops-hospital-2.0")
>>> table = qi.culture.score(responses, inst, unit="ward")          # doctest: +SKIP
>>> qi.culture.reliability(responses, inst, measure="teamwork")     # doctest: +SKIP

Every statistic is computed by qiscope's C++ core; small cells are suppressed there, before
any result leaves it, so every table, chart and export inherits the protection.
"""

from __future__ import annotations

from ._gap import gap
from ._instrument import Instrument, available, instrument
from ._psychometrics import AgreementResult, ReliabilityResult, agreement, reliability
from ._responses import PolarityWarning
from ._score import score, unit_funnel, unit_table, wave_chart, wave_table
from ._tables import GapTable, ScoreTable
from .datasets import example_survey

__all__ = [
    "AgreementResult",
    "GapTable",
    "Instrument",
    "PolarityWarning",
    "ReliabilityResult",
    "ScoreTable",
    "agreement",
    "available",
    "example_survey",
    "gap",
    "instrument",
    "reliability",
    "score",
    "unit_funnel",
    "unit_table",
    "wave_chart",
    "wave_table",
]


def __dir__() -> list[str]:
    return __all__
