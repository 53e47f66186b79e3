"""Exercises of lesson 03, the 80/20 rule: ``q1`` to ``q5``.

Sources: [fr-monitoring-loyalty] (the rule for sales and for problems, and its advice).

Each expected answer is computed from the exercise notebook's data (``inputs``,
``complaints_inputs``), so the checks hold on the sample business and on a client's export
alike. Notebook: ``notebooks/exercises/03-the-80-20-rule-exercises.ipynb``.
"""

from __future__ import annotations

import math

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to, equal
from loyalty_lessons.pareto import gini, top_share

__all__ = ["FRACTION_Q1", "FRACTION_Q2", "YEAR_Q3", "q1", "q2", "q3", "q4", "q5"]

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


q1 = Exercise(
    variable="top10_share",
    question=(
        f"What share of the revenue (between 0 and 1) do the top {FRACTION_Q1:.0%} of customers "
        "bring, the customers with the largest net revenue? Count a negative net revenue as 0 "
        "and round the number of customers up."
    ),
    expected=lambda ns: top_share(ns["inputs"].summary, FRACTION_Q1, negative="clip"),
    hint_text=(
        "Take `inputs.summary['revenue']`, turn negatives into 0 with `.clip(lower=0)`, sort it "
        f"from largest to smallest, keep the first `math.ceil({FRACTION_Q1} * len(revenue))` "
        "values and divide their sum by the total."
    ),
    solution_code=f"""
import math

revenue = inputs.summary["revenue"].clip(lower=0).sort_values(ascending=False)
top10_share = revenue.head(math.ceil({FRACTION_Q1} * len(revenue))).sum() / revenue.sum()
""",
    mistakes=(
        Mistake(
            _top_rows_share,
            f"that is the share of the largest {FRACTION_Q1:.0%} of transactions, not of customers: "
            "start from `inputs.summary`, one row per customer.",
        ),
        Mistake(
            _top_by_orders_share,
            "you ranked the customers by their number of orders; the question ranks them by revenue.",
        ),
        Mistake(
            lambda ns: top_share(ns["inputs"].summary, 0.2, negative="clip"),
            f"that is the share of the top 20% (the lesson's figure); the question asks for the "
            f"top {FRACTION_Q1:.0%}.",
        ),
    ),
    explain=lambda value: f"The best tenth of the customers brings {value:.1%} of the revenue.",
)

q2 = Exercise(
    variable="top_complainers",
    question=(
        f"How many customers make up the top {FRACTION_Q2:.0%} of the customers who complained "
        "at least once (round up)?"
    ),
    expected=lambda ns: math.ceil(FRACTION_Q2 * len(_complaint_counts(ns))),
    hint_text=(
        "Count the complaining customers, "
        '`complaints_inputs.complaints["customer_id"].nunique()`, multiply by '
        f"{FRACTION_Q2} and round up with `math.ceil`."
    ),
    solution_code=(
        "import math\n\n"
        'complainers = complaints_inputs.complaints["customer_id"].nunique()\n'
        f"top_complainers = math.ceil({FRACTION_Q2} * complainers)\n"
    ),
    compare=equal,
    mistakes=(
        Mistake(
            lambda ns: math.floor(FRACTION_Q2 * len(_complaint_counts(ns))),
            "you rounded down (or to the nearest): a share of a group that does not divide evenly "
            "is rounded up, so that the top group holds at least that share of the customers.",
        ),
        Mistake(
            lambda ns: math.ceil(FRACTION_Q2 * len(ns["complaints_inputs"].summary)),
            f"that is {FRACTION_Q2:.0%} of all customers; the question takes it of the customers who "
            "complained.",
        ),
        Mistake(
            lambda ns: int(
                _complaint_counts(ns).head(math.ceil(FRACTION_Q2 * len(_complaint_counts(ns)))).sum()
            ),
            "that is the number of complaints those customers made, not the number of customers.",
        ),
    ),
    explain=lambda value: f"{value:,} customers.",
)

q3 = Exercise(
    variable="gini_year",
    question=(
        f"What is the Gini coefficient of the net revenue per customer in {YEAR_Q3}, over the "
        f"customers who bought in {YEAR_Q3}? Count a negative net revenue as 0."
    ),
    expected=lambda ns: gini(_year_revenue(ns).tolist()),
    hint_text=(
        f"Keep the transactions of {YEAR_Q3} (`.dt.year`), add up `amount` per customer with "
        '`.groupby("customer_id")["amount"].sum()`, `.clip(lower=0)`, and pass the result to '
        "`ll.gini`."
    ),
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
            f"you counted the customers who did not buy in {YEAR_Q3} with a revenue of 0: the "
            "question is about those who bought, and zeros push the Gini up.",
        ),
        Mistake(
            lambda ns: gini(ns["inputs"].summary, negative="clip"),
            f"that is the Gini of the revenue over the whole period; keep {YEAR_Q3} only.",
        ),
    ),
    explain=lambda value: f"A Gini of {value:.3f} in {YEAR_Q3}.",
)

q4 = Exercise(
    variable="all_customers_reading",
    question=(
        "`complaint_concentration` says that the fifth of *all* customers with the most "
        "complaints holds 100% of the complaints. What does that tell you?"
    ),
    expected=lambda ns: "b",
    hint_text="How many customers complained at all, compared with a fifth of the customers?",
    solution_code='all_customers_reading = "b"',
    choices={
        "a": (
            "it would only if complaints were spread over more than a fifth of the customers; "
            "here fewer than a fifth ever complained, so any fifth that contains them all holds "
            "100%, however the complaints are spread among them."
        ),
        "b": (
            "fewer than a fifth of the customers ever complained, so the top fifth holds them all. "
            "To see how concentrated complaints are, look at the complaining customers only."
        ),
        "c": (
            "100% is the expected result whenever complaints are rarer than a fifth of the "
            "customers: nothing was lost or counted twice."
        ),
        "d": (
            "the figure is about complaints only; how much those customers spend is another "
            "question (the overlap of the lesson)."
        ),
    },
)

q5 = Exercise(
    variable="chronic_complainer",
    question=(
        "A customer who spends little complains for the ninth time this year, each time about "
        "something different, and each answer takes the owner an hour. Following the source's "
        "advice on the 80/20 rule of problems, what do you do?"
    ),
    expected=lambda ns: "c",
    hint_text=(
        "The source asks for two things at once: fix what unhappy customers point at, and guard your energy."
    ),
    solution_code='chronic_complainer = "c"',
    choices={
        "a": (
            "that is the trap the source warns about: some customers will never be fully happy "
            "with you, or with anyone, and their fifth would consume the time your contented, "
            "profitable customers deserve."
        ),
        "b": (
            "a complaint names a problem that other customers met too without saying so; the "
            "source asks you to listen and put right what you can, even when the messenger is tiring."
        ),
        "c": (
            "listen and fix what the complaints point at, for everyone, but do not let this "
            "customer consume the energy that belongs to your contented, profitable customers "
            "[fr-monitoring-loyalty]."
        ),
        "d": (
            "a discount answers none of the problems raised, teaches that complaining pays, and "
            "spends money where the source says to spend attention."
        ),
    },
)
