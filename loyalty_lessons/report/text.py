"""The words of the client report: a message catalogue per language.

Every sentence of the report (headings, findings, prescriptions, actions, the texts that
say which data would enable a section) lives in ``loyalty_lessons/messages/<language>.toml``,
so adding a language means adding one file (read by :mod:`loyalty_lessons.catalogue`). A
catalogue text is trusted HTML with ``{name}`` placeholders (it may use ``<strong>``,
``<em>``, ``<code>``); every value put into it is HTML-escaped, so a customer id such as
``<script>`` or a category such as ``Müller & Söhne``
shows as text and never as markup. The texts come back as :class:`markupsafe.Markup`, which
the report's templates (autoescape on) put in the page as they are; anything else a template
shows is escaped. Numbers, money and dates are written for the language by
:mod:`loyalty_lessons.formatting`. A key missing from a translation falls back to English.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from markupsafe import Markup

from loyalty_lessons import formatting
from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, available_languages, elide, entry
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["DEFAULT_LANGUAGE", "Messages", "available_languages", "messages"]


class Messages:
    """The catalogue of one language, with its number formats and safe templating.

    Parameters
    ----------
    language : str
        A language of :func:`available_languages`; also the locale of numbers, money and dates.

    Raises
    ------
    LoyaltyDataError
        If there is no catalogue for ``language``.

    Examples
    --------
    >>> m = Messages("en")
    >>> m.text("headings.pareto")
    Markup('The 80/20 rule')
    >>> str(m.text("data_quality.not_given", tables="<b>"))
    'Not given: &lt;b&gt;.'
    >>> m.number(1234567.891), m.percent(0.7049), m.money(1234.6, "EUR")
    ('1,234,568', '70%', '€1,235')
    """

    def __init__(self, language: str = DEFAULT_LANGUAGE):
        languages = available_languages()
        if language not in languages:
            raise LoyaltyDataError(
                f"There is no report text in language {language!r}; available: "
                f"{', '.join(languages)}. Choose one with --language, or add "
                f"loyalty_lessons/messages/{language}.toml (a copy of en.toml, translated)."
            )
        self.language = language
        self._missing = self.raw("format.missing")

    def raw(self, key: str):
        """The catalogue entry at a dotted key (a string, list or table), untouched (not HTML)."""
        return entry(self.language, key)

    def named(self, table: str, name: str) -> str:
        """``name`` as the catalogue's table ``table`` writes it, or ``name`` itself when the
        table does not know it: the loader's reasons ("missing date") and the words of how a
        file was read ("date format"), which come from the package in English."""
        found = self.raw(table)
        return found.get(name, name) if isinstance(found, dict) else name

    def text(self, key: str, **values) -> Markup:
        """The text at ``key`` with every value HTML-escaped and filled in (unless already Markup)."""
        template = self.raw(key)
        if not isinstance(template, str):
            raise KeyError(f"Message {key!r} is not a text but a {type(template).__name__}.")
        try:
            text = Markup(template).format_map(values)
        except KeyError as missing:
            raise KeyError(f"Message {key!r} needs the value {missing}.") from None
        # Only letters of an article change, before a number: no markup is made or unmade.
        return Markup(elide(str(text), self.language))

    # ------------------------------------------------------------------ numbers

    def number(self, value: float, decimals: int = 0) -> str:
        """A number with the language's separators; a dash when missing."""
        return formatting.format_number(value, decimals, locale=self.language, missing=self._missing)

    def percent(self, share: float, decimals: int = 0) -> str:
        """A share 0-1 as a percentage: 0.7049 -> '70%'."""
        return formatting.format_percent_share(share, decimals, locale=self.language, missing=self._missing)

    def signed(self, value: float, decimals: int = 2) -> str:
        """A number with its sign: '+0.25', '−1.10'."""
        return formatting.format_signed(value, decimals, locale=self.language, missing=self._missing)

    def money(self, amount: float, currency: str | None, decimals: int = 0) -> str:
        """An amount with the currency's symbol when one is known: '€1,235'; the number alone without."""
        return formatting.format_money(
            amount, currency, decimals, locale=self.language, missing=self._missing
        )

    def date(self, day: pd.Timestamp) -> str:
        """A date in words, with the catalogue's CLDR pattern: '31 December 2025'."""
        return formatting.format_date(day, self.raw("format.date"), locale=self.language)

    def join(self, names: list[str]) -> Markup:
        """'a', 'a and b', 'a, b and c' (names are escaped unless Markup)."""
        if len(names) <= 1:
            return Markup("").join(names)
        return (
            Markup(self.raw("format.list_separator")).join(names[:-1])
            + Markup(self.raw("format.list_last"))
            + names[-1]
        )


@lru_cache
def messages(language: str = DEFAULT_LANGUAGE) -> Messages:
    """The (cached) :class:`Messages` of a language."""
    return Messages(language)
