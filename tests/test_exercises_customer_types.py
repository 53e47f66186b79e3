"""The exercises of lesson 02 on a hand-built business of five customers."""

import pandas as pd
import pytest

import loyalty_lessons as ll
from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.customer_types import q1, q2, q3, q4, q5, questions

END = pd.Timestamp("2025-12-31")
MONTHLY = [f"2025-{m:02d}-20" for m in range(1, 13)]
ROWS = (
    [("A", d, 50.0, m in (1, 2)) for m, d in enumerate(MONTHLY)]  # a regular, twice on promotion
    + [("F", d, 20.0, False) for d in MONTHLY]  # a regular
    + [("B", "2025-03-01", 30.0, False), ("B", "2025-10-02", 30.0, False)]  # exactly 90 days
    + [("C", "2025-01-10", 80.0, True), ("C", "2025-05-01", 10.0, False)]  # lapsed
    + [("D", "2025-08-15", 40.0, False)]  # 138 days
    + [("E", "2025-12-01", 15.0, True)]
)
TX = pd.DataFrame(ROWS, columns=["customer_id", "date", "amount", "promotion"]).assign(
    date=lambda t: pd.to_datetime(t["date"])
)


class Inputs:
    transactions = TX
    summary = ll.customer_summary(TX, observation_end=END)
    observation_end = END
    complaints = pd.DataFrame(
        {"customer_id": ["C", "C", "D"], "date": pd.to_datetime(["2025-02-01", "2025-03-01", "2025-08-01"])}
    )


@pytest.fixture(scope="module")
def ns():
    inputs = Inputs()
    types = ll.classify_customers(inputs.summary, transactions=TX, observation_end=END)
    return {"ll": ll, "inputs": inputs, "complaints_inputs": inputs, "types": types, "complaint_types": types}


def test_expected_answers_by_hand(ns):
    assert dict(zip(ns["types"]["customer_id"], ns["types"]["type"].astype(str)))["C"] == "dissatisfied"
    assert q1.expected(ns) == 2  # C and D; B is at exactly 90 days
    assert q2.expected(ns) == pytest.approx(1 / 6)  # A, of six customers
    assert q3.expected(ns) == pytest.approx((600.0 + 240.0) / 2)  # A and F
    assert q4.expected(ns) == pytest.approx(0.5)  # C has lapsed, D has not
    assert q5.expected(ns) == "c"


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_the_solution_passes(exercise, ns):
    feedback = exercise.solve(ns)
    assert feedback and feedback.message.startswith("Correct!"), feedback.message


@pytest.mark.parametrize(
    "exercise, wrong, words",
    [
        (q1, 3, "at exactly 90 days"),
        (q1, 1, "default threshold of 180 days"),
        (q2, 0.5, "at least once"),
        (q2, 1, "the number of customers"),
        (q3, 0.0, "not the answer"),
        (q4, 2 / 3, "share of complaints"),
        (q5, "b", "46%"),
    ],
    ids=["q1-tie", "q1-default", "q2-once", "q2-count", "q3-other", "q4-complaints", "q5-b"],
)
def test_a_mistake_is_named(exercise, wrong, words, ns):
    feedback = exercise.check({**ns, exercise.variable: wrong})
    assert not feedback and words in feedback.message, feedback.message


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_the_placeholder_is_not_an_answer(exercise, ns):
    feedback = exercise.check({**ns, exercise.variable: ____})
    assert not feedback and feedback.message.startswith("Not answered yet")


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_language_answers_in_its_own_words(language, ns, answered_in_language):
    answered_in_language(questions(language), [q1, q2, q3, q4, q5], ns, language)
