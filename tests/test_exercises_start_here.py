"""The exercises of lesson 00 on a hand-built export and hand-built transactions."""

import pandas as pd
import pytest

from loyalty_lessons.data import load_transactions
from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.start_here import q1, q2, q3, q4, q5, questions

MESSY = pd.DataFrame(
    {
        "N° carte": ["A-1", "A-2", "", "A-3", "A-1", "A-1", "A-2", "A-2"],
        "Date": ["03/01/2025", "04/01/2025", "05/01/2025", "hier", "07/01/2025", "07/01/2025", "08/01/2025"]
        + ["09/01/2025"],
        "Montant TTC": ["12,50 €", "8,90", "7,20", "5,00", "4,00", "4,00", "-8,90", "-1,00"],
    }
)
TX = pd.DataFrame(
    {
        "customer_id": ["A", "A", "B", "B", "C", "C"],
        "date": pd.to_datetime(
            ["2024-05-01", "2025-01-10", "2025-02-01", "2025-03-01", "2025-04-01", "2025-04-02"]
        ),
        "amount": [100.0, 40.0, 30.0, -10.0, 20.0, 20.0],
        "channel": ["online", "online", "shop", "online", "shop", "shop"],
    }
)


class Inputs:
    """The two tables of ``inputs`` the questions read."""

    transactions = TX
    summary = pd.DataFrame({"customer_id": ["A", "B", "C"], "revenue": [140.0, 20.0, 40.0]})


@pytest.fixture(scope="module")
def namespace():
    tx, report = load_transactions(
        MESSY, columns={"customer_id": "N° carte"}, date_format="%d/%m/%Y", max_rejected_share=1.0
    )
    return {"inputs": Inputs(), "tx": tx, "report": report}


def test_expected_answers_by_hand(namespace):
    assert q1.expected(namespace) == 2  # the missing card number and "hier"
    assert q2.expected(namespace) == 2  # A and B bought online (B only a refund)
    assert q3.expected(namespace) == pytest.approx(100.0)  # 40 + 30 - 10 + 20 + 20
    assert q4.expected(namespace) == pytest.approx(200.0 / 3)
    assert q5.expected(namespace) == "b"


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_the_solution_passes(exercise, namespace):
    feedback = exercise.solve(namespace)
    assert feedback and feedback.message.startswith("Correct!"), feedback.message


@pytest.mark.parametrize(
    "exercise, wrong, words",
    [
        (q1, 6, "rows kept"),
        (q1, 3, "duplicate rows"),
        (q1, 4, "added the refunds"),
        (q2, 3, "online rows"),
        (q3, 110.0, "left the refunds out"),
        (q3, 120.0, "counted the refunds as purchases"),
        (q3, 200.0, "all the years"),
        (q4, 200.0 / 6, "per row"),
        (q5, "d", "delete every row"),
    ],
    ids=[
        "q1-kept",
        "q1-duplicates",
        "q1-refunds",
        "q2-rows",
        "q3-no-refunds",
        "q3-abs",
        "q3-years",
        "q4-rows",
        "q5-d",
    ],
)
def test_a_mistake_is_named(exercise, wrong, words, namespace):
    feedback = exercise.check({**namespace, exercise.variable: wrong})
    assert not feedback and words in feedback.message, feedback.message


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_the_placeholder_is_not_an_answer(exercise, namespace):
    feedback = exercise.check({**namespace, exercise.variable: ____})
    assert not feedback and feedback.message.startswith("Not answered yet")


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_language_answers_in_its_own_words(language, namespace, answered_in_language):
    answered_in_language(questions(language), [q1, q2, q3, q4, q5], namespace, language)
