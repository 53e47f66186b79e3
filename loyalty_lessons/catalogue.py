"""The message catalogues: every word a person reads, one TOML file per language.

``loyalty_lessons/messages/<language>.toml`` holds the texts of a language under dotted keys
(``headings.pareto``, ``charts.pareto_revenue.title``); ``en.toml`` is the reference, and a
key left out of another language falls back to it. The report's texts
(:class:`~loyalty_lessons.report.text.Messages`) and the charts' texts
(:class:`~loyalty_lessons.plots.texts.ChartTexts`) are both read from here, so that adding a
language means adding one file (see ``docs/translations.md``). Nothing is read at import.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files

__all__ = ["DEFAULT_LANGUAGE", "ELISIONS", "available_languages", "catalogue", "elide", "entry"]

#: The reference language: every other catalogue has its keys.
DEFAULT_LANGUAGE = "en"


#: Articles a language elides before a number read with a vowel, which a catalogue cannot
#: know when it writes the article: Italian "il 84%" is "l’84%" (ottantaquattro), as are
#: 8, 80, 800, 1 (uno) and 11 (undici); "il 18%" stays, and so does "il 1° marzo" (primo).
#: Per language: the articles and what each becomes, and the numbers (a pattern of their
#: start) that elide them.
ELISIONS: dict[str, tuple[dict[str, str], str]] = {
    "it": (
        {"il": "l’", "Il": "L’", "al": "all’", "dal": "dall’", "del": "dell’", "nel": "nell’"},
        r"8|11(?![\d.°])|1(?![\d.°])",
    ),
}


def elide(text: str, language: str) -> str:
    """``text`` with the articles ``language`` elides before numbers elided.

    Examples
    --------
    >>> elide("il 84% dei clienti, dal 1% al 80%, il 18%, Il 8%, il 100%", "it")
    'l’84% dei clienti, dall’1% all’80%, il 18%, L’8%, il 100%'
    >>> elide("il 1° marzo", "it")
    'il 1° marzo'
    """
    if language not in ELISIONS:
        return text
    articles, numbers = ELISIONS[language]
    pattern = rf"\b({'|'.join(articles)}) (?=(?:{numbers}))"
    return re.sub(pattern, lambda match: articles[match[1]], text)


def _folder():
    return files("loyalty_lessons") / "messages"


def available_languages() -> list[str]:
    """Languages with a catalogue, e.g. ``['en', 'fr', 'it', 'ru']``.

    Examples
    --------
    >>> "en" in available_languages()
    True
    """
    return sorted(p.name.removesuffix(".toml") for p in _folder().iterdir() if p.name.endswith(".toml"))


@cache
def catalogue(language: str) -> dict:
    """The whole catalogue of ``language``, as TOML reads it (tables of texts and lists).

    Raises
    ------
    FileNotFoundError
        If there is no catalogue for ``language``.
    """
    with (_folder() / f"{language}.toml").open("rb") as f:
        return tomllib.load(f)


def _find(node, key: str):
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node


def entry(language: str, key: str):
    """The entry at a dotted ``key`` in ``language``'s catalogue, else in the English one.

    Raises
    ------
    KeyError
        If neither catalogue has it.

    Examples
    --------
    >>> entry("en", "headings.pareto")
    'The 80/20 rule'
    """
    for lang in dict.fromkeys((language, DEFAULT_LANGUAGE)):
        try:
            return _find(catalogue(lang), key)
        except KeyError:
            continue
    raise KeyError(f"The message catalogue has no entry {key!r} (language {language!r}).")
