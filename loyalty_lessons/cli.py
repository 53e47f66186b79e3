"""The ``loyalty-lessons`` command: ``summary`` of a transactions file, and the client ``report``."""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import datetime
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from loyalty_lessons.errors import LoyaltyDataError

if TYPE_CHECKING:
    import pandas as pd

    from loyalty_lessons._run_notebook import NotebookRun

# pandas, DuckDB and the rest are imported where they are used: `report` starts its Jupyter
# kernel before it imports them, so that both processes import at the same time.

__all__ = ["main"]

#: Which table a ``--column ROLE=HEADER`` of the report goes to when ROLE has no table prefix.
_ROLE_TABLE = {
    "customer_id": "transactions", "date": "transactions", "amount": "transactions",
    "order_id": "transactions", "discount": "transactions", "promotion": "transactions",
    "channel": "transactions", "category": "complaints", "respondent_id": "survey",
    "satisfaction": "survey", "recommend": "survey",
}


def _columns(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        role, sep, header = pair.partition("=")
        if not sep or not role or not header:
            raise LoyaltyDataError(f"--column {pair!r} should look like ROLE=HEADER, e.g. --column 'customer_id=N° client'.")
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
                    "e.g. --column 'complaints.customer_id=Client'.")
        if table not in by_table:
            raise LoyaltyDataError(f"--column {role}=...: unknown table {table!r}; use "
                                   "transactions, survey or complaints.")
        by_table[table][bare] = header
    return by_table


def _workshop(args: argparse.Namespace) -> int:
    """Serve the workshop dashboard until interrupted."""
    from loyalty_lessons import workshop  # Voilà is only needed here

    return workshop.main(["--port", str(args.port)] if args.port else [])


def _lessons(args: argparse.Namespace) -> int:
    """Copy the lesson notebooks into a student's folder and say how to open them."""
    import shlex

    from loyalty_lessons import resources

    target = Path(args.dir)
    existing = [path for path in resources.lesson_copies(target) if path.exists()]
    if existing and not args.force:
        names = ", ".join(path.relative_to(target).as_posix() for path in existing)
        raise LoyaltyDataError(f"{args.dir} already holds {names}; nothing was copied. Add --force to "
                               "overwrite them, or give another folder.")
    written = resources.copy_lessons(target, force=True)
    exercises = sum(path.parent != target for path in written)
    copied = f"{len(written) - exercises} lessons"
    if exercises:
        copied += f" and {exercises} exercise notebooks"
    print(f"Copied {copied} into {target}.\nOpen them with:  jupyter lab {shlex.quote(str(target))}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    """Print the load report and the per-customer summary of a transactions file."""
    import pandas as pd

    from loyalty_lessons.customers import customer_summary
    from loyalty_lessons.data import load_transactions

    columns = _columns(args.column)
    if args.transactions is None:
        with as_file(files("loyalty_lessons.sample_data") / "transactions.csv") as path:
            tx, report = load_transactions(path)
        report.source = "the sample business (data/samples/transactions.csv)"
    else:
        tx, report = load_transactions(args.transactions, columns=columns,
                                       date_format=args.date_format)
    summary = customer_summary(tx, observation_end=args.observation_end, one_line_orders=report.one_line_orders)
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


# --------------------------------------------------------------------------- report

def _observation_end(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise LoyaltyDataError(f"--observation-end {text!r} is not a date; write it as YYYY-MM-DD, "
                               "e.g. --observation-end 2025-12-31.") from None


def _sources(args: argparse.Namespace) -> tuple[str, str | None, str | None]:
    if args.sample:
        given = [o for o, v in (("--transactions", args.transactions), ("--survey", args.survey),
                                ("--complaints", args.complaints)) if v]
        if given:
            raise LoyaltyDataError(f"--sample uses the bundled sample business for all three files; "
                                   f"drop {' and '.join(given)}, or drop --sample to use your files.")
        return "sample", "sample", "sample"
    if not args.transactions:
        raise LoyaltyDataError("Give the transactions export with --transactions FILE "
                               "(or --sample for the bundled sample business).")
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


def _check_report_options(args: argparse.Namespace) -> None:
    """Refuse a bad option early (``_load_for_report`` reads them again).

    The options checked without importing pandas are checked before the kernel starts; the
    language and the report notebook are checked after.
    """
    _sources(args)
    _report_columns(args.column)
    _observation_end(args.observation_end)
    if args.notebook:
        _notebook(args)
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise LoyaltyDataError(f"--output {args.output!r} is a file; give a folder for the report.")


def _load_for_report(args: argparse.Namespace, folder: Path):
    """Validate the options and check every file once, in this process (the kernel waits).

    The transactions' kept rows are streamed into ``folder/transactions.parquet``, never
    held in memory; the survey and complaints are loaded.
    """
    import pandas as pd

    from loyalty_lessons import report
    from loyalty_lessons.inputs import load_inputs
    from loyalty_lessons.report_text import messages

    messages(args.language)  # an unknown language fails here, with the available ones
    notebook = _notebook(args)
    transactions, survey, complaints = _sources(args)
    columns = _report_columns(args.column)
    end = _observation_end(args.observation_end)
    end = None if end is None else pd.Timestamp(end)
    inputs = load_inputs(transactions, survey, complaints, columns=columns["transactions"] or None,
                         survey_columns=columns["survey"] or None,
                         complaint_columns=columns["complaints"] or None,
                         date_format=args.date_format, observation_end=end, folder=folder)
    first = inputs.reports["transactions"].date_min
    if end is not None and end < first:
        inputs.transactions.unlink()  # no report will be made of them
        raise LoyaltyDataError(f"--observation-end {end:%Y-%m-%d} is before the first transaction "
                               f"({first:%Y-%m-%d}); give a later date or leave it out.")
    for name, source in zip(report.TABLES, (transactions, survey, complaints)):
        if name in inputs.reports and source != "sample":
            inputs.reports[name].source = Path(source).name  # never a local path in the report
    sample = transactions == "sample"
    data = report.ReportData(inputs, client=args.client, currency=args.currency or ("EUR" if sample else None),
                             language=args.language, sample=sample)
    return notebook, data


def _report(args: argparse.Namespace) -> int:
    """Check the options, start the report's kernel, then load the files and run the notebook.

    The kernel starts before this process imports pandas, DuckDB and matplotlib, so that both
    import them at the same time.
    """
    from loyalty_lessons._run_notebook import NotebookRun

    _check_report_options(args)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    run = NotebookRun(out)  # the kernel starts, and papermill is imported, while the files load
    try:
        return _load_and_run(args, out, run)
    finally:
        run.close()


def _load_and_run(args: argparse.Namespace, out: Path, run: NotebookRun) -> int:
    """Load and validate the files, run the report notebook on ``run``'s kernel, export it to HTML."""
    from loyalty_lessons import report

    notebook, data = _load_for_report(args, out / "data")
    report.write_canonical(data.inputs, out / "data")
    (out / "figures.json").unlink(missing_ok=True)  # the notebook writes it again, from what it computes
    rejected = report.rejected_rows(data.inputs)
    rejected_path = out / "rejected_rows.csv"
    if len(rejected):
        rejected.to_csv(rejected_path, index=False)
    elif rejected_path.exists():
        rejected_path.unlink()  # left over from an earlier run on other files
    set_aside = sum(r.rows_rejected for r in data.inputs.reports.values())
    kept = data.inputs.reports["transactions"].rows_kept
    print(f"Checked the files: {kept:,} transactions kept ({set_aside:,} rows set aside in all); "
          "running the report notebook...", file=sys.stderr)

    import nbformat
    from papermill.exceptions import PapermillExecutionError

    executed = out / "report.ipynb"
    parameters = {"data_dir": "data", "client": args.client, "currency": data.currency,
                  "language": data.language, "figures_path": "figures.json"}
    # This process waits for the kernel meanwhile: the HTML exporter gets ready on the idle core.
    exporter = threading.Thread(target=report.html_exporter, name="HTML exporter", daemon=True)
    exporter.start()
    try:
        run.execute(notebook, executed, parameters)
    except PapermillExecutionError as err:
        print(f"loyalty-lessons: the report failed at step \"{_step_name(err.source)}\": "
              f"{err.ename}: {err.evalue}\nThe partial notebook, with the full error, is {executed}.",
              file=sys.stderr)
        return 1
    except Exception as err:  # the kernel did not start or died: still one sentence, no traceback
        print(f"loyalty-lessons: the report notebook could not run ({type(err).__name__}: {err}). "
              f"Check that the python3 Jupyter kernel of this environment is installed "
              f"(python -m ipykernel install --sys-prefix).", file=sys.stderr)
        return 1
    exporter.join()
    m = data.m
    title = f"{m.raw('title.report')} – {data.client_name}" if data.client_name else m.raw("title.report")
    html = report.notebook_to_html(nbformat.read(executed, as_version=4), title=title, language=data.language)
    (out / "report.html").write_text(html, encoding="utf-8")
    written = ["report.html", "report.ipynb", "figures.json"] + (["rejected_rows.csv"] if len(rejected) else [])
    print(f"Report written to {out}: {', '.join(written)}.")
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

    rep = sub.add_parser("report", help="the client report: load and check the files, run the report "
                         "notebook and write DIR/report.html, report.ipynb and figures.json")
    rep.add_argument("--transactions", metavar="FILE", help="transactions export (CSV, Excel or Parquet)")
    rep.add_argument("--survey", metavar="FILE", help="SERVQUAL survey export (optional)")
    rep.add_argument("--complaints", metavar="FILE", help="complaints export (optional)")
    rep.add_argument("--sample", action="store_true", help="use the bundled sample business for all three files")
    rep.add_argument("--column", action="append", default=[], metavar="ROLE=HEADER",
                     help="name a column the loader does not recognise (repeatable); prefix the role "
                     "with survey. or complaints. for those files, e.g. complaints.category=Motif")
    rep.add_argument("--date-format", metavar="FMT", help="strptime format of the dates, e.g. %%d/%%m/%%Y")
    rep.add_argument("--client", metavar="NAME", help="the client's name, for the title page")
    rep.add_argument("--currency", metavar="CODE", help="currency written after amounts, e.g. EUR")
    rep.add_argument("--observation-end", metavar="YYYY-MM-DD", help="the day the figures are as of "
                     "(default: the last transaction date)")
    rep.add_argument("--language", default="en", help="language of the report (default en)")
    rep.add_argument("--notebook", metavar="PATH", help="run another copy of the report notebook "
                     "(default: notebooks/client-report.ipynb of this repository)")
    rep.add_argument("--output", metavar="DIR", required=True, help="folder to write the report into")
    rep.set_defaults(run=_report)
    lessons = sub.add_parser("lessons", help="copy the lesson notebooks into DIR for a student, "
                             "to open with jupyter lab DIR")
    lessons.add_argument("dir", metavar="DIR", help="folder to copy the lessons into (created if missing)")
    lessons.add_argument("--force", action="store_true", help="overwrite lessons already in DIR")
    lessons.set_defaults(run=_lessons)
    workshop = sub.add_parser("workshop", help="serve the lesson explorers as a dashboard on 127.0.0.1 "
                              "(the sample business; upload a client's files on its index page)")
    workshop.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    workshop.set_defaults(run=_workshop)
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
