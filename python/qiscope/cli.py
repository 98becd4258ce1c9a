"""The ``qiscope`` command line: ``demo``, ``report``, ``spc``, ``survey score``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["main"]


def _read_table(path: str) -> pd.DataFrame:
    p = Path(path)
    if p.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(p)
    return pd.read_csv(p)


def _demo(args: argparse.Namespace) -> int:
    from . import spc
    from .datasets import SEED, demo_indicators
    from .report import Indicator, write_report

    data = demo_indicators()
    indicators = []
    for name, rows in data.groupby("indicator", sort=False):
        has_n = rows["denominator"].notna().all()
        common: dict[str, Any] = {
            "y": "numerator", "x": "month", "n": "denominator" if has_n else None,
            "multiply": float(rows["multiply"].iloc[0]),
        }
        target = rows["target"].iloc[0]
        direction = rows["direction"].iloc[0]
        run = spc(rows, chart="run", **common)
        xmr = spc(rows, chart="i", direction=direction,
                  target=None if pd.isna(target) else float(target), **common)
        indicators.append(Indicator(f"{name}: run chart", run, "Median and Anhøj runs rules."))
        indicators.append(Indicator(f"{name}: XmR chart", xmr,
                                    "Mean, natural process limits from the average moving range."))
    out = write_report(
        indicators, args.output, title="qiscope demo: Riverside General (simulated data)",
        intro=f"Four simulated monthly indicators (numpy seed {SEED}; see qiscope.datasets), "
              "each as a run chart and an XmR chart.",
    )
    print(f"wrote {out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from . import spc
    from .report import Indicator, write_report

    data = _read_table(args.input)
    groups = data.groupby(args.indicator, sort=False) if args.indicator else [("indicator", data)]
    indicators = []
    for name, rows in groups:
        res = spc(rows, y=args.value, n=args.denominator, x=args.date, chart=args.chart,
                  multiply=args.multiply, direction=args.direction, target=args.target)
        indicators.append(Indicator(str(name), res))
    out = write_report(indicators, args.output, title=args.title)
    print(f"wrote {out}")
    return 0


def _spc(args: argparse.Namespace) -> int:
    from . import spc

    data = _read_table(args.input)
    res = spc(data, y=args.value, n=args.denominator, x=args.date, by=args.by, chart=args.chart,
              multiply=args.multiply, profile=args.profile)
    if args.json:
        sys.stdout.write(res.to_json() + "\n")
    else:
        sys.stdout.write(res.summary.to_string(index=False) + "\n")
    return 0


def _survey_score(args: argparse.Namespace) -> int:
    from . import culture

    data = _read_table(args.input)
    inst = (culture.Instrument.from_json(args.instrument) if args.instrument.endswith(".json")
            else culture.instrument(args.instrument))
    min_n: int | str | None = None
    if args.min_n is not None:
        min_n = int(args.min_n) if args.min_n.isdigit() else args.min_n
    table = culture.score(data, inst, unit=args.unit, min_n=min_n)
    if args.output:
        table.to_csv(args.output, index=False)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(table.to_string(index=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``qiscope`` console script."""
    parser = argparse.ArgumentParser(prog="qiscope", description="SPC and safety-culture analytics")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="write the demo report (simulated data, fixed seed)")
    demo.add_argument("-o", "--output", default="qiscope-demo-report.html")
    demo.set_defaults(func=_demo)

    rep = sub.add_parser("report", help="write an HTML report of many indicators")
    rep.add_argument("input", help="CSV or Parquet in long format")
    rep.add_argument("--value", required=True)
    rep.add_argument("--denominator")
    rep.add_argument("--date", required=True)
    rep.add_argument("--indicator")
    rep.add_argument("--chart", default="i")
    rep.add_argument("--multiply", type=float, default=1.0)
    rep.add_argument("--direction", choices=["increase", "decrease"])
    rep.add_argument("--target", type=float)
    rep.add_argument("--title", default="qiscope report")
    rep.add_argument("-o", "--output", default="report.html")
    rep.set_defaults(func=_report)

    sp = sub.add_parser("spc", help="compute a chart and print its summary (or JSON)")
    sp.add_argument("input")
    sp.add_argument("--value", required=True)
    sp.add_argument("--denominator")
    sp.add_argument("--date")
    sp.add_argument("--by")
    sp.add_argument("--chart", default="run")
    sp.add_argument("--multiply", type=float, default=1.0)
    sp.add_argument("--profile")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=_spc)

    survey = sub.add_parser("survey", help="safety-culture survey scoring")
    survey_sub = survey.add_subparsers(dest="survey_command", required=True)
    sc = survey_sub.add_parser("score", help="percent positive per unit and overall, small cells suppressed")
    sc.add_argument("input", help="CSV or Parquet: one row per respondent, one column per item")
    sc.add_argument("--instrument", required=True, help="a built-in name or an instrument .json file")
    sc.add_argument("--unit", help="the unit column (omit for overall only)")
    sc.add_argument("--min-n", help="suppression threshold: a number, or default / ahrq / nss")
    sc.add_argument("-o", "--output", help="write the table as CSV instead of printing it")
    sc.set_defaults(func=_survey_score)

    args = parser.parse_args(argv)
    from .errors import InputError

    try:
        return int(args.func(args))
    except InputError as err:
        print(f"qiscope: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
