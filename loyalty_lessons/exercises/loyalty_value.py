"""Exercises of lesson 04, loyalty-value math ([fr-loyalty-value], [it-loyalty-steps] and [ru-loyalty-tips]).

The expected answers are computed from the lesson's own variables: ``figures`` (the
business's figures, :func:`loyalty_lessons.loyalty_value.business_figures`) and the
parameters ``margin`` and ``discount_rate``, so the checks hold on a client's data too.
"""

from __future__ import annotations

from loyalty_lessons.exercises._core import Exercise, close_to
from loyalty_lessons.loyalty_value import (
    expected_lifetime_years,
    retention_uplift_value,
    value_difference,
)

__all__ = ["q1", "q2", "q3"]

q1 = Exercise(
    variable="five_year_gap",
    question=(
        "With this business's own monthly spends (`figures.monthly_spend_satisfied` and "
        "`figures.monthly_spend_loyal`), how much more does a loyal customer spend than a "
        "satisfied one over five years?"
    ),
    expected=lambda ns: (
        value_difference(
            monthly_spend_satisfied=ns["figures"].monthly_spend_satisfied,
            monthly_spend_loyal=ns["figures"].monthly_spend_loyal,
            years=5,
        ).total_difference
    ),
    hint_text="The monthly difference, times 12 months, times 5 years.",
    solution_code=(
        "five_year_gap = (figures.monthly_spend_loyal - figures.monthly_spend_satisfied) * 12 * 5"
    ),
    compare=close_to(0.5),
    explain=lambda value: f"Over five years the gap is {value:,.0f} per customer.",
)

q2 = Exercise(
    variable="lifetime_years",
    question=(
        "At this business's yearly retention (`figures.yearly_retention`), how many years does "
        "a customer stay on average?"
    ),
    expected=lambda ns: expected_lifetime_years(ns["figures"].yearly_retention),
    hint_text=(
        "A customer who stays each year with probability r stays 1 / (1 - r) years on average "
        "(5 years when r is 0.8)."
    ),
    solution_code="lifetime_years = 1 / (1 - figures.yearly_retention)",
    compare=close_to(0.01),
    explain=lambda value: f"A customer stays {value:.1f} years on average.",
)

q3 = Exercise(
    variable="five_points_value",
    question=(
        "How much does raising the yearly retention by five points (e.g. from 80% to 85%) add "
        "to the lifetime value of one customer? Take a yearly margin of "
        "`12 * figures.monthly_spend * margin`, the retention `figures.yearly_retention` and "
        "the discount rate `discount_rate`, with the lesson's formula m × (1 + i) / (1 + i − r)."
    ),
    expected=lambda ns: (
        retention_uplift_value(
            customers=1,
            yearly_margin=12 * ns["figures"].monthly_spend * ns["margin"],
            yearly_retention=ns["figures"].yearly_retention,
            discount_rate_yearly=ns["discount_rate"],
        ).value_per_customer
    ),
    hint_text=(
        "Compute the lifetime value m × (1 + i) / (1 + i − r) twice, with r and with r + 0.05, "
        "and take the difference."
    ),
    solution_code="""
m = 12 * figures.monthly_spend * margin
r, i = figures.yearly_retention, discount_rate
five_points_value = m * (1 + i) / (1 + i - r - 0.05) - m * (1 + i) / (1 + i - r)
""",
    compare=close_to(0.5),
    explain=lambda value: f"Five points of retention are worth {value:,.2f} per customer.",
)
