"""Loading client data: the transactions and complaints loaders, with nothing silently lost.

Each loader takes a path (CSV/TSV, XLSX, Parquet) or a DataFrame and returns
``(table, report)``: the canonical table of ``docs/data.md`` and a
:class:`~loyalty_lessons.load_report.LoadReport` that accounts for every input row. A loader
says what its table is (roles, the SQL of each column, the checks a row must pass); reading the
file in one pass of SQL is the work of :mod:`loyalty_lessons._load_engine`.
:func:`match_columns` tells, without loading a file, which of its headers the loader would use.

The survey's loader is :func:`~loyalty_lessons.survey_loader.load_survey`; the report every
loader returns, and the share of set-aside rows above which a load is refused, are in
:mod:`loyalty_lessons.load_report`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from loyalty_lessons import _parse
from loyalty_lessons._load_engine import (
    Columns,
    describe_kept,
    read_checked,
    read_kept,
    sql_name,
    sql_text,
)
from loyalty_lessons._read import RawTable, read_raw
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.load_report import MAX_REJECTED_SHARE, LoadReport, check_share, refund_note

__all__ = [
    "ColumnMatch",
    "TRANSACTION_CHECKS",
    "TRANSACTION_ROLES",
    "load_complaints",
    "load_transactions",
    "match_columns",
    "transactions_to_parquet",
]

#: The checks every transaction passes, in order: (role, what fails, reason). "empty": the cell
#: is empty; "unusable": its value cannot be read as the column's type (for the customer id,
#: nothing is left once trimmed). A row set aside gets the reason of its first failed check;
#: both engines (this module's loader and :mod:`loyalty_lessons.spark`) run these.
TRANSACTION_CHECKS = [
    ("customer_id", "unusable", "missing customer id"),
    ("date", "empty", "missing date"),
    ("date", "unusable", "unparseable date"),
    ("amount", "empty", "missing amount"),
    ("amount", "unusable", "non-numeric amount"),
]

TRANSACTION_ROLES = ["date", "customer_id", "amount", "order_id", "discount", "promotion", "channel"]
_COMPLAINT_ROLES = ["date", "customer_id", "category"]
#: Table -> (its roles, the roles it cannot do without).
_ROLES = {
    "transactions": (TRANSACTION_ROLES, ["customer_id", "date", "amount"]),
    "complaints": (_COMPLAINT_ROLES, ["customer_id", "date"]),
}


# --- shared machinery ---------------------------------------------------------------------


def _missing_roles_error(table: RawTable, kind: str, missing: list[str], found: dict) -> LoyaltyDataError:
    mapping = ", ".join(f'"{r}": "<header>"' for r in missing)
    return LoyaltyDataError(
        f"{table.source}: no column was recognised as the {kind} {' / '.join(missing)}. "
        f"Columns found: {table.columns}. Recognised so far: {found or 'none'}. "
        f"Name them with columns={{{mapping}}}."
    )


def _finish(
    table: RawTable,
    kind: str,
    build,
    used: dict[str, str],
    max_rejected_share: float,
    destination: Path,
    in_file_order: bool = True,
) -> LoadReport:
    """Read every record once into ``destination`` (Parquet), and report on all of them."""
    kept, rejected, order = read_checked(table, build, used, destination, in_file_order)
    report = LoadReport(
        source=table.source,
        rows_read=kept + len(rejected),
        rows_kept=kept,
        rejected=rejected,
        columns=used,
        detected=table.detected,
        notes=list(table.notes),
    )
    _describe_kept(report, destination, order)
    check_share(report, kind, max_rejected_share)
    return report


def _describe_kept(report: LoadReport, path: Path, order: list[str]) -> None:
    """Duplicates, orders, dates and refunds of the kept rows, into ``report``."""
    figures = describe_kept(path, order)
    report.duplicates, report.refunds = figures.duplicates, figures.refunds
    report.zero_amounts = figures.zero_amounts
    report.one_line_orders = figures.one_line_orders
    if figures.date_min is not None:
        report.date_min, report.date_max = figures.date_min, figures.date_max
    if figures.refunds:
        report.notes.append(refund_note(figures.refunds, figures.refunded))


def _open(source, name, columns, sheet, encoding, delimiter) -> RawTable:
    """The raw table of a transactions or complaints file, once its required roles are found."""
    roles, required = _ROLES[name]
    table = read_raw(source, sheet=sheet, encoding=encoding, delimiter=delimiter)
    used = _parse.match_roles(table.columns, roles, columns, table.source)
    missing = [r for r in required if r not in used]
    if missing:
        table.close()
        raise _missing_roles_error(table, f"{name}'", missing, used)
    return table


class ColumnMatch(NamedTuple):
    """Which headers of a file a loader would use (see :func:`match_columns`).

    Attributes
    ----------
    headers : list of str
        The file's headers, in order.
    found : dict
        Role -> header, recognised or given with ``columns=``.
    missing : list of str
        Required roles with no header: the loader would refuse the file.
    """

    headers: list[str]
    found: dict[str, str]
    missing: list[str]


def match_columns(
    source,
    table: str,
    *,
    columns: dict[str, str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ColumnMatch:
    """Which headers of a transactions or complaints file the loader would use, without loading it.

    Only the file's first rows are read, so that a form can ask for the missing roles
    before loading the whole file (the workshop's upload panel does).

    Parameters
    ----------
    source : str, Path or DataFrame
        As for :func:`load_transactions`.
    table : {"transactions", "complaints"}
        Which table the file holds (the roles of each are those of its loader).
    columns : dict, optional
        Role -> header, as the loaders take it.
    sheet, encoding, delimiter
        As in :func:`load_transactions`.

    Returns
    -------
    ColumnMatch

    Raises
    ------
    LoyaltyDataError
        If the file cannot be read, ``table`` is unknown, ``columns`` names a role or a
        header that does not exist, or several headers could be the same role.

    Examples
    --------
    >>> raw = pd.DataFrame({"carte": ["K1"], "jour": ["2025-01-03"], "Montant": ["10,5"]})
    >>> match = match_columns(raw, "transactions")
    >>> match.found, match.missing
    ({'amount': 'Montant'}, ['customer_id', 'date'])
    """
    if table not in _ROLES:
        raise LoyaltyDataError(f"table must be one of {list(_ROLES)}, got {table!r}.")
    roles, required = _ROLES[table]
    raw = read_raw(source, sheet=sheet, encoding=encoding, delimiter=delimiter)
    try:
        headers = list(raw.columns)
    finally:
        raw.close()
    found = _parse.match_roles(headers, roles, columns, raw.source)
    return ColumnMatch(headers, found, [role for role in required if role not in found])


# --- transactions -------------------------------------------------------------------------


def load_transactions(
    source,
    *,
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a transactions export into the canonical table.

    Parameters
    ----------
    source : str, Path or DataFrame
        A CSV/TSV (``,`` ``;`` tab or ``|``; UTF-8 with or without BOM, or cp1252), an
        Excel workbook, a Parquet file, or a DataFrame.
    columns : dict, optional
        Role -> header, for headers that are not recognised, e.g.
        ``{"customer_id": "N° carte", "amount": "CA TTC"}``. Roles: ``customer_id``,
        ``date``, ``amount`` (required), ``order_id``, ``discount``, ``promotion``,
        ``channel`` (optional).
    date_format : str, optional
        strptime format of the dates (e.g. ``"%d/%m/%Y"``). Detected when omitted; needed
        when every day is 12 or less, so that day-first and month-first cannot be told apart.
    decimal : {",", "."}, optional
        Decimal mark of the amounts; detected when omitted.
    sheet : str or int, optional
        Excel sheet (default: the first).
    encoding, delimiter : str, optional
        Override the detection.
    max_rejected_share : float
        Raise when more than this share of rows must be set aside (default 5%).

    Returns
    -------
    (DataFrame, LoadReport)
        Columns ``customer_id, date, amount`` and those of the optional roles present,
        in file order. Refunds (negative amounts) and duplicate rows are kept.

    Raises
    ------
    LoyaltyDataError
        The file is missing, empty or unreadable, a required column is not found, the date
        convention is ambiguous, or too many rows are unusable.

    Examples
    --------
    >>> raw = pd.DataFrame({"Kunde": ["K1", "K2", ""], "Datum": ["13.02.2024", "14.02.2024", "15.02.2024"],
    ...                     "Betrag": ["1.234,50 €", "-12,00", "3,00"]})
    >>> tx, report = load_transactions(raw, max_rejected_share=0.5)
    >>> tx
      customer_id       date   amount
    0          K1 2024-02-13  1234.5
    1          K2 2024-02-14    -12.0
    >>> report.rows_read, report.rows_kept, report.reasons.to_dict()
    (3, 2, {'missing customer id': 1})
    """
    with tempfile.TemporaryDirectory(prefix="loyalty-") as folder:
        path = Path(folder) / "transactions.parquet"
        report = transactions_to_parquet(
            source,
            path,
            columns=columns,
            date_format=date_format,
            decimal=decimal,
            sheet=sheet,
            encoding=encoding,
            delimiter=delimiter,
            max_rejected_share=max_rejected_share,
            in_file_order=True,
        )
        return read_kept(path), report


def transactions_to_parquet(
    source,
    destination: str | Path,
    *,
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
    in_file_order: bool = False,
) -> LoadReport:
    """Check a transactions export and write its canonical table to a Parquet file.

    The way to open an export of millions of rows: the rows stream from the file to
    ``destination`` and are never all held in memory. :func:`~loyalty_lessons.customer_summary`
    and the report read the Parquet file directly. The checks, the report and the
    parameters are those of :func:`load_transactions`, and:

    Parameters
    ----------
    in_file_order : bool, default False
        Write the kept rows in the order of the file (as :func:`load_transactions` does, for
        its DataFrame). By default, in the order the reader's threads parse them: no figure of
        the summaries or of the report depends on the order of the rows, and on large exports
        this is much quicker and leaner (DuckDB's copy of a 100 M-row CSV into Parquet: 51 s
        and 0.4 GB instead of 83 s and 3.6 GB, docs/performance.md).

    Returns
    -------
    LoadReport
        What became of every row; ``destination`` holds the rows kept. The rows set aside are
        numbered by their line in the file either way.

    Raises
    ------
    LoyaltyDataError
        As :func:`load_transactions`; no file is left at ``destination`` then.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> raw = pd.DataFrame({"Kunde": ["K1", "K2"], "Datum": ["13.02.2024", "14.02.2024"],
    ...                     "Betrag": ["1.234,50 €", "-12,00"]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "transactions.parquet"
    >>> report = transactions_to_parquet(raw, path)
    >>> report.rows_kept, report.refunds, sorted(pd.read_parquet(path)["amount"])
    (2, 1, [-12.0, 1234.5])
    """
    destination = Path(destination)
    table = _open(source, "transactions", columns, sheet, encoding, delimiter)
    try:
        used = _parse.match_roles(table.columns, TRANSACTION_ROLES, columns, table.source)
        raw = {role: sql_text(sql_name(h)) for role, h in used.items()}

        def build(parse: Columns):
            select = {
                "customer_id": raw["customer_id"],
                "date": parse.date(used["date"], date_format),
                "amount": parse.number(used["amount"], decimal, "amount"),
            }
            failing = {
                "empty": lambda role: parse.missing(used[role]),
                "unusable": lambda role: f"__c_{role} IS NULL",
            }
            checks = [(failing[kind](role), reason) for role, kind, reason in TRANSACTION_CHECKS]
            if "order_id" in used:
                select["order_id"] = raw["order_id"]
            if "discount" in used:
                number = parse.number(used["discount"], decimal, "discount")
                select["discount"] = (
                    f"coalesce({number}, CASE WHEN {parse.missing(used['discount'])} THEN 0.0 END)"
                )
                checks.append(("__c_discount IS NULL", "non-numeric discount"))
            if "promotion" in used:
                select["promotion"] = _parse.flag_sql(sql_name(used["promotion"]))
                checks.append(("__c_promotion IS NULL", "unrecognised promotion flag"))
            elif "discount" in used:
                select["promotion"] = "__c_discount > 0"
            if "channel" in used:
                select["channel"] = raw["channel"]
            return select, checks

        return _finish(table, "transaction", build, used, max_rejected_share, destination, in_file_order)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    finally:
        table.close()


# --- complaints ---------------------------------------------------------------------------


def load_complaints(
    source,
    *,
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a complaints export: ``customer_id``, ``date`` and optionally ``category``.

    Parameters are those of :func:`load_transactions` (roles ``customer_id``, ``date``,
    ``category``). A blank category becomes ``"unspecified"``.

    Returns
    -------
    (DataFrame, LoadReport)
        Columns ``customer_id, date, category``.

    Examples
    --------
    >>> raw = pd.DataFrame({"client": ["C1", "C2"], "date": ["2024-03-01", "2024-03-05"],
    ...                     "motif": ["attente", None]})
    >>> complaints, report = load_complaints(raw)
    >>> complaints["category"].tolist()
    ['attente', 'unspecified']
    """
    table = _open(source, "complaints", columns, sheet, encoding, delimiter)
    try:
        used = _parse.match_roles(table.columns, _COMPLAINT_ROLES, columns, table.source)
        category = sql_text(sql_name(used["category"])) if "category" in used else "NULL"

        def build(parse: Columns):
            select = {
                "customer_id": sql_text(sql_name(used["customer_id"])),
                "date": parse.date(used["date"], date_format),
                "category": f"coalesce({category}, 'unspecified')",
            }
            checks = [
                ("__c_customer_id IS NULL", "missing customer id"),
                (parse.missing(used["date"]), "missing date"),
                ("__c_date IS NULL", "unparseable date"),
            ]
            return select, checks

        with tempfile.TemporaryDirectory(prefix="loyalty-") as folder:
            path = Path(folder) / "complaints.parquet"
            report = _finish(table, "complaint", build, used, max_rejected_share, path)
            return read_kept(path), report
    finally:
        table.close()
