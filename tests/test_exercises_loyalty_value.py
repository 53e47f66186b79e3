"""The exercises of lesson 04: each solution passes, and each listed mistake gets its own message."""

import math

import pandas as pd
import pytest

import loyalty_lessons as ll
from loyalty_lessons.customer_types import classify_customers, type_profile
from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.loyalty_value import q1, q2, q3, q4, q5, questions
from loyalty_lessons.inputs import load_inputs
from loyalty_lessons.loyalty_value.business_figures import business_figures
from loyalty_lessons.retention import annual_retention, retention_coverage

EXERCISES = [q1, q2, q3, q4, q5]
IDS = ["q1", "q2", "q3", "q4", "q5"]
NUMBERS = [q1, q2, q3]
MISTAKES = [(q, i) for q in NUMBERS for i in range(len(q.mistakes))]
MISTAKE_IDS = [f"{IDS[EXERCISES.index(q)]}-mistake-{i}" for q, i in MISTAKES]


@pytest.fixture(scope="module")
def ns():
    inputs = load_inputs(survey=None, complaints=None)
    types = classify_customers(inputs.summary, transactions=inputs.transactions)
    profile = type_profile(types, inputs.summary)
    retention = retention_coverage(
        annual_retention(inputs.transactions),
        first_date=inputs.transactions["date"].min(),
        observation_end=inputs.observation_end,
    )
    figures = business_figures(inputs.summary, profile, retention)
    return {"ll": ll, "inputs": inputs, "figures": figures, "margin": 0.4, "discount_rate": 0.1}


def _check(exercise, ns, answer):
    return exercise.check({**ns, exercise.variable: answer})


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_solution_passes(exercise, ns):
    feedback = exercise.solve(ns)
    assert feedback and feedback.message.startswith("Correct!"), feedback.message


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_placeholder_is_not_an_answer(exercise, ns):
    feedback = _check(exercise, ns, ____)
    assert not feedback and feedback.message.startswith("Not answered yet")


def test_expected_values_follow_the_data(ns):
    f = ns["figures"]
    assert q1.expected(ns) == pytest.approx((f.monthly_spend_loyal - f.monthly_spend_satisfied) * 36)
    assert q2.expected(ns) == pytest.approx(f.active_customers * f.yearly_retention**3)
    m, r = 12 * f.monthly_spend_loyal * 0.4, f.yearly_retention
    assert q3.expected(ns) == pytest.approx(m * 1.1 / (1.1 - r))
    # On the sample business ten points of margin add more than five points of retention.
    assert q4.expected(ns) == "a"


@pytest.mark.parametrize("exercise, index", MISTAKES, ids=MISTAKE_IDS)
def test_each_mistake_is_visible_in_the_data_and_gets_its_own_message(exercise, index, ns):
    mistake = exercise.mistakes[index]
    value = mistake.answer(ns)
    # The sample data make the mistake visible: its value is outside the tolerance.
    assert not exercise.compare(value, exercise.expected(ns))
    feedback = _check(exercise, ns, value)
    assert not feedback and feedback.message.startswith(f"Not quite: {mistake.message}"), feedback.message


@pytest.mark.parametrize("exercise", [q4, q5], ids=["q4", "q5"])
def test_each_option_of_a_choice_question_has_its_own_explanation(exercise, ns):
    messages = {option: _check(exercise, ns, option).message for option in exercise.choices}
    right = exercise.expected(ns)
    assert messages[right].startswith("Correct!")
    assert all(m.startswith("Not quite:") for o, m in messages.items() if o != right)
    assert len(set(messages.values())) == len(messages)


@pytest.mark.parametrize(
    "answer, words",
    [
        ("many", "the text 'many'"),
        (None, "is None"),
        (float("nan"), "NaN"),
        (pd.Series([1.0, 2.0]), "holds 2 values"),
        (pd.DataFrame({"a": [1, 2]}), "holds 2 values"),
    ],
    ids=["text", "none", "nan", "series", "frame"],
)
@pytest.mark.parametrize("exercise", NUMBERS, ids=IDS[:3])
def test_any_answer_to_a_number_question_is_answered_in_words(exercise, answer, words, ns):
    feedback = _check(exercise, ns, answer)
    assert not feedback and words in feedback.message


def test_a_choice_is_read_whatever_its_case_and_spaces(ns):
    assert _check(q5, ns, " B ") and not _check(q5, ns, "d")


# Any value at all gets an answer in words: tests/test_exercise_notebooks.py checks it for
# every question of the package, with and without the notebook's data.


def test_the_questions_give_no_answer_away(ns):
    for exercise in NUMBERS:
        expected = exercise.expected(ns)
        shown = [f"{expected:.2f}", f"{expected:,.0f}", f"{math.floor(expected)}"]
        assert not any(text in exercise.question for text in shown), exercise.variable


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_language_answers_in_its_own_words(language, ns, answered_in_language):
    answered_in_language(questions(language), EXERCISES, ns, language)
