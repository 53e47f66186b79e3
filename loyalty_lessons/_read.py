"""Reading a client file as it is: every cell as text, every record with its line number.

The loaders in :mod:`loyalty_lessons.data` parse and validate; this module only gets the
raw table into a DuckDB view named ``raw`` with a ``__row`` column (1, 2, ... in file
order) and knows how to turn a row number back into a line of the file.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

_CHUNK = 16 * 1024 * 1024
_DELIMITERS = [";", ",", "\t", "|"]
_BLANK_LINE = re.compile(rb"\n[ \t\r]*(?=\n)")


@dataclass
class RawTable:
    """A raw table registered in ``con`` as the view ``raw`` (with ``__row``)."""

    con: duckdb.DuckDBPyConnection
    source: str
    columns: list[str]
    detected: dict = field(default_factory=dict)
    malformed: pd.DataFrame | None = None  # line, reason, raw
    skipped_lines: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    header_lines: int = 1
    notes: list[str] = field(default_factory=list)
    _tempfile: str | None = None

    def lines(self, rows: np.ndarray) -> np.ndarray:
        """File line numbers of the records ``rows`` (1-based, in file order).

        Records fill the lines after the header, except lines that are blank or were set
        aside as malformed (``skipped_lines``).
        """
        rows = np.asarray(rows, dtype=np.int64)
        skipped = np.sort(self.skipped_lines)
        # Records that come before each skipped line.
        before = skipped - self.header_lines - 1 - np.arange(len(skipped))
        return rows + self.header_lines + np.searchsorted(before, rows, side="left")

    def close(self) -> None:
        self.con.close()
        if self._tempfile:
            os.unlink(self._tempfile)


def describe(source) -> str:
    """How a source is named in messages."""
    return "the DataFrame" if isinstance(source, pd.DataFrame) else f"'{source}'"


def read_raw(source, *, sheet: str | int | None = None, encoding: str | None = None,
             delimiter: str | None = None) -> RawTable:
    """Read a path (CSV/TSV/TXT, XLSX/XLS, Parquet) or a DataFrame into a raw table."""
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, "the DataFrame", {"format": "DataFrame"}, header_lines=0)
    path = Path(source)
    if not path.exists():
        raise LoyaltyDataError(f"File not found: '{path}'. Check the path (it is read from {Path.cwd()}).")
    if path.is_dir():
        raise LoyaltyDataError(f"'{path}' is a folder; pass the path of a CSV, Excel or Parquet file.")
    if path.stat().st_size == 0:
        raise LoyaltyDataError(f"'{path}' is empty (0 bytes). Export the data again.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _read_excel(path, sheet)
    if suffix in (".parquet", ".pq"):
        con = duckdb.connect()
        quoted = str(path).replace("'", "''")
        try:
            con.execute("CREATE TABLE raw_t AS SELECT row_number() OVER () AS __row, * "
                        f"FROM read_parquet('{quoted}')")
        except duckdb.Error as exc:
            con.close()
            raise LoyaltyDataError(f"'{path}' could not be read as Parquet: {str(exc).splitlines()[0]}. "
                                   "Export it again, or as CSV.") from None
        con.execute("CREATE VIEW raw AS SELECT * FROM raw_t")
        return RawTable(con, str(path), _columns(con), {"format": "Parquet"})
    return _read_csv(path, encoding, delimiter)


def _columns(con) -> list[str]:
    return [c for c in con.execute("SELECT * FROM raw LIMIT 0").df().columns if c != "__row"]


def _from_frame(frame: pd.DataFrame, source: str, detected: dict, header_lines: int) -> RawTable:
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    con = duckdb.connect()
    con.register("_frame", frame)
    con.execute("CREATE VIEW raw AS SELECT row_number() OVER () AS __row, * FROM _frame")
    return RawTable(con, source, list(frame.columns), detected, header_lines=header_lines)


def _excel_text(value) -> str | None:
    """A cell as text: dates in ISO form, whole numbers without '.0'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_excel(path: Path, sheet) -> RawTable:
    try:
        book = pd.ExcelFile(path)
    except Exception as exc:  # openpyxl and xlrd raise many types for a bad file
        raise LoyaltyDataError(f"'{path}' could not be opened as an Excel workbook ({exc}). "
                               "Save it again as .xlsx, or export it as CSV.") from None
    with book:
        if sheet is not None and sheet not in book.sheet_names and not isinstance(sheet, int):
            raise LoyaltyDataError(f"'{path}' has no sheet {sheet!r}; its sheets are "
                                   f"{book.sheet_names}. Pass sheet= with one of them.")
        name = sheet if sheet is not None else 0
        frame = pd.read_excel(book, sheet_name=name, dtype=object)
    if frame.empty and len(frame.columns) == 0:
        raise LoyaltyDataError(f"Sheet {name!r} of '{path}' is empty. Pass sheet= to read another "
                               f"sheet (its sheets are {book.sheet_names}).")
    frame = frame.map(_excel_text).astype(object)
    detected = {"format": "Excel", "sheet": book.sheet_names[name] if isinstance(name, int) else name}
    return _from_frame(frame, str(path), detected, header_lines=1)


def _scan_bytes(path: Path) -> tuple[str, int, list[int]]:
    """One pass over the bytes: the encoding, the number of lines, the blank lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, newlines, blanks, tail = True, 0, [], b""
    with open(path, "rb") as f:
        head = f.read(3)
        bom = head == codecs.BOM_UTF8
        f.seek(0)
        while chunk := f.read(_CHUNK):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            data = tail + chunk
            for m in _BLANK_LINE.finditer(data):
                blanks.append(newlines + data.count(b"\n", 0, m.start()) + 2)
            # Keep the last partial line so that a blank line across chunks is seen.
            cut = data.rfind(b"\n")
            newlines += data.count(b"\n", 0, cut + 1 if cut >= 0 else 0)
            tail = data[cut + 1:] if cut >= 0 else data
        if tail.strip():
            newlines += 1  # a last line without a newline
    if utf8:
        return ("utf-8-sig" if bom else "utf-8"), newlines, blanks
    return "cp1252", newlines, blanks


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(path: Path, encoding: str | None, delimiter: str | None) -> RawTable:
    detected_encoding, n_lines, blanks = _scan_bytes(path)
    encoding = encoding or detected_encoding
    source, temp = str(path), None
    if codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
        # DuckDB reads UTF-8; transcode once into a temporary file, in chunks.
        fd, temp = tempfile.mkstemp(suffix=".csv", prefix="loyalty-")
        with open(path, encoding=encoding, errors="replace", newline="") as src, \
                os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
        source = temp
    with open(source, encoding="utf-8-sig", errors="replace", newline="") as f:
        first = f.readline()
    if not first.strip():
        raise LoyaltyDataError(f"'{path}' has no header on its first line. The first line must "
                               "name the columns (e.g. customer;date;amount).")
    delimiter = delimiter or _sniff_delimiter(first)
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE raw_t AS SELECT row_number() OVER () AS __row, * FROM read_csv("
            "?, delim=?, header=true, all_varchar=true, quote='\"', escape='\"', "
            "store_rejects=true, rejects_table='rejects', rejects_scan='rejects_scan')",
            [source, delimiter],
        )
    except duckdb.Error as exc:
        con.close()
        if temp:
            os.unlink(temp)
        raise LoyaltyDataError(f"'{path}' could not be read as a {delimiter!r}-separated file: "
                               f"{str(exc).splitlines()[0]}. Check that it is a CSV export, or pass "
                               "delimiter= and encoding=.") from None
    con.execute("CREATE VIEW raw AS SELECT * FROM raw_t")
    malformed = con.execute(
        "SELECT line, error_type, csv_line FROM rejects ORDER BY line").df()
    malformed = pd.DataFrame({
        "line": malformed["line"].astype("int64"),
        "reason": "malformed line (" + malformed["error_type"].str.lower() + ")",
        "raw": malformed["csv_line"],
    })
    table = RawTable(con, str(path), _columns(con),
                     {"format": "CSV", "encoding": encoding, "delimiter": delimiter},
                     malformed=malformed, _tempfile=temp)
    table.skipped_lines = np.array(sorted(set(blanks) | set(malformed["line"])), dtype=np.int64)
    records = con.execute("SELECT count(*) FROM raw").fetchone()[0]
    if records + len(table.skipped_lines) + 1 != n_lines:
        table.notes.append("Some fields span several lines (quoted line breaks), so the line "
                           "numbers of set-aside rows after them may be a little early.")
    return table
