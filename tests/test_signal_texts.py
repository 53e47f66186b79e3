"""Tests of the loyalty signals' sentences in the lessons' languages."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty_lessons.signal_texts import signal_sentences


def _signals() -> pd.DataFrame:
    judged = {
        "signal": "spend_per_order", "metric": "spend_per_order", "before": 35.57, "after": 40.41,
        "band": 2.65, "verdict": "improving", "before_periods": ["2025-07", "2025-09"],
        "after_periods": ["2025-10", "2025-12"], "reason_code": None, "reason_values": None,
        "message": "Spend per order went from 35.57 …",
    }  # fmt: skip
    noise = {
        **judged, "signal": "early_defection", "metric": "early_defection_rate", "before": 0.17,
        "after": 0.19, "band": 0.09, "verdict": "within noise", "message": "Share …",
    }  # fmt: skip
    closed = {
        **judged, "signal": "new_customers", "metric": "new_customers", "verdict": "not applicable",
        "reason_code": "too_short", "reason_values": {"usable": 2, "needed": 6}, "message": "New …",
    }  # fmt: skip
    return pd.DataFrame([judged, noise, closed])


def test_english_is_the_signals_own_message():
    assert signal_sentences(_signals()) == list(_signals()["message"])


def test_a_judged_signal_reads_in_the_language():
    sentences = signal_sentences(_signals(), "fr")
    assert sentences[0] == (
        "Dépense par commande : de 35,57 (2025-07 à 2025-09) à 40,41 (2025-10 à 2025-12), "
        "au-delà de la variation normale (± 2,65) : en amélioration."
    )
    assert sentences[1].endswith("dans la variation normale (± 9 points).")


@pytest.mark.parametrize(("period", "word"), [("W", "semaine"), ("Q", "trimestre")])
def test_a_signal_not_judged_says_why_with_its_period(period, word):
    sentence = signal_sentences(_signals(), "fr", period=period)[2]
    assert sentence.startswith(f"Nouveaux clients par {word} : non applicable")
    assert "il en faut 6" in sentence
