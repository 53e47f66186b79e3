"""Exercises of lesson 03, the 80/20 rule.

Sources: [fr-monitoring-loyalty] and [ru-loyalty-tips].

Each expected answer is computed from the lesson's own data (``inputs``), so the checks
hold on the sample business and on a client's export alike.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, close_to
from loyalty_lessons.pareto import complaint_concentration, gini, top_share

__all__ = ["q1", "q2", "q3"]

q1 = Exercise(
    variable="top20_share",
    question=(
        "Compute yourself, with pandas, the share of revenue brought by the top 20% of "
        "customers (the 20% with the largest revenue; round the number of customers up). "
        "Count a negative revenue as 0. Give a share between 0 and 1."
    ),
    expected=lambda ns: top_share(ns["inputs"].summary, 0.2, negative="clip"),
    hint_text=(
        "Take `inputs.summary['revenue']`, turn negatives into 0 with `.clip(lower=0)`, sort it "
        "from largest to smallest, keep the first `math.ceil(0.2 * len(revenue))` values and "
        "divide their sum by the total."
    ),
    solution_code="""
import math

revenue = inputs.summary["revenue"].clip(lower=0).sort_values(ascending=False)
top_n = math.ceil(0.2 * len(revenue))
top20_share = revenue.head(top_n).sum() / revenue.sum()
""",
    explain=lambda value: (
        f"The top fifth of the customers bring {value:.0%} of the revenue (the rule of thumb says 80%)."
    ),
)

q2 = Exercise(
    variable="gini_orders",
    question=(
        "What is the Gini coefficient of the number of orders per customer? "
        "(0 means every customer places as many orders; close to 1, a few place nearly all.)"
    ),
    expected=lambda ns: gini(ns["inputs"].summary, value_col="orders", negative="clip"),
    hint_text="`ll.gini` takes the summary and the name of the column with `value_col=`.",
    solution_code='gini_orders = ll.gini(inputs.summary, value_col="orders")',
    explain=lambda value: f"A Gini of {value:.2f}; compare it with the Gini of revenue in the table above.",
)

q3 = Exercise(
    variable="complaint_share_top20",
    question=(
        "Among the customers who complained at least once, what share of all complaints "
        "comes from the 20% who complained most (round their number up)? "
        "Give a share between 0 and 1."
    ),
    expected=lambda ns: float(
        complaint_concentration(ns["complaints_inputs"].complaints, fraction=0.2)["complaint_share"].iloc[0]
    ),
    hint_text=(
        "`complaints_inputs.complaints['customer_id'].value_counts()` counts the complaints of each "
        "complaining customer, largest first; keep the first `math.ceil(0.2 * len(counts))`."
    ),
    solution_code="""
import math

counts = complaints_inputs.complaints["customer_id"].value_counts()
top_n = math.ceil(0.2 * len(counts))
complaint_share_top20 = counts.head(top_n).sum() / counts.sum()
""",
    compare=close_to(0.005),
    explain=lambda value: f"The most demanding fifth of complainers make {value:.0%} of the complaints.",
)
