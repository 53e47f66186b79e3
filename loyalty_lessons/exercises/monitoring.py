"""Exercises of lesson 05, monitoring loyalty ([fr-monitoring-loyalty]).

Each expected answer is computed from the exercise notebook's own variables (``inputs``,
``table``, ``month``, ``signals_6``), so the exercises hold on a client's data as well as on
the sample. ``month`` is the last complete month a year back, and the judgement is made on a
window of six months: the lesson prints neither. Each question lists the mistakes a student
is likely to make, each with its own feedback.
"""

from __future__ import annotations

import pandas as pd

from loyalty_lessons.cohorts import cohort_retention
from loyalty_lessons.exercises._core import Exercise, Mistake, close_to

__all__ = ["COHORT_MONTHS", "q1", "q2", "q3", "q4"]

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

q1 = Exercise(
    variable="new_share",
    question=(
        "Using pandas on `inputs.transactions` (rows with a positive amount are purchases; the "
        "others are refunds), what share of the customers who bought in `month` were new "
        "customers, making their first purchase that month? Give a share between 0 and 1 (one "
        "minus it is the month's repeat-business rate)."
    ),
    expected=_new_share,
    hint_text=(
        "Keep the rows with `amount > 0`. Find each customer's first month with "
        "`groupby('customer_id')['date'].min().dt.to_period('M')`, list the customers who "
        "bought in `month` (each once: `.unique()`), and take the mean of `first_month == month` "
        "over them."
    ),
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
            "that is the share of the month's purchases (rows) made by new customers; the question "
            "asks for the share of customers: count each customer once (`.unique()`).",
        ),
        Mistake(
            lambda ns: 1 - _new_share(ns),
            "that is the share of returning customers (the repeat-business rate), the other side "
            "of the answer.",
        ),
        Mistake(
            lambda ns: float(
                (_first_month(ns["inputs"].transactions) == ns["month"]).sum()
                / ns["inputs"].transactions["customer_id"].nunique()
            ),
            "you divided by every customer the business ever had; divide by the customers who "
            "bought in `month`.",
        ),
        Mistake(
            lambda ns: 100 * _new_share(ns),
            "that is a percentage; give the share between 0 and 1.",
        ),
    ),
    explain=lambda value: (
        f"{value:.1%} of that month's buyers were new: the other {1 - value:.1%} had bought before, "
        "the month's repeat-business rate."
    ),
)

# --------------------------------------------------------------------------- q2


def _month_rows(ns: dict) -> pd.DataFrame:
    return _rows_of(ns["inputs"].transactions, ns["month"])


q2 = Exercise(
    variable="net_takings",
    question=(
        "How much money did the business take in `month`, net of that month's refunds (the rows "
        "with a negative amount)?"
    ),
    expected=lambda ns: float(_month_rows(ns)["amount"].sum()),
    hint_text=(
        "Select the month's rows with `inputs.transactions['date'].dt.to_period('M') == month` "
        "and add up their `amount`: the refunds are negative, so they come off by themselves."
    ),
    solution_code="""
rows = inputs.transactions[inputs.transactions["date"].dt.to_period("M") == month]
net_takings = rows["amount"].sum()
""",
    compare=close_to(0.05),
    mistakes=(
        Mistake(
            lambda ns: float(_bought(_month_rows(ns))["amount"].sum()),
            "you left the refunds out: the money taken net of refunds includes the month's negative rows.",
        ),
        Mistake(
            lambda ns: float(_month_rows(ns)["amount"].abs().sum()),
            "you added the refunds as if they were sales (`abs()`): money given back lowers the takings.",
        ),
        Mistake(
            lambda ns: float(_month_rows(ns)["amount"].mean()),
            "that is the average row (orders and refunds mixed), not the month's total: `.sum()` "
            "the amounts.",
        ),
    ),
    explain=lambda value: (
        f"The month took {value:,.2f} net of refunds: the `revenue` column of `table` counts it the same way."
    ),
)

# --------------------------------------------------------------------------- q3


def _cohorts(ns: dict, period: str = "M") -> pd.DataFrame:
    return cohort_retention(ns["inputs"].transactions, period=period)


q3 = Exercise(
    variable="retention_6_months",
    question=(
        "Build the monthly cohort table with `ll.cohort_retention(inputs.transactions, "
        'period="M")`. On average over the cohorts observed that long, what share of a month\'s '
        f"new customers still buy {COHORT_MONTHS} months after the month of their first purchase?"
    ),
    expected=lambda ns: float(_cohorts(ns)[COHORT_MONTHS].mean()),
    hint_text=(
        f"Column {COHORT_MONTHS} of the table holds each cohort's share {COHORT_MONTHS} months on "
        "(column 0 is the month of the first purchase). Its `.mean()` skips the cohorts not "
        "observed that long (NaN)."
    ),
    solution_code="""
retention_6_months = ll.cohort_retention(inputs.transactions, period="M")[6].mean()
""",
    compare=close_to(0.001),
    mistakes=(
        Mistake(
            lambda ns: float(_cohorts(ns)[COHORT_MONTHS].fillna(0).mean()),
            f"you counted the cohorts not yet observed {COHORT_MONTHS} months as 0: they are unknown "
            "(NaN), not lost. Let `.mean()` skip them.",
        ),
        Mistake(
            lambda ns: float(_cohorts(ns)[COHORT_MONTHS - 1].mean()),
            f"that is column {COHORT_MONTHS - 1}: column 0 is the month of the first purchase, so "
            f"{COHORT_MONTHS} months later is column {COHORT_MONTHS}.",
        ),
        Mistake(
            lambda ns: float(_cohorts(ns, "Q")[COHORT_MONTHS // 3].mean()),
            "that is the quarterly table (two quarters on); the question asks for monthly cohorts, "
            'with `period="M"`.',
        ),
    ),
    explain=lambda value: (
        f"About {value:.0%} of a month's new customers are still buying {COHORT_MONTHS} months later."
    ),
)

# --------------------------------------------------------------------------- q4

_VERDICT_OPTION = {"worsening": "a", "within noise": "b", "improving": "c"}


def _new_customers(ns: dict) -> pd.Series:
    signals = ns["signals_6"]
    return signals.loc[signals["signal"] == "new_customers"].iloc[0]


def _reading(ns: dict) -> str:
    row = _new_customers(ns)
    return (
        f"new customers went from {row['before']:.1f} to {row['after']:.1f} a month, a change of "
        f"{row['after'] - row['before']:+.1f} against a band of normal variation of ± {row['band']:.1f}"
    )


q4 = Exercise(
    variable="new_customer_reading",
    question=(
        "`signals_6` compares each signal over windows of six months. The owner wants to cut the "
        'advertising budget "because new customers are falling". Reading the row '
        "`new_customers` (its `before`, `after` and `band`), what do you tell them? Answer "
        "'a', 'b' or 'c'.\n\n"
        "- **a** New customers are falling beyond normal variation: find out why before cutting "
        "anything that brings them.\n"
        "- **b** The change is within normal variation: the figures do not show a fall (or a "
        "rise); decide on other grounds and look again next quarter.\n"
        "- **c** New customers are rising beyond normal variation: the figures show no fall to "
        "cut for (what brought the rise, they do not say)."
    ),
    expected=lambda ns: _VERDICT_OPTION.get(_new_customers(ns)["verdict"], "b"),
    hint_text=(
        "The change is `after - before`. It is news only when it is larger than `band`, the "
        "half-width of normal variation; otherwise chance alone could explain it."
    ),
    solution_code="""
row = signals_6.set_index("signal").loc["new_customers"]
change = row["after"] - row["before"]
if abs(change) <= row["band"]:
    new_customer_reading = "b"
else:
    new_customer_reading = "c" if change > 0 else "a"
""",
    choices={
        "a": lambda ns: f"{_reading(ns)}: a fall is news only when it is larger than the band.",
        "b": lambda ns: (
            f"{_reading(ns)}: within the band, chance alone could explain the change; the figures "
            "neither support nor refute the owner's worry."
        ),
        "c": lambda ns: f"{_reading(ns)}: a rise is news only when it is larger than the band.",
    },
)
