"""A synthetic safety-culture survey that qiscope generates itself, with a fixed seed.

``example_survey()`` simulates the AHRQ SOPS Hospital Survey 2.0 (the built-in
``"sops-hospital-2.0"`` instrument: items A1-F6 with D3 and E1) plus the leader-vulnerability
pair (``want_vulnerability``, ``show_vulnerability``) for the 14 units of a fictional acute
trust, "Riverside General". Nothing in it comes from real respondents.

The generating model, per respondent: a safety-climate factor g = unit effect + wave effect +
N(0, 1) (unit effects N(0, 0.45^2); from wave 5 on, a culture programme lifts g by 0.35), one
factor per composite, and item noise; each item's latent value 0.6 g' + 0.45 c + 0.66 e is cut
into 1-5 at item-specific thresholds. Negatively worded items are stored as answered (6 - the
positive-direction code). About 4% of agreement and frequency answers are 9 ("does not apply /
don't know") and 2% of all answers are blank. Two units are small (7 and 4 respondents a wave)
so that suppression has something to do. The vulnerability pair follows the culture-spec §2.6
workshop (means about 4.6 and 3.3).

The generator uses ``numpy.random.default_rng(seed)``; the same version of numpy gives the same
numbers everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._instrument import instrument

__all__ = ["SEED", "UNITS", "example_survey"]

SEED = 20261123

#: Units of the fictional trust and their respondents per wave.
UNITS = {
    "Acute Medical Unit": 38, "Cardiology": 27, "Critical Care": 31, "Day Surgery": 12,
    "Emergency Department": 45, "Endoscopy": 7, "Maternity": 33, "Oncology": 22,
    "Orthopaedics": 19, "Paediatrics": 24, "Renal": 15, "Respiratory": 18, "Stroke": 4,
    "Theatres": 29,
}

# Composites whose items are answered less favourably than others (AHRQ database pattern).
_HARDER = {"staffing_work_pace": 0.7, "response_to_error": 0.45, "handoffs_information_exchange": 0.35}


def _cut(latent: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Codes 1..len(cuts)+1: one plus the number of thresholds below each latent value."""
    return 1.0 + (latent[:, None] > cuts[None, :]).sum(axis=1)


def example_survey(seed: int = SEED, waves: int = 1) -> pd.DataFrame:
    """Synthetic SOPS 2.0 responses with the vulnerability pair.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``.
    waves : int
        Number of survey waves (new respondents each wave); the programme effect starts at
        wave 5.

    Returns
    -------
    pandas.DataFrame
        ``respondent_id``, ``wave``, ``unit``, one column per SOPS item (raw codes), then
        ``want_vulnerability`` and ``show_vulnerability``.
    """
    rng = np.random.default_rng(seed)
    inst = instrument("sops-hospital-2.0")
    names = list(UNITS)
    unit_effect = rng.normal(0.0, 0.45, len(names))
    per_wave = np.repeat(np.arange(len(names)), list(UNITS.values()))
    unit = np.tile(per_wave, waves)
    wave = np.repeat(np.arange(1, waves + 1), len(per_wave))
    n = len(unit)
    g = unit_effect[unit] + np.where(wave >= 5, 0.35, 0.0) + rng.normal(0.0, 1.0, n)
    g = g / np.sqrt(1 + 0.45**2)

    composite_of = {item: comp for comp, items in inst.composites.items() for item in items}
    composite_factor = {comp: rng.normal(0.0, 1.0, n) for comp in inst.composites}
    base_cuts = np.array([-1.9, -1.0, -0.2, 0.9])
    data: dict[str, np.ndarray] = {}
    for item in inst.items:
        if item == "D3":  # events reported in 12 months: mostly none or few
            data[item] = rng.choice(np.arange(1.0, 6.0), size=n, p=[0.45, 0.3, 0.15, 0.06, 0.04])
            continue
        comp = composite_of.get(item)
        specific = composite_factor[comp] if comp else rng.normal(0.0, 1.0, n)
        latent = 0.6 * g + 0.45 * specific + 0.66 * rng.normal(0.0, 1.0, n)
        shift = rng.uniform(-0.35, 0.35) + _HARDER.get(comp or "", 0.0)
        code = _cut(latent, base_cuts + shift)
        if item in inst.reverse:
            code = 6.0 - code  # stored as answered to the negatively worded statement
        if item != "E1":
            code[rng.random(n) < 0.04] = 9.0
        code[rng.random(n) < 0.02] = np.nan
        data[item] = code
    z = rng.normal(0.0, 1.0, n)
    data["want_vulnerability"] = _cut(0.5 * z + np.sqrt(0.75) * rng.normal(0.0, 1.0, n),
                                      np.array([-3.2, -2.8, -1.8, -0.7]))
    data["show_vulnerability"] = _cut(0.5 * z + 0.3 * g + np.sqrt(0.66) * rng.normal(0.0, 1.0, n),
                                      np.array([-2.1, -1.0, 0.0, 1.0]))
    frame = pd.DataFrame({"respondent_id": np.arange(1, n + 1), "wave": wave,
                          "unit": pd.Categorical.from_codes(unit, categories=names)})
    return pd.concat([frame, pd.DataFrame(data)], axis=1)
