"""The exercises of lesson 04: each solution passes its check, and wrong answers fail."""

import pytest

from loyalty_lessons.customer_types import classify_customers, type_profile
from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.loyalty_value import q1, q2, q3
from loyalty_lessons.inputs import load_inputs
from loyalty_lessons.loyalty_value import BusinessFigures, business_figures
from loyalty_lessons.retention import annual_retention


@pytest.fixture(scope="module")
def namespace():
    inputs = load_inputs(survey=None, complaints=None)
    types = classify_customers(inputs.summary, transactions=inputs.transactions)
    profile = type_profile(types, inputs.summary)
    retention = annual_retention(inputs.transactions)
    figures = business_figures(inputs.summary, profile, retention)
    return {
        "inputs": inputs,
        "profile": profile,
        "retention": retention,
        "figures": figures,
        "margin": 0.4,
        "discount_rate": 0.1,
    }


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_the_solution_passes(exercise, namespace):
    feedback = exercise.solve(namespace)
    assert feedback, feedback.message
    assert feedback.message.startswith("Correct!")


@pytest.mark.parametrize(
    "exercise, wrong",
    [(q1, 1500.0), (q2, 5.0), (q3, 0.0)],
    ids=["q1-seed-figure", "q2-seed-figure", "q3-nothing"],
)
def test_a_wrong_answer_fails(exercise, wrong, namespace):
    assert not exercise.check({**namespace, exercise.variable: wrong})


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_the_placeholder_is_not_an_answer(exercise, namespace):
    feedback = exercise.check({**namespace, exercise.variable: ____})
    assert not feedback and feedback.message.startswith("Not answered yet")


def test_expected_values_on_the_seed_figures():
    figures = BusinessFigures(
        100,
        80,
        monthly_spend=25.0,
        monthly_spend_satisfied=50.0,
        monthly_spend_loyal=75.0,
        yearly_retention=0.8,
    )
    ns = {"figures": figures, "margin": 1.0, "discount_rate": 0.1}
    assert q1.expected(ns) == 1500.0  # [fr-loyalty-value]
    assert q2.expected(ns) == pytest.approx(5.0)  # 20% defection ([it-loyalty-steps])
    # margin at the start of each year: 300 * 1.1 / 0.25 - 300 * 1.1 / 0.3 = 1320 - 1100
    assert q3.expected(ns) == pytest.approx(220.0)
