"""Loading client data: transactions, survey and complaints, with nothing silently lost.

Each loader takes a path (CSV/TSV, XLSX, Parquet) or a DataFrame and returns
``(table, report)``: the canonical table of ``docs/data.md`` and a :class:`LoadReport`
that accounts for every input row. A loader says what its table is (roles, the SQL of each
column, the checks a row must pass); reading the file in one pass of SQL is the work of
:mod:`loyalty_lessons._load_engine`. :func:`match_columns` tells, without loading a file,
which of its headers the loader would use.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from loyalty_lessons import _parse
from loyalty_lessons._load_engine import (
    Columns,
    describe_kept,
    read_checked,
    read_kept,
    reader_rejects,
    sql_name,
    sql_text,
)
from loyalty_lessons._read import RawTable, read_raw
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.survey import DIMENSIONS, SERVQUAL_ITEMS

__all__ = [
    "MAX_REJECTED_SHARE",
    "ColumnMatch",
    "LoadReport",
    "load_transactions",
    "match_columns",
    "transactions_to_parquet",
    "TRANSACTION_CHECKS",
    "TRANSACTION_ROLES",
    "refund_note",
    "load_survey",
    "load_complaints",
]

#: Above this share of set-aside rows a loader raises instead of returning a table.
MAX_REJECTED_SHARE = 0.05

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


@dataclass(repr=False)
class LoadReport:
    """What a loader did with every input row.

    Attributes
    ----------
    source : str
        The file (or "the DataFrame").
    rows_read, rows_kept : int
        Input rows (a wide survey: one per respondent) and rows that made it into the table.
    rejected : DataFrame
        Rows set aside: ``line`` (line of the file, header = 1; for a DataFrame, the
        1-based row position), ``reason``, then the raw text of the columns used (or of the
        whole line, ``raw``, for a malformed line).
    columns : dict
        Role -> header used.
    detected : dict
        Format, encoding, delimiter, decimal mark, date format, sheet...
    duplicates : int
        Rows identical to an earlier kept row (kept, only counted).
    refunds : int
        Transactions with a negative amount (kept).
    one_line_orders : bool
        True when every kept transaction has an order id and no two have the same customer
        and order id: each row is an order of its own, and summaries need not group lines
        into orders (``customer_summary(..., one_line_orders=True)``).
    date_min, date_max : Timestamp or None
    notes : list of str
    reason_counts : dict or None
        Rows set aside by reason, when ``rejected`` holds only examples of them (a load on
        Spark, whose rows set aside stay on the cluster); ``rows_rejected`` and ``reasons``
        count from it.
    rejected_path : str or None
        Where all the rows set aside were written, when they are not all in ``rejected``.
    """

    source: str
    rows_read: int
    rows_kept: int
    rejected: pd.DataFrame
    columns: dict
    detected: dict
    duplicates: int = 0
    refunds: int = 0
    one_line_orders: bool = False
    date_min: pd.Timestamp | None = None
    date_max: pd.Timestamp | None = None
    notes: list[str] = field(default_factory=list)
    reason_counts: dict[str, int] | None = None
    rejected_path: str | None = None

    @property
    def rows_rejected(self) -> int:
        if self.reason_counts is not None:
            return sum(self.reason_counts.values())
        return len(self.rejected)

    @property
    def reasons(self) -> pd.Series:
        """Count of set-aside rows by reason, most frequent first."""
        if self.reason_counts is not None:
            counts = pd.Series(self.reason_counts, dtype="int64", name="count").rename_axis("reason")
            return counts.sort_values(ascending=False, kind="stable").rename("rows")
        return self.rejected["reason"].value_counts().rename("rows")

    def summary(self) -> pd.DataFrame:
        """The report as a two-column table (``item``, ``value``)."""
        items = [
            ("source", self.source),
            ("rows read", self.rows_read),
            ("rows kept", self.rows_kept),
            ("rows set aside", self.rows_rejected),
            *((f"  {reason}", n) for reason, n in self.reasons.items()),
            ("duplicate rows (kept)", self.duplicates),
            ("refunds (kept)", self.refunds),
        ]
        if "order_id" in self.columns:
            items.append(("one row per order", "yes" if self.one_line_orders else "no"))
        if self.date_min is not None:
            items.append(("dates", f"{self.date_min:%Y-%m-%d} to {self.date_max:%Y-%m-%d}"))
        items += [
            ("columns", ", ".join(f"{k} <- {v!r}" for k, v in self.columns.items())),
            ("detected", ", ".join(f"{k}: {v!r}" for k, v in self.detected.items())),
        ]
        items += [("note", n) for n in self.notes]
        return pd.DataFrame(items, columns=["item", "value"])

    def __repr__(self) -> str:
        width = max(len(i) for i in self.summary()["item"])
        return "\n".join(f"{i:<{width}}  {v}" for i, v in self.summary().itertuples(index=False))

    def _repr_html_(self) -> str:
        return self.summary().to_html(index=False)


# --- shared machinery ---------------------------------------------------------------------


def _missing_roles_error(table: RawTable, kind: str, missing: list[str], found: dict) -> LoyaltyDataError:
    mapping = ", ".join(f'"{r}": "<header>"' for r in missing)
    return LoyaltyDataError(
        f"{table.source}: no column was recognised as the {kind} {' / '.join(missing)}. "
        f"Columns found: {table.columns}. Recognised so far: {found or 'none'}. "
        f"Name them with columns={{{mapping}}}."
    )


def _finish(
    table: RawTable, kind: str, build, used: dict[str, str], max_rejected_share: float, destination: Path
) -> LoadReport:
    """Read every record once into ``destination`` (Parquet), and report on all of them."""
    kept, rejected, order = read_checked(table, build, used, destination)
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
    _check_share(report, kind, max_rejected_share)
    return report


def _describe_kept(report: LoadReport, path: Path, order: list[str]) -> None:
    """Duplicates, orders, dates and refunds of the kept rows, into ``report``."""
    figures = describe_kept(path, order)
    report.duplicates, report.refunds = figures.duplicates, figures.refunds
    report.one_line_orders = figures.one_line_orders
    if figures.date_min is not None:
        report.date_min, report.date_max = figures.date_min, figures.date_max
    if figures.refunds:
        report.notes.append(refund_note(figures.refunds, figures.refunded))


def refund_note(refunds: int, refunded: float) -> str:
    """The load report's note on the refunds it kept."""
    return f"{refunds} refunds (negative amounts, {refunded:,.2f} in all) are kept: they lower net revenue."


def _check_share(report: LoadReport, kind: str, max_rejected_share: float) -> None:
    if report.rows_read == 0:
        raise LoyaltyDataError(f"{report.source} has a header but no {kind} rows.")
    share = report.rows_rejected / report.rows_read
    if share > max_rejected_share:
        examples = report.rejected.head(5).dropna(axis=1, how="all").to_string(index=False)
        reasons = ", ".join(f"{r}: {n}" for r, n in report.reasons.items())
        raise LoyaltyDataError(
            f"{report.source}: {report.rows_rejected} of {report.rows_read} {kind} rows "
            f"({share:.0%}) could not be used ({reasons}), more than the {max_rejected_share:.0%} "
            f"allowed. First ones:\n{examples}\nColumns used: {report.columns}; detected: "
            f"{report.detected}. Fix the mapping (columns=), date_format= or decimal=, or pass "
            "max_rejected_share=1.0 to load anyway and inspect report.rejected."
        )


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
) -> LoadReport:
    """Check a transactions export and write its canonical table to a Parquet file.

    The way to open an export of millions of rows: the rows stream from the file to
    ``destination`` and are never all held in memory. :func:`~loyalty_lessons.customer_summary`
    and the report read the Parquet file directly. The checks, the report and the
    parameters are those of :func:`load_transactions`.

    Returns
    -------
    LoadReport
        What became of every row; ``destination`` holds the rows kept, in file order.

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
    >>> report.rows_kept, report.refunds, pd.read_parquet(path)["amount"].tolist()
    (2, 1, [1234.5, -12.0])
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

        return _finish(table, "transaction", build, used, max_rejected_share, destination)
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


# --- survey -------------------------------------------------------------------------------

_SCORE = re.compile(
    r"^(e|exp|expectation|expectations|attente|attentes|aspettativa|aspettative|"
    r"ожидание|ожидания|erwartung|erwartungen|expectativa|expectativas)0*(\d+)$"
)
_PERCEPTION = re.compile(
    r"^(p|perc|perception|perceptions|percezione|percezioni|восприятие|"
    r"wahrnehmung|percepcion|percepciones)0*(\d+)$"
)
_IMPORTANCE = re.compile(
    r"^(importance|imp|i|importanza|важность|wichtigkeit|importancia)(" + "|".join(DIMENSIONS) + r")$"
)
_SURVEY_ROLES = ["respondent_id", "customer_id", "satisfaction", "recommend"]


def _scores(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Numbers from text cells (decimal comma accepted); non-numbers become NaN."""
    text = frame[columns].astype("str").apply(lambda s: s.str.strip().str.replace(",", ".", regex=False))
    return text.apply(pd.to_numeric, errors="coerce").where(frame[columns].notna())


def load_survey(
    source,
    *,
    columns: dict[str, str] | None = None,
    item_map: dict[int, str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a SERVQUAL survey, wide (``E1..E22``, ``P1..P22``) or long, into the long layout.

    Parameters
    ----------
    source : str, Path or DataFrame
        Wide: one row per respondent with expectation columns ``E1``, ``E2``... and
        perception columns ``P1``, ``P2``... (``E01``, ``Exp_1``, ``Attente 1`` also work),
        optional ``importance_<dimension>`` (points of 100), ``satisfaction`` and
        ``recommend`` (0-10), ``respondent_id``, ``customer_id``. Long: columns
        ``respondent_id, item, expectation, perception`` and the optional ones.
    columns : dict, optional
        Role -> header for ``respondent_id``, ``customer_id``, ``satisfaction``, ``recommend``.
    item_map : dict, optional
        Item number -> dimension; default the standard 22-item map :data:`SERVQUAL_ITEMS`.
    sheet, encoding, delimiter, max_rejected_share
        As in :func:`load_transactions`.

    Returns
    -------
    (DataFrame, LoadReport)
        Long layout: ``respondent_id, customer_id, item, dimension, expectation,
        perception, importance, satisfaction, recommend`` (see ``docs/data.md``). A
        respondent (wide) or row (long) with a score outside 1-7, a rating outside 0-10 or
        negative importance points is set aside whole. An unanswered item (no expectation or
        no perception) is not an error: it is left out of the table (a line of a long file
        still counts as kept) and counted in the report's notes, with the respondents who
        left items blank. Respondents are numbered by line when there is no respondent id.

    Examples
    --------
    >>> wide = pd.DataFrame({"id": ["r1"], "E1": ["6"], "P1": ["5,5"], "E5": [7], "P5": [7]})
    >>> survey, report = load_survey(wide, columns={"respondent_id": "id"})
    >>> survey[["respondent_id", "item", "dimension", "expectation", "perception"]]
      respondent_id  item    dimension  expectation  perception
    0            r1     1    tangibles          6.0         5.5
    1            r1     5  reliability          7.0         7.0
    """
    item_map = item_map or SERVQUAL_ITEMS
    table = read_raw(source, sheet=sheet, encoding=encoding, delimiter=delimiter)
    try:
        if table.csv:
            frame = table.con.sql(f"SELECT * FROM {table.scan()}").df()
            by_reader = table.set_aside_by_reader()
            table.settle_lines(len(frame), by_reader["line"])
            malformed = reader_rejects(by_reader)
        else:
            frame = table.con.execute("SELECT * FROM raw ORDER BY __row").df().drop(columns="__row")
            malformed = None
        lines = pd.Series(table.lines(np.arange(1, len(frame) + 1)), index=frame.index)
        frame = frame.astype(object).where(frame.notna(), None)
        frame = frame.map(lambda v: None if v is None or str(v).strip() == "" else str(v))
        detected, notes, source_name = dict(table.detected), list(table.notes), table.source
    finally:
        table.close()
    used = _parse.match_roles(list(frame.columns), _SURVEY_ROLES, columns, source_name)
    norm = {h: _parse.normalise(h) for h in frame.columns}
    long_layout = {"item", "expectation", "perception"} <= set(norm.values())
    if long_layout:
        by_name = {v: h for h, v in norm.items()}
        items = frame.rename(
            columns={
                by_name["item"]: "item",
                by_name["expectation"]: "expectation",
                by_name["perception"]: "perception",
            }
        )
        detected["layout"] = "long"
        if "importance" in by_name:
            items["importance"] = items[by_name["importance"]]
    else:
        items, lines = _wide_to_long(frame, norm, item_map, source_name, lines)
        detected["layout"] = "wide"
    return _validate_survey(
        items,
        lines,
        used,
        item_map,
        malformed,
        source_name,
        detected,
        notes,
        max_rejected_share,
        long_layout,
        n_input=len(frame),
    )


def _wide_to_long(frame, norm, item_map, source, lines):
    e_cols = {int(m.group(2)): h for h, n in norm.items() if (m := _SCORE.match(n))}
    p_cols = {int(m.group(2)): h for h, n in norm.items() if (m := _PERCEPTION.match(n))}
    if not e_cols and not p_cols:
        raise LoyaltyDataError(
            f"{source}: no survey scores found. A wide survey needs expectation columns E1, E2, ... "
            f"and perception columns P1, P2, ...; a long one the columns item, expectation, "
            f"perception. Columns found: {list(frame.columns)}."
        )
    unpaired = sorted(set(e_cols) ^ set(p_cols))
    if unpaired:
        raise LoyaltyDataError(
            f"{source}: items {unpaired} have an expectation or a perception "
            "column but not both. Every item needs E<n> and P<n>."
        )
    unknown = sorted(set(e_cols) - set(item_map))
    if unknown:
        raise LoyaltyDataError(
            f"{source}: items {unknown} are not in the item map (items "
            f"{min(item_map)}-{max(item_map)}). Pass item_map={{item: dimension}}."
        )
    importance = {m.group(2): h for h, n in norm.items() if (m := _IMPORTANCE.match(n))}
    parts = []
    for item in sorted(e_cols):
        part = pd.DataFrame(
            {
                "row": frame.index,
                "item": item,
                "expectation": frame[e_cols[item]],
                "perception": frame[p_cols[item]],
            }
        )
        imp = importance.get(item_map[item])
        part["importance"] = frame[imp].to_numpy() if imp else None
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    others = frame.drop(columns=list(e_cols.values()) + list(p_cols.values()) + list(importance.values()))
    long = long.join(others, on="row")
    return long, lines


def _validate_survey(
    items, lines, used, item_map, malformed, source, detected, notes, max_rejected_share, long_layout, n_input
):
    if long_layout:
        items = items.assign(row=items.index)
    role = lambda r: items[used[r]] if r in used else pd.Series(None, index=items.index, dtype=object)  # noqa: E731
    scores = _scores(items, ["expectation", "perception"])
    ratings = _scores(
        pd.DataFrame(
            {
                "satisfaction": role("satisfaction"),
                "recommend": role("recommend"),
                "importance": items.get("importance", None),
            }
        ),
        ["satisfaction", "recommend", "importance"],
    )
    item_no = pd.to_numeric(items["item"], errors="coerce")
    text = items[["expectation", "perception"]]
    problems = pd.Series(None, index=items.index, dtype=object)

    def flag(mask, why):
        nonlocal problems
        problems = problems.where(problems.notna() | ~mask, why)

    flag(~item_no.isin(list(item_map)), "unknown item")
    for col in ("expectation", "perception"):
        flag(text[col].notna() & scores[col].isna(), f"non-numeric {col}")
        flag(scores[col].notna() & ~scores[col].between(1, 7), f"{col} outside 1-7")
    for col in ("satisfaction", "recommend"):
        flag(ratings[col].notna() & ~ratings[col].between(0, 10), f"{col} outside 0-10")
    flag(ratings["importance"].notna() & (ratings["importance"] < 0), "negative importance points")
    respondent = role("respondent_id").fillna(
        "R" + lines.reindex(items["row"]).astype(str).set_axis(items.index)
    )
    flag(role("respondent_id").isna() & long_layout, "missing respondent id")

    # A row of the input is set aside whole if any of its items has a problem.
    bad_rows = problems.groupby(items["row"]).first().dropna()
    rejected = pd.DataFrame(
        {
            "line": lines.loc[bad_rows.index].to_numpy(dtype=np.int64),
            "reason": bad_rows.to_numpy(dtype=object),
        }
    ).astype({"reason": "str"})
    if malformed is not None and len(malformed):
        rejected = pd.concat([rejected, malformed], ignore_index=True).sort_values("line", ignore_index=True)
    keep = ~items["row"].isin(bad_rows.index)
    answered = scores["expectation"].notna() & scores["perception"].notna()
    unanswered = int((keep & ~answered).sum())
    respondents = respondent[keep].nunique()
    partial = respondent[keep & ~answered].nunique()
    keep &= answered
    silent = respondents - respondent[keep].nunique()  # left every item blank
    survey = pd.DataFrame(
        {
            "respondent_id": respondent[keep].astype("str"),
            "customer_id": role("customer_id")[keep]
            .astype("str")
            .where(role("customer_id")[keep].notna(), None),
            "item": item_no[keep].astype("int64"),
            "dimension": item_no[keep].map(item_map).astype("str"),
            "expectation": scores.loc[keep, "expectation"].astype("float64"),
            "perception": scores.loc[keep, "perception"].astype("float64"),
            "importance": ratings.loc[keep, "importance"].astype("float64"),
            "satisfaction": ratings.loc[keep, "satisfaction"].astype("float64"),
            "recommend": ratings.loc[keep, "recommend"].astype("float64"),
        }
    ).reset_index(drop=True)
    n_read = n_input + (len(malformed) if malformed is not None else 0)
    if unanswered:
        notes.append(
            f"{unanswered} unanswered items (no expectation or no perception) are left out: "
            f"{partial} of {respondents} respondents left some items blank, and each respondent's "
            "averages are over the items they answered."
        )
    if silent:
        notes.append(
            f"{silent} respondents answered no item at all and are left out, with their "
            "satisfaction and recommendation scores."
        )
    report = LoadReport(
        source=source,
        rows_read=n_read,
        rows_kept=n_read - len(rejected),
        rejected=rejected,
        columns=used,
        detected=detected,
        notes=notes,
    )
    _check_share(report, "survey", max_rejected_share)
    return survey, report
