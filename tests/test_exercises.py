import pytest

from loyalty_lessons.exercises import Exercise, ____, close_to, equal

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


# --- mistakes, multiple choice and answers of any type ------------------------------------

from loyalty_lessons.exercises import Mistake  # noqa: E402

TOTAL = Exercise(
    variable="total",
    question="What is the total revenue?",
    expected=lambda ns: sum(ns["revenue"]),
    hint_text="Add them up.",
    solution_code="total = sum(revenue)",
    mistakes=(
        Mistake(lambda ns: max(ns["revenue"]), "that is the largest customer's revenue, not the total."),
        Mistake(lambda ns: ns["undefined"], "never recognised: its answer cannot be computed."),
    ),
)
CHOICE = Exercise(
    variable="pick",
    question="Which is larger? 'a' the top customer, 'b' the rest.",
    expected=lambda ns: "a" if max(ns["revenue"]) > sum(ns["revenue"]) / 2 else "b",
    hint_text="Compare the top customer with half the total.",
    solution_code='pick = "a"',
    choices={
        "a": "the top customer brings more than half.",
        "b": lambda ns: f"the rest bring {sum(ns['revenue'][1:]):g}.",
    },
)


def test_a_listed_mistake_gets_its_message():
    feedback = TOTAL.check({"revenue": REVENUE, "total": 60.0})
    assert not feedback
    assert feedback.message == (
        "Not quite: that is the largest customer's revenue, not the total. Call `.hint()` for a nudge."
    )


def test_a_mistake_that_cannot_be_computed_is_skipped():
    feedback = TOTAL.check({"revenue": REVENUE, "total": 7.0})
    assert not feedback and feedback.message.startswith("Not quite: `total` is 7")


@pytest.mark.parametrize(
    "answer, words",
    [
        ("lots", "is the text 'lots'"),
        (None, "is None"),
        (float("nan"), "is NaN"),
        (True, "is True"),
        (REVENUE, None),
        ({"a": 1}, None),
    ],
    ids=["text", "none", "nan", "bool", "list", "dict"],
)
def test_any_answer_is_answered_in_words(answer, words):
    feedback = TOTAL.check({"revenue": REVENUE, "total": answer})
    assert not feedback and feedback.message.startswith("Not quite")
    if words:
        assert words in feedback.message


def test_a_number_in_a_series_or_as_text_is_read_as_the_number():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    assert TOTAL.check({"revenue": REVENUE, "total": pd.Series([100.0])})
    assert TOTAL.check({"revenue": REVENUE, "total": np.array([100.0])})
    assert TOTAL.check({"revenue": REVENUE, "total": "100"})
    many = TOTAL.check({"revenue": REVENUE, "total": pd.Series(REVENUE)})
    assert not many and "holds 5 values" in many.message


def test_a_multiple_choice_explains_each_option():
    right = CHOICE.check({"revenue": REVENUE, "pick": "A"})
    assert right and right.message == "Correct! The top customer brings more than half."
    wrong = CHOICE.check({"revenue": REVENUE, "pick": "b"})
    assert not wrong and wrong.message == "Not quite: the rest bring 40."
    for answer in ["c", 1, None]:
        other = CHOICE.check({"revenue": REVENUE, "pick": answer})
        assert not other and "choose one of 'a', 'b'" in other.message
    assert CHOICE.solve({"revenue": REVENUE})


def test_an_exercise_with_choices_stays_hashable():
    assert hash(CHOICE) == hash(CHOICE)
