"""The loaders' engine: one read of a file in SQL that keeps the usable rows and accounts for the rest.

The loaders of :mod:`loyalty_lessons.data` say what a table is (its roles, the SQL of each
canonical column, the checks a row must pass, in order); this module turns that into
DuckDB queries over a raw table opened by :mod:`loyalty_lessons._read`:

- :class:`Columns` writes the SQL that parses a role's column (dates, numbers), letting
  DuckDB's CSV reader type the clean columns itself;
- :func:`read_checked` reads every record once, streams the kept rows to a Parquet file
  and returns the rows set aside with their line numbers and reasons;
- :func:`describe_kept` counts what the loader reports about the kept rows: duplicates,
  one row per order or not, refunds, first and last dates;
- :func:`reader_rejects` words the lines the CSV reader could not split.

The parsing of a single value (a date format, an amount with its currency, a yes/no flag)
is in :mod:`loyalty_lessons._parse`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from loyalty_lessons import _parse
from loyalty_lessons._read import RawTable, connect
from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "CheckedRead",
    "Columns",
    "KeptFigures",
    "describe_kept",
    "equal_hashes",
    "read_checked",
    "read_kept",
    "reader_rejects",
    "sql_literal",
    "sql_name",
    "sql_text",
]


def sql_name(name: str) -> str:
    """A column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def sql_text(col: str) -> str:
    """SQL of a cell as trimmed text, NULL when empty."""
    return f"nullif(trim(CAST({col} AS VARCHAR)), '')"


def sql_literal(text: str) -> str:
    """Text inside a single-quoted SQL literal."""
    return str(text).replace("'", "''")


class Columns:
    """Builds the SQL that parses each role's column, for one of two reads of a CSV.

    ``typed=True``: columns whose sample is clean (plain dates in one format, plain
    numbers) are read as DATE and DOUBLE by DuckDB's CSV reader itself, which is several
    times faster than parsing text; ``types`` and ``options`` go to the reader. Any value
    the reader then cannot cast sends the load back to ``typed=False``, where every cell is
    text and parsed in SQL, so each unusable row gets its own reason.
    """

    def __init__(self, table: RawTable, typed: bool):
        self.table, self.typed = table, typed and table.csv is not None
        self.kinds = dict(table.con.execute("SELECT column_name, column_type FROM (DESCRIBE raw)").fetchall())
        self.types: dict[str, str] = {}
        self.options: dict[str, str] = {}

    def missing(self, header: str) -> str:
        """SQL true when the cell is empty (call after :meth:`date` or :meth:`number`)."""
        if header in self.types:
            return f"{sql_name(header)} IS NULL"
        return f"{sql_text(sql_name(header))} IS NULL"

    def _sample_all(self, condition: str, col: str) -> bool:
        """Whether every non-empty sample value of ``col`` satisfies ``condition`` (on ``v``)."""
        bad = self.table.con.execute(
            f"SELECT count(*) FROM (SELECT {col} AS v FROM raw) WHERE v IS NOT NULL AND NOT ({condition})"
        ).fetchall()[0][0]
        return bad == 0

    def date(self, header: str, date_format: str | None) -> str:
        """SQL of the column ``header`` as a DATE (NULL where it is not a date)."""
        col, kind = sql_name(header), self.kinds[header]
        if kind.startswith(("DATE", "TIMESTAMP")):
            return f"CAST({col} AS DATE)"
        if kind != "VARCHAR":
            raise LoyaltyDataError(
                f"Column {header!r} of {self.table.source} holds {kind} values, not dates. "
                "Map the date role to the right column with columns={'date': ...}."
            )
        fmt = date_format or self.table.detected.get("date_format") or self._detect_date(col, header)
        self.table.detected["date_format"] = fmt
        if self.typed and self._sample_all(f"try_strptime(v, '{sql_literal(fmt)}') IS NOT NULL", col):
            self.types[header], self.options["dateformat"] = "DATE", fmt
            return col
        return f"CAST(try_strptime({_parse.date_part_sql(col)}, '{sql_literal(fmt)}') AS DATE)"

    def _detect_date(self, col: str, header: str) -> str:
        try:
            return _parse.detect_date_format(self.table.con, col, self.table.source, header)
        except LoyaltyDataError:
            if not self.table.sampled:
                raise
            # The first rows could not tell day-first from month-first: look at them all.
            self.table.con.execute(
                f"CREATE OR REPLACE TEMP VIEW _all AS SELECT {col} FROM {self.table.scan()}"
            )
            return _parse.detect_date_format(self.table.con, col, self.table.source, header, relation="_all")

    def number(self, header: str, decimal: str | None, role: str) -> str:
        """SQL of the column ``header`` as a DOUBLE (NULL where it is not a number)."""
        col, kind = sql_name(header), self.kinds[header]
        if kind != "VARCHAR":
            return f"TRY_CAST({col} AS DOUBLE)"
        canonical = _parse.amount_sql(col)
        mark = (
            decimal
            or self.table.detected.get(f"{role}_decimal")
            or _parse.detect_decimal(self.table.con, canonical)
        )
        self.table.detected[f"{role}_decimal"] = mark
        plain = "^-?\\d+(\\.\\d+)?$" if mark == "." else "^-?\\d+(,\\d+)?$"
        if (
            self.typed
            and self.options.get("decimal_separator", mark) == mark
            and self._sample_all(f"regexp_matches(v, '{plain}')", col)
        ):
            self.types[header], self.options["decimal_separator"] = "DOUBLE", mark
            return col
        return _parse.number_sql(canonical, mark)


_READER_ERRORS = {
    "TOO MANY COLUMNS": "malformed line (too many columns)",
    "MISSING COLUMNS": "malformed line (missing columns)",
}


class CheckedRead(NamedTuple):
    """What :func:`read_checked` did with every record.

    Attributes
    ----------
    kept : int
        Records written to the destination file.
    rejected : pandas.DataFrame
        Records set aside: ``line`` (line of the file, header = 1; for a DataFrame, the
        1-based row position), ``reason``, the text of the columns used, and ``raw`` (the
        whole line) for a line the reader could not split; sorted by line.
    order : list of str
        The canonical columns written, in order.
    """

    kept: int
    rejected: pd.DataFrame
    order: list[str]


def read_checked(
    table: RawTable,
    build: Callable[[Columns], tuple[dict, list]],
    used: dict[str, str],
    destination: Path,
    in_file_order: bool = True,
) -> CheckedRead:
    """Read every record once, write the kept ones to ``destination`` (Parquet), account for all.

    ``build(columns) -> (select, checks)`` gives each canonical column's SQL and the
    (condition, reason) checks, in order; the first failed check is a row's reason. The
    kept rows stream from the reader to the file (DuckDB's ``COPY``), so a file of millions
    of rows is never held in memory: in file order, or with ``in_file_order=False`` in the
    order DuckDB's threads read them, which it need not buffer to put back in order (for 100 M
    rows: 51 s and 0.4 GB instead of 83 s and 3.6 GB, docs/performance.md). Rows set aside
    are looked for with a second read only when the counts say there are some, and are always
    numbered in file order.
    """
    for typed in (True, False):
        columns = Columns(table, typed)
        select, checks = build(columns)
        order = list(select)
        # Parsed values are named __c_<role> so they never collide with the file's own headers.
        fields = ", ".join(f"{expr} AS __c_{name}" for name, expr in select.items())
        reason = "CASE " + " ".join(f"WHEN {cond} THEN '{why}'" for cond, why in checks) + " END"
        canonical = ", ".join(
            "CAST(__c_date AS TIMESTAMP) AS date" if name == "date" else f"__c_{name} AS {name}"
            for name in order
        )
        parsed = f"(SELECT *, {fields} FROM {table.scan(columns.types, **columns.options)})"
        table.con.execute(f"SET preserve_insertion_order = {str(in_file_order).lower()}")
        try:
            kept = table.con.execute(
                f"COPY (SELECT {canonical} FROM {parsed} WHERE ({reason}) IS NULL) "
                f"TO '{sql_literal(destination)}' (FORMAT parquet)"
            ).fetchall()[0][0]
        finally:  # the rows set aside are numbered by their order (row_number() OVER ())
            table.con.execute("SET preserve_insertion_order = true")
        by_reader = table.set_aside_by_reader()
        if not columns.types or not (by_reader["error"] == "CAST").any():
            break
    rejected = _rejected_by_checks(table, columns, fields, reason, used, kept, by_reader)
    table.settle_lines(kept + len(rejected), by_reader["line"])
    rejected.insert(0, "line", table.lines(rejected.pop("__pos").to_numpy()))
    if len(by_reader):  # lines the reader could not split: their raw text in a "raw" column
        rejected = pd.concat([rejected, reader_rejects(by_reader)], ignore_index=True).sort_values(
            "line", ignore_index=True
        )
    return CheckedRead(kept, rejected, order)


def _rejected_by_checks(
    table: RawTable,
    columns: Columns,
    fields: str,
    reason: str,
    used: dict[str, str],
    kept: int,
    by_reader: pd.DataFrame,
) -> pd.DataFrame:
    """The records a check set aside: position (1-based, in file order), reason, cells as text.

    A CSV whose lines add up (header + kept records + lines the reader set aside) has none,
    and is not read again.
    """
    empty = pd.DataFrame({"__pos": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype="str")})
    if table.csv and table.header_lines + kept + by_reader["line"].nunique() == table.csv["lines"]:
        return empty
    headers = list(dict.fromkeys(used.values()))
    cells = ", ".join(f"CAST({sql_name(h)} AS VARCHAR) AS {sql_name(h)}" for h in headers)
    scan = table.scan(columns.types, **columns.options)
    found = table.con.execute(
        f"SELECT __pos, __reason AS reason, {cells} FROM (SELECT row_number() OVER () AS __pos, "
        f"{reason} AS __reason, * FROM (SELECT *, {fields} FROM {scan})) "
        "WHERE __reason IS NOT NULL ORDER BY __pos"
    ).df()
    return found if len(found) else empty


class KeptFigures(NamedTuple):
    """What :func:`describe_kept` counts of the kept rows.

    Attributes
    ----------
    duplicates : int
        Rows identical to an earlier one.
    refunds : int
        Rows with a negative amount; ``refunded`` is their sum (None without refunds).
    refunded : float or None
    zero_amounts : int
        Rows with an amount of 0 (kept, but no purchase).
    one_line_orders : bool
        Every row has an order id and no two share customer and order id.
    date_min, date_max : Timestamp or None
        First and last date (None without a date column or without rows).
    """

    duplicates: int
    refunds: int
    refunded: float | None
    one_line_orders: bool
    date_min: pd.Timestamp | None
    date_max: pd.Timestamp | None
    zero_amounts: int = 0


def describe_kept(path: Path, order: list[str]) -> KeptFigures:
    """Duplicates, orders, dates and refunds of the kept rows, from the file they were written to."""
    con = connect()
    try:
        scan = f"read_parquet('{sql_literal(path)}')"
        figures = ["min(date)", "max(date)"] if "date" in order else ["NULL", "NULL"]
        figures += (
            [
                "count(*) FILTER (amount < 0)",
                "sum(amount) FILTER (amount < 0)",
                "count(*) FILTER (amount = 0)",
            ]
            if "amount" in order
            else ["0", "NULL", "0"]
        )
        figures.append("count(*) FILTER (order_id IS NULL)" if "order_id" in order else "NULL")
        first, last, refunds, refunded, zero, no_order = con.execute(
            f"SELECT {', '.join(figures)} FROM {scan}"
        ).fetchall()[0]
        # Rows with equal 64-bit hashes, found by sorting the hashes (a tenth of the memory of
        # DuckDB's count(DISTINCT) over millions of rows). With order ids, the hashes of
        # (customer, order) come first: when none are equal, every row is an order of its own
        # and no two rows can be duplicates. Otherwise duplicate rows are looked for among the
        # hashes of every column.
        orders = f"SELECT hash(customer_id, order_id) AS h FROM {scan}"
        one_line = no_order == 0 and equal_hashes(con, orders) == 0
        rows = f"SELECT hash({', '.join(sql_name(c) for c in order)}) AS h FROM {scan}"
        duplicates = 0 if one_line else equal_hashes(con, rows)
    finally:
        con.close()
    if first is not None:
        first, last = pd.Timestamp(first), pd.Timestamp(last)
    return KeptFigures(duplicates, int(refunds), refunded, one_line, first, last, int(zero))


def equal_hashes(con, sql: str) -> int:
    """How many of the hashes ``h`` that ``sql`` gives are equal to another one before them."""
    hashes = con.execute(sql).fetchnumpy()["h"]
    if len(hashes) > 100_000:  # on two cores: split at the median, then sort each half
        half = len(hashes) // 2
        hashes.partition(half)
        with ThreadPoolExecutor(2) as pool:  # NumPy lets go of the GIL while it sorts
            list(pool.map(np.ndarray.sort, (hashes[:half], hashes[half:])))
    else:
        hashes.sort()
    return int((hashes[1:] == hashes[:-1]).sum())


def reader_rejects(by_reader: pd.DataFrame) -> pd.DataFrame:
    """Records the CSV reader could not read, one per line, with a reason in words."""
    by_reader = by_reader.drop_duplicates("line")
    return pd.DataFrame(
        {
            "line": by_reader["line"].astype("int64"),
            "reason": by_reader["error"].map(
                lambda e: _READER_ERRORS.get(e, f"malformed line ({e.lower()})")
            ),
            "raw": by_reader["raw"],
        }
    )


def read_kept(path: Path) -> pd.DataFrame:
    """A Parquet file written by :func:`read_checked` as a DataFrame (dates as datetime64[us])."""
    frame = pq.read_table(path).to_pandas(self_destruct=True, split_blocks=True)
    if "date" in frame:
        frame["date"] = frame["date"].astype("datetime64[us]")
    return frame
