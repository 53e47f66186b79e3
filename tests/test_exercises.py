import pytest

from loyalty_lessons.exercises import ____, Exercise, close_to, equal

SHARE = Exercise(
    variable="top_share",
    question="What share of revenue do the top 20% bring?",
    expected=lambda ns: sum(sorted(ns["revenue"], reverse=True)[:1]) / sum(ns["revenue"]),
    hint_text="Sort the revenue, take the first fifth, divide by the total.",
    solution_code="top_share = sorted(revenue, reverse=True)[0] / sum(revenue)",
    explain=lambda value: f"The top customer brings {value:.0%}.",
)
REVENUE = [60.0, 20.0, 10.0, 5.0, 5.0]


def test_the_solution_passes_its_check():
    feedback = SHARE.solve({"revenue": REVENUE})
    assert feedback and feedback.message == "Correct! The top customer brings 60%."


@pytest.mark.parametrize(
    "namespace, start",
    [
        ({"revenue": REVENUE, "top_share": 0.2}, "Not quite: `top_share` is 0.2"),
        ({"revenue": REVENUE, "top_share": "60%"}, "Not quite"),
        ({"revenue": REVENUE, "top_share": ____}, "Not answered yet: replace `____`"),
        ({"revenue": REVENUE}, "Not answered yet: assign your answer to `top_share`"),
    ],
    ids=["wrong-number", "wrong-type", "placeholder", "missing"],
)
def test_wrong_or_missing_answers_fail_with_a_message(namespace, start):
    feedback = SHARE.check(namespace)
    assert not feedback and feedback.message.startswith(start)


def test_solve_leaves_the_namespace_alone():
    namespace = {"revenue": REVENUE}
    SHARE.solve(namespace)
    assert "top_share" not in namespace


def test_check_reads_the_callers_globals():
    global revenue, top_share
    revenue, top_share = REVENUE, 0.6
    assert SHARE.check()


def test_hint_and_solution_render_as_markdown():
    assert SHARE.hint()._repr_markdown_().startswith("Hint: Sort the revenue")
    assert "```python\ntop_share = sorted" in SHARE.solution()._repr_markdown_()


def test_comparisons():
    assert close_to(0.01)(0.505, 0.5) and not close_to(0.001)(0.505, 0.5)
    assert equal("loyal", "loyal") and not equal("loyal", "satisfied")
