"""Example data that qiscope generates itself, with a fixed seed (no data from elsewhere).

``demo_indicators()`` simulates 36 months (April 2023 to March 2026) of four indicators of a
fictional acute trust, "Riverside General":

- ``infections``: hospital-onset infections (Poisson) per bed days; the rate falls by about a
  third from month 25, when a (fictional) hand-hygiene bundle starts - a real shift to find;
- ``four_hour``: A&E attendances seen within four hours (binomial), slowly improving, with a
  95% target that the process cannot yet meet;
- ``falls``: inpatient falls (Poisson) per bed days, stable - common-cause variation only;
- ``length_of_stay``: mean length of stay in days (normal), stable but for one unusual month.

The generator uses ``numpy.random.default_rng(SEED)``; the same version of numpy gives the same
numbers everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SEED", "demo_indicators"]

SEED = 20261122


def demo_indicators(seed: int = SEED) -> pd.DataFrame:
    """Long-format monthly indicators: ``indicator``, ``month``, ``numerator``,
    ``denominator``, ``direction``, ``target``, ``multiply``, ``unit``."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("2023-04-01", periods=36, freq="MS")
    m = np.arange(36)
    bed_days = rng.normal(9200, 350, 36).round()
    frames = []

    rate = np.where(m < 24, 6.0, 4.0) / 10_000  # infections per bed day
    frames.append(pd.DataFrame({
        "indicator": "Hospital-onset infections per 10,000 bed days", "month": months,
        "numerator": rng.poisson(rate * bed_days).astype(float), "denominator": bed_days,
        "direction": "decrease", "target": np.nan, "multiply": 10_000.0, "unit": "per 10,000 bed days",
    }))

    attendances = rng.normal(8100, 400, 36).round()
    p4 = 0.74 + 0.0015 * m
    frames.append(pd.DataFrame({
        "indicator": "A&E patients seen within 4 hours (%)", "month": months,
        "numerator": rng.binomial(attendances.astype(int), p4).astype(float), "denominator": attendances,
        "direction": "increase", "target": 95.0, "multiply": 100.0, "unit": "%",
    }))

    frames.append(pd.DataFrame({
        "indicator": "Inpatient falls per 1,000 bed days", "month": months,
        "numerator": rng.poisson(5.2 / 1000 * bed_days).astype(float), "denominator": bed_days,
        "direction": "decrease", "target": 5.0, "multiply": 1000.0, "unit": "per 1,000 bed days",
    }))

    los = rng.normal(4.6, 0.18, 36)
    los[30] += 1.1  # a month with unusually long stays
    frames.append(pd.DataFrame({
        "indicator": "Mean length of stay (days)", "month": months,
        "numerator": los.round(2), "denominator": np.nan,
        "direction": "decrease", "target": np.nan, "multiply": 1.0, "unit": "days",
    }))
    return pd.concat(frames, ignore_index=True)
