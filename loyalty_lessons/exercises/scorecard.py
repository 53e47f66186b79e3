"""Exercises of lesson 06, the workshop scorecard: ``q1`` to ``q4``.

Each expected answer is computed from the exercise notebook's ``scores`` (a team's
scorecard), so the exercises hold for the exercise's rating and for any rating a team makes.
The exercise's rating leaves one practice unrated and ties two at the bottom, so that the
likely mistakes (an unrated practice counted as 0, a tie missed) change the answer. Each
question lists those mistakes, each with its own feedback.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal

__all__ = ["EXERCISE_RATINGS", "q1", "q2", "q3", "q4"]

_STEPS = "it-loyalty-steps"

#: The rating of the exercise notebook: one practice not rated (None), two tied at the bottom.
EXERCISE_RATINGS = {
    "hire_right_people": 4,
    "memorable_service": 4,
    "performance_standards": 3,
    "continuous_training": None,
    "reward_good_service": 3,
    "survey_and_cut_defection": 2,
    "welcome_complaints": 1,
    "personal_treatment": 4,
    "educate_customers": 3,
    "employee_loyalty": 4,
    "existing_customers_first": 2,
    "stable_terms": 3,
    "reliable_and_flexible": 1,
    "service_never_slips": 2,
    "customer_service": 4,
    "customer_satisfaction": 3,
    "customer_retention": 3,
}


def _steps(ns: dict):
    scores = ns["scores"]
    return scores.loc[scores["source"] == _STEPS, "score"]


def _lowest(ns: dict) -> list[str]:
    """The ids of the practices with the lowest score, in the scorecard's order."""
    scores = ns["scores"].dropna(subset=["score"])
    return scores.loc[scores["score"] == scores["score"].min(), "practice_id"].tolist()


def _same_id(answer, expected) -> bool:
    return isinstance(answer, str) and answer.strip().lower() == str(expected).lower()


# --------------------------------------------------------------------------- q1

q1 = Exercise(
    variable="steps_mean",
    question=(
        "What is the mean score of the seven steps to build loyalty (the practices whose "
        '`source` is `"it-loyalty-steps"`), leaving out the ones the team did not rate?'
    ),
    expected=lambda ns: float(_steps(ns).mean()),
    hint_text=(
        'Select the rows of `scores` with `scores["source"] == "it-loyalty-steps"` and take the '
        "`.mean()` of their `score` column: pandas skips the NaN of a practice not rated."
    ),
    solution_code="""
steps_mean = scores.loc[scores["source"] == "it-loyalty-steps", "score"].mean()
""",
    compare=close_to(0.01),
    mistakes=(
        Mistake(
            lambda ns: float(_steps(ns).fillna(0).mean()),
            "you counted the practice nobody rated as a 0 (or divided by 7): a practice not rated "
            "is unknown, not failed. Leave it out of the mean.",
        ),
        Mistake(
            lambda ns: float(ns["scores"]["score"].mean()),
            'that is the mean of all the practices; keep only those whose `source` is "it-loyalty-steps".',
        ),
    ),
    explain=lambda value: f"The steps the team rated average {value:.2f} out of 5.",
)

# --------------------------------------------------------------------------- q2

q2 = Exercise(
    variable="weakest_practice",
    question=(
        "Which practice has the lowest score? Give its `practice_id` (in quotes). If several "
        "share the lowest score, give the one that comes first in `scores`."
    ),
    expected=lambda ns: _lowest(ns)[0],
    hint_text=(
        '`scores["score"].idxmin()` is the row of the first lowest score (it skips the NaN of '
        'a practice not rated); `scores.loc[row, "practice_id"]` is its id.'
    ),
    solution_code="""
weakest_practice = scores.loc[scores["score"].idxmin(), "practice_id"]
""",
    compare=_same_id,
    mistakes=(
        Mistake(
            lambda ns: ns["scores"].loc[ns["scores"]["score"].idxmax(), "practice_id"],
            "that practice has the highest score: `.sort_values('score')` sorts from low to high, "
            "and `idxmin` finds the lowest.",
        ),
        Mistake(
            lambda ns: ns["scores"].loc[ns["scores"]["score"].isna(), "practice_id"].iloc[0],
            "nobody rated that practice (its score is NaN): it is unknown, not the weakest. It is "
            "worth a question of its own in the workshop.",
        ),
        Mistake(
            lambda ns: _lowest(ns)[-1],
            "that practice ties for the lowest score, but another one comes before it in `scores`: "
            "on a tie, a sort may put either first, so look at all the lowest (and discuss both).",
        ),
    ),
    explain=lambda practice: (
        f"The lowest score goes to `{practice}`; check whether another practice ties with it."
    ),
)

# --------------------------------------------------------------------------- q3

q3 = Exercise(
    variable="low_count",
    question="How many practices did the team rate 2 or lower?",
    expected=lambda ns: int((ns["scores"]["score"] <= 2).sum()),
    hint_text='`(scores["score"] <= 2)` is True for each low score; `.sum()` counts them.',
    solution_code="""
low_count = int((scores["score"] <= 2).sum())
""",
    compare=equal,
    mistakes=(
        Mistake(
            lambda ns: int((ns["scores"]["score"] < 2).sum()),
            "you counted the scores below 2; 'rated 2 or lower' includes the 2s (`<=`).",
        ),
        Mistake(
            lambda ns: int((ns["scores"]["score"].fillna(0) <= 2).sum()),
            "you counted the practice nobody rated as a low score: it has no score at all.",
        ),
    ),
    explain=lambda n: f"{n} practices are rated 2 or lower: start the discussion with them.",
)

# --------------------------------------------------------------------------- q4

q4 = Exercise(
    variable="wall_fact_use",
    question=(
        "The owner wants to write in next year's plan: \"winning a customer costs us 3 to 10 "
        "times more than keeping one\", a figure of the lesson's wall [ru-loyalty-tips]. What do "
        "you advise? Answer 'a', 'b' or 'c'.\n\n"
        "- **a** Write it as it is: it is a well-established fact about businesses.\n"
        "- **b** Use it as a prompt, not a figure: the article gives it without a study behind "
        "it; measure this business's own cost of winning and of keeping a customer before "
        "budgeting on it.\n"
        "- **c** Drop the idea: an unsourced figure says nothing at all."
    ),
    expected=lambda ns: "b",
    hint_text=(
        "Look at the source and certainty the lesson gives next to each fact on the wall, and at "
        "what docs/sources.md says of [ru-loyalty-tips]."
    ),
    solution_code='wall_fact_use = "b"',
    choices={
        "a": (
            "the article gives the 3-to-10 range as 'statistics show', without a study, a sample "
            "or a date; a range that wide is a rule of thumb, not a figure for this business."
        ),
        "b": (
            "the figure comes from a practitioners' article, without a study behind it: it is a "
            "good reason to look at what keeping customers costs, and the business's own "
            "figures (what a campaign cost, how many new customers it brought) are what the "
            "plan should use."
        ),
        "c": (
            "unsourced does not mean false: the idea (keeping customers is cheaper than winning "
            "them) is widely shared and worth checking on the business's own costs; only the "
            "exact ratio cannot be taken on trust."
        ),
    },
)
