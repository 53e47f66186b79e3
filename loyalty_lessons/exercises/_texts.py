"""The texts of one lesson's exercises in one language, from the message catalogue.

Each lesson's module builds its questions with a :class:`Texts` of its section of the
catalogue (``[exercises.<lesson>.qN]``: ``question``, ``hint``, ``explain``, a table
``mistakes``, and for a multiple choice the tables ``options`` and ``choices``), and writes
every number it puts in a text through :mod:`loyalty_lessons.formatting`, for the language's
locale.
"""

from __future__ import annotations

from dataclasses import dataclass

from loyalty_lessons.catalogue import available_languages, elide, entry
from loyalty_lessons.formatting import (
    format_date,
    format_money,
    format_number,
    format_percent_share,
    format_signed,
)

__all__ = ["CURRENCY", "Texts"]

#: The currency of the sample business, in which the questions ask for amounts.
CURRENCY = "EUR"


@dataclass(frozen=True)
class Texts:
    """The catalogue's texts of ``exercises.<lesson>`` in ``language``.

    Raises
    ------
    ValueError
        If there is no catalogue for ``language``.

    Examples
    --------
    >>> t = Texts("pareto", "fr")
    >>> t.percent(0.1), t.number(1234.5, 1)
    ('10\\xa0%', '1\\u202f234,5')
    """

    lesson: str
    language: str = "en"

    def __post_init__(self):
        if self.language not in available_languages():
            raise ValueError(
                f"There are no exercise texts in language {self.language!r}; "
                f"available: {', '.join(available_languages())}."
            )

    def __call__(self, key: str, **values) -> str:
        """The text at ``key`` (``"q1.hint"``) with ``values`` put in its placeholders."""
        text = entry(self.language, f"exercises.{self.lesson}.{key}")
        return elide(text.format(**values), self.language)

    def table(self, key: str, **values) -> dict[str, str]:
        """Each text of the table at ``key`` (``"q4.options"``), with ``values`` put in."""
        table = entry(self.language, f"exercises.{self.lesson}.{key}")
        return {name: elide(text.format(**values), self.language) for name, text in table.items()}

    def number(self, value: float, decimals: int = 0) -> str:
        return format_number(value, decimals, locale=self.language)

    def signed(self, value: float, decimals: int = 1) -> str:
        return format_signed(value, decimals, locale=self.language)

    def percent(self, share: float, decimals: int = 0) -> str:
        return format_percent_share(share, decimals, locale=self.language)

    def date(self, day) -> str:
        """A date in words, with the catalogue's pattern (``format.date``)."""
        return format_date(day, entry(self.language, "format.date"), locale=self.language)

    def money(self, amount: float, decimals: int = 2) -> str:
        return format_money(amount, CURRENCY, decimals, locale=self.language)
