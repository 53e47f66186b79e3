"""The workshop's words in the page's language: the ``[workshop]`` sections of the catalogues.

Every text of the dashboard (titles, headings, the upload form, the load report, the
refusals, the scorecard together) is read from ``workshop.*`` of
``loyalty_lessons/messages/<language>.toml`` (:mod:`loyalty_lessons.catalogue`), and every
number and date is written for the language by :mod:`loyalty_lessons.formatting`.

The language of a page is the ``lang`` of its address (``index.ipynb?lang=fr``), else the
server's default (``--language``, passed to every page's kernel in :data:`LANGUAGE_ENV`),
else English.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from babel import Locale
from markupsafe import Markup

from loyalty_lessons import formatting
from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, available_languages, elide, entry
from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "LANGUAGE_ENV",
    "WorkshopTexts",
    "check_language",
    "default_language",
    "language_from_query",
]

#: Environment variable holding the server's default language (``--language``).
LANGUAGE_ENV = "LOYALTY_WORKSHOP_LANGUAGE"


def check_language(language: str) -> str:
    """``language`` itself when the workshop has texts in it.

    Raises
    ------
    LoyaltyDataError
        Naming the languages there are.

    Examples
    --------
    >>> check_language("fr")
    'fr'
    """
    languages = available_languages()
    if language not in languages:
        raise LoyaltyDataError(
            f"There is no workshop text in language {language!r}; available: {', '.join(languages)}. "
            "Choose one with --language (e.g. --language fr)."
        )
    return language


def default_language() -> str:
    """The server's default language (:data:`LANGUAGE_ENV`), English without one."""
    language = os.environ.get(LANGUAGE_ENV, "")
    return language if language in available_languages() else DEFAULT_LANGUAGE


def language_from_query(query: str, default: str | None = None) -> str:
    """The language a page's address asks for (``lang=fr``); ``default`` (else the server's)
    when it asks for none or for one there is no text in.

    Examples
    --------
    >>> language_from_query("facilitator=k&lang=it"), language_from_query("lang=xx", default="ru")
    ('it', 'ru')
    """
    asked = parse_qs(query).get("lang", [""])[0]
    if asked in available_languages():
        return asked
    return default or default_language()


class WorkshopTexts:
    """The workshop's texts in one language, and the language's number and date formats.

    A text is read from ``workshop.<key>``; :meth:`__call__` gives it as plain text (for a
    button, a menu, a note that the page escapes), :meth:`html` as trusted HTML whose
    values are escaped.

    Parameters
    ----------
    language : str, optional
        Default: the server's (:func:`default_language`).

    Raises
    ------
    LoyaltyDataError
        If there is no catalogue for ``language``.

    Examples
    --------
    >>> t = WorkshopTexts("fr")
    >>> t("index.title"), t.count("counts.customers", 1234)
    ('Atelier de fidélisation client', '1\\u202f234 clients')
    >>> str(WorkshopTexts("en").html("banner.data", name="<x>", tables="", start="", end=""))[:22]
    'Data: <b>&lt;x&gt;</b>'
    """

    def __init__(self, language: str | None = None):
        self.language = check_language(language or default_language())

    def raw(self, key: str):
        """The entry ``workshop.<key>`` (a text, a list or a table), untouched."""
        return entry(self.language, f"workshop.{key}")

    def entry(self, key: str):
        """The entry at a whole dotted ``key`` of the catalogue (the report's ``reasons``,
        ``format.date``), which the workshop shares with the report."""
        return entry(self.language, key)

    def __call__(self, key: str, **values) -> str:
        """The text at ``key`` with ``values`` filled in, as plain text."""
        return elide(self.raw(key).format(**values), self.language)

    def html(self, key: str, **values) -> Markup:
        """The text at ``key`` as HTML, every value escaped (unless already Markup)."""
        return Markup(elide(str(Markup(self.raw(key)).format(**values)), self.language))

    def plural(self, key: str, n: float, **values) -> str:
        """The form of the table ``key`` for ``n`` by the language's plural rules (CLDR)."""
        table = self.raw(key)
        form = Locale.parse(self.language).plural_form(abs(n))
        return elide(table.get(form, table["other"]).format(**values), self.language)

    def count(self, key: str, n: int) -> str:
        """``n`` things of the table ``key``: "1 customer", "1 234 clients", "5 клиентов"."""
        return self.plural(key, n, count=self.number(n))

    def named(self, table: str, name: str) -> str:
        """``name`` as the catalogue's table ``table`` (a whole dotted key, e.g. ``reasons``)
        writes it, or ``name`` itself when it does not know it."""
        try:
            found = entry(self.language, table)
        except KeyError:
            return name
        return found.get(name, name) if isinstance(found, dict) else name

    def join(self, items: list[str]) -> str:
        """Items in a list as the language separates them ("a, b, c")."""
        return entry(self.language, "format.list_separator").join(items)

    def language_name(self, language: str) -> str:
        """A language's name as its speakers write it ("Français")."""
        return entry(language, "meta.name")

    # ------------------------------------------------------------------ numbers and dates

    def number(self, value: float, decimals: int = 0) -> str:
        """A number with the language's separators."""
        return formatting.format_number(value, decimals, locale=self.language)

    def percent(self, share: float, decimals: int = 0) -> str:
        """A share 0-1 as a percentage: 70% or 70 %."""
        return formatting.format_percent_share(share, decimals, locale=self.language)

    def date(self, day) -> str:
        """A date in words with the catalogue's pattern: 3 January 2025, 3 janvier 2025."""
        return formatting.format_date(day, entry(self.language, "format.date"), locale=self.language)
