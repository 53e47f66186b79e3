"""Exercises of lesson 01, the quality gap: ``q1`` to ``q5``.

Each expected answer is computed from the survey of the exercise notebook
(``inputs.survey``, one row per respondent and item answered), so the exercises hold on the
sample business and on a client's survey alike. The sample's respondents leave some items
blank, which gives the traps of counting rows instead of respondents their own figures.
Notebook: ``notebooks/exercises/01-quality-gap-exercises.ipynb``. The texts are the catalogue's
``[exercises.quality_gap]``; ``questions(language)`` gives the questions in a language.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal
from loyalty_lessons.exercises._texts import Texts

__all__ = ["ITEM_Q1", "q1", "q2", "q3", "q4", "q5", "questions"]

#: The questionnaire item of question 1 (a reliability item: "the parcel arrives on the day
#: promised").
ITEM_Q1 = 7


def _survey(ns: dict):
    return ns["inputs"].survey


def _item(ns: dict):
    survey = _survey(ns)
    return survey[survey["item"] == ITEM_Q1]


def _reliability(ns: dict):
    survey = _survey(ns)
    return survey[survey["dimension"] == "reliability"]


def _recommend(ns: dict):
    """Each respondent's answer to "would you recommend us?", once per respondent."""
    return _survey(ns).groupby("respondent_id")["recommend"].first().dropna()


def _reliability_gap_by_respondent(ns: dict):
    rows = _reliability(ns)
    return (rows["perception"] - rows["expectation"]).groupby(rows["respondent_id"]).mean()


def _nps(scores) -> float:
    return float(((scores >= 9).mean() - (scores <= 6).mean()) * 100)


def _nps_of(ns: dict, respondents) -> float:
    scores = _recommend(ns)
    return _nps(scores[scores.index.isin(respondents)])


def _below_by_respondent(ns: dict):
    rows = _reliability(ns)
    return (rows["perception"] < rows["expectation"]).groupby(rows["respondent_id"])


def _rows_of(ns: dict, respondents):
    """The ``recommend`` score on each reliability row of these respondents (a row per item)."""
    rows = _reliability(ns)
    return rows.loc[rows["respondent_id"].isin(respondents), "recommend"].dropna()


def _let_down_on_all(ns: dict) -> int:
    """Respondents who answered every reliability item and are below expectation on each."""
    items = _reliability(ns)["item"].nunique()
    return int((_below_by_respondent(ns).sum() == items).sum())


def questions(language: str = "en") -> tuple[Exercise, ...]:
    """The questions ``q1`` to ``q5``, their texts in ``language``."""
    t = Texts("quality_gap", language)
    q1 = Exercise(
        variable="item_gap",
        question=t("q1.question", item=ITEM_Q1),
        expected=lambda ns: float((_item(ns)["perception"] - _item(ns)["expectation"]).mean()),
        hint_text=t("q1.hint", item=ITEM_Q1),
        solution_code=(
            f'rows = inputs.survey[inputs.survey["item"] == {ITEM_Q1}]\n'
            'item_gap = (rows["perception"] - rows["expectation"]).mean()\n'
        ),
        compare=close_to(0.005),
        mistakes=(
            Mistake(
                lambda ns: float((_item(ns)["expectation"] - _item(ns)["perception"]).mean()),
                t("q1.mistakes.sign"),
            ),
            Mistake(lambda ns: float(_item(ns)["perception"].mean()), t("q1.mistakes.perception")),
            Mistake(
                lambda ns: float((_reliability(ns)["perception"] - _reliability(ns)["expectation"]).mean()),
                t("q1.mistakes.dimension", item=ITEM_Q1),
            ),
            Mistake(
                lambda ns: float(
                    (_item(ns)["perception"] - _item(ns)["expectation"]).sum()
                    / _survey(ns)["respondent_id"].nunique()
                ),
                t("q1.mistakes.every_respondent", item=ITEM_Q1),
            ),
        ),
        explain=lambda value: t("q1.explain", item=ITEM_Q1, gap=t.signed(value, 2)),
        language=language,
    )
    q2 = Exercise(
        variable="let_down_on_every_item",
        question=t("q2.question"),
        expected=_let_down_on_all,
        hint_text=t("q2.hint"),
        solution_code=(
            'rows = inputs.survey[inputs.survey["dimension"] == "reliability"]\n'
            'below = (rows["perception"] < rows["expectation"]).groupby(rows["respondent_id"]).sum()\n'
            'let_down_on_every_item = int((below == rows["item"].nunique()).sum())  # all 5 items\n'
        ),
        compare=equal,
        mistakes=(
            Mistake(lambda ns: int(_below_by_respondent(ns).any().sum()), t("q2.mistakes.any")),
            Mistake(lambda ns: int(_below_by_respondent(ns).all().sum()), t("q2.mistakes.all_answered")),
            Mistake(lambda ns: int((_reliability_gap_by_respondent(ns) < 0).sum()), t("q2.mistakes.average")),
            Mistake(
                lambda ns: int((_reliability(ns)["perception"] < _reliability(ns)["expectation"]).sum()),
                t("q2.mistakes.answers"),
            ),
        ),
        explain=lambda value: t("q2.explain", count=t.number(value)),
        language=language,
    )
    q3 = Exercise(
        variable="detractor_share",
        question=t("q3.question"),
        expected=lambda ns: float((_recommend(ns) <= 6).mean()),
        hint_text=t("q3.hint"),
        solution_code=(
            'scores = inputs.survey.groupby("respondent_id")["recommend"].first().dropna()\n'
            "detractor_share = (scores <= 6).mean()\n"
        ),
        compare=close_to(0.005),
        mistakes=(
            Mistake(lambda ns: float((_recommend(ns) <= 7).mean()), t("q3.mistakes.sevens")),
            Mistake(lambda ns: float((_recommend(ns) < 6).mean()), t("q3.mistakes.sixes")),
            Mistake(lambda ns: float((_recommend(ns) >= 9).mean()), t("q3.mistakes.promoters")),
            Mistake(lambda ns: float((_survey(ns)["recommend"] <= 6).mean()), t("q3.mistakes.rows")),
        ),
        explain=lambda value: t("q3.explain", share=t.percent(value, 1)),
        language=language,
    )
    q4 = Exercise(
        variable="nps_let_down",
        question=t("q4.question"),
        expected=lambda ns: _nps_of(ns, _reliability_gap_by_respondent(ns).loc[lambda g: g < 0].index),
        hint_text=t("q4.hint"),
        solution_code=(
            'rows = inputs.survey[inputs.survey["dimension"] == "reliability"]\n'
            'gap = (rows["perception"] - rows["expectation"]).groupby(rows["respondent_id"]).mean()\n'
            'scores = inputs.survey.groupby("respondent_id")["recommend"].first()\n'
            "scores = scores[gap[gap < 0].index].dropna()\n"
            "nps_let_down = ((scores >= 9).mean() - (scores <= 6).mean()) * 100\n"
        ),
        compare=close_to(0.05),
        mistakes=(
            Mistake(
                lambda ns: _nps_of(ns, _reliability_gap_by_respondent(ns).loc[lambda g: g <= 0].index),
                t("q4.mistakes.zero_gap"),
            ),
            Mistake(lambda ns: _nps(_recommend(ns)), t("q4.mistakes.everyone")),
            Mistake(
                lambda ns: _nps_of(ns, _reliability_gap_by_respondent(ns).loc[lambda g: g >= 0].index),
                t("q4.mistakes.not_let_down"),
            ),
            Mistake(
                lambda ns: _nps(_rows_of(ns, _reliability_gap_by_respondent(ns).loc[lambda g: g < 0].index)),
                t("q4.mistakes.rows"),
            ),
        ),
        explain=lambda value: t("q4.explain", nps=t.signed(value, 1)),
        language=language,
    )
    q5 = Exercise(
        variable="reading",
        question=t("q5.question"),
        expected=lambda ns: "c",
        hint_text=t("q5.hint"),
        solution_code='reading = "c"',
        choices=t.table("q5.choices"),
        options=t.table("q5.options"),
        language=language,
    )
    return q1, q2, q3, q4, q5


q1, q2, q3, q4, q5 = questions("en")
