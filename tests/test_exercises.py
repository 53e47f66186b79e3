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


def test_a_number_in_a_one_value_series_is_read_as_the_number():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    assert TOTAL.check({"revenue": REVENUE, "total": pd.Series([100.0])})
    assert TOTAL.check({"revenue": REVENUE, "total": np.array([100.0])})
    assert TOTAL.check({"revenue": REVENUE, "total": pd.DataFrame({"x": [100.0]})})
    many = TOTAL.check({"revenue": REVENUE, "total": pd.Series(REVENUE)})
    assert not many and "holds 5 values" in many.message


@pytest.mark.parametrize(
    "answer, words",
    [
        ("100", "is the text '100'; the answer is one number, written without quotes"),
        ("0.684", "without quotes or a % sign"),
        (float("inf"), "is infinite"),
        ([100.0, 1.0], "holds 2 values (list)"),
    ],
    ids=["text-number", "text-share", "infinite", "list"],
)
def test_a_number_as_text_or_several_values_is_not_the_number(answer, words):
    feedback = TOTAL.check({"revenue": REVENUE, "total": answer})
    assert not feedback and words in feedback.message


def test_a_frame_says_its_shape():
    pd = pytest.importorskip("pandas")
    feedback = TOTAL.check({"revenue": REVENUE, "total": pd.DataFrame({"a": [1, 2], "b": [3, 4]})})
    assert not feedback and "holds 4 values in 2 rows and 2 columns (DataFrame)" in feedback.message


def test_a_multiple_choice_explains_each_option():
    right = CHOICE.check({"revenue": REVENUE, "pick": "A"})
    assert right and right.message == "Correct! The top customer brings more than half."
    wrong = CHOICE.check({"revenue": REVENUE, "pick": "b"})
    assert not wrong and wrong.message == "Not quite: the rest bring 40."
    for answer in ["c", 1, None, ["a"]]:
        other = CHOICE.check({"revenue": REVENUE, "pick": answer})
        assert not other and "choose one of 'a', 'b'" in other.message
    for spelled in [" A ", "(a)", "a.", "'a'"]:
        assert CHOICE.check({"revenue": REVENUE, "pick": spelled}), spelled
    assert CHOICE.solve({"revenue": REVENUE})


def test_an_exercise_with_choices_stays_hashable():
    assert hash(CHOICE) == hash(CHOICE)


# --- counts, names, scales and missing data ----------------------------------------------------

from loyalty_lessons.exercises import same_text  # noqa: E402

COUNT = Exercise(
    variable="n",
    question="How many customers?",
    expected=lambda ns: len(ns["revenue"]),
    hint_text="Count them.",
    solution_code="n = len(revenue)",
    compare=equal,
    mistakes=(Mistake(lambda ns: len(ns["revenue"]) - 1, "you rounded down."),),
)
NAME = Exercise(
    variable="best",
    question="Which dimension?",
    expected=lambda ns: "reliability",
    hint_text="Sort.",
    solution_code='best = "reliability"',
    compare=same_text,
)
SHARE_OF_TOP = Exercise(
    variable="share",
    question="What share?",
    expected=lambda ns: 0.6,
    hint_text="Divide.",
    solution_code="share = 0.6",
)


@pytest.mark.parametrize(
    "answer, ok, words",
    [
        (5, True, "Correct"),
        (5.0, True, "Correct"),
        (4, False, "you rounded down."),
        (5.5, False, "a whole number"),
    ],
    ids=["int", "whole-float", "mistake", "fraction"],
)
def test_a_count(answer, ok, words):
    feedback = COUNT.check({"revenue": REVENUE, "n": answer})
    assert bool(feedback) is ok and words in feedback.message


@pytest.mark.parametrize(
    "answer, ok, words",
    [
        ("Reliability", True, "Correct"),
        (" RELIABILITY ", True, "Correct"),
        ("empathy", False, "is 'empathy', which is not the answer"),
        (3, False, "the answer is a name, written as text in quotes"),
        (None, False, "the answer is a name"),
    ],
    ids=["capitalised", "upper-spaces", "wrong", "number", "none"],
)
def test_a_name_in_any_case(answer, ok, words):
    feedback = NAME.check({"best": answer})
    assert bool(feedback) is ok and words in feedback.message
    assert "reliability" not in feedback.message.lower() or ok, "the check gave the answer away"


def test_a_percentage_where_a_share_is_wanted_is_named():
    feedback = SHARE_OF_TOP.check({"share": 60})
    assert not feedback and "a percentage; give the share between 0 and 1" in feedback.message


def test_without_the_notebook_data_the_check_says_to_run_from_the_top():
    feedback = TOTAL.check({"total": 100.0})
    assert not feedback and "run the notebook from the top" in feedback.message


def test_a_compare_that_raises_is_a_wrong_answer():
    def fussy(answer, expected):
        raise RuntimeError("no")

    exercise = Exercise("x", "?", lambda ns: 1.0, "h", "x = 1.0", compare=fussy)
    assert not exercise.check({"x": 1.0})


# --- the texts in a language ----------------------------------------------------------------

from dataclasses import replace  # noqa: E402

from loyalty_lessons.exercises import message  # noqa: E402
from loyalty_lessons.exercises._texts import Texts  # noqa: E402


@pytest.mark.parametrize(
    "language, answer, start",
    [
        ("fr", 60.0, "Pas tout à fait : that is the largest"),
        ("fr", "100", "Pas tout à fait : `total` est le texte '100'"),
        ("it", [1.0, 2.0], "Non proprio: `total` contiene 2 valori (list)"),
        ("ru", None, "Не совсем: `total` равно None"),
        ("ru", 100.0, "Верно!"),
    ],
    ids=["fr-mistake", "fr-text", "it-list", "ru-none", "ru-right"],
)
def test_the_generic_messages_are_in_the_exercise_language(language, answer, start):
    feedback = replace(TOTAL, language=language).check({"revenue": REVENUE, "total": answer})
    assert feedback.message.startswith(start), feedback.message


def test_a_frame_says_its_shape_with_the_language_numbers():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": range(1200), "b": range(1200)})
    feedback = replace(TOTAL, language="fr").check({"revenue": REVENUE, "total": frame})
    assert "2\u202f400 valeurs sur 1\u202f200 lignes et 2 colonnes (DataFrame)" in feedback.message


def test_hint_and_solution_are_headed_in_the_language():
    assert replace(SHARE, language="it").hint().message.startswith("Suggerimento: Sort")
    assert replace(SHARE, language="ru").solution().message.startswith("Решение:\n\n```python")


@pytest.mark.parametrize("letter", ["а", "А", " (а) "])
def test_an_option_typed_with_a_cyrillic_lookalike_is_read_as_the_letter(letter):
    assert CHOICE.check({"revenue": REVENUE, "pick": letter})


def test_every_situation_has_a_message_in_every_language():
    keys = {"correct", "mistake", "wrong", "choose", "hint", "solution", "values", "raised"}
    for language in ("en", "fr", "it", "ru"):
        assert all(message(language, key) for key in keys)
    assert message("fr", "correct") != message("en", "correct")


def test_texts_format_numbers_for_the_language_and_refuse_an_unknown_one():
    assert Texts("pareto", "it")("q2.explain", count=Texts("pareto", "it").number(1234)) == "1.234 clienti."
    assert Texts("pareto", "fr").percent(0.125, 1) == "12,5\xa0%"
    with pytest.raises(ValueError, match="no exercise texts in language 'de'"):
        Texts("pareto", "de")
