"""Tests of the scorecard's words in the lessons' languages."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty_lessons.scorecard import discussion_guide, fill_scorecard, score_summary, scorecard_template
from loyalty_lessons.scorecard_texts import scorecard_in


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_practice_reads_in_the_language(language):
    english = scorecard_template()
    table = scorecard_in(english, language)
    assert list(table.columns) == list(english.columns) and len(table) == len(english)
    for column in ("group", "practice", "description"):
        assert not (table[column] == english[column]).any(), column
    pd.testing.assert_series_equal(table["practice_id"], english["practice_id"])


def test_the_guide_and_the_summary_are_translated_and_english_is_left_alone():
    card = fill_scorecard({"welcome_complaints": 1, "stable_terms": 2})
    guide = scorecard_in(discussion_guide(card, n=2), "fr")
    assert guide["practice"].tolist() == [
        "Bien accueillir les réclamations",
        "Garder conditions et prix stables",
    ]
    assert guide["why_it_matters"].iloc[0].startswith("Derrière chaque réclamation")
    assert scorecard_in(score_summary(card), "it")["weakest_practice"].iloc[0] == "Accogliere bene i reclami"
    assert scorecard_in(card) is card


def test_a_teams_own_text_is_kept():
    table = pd.DataFrame({"practice": ["Our own practice"], "group": ["Ours"]})
    assert scorecard_in(table, "ru").equals(table)
