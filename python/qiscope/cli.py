"""The ``qiscope`` command line: ``demo``, ``report``, ``spc``, ``survey score``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

__all__ = ["main"]

RULE_SETS = "anhoej, ihi, mdc, western_electric, nelson"
PROFILES = "qicharts2, ptd, mdc_excel, qcc"


def _read_table(path: str) -> pd.DataFrame:
    """A CSV or Parquet file as a DataFrame (dates stay text here; qi.spc reads ISO dates)."""
    from .errors import InputError

    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file", column="input", rule="missing_file")
    if p.suffix.lower() in (".parquet", ".pq"):
        try:
            return pd.read_parquet(p)
        except ImportError as err:
            raise InputError(f"reading Parquet needs pyarrow: pip install pyarrow ({err})", column="input",
                             rule="dependency") from None
    return pd.read_csv(p)


def _demo(args: argparse.Namespace) -> int:
    from .datasets import SEED, board_indicators
    from .report import board_report

    report = board_report(
        board_indicators(), date="month", value="numerator",
        title="Riverside General: integrated performance report (simulated data)",
        intro=f"Sixteen simulated monthly indicators (numpy seed {SEED}; see qiscope.datasets), each "
              "on an XmR chart read with the Making Data Count rules, as Making Data Count recommends. "
              "Nothing here is real data.",
    )
    out = report.write(args.output)
    print(f"wrote {out} ({len(report.table)} indicators)")
    return 0


def _report(args: argparse.Namespace) -> int:
    from .report import board_report

    data = _read_table(args.input)
    report = board_report(
        data, indicator=args.indicator, date=args.date, value=args.value, denominator=args.denominator,
        chart=args.chart, direction=args.direction, target=args.target, multiply=args.multiply,
        phase=args.phase, rules=args.rules, profile=args.profile, title=args.title, intro=args.intro,
    )
    out = report.write(args.output)
    print(f"wrote {out} ({len(report.table)} indicators)")
    return 0


def _spc(args: argparse.Namespace) -> int:
    from . import spc

    data = _read_table(args.input)
    res = spc(data, y=args.value, n=args.denominator, x=args.date, by=args.by, chart=args.chart,
              multiply=args.multiply, rules=args.rules, direction=args.direction, target=args.target,
              profile=args.profile)
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

    demo = sub.add_parser("demo", help="write the demo board report (simulated data, fixed seed)")
    demo.add_argument("-o", "--output", default="qiscope-demo-report.html")
    demo.set_defaults(func=_demo)

    rep = sub.add_parser(
        "report", help="write an HTML board report of many indicators",
        description="Read a long-format table (one row per indicator and date) and write one "
                    "self-contained HTML page: a summary table with variation and assurance icons, "
                    "then every indicator's chart. Each option below names a column; the ones marked "
                    "COL|VALUE may instead give one value for every indicator.",
    )
    rep.add_argument("input", help="CSV or Parquet file, long format")
    rep.add_argument("--indicator", default="indicator", metavar="COL", help="indicator names (default: indicator)")
    rep.add_argument("--date", default="date", metavar="COL",
                     help="the period: dates or ISO date text such as 2025-04 (default: date)")
    rep.add_argument("--value", default="value", metavar="COL",
                     help="the measure; the numerator when there is a denominator (default: value)")
    rep.add_argument("--denominator", metavar="COL", help="denominators (default: the column denominator, if any)")
    rep.add_argument("--chart", metavar="COL|VALUE",
                     help="chart type per indicator, or one for all (default: column chart, else i = XmR)")
    rep.add_argument("--direction", metavar="COL|VALUE",
                     help="increase / decrease / neutral: which way is better (default: column direction)")
    rep.add_argument("--target", metavar="COL|VALUE", help="targets (default: column target, if any)")
    rep.add_argument("--multiply", metavar="COL|VALUE",
                     help="scale, e.g. 100 for %% (default: column multiply, else 1)")
    rep.add_argument("--phase", metavar="COL",
                     help="phase labels: limits restart where they change (default: column phase, if any)")
    rep.add_argument("--rules", help=f"rule set: {RULE_SETS} (default: mdc for control charts, anhoej for "
                                     "run charts)")
    rep.add_argument("--profile", help=f"reproduce a tool: {PROFILES} (brings its own rules)")
    rep.add_argument("--title", default="Integrated performance report")
    rep.add_argument("--intro", default="", help="a paragraph under the title")
    rep.add_argument("-o", "--output", default="report.html")
    rep.set_defaults(func=_report)

    sp = sub.add_parser("spc", help="compute a chart and print its summary (or JSON)")
    sp.add_argument("input", help="CSV or Parquet file")
    sp.add_argument("--value", required=True, metavar="COL", help="the measure (the numerator with --denominator)")
    sp.add_argument("--denominator", metavar="COL")
    sp.add_argument("--date", metavar="COL", help="time or order (dates, ISO date text, numbers)")
    sp.add_argument("--by", metavar="COL", help="one series per value of this column")
    sp.add_argument("--chart", default="run", help="run (default), i, mr, xbar, s, p, np, c, u, pp, up, g, t, ...")
    sp.add_argument("--multiply", type=float, default=1.0)
    sp.add_argument("--rules", help=f"rule set: {RULE_SETS} (default: anhoej, or the profile's)")
    sp.add_argument("--profile", help=f"reproduce a tool: {PROFILES}")
    sp.add_argument("--direction", choices=["increase", "decrease"], help="which way is improvement (icons)")
    sp.add_argument("--target", type=float, help="a target, for the assurance icon")
    sp.add_argument("--json", action="store_true", help="print the whole result as JSON")
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
