"""The words of the client report: a message catalogue per language, and safe HTML.

Every sentence of the report (headings, findings, prescriptions, actions, the texts that
say which data would enable a section) lives in ``loyalty_lessons/messages/<language>.toml``,
so adding a language means adding one file. Templates are trusted HTML with ``{name}``
placeholders; every value put into them is HTML-escaped, so a customer id such as
``<script>`` or a category such as ``Müller & Söhne`` shows as text and never as markup.
A key missing from a translation falls back to English.
"""

from __future__ import annotations

import html
import math
import tomllib
from functools import lru_cache
from importlib.resources import files

import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["DEFAULT_LANGUAGE", "Messages", "Safe", "available_languages", "html_table", "messages"]

DEFAULT_LANGUAGE = "en"


class Safe(str):
    """Text that is already HTML (made by this module from escaped parts): not escaped again."""


def _escape(value: object) -> str:
    return value if isinstance(value, Safe) else html.escape(str(value))


def _folder():
    return files("loyalty_lessons") / "messages"


def available_languages() -> list[str]:
    """Languages with a catalogue, e.g. ``['en']``.

    Examples
    --------
    >>> "en" in available_languages()
    True
    """
    return sorted(p.name.removesuffix(".toml") for p in _folder().iterdir() if p.name.endswith(".toml"))


@lru_cache
def _catalogue(language: str) -> dict:
    with (_folder() / f"{language}.toml").open("rb") as f:
        return tomllib.load(f)


class Messages:
    """The catalogue of one language, with number formatting and safe templating.

    Parameters
    ----------
    language : str
        A language of :func:`available_languages`.

    Raises
    ------
    LoyaltyDataError
        If there is no catalogue for ``language``.

    Examples
    --------
    >>> m = Messages("en")
    >>> m.text("headings.pareto")
    'The 80/20 rule'
    >>> m.text("data_quality.not_given", tables="<b>")
    'Not given: &lt;b&gt;.'
    >>> m.number(1234567.891), m.percent(0.7049), m.money(1234.6, "EUR")
    ('1,234,568', '70%', '1,235 EUR')
    """

    def __init__(self, language: str = DEFAULT_LANGUAGE):
        languages = available_languages()
        if language not in languages:
            raise LoyaltyDataError(
                f"There is no report text in language {language!r}; available: "
                f"{', '.join(languages)}. Choose one with --language, or add "
                f"loyalty_lessons/messages/{language}.toml (a copy of en.toml, translated).")
        self.language = language
        self._own = _catalogue(language)
        self._fallback = _catalogue(DEFAULT_LANGUAGE)

    def raw(self, key: str):
        """The catalogue entry at a dotted key (a string, list or table), untouched."""
        for catalogue in (self._own, self._fallback):
            node = catalogue
            for part in key.split("."):
                if not isinstance(node, dict) or part not in node:
                    break
                node = node[part]
            else:
                return node
        raise KeyError(f"The message catalogue has no entry {key!r} (language {self.language!r}).")

    def text(self, key: str, **values) -> str:
        """The template at ``key`` with every value HTML-escaped and filled in."""
        template = self.raw(key)
        if not isinstance(template, str):
            raise KeyError(f"Message {key!r} is not a text but a {type(template).__name__}.")
        safe = {name: _escape(value) for name, value in values.items()}
        try:
            return Safe(template.format_map(safe))
        except KeyError as missing:
            raise KeyError(f"Message {key!r} needs the value {missing}.") from None

    # ------------------------------------------------------------------ numbers

    def number(self, value: float, decimals: int = 0) -> str:
        """A number with the language's separators; a dash when missing."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.raw("format.missing")
        text = f"{value:,.{decimals}f}"
        thousands, decimal = self.raw("format.thousands"), self.raw("format.decimal")
        return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)

    def percent(self, share: float, decimals: int = 0) -> str:
        """A share 0-1 as a percentage: 0.7049 -> '70%'."""
        if share is None or (isinstance(share, float) and math.isnan(share)):
            return self.raw("format.missing")
        return self.raw("format.percent").format(value=self.number(100 * share, decimals))

    def signed(self, value: float, decimals: int = 2) -> str:
        """A number with its sign: '+0.25', '−1.10'."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.raw("format.missing")
        sign = "+" if value > 0 else ("−" if value < 0 else "")
        return sign + self.number(abs(value), decimals)

    def money(self, amount: float, currency: str | None, decimals: int = 0) -> str:
        """An amount with the currency code when one is known: '1,235 EUR'."""
        number = self.number(amount, decimals)
        if not currency:
            return number
        return self.raw("format.money").format(amount=number, currency=currency)

    def date(self, day: pd.Timestamp) -> str:
        """A date in words: '31 December 2025'."""
        months = self.raw("format.months")
        return self.raw("format.date").format(day=day.day, month=months[day.month - 1], year=day.year)

    def join(self, names: list[str]) -> str:
        """'a', 'a and b', 'a, b and c' (names are escaped)."""
        names = [_escape(n) for n in names]
        if len(names) <= 1:
            return Safe("".join(names))
        return Safe(self.raw("format.list_separator").join(names[:-1]) + self.raw("format.list_last")
                    + names[-1])


@lru_cache
def messages(language: str = DEFAULT_LANGUAGE) -> Messages:
    """The (cached) :class:`Messages` of a language."""
    return Messages(language)


def html_table(rows: list[list[object]], header: list[str], *, numeric: set[int] | None = None,
               css_class: str = "data") -> str:
    """A small HTML table; every cell is escaped (unless :class:`Safe`), ``numeric`` columns right-aligned.

    Examples
    --------
    >>> html_table([["<a>", "1"]], ["id", "n"], numeric={1})
    '<table class="data"><thead><tr><th>id</th><th class="num">n</th></tr></thead><tbody><tr><td>&lt;a&gt;</td><td class="num">1</td></tr></tbody></table>'
    """
    numeric = numeric or set()

    def cell(tag: str, i: int, value: object) -> str:
        attr = ' class="num"' if i in numeric else ""
        return f"<{tag}{attr}>{_escape(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
