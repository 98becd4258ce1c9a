"""Example data that qiscope generates itself, with a fixed seed (no data from elsewhere).

``demo_indicators()`` simulates 36 months (April 2023 to March 2026) of four indicators of a
fictional acute trust, "Riverside General":

- ``infections``: hospital-onset infections (Poisson) per bed days; the rate falls by about a
  third from month 25, when a (fictional) hand-hygiene bundle starts - a real shift to find;
- ``four_hour``: A&E attendances seen within four hours (binomial), slowly improving, with a
  95% target that the process cannot yet meet;
- ``falls``: inpatient falls (Poisson) per bed days, stable - common-cause variation only;
- ``length_of_stay``: mean length of stay in days (normal), stable but for one unusual month.

``board_indicators()`` simulates the same 36 months of sixteen indicators of a trust board's
integrated performance report, grouped by the CQC domains (safe, effective, caring, responsive,
well-led), in the long format ``qiscope report`` reads; each tells a story a board meets (see
its docstring).

``ae_providers()`` simulates one month of A&E four-hour breaches at the type 1 (major)
departments of 134 providers, shaped like the public NHS England A&E data (for comparing
providers with a funnel plot; see its docstring).

The generator uses ``numpy.random.default_rng(SEED)``; the same version of numpy gives the same
numbers everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SEED", "ae_providers", "board_indicators", "demo_indicators"]

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


# (indicator, domain, kind, direction, target, multiply, parameters of the simulation)
#   kind "p": numerator ~ Binomial(denominator, rate); "u": ~ Poisson(rate * denominator);
#   "count": a count with no denominator; "measure": a Normal measurement.
#   rate / level: a value per month (array) built from a start, a change and its month.
_BOARD = [
    ("C. difficile infections per 10,000 bed days", "Safe", "u", "decrease", None, 10_000.0,
     {"size": (9200, 300), "start": 9.0e-4, "change": -4.5e-4, "at": 24}),
    ("Inpatient falls per 1,000 bed days", "Safe", "u", "decrease", 5.0, 1000.0,
     {"size": (9200, 300), "start": 5.0e-3}),
    ("Pressure ulcers (category 2+) per 1,000 bed days", "Safe", "u", "decrease", 0.8, 1000.0,
     {"size": (9200, 300), "start": 0.7e-3, "change": 1.0e-3, "at": 27}),
    ("Medication incidents reported per 1,000 bed days", "Safe", "u", "neutral", None, 1000.0,
     {"size": (9200, 300), "start": 6.0e-3, "change": 3.0e-3, "at": 20}),
    ("Sepsis: antibiotics within 1 hour (%)", "Effective", "p", "increase", 90.0, 100.0,
     {"size": (160, 15), "start": 0.84, "change": 0.125, "at": 16, "rebase": "new sepsis pathway"}),
    ("Stroke: on a stroke unit within 4 hours (%)", "Effective", "p", "increase", 80.0, 100.0,
     {"size": (70, 8), "start": 0.79}),
    ("Emergency readmissions within 30 days (%)", "Effective", "p", "decrease", 12.0, 100.0,
     {"size": (4200, 200), "start": 0.091}),
    ("Friends and Family Test: inpatients positive (%)", "Caring", "p", "increase", 95.0, 100.0,
     {"size": (900, 60), "start": 0.915}),
    ("Complaints received", "Caring", "count", "decrease", None, 1.0, {"start": 38.0}),
    ("A&E: seen within 4 hours (%)", "Responsive", "p", "increase", 78.0, 100.0,
     {"size": (8100, 400), "start": 0.70, "slope": 0.0022}),
    ("Referral to treatment within 18 weeks (%)", "Responsive", "p", "increase", 92.0, 100.0,
     {"size": (41000, 900), "start": 0.62}),
    ("Cancer: treated within 62 days (%)", "Responsive", "p", "increase", 85.0, 100.0,
     {"size": (140, 12), "start": 0.74, "change": -0.17, "at": 30}),
    ("Diagnostic tests waiting over 6 weeks (%)", "Responsive", "p", "decrease", 5.0, 100.0,
     {"size": (7200, 300), "start": 0.21, "slope": -0.0015}),
    ("Ambulance handovers over 60 minutes", "Responsive", "count", "decrease", None, 1.0, {"start": 55.0}),
    ("Staff sickness absence (%)", "Well-led", "p", "decrease", 4.5, 100.0,
     {"size": (198000, 2000), "start": 0.048, "seasonal": 0.006}),
    ("Mean length of stay (days)", "Well-led", "measure", "decrease", 4.5, 1.0,
     {"start": 4.6, "sd": 0.16, "spike": (30, 1.0)}),
]


def board_indicators(seed: int = SEED) -> pd.DataFrame:
    """A trust board's monthly indicators in long format (simulated, fixed seed).

    Columns: ``indicator``, ``domain``, ``month``, ``numerator``, ``denominator`` (missing for
    counts and measurements), ``chart`` (``"i"``: Making Data Count charts every indicator as
    XmR), ``direction``, ``phase`` (labels where an indicator was rebased after a change,
    missing elsewhere), ``target`` (missing when there is none), ``multiply`` and ``unit``.

    The stories, as the board report reads them with the Making Data Count rules: C. difficile
    falls after month 24 (improvement); pressure ulcers rise from month 27 (concern); medication
    incident *reporting* rises by half from month 20 (neither better nor worse); sepsis treatment
    improves with a new pathway from month 16 and, rebased, reliably beats its 90% target; cancer
    62-day performance drops from month 30 (concern); 18-week waits cannot meet 92% (consistent
    fail); readmissions are reliably under 12% (consistent pass); A&E slowly improves towards 78%
    (improvement, still failing the target); diagnostic waits slowly fall (improvement); staff
    sickness follows the seasons, so its late-winter months stand out on an XmR chart (concern:
    seasonality is a known cause, not a change); length of stay has one unusual month; the rest
    vary by common causes only.
    """
    rng = np.random.default_rng(seed)
    months = pd.date_range("2023-04-01", periods=36, freq="MS")
    m = np.arange(36, dtype=float)
    frames = []
    for name, domain, kind, direction, target, multiply, prm in _BOARD:
        level = prm["start"] + prm.get("slope", 0.0) * m
        if "change" in prm:
            level = level + np.where(m >= prm["at"], prm["change"], 0.0)
        if "seasonal" in prm:
            level = level + prm["seasonal"] * np.cos(2 * np.pi * (m - 9) / 12)  # winter peak
        denominator = np.full(36, np.nan)
        if kind in ("p", "u"):
            mean, sd = prm["size"]
            denominator = rng.normal(mean, sd, 36).round()
        if kind == "p":
            numerator = rng.binomial(denominator.astype(int), np.clip(level, 0, 1)).astype(float)
        elif kind == "u":
            numerator = rng.poisson(level * denominator).astype(float)
        elif kind == "count":
            numerator = rng.poisson(level).astype(float)
        else:
            numerator = rng.normal(level, prm["sd"])
            at, jump = prm["spike"]
            numerator[at] += jump
            numerator = numerator.round(2)
        phase = np.full(36, None, dtype=object)
        if "rebase" in prm:  # the limits restart when the change is in place (MDC "rebase")
            phase = np.where(m >= prm["at"], prm["rebase"], "before")
        unit = {100.0: "%", 1000.0: "per 1,000 bed days", 10_000.0: "per 10,000 bed days"}.get(multiply, "")
        frames.append(pd.DataFrame({
            "indicator": name, "domain": domain, "month": months, "numerator": numerator,
            "denominator": denominator, "chart": "i", "direction": direction, "phase": phase,
            "target": np.nan if target is None else target, "multiply": multiply,
            "unit": unit if kind in ("p", "u") else ("days" if kind == "measure" else "count"),
        }))
    return pd.concat(frames, ignore_index=True)


def ae_providers(seed: int = SEED, n_providers: int = 134) -> pd.DataFrame:
    """One month of A&E four-hour breaches by provider (simulated, fixed seed).

    Shaped like the type 1 departments in NHS England's public "A&E attendances and emergency
    admissions" statistics (as NHSRdatasets' ``ae_attendances`` ships them; in March 2019: 134
    providers, median 9,365 attendances, breach proportions from 2% to 51%), but every number is
    simulated - no real provider is in it:

    - attendances: log-normal, median 9,400, log-SD 0.45, at least 1,500;
    - each provider's true breach proportion: logit-normal, mean logit -1.55 (about 17.5%), SD
      0.5. Providers differ far more than binomial chance allows - overdispersion, as in the
      real data (case mix, local services, how the department is run);
    - four providers are planted as genuinely different: three with the logit raised by 2.0
      (breaching two to three times as often) and one lowered by 2.2; their codes are in
      ``attrs["planted"]``;
    - breaches: Binomial(attendances, the provider's proportion).

    Returns
    -------
    pandas.DataFrame
        ``provider`` (fictional codes ``P001``...), ``attendances``, ``breaches`` (int64);
        ``attrs["planted"]`` lists the planted providers.
    """
    rng = np.random.default_rng(seed)
    attendances = np.maximum(np.round(np.exp(rng.normal(np.log(9400), 0.45, n_providers))), 1500).astype(np.int64)
    logit = rng.normal(-1.55, 0.5, n_providers)
    planted = rng.choice(n_providers, 4, replace=False)
    logit[planted[:3]] += 2.0
    logit[planted[3]] -= 2.2
    breaches = rng.binomial(attendances, 1 / (1 + np.exp(-logit))).astype(np.int64)
    frame = pd.DataFrame({"provider": [f"P{i:03d}" for i in range(1, n_providers + 1)],
                          "attendances": attendances, "breaches": breaches})
    frame.attrs["planted"] = sorted(frame["provider"].iloc[planted])
    return frame
