"""Exercises of lesson 02, customer types: ``q1``, ``q2``, ``q3``.

Each expected answer is computed from the lesson's own data (``inputs``), so the
exercises hold on the sample business and on a client's transactions alike.
"""

from __future__ import annotations

from loyalty_lessons.customer_types import classify_customers, service_prescriptions, type_profile
from loyalty_lessons.exercises._core import Exercise, close_to, equal

__all__ = ["q1", "q2", "q3"]

#: The changed threshold of question 2, in days without a purchase.
LAPSED_AFTER_DAYS_Q2 = 120


def _types(ns: dict, rules: dict | None = None):
    inputs = ns["inputs"]
    return classify_customers(
        inputs.summary, transactions=inputs.transactions, rules=rules, observation_end=inputs.observation_end
    )


def _loyal_revenue_share(ns: dict) -> float:
    profile = type_profile(_types(ns), ns["inputs"].summary)
    return float(profile.set_index(profile["type"].astype("str")).loc["loyal", "revenue_share"])


def _dissatisfied_count(ns: dict) -> int:
    types = _types(ns, {"lapsed_after_days": LAPSED_AFTER_DAYS_Q2})
    return int((types["type"] == "dissatisfied").sum())


def _never_for_granted(ns: dict) -> str:
    table = service_prescriptions()
    match = table["prescription"].str.contains("take them for granted", case=False)
    return str(table.loc[match, "type"].iloc[0])


q1 = Exercise(
    variable="loyal_revenue_share",
    question=(
        "What share of the revenue (a number between 0 and 1) comes from the loyal customers? "
        "Compute it from `types` and `inputs.summary` with pandas."
    ),
    expected=_loyal_revenue_share,
    hint_text=(
        "Join the types to the customer summary with `types.merge(inputs.summary, "
        'on="customer_id")`, add up the `revenue` of the rows whose `type` is "loyal", '
        "and divide by the total `revenue`. (The `profile` table has the answer too, to check.)"
    ),
    solution_code=(
        'typed = types[["customer_id", "type"]].merge(inputs.summary, on="customer_id")\n'
        'loyal_revenue_share = (typed.loc[typed["type"] == "loyal", "revenue"].sum()\n'
        '                       / typed["revenue"].sum())\n'
    ),
    compare=close_to(0.005),
    explain=lambda value: f"The loyal customers bring {value:.0%} of the revenue.",
)

q2 = Exercise(
    variable="dissatisfied_120",
    question=(
        f"If a customer counted as lapsed (dissatisfied) after {LAPSED_AFTER_DAYS_Q2} days "
        "without a purchase instead of 180, how many customers would be dissatisfied?"
    ),
    expected=_dissatisfied_count,
    hint_text=(
        "Either classify again with `ll.classify_customers(inputs.summary, "
        'transactions=inputs.transactions, rules={"lapsed_after_days": '
        f"{LAPSED_AFTER_DAYS_Q2}}}, observation_end=inputs.observation_end)` and count the "
        '"dissatisfied" rows, or count the customers of `inputs.summary` whose '
        f"`days_since_last` is above {LAPSED_AFTER_DAYS_Q2}: the lapsed rule is tried first."
    ),
    solution_code=(
        "types_120 = ll.classify_customers(\n"
        "    inputs.summary, transactions=inputs.transactions,\n"
        f'    rules={{"lapsed_after_days": {LAPSED_AFTER_DAYS_Q2}}}, '
        "observation_end=inputs.observation_end,\n"
        ")\n"
        'dissatisfied_120 = int((types_120["type"] == "dissatisfied").sum())\n'
    ),
    compare=equal,
    explain=lambda value: (
        f"{value:,} customers: a shorter patience counts more customers as lost, which is why "
        "the threshold should match how often your customers normally buy."
    ),
)

q3 = Exercise(
    variable="never_for_granted",
    question=(
        "Which type of customer does the prescription table say you must never take for "
        "granted? Answer with the type, as a string."
    ),
    expected=_never_for_granted,
    hint_text=(
        "Read the `prescription` column of `prescriptions`, or search it: "
        '`prescriptions["prescription"].str.contains("granted")`.'
    ),
    solution_code=(
        'match = prescriptions["prescription"].str.contains("take them for granted", case=False)\n'
        'never_for_granted = prescriptions.loc[match, "type"].iloc[0]\n'
    ),
    compare=equal,
    explain=lambda value: (
        f"The {value} customers: they are safe from competitors only as long as their high "
        "expectations keep being met."
    ),
)
