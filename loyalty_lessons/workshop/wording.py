"""The loaders' words put in the workshop page's own terms, in the page's language.

The loaders speak to a Python user, in English: they name keyword arguments
(``date_format=``), the temporary copy of a file, and sometimes the message of the engine
that read it. On the workshop page the person has a form instead: a *Dates* menu, column
menus, the upload buttons. :func:`in_page_terms` says a refusal with those, in the page's
language: a refusal it knows (:data:`REFUSALS`, rules as data) is said again from the
catalogue (``workshop.refusals``), keeping the file's own names, headers and lines; any
other is rewritten (:data:`PAGE_TERMS`, the page's controls named in its language) and, in
another language than English, introduced as the loader's own English words.
:func:`plain_report` says what a load did in sentences.
"""

from __future__ import annotations

import re

from loyalty_lessons.load_report import LoadReport
from loyalty_lessons.workshop.texts import WorkshopTexts

__all__ = ["PAGE_TERMS", "REFUSALS", "in_page_terms", "plain_report"]

#: (pattern of a whole loader message, key of ``workshop.refusals``): the first that matches
#: says the refusal again in the page's language; its named groups fill the text (``file``,
#: ``column`` and ``examples`` as the file has them).
REFUSALS: list[tuple[str, str]] = [
    (
        r"(?P<file>.+?) could not be (read as a '[^']*'-separated file|opened as an Excel workbook)\b.*",
        "unreadable",
    ),
    (
        r"(?P<file>.+?): a workshop upload must be a CSV, TXT or TSV export or an Excel workbook.*",
        "wrong_type",
    ),
    (r"(?P<file>.+?) is empty \(0 bytes\)\..*", "empty"),
    (r"(?P<file>.+?) has a header but no \w+ rows\.", "no_rows"),
    (r"(?P<file>.+?) has no header on its first line\..*", "no_header"),
    (
        r"The dates in column (?P<column>.+?) of (?P<file>.+?) \(e\.g\. (?P<examples>\[.*?\])\) "
        r"read equally well day-first and month-first.*",
        "ambiguous_dates",
    ),
    (
        r"No date format fits column (?P<column>.+?) of (?P<file>.+?) \(e\.g\. (?P<examples>\[.*?\])\)\..*",
        "no_dates",
    ),
    (r"Column (?P<column>.+?) of (?P<file>.+?) holds \w+ values, not dates\..*", "not_dates"),
    (
        r"(?P<file>.+?) has several columns that could be the '(?P<role>\w+)': (?P<columns>\[.*?\])\..*",
        "several",
    ),
    (
        r"(?P<file>.+?): no column was recognised as the \w+' (?P<missing>.+?)\. Choose the column.*",
        "unrecognised",
    ),
    (
        r"(?P<file>.+?): (?P<rejected>\d+) of (?P<read>\d+) \w+ rows \([^)]*\) could not be used "
        r"\((?P<reasons>.*?)\), more than the (?P<allowed>[\d.]+)% allowed\. First ones:\n(?P<examples>.*?)\n"
        r"Columns used:.*",
        "too_many_set_aside",
    ),
    (r"(?P<file>.+?): no survey scores found\..*", "no_survey_scores"),
    (
        r"(?P<file>.+?): items (?P<items>\[.*?\]) have an expectation or a perception column "
        r"but not both\..*",
        "unpaired",
    ),
    (
        r"(?P<file>.+?): items (?P<items>\[.*?\]) are not in the item map "
        r"\(items (?P<first>\d+)-(?P<last>\d+)\)\..*",
        "items",
    ),
    (r"Upload the transactions export first.*", "transactions_first"),
    (r"The data changed three times while this page read it.*", "changed"),
    (r"No workshop data folder .*", "no_server"),
]

#: (pattern, key of ``workshop.page_terms``) rewriting a refusal no rule of :data:`REFUSALS`
#: knows: the Python arguments it names become the page's controls.
PAGE_TERMS: list[tuple[str, str]] = [
    (
        r"Say which with date_format='%d/%m/%Y' \(day first\) or date_format='%m/%d/%Y' \(month first\)\.",
        "date_order",
    ),
    (r"Pass\s+date_format= with the strptime format, e\.g\. date_format='%d/%m/%Y'\.", "date_format"),
    (
        r"Fix the mapping \(columns=\), date_format= or decimal=, or pass\s+max_rejected_share=1\.0 to load "
        r"anyway and inspect report\.rejected\.",
        "fix_rows",
    ),
    (r"Name them with columns=\{[^}]*\}\.", "name_columns"),
    (r"\bcustomer_id\b", "customer_id"),
    (r"\border_id\b", "order_id"),
    # A temporary copy's path, whatever remains of one.
    (r"['\"]?/[^\s'\"]*loyalty-[^\s'\"]*['\"]?", "temporary_file"),
]
#: What the page leaves out of a loader's message: the dictionaries of columns it used and found.
_LEFT_OUT = [
    (r"\s*Columns used: \{.*?\}; detected: \{.*?\}\.\s*", "\n"),
    (r"\s*Columns found: \[.*?\]\. Recognised so far: (\{.*?\}|none)\.", ""),
]


def _rewritten(message: str, t: WorkshopTexts) -> str:
    for pattern, replacement in _LEFT_OUT:
        message = re.sub(pattern, replacement, message, flags=re.DOTALL)
    for pattern, key in PAGE_TERMS:
        replacement = t(f"page_terms.{key}")
        message = re.sub(pattern, replacement.replace("\\", "\\\\"), message, flags=re.DOTALL)
    return message


def _reasons(listed: str, t: WorkshopTexts) -> str:
    """ "unparseable date: 2, missing amount: 1" in the language."""
    counts = [part.rpartition(": ") for part in listed.split(", ")]
    return t.join(
        [
            t.entry("data_quality.reason_count").format(
                reason=t.named("reasons", reason), count=t.number(int(count))
            )
            for reason, _, count in counts
        ]
    )


def _values(key: str, found: dict[str, str], t: WorkshopTexts) -> dict[str, str]:
    """A refusal's named groups as its text in the language uses them."""
    values = dict(found)
    if key == "too_many_set_aside":
        rejected, read = int(found["rejected"]), int(found["read"])
        values.update(
            rejected=t.number(rejected),
            read=t.number(read),
            share=t.percent(rejected / read),
            allowed=t.percent(float(found["allowed"]) / 100),
            reasons=_reasons(found["reasons"], t),
            examples=_examples(found["examples"], t),
        )
    if key == "several":
        values["role"] = t.named("workshop.menu_roles", found["role"])
    if key == "unrecognised":
        values["missing"] = t.join([t.named("workshop.menu_roles", r) for r in found["missing"].split(" / ")])
    values.update(button=t("upload.choose_transactions"), survey_button=t("upload.choose_survey"))
    return values


def _examples(table: str, t: WorkshopTexts) -> str:
    """The first rows set aside, as the loader printed them (a fixed-width table), with the
    headers of its line and reason columns and its reasons in the language, still aligned
    (the file's own columns keep their names and values)."""
    lines = table.split("\n")
    for column, say in (("reason", lambda v: t.named("reasons", v)), ("line", str)):
        found = re.search(rf"\s*\b{column}\b", lines[0])
        if found is None:
            continue
        start, end = found.span()
        cells = [t(f"refusals.{column}")] + [say(line[start:end].strip()) for line in lines[1:]]
        width = max(map(len, cells))
        lines = [line[:start] + " " + cell.rjust(width) + line[end:] for line, cell in zip(lines, cells)]
    return "\n".join(lines)


def in_page_terms(message: str, language: str | None = None) -> str:
    """A loader's message as the workshop page says it, in ``language``: no Python argument,
    path or engine jargon.

    Examples
    --------
    >>> in_page_terms("x.csv: ... Say which with date_format='%d/%m/%Y' (day first) or "
    ...               "date_format='%m/%d/%Y' (month first).")
    'x.csv: ... Choose the order in the Dates menu (day first or month first), then press Load again.'
    >>> in_page_terms("ventes.csv is empty (0 bytes). Export the data again.", "fr")[:28]
    'ventes.csv est vide (0 octet'
    """
    t = WorkshopTexts(language)
    for pattern, key in REFUSALS:
        found = re.fullmatch(pattern, message.strip(), flags=re.DOTALL)
        if found:
            return t(f"refusals.{key}", **_values(key, found.groupdict(), t))
    rewritten = _rewritten(message, t)
    return rewritten if t.language == "en" else t("refusals.other", message=rewritten)


# --------------------------------------------------------------------------- the load report

#: Notes of a load report said again in the language: (pattern, key of ``workshop.report.notes``).
_NOTES = [
    (
        r"(?P<count>\d+) refunds \(negative amounts, (?P<total>-?[\d,.]+) in all\) are kept: "
        r"they lower net revenue\.",
        "refunds",
    ),
    (
        r"(?P<count>\d+) unanswered items \(no expectation or no perception\) are left out(?:: .*)?\.",
        "unanswered",
    ),
    (r"Some fields span several lines \(quoted line breaks\).*", "multiline"),
]


def _note(note: str, t: WorkshopTexts) -> str:
    for pattern, key in _NOTES:
        found = re.fullmatch(pattern, note, flags=re.DOTALL)
        if found:
            values = found.groupdict()
            if "count" in values:
                values["count"] = t.count(f"counts.{key}", int(values["count"]))
            if "total" in values:
                values["total"] = t.number(float(values["total"].replace(",", "")), 2)
            return t(f"report.notes.{key}", **values)
    return note


def plain_report(report: LoadReport, language: str | None = None) -> list[str]:
    """What a load did, in sentences for the page, in ``language``: rows, dates, columns, how
    the file was read.

    Examples
    --------
    >>> from loyalty_lessons.data import load_transactions
    >>> import pandas as pd
    >>> table = pd.DataFrame({"customer_id": ["A"], "date": ["2025-01-03"], "amount": [2.0]})
    >>> _, report = load_transactions(table)
    >>> plain_report(report)[0], plain_report(report, "fr")[0]
    ('1 row read, 1 kept, 0 set aside.', 'Lignes lues : 1 ; conservées : 1 ; mises de côté : 0.')
    """
    t = WorkshopTexts(language)
    lines = [
        t.plural(
            "report.rows",
            report.rows_read,
            read=t.number(report.rows_read),
            kept=t.number(report.rows_kept),
            rejected=t.number(report.rows_rejected),
        )
    ]
    lines += [
        t("report.set_aside", count=t.number(n), reason=t.named("reasons", reason))
        for reason, n in report.reasons.items()
    ]
    if report.date_min is not None:
        lines.append(t("report.purchases", start=t.date(report.date_min), end=t.date(report.date_max)))
    if report.columns:
        used = [
            t("report.column", role=t.named("workshop.report.roles", role), header=header)
            for role, header in report.columns.items()
        ]
        lines.append(t("report.columns", used=t.join(used)))
    detected = report.detected
    how = [detected.get("format", "")]
    if detected.get("delimiter") in t.raw("report.separators"):
        how.append(
            t("report.separated", separator=t.named("workshop.report.separators", detected["delimiter"]))
        )
    if "encoding" in detected:
        how.append(t("report.text_in", encoding=t.named("workshop.report.encodings", detected["encoding"])))
    if detected.get("date_format") in t.raw("report.date_orders"):
        how.append(t("report.dates", order=t.named("workshop.report.date_orders", detected["date_format"])))
    if detected.get("amount_decimal") == ",":
        how.append(t("report.decimal_commas"))
    how = [h for h in how if h]
    if how:
        lines.append(t("report.read_as", how=t.join(how)))
    return lines + [_note(note, t) for note in report.notes]
