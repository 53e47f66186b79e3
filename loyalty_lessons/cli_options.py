"""The options of the loyalty-lessons command, checked, and the package's advice worded in them.

Each option a command reads from its user is checked here, with a message that names the
option (``--observation-end``, ``--column``), never the Python argument behind it; and
:func:`in_cli_terms` rewrites a loader's advice ("pass max_rejected_share=1.0") into the
command's options. Nothing here imports pandas: the report checks its options before its
kernel starts.

See Also
--------
loyalty_lessons.cli : the command.
loyalty_lessons.cli_report : the report command, which reads these options.
"""

from __future__ import annotations

import argparse
import re
from datetime import datetime

from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "MAX_HORIZON_MONTHS",
    "MAX_REJECTED_SHARE",
    "ROLE_TABLE",
    "column_mapping",
    "holdout_start",
    "horizon_months",
    "in_cli_terms",
    "max_rejected_share",
    "observation_end",
    "report_columns",
    "sources",
]

#: The loaders' default (loyalty_lessons.load_report.MAX_REJECTED_SHARE), without importing pandas here.
MAX_REJECTED_SHARE = 0.05

#: The longest --horizon-months (report.data.MAX_HORIZON_MONTHS, without importing pandas here).
MAX_HORIZON_MONTHS = 120

#: Which table a ``--column ROLE=HEADER`` of the report goes to when ROLE has no table prefix.
ROLE_TABLE = {
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
        prefix = f"{table}." if table and ROLE_TABLE.get(role, table) != table else ""
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


def in_cli_terms(message: str) -> str:
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


def column_mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        role, sep, header = pair.partition("=")
        if not sep or not role or not header:
            raise LoyaltyDataError(
                f"--column {pair!r} should look like ROLE=HEADER, e.g. --column 'customer_id=N° client'."
            )
        mapping[role.strip()] = header
    return mapping


def report_columns(pairs: list[str]) -> dict[str, dict[str, str]]:
    """``ROLE=HEADER`` or ``TABLE.ROLE=HEADER`` options, split by table."""
    by_table: dict[str, dict[str, str]] = {"transactions": {}, "survey": {}, "complaints": {}}
    for role, header in column_mapping(pairs).items():
        table, dot, bare = role.rpartition(".")
        if not dot:
            bare, table = role, ROLE_TABLE.get(role)
            if table is None:
                raise LoyaltyDataError(
                    f"--column {role}=...: unknown role {role!r}. Roles: {', '.join(sorted(ROLE_TABLE))}; "
                    "prefix a role with its table to name a column of the survey or complaints file, "
                    "e.g. --column 'complaints.customer_id=Client'."
                )
        if table not in by_table:
            raise LoyaltyDataError(
                f"--column {role}=...: unknown table {table!r}; use transactions, survey or complaints."
            )
        by_table[table][bare] = header
    return by_table


def observation_end(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise LoyaltyDataError(
            f"--observation-end {text!r} is not a date; write it as YYYY-MM-DD, "
            "e.g. --observation-end 2025-12-31."
        ) from None


def holdout_start(text: str | None) -> datetime | None:
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


def horizon_months(text: str) -> int:
    if not re.fullmatch(r"\d+", text.strip()) or not 1 <= int(text) <= MAX_HORIZON_MONTHS:
        raise LoyaltyDataError(
            f"--horizon-months {text!r} is not a horizon the report can use: give a whole number of "
            f"months from 1 to {MAX_HORIZON_MONTHS}, e.g. --horizon-months 12 for the next year."
        )
    return int(text)


def sources(args: argparse.Namespace) -> tuple[str, str | None, str | None]:
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


def max_rejected_share(args: argparse.Namespace) -> float:
    share = args.max_rejected_share
    if not 0 <= share <= 1:
        raise LoyaltyDataError(
            f"--max-rejected-share {share:g} is not a share: give a number from 0 to 1, "
            "e.g. --max-rejected-share 0.2 to accept a fifth of a file's rows set aside."
        )
    return share
