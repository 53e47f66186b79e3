"""Exercises of lesson 01, the quality gap: ``q1``, ``q2``, ``q3``.

Each expected answer is computed from the lesson's own survey (``inputs.survey``), so
the exercises hold on the sample business and on a client's survey alike.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, close_to, equal
from loyalty_lessons.quality_gap import dimension_gaps, item_gaps, nps

__all__ = ["q1", "q2", "q3"]


def _reliability_gap(ns: dict) -> float:
    items = item_gaps(ns["inputs"].survey)
    return float(items.loc[items["dimension"] == "reliability", "gap"].mean())


def _worst_dimension(ns: dict) -> str:
    gaps = dimension_gaps(ns["inputs"].survey).dropna(subset=["gap"])
    return str(gaps.loc[gaps["gap"].idxmin(), "dimension"])


q1 = Exercise(
    variable="reliability_gap",
    question=(
        "With pandas only, what is the average gap (perception minus expectation) over "
        "all the survey's answers on the reliability items?"
    ),
    expected=_reliability_gap,
    hint_text=(
        'Keep the rows of `inputs.survey` whose `dimension` is "reliability", subtract '
        "the `expectation` column from the `perception` column, and take the `.mean()`."
    ),
    solution_code=(
        'reliability = inputs.survey[inputs.survey["dimension"] == "reliability"]\n'
        'reliability_gap = (reliability["perception"] - reliability["expectation"]).mean()\n'
    ),
    compare=close_to(0.005),
    explain=lambda value: (
        f"On average reliability scores {value:+.2f} points against expectations. "
        "When every respondent answers every item, this is the gap `dimension_gaps` reports."
    ),
)

q2 = Exercise(
    variable="worst_dimension",
    question="Which dimension has the largest negative gap? Answer with its name, as a string.",
    expected=_worst_dimension,
    hint_text=(
        "Sort the table `gaps` (from `ll.dimension_gaps`) by its `gap` column: the first "
        "row is the most negative gap."
    ),
    solution_code='worst_dimension = gaps.sort_values("gap")["dimension"].iloc[0]\n',
    compare=equal,
    explain=lambda value: f"{value.capitalize()} is where customers are let down the most.",
)

q3 = Exercise(
    variable="nps_score",
    question=(
        "Compute the Net Promoter Score yourself: the percentage of respondents who answered "
        "9 or 10 to 'would you recommend us?', minus the percentage who answered 0 to 6."
    ),
    expected=lambda ns: nps(ns["inputs"].survey),
    hint_text=(
        "The survey repeats each respondent's `recommend` score on all their rows: take one "
        'per respondent with `inputs.survey.groupby("respondent_id")["recommend"].first()`, '
        "then `(scores >= 9).mean()` is the share of promoters and `(scores <= 6).mean()` the "
        "share of detractors. Multiply the difference by 100."
    ),
    solution_code=(
        'scores = inputs.survey.groupby("respondent_id")["recommend"].first().dropna()\n'
        "nps_score = ((scores >= 9).mean() - (scores <= 6).mean()) * 100\n"
    ),
    compare=close_to(0.05),
    explain=lambda value: f"The NPS is {value:+.1f} points, the same as `ll.nps(inputs.survey)`.",
)
