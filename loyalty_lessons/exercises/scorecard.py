"""Exercises of lesson 06, the workshop scorecard: ``q1``, ``q2``, ``q3``.

Each expected answer is computed from the notebook's ``scores`` (the team's scorecard), so
the exercises hold for the example rating and for any rating the team makes.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, equal

__all__ = ["q1", "q2", "q3"]

_STEPS = "it-loyalty-steps"


def _steps_mean(ns: dict) -> float:
    scores = ns["scores"]
    return float(scores.loc[scores["source"] == _STEPS, "score"].mean())


def _weakest(ns: dict) -> list[str]:
    scores = ns["scores"].dropna(subset=["score"])
    lowest = scores[scores["score"] == scores["score"].min()]
    return [*lowest["practice_id"], *lowest["practice"]]


def _one_of(answer, expected: list[str]) -> bool:
    return isinstance(answer, str) and answer.strip().lower() in {e.lower() for e in expected}


def _count_low(ns: dict) -> int:
    return int((ns["scores"]["score"] <= 2).sum())


q1 = Exercise(
    variable="steps_mean",
    question=(
        "What is the mean score of the seven steps to build loyalty (the practices whose "
        '`source` is `"it-loyalty-steps"`), leaving out the ones not rated?'
    ),
    expected=_steps_mean,
    hint_text=(
        'Select the rows of `scores` with `scores["source"] == "it-loyalty-steps"` '
        "and take the `.mean()` of their `score` column (pandas skips NaN)."
    ),
    solution_code="""
steps_mean = scores.loc[scores["source"] == "it-loyalty-steps", "score"].mean()
""",
    explain=lambda value: f"The seven steps average {value:.2f} out of 5.",
)


q2 = Exercise(
    variable="weakest_practice",
    question=(
        "Which practice has the lowest score? Give its `practice_id` or its `practice` name "
        "(on a tie, any of the lowest)."
    ),
    expected=_weakest,
    hint_text='Sort `scores` by `score` with `.sort_values("score")` and look at the first row.',
    solution_code="""
weakest_practice = scores.sort_values("score").iloc[0]["practice_id"]
""",
    compare=_one_of,
    # expected lists the tied ids, then their names: the first name is in the middle.
    explain=lambda names: f"The lowest score goes to {names[len(names) // 2]}.",
)

q3 = Exercise(
    variable="low_count",
    question="How many practices did the team rate 2 or lower?",
    expected=_count_low,
    hint_text='`(scores["score"] <= 2)` is True for each low score; `.sum()` counts them.',
    solution_code="""
low_count = int((scores["score"] <= 2).sum())
""",
    compare=equal,
    explain=lambda n: f"{n} practices are rated 2 or lower: start the discussion with them.",
)
