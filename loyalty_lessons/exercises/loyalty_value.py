"""Exercises of lesson 04, loyalty-value math ([fr-loyalty-value], [it-loyalty-steps] and [ru-loyalty-tips]).

The expected answers are computed from the exercise notebook's own variables: ``figures``
(the business's figures, :func:`loyalty_lessons.loyalty_value.business_figures`) and the
settings ``margin`` and ``discount_rate``, so the checks hold on a client's data too. The
questions ask for figures the lesson does not print (three years, not five; a regular
customer's lifetime value, not the average customer's), so that none can be copied from it.
Each question lists the mistakes a student is likely to make, each with its own feedback.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, Mistake, close_to
from loyalty_lessons.loyalty_value.lifetime import customer_lifetime_value

__all__ = ["GAP_YEARS", "HORIZON_YEARS", "MARGIN_POINTS", "RETENTION_POINTS", "q1", "q2", "q3", "q4", "q5"]

#: Years of q1's spending gap (the lesson shows five).
GAP_YEARS = 3
#: Years after which q2 counts the customers left.
HORIZON_YEARS = 3
#: q4's two levers: points of margin, points of yearly retention.
MARGIN_POINTS, RETENTION_POINTS = 10, 5


def _monthly_gap(ns: dict) -> float:
    figures = ns["figures"]
    return float(figures.monthly_spend_loyal - figures.monthly_spend_satisfied)


# --------------------------------------------------------------------------- q1

q1 = Exercise(
    variable="three_year_gap",
    question=(
        "A regular customer of this business spends `figures.monthly_spend_loyal` a month, an "
        "occasional one `figures.monthly_spend_satisfied`. How much more does a regular customer "
        f"spend than an occasional one over {GAP_YEARS} years (undiscounted, both staying all "
        f"{GAP_YEARS} years)?"
    ),
    expected=lambda ns: _monthly_gap(ns) * 12 * GAP_YEARS,
    hint_text="The difference of the two monthly spends, times 12 months, times the number of years.",
    solution_code=(
        "three_year_gap = (figures.monthly_spend_loyal - figures.monthly_spend_satisfied) * 12 * 3"
    ),
    compare=close_to(0.5),
    mistakes=(
        Mistake(
            lambda ns: _monthly_gap(ns) * GAP_YEARS,
            "you multiplied a monthly difference by a number of years: turn it into a yearly "
            "difference first (12 months a year).",
        ),
        Mistake(
            lambda ns: _monthly_gap(ns) * 12,
            f"that is the gap of one year; the question asks for {GAP_YEARS} years.",
        ),
        Mistake(
            lambda ns: _monthly_gap(ns) * 12 * 5,
            f"that is the five-year gap of the lesson's example; the question asks for {GAP_YEARS} years.",
        ),
        Mistake(
            lambda ns: -_monthly_gap(ns) * 12 * GAP_YEARS,
            "you subtracted the other way round: the regular customer's spend comes first.",
        ),
    ),
    explain=lambda value: f"Over {GAP_YEARS} years a regular customer spends {value:,.0f} more.",
)

# --------------------------------------------------------------------------- q2


def _left(ns: dict, customers: float, retention: float, years: int) -> float:
    return float(customers * retention**years)


q2 = Exercise(
    variable="customers_left",
    question=(
        "Suppose the business stopped winning new customers today. Of its active customers "
        "(`figures.active_customers`), how many would still be customers after "
        f"{HORIZON_YEARS} years, if each year it keeps the share `figures.yearly_retention` of them?"
    ),
    expected=lambda ns: _left(
        ns, ns["figures"].active_customers, ns["figures"].yearly_retention, HORIZON_YEARS
    ),
    hint_text=(
        "Each year multiplies the customers by the retention: after one year N × r, after two "
        "N × r × r. Python writes r to the power 3 as `r ** 3`."
    ),
    solution_code=("customers_left = figures.active_customers * figures.yearly_retention ** 3"),
    compare=close_to(0.5),
    mistakes=(
        Mistake(
            lambda ns: _left(
                ns, ns["figures"].active_customers, 1 - ns["figures"].yearly_retention, HORIZON_YEARS
            ),
            "you used the share who leave (1 − retention) as the share who stay.",
        ),
        Mistake(
            lambda ns: float(
                ns["figures"].active_customers * (1 - HORIZON_YEARS * (1 - ns["figures"].yearly_retention))
            ),
            "you took the same number of customers off every year. Each year's loss is a share of "
            "the customers left, so it shrinks: multiply by the retention once a year.",
        ),
        Mistake(
            lambda ns: _left(ns, ns["figures"].customers, ns["figures"].yearly_retention, HORIZON_YEARS),
            "you started from every customer the business ever had (`figures.customers`); start "
            "from the active ones, who bought in the last 365 days.",
        ),
        Mistake(
            lambda ns: _left(
                ns, ns["figures"].active_customers, ns["figures"].yearly_retention, HORIZON_YEARS - 1
            ),
            f"that is the count after {HORIZON_YEARS - 1} years: the retention applies once for each of "
            f"the {HORIZON_YEARS} years.",
        ),
    ),
    explain=lambda value: (
        f"About {value:,.0f} would be left: without new customers, even a good retention "
        "empties the base year after year."
    ),
)

# --------------------------------------------------------------------------- q3


def _regular_margin(ns: dict) -> float:
    return 12 * float(ns["figures"].monthly_spend_loyal) * ns["margin"]


def _clv(ns: dict, yearly_margin: float, discount_rate: float | None = None) -> float:
    rate = ns["discount_rate"] if discount_rate is None else discount_rate
    return float(customer_lifetime_value(yearly_margin, float(ns["figures"].yearly_retention), rate))


q3 = Exercise(
    variable="regular_lifetime_value",
    question=(
        "What is the lifetime value of a regular customer of this business, with the lesson's "
        "formula m × (1 + i) / (1 + i − r)? Take as yearly margin m twelve months of "
        "`figures.monthly_spend_loyal` times `margin`, the retention r "
        "`figures.yearly_retention` and the discount rate i `discount_rate`."
    ),
    expected=lambda ns: _clv(ns, _regular_margin(ns)),
    hint_text=(
        "First m = 12 × monthly spend × margin. Then m × (1 + i) / (1 + i − r), with r and i as "
        "shares (0.1, not 10)."
    ),
    solution_code="""
m = 12 * figures.monthly_spend_loyal * margin
r, i = figures.yearly_retention, discount_rate
regular_lifetime_value = m * (1 + i) / (1 + i - r)
""",
    compare=close_to(0.5),
    mistakes=(
        Mistake(
            lambda ns: (
                _regular_margin(ns)
                * ns["figures"].yearly_retention
                / (1 + ns["discount_rate"] - ns["figures"].yearly_retention)
            ),
            "that is the end-of-year convention, m × r / (1 + i − r), which leaves out the first "
            "year's margin; the lesson counts each year's margin at its start, the first year for sure.",
        ),
        Mistake(
            lambda ns: _clv(ns, _regular_margin(ns), discount_rate=0.0),
            "you did not discount: money that comes in later years is worth less today, by "
            "the rate `discount_rate` a year.",
        ),
        Mistake(
            lambda ns: _clv(ns, _regular_margin(ns) / 12),
            "you used a month's margin as the yearly margin m: multiply the monthly spend by 12.",
        ),
        Mistake(
            lambda ns: _clv(ns, _regular_margin(ns) / ns["margin"]),
            "you counted the spend, not the margin: only the share `margin` of what a customer "
            "spends is profit.",
        ),
        Mistake(
            lambda ns: _clv(ns, 12 * float(ns["figures"].monthly_spend) * ns["margin"]),
            "that is the lifetime value of the average customer (`figures.monthly_spend`); the "
            "question asks for a regular one (`figures.monthly_spend_loyal`).",
        ),
    ),
    explain=lambda value: (
        f"A regular customer is worth about {value:,.0f} of margin over their lifetime, "
        "discounted: if they keep buying like today's regulars, which they were chosen for."
    ),
)

# --------------------------------------------------------------------------- q4


def _lever_gains(ns: dict) -> tuple[float, float]:
    """What ten points of margin and five points of retention add to an average customer's value."""
    spend = 12 * float(ns["figures"].monthly_spend)
    margin, rate = ns["margin"], ns["discount_rate"]
    retention = float(ns["figures"].yearly_retention)
    now = customer_lifetime_value(spend * margin, retention, rate)
    more_margin = customer_lifetime_value(spend * (margin + MARGIN_POINTS / 100), retention, rate)
    # Capped below 1 on a client's data with a retention already above 95%.
    raised = min(retention + RETENTION_POINTS / 100, 0.99)
    more_retention = customer_lifetime_value(spend * margin, raised, rate)
    return float(more_margin - now), float(more_retention - now)


def _levers(ns: dict) -> str:
    by_margin, by_retention = _lever_gains(ns)
    return (
        f"for an average customer, {MARGIN_POINTS} points of margin add {by_margin:,.0f} to the "
        f"lifetime value and {RETENTION_POINTS} points of retention add {by_retention:,.0f}"
    )


def _best_lever(ns: dict) -> str:
    by_margin, by_retention = _lever_gains(ns)
    if abs(by_margin - by_retention) < 0.05 * max(abs(by_margin), abs(by_retention), 1e-9):
        return "c"
    return "a" if by_margin > by_retention else "b"


q4 = Exercise(
    variable="better_lever",
    question=(
        f"The owner can either raise the margin by {MARGIN_POINTS} points (say from 40% to 50%, "
        f"with prices that do not drive anyone away) or raise the yearly retention by "
        f"{RETENTION_POINTS} points. For an average customer of this business "
        "(`figures.monthly_spend`, `figures.yearly_retention`, `margin`, `discount_rate`), which "
        "adds more to the lifetime value? Answer 'a', 'b' or 'c'.\n\n"
        f"- **a** {MARGIN_POINTS} more points of margin.\n"
        f"- **b** {RETENTION_POINTS} more points of retention.\n"
        "- **c** About the same (within 5% of each other)."
    ),
    expected=_best_lever,
    hint_text=(
        "Compute the lifetime value three times with `ll.customer_lifetime_value(m, r, i)`: as "
        "it is, with the margin raised, with the retention raised; compare the two gains. The "
        "second explorer of the lesson lets you try it with sliders."
    ),
    solution_code=f"""
spend = 12 * figures.monthly_spend
r = figures.yearly_retention
now = ll.customer_lifetime_value(spend * margin, r, discount_rate)
by_margin = ll.customer_lifetime_value(spend * (margin + {MARGIN_POINTS / 100}), r, discount_rate) - now
by_retention = ll.customer_lifetime_value(spend * margin, r + {RETENTION_POINTS / 100}, discount_rate) - now
if abs(by_margin - by_retention) < 0.05 * max(abs(by_margin), abs(by_retention)):
    better_lever = "c"
else:
    better_lever = "a" if by_margin > by_retention else "b"
""",
    choices={
        "a": lambda ns: (
            f"{_levers(ns)}. Margin raises the profit of every year at once; "
            + (
                "here it is the bigger lever."
                if _best_lever(ns) == "a"
                else "here it is not the bigger lever."
            )
        ),
        "b": lambda ns: (
            f"{_levers(ns)}. Retention adds years to each customer's life, and each point adds more "
            "than the one before; "
            + (
                "here it is the bigger lever."
                if _best_lever(ns) == "b"
                else "here it is not the bigger lever."
            )
        ),
        "c": lambda ns: f"{_levers(ns)}: 'about the same' needs them within 5% of each other.",
    },
)

# --------------------------------------------------------------------------- q5

q5 = Exercise(
    variable="what_the_gap_shows",
    question=(
        "A colleague reads the regulars' higher monthly spend and writes in the plan: \"turning "
        "100 occasional customers into regulars will bring 100 × 12 × (regular spend − occasional "
        "spend) more a year\". Which reading is right? Answer 'a', 'b' or 'c'.\n\n"
        "- **a** Right: the data show that a customer who becomes regular spends that much more.\n"
        "- **b** Too quick: the regulars were picked for buying often, so they spend more by "
        "definition; the gap describes them, it does not measure what a change would add.\n"
        "- **c** Wrong only because the amounts are not discounted."
    ),
    expected=lambda ns: "b",
    hint_text=(
        "How were the regular customers chosen? A comparison that is true by definition is not "
        "evidence of what a change would bring."
    ),
    solution_code='what_the_gap_shows = "b"',
    choices={
        "a": (
            "the data show that customers who buy often spend more, which is how the regulars were "
            "picked; they do not show that a customer who becomes regular will spend like today's "
            "regulars (some buy often because they need a lot)."
        ),
        "b": (
            "the regulars were sorted by their purchases, so their higher spend is partly true by "
            "definition, and association is not cause. To know what a change adds, follow customers "
            "over time (lesson 02's future spend), or try it on some and compare with the others."
        ),
        "c": (
            "discounting matters for a lifetime value, but the larger problem is the reading: the "
            "regulars spend more because they were chosen for buying often."
        ),
    },
)
