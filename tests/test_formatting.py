import math
from datetime import date

import pandas as pd
import pytest

from loyalty_lessons.formatting import (
    MISSING,
    currency_symbol,
    format_date,
    format_money,
    format_number,
    format_percent_share,
    format_signed,
)

NNBSP, NBSP = "\u202f", "\xa0"  # French groups digits with a narrow no-break space


@pytest.mark.parametrize(
    "amount, currency, decimals, locale, expected",
    [
        (2500316.63, "EUR", 2, "fr", f"2{NNBSP}500{NNBSP}316,63{NBSP}€"),
        (2500316.63, "EUR", 2, "en", "€2,500,316.63"),
        (1234.6, "EUR", 0, "en", "€1,235"),
        (1234.6, "eur", 0, "de", f"1.235{NBSP}€"),
        (-20, "USD", 0, "en", "-$20"),
        (1234.6, "CHF", 0, "en", f"CHF{NBSP}1,235"),
        (1234.6, "CHF", 0, "fr", f"1{NNBSP}235{NBSP}CHF"),
        (1234.6, None, 0, "en", "1,235"),
        (1234.56, "", 2, "fr", f"1{NNBSP}234,56"),
    ],
    ids=[
        "fr-euros",
        "en-euros",
        "no-decimals",
        "lower-case-code",
        "negative",
        "letters-code-en",
        "letters-code-fr",
        "no-currency",
        "no-currency-fr",
    ],
)
def test_money(amount, currency, decimals, locale, expected):
    assert format_money(amount, currency, decimals, locale=locale) == expected


def test_money_without_currency_is_the_plain_number_everywhere():
    for locale in ("en", "fr", "de"):
        assert format_money(2500.5, None, 1, locale=locale) == format_number(2500.5, 1, locale=locale)


@pytest.mark.parametrize("value", [None, float("nan"), math.nan], ids=["none", "nan", "math-nan"])
def test_missing_values_are_a_dash(value):
    assert format_number(value) == format_money(value, "EUR") == format_percent_share(value) == MISSING
    assert format_signed(value, missing="n/a") == "n/a"


def test_numbers_percentages_and_signs():
    assert format_number(1234567.891, 2) == "1,234,567.89"
    assert format_number(1234567.891, 0, locale="fr") == f"1{NNBSP}234{NNBSP}568"
    assert format_percent_share(0.7049) == "70%"
    assert format_percent_share(0.125, 1) == "12.5%"
    assert format_percent_share(0.125, 1, locale="fr") == f"12,5{NBSP}%"
    assert (format_signed(-1.071), format_signed(0.7), format_signed(0.0, 0)) == ("−1.07", "+0.70", "0")


@pytest.mark.parametrize(
    "code, symbol",
    [("EUR", "€"), ("usd", "$"), ("GBP", "£"), ("CHF", "CHF "), ("€", "€"), (None, ""), ("  ", "")],
    ids=["eur", "usd-lower", "gbp", "chf", "symbol", "none", "blank"],
)
def test_currency_symbol(code, symbol):
    assert currency_symbol(code) == symbol


def test_dates():
    day = pd.Timestamp("2025-12-31 15:00")
    assert format_date(day) == "31 December 2025"
    assert format_date(date(2025, 12, 31), locale="fr") == "31 décembre 2025"
    assert format_date(date(2025, 3, 1), "MMMM y") == "March 2025"
