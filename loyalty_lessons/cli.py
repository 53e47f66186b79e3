"""The ``loyalty-lessons`` command."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import as_file, files

import pandas as pd

from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import load_transactions
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["main"]


def _columns(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        role, sep, header = pair.partition("=")
        if not sep or not role or not header:
            raise LoyaltyDataError(f"--column {pair!r} should look like ROLE=HEADER, e.g. --column 'customer_id=N° client'.")
        mapping[role.strip()] = header
    return mapping


def _summary(args: argparse.Namespace) -> int:
    """Print the load report and the per-customer summary of a transactions file."""
    columns = _columns(args.column)
    if args.transactions is None:
        with as_file(files("loyalty_lessons.sample_data") / "transactions.csv") as path:
            tx, report = load_transactions(path)
        report.source = "the sample business (data/samples/transactions.csv)"
    else:
        tx, report = load_transactions(args.transactions, columns=columns,
                                       date_format=args.date_format)
    summary = customer_summary(tx, observation_end=args.observation_end)
    print("Load report\n-----------")
    print(report)
    print(f"\nPer-customer summary ({len(summary):,} customers)\n----------------------")
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print(summary.head(args.rows).to_string(index=False, float_format="{:.2f}".format))
        print("\nTotals: " + ", ".join([
            f"customers {len(summary):,}",
            f"orders {summary['orders'].sum():,}",
            f"net revenue {summary['revenue'].sum():,.2f}",
            f"repeat customers {(summary['orders'] >= 2).mean():.0%}",
        ]))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loyalty-lessons", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="load a transactions file and print its load report "
                             "and per-customer summary (the sample business when no file is given)")
    summary.add_argument("--transactions", metavar="FILE", help="CSV, Excel or Parquet export")
    summary.add_argument("--column", action="append", default=[], metavar="ROLE=HEADER",
                         help="name a column the loader does not recognise (repeatable)")
    summary.add_argument("--date-format", metavar="FMT", help="strptime format, e.g. %%d/%%m/%%Y")
    summary.add_argument("--observation-end", metavar="YYYY-MM-DD")
    summary.add_argument("--rows", type=int, default=10, help="customers to show (default 10)")
    summary.set_defaults(run=_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except LoyaltyDataError as err:
        print(f"loyalty-lessons: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
