"""Money, numbers, percentages and dates as a reader of a given locale writes them.

One home for every figure a person reads, in the report, the lessons and the workshop, with
the locale's separators, symbols and patterns from Babel (CLDR data): ``"en"`` writes
``€2,500,316.63``, ``"fr"`` writes ``2 500 316,63 €``.

Without a currency an amount is written as a plain number, with no symbol: the package never
guesses the currency of a client's data. (The lesson explorers start from the sources' worked
examples, which are in dollars, and show a "$" for those.)

A missing value (``None`` or NaN) is written as ``missing`` (an en dash unless given).
"""

from __future__ import annotations

import copy
import math
import re
from datetime import date, datetime
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
)

__all__ = [
    "DEFAULT_LOCALE",
    "MISSING",
    "currency_symbol",
    "format_date",
    "format_money",
    "format_number",
    "format_percent_share",
    "format_signed",
]

DEFAULT_LOCALE = "en"
#: What a missing figure is written as.
MISSING = "–"
#: The minus sign of :func:`format_signed` (U+2212, the width of a plus sign).
_MINUS = "−"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def _pattern(locale: str, kind: str, decimals: int):
    """The locale's standard pattern of ``kind`` with exactly ``decimals`` decimals."""
    formats = getattr(Locale.parse(locale), f"{kind}_formats")
    pattern = copy.copy(formats["standard"] if kind == "currency" else formats[None])
    pattern.frac_prec = (decimals, decimals)
    return pattern


def format_number(
    value: float | None, decimals: int = 0, *, locale: str = DEFAULT_LOCALE, missing: str = MISSING
) -> str:
    """A number with the locale's separators and exactly ``decimals`` decimals.

    Examples
    --------
    >>> format_number(1234567.891, 2), format_number(1234567.891, 2, locale="fr")
    ('1,234,567.89', '1\\u202f234\\u202f567,89')
    >>> format_number(float("nan"))
    '–'
    """
    if _missing(value):
        return missing
    return format_decimal(value, format=_pattern(locale, "decimal", decimals), locale=locale)


def format_signed(
    value: float | None, decimals: int = 2, *, locale: str = DEFAULT_LOCALE, missing: str = MISSING
) -> str:
    """A number with its sign, plus or minus (U+2212); zero has none.

    Examples
    --------
    >>> format_signed(0.25), format_signed(-1.1), format_signed(0, 0)
    ('+0.25', '−1.10', '0')
    """
    if _missing(value):
        return missing
    sign = "+" if value > 0 else (_MINUS if value < 0 else "")
    return sign + format_number(abs(value), decimals, locale=locale)


def format_percent_share(
    share: float | None, decimals: int = 0, *, locale: str = DEFAULT_LOCALE, missing: str = MISSING
) -> str:
    """A share from 0 to 1 as a percentage.

    Examples
    --------
    >>> format_percent_share(0.7049), format_percent_share(0.125, 1)
    ('70%', '12.5%')
    >>> format_percent_share(0.7049, locale="fr")
    '70\\xa0%'
    """
    if _missing(share):
        return missing
    return format_percent(share, format=_pattern(locale, "percent", decimals), locale=locale)


def format_money(
    amount: float | None,
    currency: str | None = None,
    decimals: int = 0,
    *,
    locale: str = DEFAULT_LOCALE,
    missing: str = MISSING,
) -> str:
    """An amount with the currency's symbol where the locale puts it; a plain number without one.

    Parameters
    ----------
    amount : float or None
    currency : str, optional
        An ISO 4217 code ("EUR"). None or "" writes the number alone.
    decimals : int, default 0
    locale : str, default "en"
    missing : str
        Written for a missing amount.

    Examples
    --------
    >>> format_money(2500316.63, "EUR", 2), format_money(2500316.63, "EUR", 2, locale="fr")
    ('€2,500,316.63', '2\\u202f500\\u202f316,63\\xa0€')
    >>> format_money(1234.6, "CHF"), format_money(-20, "usd"), format_money(1234.6)
    ('CHF\\xa01,235', '-$20', '1,235')
    """
    if _missing(amount):
        return missing
    if not currency:
        return format_number(amount, decimals, locale=locale)
    code = currency.strip().upper()
    text = format_currency(
        amount, code, format=_pattern(locale, "currency", decimals), locale=locale, currency_digits=False
    )
    symbol = get_currency_symbol(code, locale=locale)
    if symbol[-1:].isalpha():  # a code written as letters ("CHF") is kept apart from the digits
        text = re.sub(f"{re.escape(symbol)}(?=[-\\d])", symbol + "\xa0", text)
        text = re.sub(f"(?<=\\d){re.escape(symbol)}", "\xa0" + symbol, text)
    return text


def currency_symbol(currency: str | None, *, locale: str = DEFAULT_LOCALE) -> str:
    """The prefix written before amounts on charts: "€" for "EUR", "CHF " for "CHF", "" for none.

    A one-character symbol ("€") is returned as it is.

    Examples
    --------
    >>> currency_symbol("EUR"), currency_symbol("usd"), currency_symbol("CHF"), currency_symbol("$")
    ('€', '$', 'CHF ', '$')
    >>> currency_symbol(None)
    ''
    """
    if currency is None or not str(currency).strip():
        return ""
    code = str(currency).strip()
    if len(code) == 1:
        return code
    symbol = get_currency_symbol(code.upper(), locale=locale)
    return symbol + " " if symbol[-1:].isalpha() else symbol


def format_date(day: date | datetime, pattern: str = "d MMMM y", *, locale: str = DEFAULT_LOCALE) -> str:
    """A date in words, with a CLDR ``pattern`` ("d MMMM y": 31 December 2025).

    Examples
    --------
    >>> from datetime import date
    >>> format_date(date(2025, 12, 31)), format_date(date(2025, 12, 31), locale="fr")
    ('31 December 2025', '31 décembre 2025')
    """
    if isinstance(day, datetime):
        day = day.date()
    return _babel_date(day, pattern, locale=locale)
