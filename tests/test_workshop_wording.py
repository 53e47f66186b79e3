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


# --- in the page's language ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fix"),
    [
        (os.urandom(4000), "Exportez à nouveau les données depuis la caisse ou le CRM en CSV ou en Excel"),
        (b"client;date;montant\nA;03/01/2025;1\nB;04/02/2025;2\n", "Choisissez l’ordre dans le menu Dates"),
        (EUROPEAN + b"A-104;xx;14,00;T009\n", "Vérifiez le menu Dates"),
        (b"carte;jour;euros\nK1;2025-01-03;10.5\n", "Choisissez dans les menus ci-dessous la colonne"),
        (b"", "est vide"),
    ],
    ids=["binary", "ambiguous-dates", "bad-rows", "unknown-headers", "empty"],
)
def test_a_french_refusal_says_the_fix_in_french(content, fix):
    with pytest.raises(LoyaltyDataError) as caught:
        read_upload("transactions", "export.csv", content)
    message = in_page_terms(str(caught.value), "fr")
    assert "export.csv" in message and fix in message
    assert not [word for word in JARGON if word in message]
    # No sentence of the workshop's own is left in English (the file's own headers may be).
    english = {"Choose", "Check", "Export", "press", "could", "rows", "reason", "line", "unparseable"}
    assert not english & set(message.replace(".", " ").split())


def test_a_refusal_no_rule_knows_is_introduced_in_the_language_with_the_pages_controls():
    message = in_page_terms(
        "x.csv: strange. Say which with date_format='%d/%m/%Y' (day first) or "
        "date_format='%m/%d/%Y' (month first).",
        "it",
    )
    assert message.startswith("Non è stato possibile caricare il file.")
    assert "x.csv: strange. Scegliete l’ordine nel menu Date" in message and "date_format" not in message


def test_the_load_report_is_in_the_pages_language():
    _, report = read_upload("transactions", "ventes.csv", EUROPEAN)
    assert plain_report(report, "fr") == [
        "Lignes lues : 3 ; conservées : 3 ; mises de côté : 0.",
        "Achats du 3 janvier 2025 au 10 février 2025.",
        "Colonnes utilisées : date : « Date d'achat », client : « N° client », montant : « Montant TTC », "
        "numéro de commande : « N° ticket ».",
        "Lecture : CSV, séparé par des points-virgules, texte en Windows Europe occidentale (cp1252), dates "
        "au format jour/mois/année (31/12/2024), virgule décimale.",
    ]
    russian = plain_report(report, "ru")
    assert russian[0] == "Прочитано строк: 3; принято: 3; отложено: 0."
    assert russian[1] == "Покупки с 3 января 2025 г. по 10 февраля 2025 г."


def test_the_load_reports_notes_are_said_in_the_language():
    refunds = EUROPEAN + b"A-104;14/02/2025;-12,50;T009\n"
    _, report = read_upload("transactions", "ventes.csv", refunds)
    assert plain_report(report, "fr")[-1] == (
        "Les remboursements sont conservés : 1 remboursement (montants négatifs, -12,50 au total), qui "
        "diminuent le chiffre d’affaires net."
    )
