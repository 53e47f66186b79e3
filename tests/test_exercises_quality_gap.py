import pytest

import loyalty_lessons as ll
from loyalty_lessons.exercises.quality_gap import q1, q2, q3
from loyalty_lessons.inputs import load_inputs


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(complaints=None)


def _namespace(inputs):
    """The lesson's variables before the exercises."""
    return {"ll": ll, "inputs": inputs, "gaps": ll.dimension_gaps(inputs.survey)}


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_the_solution_passes(inputs, exercise):
    feedback = exercise.solve(_namespace(inputs))
    assert feedback, feedback.message
    assert feedback.message.startswith("Correct!")


@pytest.mark.parametrize(
    "exercise, wrong",
    [
        (q1, lambda ns: ns["gaps"].set_index("dimension").loc["reliability", "gap"] + 0.1),
        (q2, lambda ns: "tangibles"),
        (q3, lambda ns: 0.0),
    ],
    ids=["q1", "q2", "q3"],
)
def test_a_wrong_answer_fails(inputs, exercise, wrong):
    ns = _namespace(inputs)
    ns[exercise.variable] = wrong(ns)
    feedback = exercise.check(ns)
    assert not feedback and feedback.message.startswith("Not quite")


def test_expected_answers_on_the_sample(inputs):
    ns = _namespace(inputs)
    gaps = ns["gaps"].set_index("dimension")["gap"]
    assert q1.expected(ns) == pytest.approx(gaps["reliability"])
    assert q2.expected(ns) == "reliability"
    assert q3.expected(ns) == pytest.approx(ll.nps(inputs.survey))


def test_expected_answers_follow_the_data(inputs):
    """On another survey the answers change: nothing is hard-coded."""
    survey = inputs.survey.copy()
    survey.loc[survey["dimension"] == "tangibles", "perception"] = 1.0
    survey["recommend"] = 10.0
    ns = {"inputs": inputs._replace(survey=survey)}
    assert q2.expected(ns) == "tangibles"
    assert q3.expected(ns) == 100.0
    assert q1.expected(ns) == pytest.approx(q1.expected(_namespace(inputs)))
