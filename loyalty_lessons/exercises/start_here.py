"""Exercises of lesson 00, start here: reading a load report, counting customers, refunds.

The expected answers come from the exercise notebook's own variables (``report``, the load
report of the small export it writes, and ``inputs``), never from fixed figures. Notebook:
``notebooks/exercises/00-start-here-exercises.ipynb``. The texts are the catalogue's
``[exercises.start_here]``; ``questions(language)`` gives the questions in a language.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal
from loyalty_lessons.exercises._texts import Texts

__all__ = ["q1", "q2", "q3", "q4", "q5", "questions"]

#: The year of question 3.
YEAR_Q3 = 2025


def _transactions(ns: dict):
    return ns["inputs"].transactions


def _year(ns: dict):
    tx = _transactions(ns)
    return tx.loc[tx["date"].dt.year == YEAR_Q3, "amount"]


def questions(language: str = "en") -> tuple[Exercise, ...]:
    """The questions ``q1`` to ``q5``, their texts in ``language``."""
    t = Texts("start_here", language)
    q1 = Exercise(
        variable="rows_set_aside",
        question=t("q1.question"),
        expected=lambda ns: int(ns["report"].rows_rejected),
        hint_text=t("q1.hint"),
        solution_code="rows_set_aside = len(report.rejected)",
        compare=equal,
        mistakes=(
            Mistake(lambda ns: int(ns["report"].rows_kept), t("q1.mistakes.kept")),
            Mistake(
                lambda ns: int(ns["report"].rows_rejected + ns["report"].duplicates),
                t("q1.mistakes.duplicates"),
            ),
            Mistake(
                lambda ns: int(ns["report"].rows_rejected + ns["report"].refunds),
                t("q1.mistakes.refunds"),
            ),
        ),
        explain=lambda value: t("q1.explain", count=t.number(value)),
        language=language,
    )
    q2 = Exercise(
        variable="online_customers",
        question=t("q2.question"),
        expected=lambda ns: int(
            _transactions(ns).loc[_transactions(ns)["channel"] == "online", "customer_id"].nunique()
        ),
        hint_text=t("q2.hint"),
        solution_code=(
            'online = inputs.transactions[inputs.transactions["channel"] == "online"]\n'
            'online_customers = online["customer_id"].nunique()\n'
        ),
        compare=equal,
        mistakes=(
            Mistake(lambda ns: int((_transactions(ns)["channel"] == "online").sum()), t("q2.mistakes.rows")),
            Mistake(lambda ns: int(_transactions(ns)["customer_id"].nunique()), t("q2.mistakes.everyone")),
        ),
        explain=lambda value: t("q2.explain", count=t.number(value)),
        language=language,
    )
    q3 = Exercise(
        variable="net_revenue_year",
        question=t("q3.question", year=YEAR_Q3),
        expected=lambda ns: float(_year(ns).sum()),
        hint_text=t("q3.hint", year=YEAR_Q3),
        solution_code=(
            "tx = inputs.transactions\n"
            f'net_revenue_year = tx.loc[tx["date"].dt.year == {YEAR_Q3}, "amount"].sum()\n'
        ),
        compare=close_to(1.0),
        mistakes=(
            Mistake(lambda ns: float(_year(ns).clip(lower=0).sum()), t("q3.mistakes.refunds_left_out")),
            Mistake(lambda ns: float(_year(ns).abs().sum()), t("q3.mistakes.refunds_as_purchases")),
            Mistake(
                lambda ns: float(_transactions(ns)["amount"].sum()), t("q3.mistakes.all_years", year=YEAR_Q3)
            ),
        ),
        explain=lambda value: t("q3.explain", amount=t.money(value)),
        language=language,
    )
    q4 = Exercise(
        variable="revenue_per_customer",
        question=t("q4.question"),
        expected=lambda ns: float(ns["inputs"].summary["revenue"].mean()),
        hint_text=t("q4.hint"),
        solution_code='revenue_per_customer = inputs.summary["revenue"].mean()',
        compare=close_to(0.5),
        mistakes=(
            Mistake(lambda ns: float(_transactions(ns)["amount"].mean()), t("q4.mistakes.per_row")),
            Mistake(lambda ns: float(ns["inputs"].summary["revenue"].median()), t("q4.mistakes.median")),
        ),
        explain=lambda value: t("q4.explain", amount=t.money(value)),
        language=language,
    )
    q5 = Exercise(
        variable="ambiguous_dates",
        question=t("q5.question"),
        expected=lambda ns: "b",
        hint_text=t("q5.hint"),
        solution_code='ambiguous_dates = "b"',
        choices=t.table("q5.choices"),
        options=t.table("q5.options"),
        language=language,
    )
    return q1, q2, q3, q4, q5


q1, q2, q3, q4, q5 = questions("en")
