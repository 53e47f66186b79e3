import pytest

import loyalty_lessons as ll
from loyalty_lessons.exercises.customer_types import LAPSED_AFTER_DAYS_Q2, q1, q2, q3
from loyalty_lessons.inputs import load_inputs


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(survey=None, complaints=None)


def _namespace(inputs):
    """The lesson's variables before the exercises."""
    types = ll.classify_customers(
        inputs.summary, transactions=inputs.transactions, observation_end=inputs.observation_end
    )
    return {
        "ll": ll,
        "inputs": inputs,
        "types": types,
        "profile": ll.type_profile(types, inputs.summary),
        "prescriptions": ll.service_prescriptions(),
    }


@pytest.fixture(scope="module")
def namespace(inputs):
    return _namespace(inputs)


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_the_solution_passes(namespace, exercise):
    feedback = exercise.solve(namespace)
    assert feedback, feedback.message
    assert feedback.message.startswith("Correct!")


@pytest.mark.parametrize(
    "exercise, wrong",
    [
        (q1, 0.8),  # the 80/20 guess
        (q2, "many"),
        (q3, "satisfied"),
    ],
    ids=["q1", "q2", "q3"],
)
def test_a_wrong_answer_fails(namespace, exercise, wrong):
    ns = dict(namespace, **{exercise.variable: wrong})
    feedback = exercise.check(ns)
    assert not feedback and feedback.message.startswith("Not quite")


def test_expected_answers_on_the_sample(namespace, inputs):
    profile = namespace["profile"].set_index(namespace["profile"]["type"].astype("str"))
    assert q1.expected(namespace) == pytest.approx(profile.loc["loyal", "revenue_share"])
    lapsed = int((inputs.summary["days_since_last"] > LAPSED_AFTER_DAYS_Q2).sum())
    assert q2.expected(namespace) == lapsed
    assert q2.expected(namespace) > int(profile.loc["dissatisfied", "customers"])
    assert q3.expected(namespace) == "loyal"


def test_the_count_by_summary_is_also_right(namespace, inputs):
    ns = dict(namespace)
    ns["dissatisfied_120"] = (inputs.summary["days_since_last"] > LAPSED_AFTER_DAYS_Q2).sum()
    assert q2.check(ns)


def test_expected_answers_follow_the_data(inputs):
    """Another observation end gives other answers: nothing is hard-coded."""
    earlier = load_inputs(survey=None, complaints=None, observation_end="2024-12-31")
    assert q2.expected({"inputs": earlier}) != q2.expected({"inputs": inputs})
    assert q1.expected({"inputs": earlier}) != pytest.approx(q1.expected({"inputs": inputs}))
