"""The look shared by every qiscope chart, icon and report: one palette, one set of names.

Colours are those of NHS England's Making Data Count (as NHSRplotthedots' ``ptd_spc_colours``,
shared/design/spc-spec.md §3.4): grey for common-cause variation, blue for improvement,
orange for concern, purple for a change where no direction is better, red for the target.
"""

from __future__ import annotations

__all__ = ["CHART_NAMES", "COLOURS", "POINT_LABELS", "RULE_LABELS", "chart_name"]

COLOURS = {
    "common_cause": "#a6a6a6",
    "improvement": "#00b0f0",
    "concern": "#e46c0a",
    "neutral": "#490092",
    "target": "#de1b1b",
    # Lines and text (not MDC meanings).
    "line": "#a6a6a6",
    "cl": "#231f20",
    "limit": "#6d6e71",
    "baseline": "#f2f2f2",
    "phase": "#6d6e71",
    "text": "#231f20",
}

CHART_NAMES = {
    "run": "Run chart",
    "i": "I chart (XmR)",
    "mr": "MR chart",
    "xbar": "X-bar chart",
    "s": "S chart",
    "p": "P chart",
    "np": "NP chart",
    "c": "C chart",
    "u": "U chart",
    "pp": "P' chart (Laney)",
    "up": "U' chart (Laney)",
    "g": "G chart",
    "t": "T chart",
    "ip": "I' chart",
    "ewma": "EWMA chart",
    "cusum": "CUSUM chart",
    "bernoulli_cusum": "Bernoulli CUSUM",
    "ra_cusum": "Risk-adjusted CUSUM",
    "vlad": "VLAD chart",
}

POINT_LABELS = {
    "common_cause": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither better nor worse",
}

# How each rule's signal is named for people (keys are SPCResult.signal_rules() names).
RULE_LABELS = {
    "sigma": "outside the limits",
    "long_run": "long run",
    "few_crossings": "few crossings",
    "shift": "shift",
    "trend": "trend",
    "runs_count": "too few or too many runs",
    "two_of_three": "2 of 3 near a limit",
    "four_of_five": "4 of 5 beyond 1 sigma",
    "one_side": "run on one side",
    "alternating": "alternating",
    "hugging": "hugging the centre line",
    "mixture": "mixture",
}


def chart_name(chart: str) -> str:
    """A reader's name for a chart code (``"i"`` -> ``"I chart (XmR)"``)."""
    return CHART_NAMES.get(chart, f"{chart} chart")
