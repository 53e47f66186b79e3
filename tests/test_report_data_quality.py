"""The report's data-quality section: rows of 0 are counted, and the report says who it counts
as a customer and keeps to it."""

from __future__ import annotations

import pandas as pd

from loyalty_lessons import report
from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import load_transactions
from loyalty_lessons.inputs import Inputs


def _data(rows: list[tuple[str, str, float]], language: str = "en") -> report.ReportData:
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    tx = tx.astype({"customer_id": "str"}).assign(date=pd.to_datetime(tx["date"]).astype("datetime64[us]"))
    loaded = load_transactions(tx)[1]
    inputs = Inputs(tx, None, None, customer_summary(tx), {"transactions": loaded}, tx["date"].max())
    return report.ReportData(inputs, language=language)


ROWS = [
    ("a", "2024-01-05", 30.0),
    ("a", "2024-03-05", 0.0),  # a row of 0 of a paying customer
    ("b", "2024-01-09", 20.0),
    ("b", "2024-04-01", 25.0),
    ("c", "2024-02-01", 0.0),  # c never pays
    ("c", "2024-02-03", 0.0),
    ("d", "2024-05-01", 10.0),
]


def test_rows_of_zero_are_counted_and_ids_that_never_paid_are_not_customers():
    data = _data(ROWS)
    assert data.inputs.reports["transactions"].zero_amounts == 3
    assert data.ids_without_purchase == 1
    assert sorted(data.summary["customer_id"]) == ["a", "b", "d"]
    assert len(data.types) == 3 and int(data.monthly["new_customers"].sum()) == 3
    html = str(report.data_quality_section(data))
    assert "Rows with an amount of 0: 3. They are kept but are not purchases" in html
    assert "Customer ids with no paid purchase (only rows of 0 or refunds): 1." in html
    assert "its 3 customers are the ids with at least one paid purchase" in html


def test_without_rows_of_zero_nothing_is_said_about_them():
    data = _data([r for r in ROWS if r[2] > 0])
    assert data.ids_without_purchase == 0
    html = str(report.data_quality_section(data))
    assert "amount of 0" not in html and "paid purchase" not in html


def test_the_sentence_on_customers_is_in_every_language():
    for language, words in [
        ("fr", "Lignes d’un montant de 0 : 3."),
        ("it", "Righe con importo pari a 0: 3."),
        ("ru", "Строк с суммой 0: 3."),
    ]:
        assert words in str(report.data_quality_section(_data(ROWS, language))), language
