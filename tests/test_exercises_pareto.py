"""The exercises of lesson 03: each solution passes its check, and wrong answers fail."""

import math

import pytest

import loyalty_lessons as ll
from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.pareto import q1, q2, q3
from loyalty_lessons.inputs import load_inputs


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(survey=None)


def _namespace(inputs):
    return {"inputs": inputs, "complaints_inputs": inputs, "ll": ll}


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_the_solution_passes(exercise, inputs):
    feedback = exercise.solve(_namespace(inputs))
    assert feedback, feedback.message
    assert feedback.message.startswith("Correct!")


@pytest.mark.parametrize(
    "exercise, wrong",
    [(q1, 0.8), (q1, 0.2), (q2, 0.0), (q3, 0.8), (q3, 1.0)],
    ids=["q1-rule-of-thumb", "q1-fraction", "q2-equal", "q3-rule-of-thumb", "q3-all-customers"],
)
def test_a_wrong_answer_fails(exercise, wrong, inputs):
    ns = {**_namespace(inputs), exercise.variable: wrong}
    assert not exercise.check(ns)


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_the_placeholder_is_not_an_answer(exercise, inputs):
    feedback = exercise.check({**_namespace(inputs), exercise.variable: ____})
    assert not feedback and feedback.message.startswith("Not answered yet")


def test_expected_values_follow_the_data(inputs):
    ns = _namespace(inputs)
    revenue = sorted(inputs.summary["revenue"].clip(lower=0), reverse=True)
    top = math.ceil(0.2 * len(revenue))
    assert q1.expected(ns) == pytest.approx(sum(revenue[:top]) / sum(revenue))
    assert 0 < q2.expected(ns) < 1
    counts = inputs.complaints["customer_id"].value_counts()
    top_complaints = counts.head(math.ceil(0.2 * len(counts))).sum()
    assert q3.expected(ns) == pytest.approx(top_complaints / len(inputs.complaints))
