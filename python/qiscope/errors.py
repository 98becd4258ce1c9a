"""The error qiscope raises for input a user can fix."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Invalid input, naming the column, the row and the rule it broke.

    Attributes
    ----------
    column : str
        The column (or option) at fault, as the caller named it.
    row : int or None
        0-based position of the offending row in the input, or None when the problem is not
        tied to one row.
    rule : str
        A short name of the check that failed (``"finite"``, ``"missing"``, ``"range"``, ...).
    """

    def __init__(self, message: str, *, column: str, row: int | None = None, rule: str = "") -> None:
        super().__init__(message)
        self.column = column
        self.row = row
        self.rule = rule

    def __reduce__(self):  # keep the attributes through pickling (dask, multiprocessing)
        return (_rebuild, (str(self), self.column, self.row, self.rule))


def _rebuild(message: str, column: str, row: int | None, rule: str) -> InputError:
    return InputError(message, column=column, row=row, rule=rule)
