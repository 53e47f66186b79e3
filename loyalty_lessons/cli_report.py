"""The report command: check the files, run the report notebook, put the report in place.

:func:`run_report` starts the report's Jupyter kernel first (:mod:`loyalty_lessons._run_notebook`),
loads and checks the client's files meanwhile (:func:`load_for_report`), runs the notebook and
exports it to HTML. Everything is written into a hidden work folder beside ``--output``
(:func:`work_folder`) and moved into place at the end (:func:`move_into_place`): a refused
file, a failure or Ctrl+C leaves no half-written report.

See Also
--------
loyalty_lessons.cli : the command that calls it.
loyalty_lessons.cli_options : the options it checks.
loyalty_lessons.report : what the notebook computes and how it is exported.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from loyalty_lessons import cli_options
from loyalty_lessons.errors import LoyaltyDataError

if TYPE_CHECKING:
    from loyalty_lessons._run_notebook import NotebookRun

# pandas, DuckDB and the rest are imported where they are used: the report starts its Jupyter
# kernel before it imports them, so that both processes import at the same time.

__all__ = [
    "DATA_FILES",
    "REPORT_FILES",
    "check_report_options",
    "load_for_report",
    "move_into_place",
    "run_report",
    "work_folder",
]

#: What a report folder may hold, from this run or an earlier one; ``data/`` with --keep-data.
REPORT_FILES = (
    "report.html",
    "report.ipynb",
    "figures.json",
    "rejected_rows.csv",
    "rejected_transactions.parquet",  # with --engine spark: every row set aside, as Parquet files
    "customer_predictions.parquet",  # with --engine spark: every customer's predictions, as Parquet files
)
DATA_FILES = (
    "transactions.parquet",
    "survey.parquet",
    "complaints.parquet",
    "inputs.json",
    "load_reports.json",
)


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


def check_report_options(args: argparse.Namespace) -> None:
    """Refuse a bad option early (``load_for_report`` reads them again).

    The options checked without importing pandas are checked before the kernel starts; the
    language and the report notebook are checked after.
    """
    cli_options.sources(args)
    cli_options.report_columns(args.column)
    cli_options.observation_end(args.observation_end)
    cli_options.holdout_start(args.holdout_start)
    cli_options.horizon_months(args.horizon_months)
    cli_options.max_rejected_share(args)
    if args.notebook:
        _notebook(args)
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise LoyaltyDataError(f"--output {args.output!r} is a file; give a folder for the report.")


def load_for_report(args: argparse.Namespace, folder: Path):
    """Check every file once, in this process (the kernel waits), with :func:`report.report_data`.

    The transactions' kept rows are streamed into ``folder/transactions.parquet``, never
    held in memory; the survey and complaints are loaded; all are saved in ``folder``
    (:meth:`~loyalty_lessons.inputs.Inputs.save`) for the notebook to read back.
    """
    from loyalty_lessons import report

    report.messages(args.language)  # an unknown language fails here, with the available ones
    notebook = _notebook(args)
    transactions, survey, complaints = cli_options.sources(args)
    columns = cli_options.report_columns(args.column)
    data = report.report_data(
        transactions,
        survey,
        complaints,
        columns=columns["transactions"],
        survey_columns=columns["survey"],
        complaint_columns=columns["complaints"],
        date_format=args.date_format,
        observation_end=cli_options.observation_end(args.observation_end),
        client=args.client,
        currency=args.currency,
        language=args.language,
        max_rejected_share=cli_options.max_rejected_share(args),
        folder=folder,
        holdout_start=cli_options.holdout_start(args.holdout_start),
        horizon_months=cli_options.horizon_months(args.horizon_months),
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


def work_folder(out: Path) -> tuple[Path, list[Path]]:
    """A new hidden folder beside ``out`` to write the report into, and the parents made for it."""
    made = []
    for parent in reversed(out.absolute().parents):
        if not parent.exists():
            made.append(parent)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.{secrets.token_hex(4)}.partial"
    work.mkdir()  # with the usual permissions: it becomes the report's folder
    return work, made


def move_into_place(work: Path, out: Path, keep_data: bool) -> None:
    """Put the finished report at ``out``: the folder itself when new, else file by file.

    In an existing folder, the files an earlier report left and this one did not write (its
    ``rejected_rows.csv``, its working data) are removed; nothing else there is touched.
    """
    if not keep_data:
        shutil.rmtree(work / "data", ignore_errors=True)
    if not out.exists():
        os.replace(work, out)
        return
    for name in REPORT_FILES:
        _remove(out / name)
        if (work / name).exists():
            os.replace(work / name, out / name)
    old = out / "data"
    if old.is_dir():
        for name in DATA_FILES:
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


def run_report(args: argparse.Namespace) -> int:
    """Check the options, start the report's kernel, then load the files and run the notebook.

    The kernel starts before this process imports pandas, DuckDB and matplotlib, so that both
    import them at the same time. Everything is written into a hidden folder beside
    ``--output`` and moved into place at the end: a refused file, a failure or Ctrl+C leaves
    no half-written report.
    """
    from loyalty_lessons._run_notebook import NotebookRun

    check_report_options(args)
    if args.spark_master:  # for the kernel's Spark session too (loyalty_lessons.spark.session)
        os.environ["MASTER"] = args.spark_master
    out = Path(args.output)
    work, made = work_folder(out)
    run = None
    done = False
    try:
        run = NotebookRun(work)  # the kernel starts, and papermill is imported, while the files load
        status = _load_and_run(args, work, run)
        if status == 0:
            move_into_place(work, out, args.keep_data)
        elif (work / "report.ipynb").is_file():  # the notebook failed: keep it, it holds the error
            out.mkdir(exist_ok=True)
            os.replace(work / "report.ipynb", out / "report.ipynb")
        done = status == 0
        if done:
            written = [n for n in REPORT_FILES if (out / n).exists()] + (["data/"] if args.keep_data else [])
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

    notebook, data = load_for_report(args, work / "data")
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
            f"{err.ename}: {cli_options.in_cli_terms(err.evalue)}\nThe partial notebook, with the full "
            f"error, is {Path(args.output) / 'report.ipynb'}.",
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
