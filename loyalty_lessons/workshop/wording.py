"""The loaders' words put in the workshop page's own terms.

The loaders speak to a Python user: they name keyword arguments (``date_format=``), the
temporary copy of a file, and sometimes the message of the engine that read it. On the
workshop page the person has a form instead: a *Dates* menu, column menus, the upload
buttons. :func:`in_page_terms` rewrites a refusal with those (the rewrites are data,
:data:`PAGE_TERMS`), and :func:`plain_report` says what a load did in sentences.
"""

from __future__ import annotations

import re

from loyalty_lessons.load_report import LoadReport

__all__ = ["PAGE_TERMS", "in_page_terms", "plain_report"]

_UNREADABLE = (
    "could not be read as a table: it does not look like a CSV, TXT or Excel export (is it a "
    "PDF, a picture or a compressed file?). Export the data again from the till or CRM as CSV or "
    "Excel, then choose it with “Choose the transactions file”."
)

#: (pattern, replacement) applied in order to a loader's message shown on the page.
PAGE_TERMS: list[tuple[str, str]] = [
    # The engine could not make a table of the file at all.
    (r"could not be read as a '[^']*'-separated file:.*", _UNREADABLE),
    (
        r"could not be opened as an Excel workbook.*",
        _UNREADABLE.replace("could not be read", "could not be opened"),
    ),
    # Python arguments -> the page's controls.
    (
        r"Say which with date_format='%d/%m/%Y' \(day first\) or date_format='%m/%d/%Y' \(month first\)\.",
        "Choose the order in the Dates menu (day first or month first), then press Load again.",
    ),
    (
        r"Pass\s+date_format= with the strptime format, e\.g\. date_format='%d/%m/%Y'\.",
        "Choose the date order in the Dates menu, then press Load again.",
    ),
    (
        r"Fix the mapping \(columns=\), date_format= or decimal=, or pass\s+max_rejected_share=1\.0 to load "
        r"anyway and inspect report\.rejected\.",
        "Check the Dates menu and that the right file was chosen; if the lines above are truly unusable, "
        "correct them in the export and load it again.",
    ),
    (r"Name them with columns=\{[^}]*\}\.", "Choose the column holding each one in the menus below."),
    (r"\s*Columns used: \{.*?\}; detected: \{.*?\}\.\s*", "\n"),
    (r"\s*Columns found: \[.*?\]\. Recognised so far: (\{.*?\}|none)\.", ""),
    (r"\bcustomer_id\b", "customer number"),
    (r"\border_id\b", "order number"),
    # A temporary copy's path, whatever remains of one.
    (r"['\"]?/[^\s'\"]*loyalty-[^\s'\"]*['\"]?", "the file"),
]


def in_page_terms(message: str) -> str:
    """A loader's message as the workshop page says it: no Python argument, path or engine jargon.

    Examples
    --------
    >>> in_page_terms("x.csv: ... Say which with date_format='%d/%m/%Y' (day first) or "
    ...               "date_format='%m/%d/%Y' (month first).")
    'x.csv: ... Choose the order in the Dates menu (day first or month first), then press Load again.'
    """
    for pattern, replacement in PAGE_TERMS:
        message = re.sub(pattern, replacement.replace("\\", "\\\\"), message, flags=re.DOTALL)
    return message


_ROLES = {
    "customer_id": "customer",
    "date": "date",
    "amount": "amount",
    "order_id": "order number",
    "discount": "discount",
    "promotion": "promotion",
    "channel": "channel",
    "category": "category",
    "respondent_id": "respondent",
}
_ENCODINGS = {"cp1252": "Windows Western European (cp1252)", "utf-8": "UTF-8", "utf-8-sig": "UTF-8"}
_SEPARATORS = {";": "semicolons", ",": "commas", "\t": "tabs", "|": "vertical bars"}
_DATE_ORDERS = {
    "%d/%m/%Y": "day first (31/12/2024)",
    "%d.%m.%Y": "day first (31.12.2024)",
    "%m/%d/%Y": "month first (12/31/2024)",
    "%Y-%m-%d": "year first (2024-12-31)",
}


def plain_report(report: LoadReport) -> list[str]:
    """What a load did, in sentences for the page: rows, dates, columns, how the file was read.

    Examples
    --------
    >>> from loyalty_lessons.data import load_transactions
    >>> import pandas as pd
    >>> table = pd.DataFrame({"customer_id": ["A"], "date": ["2025-01-03"], "amount": [2.0]})
    >>> _, report = load_transactions(table)
    >>> plain_report(report)[0]
    '1 row read, 1 kept, 0 set aside.'
    """
    rows = "row" if report.rows_read == 1 else "rows"
    lines = [
        f"{report.rows_read:,} {rows} read, {report.rows_kept:,} kept, {report.rows_rejected:,} set aside."
    ]
    lines += [f"Set aside: {n:,} ({reason})." for reason, n in report.reasons.items()]
    if report.date_min is not None:
        first, last = report.date_min, report.date_max
        lines.append(f"Purchases from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}.")
    if report.columns:
        used = ", ".join(
            f"{_ROLES.get(role, role)} from “{header}”" for role, header in report.columns.items()
        )
        lines.append(f"Columns used: {used}.")
    detected = report.detected
    how = [detected.get("format", "")]
    if detected.get("delimiter") in _SEPARATORS:
        how.append(f"separated by {_SEPARATORS[detected['delimiter']]}")
    if "encoding" in detected:
        how.append(f"text in {_ENCODINGS.get(detected['encoding'], detected['encoding'])}")
    if detected.get("date_format") in _DATE_ORDERS:
        how.append(f"dates {_DATE_ORDERS[detected['date_format']]}")
    if detected.get("amount_decimal") == ",":
        how.append("decimal commas")
    how = [h for h in how if h]
    if how:
        lines.append(f"Read as: {', '.join(how)}.")
    return lines + list(report.notes)
