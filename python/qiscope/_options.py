"""Options on their way to the C++ core: plain JSON values, finite, named as the caller named them.

The core validates every option (types, ranges, whole numbers), but JSON has no NaN or
infinity, and numpy scalars are not JSON. This turns numpy numbers into Python ones and
refuses non-finite ones here, naming the keyword the caller used.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from .errors import InputError

__all__ = ["plain_spec"]


def _plain(value: Any, keyword: str) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise InputError(f"option {keyword!r} must be a finite number, not {number}", column=keyword, rule="finite")
        return number
    if isinstance(value, (list, tuple)):
        return [_plain(v, keyword) for v in value]
    raise InputError(
        f"option {keyword!r} must be a number, text or a list, not {type(value).__name__}", column=keyword, rule="type"
    )


def plain_spec(spec: Mapping[str, Any], keywords: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The spec with JSON-ready values; `keywords` maps spec keys to the caller's keyword names."""
    keywords = keywords or {}
    return {key: _plain(value, keywords.get(key, key)) for key, value in spec.items()}
