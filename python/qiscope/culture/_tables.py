"""Result tables that are pandas DataFrames and show themselves in Jupyter.

``score()`` and ``gap()`` return tidy DataFrames, as analysts expect. These subclasses add only a
Jupyter display (qiscope's HTML: withheld cells explained, the overall row named); any operation
on them - a selection, a copy, a merge - gives a plain DataFrame, so nothing else changes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["GapTable", "ScoreTable"]


class _ResultTable(pd.DataFrame):
    @property
    def _constructor(self) -> Any:
        return pd.DataFrame  # derived frames are plain DataFrames

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Any:
        table = cls(frame)
        table.attrs = dict(frame.attrs)
        return table


class ScoreTable(_ResultTable):
    """The table :func:`qiscope.culture.score` returns: a pandas DataFrame that shows its
    composite rows in Jupyter, withheld cells explained."""

    def _repr_html_(self) -> str:  # type: ignore[override]
        from ..report._culture import score_html

        return score_html(self)


class GapTable(_ResultTable):
    """The table :func:`qiscope.culture.gap` returns: a pandas DataFrame that shows itself in
    Jupyter with the overall row first and withheld units explained."""

    def _repr_html_(self) -> str:  # type: ignore[override]
        from ..report._culture import gap_html

        return gap_html(self)
