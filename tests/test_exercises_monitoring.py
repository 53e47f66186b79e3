import pandas as pd
import pytest

import loyalty_lessons as ll
from loyalty_lessons.exercises.monitoring import _repeat_rate, q1, q2, q3


@pytest.fixture(scope="module")
def lesson_namespace():
    inputs = ll.load_inputs(survey=None, complaints=None)
    table = ll.monitoring_table(inputs.transactions)
    month = table.loc[table["complete"], "period"].iloc[-1]
    return {"ll": ll, "inputs": inputs, "table": table, "month": month}


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_solution_passes(lesson_namespace, exercise):
    feedback = exercise.solve(lesson_namespace)
    assert feedback, feedback.message
    assert feedback.message.startswith("Correct!")


@pytest.mark.parametrize(
    "exercise, wrong",
    [(q1, 0.0), (q2, "spend per customer"), (q3, 1.0)],
    ids=["q1", "q2", "q3"],
)
def test_wrong_answer_fails(lesson_namespace, exercise, wrong):
    ns = dict(lesson_namespace, **{exercise.variable: wrong})
    assert not exercise.check(ns)


def test_q2_accepts_none_only_when_no_signal_worsens(lesson_namespace):
    steady = pd.DataFrame(
        {
            "new_customers": [30.0] * 6,
            "early_defections": [6.0] * 6,
            "orders": [100] * 6,
            "spend_per_order": [30.0] * 6,
            "spend_per_order_sd": [20.0] * 6,
        }
    )
    assert q2.check({"table": steady, "worsening_signal": None})
    assert not q2.check({"table": steady, "worsening_signal": "new_customers"})
    ns = dict(lesson_namespace, worsening_signal=None)
    worsening = q2.expected(lesson_namespace)
    assert bool(q2.check(ns)) == (not worsening)


def test_repeat_rate_matches_the_monitoring_table_without_refunds():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "c", "d"],
            "date": pd.to_datetime(
                ["2024-01-05", "2024-02-03", "2024-02-10", "2024-01-20", "2024-02-25", "2024-02-28"]
            ),
            "amount": [10.0, 12.0, 8.0, 5.0, 7.0, 9.0],
        }
    )
    table = ll.monitoring_table(tx)
    february = pd.Period("2024-02", "M")
    assert _repeat_rate(tx, february) == pytest.approx(0.5)
    assert table.loc[table["period"] == february, "repeat_rate"].item() == pytest.approx(0.5)
