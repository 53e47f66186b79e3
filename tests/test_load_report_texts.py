"""Tests of a load report in the lessons' languages."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty_lessons.data import LoadReport
from loyalty_lessons.load_report_texts import load_report_in


def _report() -> LoadReport:
    rejected = pd.DataFrame({"line": [4], "reason": ["missing customer id"]})
    return LoadReport(
        source="caisse.csv", rows_read=6, rows_kept=5, rejected=rejected,
        columns={"customer_id": "N° carte", "order_id": "N° ticket"}, detected={"encoding": "utf-8"},
        duplicates=1, refunds=1, one_line_orders=False,
        notes=["1 refunds (negative amounts, -8.90 in all) are kept: they lower net revenue."],
    )  # fmt: skip


def test_english_is_the_report_itself():
    report = _report()
    assert load_report_in(report) is report


@pytest.mark.parametrize(
    ("language", "read", "reason", "note"),
    [
        ("fr", "Lignes lues", "identifiant client manquant", "remboursements"),
        ("it", "Righe lette", "codice cliente mancante", "rimborsi"),
        ("ru", "Прочитано строк", "нет номера клиента", "возвраты"),
    ],
)
def test_the_items_reasons_and_notes_read_in_the_language(language, read, reason, note):
    table = load_report_in(_report(), language)
    values = table.iloc[:, 0]
    assert values[read] == "6"
    assert f"  {reason}" in table.index
    assert note in values.iloc[-1] and "refunds" not in values.iloc[-1]
    assert values.iloc[0] == "caisse.csv"
