"""The loyalty-lessons command: the summary of a transactions file, the client report, the workshop."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import as_file, files
from pathlib import Path

from loyalty_lessons import cli_options, cli_parser, cli_report
from loyalty_lessons.errors import LoyaltyDataError

# pandas, DuckDB and the rest are imported where they are used: `report` starts its Jupyter
# kernel before it imports them, so that both processes import at the same time.

__all__ = ["main"]

#: The exit status of a command stopped with Ctrl+C (128 + SIGINT), as shells use.
_INTERRUPTED = 130


def _workshop(args: argparse.Namespace) -> int:
    """Serve the workshop dashboard until interrupted."""
    from loyalty_lessons import workshop  # Voilà is only needed here

    return workshop.main(
        (["--port", str(args.port)] if args.port else [])
        + (["--share"] if args.share else [])
        + (["--language", args.language] if args.language else [])
        + (["--pool", str(args.pool)] if args.pool is not None else [])
        + (["--pool-pages", args.pool_pages] if args.pool_pages else [])
    )


def _lessons(args: argparse.Namespace) -> int:
    """Copy the lesson notebooks into a student's folder and say how to open them."""
    import shlex

    from loyalty_lessons import resources

    target = Path(args.dir)
    existing = [path for path in resources.lesson_copies(target, args.language) if path.exists()]
    if existing and not args.force:
        names = ", ".join(path.relative_to(target).as_posix() for path in existing)
        raise LoyaltyDataError(
            f"{args.dir} already holds {names}; nothing was copied. Add --force to "
            "overwrite them, or give another folder."
        )
    written = resources.copy_lessons(target, force=True, language=args.language)
    exercises = sum(path.parent != target for path in written)
    copied = f"{len(written) - exercises} lessons"
    if exercises:
        copied += f" and {exercises} exercise notebooks"
    print(f"Copied {copied} into {target}.\nOpen them with:  jupyter lab {shlex.quote(str(target))}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    """Print the load report and the per-customer summary of a transactions file."""
    import pandas as pd

    from loyalty_lessons.data import load_transactions

    columns = cli_options.column_mapping(args.column)
    options = {
        "columns": columns,
        "date_format": args.date_format,
        "max_rejected_share": cli_options.max_rejected_share(args),
    }
    on_spark = {}
    if args.engine == "spark":
        from loyalty_lessons import spark

        load_transactions = spark.load_transactions
        on_spark = {"spark": spark.session(args.spark_master)}
    if args.transactions is None:
        with as_file(files("loyalty_lessons.sample_data") / "transactions.csv") as path:
            tx, report = load_transactions(str(path), **on_spark)
            report.source = "the sample business (data/samples/transactions.csv)"
            summary = _customer_summary(args, tx, report, on_spark)
    else:
        tx, report = load_transactions(args.transactions, **options, **on_spark)
        summary = _customer_summary(args, tx, report, on_spark)
    print("Load report\n-----------")
    print(report)
    print(f"\nPer-customer summary ({len(summary):,} customers)\n----------------------")
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print(summary.head(args.rows).to_string(index=False, float_format="{:.2f}".format))
        print(
            "\nTotals: "
            + ", ".join(
                [
                    f"customers {len(summary):,}",
                    f"orders {summary['orders'].sum():,}",
                    f"net revenue {summary['revenue'].sum():,.2f}",
                    f"repeat customers {(summary['orders'] >= 2).mean():.0%}",
                ]
            )
        )
    return 0


# --------------------------------------------------------------------------- report


def _customer_summary(args: argparse.Namespace, tx, report, on_spark: dict):
    """The summary of loaded transactions, on the engine that loaded them."""
    if on_spark:
        from loyalty_lessons import spark

        return spark.customer_summary(
            tx, observation_end=args.observation_end, one_line_orders=report.one_line_orders, **on_spark
        )
    from loyalty_lessons.customers import customer_summary

    return customer_summary(tx, observation_end=args.observation_end, one_line_orders=report.one_line_orders)


def _parser() -> argparse.ArgumentParser:
    """The command's parser; each command is run by its function here or in ``cli_report``."""
    return cli_parser.build_parser(
        __doc__,
        {"summary": _summary, "report": cli_report.run_report, "lessons": _lessons, "workshop": _workshop},
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except LoyaltyDataError as err:
        print(f"loyalty-lessons: {cli_options.in_cli_terms(str(err))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("loyalty-lessons: interrupted; nothing was written.", file=sys.stderr)
        return _INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
