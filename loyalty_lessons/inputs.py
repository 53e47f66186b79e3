"""From a lesson's or report's parameters to loaded tables: one call for every notebook.

Notebook parameters hold only literals (papermill injects new ones after them): a path, or
``"sample"`` for the bundled sample business, or ``None`` for "not given".
"""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import load_complaints, load_transactions, transactions_to_parquet
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.load_report import MAX_REJECTED_SHARE, LoadReport
from loyalty_lessons.survey_loader import load_survey

__all__ = ["INPUTS_FILE", "LOAD_NOTES", "SAMPLE", "TABLES", "Inputs", "Notice", "load_inputs", "load_note"]

#: The parameter value that means "the bundled sample business".
SAMPLE = "sample"
#: The three tables of the data contract, in report order.
TABLES = ("transactions", "survey", "complaints")
#: The file of a saved folder that holds the load reports, the observation end and ``meta``.
INPUTS_FILE = "inputs.json"
_FORMAT = 1
#: The notes the loaders write (in English) and the catalogue message of each, under
#: ``lessons.notes``: a lesson shows a note in its language by reading it here, its numbers
#: written again for the language. A note not listed is shown as the loader wrote it.
LOAD_NOTES: dict[str, str] = {
    "refunds": r"(?P<count>\d+) refunds \(negative amounts, (?P<amount>-?[\d,]+\.\d+) in all\) are kept: "
    r"they lower net revenue\.",
    "multiline": r"Some fields span several lines \(quoted line breaks\), so the line numbers of "
    r"set-aside rows after them may be a little early\.",
    "unanswered": r"(?P<count>\d+) unanswered items \(no expectation or no perception\) are left out: "
    r"(?P<partial>\d+) of (?P<respondents>\d+) respondents left some items blank, and each "
    r"respondent's averages are over the items they answered\.",
    "silent": r"(?P<count>\d+) respondents answered no item at all and are left out, with their "
    r"satisfaction and recommendation scores\.",
    "no_survey": r"No survey file was given with the client's transactions, so there is none .*",
    "no_complaints": r"No complaints file was given with the client's transactions, so there is none .*",
}


@dataclass(frozen=True)
class Notice:
    """A note a lesson shows its reader, as a quoted box; an empty notice shows nothing.

    Lessons show one where the data is not the reader's own (:meth:`Inputs.needing`) and
    the load reports' notes at the top (:meth:`Inputs.load_notes`). In a notebook, a notice
    as a cell's last line displays as Markdown; an empty one displays nothing at all, so a
    lesson run on complete data carries no empty box.

    Examples
    --------
    >>> bool(Notice()), str(Notice(("Refunds are kept.",)))
    (False, 'Refunds are kept.')
    """

    lines: tuple[str, ...] = ()
    language: str = DEFAULT_LANGUAGE

    def __bool__(self) -> bool:
        return bool(self.lines)

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def _repr_markdown_(self) -> str | None:
        if not self.lines:
            return None
        if len(self.lines) == 1:
            return f"> **{entry(self.language, 'lessons.notes.note')}** {self.lines[0]}"
        heading = entry(self.language, "lessons.notes.notes")
        return f"> **{heading}**\n>\n" + "\n".join(f"> - {line}" for line in self.lines)

    def _ipython_display_(self) -> None:
        if self.lines:
            from IPython.display import Markdown, display

            display(Markdown(self._repr_markdown_()))


class Inputs(NamedTuple):
    """The loaded inputs of a lesson or report.

    Attributes
    ----------
    transactions : DataFrame, or Path of a Parquet file
        The path when they were loaded with ``folder=``: millions of rows stay on disk.
    survey, complaints : DataFrame or None
        None when not given.
    summary : DataFrame or None
        :func:`~loyalty_lessons.customers.customer_summary` of the transactions at
        ``observation_end``; None when they were loaded with ``folder=`` (compute it from
        the file, with the report's other tables, by
        :func:`~loyalty_lessons.aggregates.aggregate`).
    reports : dict
        Table name -> :class:`~loyalty_lessons.load_report.LoadReport`, for each table loaded.
    observation_end : Timestamp
        The day the observation ends (the last transaction date unless given).
    meta : dict or None
        What a user of the inputs keeps with them (a dataset's name, its currency...): plain
        JSON values, saved and loaded with the tables. None unless given.
    """

    transactions: pd.DataFrame | Path
    survey: pd.DataFrame | None
    complaints: pd.DataFrame | None
    summary: pd.DataFrame | None
    reports: dict[str, LoadReport]
    observation_end: pd.Timestamp
    meta: dict | None = None

    def save(self, folder: str | Path) -> Path:
        """Write the tables as Parquet and the rest as JSON into ``folder``: the one saved-data format.

        Writes ``<table>.parquet`` for each table given and :data:`INPUTS_FILE` (the load
        reports, the observation end and :attr:`meta`); :meth:`load` reads them back without
        parsing any client file again. Transactions streamed into the folder by
        ``load_inputs(..., folder=folder)`` are left as they are.

        Parameters
        ----------
        folder : str or Path
            Created if needed.

        Returns
        -------
        Path
            The folder.

        Raises
        ------
        LoyaltyDataError
            If the transactions are a Parquet file in another folder (load them with
            ``load_inputs(..., folder=folder)``), or ``meta`` is not plain JSON.

        Examples
        --------
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     saved = load_inputs()._replace(meta={"name": "Sample business"}).save(folder)
        ...     back = Inputs.load(saved)
        >>> back.meta, back.transactions.name, back.summary is None
        ({'name': 'Sample business'}, 'transactions.parquet', True)
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            table, path = getattr(self, name), folder / f"{name}.parquet"
            if isinstance(table, pd.DataFrame):
                table.to_parquet(path, index=False)
            elif table is not None and Path(table).resolve() != path.resolve():
                raise LoyaltyDataError(
                    f"The {name} are in {table}, not in {folder}: load them with "
                    f"load_inputs(..., folder={str(folder)!r})."
                )
        saved = {
            "format": _FORMAT,
            "observation_end": f"{self.observation_end:%Y-%m-%d}",
            "tables": [name for name in TABLES if getattr(self, name) is not None],
            "reports": {name: _report_to_dict(r) for name, r in self.reports.items()},
            "meta": self.meta or {},
        }
        try:
            text = json.dumps(saved, indent=1, ensure_ascii=False)
        except TypeError as err:
            raise LoyaltyDataError(
                f"Inputs.meta must hold plain JSON values (text, numbers, lists, dicts): {err}."
            ) from None
        (folder / INPUTS_FILE).write_text(text, encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, *, read_transactions: bool = False) -> Inputs:
        """Read back a folder written by :meth:`save`.

        Parameters
        ----------
        folder : str or Path
        read_transactions : bool, default False
            False: the transactions stay on disk (``transactions`` is the path of their
            Parquet file, ``summary`` None; :func:`~loyalty_lessons.aggregates.aggregate` works
            from the file). True: they are read into a DataFrame and ``summary`` computed at
            the observation end, as :func:`load_inputs` gives them.

        Raises
        ------
        LoyaltyDataError
            If the folder or its :data:`INPUTS_FILE` is missing.
        """
        folder = Path(folder)
        path = folder / INPUTS_FILE
        if not path.is_file():
            raise LoyaltyDataError(
                f"{INPUTS_FILE} is missing in {folder.name!r}: save the folder with "
                "Inputs.save(folder), or give the files instead."
            )
        saved = json.loads(path.read_text(encoding="utf-8"))
        tables = {name: folder / f"{name}.parquet" if name in saved["tables"] else None for name in TABLES}
        for name in TABLES[1:]:
            tables[name] = None if tables[name] is None else pd.read_parquet(tables[name])
        end = pd.Timestamp(saved["observation_end"])
        reports = {name: _report_from_dict(d) for name, d in saved["reports"].items()}
        transactions, summary = tables["transactions"], None
        if read_transactions:
            transactions = pd.read_parquet(transactions)
            loaded = reports.get("transactions")
            summary = customer_summary(
                transactions,
                observation_end=end,
                one_line_orders=loaded is not None and loaded.one_line_orders,
            )
        return cls(
            transactions, tables["survey"], tables["complaints"], summary, reports, end, saved.get("meta", {})
        )

    def load_notes(self, language: str = DEFAULT_LANGUAGE) -> Notice:
        """The notes of every load report, for the top of a lesson: what was kept, set aside
        or not given, in ``language`` (:func:`load_note`).

        Examples
        --------
        >>> print(load_inputs().load_notes())  # doctest: +ELLIPSIS
        transactions: ... refunds (negative amounts, ...) are kept: they lower net revenue.
        survey: ... unanswered items (no expectation or no perception) are left out: ...
        >>> print(load_inputs().load_notes("fr"))  # doctest: +ELLIPSIS
        Transactions : ... remboursements (montants négatifs, ...) sont conservés...
        """
        if language == DEFAULT_LANGUAGE:
            lines = [f"{name}: {note}" for name, report in self.reports.items() for note in report.notes]
        else:
            lines = [
                entry(language, "lessons.notes.table").format(
                    table=entry(language, f"tables.{name}"), note=load_note(note, language)
                )
                for name, report in self.reports.items()
                for note in report.notes
            ]
        return Notice(tuple(lines), language)

    def needing(self, *tables: str, language: str = DEFAULT_LANGUAGE) -> tuple[Inputs, Notice]:
        """The inputs a part of a lesson needs: these ones, or the sample business's.

        A part that needs a survey or complaints cannot run on transactions alone. When one
        of ``tables`` was not given, the part runs on the whole sample business (its survey
        or complaints describe its own customers, never the reader's), and the notice says
        so; otherwise the inputs are returned as they are, with an empty notice.

        Parameters
        ----------
        *tables : str
            Among "survey" and "complaints".
        language : str, default "en"
            The language of the notice.

        Returns
        -------
        (Inputs, Notice)

        Raises
        ------
        LoyaltyDataError
            If a name is not a table of the data contract.

        Examples
        --------
        >>> inputs = load_inputs()._replace(survey=None)
        >>> part, notice = inputs.needing("survey")
        >>> part.survey is not None, bool(notice)
        (True, True)
        """
        unknown = [name for name in tables if name not in TABLES]
        if unknown:
            raise LoyaltyDataError(f"Unknown table(s) {unknown}; choose among {list(TABLES[1:])}.")
        missing = [name for name in tables if getattr(self, name) is None]
        if not missing:
            return self, Notice()
        if language == DEFAULT_LANGUAGE:
            given = " and ".join(missing)
            line = (
                f"No {given} was given, so this part runs on the sample business (its {given} "
                "and its customers), to show the method. Give your own file in the settings cell "
                f"({', '.join(f'{name} = ...' for name in missing)}) to see your business."
            )
        else:
            line = " ".join(
                entry(language, f"lessons.notes.needing_{name}").format(setting=f"{name} = ...")
                for name in missing
            )
        return load_inputs(), Notice((line,), language)


def load_note(note: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A load report's ``note`` in ``language``, by :data:`LOAD_NOTES`; as it is when not listed.

    Examples
    --------
    >>> load_note("3 refunds (negative amounts, -1,234.50 in all) are kept: they lower net revenue.", "it")
    '3 rimborsi (importi negativi, −1.234,50 in tutto) sono conservati: riducono il fatturato netto.'
    >>> load_note("A note of its own.", "fr")
    'A note of its own.'
    """
    if language == DEFAULT_LANGUAGE:
        return note
    from loyalty_lessons.formatting import format_number, format_signed

    for key, pattern in LOAD_NOTES.items():
        found = re.fullmatch(pattern, note)
        if found is None:
            continue
        values = found.groupdict()
        for name in ("count", "partial", "respondents"):
            if name in values:
                values[name] = format_number(int(values[name]), locale=language)
        if "amount" in values:
            amount = float(values["amount"].replace(",", ""))
            values["amount"] = (format_signed if amount < 0 else format_number)(amount, 2, locale=language)
        return entry(language, f"lessons.notes.{key}").format(**values)
    return note


def _report_to_dict(report: LoadReport) -> dict:
    """A load report as plain JSON: the set-aside rows as columns and rows of text."""
    d = asdict(report)
    rejected = report.rejected.astype(object).where(report.rejected.notna(), None)
    d["rejected"] = {
        "columns": [str(c) for c in rejected.columns],
        "rows": [
            [
                (None if v is None else int(v)) if c == "line" else (None if v is None else str(v))
                for c, v in zip(rejected.columns, row, strict=True)
            ]
            for row in rejected.itertuples(index=False)
        ],
    }
    d["detected"] = {k: str(v) for k, v in report.detected.items()}
    for key in ("date_min", "date_max"):
        d[key] = None if d[key] is None else f"{d[key]:%Y-%m-%d}"
    return d


def _report_from_dict(d: dict) -> LoadReport:
    rejected = pd.DataFrame(d["rejected"]["rows"], columns=d["rejected"]["columns"])
    # Rows set aside on Spark have no line numbers (None): their column is then nullable.
    line = "Int64" if rejected["line"].isna().any() else "int64"
    rejected = rejected.astype({"line": line, "reason": "str"})
    dates = {key: None if d[key] is None else pd.Timestamp(d[key]) for key in ("date_min", "date_max")}
    return LoadReport(**{**d, "rejected": rejected, **dates})


def _load(loader, source, name, stack, **kwargs):
    if source is None:
        return None, None
    if _is_sample(source):
        path = stack.enter_context(as_file(files("loyalty_lessons.sample_data") / f"{name}.csv"))
        table, report = loader(path)
        report.source = f"the sample business ({name}.csv)"
        return table, report
    return loader(source, **kwargs)


def load_inputs(
    transactions=SAMPLE,
    survey=SAMPLE,
    complaints=SAMPLE,
    *,
    columns: dict[str, str] | None = None,
    survey_columns: dict[str, str] | None = None,
    complaint_columns: dict[str, str] | None = None,
    date_format: str | None = None,
    observation_end: str | pd.Timestamp | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
    folder: str | Path | None = None,
    engine: str = "duckdb",
    rejected_path: str | Path | None = None,
) -> Inputs:
    """Load transactions (required) and, when given, a survey and complaints.

    Parameters
    ----------
    transactions, survey, complaints : str, Path, DataFrame, "sample" or None
        A client file or frame, ``"sample"`` for the bundled sample business, or ``None``
        (survey and complaints only) when there is none. With a client's transactions,
        ``"sample"`` for the survey or complaints means none: the sample's would describe
        other customers (a note in the transactions' load report says so).
    columns, survey_columns, complaint_columns : dict, optional
        Role -> header mappings for each file (see the loaders).
    date_format : str, optional
        strptime format of the dates in the transactions and complaints files.
    observation_end : date-like, optional
        Ends the observation (later transactions are left out of the summary); defaults to
        the last transaction date.
    max_rejected_share : float
        Passed to each loader.
    folder : str or Path, optional
        Write the transactions' kept rows to ``folder/transactions.parquet`` with
        :func:`~loyalty_lessons.data.transactions_to_parquet` instead of loading them: for
        exports of millions of rows. ``transactions`` is then that path and ``summary`` None.
    engine : {"duckdb", "spark"}
        With ``folder``, what checks the transactions and writes their kept rows: DuckDB, or
        Apache Spark (:func:`loyalty_lessons.spark.load_transactions`, which writes a folder of
        Parquet files and, to ``rejected_path``, the rows set aside). ``meta`` then says which.

    Returns
    -------
    Inputs

    Raises
    ------
    LoyaltyDataError
        From the loaders, when a file cannot be used.

    Examples
    --------
    >>> inputs = load_inputs()
    >>> len(inputs.summary) == inputs.transactions["customer_id"].nunique()
    True
    >>> sorted(inputs.reports)
    ['complaints', 'survey', 'transactions']
    """
    common = {"max_rejected_share": max_rejected_share}
    notes = []
    if not _is_sample(transactions):
        # The sample's survey and complaints describe the sample's customers, not a client's.
        for name, value in (("survey", survey), ("complaints", complaints)):
            if _is_sample(value):
                notes.append(
                    f"No {name} file was given with the client's transactions, so there is "
                    f"none (the sample business's {name} would describe other customers)."
                )
        survey = None if _is_sample(survey) else survey
        complaints = None if _is_sample(complaints) else complaints
    if folder is not None:
        path = Path(folder) / "transactions.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)

        def load_transactions_into_folder(source, **kwargs):
            if engine == "spark":
                from loyalty_lessons import spark

                return path, spark.transactions_to_parquet(
                    source, path, rejected_path=rejected_path, **kwargs
                )
            return path, transactions_to_parquet(source, path, **kwargs)  # rows in the reader's order

    with ExitStack() as stack:
        tx, tx_report = _load(
            load_transactions if folder is None else load_transactions_into_folder,
            transactions,
            "transactions",
            stack,
            columns=columns,
            date_format=date_format,
            **common,
        )
        sv, sv_report = _load(load_survey, survey, "survey", stack, columns=survey_columns, **common)
        cp, cp_report = _load(
            load_complaints,
            complaints,
            "complaints",
            stack,
            columns=complaint_columns,
            date_format=date_format,
            **common,
        )
    end = pd.Timestamp(observation_end) if observation_end is not None else tx_report.date_max
    reports = {
        name: report
        for name, report in [("transactions", tx_report), ("survey", sv_report), ("complaints", cp_report)]
        if report
    }
    reports["transactions"].notes.extend(notes)
    summary = (
        customer_summary(tx, observation_end=end, one_line_orders=tx_report.one_line_orders)
        if folder is None
        else None
    )
    return Inputs(tx, sv, cp, summary, reports, end, {"engine": engine} if engine != "duckdb" else None)


def _is_sample(value) -> bool:
    return isinstance(value, str) and value == SAMPLE
