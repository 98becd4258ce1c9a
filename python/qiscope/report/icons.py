"""Variation and assurance icons as inline SVG, drawn by this project.

Shapes follow the meaning of the NHS Making Data Count icons (a circle coloured by the kind
of variation, a letter for high or low; a circle with P, F or a question mark for assurance);
the artwork is our own.
"""

from __future__ import annotations

from ..plot import COLOURS

__all__ = ["assurance_icon", "variation_icon"]

_VARIATION = {
    "common_cause": (COLOURS["common_cause"], "~"),
    "improvement_high": (COLOURS["improvement"], "H"),
    "improvement_low": (COLOURS["improvement"], "L"),
    "concern_high": (COLOURS["concern"], "H"),
    "concern_low": (COLOURS["concern"], "L"),
    "neutral_high": (COLOURS["neutral"], "H"),
    "neutral_low": (COLOURS["neutral"], "L"),
}
_ASSURANCE = {
    "pass": (COLOURS["improvement"], "P"),
    "fail": (COLOURS["concern"], "F"),
    "hit_and_miss": (COLOURS["common_cause"], "?"),
}


def _circle(colour: str, letter: str, title: str, size: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 32 32" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<circle cx="16" cy="16" r="14" fill="white" stroke="{colour}" stroke-width="3"/>'
        f'<text x="16" y="21.5" font-family="Arial, sans-serif" font-size="16" font-weight="bold" '
        f'text-anchor="middle" fill="{colour}">{letter}</text></svg>'
    )


def variation_icon(kind: str | None, size: int = 28) -> str:
    """SVG for a variation icon name (``common_cause``, ``improvement_high``, ...)."""
    if kind is None or kind not in _VARIATION:
        return ""
    colour, letter = _VARIATION[kind]
    return _circle(colour, letter, kind.replace("_", " "), size)


def assurance_icon(kind: str | None, size: int = 28) -> str:
    """SVG for an assurance icon name (``pass``, ``fail``, ``hit_and_miss``)."""
    if kind is None or kind not in _ASSURANCE:
        return ""
    colour, letter = _ASSURANCE[kind]
    return _circle(colour, letter, kind.replace("_", " "), size)
