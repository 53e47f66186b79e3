"""The exercises of lesson 07: each solution passes, and each listed mistake gets its own message."""

import numpy as np
import pandas as pd
import pytest

import loyalty_lessons as ll
from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.customer_base import Q2_HISTORY, q1, q2, q3, q4, q5, questions
from loyalty_lessons.inputs import load_inputs

EXERCISES = [q1, q2, q3, q4, q5]
IDS = ["q1", "q2", "q3", "q4", "q5"]


@pytest.fixture(scope="module")
def ns():
    inputs = load_inputs(survey=None, complaints=None)
    model = ll.fit_bg_nbd(inputs.summary)
    return {
        "inputs": inputs,
        "model": model,
        "check": ll.model_check(inputs.transactions, holdout_end=inputs.observation_end),
        "predictions": ll.customer_predictions(inputs.summary, model),
        "ll": ll,
    }


def _check(exercise, ns, answer):
    return exercise.check({**ns, exercise.variable: answer})


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_solution_passes(exercise, ns):
    feedback = exercise.solve(ns)
    assert feedback, feedback.message
    assert feedback.message.startswith("Correct!")


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_placeholder_is_not_an_answer(exercise, ns):
    feedback = _check(exercise, ns, ____)
    assert not feedback and feedback.message.startswith("Not answered yet")


def test_expected_values_follow_the_data(ns):
    summary, model = ns["inputs"].summary, ns["model"]
    assert q1.expected(ns) == summary["frequency"].sum()
    assert q2.expected(ns) == pytest.approx(float(model.probability_alive(5, 30, 52)))
    silent_repeat = (summary["days_since_last"] > 180) & (summary["frequency"] > 0)
    assert q3.expected(ns) == pytest.approx(ns["predictions"].loc[silent_repeat, "p_alive"].sum())
    assert 0 < q3.expected(ns) < silent_repeat.sum()
    # On the sample business the weekly buyer is probably gone, and the check is "fair" at 5%.
    assert float(model.probability_alive(50, 52, 62)) < 0.5 and q4.expected(ns) == "b"
    assert 0.05 < abs(ns["check"].relative_error) <= 0.10 and q5.expected(ns) == "b"


def _mistakes(ns):
    summary, model, p = ns["inputs"].summary, ns["model"], ns["predictions"]["p_alive"]
    x, last, T = (
        Q2_HISTORY["purchases"] - 1,
        Q2_HISTORY["last_purchase_week"],
        Q2_HISTORY["weeks_as_customer"],
    )
    silent = summary["days_since_last"] > 180
    repeat = summary["frequency"] > 0
    return {
        "q1-first-purchase-counted": (
            q1,
            summary["frequency"].sum() + len(summary),
            "first purchase as a repeat",
        ),
        "q1-orders": (q1, summary["orders"].sum(), "`orders` counts every order"),
        "q1-repeat-buyers": (q1, int(repeat.sum()), "number of customers who came back"),
        "q2-first-purchase-counted": (
            q2,
            float(model.probability_alive(x + 1, last, T)),
            "counted the first",
        ),
        "q2-days": (q2, float(model.probability_alive(x, 7 * last, 7 * T)), "you gave the model days"),
        "q2-time-since-last": (q2, float(model.probability_alive(x, T - last, T)), "not the time since"),
        "q2-percent": (q2, 100 * float(model.probability_alive(x, last, T)), "that is a percentage"),
        "q3-one-time-buyers": (q3, p[silent].sum(), "you included the one-time buyers"),
        "q3-counted-above-half": (q3, int((p[silent & repeat] > 0.5).sum()), "sum of their probabilities"),
        "q3-all-active": (q3, int((silent & repeat).sum()), "weigh each by their probability"),
        "q4-wait": (q4, "a", "The 180-day rule would notice sixteen weeks too late"),
        "q4-strike-off": (q4, "c", "a probability, not a verdict"),
        "q5-good": (q5, "a", "'good' needs the total within ±5%"),
        "q5-poor": (q5, "c", "'poor' means more than ±10% off"),
        "q5-too-short": (q5, "d", "at least 30 repeat purchases"),
    }


MISTAKES = [
    "q1-first-purchase-counted",
    "q1-orders",
    "q1-repeat-buyers",
    "q2-first-purchase-counted",
    "q2-days",
    "q2-time-since-last",
    "q2-percent",
    "q3-one-time-buyers",
    "q3-counted-above-half",
    "q3-all-active",
    "q4-wait",
    "q4-strike-off",
    "q5-good",
    "q5-poor",
    "q5-too-short",
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=MISTAKES)
def test_each_mistake_gets_its_own_message(mistake, ns):
    exercise, answer, words = _mistakes(ns)[mistake]
    feedback = _check(exercise, ns, answer)
    assert not feedback
    assert feedback.message.startswith("Not quite:") and words in feedback.message, feedback.message


def test_the_mistakes_are_told_apart(ns):
    messages = [_check(exercise, ns, answer).message for exercise, answer, _ in _mistakes(ns).values()]
    assert len(set(messages)) == len(messages)


@pytest.mark.parametrize(
    "answer, words",
    [
        ("many", "the text 'many'"),
        (None, "is None"),
        (float("nan"), "NaN"),
        (pd.Series([1.0, 2.0]), "holds 2 values"),
        (np.array([3, 4, 5]), "holds 3 values"),
    ],
    ids=["text", "none", "nan", "series", "array"],
)
@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_any_answer_to_a_number_question_is_answered_in_words(exercise, answer, words, ns):
    feedback = _check(exercise, ns, answer)
    assert not feedback and words in feedback.message


@pytest.mark.parametrize(
    "answer", ["e", 1, None, float("nan"), pd.Series(["a"])], ids=["e", "one", "none", "nan", "series"]
)
@pytest.mark.parametrize("exercise", [q4, q5], ids=["q4", "q5"])
def test_a_choice_question_asks_for_one_of_its_options(exercise, answer, ns):
    feedback = _check(exercise, ns, answer)
    assert not feedback and "choose one of 'a', 'b', 'c'" in feedback.message


def test_a_choice_is_read_whatever_its_case_and_spaces(ns):
    assert _check(q4, ns, " B ")


def test_the_questions_give_no_answer_away(ns):
    for exercise in EXERCISES:
        expected = exercise.expected(ns)
        if isinstance(expected, float):
            shown = [f"{expected:.2f}", f"{expected:.0%}"] + ([f"{expected:,.0f}"] if expected > 10 else [])
            assert not any(text in exercise.question for text in shown), exercise.variable


@pytest.mark.parametrize(
    "exercise, index",
    [(q, i) for q in (q1, q2, q3) for i in range(len(q.mistakes))],
    ids=[f"{n}-mistake-{i}" for n, q in (("q1", q1), ("q2", q2), ("q3", q3)) for i in range(len(q.mistakes))],
)
def test_each_listed_mistake_is_visible_in_the_sample_data(exercise, index, ns):
    mistake = exercise.mistakes[index]
    value = mistake.answer(ns)
    assert not exercise.compare(value, exercise.expected(ns))
    feedback = _check(exercise, ns, value)
    assert not feedback and feedback.message.startswith(f"Not quite: {mistake.message}")


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_language_answers_in_its_own_words(language, ns, answered_in_language):
    answered_in_language(questions(language), EXERCISES, ns, language)
