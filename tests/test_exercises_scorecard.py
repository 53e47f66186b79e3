import pytest

from loyalty_lessons.exercises.scorecard import q1, q2, q3
from loyalty_lessons.scorecard import fill_scorecard

EXAMPLE = {
    "hire_right_people": 4,
    "memorable_service": 3,
    "performance_standards": 2,
    "welcome_complaints": 1,
    "stable_terms": 5,
    "educate_customers": 2,
}


@pytest.fixture
def lesson_namespace():
    return {"scores": fill_scorecard(EXAMPLE)}


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_solution_passes(lesson_namespace, exercise):
    feedback = exercise.solve(lesson_namespace)
    assert feedback and feedback.message.startswith("Correct!"), feedback.message


@pytest.mark.parametrize(
    "exercise, wrong",
    [(q1, 3.2), (q2, "stable_terms"), (q3, 2)],
    ids=["q1", "q2", "q3"],
)
def test_wrong_answer_fails(lesson_namespace, exercise, wrong):
    assert not exercise.check(dict(lesson_namespace, **{exercise.variable: wrong}))


def test_expected_values_follow_the_scores(lesson_namespace):
    assert q1.expected(lesson_namespace) == pytest.approx(2.5)
    assert q3.expected(lesson_namespace) == 3
    assert q1.check(dict(lesson_namespace, steps_mean=2.5))


@pytest.mark.parametrize(
    "answer",
    ["welcome_complaints", "Welcome complaints", " welcome complaints "],
    ids=["id", "name", "spaces-and-case"],
)
def test_q2_accepts_the_id_or_the_name(lesson_namespace, answer):
    feedback = q2.check(dict(lesson_namespace, weakest_practice=answer))
    assert feedback and feedback.message == "Correct! The lowest score goes to Welcome complaints."


def test_q2_accepts_any_of_tied_practices():
    ratings = {"stable_terms": 1, "educate_customers": 1, "hire_right_people": 3}
    ns = {"scores": fill_scorecard(ratings)}
    assert q2.check(dict(ns, weakest_practice="stable_terms"))
    assert q2.check(dict(ns, weakest_practice="Educate customers"))
    assert not q2.check(dict(ns, weakest_practice="hire_right_people"))
