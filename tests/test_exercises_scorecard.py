"""The exercises of lesson 06: each solution passes, and each listed mistake gets its own message."""

import pandas as pd
import pytest

from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.scorecard import EXERCISE_RATINGS, q1, q2, q3, q4, questions
from loyalty_lessons.scorecard import fill_scorecard

EXERCISES = [q1, q2, q3, q4]
IDS = ["q1", "q2", "q3", "q4"]
NUMBERS = [q1, q3]
MISTAKES = [(q, i) for q in [q1, q2, q3] for i in range(len(q.mistakes))]
MISTAKE_IDS = [f"{IDS[EXERCISES.index(q)]}-mistake-{i}" for q, i in MISTAKES]


@pytest.fixture(scope="module")
def ns():
    return {"scores": fill_scorecard(EXERCISE_RATINGS)}


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


def test_expected_values_by_hand(ns):
    # Steps rated 4, 4, 3, (not rated), 3, 2, 1; two practices tied at 1; five at 2 or lower.
    assert q1.expected(ns) == pytest.approx(17 / 6)
    assert q2.expected(ns) == "welcome_complaints"  # tied with reliable_and_flexible, which comes later
    assert q3.expected(ns) == 5


@pytest.mark.parametrize("answer", ["welcome_complaints", " Welcome_Complaints "])
def test_the_first_of_the_tied_lowest_is_right_in_any_case(answer, ns):
    assert _check(q2, ns, answer)


@pytest.mark.parametrize("exercise, index", MISTAKES, ids=MISTAKE_IDS)
def test_each_mistake_is_visible_in_the_data_and_gets_its_own_message(exercise, index, ns):
    mistake = exercise.mistakes[index]
    value = mistake.answer(ns)
    # The exercise's rating makes the mistake visible: its value is not the answer.
    assert not exercise.compare(value, exercise.expected(ns))
    feedback = _check(exercise, ns, value)
    assert not feedback and feedback.message.startswith(f"Not quite: {mistake.message}"), feedback.message


@pytest.mark.parametrize("exercise", [q4], ids=["q4"])
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
        (True, "is True"),
        (None, "is None"),
        (float("nan"), "NaN"),
        (pd.Series([1.0, 2.0]), "holds 2 values"),
        (pd.DataFrame({"a": [1, 2]}), "holds 2 values"),
    ],
    ids=["text", "bool", "none", "nan", "series", "frame"],
)
@pytest.mark.parametrize("exercise", NUMBERS, ids=["q1", "q3"])
def test_any_answer_to_a_number_question_is_answered_in_words(exercise, answer, words, ns):
    feedback = _check(exercise, ns, answer)
    assert not feedback and words in feedback.message


def test_a_choice_is_read_whatever_its_case_and_spaces(ns):
    assert _check(q4, ns, " B ") and not _check(q4, ns, "d")


# Any value at all gets an answer in words: tests/test_exercise_notebooks.py checks it for
# every question of the package, with and without the notebook's data.


def test_the_questions_give_no_answer_away(ns):
    for exercise in NUMBERS:
        expected = exercise.expected(ns)
        shown = [f"{expected:.2f}"] if isinstance(expected, float) else []
        assert not any(text in exercise.question for text in shown), exercise.variable


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_language_answers_in_its_own_words(language, ns, answered_in_language):
    answered_in_language(questions(language), EXERCISES, ns, language)
