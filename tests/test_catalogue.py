"""Tests of the message catalogues' loader and the Italian elision."""

from __future__ import annotations

import pytest

from loyalty_lessons.catalogue import available_languages, elide, entry


def test_an_entry_is_read_in_its_language_else_in_english():
    assert entry("fr", "headings.quality_gap") == "L’écart de qualité"
    assert entry("ru", "headings.quality_gap") == "Разрыв качества"
    assert entry("it", "headings.quality_gap") == "Il divario di qualità"
    with pytest.raises(KeyError, match="no entry 'headings.nowhere'"):
        entry("fr", "headings.nowhere")


def test_every_language_has_a_catalogue():
    assert available_languages() == ["en", "fr", "it", "ru"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il 84% dei clienti", "L’84% dei clienti"),
        ("il 18% e il 100%", "il 18% e il 100%"),
        ("dal 1% al 80%", "dall’1% all’80%"),
        ("nel 11,5% del 8%", "nell’11,5% dell’8%"),
        ("il 1.234 clienti", "il 1.234 clienti"),
        ("profilo 8", "profilo 8"),
        ("il 1° marzo", "il 1° marzo"),
    ],
)
def test_italian_elides_its_article_before_a_number_read_with_a_vowel(text, expected):
    assert elide(text, "it") == expected
    assert elide(text, "fr") == text


@pytest.mark.parametrize("language", ["en", "fr", "it", "ru"])
@pytest.mark.parametrize("verdict", ["improving", "worsening", "within noise", "not applicable"])
def test_every_verdict_a_signal_can_take_has_its_words_wherever_a_verdict_is_written(language, verdict):
    # The sentences of the report and of the lessons read the first table, the monitoring charts the second.
    code = verdict.replace(" ", "_")
    for table in ("verdicts", "charts.monitoring.verdicts"):
        assert entry(language, f"{table}.{code}")
