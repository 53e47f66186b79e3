"""The scorecard's words in the reader's language.

The practices of :data:`~loyalty_lessons.scorecard.PRACTICES` (their groups, names,
descriptions and the facts that make them urgent) are written in English in the module,
which saves and reads scorecards by them. :func:`scorecard_in` shows a scorecard, or a table
made from one (:func:`~loyalty_lessons.scorecard.scorecard_template`,
:func:`~loyalty_lessons.scorecard.discussion_guide`,
:func:`~loyalty_lessons.scorecard.score_summary`), in a lesson's language, from the
catalogue (``[lessons.scorecard]`` and ``[lessons.explorers.scorecard]``).
"""

from __future__ import annotations

import pandas as pd

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.scorecard import GENERAL_FACT, PRACTICES

__all__ = ["scorecard_in"]


def _words(language: str) -> dict[str, dict[str, str]]:
    """Column -> English text -> the text in ``language``."""
    names = {
        p["practice"]: entry(language, f"lessons.explorers.scorecard.practices.{p['id']}") for p in PRACTICES
    }
    facts = {GENERAL_FACT["fact"]: entry(language, "lessons.scorecard.facts.general")}
    facts |= {
        p["fact"]: entry(language, f"lessons.scorecard.facts.{p['id']}") for p in PRACTICES if p.get("fact")
    }
    groups = "lessons.explorers.scorecard.groups"
    return {
        "practice": names,
        "weakest_practice": names,
        "description": {
            p["description"]: entry(language, f"lessons.scorecard.descriptions.{p['id']}") for p in PRACTICES
        },
        "why_it_matters": facts,
        "group": dict(zip(entry(DEFAULT_LANGUAGE, groups), entry(language, groups), strict=True)),
    }


def scorecard_in(table: pd.DataFrame, language: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """``table`` with the practices' groups, names, descriptions and facts in ``language``.

    Parameters
    ----------
    table : pandas.DataFrame
        A scorecard or a table made from one; its columns ``group``, ``practice``,
        ``weakest_practice``, ``description`` and ``why_it_matters`` are translated where
        present, a text the catalogue does not know (a team's own practice) is kept.
    language : str, default "en"
        In English, ``table`` itself.

    Returns
    -------
    pandas.DataFrame
        A new table, the same columns and rows.

    Examples
    --------
    >>> from loyalty_lessons.scorecard import scorecard_template
    >>> scorecard_in(scorecard_template(), "it")["practice"].iloc[0]
    'Assumere le persone giuste'
    """
    if language == DEFAULT_LANGUAGE:
        return table
    out = table.copy()
    for column, words in _words(language).items():
        if column in out.columns:
            out[column] = [
                words.get(value, value) if isinstance(value, str) else value for value in out[column]
            ]
    return out
