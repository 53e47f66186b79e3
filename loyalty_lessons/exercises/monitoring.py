"""Exercises of lesson 05, monitoring loyalty: ``q1``, ``q2``, ``q3``.

Each expected answer is computed from the notebook's own variables (``inputs``, ``table``,
``month``), so the exercises hold on a client's data as well as on the sample.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from loyalty_lessons.cohorts import cohort_retention
from loyalty_lessons.exercises._core import Exercise
from loyalty_lessons.monitoring import loyalty_signals

__all__ = ["q1", "q2", "q3"]


def _repeat_rate(transactions: pd.DataFrame, month: pd.Period) -> float:
    """Share of the customers buying in ``month`` whose first purchase was in an earlier month.

    Counts rows with a positive amount as purchases (refund rows are left out).
    """
    bought = transactions[transactions["amount"] > 0]
    first = bought.groupby("customer_id")["date"].min().dt.to_period("M")
    active = bought.loc[bought["date"].dt.to_period("M") == month, "customer_id"].unique()
    return float((first[active] < month).mean())


def _worsening(ns: dict) -> list[str]:
    signals = loyalty_signals(ns["table"], window=3)
    return signals.loc[signals["verdict"] == "worsening", "signal"].tolist()


def _one_of(answer, expected: Sequence[str]) -> bool:
    if not expected:
        return answer is None
    return isinstance(answer, str) and answer.strip().lower() in expected


def _retention_after_6_months(ns: dict) -> float:
    retention = cohort_retention(ns["inputs"].transactions, period="M")
    return float(retention[6].mean())


q1 = Exercise(
    variable="repeat_rate",
    question=(
        "Using pandas on `inputs.transactions` (rows with a positive amount are purchases), "
        "what share of the customers who bought in `month` had already bought in an "
        "earlier month?"
    ),
    expected=lambda ns: _repeat_rate(ns["inputs"].transactions, ns["month"]),
    hint_text=(
        "Keep the rows with `amount > 0`. Find each customer's first month with "
        "`groupby('customer_id')['date'].min().dt.to_period('M')`, list the customers who "
        "bought in `month`, and take the mean of `first_month < month` over them."
    ),
    solution_code="""
bought = inputs.transactions[inputs.transactions["amount"] > 0]
first_month = bought.groupby("customer_id")["date"].min().dt.to_period("M")
buyers = bought.loc[bought["date"].dt.to_period("M") == month, "customer_id"].unique()
repeat_rate = (first_month[buyers] < month).mean()
""",
    explain=lambda value: (
        f"{value:.0%} of that month's buyers were returning customers: the "
        "`repeat_rate` column of `table` counts the same way (it also sets aside orders "
        "refunded in full)."
    ),
)

q2 = Exercise(
    variable="worsening_signal",
    question=(
        "Month by month, with a window of 3, which signal is worsening? Give its name as "
        "written in the `signal` column (if several are, any one of them; if none is, "
        "answer `None`)."
    ),
    expected=_worsening,
    hint_text="Look at the `verdict` column of `ll.loyalty_signals(table, window=3)`.",
    solution_code="""
signals = ll.loyalty_signals(table, window=3)
worsening = signals.loc[signals["verdict"] == "worsening", "signal"].tolist()
worsening_signal = worsening[0] if worsening else None
""",
    compare=_one_of,
    explain=lambda names: f"Worsening: {', '.join(names)}." if names else "No signal is worsening.",
)

q3 = Exercise(
    variable="retention_6_months",
    question=(
        "Build the monthly cohort table with `ll.cohort_retention(inputs.transactions, "
        'period="M")`. On average over the cohorts observed that long, what share of new '
        "customers still buy 6 months after the month of their first purchase?"
    ),
    expected=_retention_after_6_months,
    hint_text=(
        "Column 6 of the table holds each cohort's share 6 months on; its `.mean()` skips "
        "the cohorts not observed that long (NaN)."
    ),
    solution_code="""
retention_6_months = ll.cohort_retention(inputs.transactions, period="M")[6].mean()
""",
    explain=lambda value: f"About {value:.0%} of a month's new customers are still buying half a year later.",
)
