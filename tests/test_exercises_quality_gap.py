"""The exercises of lesson 01 on a hand-built survey of four respondents."""

import pandas as pd
import pytest

from loyalty_lessons.exercises import ____
from loyalty_lessons.exercises.quality_gap import q1, q2, q3, q4, q5, questions

ITEMS = [5, 6, 7, 8, 9]  # the reliability items; item 7 is the third
ANSWERS = {  # respondent: (expectations, perceptions, recommend)
    "R1": ([6, 6, 6, 6, 6], [5, 5, 5, 5, 5], 6),  # let down on every item, a detractor
    "R2": ([6, 6, 6, 6, 6], [5, 7, 6, 5, 5], 10),  # let down on average (-0.4), not on every item
    "R3": ([5, 5, 5, 5, 5], [5, 5, 5, 5, 5], 3),  # a gap of exactly 0
    "R4": ([4, 4, 4, 4, 4], [5, 5, 4, 5, 5], 7),  # pleased, a passive
}
SURVEY = pd.DataFrame(
    [
        {
            "respondent_id": rid,
            "item": item,
            "dimension": "reliability",
            "expectation": float(e),
            "perception": float(p),
            "recommend": float(rec),
        }
        for rid, (exp, per, rec) in ANSWERS.items()
        for item, e, p in zip(ITEMS, exp, per)
    ]
)


class Inputs:
    survey = SURVEY


NS = {"inputs": Inputs()}


def test_expected_answers_by_hand():
    assert q1.expected(NS) == pytest.approx(-0.25)  # item 7: -1, 0, 0, 0
    assert q2.expected(NS) == 1  # R1 only
    assert q3.expected(NS) == pytest.approx(0.5)  # R1 (6) and R3 (3)
    assert q4.expected(NS) == pytest.approx(0.0)  # R1 (detractor) and R2 (promoter)
    assert q5.expected(NS) == "c"


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_the_solution_passes(exercise):
    feedback = exercise.solve(NS)
    assert feedback and feedback.message.startswith("Correct!"), feedback.message


@pytest.mark.parametrize(
    "exercise, wrong, words",
    [
        (q1, 0.25, "the sign is the wrong way round"),
        (q1, None, "whole reliability dimension"),  # the mean gap of all the rows, computed below
        (q2, 8, "number of answers"),
        (q3, 0.25, "left out the 6s"),
        (q3, 0.75, "counted the 7s"),
        (q4, -100 / 3, "gap is exactly 0"),
        (q5, "a", "cause into an association"),
        (q5, "D", "one possible reason"),
    ],
    ids=["q1-sign", "q1-dimension", "q2-rows", "q3-six", "q3-seven", "q4-zero", "q5-a", "q5-d"],
)
def test_a_mistake_is_named(exercise, wrong, words):
    if exercise is q1 and words.startswith("whole"):
        wrong = float((SURVEY["perception"] - SURVEY["expectation"]).mean())
    feedback = exercise.check({**NS, exercise.variable: wrong})
    assert not feedback and words in feedback.message, feedback.message


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_the_placeholder_is_not_an_answer(exercise):
    feedback = exercise.check({**NS, exercise.variable: ____})
    assert not feedback and feedback.message.startswith("Not answered yet")


def test_a_share_given_as_a_percentage_is_named():
    feedback = q3.check({**NS, "detractor_share": 50})
    assert not feedback and "a percentage" in feedback.message


# R5 left items 7 to 9 blank (a blank item has no row once loaded) and is below expectation on
# the two items answered, a detractor: the traps of partial answers now give other figures.
PARTIAL = pd.concat(
    [
        SURVEY,
        pd.DataFrame(
            {
                "respondent_id": "R5",
                "item": [5, 6],
                "dimension": "reliability",
                "expectation": [7.0, 7.0],
                "perception": [6.0, 6.0],
                "recommend": 2.0,
            }
        ),
    ],
    ignore_index=True,
)


class PartialInputs:
    survey = PARTIAL


PARTIAL_NS = {"inputs": PartialInputs()}


def test_expected_answers_with_partial_answers_by_hand():
    assert q1.expected(PARTIAL_NS) == pytest.approx(-0.25)  # R5 did not answer item 7
    assert q2.expected(PARTIAL_NS) == 1  # R1 only: R5 answered two of the five items
    assert q3.expected(PARTIAL_NS) == pytest.approx(0.6)  # R1, R3 and R5 of five
    assert q4.expected(PARTIAL_NS) == pytest.approx(-100 / 3)  # R1, R2 and R5: 6, 10, 2


@pytest.mark.parametrize(
    "exercise, wrong, words",
    [
        (q1, -0.2, "divided by every respondent"),  # -1 over five respondents
        (q2, 2, "left some reliability items blank"),  # R1 and R5 with .all()
        (q3, 12 / 22, "share of rows"),  # 12 of the 22 rows are detractors'
        (q4, (5 - 7) / 12 * 100, "counts rows, not respondents"),  # 5 promoter, 7 detractor rows
    ],
    ids=["q1-all-respondents", "q2-all-of-answered", "q3-rows", "q4-rows"],
)
def test_a_partial_answer_mistake_is_named(exercise, wrong, words):
    feedback = exercise.check({**PARTIAL_NS, exercise.variable: wrong})
    assert not feedback and words in feedback.message, feedback.message
    assert exercise.solve(PARTIAL_NS), "the solution passes on partial answers"


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_language_answers_in_its_own_words(language, answered_in_language):
    answered_in_language(questions(language), [q1, q2, q3, q4, q5], NS, language)


@pytest.mark.parametrize("language", ["fr", "it", "ru"])
def test_every_language_names_the_partial_answer_mistakes(language, answered_in_language):
    answered_in_language(questions(language), [q1, q2, q3, q4, q5], PARTIAL_NS, language)
