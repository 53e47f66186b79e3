"""The loaders' messages in the workshop page's own terms, and the load report in sentences."""

import os

import pytest

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.workshop import read_upload
from loyalty_lessons.workshop.wording import in_page_terms, plain_report

EUROPEAN = (
    "N° client;Date d'achat;Montant TTC;N° ticket\n"
    "A-101;03/01/2025;12,50 €;T001\n"
    "A-102;13/01/2025;8,90 €;T002\n"
    "A-101;10/02/2025;1 234,50 €;T003\n"
).encode("cp1252")
JARGON = ["date_format", "columns=", "delimiter=", "max_rejected_share", "Invalid Input", "/tmp", "sniffing"]


def _refusal(content: bytes, name: str = "export.csv") -> str:
    with pytest.raises(LoyaltyDataError) as caught:
        read_upload("transactions", name, content)
    return in_page_terms(str(caught.value))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (os.urandom(4000), "Export the data again from the till or CRM as CSV or Excel"),
        (b"client;date;montant\nA;03/01/2025;1\nB;04/02/2025;2\n", "Choose the order in the Dates menu"),
        (EUROPEAN + b"A-104;xx;14,00;T009\n", "Check the Dates menu"),
    ],
    ids=["binary", "ambiguous-dates", "bad-rows"],
)
def test_a_refusal_names_the_pages_controls_not_python(content, words):
    message = _refusal(content)
    assert "export.csv" in message
    assert words in message
    assert not [word for word in JARGON if word in message]


def test_the_load_report_is_in_plain_words():
    _, report = read_upload("transactions", "ventes.csv", EUROPEAN)
    assert plain_report(report) == [
        "3 rows read, 3 kept, 0 set aside.",
        "Purchases from 3 January 2025 to 10 February 2025.",
        "Columns used: date from “Date d'achat”, customer from “N° client”, amount from “Montant TTC”, "
        "order number from “N° ticket”.",
        "Read as: CSV, separated by semicolons, text in Windows Western European (cp1252), dates day "
        "first (31/12/2024), decimal commas.",
    ]
