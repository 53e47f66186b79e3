"""The words and number formats of the charts, in the language of the reader.

Every chart of the report takes ``texts=``: a :class:`ChartTexts` of its catalogue section
(``charts.<section>`` of ``loyalty_lessons/messages/<language>.toml``) or a plain mapping of
the few texts to change. Left out, a chart reads the English catalogue, so the lessons and
the explorers, which call the charts with their defaults, draw exactly what they always did.

A chart text is plain text (not HTML) with ``{name}`` placeholders; the numbers put into it
are written by :mod:`loyalty_lessons.formatting` for the language (``71 %``, ``0,25``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from babel import Locale

from loyalty_lessons import formatting
from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, elide, entry

__all__ = ["ChartTexts", "chart_texts"]


class ChartTexts:
    """The texts of one kind of chart in one language, and the language's number formats.

    Parameters
    ----------
    section : str
        The catalogue section under ``charts`` ("pareto_revenue", "quality_gap").
    language : str, default "en"
    overrides : mapping, optional
        Texts that replace the catalogue's, by key (e.g. ``{"title": "..."}``).

    Examples
    --------
    >>> t = ChartTexts("quality_gap", "fr")
    >>> t.percent(0.71), t.number(1234.5, 1)
    ('71\\xa0%', '1\\u202f234,5')
    >>> ChartTexts("quality_gap", overrides={"xlabel": "Gap"})("xlabel")
    'Gap'
    """

    def __init__(self, section: str, language: str = DEFAULT_LANGUAGE, overrides: Mapping | None = None):
        self.section = section
        self.language = language
        self._overrides = dict(overrides or {})

    @property
    def identity(self) -> tuple:
        """What tells these texts apart from others (a chart redrawn in place keeps its texts)."""
        return (self.section, self.language, tuple(sorted(self._overrides.items())))

    def __call__(self, key: str, **values) -> str:
        """The text at ``key`` of the section, with ``values`` filled in (extra values ignored)."""
        template = self._overrides.get(key)
        if template is None:
            template = entry(self.language, f"charts.{self.section}.{key}")
        return elide(template.format(**values), self.language)

    def name(self, group: str, code: str) -> str:
        """How the section's table ``group`` names ``code`` (a type, a dimension); the code
        itself when it does not."""
        try:
            return str(self(f"{group}.{code}"))
        except KeyError:
            return code

    def plural(self, key: str, n: float, **values) -> str:
        """The form of the table ``key`` for ``count`` by the language's plural rules (CLDR:
        ``one``, ``few``, ``many``, ``other``): "1 year", "5 years", "5 лет"."""
        form = Locale.parse(self.language).plural_form(abs(n))
        try:
            return self(f"{key}.{form}", **values)
        except KeyError:
            return self(f"{key}.other", **values)

    # ------------------------------------------------------------------ numbers

    def number(self, value: float, decimals: int = 0) -> str:
        """A number with the language's separators: 1,235 or 1 235."""
        return formatting.format_number(value, decimals, locale=self.language)

    def percent(self, share: float, decimals: int = 0) -> str:
        """A share 0-1 as a percentage: 71% or 71 %."""
        return formatting.format_percent_share(share, decimals, locale=self.language)

    def signed(self, value: float, decimals: int = 2) -> str:
        """A number with its sign, as bar labels write it: +0.25, -1.10 (zero with a plus)."""
        return ("-" if value < 0 else "+") + self.number(abs(value), decimals)

    def count(self, number: float) -> str:
        """A count for a title: 12, 4,096, 16.8 million."""
        if abs(number) >= 1e15:
            return f"{number:.1e}"
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(number) >= size:
                words, value = entry(self.language, f"charts.numbers.{word}"), number / size
                if isinstance(words, dict):  # forms by the language's plural rules: 1,5 million, 3,7 millions
                    form = Locale.parse(self.language).plural_form(abs(round(value, 1)))
                    words = words.get(form, words["other"])
                return words.format(number=self.number(value, 1))
        return self.number(number)

    def money(self, amount: float, symbol: str) -> str:
        """An amount for a title with the currency's ``symbol`` where the language puts it:
        $1,500 or 1 500 $, -$20 (the sign first)."""
        pattern = entry(self.language, "charts.numbers.money" if symbol.strip() else "charts.numbers.plain")
        sign = "-" if amount < 0 else ""
        return pattern.format(sign=sign, symbol=symbol, bare=symbol.strip(), amount=self.count(abs(amount)))

    def tick_formatter(self, percent: bool = False):
        """A matplotlib tick formatter writing the axis' numbers (or shares 0-1 as
        percentages) for the language, every tick with the decimals the finest one needs
        (up to 2): 0; 0,5; 1,0 or 0 %; 25 %."""
        from matplotlib.ticker import Formatter, PercentFormatter

        if percent and self.language == DEFAULT_LANGUAGE:
            return PercentFormatter(1.0)
        write, scale = (self.percent, 100) if percent else (self.number, 1)

        class _Ticks(Formatter):
            decimals = 0

            def set_locs(self, locs):
                super().set_locs(locs)
                self.decimals = max(
                    (
                        next((d for d in (0, 1) if abs(round(v * scale, d) - v * scale) < 1e-6), 2)
                        for v in locs
                    ),
                    default=0,
                )

            def __call__(self, x, pos=None):
                text = write(x, self.decimals)
                return "\u2212" + text[1:] if text.startswith("-") else text  # the typographic minus

        return _Ticks()

    def join(self, names: list[str]) -> str:
        """'a', 'a and b', 'a, b and c'."""
        if len(names) <= 1:
            return "".join(names)
        separator = entry(self.language, "format.list_separator")
        return separator.join(names[:-1]) + entry(self.language, "format.list_last") + names[-1]


@cache
def _cached(section: str, language: str) -> ChartTexts:
    return ChartTexts(section, language)


def chart_texts(section: str, language: str = DEFAULT_LANGUAGE, texts: ChartTexts | Mapping | None = None):
    """The :class:`ChartTexts` a chart draws with: ``texts`` when it is one, else the section of
    ``language`` with the mapping ``texts`` (if given) over it.

    Examples
    --------
    >>> chart_texts("quality_gap")("xlabel")
    'Gap: perception − expectation (scale points)'
    """
    if isinstance(texts, ChartTexts):
        return texts
    if texts:
        return ChartTexts(section, language, texts)
    return _cached(section, language)
