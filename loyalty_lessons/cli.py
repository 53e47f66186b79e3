"""The loyalty-lessons command: the summary of a transactions file, the client report, the workshop."""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import sys
import threading
from datetime import datetime
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from loyalty_lessons.errors import LoyaltyDataError

#: The loaders' default (loyalty_lessons.load_report.MAX_REJECTED_SHARE), without importing pandas here.
_MAX_REJECTED_SHARE = 0.05

if TYPE_CHECKING:
    from loyalty_lessons._run_notebook import NotebookRun

# pandas, DuckDB and the rest are imported where they are used: `report` starts its Jupyter
# kernel before it imports them, so that both processes import at the same time.

__all__ = ["main"]

#: The exit status of a command stopped with Ctrl+C (128 + SIGINT), as shells use.
_INTERRUPTED = 130
#: What a report folder may hold, from this run or an earlier one; ``data/`` with --keep-data.
_REPORT_FILES = (
    "report.html",
    "report.ipynb",
    "figures.json",
    "rejected_rows.csv",
    "rejected_transactions.parquet",  # with --engine spark: every row set aside, as Parquet files
    "customer_predictions.parquet",  # with --engine spark: every customer's predictions, as Parquet files
)
_DATA_FILES = (
    "transactions.parquet",
    "survey.parquet",
    "complaints.parquet",
    "inputs.json",
    "load_reports.json",
)

#: Which table a ``--column ROLE=HEADER`` of the report goes to when ROLE has no table prefix.
_ROLE_TABLE = {
    "customer_id": "transactions",
    "date": "transactions",
    "amount": "transactions",
    "order_id": "transactions",
    "discount": "transactions",
    "promotion": "transactions",
    "channel": "transactions",
    "category": "complaints",
    "respondent_id": "survey",
    "satisfaction": "survey",
    "recommend": "survey",
}


def _column_options(match: re.Match, table: str | None) -> str:
    """``columns={'date': 'Jour'}`` as ``--column 'date=Jour'``, prefixed with the table if needed."""
    options = []
    for role, header in re.findall(r"""['"]([^'"]+)['"]\s*:\s*(['"][^'"]*['"]|\.\.\.)""", match.group(1)):
        header = header.strip("'\"")
        header = "HEADER" if header in ("<header>", "...") else header
        prefix = f"{table}." if table and _ROLE_TABLE.get(role, table) != table else ""
        options.append(f"--column '{prefix}{role}={header}'")
    return " ".join(options) or "--column ROLE=HEADER"


#: The loaders' advice names their Python arguments; the command's user has options instead.
_CLI_TERMS = [
    (
        r"Fix the mapping \(columns=\), date_format= or decimal=, or pass\s+max_rejected_share=1\.0 to load "
        r"anyway and inspect report\.rejected\.",
        "Name the columns with --column ROLE=HEADER or give the date format with --date-format FMT, or "
        "pass --max-rejected-share 1 to go on anyway (the report lists every set-aside row in "
        "rejected_rows.csv).",
    ),
    (r"max_rejected_share=([\d.]+)", r"--max-rejected-share \1"),
    (r"date_format=('[^']*')", r"--date-format \1"),
    (r"\bdate_format=", "--date-format FMT"),
    (r"\bcolumns= ", "--column "),
    (r"observation_end=", "--observation-end "),
    (r"holdout_start=", "--holdout-start "),
    (r"horizon_months=", "--horizon-months "),
    (r"a later observation_end", "a later --observation-end"),
    (
        r"Pass sheet= with one of them\.",
        "Save that sheet as a file of its own (CSV, or a workbook of one sheet).",
    ),
    (r"Pass sheet= to read another\s+sheet", "Save the sheet you want as a file of its own"),
    (r"or pass\s+delimiter= and encoding=\.", "or save it again as a CSV file in UTF-8."),
    (
        r"Pass item_map=\{item: dimension\}\.",
        "Number the survey's items 1 to 22, as in SERVQUAL (E1..E22, P1..P22).",
    ),
]


def _in_cli_terms(message: str) -> str:
    """A message of the package, with each Python argument it advises replaced by the option."""
    kind = re.search(r"\b(transaction|survey|complaint)s?\b", message)
    table = (
        None
        if kind is None
        else {"transaction": "transactions", "survey": "survey", "complaint": "complaints"}[kind.group(1)]
    )
    message = re.sub(r"columns=\{(.*?)\}(?=[.\s]|$)", lambda m: _column_options(m, table), message)
    for pattern, replacement in _CLI_TERMS:
        message = re.sub(pattern, replacement, message)
    return message


def _columns(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        role, sep, header = pair.partition("=")
        if not sep or not role or not header:
            raise LoyaltyDataError(
                f"--column {pair!r} should look like ROLE=HEADER, e.g. --column 'customer_id=N° client'."
            )
        mapping[role.strip()] = header
    return mapping


def _report_columns(pairs: list[str]) -> dict[str, dict[str, str]]:
    """``ROLE=HEADER`` or ``TABLE.ROLE=HEADER`` options, split by table."""
    by_table: dict[str, dict[str, str]] = {"transactions": {}, "survey": {}, "complaints": {}}
    for role, header in _columns(pairs).items():
        table, dot, bare = role.rpartition(".")
        if not dot:
            bare, table = role, _ROLE_TABLE.get(role)
            if table is None:
                raise LoyaltyDataError(
                    f"--column {role}=...: unknown role {role!r}. Roles: {', '.join(sorted(_ROLE_TABLE))}; "
                    "prefix a role with its table to name a column of the survey or complaints file, "
                    "e.g. --column 'complaints.customer_id=Client'."
                )
        if table not in by_table:
            raise LoyaltyDataError(
                f"--column {role}=...: unknown table {table!r}; use transactions, survey or complaints."
            )
        by_table[table][bare] = header
    return by_table


def _workshop(args: argparse.Namespace) -> int:
    """Serve the workshop dashboard until interrupted."""
    from loyalty_lessons import workshop  # Voilà is only needed here

    return workshop.main(
        (["--port", str(args.port)] if args.port else [])
        + (["--share"] if args.share else [])
        + (["--language", args.language] if args.language else [])
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

    columns = _columns(args.column)
    options = {
        "columns": columns,
        "date_format": args.date_format,
        "max_rejected_share": _max_rejected_share(args),
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


def _observation_end(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise LoyaltyDataError(
            f"--observation-end {text!r} is not a date; write it as YYYY-MM-DD, "
            "e.g. --observation-end 2025-12-31."
        ) from None


#: The longest --horizon-months (report.data.MAX_HORIZON_MONTHS, without importing pandas here).
_MAX_HORIZON_MONTHS = 120


def _holdout_start(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise LoyaltyDataError(
            f"--holdout-start {text!r} is not a date; write it as YYYY-MM-DD, e.g. "
            "--holdout-start 2025-07-01 (the customer-base model is fitted on the purchases before it "
            "and checked on those from it)."
        ) from None


def _horizon_months(text: str) -> int:
    if not re.fullmatch(r"\d+", text.strip()) or not 1 <= int(text) <= _MAX_HORIZON_MONTHS:
        raise LoyaltyDataError(
            f"--horizon-months {text!r} is not a horizon the report can use: give a whole number of "
            f"months from 1 to {_MAX_HORIZON_MONTHS}, e.g. --horizon-months 12 for the next year."
        )
    return int(text)


def _sources(args: argparse.Namespace) -> tuple[str, str | None, str | None]:
    if args.sample:
        given = [
            o
            for o, v in (
                ("--transactions", args.transactions),
                ("--survey", args.survey),
                ("--complaints", args.complaints),
            )
            if v
        ]
        if given:
            raise LoyaltyDataError(
                f"--sample uses the bundled sample business for all three files; "
                f"drop {' and '.join(given)}, or drop --sample to use your files."
            )
        return "sample", "sample", "sample"
    if not args.transactions:
        raise LoyaltyDataError(
            "Give the transactions export with --transactions FILE "
            "(or --sample for the bundled sample business)."
        )
    return args.transactions, args.survey, args.complaints


def _step_name(source: str) -> str:
    first = source.strip().splitlines()[0] if source and source.strip() else ""
    return first.lstrip("# ").strip() if first.startswith("#") else first[:60]


def _notebook(args: argparse.Namespace) -> Path:
    """The report notebook to run: ``--notebook``, or the repository's."""
    from loyalty_lessons import report

    notebook = Path(args.notebook) if args.notebook else report.notebook_path()
    if not notebook.is_file():
        raise LoyaltyDataError(f"--notebook {args.notebook!r}: file not found.")
    return notebook


def _max_rejected_share(args: argparse.Namespace) -> float:
    share = args.max_rejected_share
    if not 0 <= share <= 1:
        raise LoyaltyDataError(
            f"--max-rejected-share {share:g} is not a share: give a number from 0 to 1, "
            "e.g. --max-rejected-share 0.2 to accept a fifth of a file's rows set aside."
        )
    return share


def _check_report_options(args: argparse.Namespace) -> None:
    """Refuse a bad option early (``_load_for_report`` reads them again).

    The options checked without importing pandas are checked before the kernel starts; the
    language and the report notebook are checked after.
    """
    _sources(args)
    _report_columns(args.column)
    _observation_end(args.observation_end)
    _holdout_start(args.holdout_start)
    _horizon_months(args.horizon_months)
    _max_rejected_share(args)
    if args.notebook:
        _notebook(args)
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise LoyaltyDataError(f"--output {args.output!r} is a file; give a folder for the report.")


def _load_for_report(args: argparse.Namespace, folder: Path):
    """Check every file once, in this process (the kernel waits), with :func:`report.report_data`.

    The transactions' kept rows are streamed into ``folder/transactions.parquet``, never
    held in memory; the survey and complaints are loaded; all are saved in ``folder``
    (:meth:`~loyalty_lessons.inputs.Inputs.save`) for the notebook to read back.
    """
    from loyalty_lessons import report

    report.messages(args.language)  # an unknown language fails here, with the available ones
    notebook = _notebook(args)
    transactions, survey, complaints = _sources(args)
    columns = _report_columns(args.column)
    data = report.report_data(
        transactions,
        survey,
        complaints,
        columns=columns["transactions"],
        survey_columns=columns["survey"],
        complaint_columns=columns["complaints"],
        date_format=args.date_format,
        observation_end=_observation_end(args.observation_end),
        client=args.client,
        currency=args.currency,
        language=args.language,
        max_rejected_share=_max_rejected_share(args),
        folder=folder,
        holdout_start=_holdout_start(args.holdout_start),
        horizon_months=_horizon_months(args.horizon_months),
        engine=args.engine,
        rejected_path=folder.parent / "rejected_transactions.parquet",
    )
    if args.engine == "spark":  # the kernel's cluster writes every customer's predictions beside the report
        predictions = (folder.parent / "customer_predictions.parquet").absolute()
        data.inputs = data.inputs._replace(
            meta={**(data.inputs.meta or {}), "predictions_path": str(predictions)}
        )
    data.inputs.save(folder)
    return notebook, data


def _work_folder(out: Path) -> tuple[Path, list[Path]]:
    """A new hidden folder beside ``out`` to write the report into, and the parents made for it."""
    made = []
    for parent in reversed(out.absolute().parents):
        if not parent.exists():
            made.append(parent)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.{secrets.token_hex(4)}.partial"
    work.mkdir()  # with the usual permissions: it becomes the report's folder
    return work, made


def _move_into_place(work: Path, out: Path, keep_data: bool) -> None:
    """Put the finished report at ``out``: the folder itself when new, else file by file.

    In an existing folder, the files an earlier report left and this one did not write (its
    ``rejected_rows.csv``, its working data) are removed; nothing else there is touched.
    """
    if not keep_data:
        shutil.rmtree(work / "data", ignore_errors=True)
    if not out.exists():
        os.replace(work, out)
        return
    for name in _REPORT_FILES:
        _remove(out / name)
        if (work / name).exists():
            os.replace(work / name, out / name)
    old = out / "data"
    if old.is_dir():
        for name in _DATA_FILES:
            _remove(old / name)
        if not any(old.iterdir()):
            old.rmdir()
    if keep_data:
        os.replace(work / "data", old)
    shutil.rmtree(work)


def _remove(path: Path) -> None:
    """Remove a file, or a folder of files that Spark wrote, if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _report(args: argparse.Namespace) -> int:
    """Check the options, start the report's kernel, then load the files and run the notebook.

    The kernel starts before this process imports pandas, DuckDB and matplotlib, so that both
    import them at the same time. Everything is written into a hidden folder beside
    ``--output`` and moved into place at the end: a refused file, a failure or Ctrl+C leaves
    no half-written report.
    """
    from loyalty_lessons._run_notebook import NotebookRun

    _check_report_options(args)
    if args.spark_master:  # for the kernel's Spark session too (loyalty_lessons.spark.session)
        os.environ["MASTER"] = args.spark_master
    out = Path(args.output)
    work, made = _work_folder(out)
    run = None
    done = False
    try:
        run = NotebookRun(work)  # the kernel starts, and papermill is imported, while the files load
        status = _load_and_run(args, work, run)
        if status == 0:
            _move_into_place(work, out, args.keep_data)
        elif (work / "report.ipynb").is_file():  # the notebook failed: keep it, it holds the error
            out.mkdir(exist_ok=True)
            os.replace(work / "report.ipynb", out / "report.ipynb")
        done = status == 0
        if done:
            written = [n for n in _REPORT_FILES if (out / n).exists()] + (["data/"] if args.keep_data else [])
            print(f"Report written to {out}: {', '.join(written)}.")
        return status
    finally:
        if run is not None:
            run.close()
        shutil.rmtree(work, ignore_errors=True)
        if not done and not out.exists():
            for parent in reversed(made):  # the parents made for a report that was not written
                try:
                    parent.rmdir()
                except OSError:
                    break


def _load_and_run(args: argparse.Namespace, work: Path, run: NotebookRun) -> int:
    """Load and validate the files, run the report notebook on ``run``'s kernel, export it to HTML."""
    from loyalty_lessons import report

    notebook, data = _load_for_report(args, work / "data")
    report.write_rejected_rows(data.inputs, work / "rejected_rows.csv")
    set_aside = sum(r.rows_rejected for r in data.inputs.reports.values())
    kept = data.inputs.reports["transactions"].rows_kept
    print(
        f"Checked the files: {kept:,} transactions kept ({set_aside:,} rows set aside in all); "
        "running the report notebook...",
        file=sys.stderr,
    )

    import nbformat
    from papermill.exceptions import PapermillExecutionError

    executed = work / "report.ipynb"
    parameters = {
        "data_dir": "data",
        "client": args.client,
        "currency": data.currency,
        "language": data.language,
        "figures_path": "figures.json",
        "holdout_start": None if data.holdout_start is None else f"{data.holdout_start:%Y-%m-%d}",
        "horizon_months": data.horizon_months,
    }
    # This process waits for the kernel meanwhile: the HTML exporter gets ready on the idle core.
    exporter = threading.Thread(target=report.html_exporter, name="HTML exporter", daemon=True)
    exporter.start()
    try:
        run.execute(notebook, executed, parameters)
    except PapermillExecutionError as err:
        print(
            f'loyalty-lessons: the report failed at step "{_step_name(err.source)}": '
            f"{err.ename}: {_in_cli_terms(err.evalue)}\nThe partial notebook, with the full error, is "
            f"{Path(args.output) / 'report.ipynb'}.",
            file=sys.stderr,
        )
        return 1
    except Exception as err:  # the kernel did not start or died: still one sentence, no traceback
        print(
            f"loyalty-lessons: the report notebook could not run ({type(err).__name__}: {err}). "
            f"Check that the python3 Jupyter kernel of this environment is installed "
            f"(python -m ipykernel install --sys-prefix).",
            file=sys.stderr,
        )
        return 1
    exporter.join()
    m = data.m
    title = f"{m.raw('title.report')} – {data.client_name}" if data.client_name else m.raw("title.report")
    html = report.notebook_to_html(nbformat.read(executed, as_version=4), title=title, language=data.language)
    (work / "report.html").write_text(html, encoding="utf-8")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loyalty-lessons", description=__doc__)
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
        default=_MAX_REJECTED_SHARE,
        help="largest share of the rows that may be set aside as unusable before the file "
        f"is refused (default {_MAX_REJECTED_SHARE:g}; 1 to accept any)",
    )
    _engine_options(summary)
    summary.set_defaults(run=_summary)

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
        default=_MAX_REJECTED_SHARE,
        help="largest share of a file's rows that may be set aside as unusable before the "
        f"file is refused (default {_MAX_REJECTED_SHARE:g}; 1 to accept any)",
    )
    rep.add_argument(
        "--keep-data",
        action="store_true",
        help="also keep the checked data the report was "
        "made from, in DIR/data (Parquet and JSON; left out by default: the folder is for the client)",
    )
    rep.add_argument("--output", metavar="DIR", required=True, help="folder to write the report into")
    _engine_options(rep)
    rep.set_defaults(run=_report)
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
    lessons.set_defaults(run=_lessons)
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
    workshop.set_defaults(run=_workshop)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except LoyaltyDataError as err:
        print(f"loyalty-lessons: {_in_cli_terms(str(err))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("loyalty-lessons: interrupted; nothing was written.", file=sys.stderr)
        return _INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
