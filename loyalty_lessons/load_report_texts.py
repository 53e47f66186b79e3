"""A load report in the reader's language, for the lessons.

:class:`~loyalty_lessons.data.LoadReport` shows itself in English (``report.summary()``);
:func:`load_report_in` writes the same items in a lesson's language from the catalogue: the
items' names (``[lessons.load_report]``), the reasons rows were set aside (``[reasons]``),
what was detected (``[detected]``), the notes (:func:`~loyalty_lessons.inputs.load_note`).
What the file holds (its name, its headers, a detected delimiter) stays as it is.
"""

from __future__ import annotations

import pandas as pd

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.data import LoadReport
from loyalty_lessons.formatting import format_date, format_number
from loyalty_lessons.inputs import load_note

__all__ = ["load_report_in"]


def _named(language: str, table: str, key) -> str:
    try:
        return entry(language, f"{table}.{key}")
    except KeyError:
        return str(key)


def load_report_in(report: LoadReport, language: str = DEFAULT_LANGUAGE) -> LoadReport | pd.DataFrame:
    """``report`` to show in a lesson: itself in English, else its items in ``language``.

    Returns
    -------
    LoadReport or pandas.DataFrame
        In another language, one row per item of ``report.summary()``, the item's name as
        the index and its ``value``.

    Examples
    --------
    >>> from loyalty_lessons.inputs import load_inputs
    >>> table = load_report_in(load_inputs().reports["transactions"], "fr")
    >>> table.index[:3].tolist()
    ['Fichier', 'Lignes lues', 'Lignes conservées']
    """
    if language == DEFAULT_LANGUAGE:
        return report

    def name(key: str) -> str:
        return entry(language, f"lessons.load_report.{key}")

    def number(n) -> str:
        return format_number(n, locale=language)

    items = [
        (name("source"), report.source),
        (name("rows_read"), number(report.rows_read)),
        (name("rows_kept"), number(report.rows_kept)),
        (name("rows_set_aside"), number(report.rows_rejected)),
        *((f"  {_named(language, 'reasons', reason)}", number(n)) for reason, n in report.reasons.items()),
        (name("duplicates"), number(report.duplicates)),
        (name("refunds"), number(report.refunds)),
    ]
    if "order_id" in report.columns:
        items.append(
            (
                name("one_row_per_order"),
                entry(language, "lessons.yes" if report.one_line_orders else "lessons.no"),
            )
        )
    if report.date_min is not None:
        pattern = entry(language, "format.date")
        dates = entry(language, "data_quality.dates").format(
            start=format_date(report.date_min, pattern, locale=language),
            end=format_date(report.date_max, pattern, locale=language),
        )
        items.append((name("dates"), dates))
    items += [
        (name("columns"), ", ".join(f"{k} <- {v!r}" for k, v in report.columns.items())),
        (
            name("detected"),
            ", ".join(
                f"{_named(language, 'detected', k)}: {_named(language, 'detected_values', v)}"
                for k, v in report.detected.items()
            ),
        ),
    ]
    items += [(name("note"), load_note(note, language)) for note in report.notes]
    table = pd.DataFrame(items, columns=[name("item"), name("value")])
    return table.set_index(name("item"))
