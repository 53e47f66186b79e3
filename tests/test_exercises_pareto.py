"""The exercises of lesson 03 on a hand-built business of ten customers."""

import pandas as pd
import pytest

import loyalty_lessons as ll
from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.pareto import q1, q2, q3, q4, q5, questions

# Ten customers; "J" has a net refund (-5). Revenue in 2025 for A-D only; E-J bought in 2024.
REVENUE_2024 = {"A": 0, "B": 0, "C": 0, "D": 0, "E": 50, "F": 40, "G": 30, "H": 20, "I": 10, "J": -5}
REVENUE_2025 = {"A": 400, "B": 100, "C": 60, "D": 40}
TX = pd.DataFrame(
    [(c, "2024-06-01", float(v)) for c, v in REVENUE_2024.items() if v]
    + [(c, "2025-06-01", float(v)) for c, v in REVENUE_2025.items()],
    columns=["customer_id", "date", "amount"],
).assign(date=lambda t: pd.to_datetime(t["date"]))
# Seven complainers: 15% of 7 is 1.05, so the top 15% is 2 customers (1 if rounded down).
COMPLAINTS = pd.DataFrame({"customer_id": list("AAAABBCDEFG")})


class Inputs:
    transactions = TX
    summary = ll.customer_summary(TX)
    complaints = COMPLAINTS


NS = {"ll": ll, "inputs": Inputs(), "complaints_inputs": Inputs()}


def test_expected_answers_by_hand():
    assert q1.expected(NS) == pytest.approx(400 / 750)  # the top customer of ten; J counts 0
    assert q2.expected(NS) == 2
    assert q3.expected(NS) == pytest.approx(ll.gini([400, 100, 60, 40]))
    assert (q4.expected(NS), q5.expected(NS)) == ("b", "c")


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_the_solution_passes(exercise):
    feedback = exercise.solve(NS)
    assert feedback and feedback.message.startswith("Correct!"), feedback.message


@pytest.mark.parametrize(
    "exercise, wrong, words",
    [
        (q1, (400 + 100) / 750, "top 20%"),
        (q2, 1, "rounded down"),
        (q2, 6, "the number of complaints"),
        (q3, ll.gini([400, 100, 60, 40, 0, 0, 0, 0, 0, 0]), "did not buy in 2025"),
        (q4, "a", "fewer than a fifth"),
        (q5, "D", "complaining pays"),
    ],
    ids=["q1-top20", "q2-down", "q2-complaints", "q3-zeros", "q4-a", "q5-d"],
)
def test_a_mistake_is_named(exercise, wrong, words):
    feedback = exercise.check({**NS, exercise.variable: wrong})
    assert not feedback and words in feedback.message, feedback.message


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_the_placeholder_is_not_an_answer(exercise):
    feedback = exercise.check({**NS, exercise.variable: ____})
    assert not feedback and feedback.message.startswith("Not answered yet")


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_language_answers_in_its_own_words(language, answered_in_language):
    answered_in_language(questions(language), [q1, q2, q3, q4, q5], NS, language)
