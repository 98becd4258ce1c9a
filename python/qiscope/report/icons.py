"""Variation and assurance icons as inline SVG, drawn by this project.

They carry the meaning of NHS England's Making Data Count icons in our own artwork:

- **Variation** (from the latest point): a ring in the colour of the meaning (grey common
  cause, blue improvement, orange concern, purple neither) around a small run of points. With
  common-cause variation the points wander around the centre line; with a special cause the
  last points step up (high) or down (low), drawn in colour, and an ``H`` or ``L`` says which.
- **Assurance** (the target against the process limits): a ring with a grey band for the
  process limits and a red dashed target line; ``P`` (blue: the process will consistently
  pass), ``F`` (orange: it will consistently fail) or ``?`` (grey: the target lies inside the
  limits, so it will be hit and miss).

Every icon has a ``<title>`` (a tooltip) and an ``aria-label``, so its meaning is also in words.
The SVGs use no ids, so any number of them can share one page.
"""

from __future__ import annotations

import html

from ..plot import COLOURS

__all__ = ["ASSURANCE_TEXT", "VARIATION_TEXT", "assurance_icon", "icon_key", "variation_icon"]

VARIATION_TEXT = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause variation: improvement (higher values)",
    "improvement_low": "Special cause variation: improvement (lower values)",
    "concern_high": "Special cause variation: concern (higher values)",
    "concern_low": "Special cause variation: concern (lower values)",
    "neutral_high": "Special cause variation: higher values, neither better nor worse",
    "neutral_low": "Special cause variation: lower values, neither better nor worse",
}
ASSURANCE_TEXT = {
    "pass": "The process will consistently meet the target",
    "fail": "The process will consistently fail the target",
    "hit_and_miss": "The process will sometimes meet and sometimes miss the target",
}

_GREY = COLOURS["common_cause"]
_DOTS_X = (8.0, 11.5, 15.0, 18.5, 22.0, 25.5)
_WANDER = (19.5, 16.5, 20.0, 17.0, 19.0, 17.5)  # common cause: around the centre (y = 18)


def _ring(colour: str, label: str, size: int, body: str) -> str:
    text = html.escape(label, quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 34 34" '
        f'role="img" aria-label="{text}" class="qiscope-icon"><title>{text}</title>'
        f'<circle cx="17" cy="17" r="15" fill="white" stroke="{colour}" stroke-width="2.5"/>{body}</svg>'
    )


def _letter(letter: str, y: float, colour: str) -> str:
    return (f'<text x="17" y="{y}" font-family="Arial, Helvetica, sans-serif" font-size="11" '
            f'font-weight="bold" text-anchor="middle" fill="{colour}">{letter}</text>')


def variation_icon(kind: str | None, size: int = 28) -> str:
    """SVG for a variation icon (``common_cause``, ``improvement_high``, ``concern_low``, ...);
    ``""`` for None or an unknown name (no icon rather than a wrong one).

    >>> variation_icon("concern_high").count("<svg")
    1
    """
    if kind is None or kind not in VARIATION_TEXT:
        return ""
    if kind == "common_cause":
        ys, colours, letter = _WANDER, [_GREY] * 6, ""
    else:
        meaning, side = kind.rsplit("_", 1)
        colour = COLOURS[meaning]
        step = -7.0 if side == "high" else 7.0  # SVG y grows downwards
        ys = (*_WANDER[:3], 18 + step, 18 + step * 1.15, 18 + step * 1.05)
        colours = [_GREY] * 3 + [colour] * 3
        # The letter sits on the side away from the points, so the two never overlap.
        letter = _letter("H" if side == "high" else "L", 29.0 if side == "high" else 13.5, colour)
    path = " ".join(f"{x},{y}" for x, y in zip(_DOTS_X, ys, strict=True))
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="1.9" fill="{c}"/>'
                   for x, y, c in zip(_DOTS_X, ys, colours, strict=True))
    ring = _GREY if kind == "common_cause" else COLOURS[kind.rsplit("_", 1)[0]]
    body = f'<polyline points="{path}" fill="none" stroke="{_GREY}" stroke-width="1"/>{dots}{letter}'
    return _ring(ring, VARIATION_TEXT[kind], size, body)


def assurance_icon(kind: str | None, size: int = 28) -> str:
    """SVG for an assurance icon (``pass``, ``fail``, ``hit_and_miss``); ``""`` for None.

    >>> "P</text>" in assurance_icon("pass")
    True
    """
    if kind is None or kind not in ASSURANCE_TEXT:
        return ""
    colour = {"pass": COLOURS["improvement"], "fail": COLOURS["concern"], "hit_and_miss": _GREY}[kind]
    letter = {"pass": "P", "fail": "F", "hit_and_miss": "?"}[kind]
    # The band of the process limits, and the target: apart from it (pass, fail) or through it.
    target_y = 14.0 if kind == "hit_and_miss" else 8.5
    body = (
        '<rect x="8" y="11" width="18" height="6" fill="#e0e0e0" stroke="none"/>'
        f'<line x1="7" y1="{target_y}" x2="27" y2="{target_y}" stroke="{COLOURS["target"]}" '
        'stroke-width="1.4" stroke-dasharray="2.5 1.5"/>'
        + _letter(letter, 30.0, colour)
    )
    return _ring(colour, ASSURANCE_TEXT[kind], size, body)


def icon_key(size: int = 22) -> str:
    """An HTML key explaining every icon (for reports)."""
    rows = [f"<li>{variation_icon(k, size)} {html.escape(t)}</li>" for k, t in VARIATION_TEXT.items()]
    rows += [f"<li>{assurance_icon(k, size)} {html.escape(t)}</li>" for k, t in ASSURANCE_TEXT.items()]
    return f'<ul class="qiscope-key">{"".join(rows)}</ul>'
