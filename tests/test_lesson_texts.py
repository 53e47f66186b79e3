"""Tests of the lessons' sentences in the reader's language (loyalty_lessons.lesson_texts)."""

from __future__ import annotations

import re

import pytest

from loyalty_lessons import ModelFitError
from loyalty_lessons.catalogue import catalogue
from loyalty_lessons.customer_types import service_prescriptions
from loyalty_lessons.lesson_texts import (
    model_refusal,
    prescriptions_table,
    say,
    say_count,
    table_in,
    write_significant,
    write_value,
)

LANGUAGES = ("en", "fr", "it", "ru")


def _keys(node: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, value in node.items():
        name = f"{prefix}.{key}" if prefix else key
        keys += _keys(value, name) if isinstance(value, dict) else [name]
    return keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_lesson_message_reads_in_every_language(language):
    """Each message of ``[lessons]`` comes out of say() with its placeholders filled."""
    for key in _keys(catalogue("en")["lessons"]):
        text = catalogue("en")["lessons"]
        for part in key.split("."):
            text = text[part]
        if isinstance(text, list):
            continue
        names = dict.fromkeys(re.findall(r"\{(\w+)\}", text), 1)
        written = say(key, language, **names)
        assert "{" not in written, key


@pytest.mark.parametrize(
    ("value", "language", "kind", "decimals", "expected"),
    [
        (1234, "fr", None, 2, "1\u202f234"),
        (1234.5, "it", "number", 1, "1.234,5"),
        (0.713, "en", "percent", 0, "71%"),
        (71.2, "ru", "points", 0, "71\xa0%"),
        (-0.456, "en", "signed", 2, "\u22120.46"),
        (True, "fr", None, 2, "oui"),
        ("SERVQUAL", "ru", None, 2, "SERVQUAL"),
    ],
)
def test_values_are_written_for_the_language(value, language, kind, decimals, expected):
    assert write_value(value, language, kind, decimals) == expected


def test_a_sentence_has_its_numbers_written_for_the_language():
    assert say("quality_gap.servqual", unweighted=-0.456, weighted=0.12) == (
        "SERVQUAL score: \u22120.46 unweighted, +0.12 weighted by importance"
    )
    assert say("customer_types.uplift", "it", uplift=8.4, low=1, high=11.2, regular=3, occasional=1000) == (
        "Nel periodo osservato: differenza di spesa dell’8% (intervallo al 95%: dall’1% "
        "all’11%; 3 clienti abituali, 1.000 occasionali)."
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 повторной покупкой"), (3, "3 повторными покупками"), (11, "11 повторными покупками")],
)
def test_a_count_takes_the_plural_form_of_the_language(count, expected):
    assert say_count("explorers.customer_base.repeat_purchases", count, "ru") == expected


def test_significant_digits_follow_python_g_format():
    assert write_significant(0.05512, 2) == "0.055"
    assert write_significant(11565.4, 3, "fr") == "1.16e+04"
    assert write_significant(12.0, 3, "ru") == "12"


def test_a_refused_model_says_why_in_the_language_else_in_its_own_words():
    error = ModelFitError("The Gamma-Gamma model does not fit these data.", "does_not_fit")
    assert model_refusal(error) == "The Gamma-Gamma model does not fit these data."
    assert model_refusal(error, "it") == catalogue("it")["model_reasons"]["does_not_fit"]
    assert model_refusal(ModelFitError("Odd.", "unheard_of"), "fr") == "Odd."


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_the_prescriptions_keep_their_columns_in_every_language(language):
    english, table = service_prescriptions(), prescriptions_table(language)
    assert list(table.columns) == list(english.columns) and len(table) == len(english)
    assert not (table["state_of_mind"] == english["state_of_mind"]).any()
    assert prescriptions_table().equals(english)


# --- the spend model's check ---------------------------------------------------------------

from types import SimpleNamespace  # noqa: E402

from loyalty_lessons.lesson_texts import spend_check_sentence  # noqa: E402


def _spend_model(correlation: float, verdict: str, message: str = "its own English sentence"):
    return SimpleNamespace(
        spend_frequency_correlation=correlation,
        spend_frequency_verdict=verdict,
        spend_frequency_message=message,
    )


def test_the_spend_check_in_english_is_the_models_own_sentence():
    assert spend_check_sentence(_spend_model(0.1, "independent")) == "its own English sentence"


@pytest.mark.parametrize(
    ("correlation", "verdict", "expected"),
    [
        (
            0.12,
            "independent",
            "Ce que les clients qui rachètent dépensent par achat ne dépend presque pas de la fréquence de "
            "leurs achats (corrélation 0,12, dans la marge de ±0,30), comme le suppose le modèle de dépense.",
        ),
        (
            -0.45,
            "correlated",
            "Les clients qui achètent plus souvent dépensent moins par achat (corrélation -0,45, au-delà de "
            "±0,30) : le modèle de dépense suppose les deux indépendants, la dépense et la valeur qu’il "
            "attend sont donc douteuses ; préférez la moyenne propre à chaque client, ramenée vers celle "
            "de l’ensemble.",
        ),
    ],
    ids=["independent", "correlated"],
)
def test_the_spend_check_in_french(correlation, verdict, expected):
    assert spend_check_sentence(_spend_model(correlation, verdict), "fr") == expected


def test_the_spend_check_of_a_fitted_model_matches_its_english_message():
    """The catalogue's English says what the model says."""
    import numpy as np

    from loyalty_lessons.customer_base import simulate_customers
    from loyalty_lessons.spend_model import fit_gamma_gamma

    summary = simulate_customers(
        np.full(3000, 52.0), r=0.25, alpha=4.0, a=0.8, b=2.5, p=6.0, q=4.0, v=15.0, seed=2
    )
    model = fit_gamma_gamma(summary)
    assert model.spend_frequency_verdict == "independent"  # spend drawn apart from frequency
    english = say(
        "customer_base.spend_independent",
        correlation=write_value(model.spend_frequency_correlation, "en", "number", 2),
        limit=write_value(0.3, "en", "number", 2),
    )
    assert spend_check_sentence(model) == model.spend_frequency_message == english
    assert spend_check_sentence(model, "it").startswith("Quanto spendono per acquisto i clienti")


def test_a_table_shows_its_words_in_the_language_and_keeps_its_numbers():
    import pandas as pd

    table = pd.DataFrame(
        {
            "base": ["complaining customers", "all customers"],
            "quadrant": ["fix first", "a team's own word"],
            "band": ["below -1", "0 and above"],
            "reason": ["unparseable date", None],
            "complaints": [678, 678],
        }
    )
    assert table_in(table) is table
    french = table_in(table, "fr")
    assert french["base"].tolist() == ["clients réclamants", "tous les clients"]
    assert french["quadrant"].tolist() == ["à corriger d’abord", "a team's own word"]
    assert french["band"].tolist() == ["moins de −1", "0 ou plus"]
    assert french["reason"].tolist()[0] != "unparseable date"
    assert french["complaints"].tolist() == [678, 678]
    assert table["base"].iloc[0] == "complaining customers"
    assert table_in(table, "ru")["base"].iloc[1] == "все клиенты"


def test_a_count_or_a_crosstab_shows_its_labels_in_the_language():
    import pandas as pd

    types = pd.Series(["loyal", "dissatisfied", "loyal"], name="type")
    behaviours = pd.Series(["impulse", "need-based", "loyal"], name="type")
    crosstab = pd.crosstab(types, behaviours)
    french = table_in(crosstab, "fr")
    assert french.index.tolist() == ["mécontent", "fidèle"]
    assert french.columns.tolist() == ["impulsif", "fidèle", "acheteur de besoin"]
    assert french.to_numpy().tolist() == crosstab.to_numpy().tolist()
    counts = table_in(behaviours.value_counts(sort=False), "fr")
    assert counts.index.tolist() == ["impulsif", "acheteur de besoin", "fidèle"]
    assert counts.tolist() == [1, 1, 1]
    assert table_in(crosstab) is crosstab


def test_the_signals_verdicts_are_said_in_the_language():
    import pandas as pd

    signals = pd.DataFrame(
        {"signal": ["new_customers", "spend_per_order"], "verdict": ["within noise", "improving"]}
    )
    shown = table_in(signals, "fr")
    assert shown["verdict"].tolist() == ["dans la variation normale", "en amélioration"]
    assert shown["signal"].tolist() == ["new_customers", "spend_per_order"]  # codes stay
    assert table_in(signals, "en") is signals
