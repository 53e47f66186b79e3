"""Exercises of lesson 03, the 80/20 rule: ``q1`` to ``q5``.

Sources: [fr-monitoring-loyalty] (the rule for sales and for problems, and its advice).

Each expected answer is computed from the exercise notebook's data (``inputs``,
``complaints_inputs``), so the checks hold on the sample business and on a client's export
alike. Notebook: ``notebooks/exercises/03-the-80-20-rule-exercises.ipynb``. The texts are the
catalogue's ``[exercises.pareto]``; ``questions(language)`` gives the questions in a language.
"""

from __future__ import annotations

import math

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal
from loyalty_lessons.exercises._texts import Texts
from loyalty_lessons.pareto import gini, top_share

__all__ = ["FRACTION_Q1", "FRACTION_Q2", "YEAR_Q3", "q1", "q2", "q3", "q4", "q5", "questions"]

#: The top fraction of customers of question 1.
FRACTION_Q1 = 0.1
#: The top fraction of complaining customers of question 2.
FRACTION_Q2 = 0.15
#: The year of question 3.
YEAR_Q3 = 2025


def _revenue(ns: dict):
    return ns["inputs"].summary["revenue"].clip(lower=0)


def _complaint_counts(ns: dict):
    return ns["complaints_inputs"].complaints["customer_id"].value_counts()


def _year_revenue(ns: dict):
    tx = ns["inputs"].transactions
    return tx[tx["date"].dt.year == YEAR_Q3].groupby("customer_id")["amount"].sum().clip(lower=0)


def _top_rows_share(ns: dict) -> float:
    amounts = ns["inputs"].transactions["amount"].clip(lower=0).sort_values(ascending=False)
    return float(amounts.head(math.ceil(FRACTION_Q1 * len(amounts))).sum() / amounts.sum())


def _top_by_orders_share(ns: dict) -> float:
    summary = ns["inputs"].summary
    top = summary.sort_values("orders", ascending=False).head(math.ceil(FRACTION_Q1 * len(summary)))
    return float(top["revenue"].clip(lower=0).sum() / _revenue(ns).sum())


def questions(language: str = "en") -> tuple[Exercise, ...]:
    """The questions ``q1`` to ``q5``, their texts in ``language``."""
    t = Texts("pareto", language)
    top1 = t.percent(FRACTION_Q1)
    q1 = Exercise(
        variable="top10_share",
        question=t("q1.question", fraction=top1),
        expected=lambda ns: top_share(ns["inputs"].summary, FRACTION_Q1, negative="clip"),
        hint_text=t("q1.hint", fraction=FRACTION_Q1),
        solution_code=f"""
import math

revenue = inputs.summary["revenue"].clip(lower=0).sort_values(ascending=False)
top10_share = revenue.head(math.ceil({FRACTION_Q1} * len(revenue))).sum() / revenue.sum()
""",
        mistakes=(
            Mistake(_top_rows_share, t("q1.mistakes.transactions", fraction=top1)),
            Mistake(_top_by_orders_share, t("q1.mistakes.by_orders")),
            Mistake(
                lambda ns: top_share(ns["inputs"].summary, 0.2, negative="clip"),
                t("q1.mistakes.top_20", fraction=top1, lesson=t.percent(0.2)),
            ),
        ),
        explain=lambda value: t("q1.explain", share=t.percent(value, 1)),
        language=language,
    )
    top2 = t.percent(FRACTION_Q2)
    q2 = Exercise(
        variable="top_complainers",
        question=t("q2.question", fraction=top2),
        expected=lambda ns: math.ceil(FRACTION_Q2 * len(_complaint_counts(ns))),
        hint_text=t("q2.hint", fraction=FRACTION_Q2),
        solution_code=(
            "import math\n\n"
            'complainers = complaints_inputs.complaints["customer_id"].nunique()\n'
            f"top_complainers = math.ceil({FRACTION_Q2} * complainers)\n"
        ),
        compare=equal,
        mistakes=(
            Mistake(
                lambda ns: math.floor(FRACTION_Q2 * len(_complaint_counts(ns))),
                t("q2.mistakes.rounded_down"),
            ),
            Mistake(
                lambda ns: math.ceil(FRACTION_Q2 * len(ns["complaints_inputs"].summary)),
                t("q2.mistakes.all_customers", fraction=top2),
            ),
            Mistake(
                lambda ns: int(
                    _complaint_counts(ns).head(math.ceil(FRACTION_Q2 * len(_complaint_counts(ns)))).sum()
                ),
                t("q2.mistakes.complaints"),
            ),
        ),
        explain=lambda value: t("q2.explain", count=t.number(value)),
        language=language,
    )
    q3 = Exercise(
        variable="gini_year",
        question=t("q3.question", year=YEAR_Q3),
        expected=lambda ns: gini(_year_revenue(ns).tolist()),
        hint_text=t("q3.hint", year=YEAR_Q3),
        solution_code=(
            "tx = inputs.transactions\n"
            f'year = tx[tx["date"].dt.year == {YEAR_Q3}].groupby("customer_id")["amount"].sum()\n'
            "gini_year = ll.gini(year.clip(lower=0).tolist())\n"
        ),
        compare=close_to(0.005),
        mistakes=(
            Mistake(
                lambda ns: gini(
                    _year_revenue(ns).reindex(ns["inputs"].summary["customer_id"], fill_value=0).tolist()
                ),
                t("q3.mistakes.zeros", year=YEAR_Q3),
            ),
            Mistake(
                lambda ns: gini(ns["inputs"].summary, negative="clip"),
                t("q3.mistakes.whole_period", year=YEAR_Q3),
            ),
        ),
        explain=lambda value: t("q3.explain", gini=t.number(value, 3), year=YEAR_Q3),
        language=language,
    )
    q4 = Exercise(
        variable="all_customers_reading",
        question=t("q4.question"),
        expected=lambda ns: "b",
        hint_text=t("q4.hint"),
        solution_code='all_customers_reading = "b"',
        choices=t.table("q4.choices"),
        options=t.table("q4.options"),
        language=language,
    )
    q5 = Exercise(
        variable="chronic_complainer",
        question=t("q5.question"),
        expected=lambda ns: "c",
        hint_text=t("q5.hint"),
        solution_code='chronic_complainer = "c"',
        choices=t.table("q5.choices"),
        options=t.table("q5.options"),
        language=language,
    )
    return q1, q2, q3, q4, q5


q1, q2, q3, q4, q5 = questions("en")
