"""The workshop's words in the page's language: which language a page is in, and its counts."""

import pytest

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.workshop.texts import (
    LANGUAGE_ENV,
    WorkshopTexts,
    check_language,
    default_language,
    language_from_query,
)


@pytest.mark.parametrize(
    ("query", "server", "language"),
    [
        ("", None, "en"),
        ("", "ru", "ru"),
        ("lang=fr", None, "fr"),
        ("token=t&facilitator=k&lang=it", "ru", "it"),
        ("lang=de", "fr", "fr"),
        ("lang=", "it", "it"),
    ],
    ids=["nothing", "server-default", "asked", "asked-over-default", "unknown-asked", "empty-asked"],
)
def test_a_page_is_in_the_language_its_address_asks_else_the_servers(monkeypatch, query, server, language):
    if server:
        monkeypatch.setenv(LANGUAGE_ENV, server)
    else:
        monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    assert language_from_query(query) == language


def test_an_unknown_server_language_falls_back_to_english(monkeypatch):
    monkeypatch.setenv(LANGUAGE_ENV, "xx")
    assert default_language() == "en" and WorkshopTexts().language == "en"


def test_an_unknown_language_is_refused_with_the_available_ones():
    with pytest.raises(
        LoyaltyDataError, match=r"no workshop text in language 'de'; available: en, fr, it, ru"
    ):
        check_language("de")
    with pytest.raises(LoyaltyDataError, match="available"):
        WorkshopTexts("de")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["1 customer", "3 customers", "5 customers", "21 customers"]),
        ("fr", ["1 client", "3 clients", "5 clients", "21 clients"]),
        ("ru", ["1 клиент", "3 клиента", "5 клиентов", "21 клиент"]),
    ],
    ids=["en", "fr", "ru"],
)
def test_counts_follow_the_languages_plural_rules(language, expected):
    t = WorkshopTexts(language)
    assert [t.count("counts.customers", n) for n in (1, 3, 5, 21)] == expected


def test_numbers_and_dates_are_written_for_the_language():
    from datetime import date

    fr, it = WorkshopTexts("fr"), WorkshopTexts("it")
    assert fr.number(2500316) == "2\u202f500\u202f316" and it.number(2500316) == "2.500.316"
    assert fr.percent(0.4083, 1) == "40,8\xa0%"
    assert fr.date(date(1998, 6, 30)) == "30 juin 1998"
    assert WorkshopTexts("ru").date(date(1998, 6, 30)) == "30 июня 1998 г."


def test_html_texts_escape_their_values_and_plain_texts_do_not():
    t = WorkshopTexts("en")
    assert "<b>&lt;script&gt;</b>" in t.html("upload.chosen", table="Transactions", file="<script>")
    assert (
        t("notes.no_model", name="a&b", problem="x")
        == "Who is still a customer cannot be estimated on a&b: x"
    )
