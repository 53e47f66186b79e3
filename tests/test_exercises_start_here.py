"""The exercises of lesson 00: each solution passes its check, and wrong answers fail."""

import pandas as pd
import pytest

from loyalty_lessons.data import load_transactions
from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.start_here import q1, q2
from loyalty_lessons.inputs import load_inputs

MESSY = pd.DataFrame(
    {
        "N° carte": ["A-1", "A-2", "", "A-3", "A-1"],
        "Date": ["03/01/2025", "04/01/2025", "05/01/2025", "hier", "07/01/2025"],
        "Montant TTC": ["12,50 €", "8,90", "7,20", "5,00", "-8,90"],
    }
)


@pytest.fixture(scope="module")
def namespace():
    tx, report = load_transactions(
        MESSY, columns={"customer_id": "N° carte"}, date_format="%d/%m/%Y", max_rejected_share=1.0
    )
    return {"inputs": load_inputs(survey=None, complaints=None), "tx": tx, "report": report}


def test_the_hand_made_export_sets_two_rows_aside(namespace):
    assert q1.expected(namespace) == 2


@pytest.mark.parametrize("exercise", [q1, q2], ids=["q1", "q2"])
def test_the_solution_passes(exercise, namespace):
    feedback = exercise.solve(namespace)
    assert feedback, feedback.message
    assert feedback.message.startswith("Correct!")


@pytest.mark.parametrize(
    "exercise, wrong",
    [(q1, 3), (q1, 0), (q2, 2999), (q2, "3000")],
    ids=["q1-rows-kept", "q1-none", "q2-off-by-one", "q2-text"],
)
def test_a_wrong_answer_fails(exercise, wrong, namespace):
    assert not exercise.check({**namespace, exercise.variable: wrong})


@pytest.mark.parametrize("exercise", [q1, q2], ids=["q1", "q2"])
def test_the_placeholder_is_not_an_answer(exercise, namespace):
    feedback = exercise.check({**namespace, exercise.variable: ____})
    assert not feedback and feedback.message.startswith("Not answered yet")


def test_q2_follows_the_data(namespace):
    assert q2.expected(namespace) == namespace["inputs"].transactions["customer_id"].nunique()
