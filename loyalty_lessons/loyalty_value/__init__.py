"""Loyalty-value math (lesson 04): what a loyal customer is worth, and what keeping one is worth.

Sources: [fr-loyalty-value] (the USD 50 vs USD 75 a month example and the referral
example), [it-loyalty-steps] (firms lose 15-20% of their customers a year;
Gallup's 46% higher spend of emotionally connected customers) and
[ru-loyalty-tips] (keeping a customer costs 3 to 10 times less than winning one).
The figures are collected in :data:`SEED_FIGURES`.

One subject a module, in the lesson's order:

- :mod:`~loyalty_lessons.loyalty_value.spend_and_referrals`: a loyal customer against a
  satisfied one (:func:`value_difference`, :func:`value_over_years`) and word of mouth
  (:func:`referral_value`, :func:`referral_growth`);
- :mod:`~loyalty_lessons.loyalty_value.lifetime`: defection, expected lifetime, lifetime
  value and what retention is worth (:func:`customers_remaining`,
  :func:`customer_lifetime_value`, :func:`retention_uplift_value`, ...), with the
  lifetime-value convention every function follows;
- :mod:`~loyalty_lessons.loyalty_value.business_figures`: the same inputs measured from a
  business's own data (:func:`business_figures`, :func:`active_yearly_spend`).

Every period is explicit: ``monthly_spend``, ``yearly_spend``, ``yearly_retention``,
``discount_rate_yearly``, ``years``, ``months``. A year is 12 months. Money is in the
client's currency; nothing here depends on which one. The retention and new customers
measured from a business's transactions are in :mod:`~loyalty_lessons.retention`. The names
of all three modules are importable from here.
"""

from loyalty_lessons.loyalty_value.business_figures import (
    BusinessFigures,
    active_yearly_spend,
    business_figures,
)
from loyalty_lessons.loyalty_value.lifetime import (
    RetentionUplift,
    customer_lifetime_value,
    customer_lifetime_value_finite,
    customers_remaining,
    expected_lifetime_years,
    lifetime_value_conventions,
    retention_budget_whatif,
    retention_uplift_value,
)
from loyalty_lessons.loyalty_value.spend_and_referrals import (
    ReferralValue,
    ValueDifference,
    referral_growth,
    referral_value,
    value_difference,
    value_over_years,
)

__all__ = [
    "SEED_FIGURES",
    "BusinessFigures",
    "ReferralValue",
    "RetentionUplift",
    "ValueDifference",
    "active_yearly_spend",
    "business_figures",
    "customer_lifetime_value",
    "customer_lifetime_value_finite",
    "customers_remaining",
    "expected_lifetime_years",
    "lifetime_value_conventions",
    "referral_growth",
    "referral_value",
    "retention_budget_whatif",
    "retention_uplift_value",
    "value_difference",
    "value_over_years",
]

#: Figures of the source documents, for lessons and tests.
SEED_FIGURES: dict[str, object] = {
    # [fr-loyalty-value]: a satisfied customer spends $50 a month, a loyal one $75, over five years
    "monthly_spend_satisfied": 50.0,
    "monthly_spend_loyal": 75.0,
    "years": 5,
    # [fr-loyalty-value]: a loyal customer tells five people a month, one of whom becomes loyal
    "people_told_per_month": 5,
    "conversion": 0.2,
    # [it-loyalty-steps]: firms lose 15-20% of their customers a year to competitors
    "yearly_defection_rate": (0.15, 0.20),
    # [it-loyalty-steps]: an emotionally connected customer spends 46% more (Gallup)
    "connected_spend_uplift": 0.46,
    # [ru-loyalty-tips]: keeping a customer is 3 to 10 times cheaper than winning a new one
    "acquisition_to_retention_cost_ratio": (3.0, 10.0),
}
