"""Exercises of lesson 05, monitoring loyalty ([fr-monitoring-loyalty]).

Each expected answer is computed from the exercise notebook's own variables (``inputs``,
``table``, ``month``, ``signals_6``), so the exercises hold on a client's data as well as on
the sample. ``month`` is the last complete month a year back, and the judgement is made on a
window of six months: the lesson prints neither. Each question lists the mistakes a student
is likely to make, each with its own feedback. The texts are the catalogue's
``[exercises.monitoring]``; ``questions(language)`` gives the questions in a language.
"""

from __future__ import annotations

import pandas as pd

from loyalty_lessons.cohorts import cohort_retention
from loyalty_lessons.exercises._core import Exercise, Mistake, close_to
from loyalty_lessons.exercises._texts import Texts

__all__ = ["COHORT_MONTHS", "q1", "q2", "q3", "q4", "questions"]

#: Months after the first purchase at which q3 reads the cohorts.
COHORT_MONTHS = 6


def _bought(transactions: pd.DataFrame) -> pd.DataFrame:
    return transactions[transactions["amount"] > 0]


def _first_month(transactions: pd.DataFrame) -> pd.Series:
    return _bought(transactions).groupby("customer_id")["date"].min().dt.to_period("M")


def _rows_of(transactions: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    return transactions[transactions["date"].dt.to_period("M") == month]


def _buyers(ns: dict):
    """The customers with a purchase (a row with a positive amount) in ``month``, each once."""
    return _rows_of(_bought(ns["inputs"].transactions), ns["month"])["customer_id"].unique()


def _new_share(ns: dict) -> float:
    """Share of the customers buying in ``month`` whose first purchase was in that month."""
    return float((_first_month(ns["inputs"].transactions)[_buyers(ns)] == ns["month"]).mean())


# --------------------------------------------------------------------------- q1

# --------------------------------------------------------------------------- q2


def _month_rows(ns: dict) -> pd.DataFrame:
    return _rows_of(ns["inputs"].transactions, ns["month"])


# --------------------------------------------------------------------------- q3


def _cohorts(ns: dict, period: str = "M") -> pd.DataFrame:
    return cohort_retention(ns["inputs"].transactions, period=period)


# --------------------------------------------------------------------------- q4

_VERDICT_OPTION = {"worsening": "a", "within noise": "b", "improving": "c"}


def _new_customers(ns: dict) -> pd.Series:
    signals = ns["signals_6"]
    return signals.loc[signals["signal"] == "new_customers"].iloc[0]


# --------------------------------------------------------------------------- the questions


def questions(language: str = "en") -> tuple[Exercise, ...]:
    """The questions ``q1`` to ``q4``, their texts in ``language``."""
    t = Texts("monitoring", language)
    q1 = Exercise(
        variable="new_share",
        question=t("q1.question"),
        expected=_new_share,
        hint_text=t("q1.hint"),
        solution_code="""
bought = inputs.transactions[inputs.transactions["amount"] > 0]
first_month = bought.groupby("customer_id")["date"].min().dt.to_period("M")
buyers = bought.loc[bought["date"].dt.to_period("M") == month, "customer_id"].unique()
new_share = (first_month[buyers] == month).mean()
""",
        compare=close_to(0.001),
        mistakes=(
            Mistake(
                lambda ns: float(
                    (
                        _first_month(ns["inputs"].transactions)[
                            _rows_of(_bought(ns["inputs"].transactions), ns["month"])["customer_id"]
                        ].to_numpy()
                        == ns["month"]
                    ).mean()
                ),
                t("q1.mistakes.rows"),
            ),
            Mistake(lambda ns: 1 - _new_share(ns), t("q1.mistakes.returning")),
            Mistake(
                lambda ns: float(
                    (_first_month(ns["inputs"].transactions) == ns["month"]).sum()
                    / ns["inputs"].transactions["customer_id"].nunique()
                ),
                t("q1.mistakes.every_customer"),
            ),
            Mistake(lambda ns: 100 * _new_share(ns), t("q1.mistakes.percentage")),
        ),
        explain=lambda value: t("q1.explain", new=t.percent(value, 1), returning=t.percent(1 - value, 1)),
        language=language,
    )
    q2 = Exercise(
        variable="net_takings",
        question=t("q2.question"),
        expected=lambda ns: float(_month_rows(ns)["amount"].sum()),
        hint_text=t("q2.hint"),
        solution_code="""
rows = inputs.transactions[inputs.transactions["date"].dt.to_period("M") == month]
net_takings = rows["amount"].sum()
""",
        compare=close_to(0.05),
        mistakes=(
            Mistake(
                lambda ns: float(_bought(_month_rows(ns))["amount"].sum()), t("q2.mistakes.refunds_left_out")
            ),
            Mistake(
                lambda ns: float(_month_rows(ns)["amount"].abs().sum()), t("q2.mistakes.refunds_as_sales")
            ),
            Mistake(lambda ns: float(_month_rows(ns)["amount"].mean()), t("q2.mistakes.mean")),
        ),
        explain=lambda value: t("q2.explain", amount=t.number(value, 2)),
        language=language,
    )
    months = COHORT_MONTHS
    q3 = Exercise(
        variable="retention_6_months",
        question=t("q3.question", months=months),
        expected=lambda ns: float(_cohorts(ns)[months].mean()),
        hint_text=t("q3.hint", months=months),
        solution_code="""
retention_6_months = ll.cohort_retention(inputs.transactions, period="M")[6].mean()
""",
        compare=close_to(0.001),
        mistakes=(
            Mistake(
                lambda ns: float(_cohorts(ns)[months].fillna(0).mean()),
                t("q3.mistakes.unobserved", months=months),
            ),
            Mistake(
                lambda ns: float(_cohorts(ns)[months - 1].mean()),
                t("q3.mistakes.column", column=months - 1, months=months),
            ),
            Mistake(lambda ns: float(_cohorts(ns, "Q")[months // 3].mean()), t("q3.mistakes.quarterly")),
        ),
        explain=lambda value: t("q3.explain", share=t.percent(value), months=months),
        language=language,
    )

    def reading(ns: dict) -> str:
        row = _new_customers(ns)
        return t(
            "q4.reading",
            before=t.number(row["before"], 1),
            after=t.number(row["after"], 1),
            change=t.signed(row["after"] - row["before"], 1),
            band=t.number(row["band"], 1),
        )

    q4 = Exercise(
        variable="new_customer_reading",
        question=t("q4.question"),
        expected=lambda ns: _VERDICT_OPTION.get(_new_customers(ns)["verdict"], "b"),
        hint_text=t("q4.hint"),
        solution_code="""
row = signals_6.set_index("signal").loc["new_customers"]
change = row["after"] - row["before"]
if abs(change) <= row["band"]:
    new_customer_reading = "b"
else:
    new_customer_reading = "c" if change > 0 else "a"
""",
        choices={option: _explained(t, option, reading) for option in ("a", "b", "c")},
        options=t.table("q4.options"),
        language=language,
    )
    return q1, q2, q3, q4


def _explained(t: Texts, option: str, reading):
    return lambda ns: t(f"q4.choices.{option}", reading=reading(ns))


q1, q2, q3, q4 = questions("en")
