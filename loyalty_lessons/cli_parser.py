"""The loyalty-lessons command's argument parser: its four commands and their options.

:func:`build_parser` describes the commands (``summary``, ``report``, ``lessons``,
``workshop``) and their options, with their help texts; what each command does is given to it
by :mod:`loyalty_lessons.cli`.

See Also
--------
loyalty_lessons.cli : the command, which parses its arguments with this parser.
loyalty_lessons.cli_options : the checks of the options' values.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

from loyalty_lessons.cli_options import MAX_REJECTED_SHARE

__all__ = ["build_parser"]


def _engine_options(parser: argparse.ArgumentParser) -> None:
    """--engine and --spark-master, for the commands that read transactions."""
    parser.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="what checks and aggregates the transactions: embedded DuckDB (default), or Apache Spark "
        "for data that outgrows one machine (pip install 'loyalty-lessons[spark]'; docs/scale.md)",
    )
    parser.add_argument(
        "--spark-master",
        metavar="URL",
        help="with --engine spark: the cluster's master URL (spark://..., yarn, local[4]); default: "
        "Spark Connect at SPARK_REMOTE when set, else local[*]",
    )


def build_parser(
    description: str, commands: Mapping[str, Callable[[argparse.Namespace], int]]
) -> argparse.ArgumentParser:
    """The command's parser.

    Parameters
    ----------
    description : str
        What ``loyalty-lessons --help`` says the command does.
    commands : mapping of str to callable
        The function that runs each command (``summary``, ``report``, ``lessons``,
        ``workshop``), given the parsed arguments and returning the exit status; it is the
        ``run`` of the parsed arguments.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(prog="loyalty-lessons", description=description)
    sub = parser.add_subparsers(dest="command", required=True)
    summary = sub.add_parser(
        "summary",
        help="load a transactions file and print its load report "
        "and per-customer summary (the sample business when no file is given)",
    )
    summary.add_argument("--transactions", metavar="FILE", help="CSV, Excel or Parquet export")
    summary.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="ROLE=HEADER",
        help="name a column the loader does not recognise (repeatable)",
    )
    summary.add_argument("--date-format", metavar="FMT", help="strptime format, e.g. %%d/%%m/%%Y")
    summary.add_argument("--observation-end", metavar="YYYY-MM-DD")
    summary.add_argument("--rows", type=int, default=10, help="customers to show (default 10)")
    summary.add_argument(
        "--max-rejected-share",
        metavar="SHARE",
        type=float,
        default=MAX_REJECTED_SHARE,
        help="largest share of the rows that may be set aside as unusable before the file "
        f"is refused (default {MAX_REJECTED_SHARE:g}; 1 to accept any)",
    )
    _engine_options(summary)
    summary.set_defaults(run=commands["summary"])

    rep = sub.add_parser(
        "report",
        help="the client report: load and check the files, run the report "
        "notebook and write DIR/report.html, report.ipynb and figures.json",
    )
    rep.add_argument("--transactions", metavar="FILE", help="transactions export (CSV, Excel or Parquet)")
    rep.add_argument("--survey", metavar="FILE", help="SERVQUAL survey export (optional)")
    rep.add_argument("--complaints", metavar="FILE", help="complaints export (optional)")
    rep.add_argument(
        "--sample", action="store_true", help="use the bundled sample business for all three files"
    )
    rep.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="ROLE=HEADER",
        help="name a column the loader does not recognise (repeatable); prefix the role "
        "with survey. or complaints. for those files, e.g. complaints.category=Motif",
    )
    rep.add_argument("--date-format", metavar="FMT", help="strptime format of the dates, e.g. %%d/%%m/%%Y")
    rep.add_argument("--client", metavar="NAME", help="the client's name, for the title page")
    rep.add_argument(
        "--currency",
        metavar="CODE",
        help="ISO code of the amounts' currency, e.g. EUR, written "
        "with its symbol (default: none, amounts are plain numbers; EUR for --sample)",
    )
    rep.add_argument(
        "--observation-end",
        metavar="YYYY-MM-DD",
        help="the day the figures are as of (default: the last transaction date)",
    )
    rep.add_argument(
        "--holdout-start",
        metavar="YYYY-MM-DD",
        help="first day of the period the customer-base model is checked on: it is fitted on the "
        "purchases before it and compared with those from it to the observation end "
        "(default: the start of the last third of the period)",
    )
    rep.add_argument(
        "--horizon-months",
        metavar="N",
        default="12",
        help="months ahead of the model's expected purchases and revenue (default 12)",
    )
    rep.add_argument(
        "--language",
        default="en",
        help="language of the report and its charts: en, fr, it or ru (default en)",
    )
    rep.add_argument(
        "--notebook",
        metavar="PATH",
        help="run another copy of the report notebook "
        "(default: the client-report notebook installed with the package)",
    )
    rep.add_argument(
        "--max-rejected-share",
        metavar="SHARE",
        type=float,
        default=MAX_REJECTED_SHARE,
        help="largest share of a file's rows that may be set aside as unusable before the "
        f"file is refused (default {MAX_REJECTED_SHARE:g}; 1 to accept any)",
    )
    rep.add_argument(
        "--keep-data",
        action="store_true",
        help="also keep the checked data the report was "
        "made from, in DIR/data (Parquet and JSON; left out by default: the folder is for the client)",
    )
    rep.add_argument("--output", metavar="DIR", required=True, help="folder to write the report into")
    _engine_options(rep)
    rep.set_defaults(run=commands["report"])
    lessons = sub.add_parser(
        "lessons", help="copy the lesson notebooks into DIR for a student, to open with jupyter lab DIR"
    )
    lessons.add_argument("dir", metavar="DIR", help="folder to copy the lessons into (created if missing)")
    lessons.add_argument("--force", action="store_true", help="overwrite lessons already in DIR")
    lessons.add_argument(
        "--language",
        default="en",
        metavar="LANGUAGE",
        help="the lessons' language: en (default), fr, it or ru",
    )
    lessons.set_defaults(run=commands["lessons"])
    workshop = sub.add_parser(
        "workshop",
        help="serve the lesson explorers as a dashboard on 127.0.0.1 "
        "(the sample business; upload a client's files on its index page)",
    )
    workshop.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    workshop.add_argument(
        "--share",
        action="store_true",
        help="let participants join from their own laptops: listen on the network behind a token",
    )
    workshop.add_argument(
        "--language",
        help="the pages' language: en, fr, it or ru (default en; the index page offers the others)",
    )
    workshop.add_argument(
        "--pool",
        type=int,
        help="with --share, kernels kept ready for each page of --pool-pages (default 2; "
        "one a participant for the page the room opens together)",
    )
    workshop.add_argument(
        "--pool-pages",
        help="with --share, the pages the room opens together (default index,scorecard; "
        "e.g. index,the-80-20-rule,scorecard)",
    )
    workshop.set_defaults(run=commands["workshop"])
    return parser
