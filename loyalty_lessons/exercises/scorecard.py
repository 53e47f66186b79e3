"""Exercises of lesson 06, the workshop scorecard: ``q1`` to ``q4``.

Each expected answer is computed from the exercise notebook's ``scores`` (a team's
scorecard), so the exercises hold for the exercise's rating and for any rating a team makes.
The exercise's rating leaves one practice unrated and ties two at the bottom, so that the
likely mistakes (an unrated practice counted as 0, a tie missed) change the answer. Each
question lists those mistakes, each with its own feedback. The texts are the catalogue's
``[exercises.scorecard]``; ``questions(language)`` gives the questions in a language.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal
from loyalty_lessons.exercises._texts import Texts

__all__ = ["EXERCISE_RATINGS", "describe_scores", "q1", "q2", "q3", "q4", "questions"]

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


# --------------------------------------------------------------------------- the questions


def describe_scores(scores, language: str = "en") -> str:
    """The line the exercise notebook prints under its setup: how many practices, which columns."""
    t = Texts("scorecard", language)
    return t("scores", count=t.number(len(scores)), columns=", ".join(scores.columns))


def questions(language: str = "en") -> tuple[Exercise, ...]:
    """The questions ``q1`` to ``q4``, their texts in ``language``."""
    t = Texts("scorecard", language)
    q1 = Exercise(
        variable="steps_mean",
        question=t("q1.question"),
        expected=lambda ns: float(_steps(ns).mean()),
        hint_text=t("q1.hint"),
        solution_code="""
steps_mean = scores.loc[scores["source"] == "it-loyalty-steps", "score"].mean()
""",
        compare=close_to(0.01),
        mistakes=(
            Mistake(lambda ns: float(_steps(ns).fillna(0).mean()), t("q1.mistakes.unrated_as_zero")),
            Mistake(lambda ns: float(ns["scores"]["score"].mean()), t("q1.mistakes.all_practices")),
        ),
        explain=lambda value: t("q1.explain", mean=t.number(value, 2)),
        language=language,
    )
    q2 = Exercise(
        variable="weakest_practice",
        question=t("q2.question"),
        expected=lambda ns: _lowest(ns)[0],
        hint_text=t("q2.hint"),
        solution_code="""
weakest_practice = scores.loc[scores["score"].idxmin(), "practice_id"]
""",
        compare=_same_id,
        mistakes=(
            Mistake(
                lambda ns: ns["scores"].loc[ns["scores"]["score"].idxmax(), "practice_id"],
                t("q2.mistakes.highest"),
            ),
            Mistake(
                lambda ns: ns["scores"].loc[ns["scores"]["score"].isna(), "practice_id"].iloc[0],
                t("q2.mistakes.unrated"),
            ),
            Mistake(lambda ns: _lowest(ns)[-1], t("q2.mistakes.tie")),
        ),
        explain=lambda practice: t("q2.explain", practice=practice),
        language=language,
    )
    q3 = Exercise(
        variable="low_count",
        question=t("q3.question"),
        expected=lambda ns: int((ns["scores"]["score"] <= 2).sum()),
        hint_text=t("q3.hint"),
        solution_code="""
low_count = int((scores["score"] <= 2).sum())
""",
        compare=equal,
        mistakes=(
            Mistake(lambda ns: int((ns["scores"]["score"] < 2).sum()), t("q3.mistakes.below_2")),
            Mistake(lambda ns: int((ns["scores"]["score"].fillna(0) <= 2).sum()), t("q3.mistakes.unrated")),
        ),
        explain=lambda n: t("q3.explain", count=t.number(n)),
        language=language,
    )
    q4 = Exercise(
        variable="wall_fact_use",
        question=t("q4.question"),
        expected=lambda ns: "b",
        hint_text=t("q4.hint"),
        solution_code='wall_fact_use = "b"',
        choices=t.table("q4.choices"),
        options=t.table("q4.options"),
        language=language,
    )
    return q1, q2, q3, q4


q1, q2, q3, q4 = questions("en")
