"""Loyalty-value math: what a loyal customer is worth, and what keeping one is worth.

Sources: [fr-loyalty-value] (the $50 vs $75 a month example and the referral
example), [it-loyalty-steps] (firms lose 15-20% of their customers a year;
Gallup's 46% higher spend of emotionally connected customers) and
[ru-loyalty-tips] (keeping a customer costs 3 to 10 times less than winning one).
The figures are collected in :data:`SEED_FIGURES`.

Every period is explicit: ``monthly_spend``, ``yearly_spend``, ``yearly_retention``,
``discount_rate_yearly``, ``years``, ``months``. A year is 12 months. Money is in the
client's currency; nothing here depends on which one. The retention and new customers
measured from a business's transactions are in :mod:`~loyalty_lessons.retention`.

**The lifetime-value convention** of every function here (:func:`customer_lifetime_value`,
:func:`customer_lifetime_value_finite`, :func:`retention_uplift_value`, and the explorers
and the report built on them): a customer's margin ``m`` of a year of the relationship
arrives at the **start** of that year, the first year is certain, and year t + 1 (t = 0,
1, ...) is reached with probability ``r**t`` and discounted by ``(1 + i)**t``. So the
lifetime value is ``m * (1 + i) / (1 + i - r)``, and without discounting it is
``m / (1 - r)``: the margin times the expected lifetime :func:`expected_lifetime_years`,
``1 / (1 - r)`` years (five years of margin at r = 0.8). The other common convention,
``m * r / (1 + i - r)``, counts a year's margin at its end and only if the customer is
still there, so even the first year's margin is weighed by r (four years of margin at
r = 0.8); :func:`lifetime_value_conventions` sets the two side by side
([fader-hardie-2012] explains why textbooks differ).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "SEED_FIGURES",
    "BusinessFigures",
    "ReferralValue",
    "RetentionUplift",
    "ValueDifference",
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

MONTHS_PER_YEAR = 12

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


class ValueDifference(NamedTuple):
    """Yearly spend of a satisfied and a loyal customer, and the gap over ``years``."""

    yearly_spend_satisfied: float
    yearly_spend_loyal: float
    yearly_difference: float
    total_difference: float


class ReferralValue(NamedTuple):
    """New loyal customers won by referrals, and a full year of their spend."""

    new_customers: float
    revenue: float


class RetentionUplift(NamedTuple):
    """Lifetime value before and after raising yearly retention, per customer and in total."""

    yearly_retention_before: float
    yearly_retention_after: float
    lifetime_years_before: float
    lifetime_years_after: float
    lifetime_value_before: float
    lifetime_value_after: float
    value_per_customer: float
    total_value: float


# --------------------------------------------------------------------------- checks


def _check_non_negative(**numbers: float) -> None:
    for name, number in numbers.items():
        is_number = isinstance(number, (int, float, np.number)) and not isinstance(number, bool)
        if not (is_number and math.isfinite(number)) or number < 0:
            raise LoyaltyDataError(f"{name} must be a number of at least 0, got {number!r}.")


def _check_share(name: str, value: float, *, below_one: bool = False) -> None:
    upper_ok = value < 1 if below_one else value <= 1
    if not (isinstance(value, (int, float, np.number)) and value >= 0 and upper_ok):
        bound = "[0, 1)" if below_one else "[0, 1]"
        raise LoyaltyDataError(f"{name} must be a share in {bound} (e.g. 0.8 for 80%), got {value!r}.")


def _check_years(years: int, name: str = "years") -> None:
    if not isinstance(years, (int, np.integer)) or isinstance(years, bool) or years < 1:
        raise LoyaltyDataError(f"{name} must be a whole number of at least 1, got {years!r}.")


# --------------------------------------------------------------------------- [fr-loyalty-value]


def value_difference(
    *, monthly_spend_satisfied: float, monthly_spend_loyal: float, years: int
) -> ValueDifference:
    """How much more a loyal customer spends than a satisfied one over ``years``.

    [fr-loyalty-value]: $50 vs $75 a month is $600 vs $900 a year, and
    $1,500 more per customer over five years. This is undiscounted spending over a fixed
    number of years: both customers stay all ``years`` and no year is worth less for being
    later, as in the article's simple example (see :func:`customer_lifetime_value` for a
    value with defection and discounting). The sign of ``total_difference`` says which of
    the two spends more.

    Parameters
    ----------
    monthly_spend_satisfied, monthly_spend_loyal : float
        Spend per month of each type of customer.
    years : int
        How long both stay, in years.

    Returns
    -------
    ValueDifference
        ``yearly_spend_satisfied``, ``yearly_spend_loyal``, ``yearly_difference`` and
        ``total_difference`` (over ``years``).

    Raises
    ------
    LoyaltyDataError
        If a spend is negative or ``years`` is not a whole number of at least 1.

    Examples
    --------
    >>> gap = value_difference(monthly_spend_satisfied=50, monthly_spend_loyal=75, years=5)
    >>> gap.yearly_spend_satisfied, gap.yearly_spend_loyal, gap.total_difference
    (600.0, 900.0, 1500.0)
    """
    _check_non_negative(
        monthly_spend_satisfied=monthly_spend_satisfied, monthly_spend_loyal=monthly_spend_loyal
    )
    _check_years(years)
    satisfied = float(monthly_spend_satisfied) * MONTHS_PER_YEAR
    loyal = float(monthly_spend_loyal) * MONTHS_PER_YEAR
    return ValueDifference(satisfied, loyal, loyal - satisfied, (loyal - satisfied) * years)


def value_over_years(
    *, monthly_spend_satisfied: float, monthly_spend_loyal: float, years: int
) -> pd.DataFrame:
    """Cumulative spend of a satisfied and a loyal customer, year by year.

    Parameters
    ----------
    monthly_spend_satisfied, monthly_spend_loyal : float
        Spend per month of each type of customer.
    years : int
        Number of years, at least 1.

    Returns
    -------
    pandas.DataFrame
        One row per year from 0 to ``years``: ``year``, ``satisfied_value`` and
        ``loyal_value`` (cumulative spend at the end of the year) and ``difference``.

    Examples
    --------
    >>> value_over_years(monthly_spend_satisfied=50, monthly_spend_loyal=75, years=5)[
    ...     "difference"].tolist()
    [0.0, 300.0, 600.0, 900.0, 1200.0, 1500.0]
    """
    gap = value_difference(
        monthly_spend_satisfied=monthly_spend_satisfied,
        monthly_spend_loyal=monthly_spend_loyal,
        years=years,
    )
    year = np.arange(years + 1, dtype="int64")
    satisfied = year * gap.yearly_spend_satisfied
    loyal = year * gap.yearly_spend_loyal
    return pd.DataFrame(
        {
            "year": year,
            "satisfied_value": satisfied.astype(float),
            "loyal_value": loyal.astype(float),
            "difference": (loyal - satisfied).astype(float),
        }
    )


def referral_value(
    *, people_told_per_month: float, conversion: float, yearly_spend: float, months: int = 12
) -> ReferralValue:
    """New loyal customers won by one loyal customer's word of mouth, and their spend.

    [fr-loyalty-value]: telling five people a month, one in five of whom
    becomes loyal, makes 12 new loyal customers a year, worth 12 x $900 = $10,800.
    As in the seed, each new customer is credited a full year of spend, even one won in
    the last month; and the new customers do not refer anyone (see
    :func:`referral_growth` for that).

    Parameters
    ----------
    people_told_per_month : float
        People the loyal customer tells about the business each month.
    conversion : float
        Share of them who become loyal customers, in [0, 1].
    yearly_spend : float
        Spend per year of a new loyal customer.
    months : int, default 12
        Number of months of referring.

    Returns
    -------
    ReferralValue
        ``new_customers`` (expected, so possibly fractional) and ``revenue``.

    Examples
    --------
    >>> referral_value(people_told_per_month=5, conversion=0.2, yearly_spend=900)
    ReferralValue(new_customers=12.0, revenue=10800.0)
    """
    _check_non_negative(people_told_per_month=people_told_per_month, yearly_spend=yearly_spend)
    _check_share("conversion", conversion)
    _check_years(months, "months")
    new_customers = float(people_told_per_month) * conversion * months
    return ReferralValue(new_customers, new_customers * yearly_spend)


def referral_growth(
    years: int,
    *,
    people_told_per_month: float,
    conversion: float,
    yearly_spend: float,
    start_customers: float = 1.0,
    yearly_retention: float = 1.0,
    max_customers: float | None = None,
) -> pd.DataFrame:
    """Referrals year by year when only the first customers refer, and when everyone does.

    The model runs in monthly steps. Each month every referring loyal customer wins
    ``people_told_per_month * conversion`` new loyal customers (expected numbers, so
    fractions are fine). Customers stay from one month to the next with probability
    ``yearly_retention ** (1/12)``; the default 1.0 means nobody leaves, as in [fr-loyalty-value].

    - **linear**: only the ``start_customers`` refer; the customers they win do not.
    - **compounding**: every loyal customer, old or new, refers at the same rate. With the
      seed's figures the base doubles every month (4,096 customers after a year, about
      17 million after two): this is why [fr-loyalty-value] calls the growth
      exponential, and why real word of mouth soon runs out of people to tell. Pass
      ``max_customers`` (e.g. the size of the market) to stop growth there.

    Revenue follows the seed's convention: each customer won in a year is credited one
    full year of spend (``yearly_spend``).

    Parameters
    ----------
    years : int
        Number of years to run, at least 1.
    people_told_per_month : float
        People each referring customer tells each month.
    conversion : float
        Share of them who become loyal customers, in [0, 1].
    yearly_spend : float
        Spend per year of a loyal customer.
    start_customers : float, default 1.0
        Loyal customers at the start.
    yearly_retention : float, default 1.0
        Share of loyal customers still there a year later, in [0, 1].
    max_customers : float or None
        Cap on the number of loyal customers; None for no cap.

    Returns
    -------
    pandas.DataFrame
        One row per year 1..``years``: ``year``, then for ``linear`` and ``compounding``:
        ``<model>_new_customers`` (won during the year), ``<model>_new_revenue``
        (new customers x ``yearly_spend``) and ``<model>_customers`` (loyal customers at the
        end of the year, the start customers included); and ``capped`` (True when
        ``max_customers`` held the growth back in that year).

    Raises
    ------
    LoyaltyDataError
        If an argument is out of range, or the compounding numbers grow beyond what a
        float can hold (pass ``max_customers``).

    Examples
    --------
    >>> growth = referral_growth(1, people_told_per_month=5, conversion=0.2, yearly_spend=900)
    >>> growth[["linear_new_customers", "compounding_new_customers"]].iloc[0].tolist()
    [12.0, 4095.0]
    """
    _check_years(years)
    _check_non_negative(
        people_told_per_month=people_told_per_month,
        yearly_spend=yearly_spend,
        start_customers=start_customers,
    )
    _check_share("conversion", conversion)
    _check_share("yearly_retention", yearly_retention)
    cap = math.inf if max_customers is None else float(max_customers)
    if cap < start_customers:
        raise LoyaltyDataError(
            f"max_customers ({max_customers}) is below start_customers ({start_customers})."
        )
    rate = float(people_told_per_month) * conversion
    stay = yearly_retention ** (1 / MONTHS_PER_YEAR)

    originals = compounding = float(start_customers)  # originals: the linear model's referrers
    referred = 0.0
    rows = []
    for year in range(1, years + 1):
        linear_new = compounding_new = 0.0
        capped = False
        for _ in range(MONTHS_PER_YEAR):
            # linear: only the original customers refer
            wanted = rate * originals
            originals *= stay
            new = min(wanted, max(0.0, cap - originals - stay * referred))
            referred = stay * referred + new
            linear_new += new
            capped |= new < wanted
            # compounding: everyone refers
            wanted = rate * compounding
            kept = stay * compounding
            new = min(wanted, max(0.0, cap - kept))
            compounding = kept + new
            compounding_new += new
            capped |= new < wanted
        if not math.isfinite(compounding) or compounding > 1e300:
            raise LoyaltyDataError(
                f"The compounding model exceeds any real number of customers by year {year}; "
                "pass max_customers (e.g. the size of the market) or fewer years."
            )
        rows.append(
            (
                year,
                linear_new,
                linear_new * yearly_spend,
                originals + referred,
                compounding_new,
                compounding_new * yearly_spend,
                compounding,
                capped,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "linear_new_customers",
            "linear_new_revenue",
            "linear_customers",
            "compounding_new_customers",
            "compounding_new_revenue",
            "compounding_customers",
            "capped",
        ],
    ).astype({"year": "int64"})


# --------------------------------------------------------------------------- defection


def customers_remaining(start_customers: float, yearly_defection_rate: float, years: int) -> pd.DataFrame:
    """Customers left year after year when a fixed share defects each year.

    [it-loyalty-steps]: firms lose 15-20% of their customers a year to
    competitors. No new customers are counted here; this is what defection alone does.

    Parameters
    ----------
    start_customers : float
        Customers at year 0.
    yearly_defection_rate : float
        Share of customers lost each year, in [0, 1].
    years : int
        Number of years, at least 1.

    Returns
    -------
    pandas.DataFrame
        One row per year 0..``years``: ``year``, ``customers`` (at the end of the year),
        ``lost`` (during that year), ``lost_total`` (since year 0) and ``share_remaining``.

    Examples
    --------
    >>> round(float(customers_remaining(1000, 0.2, 5)["customers"].iloc[-1]), 1)
    327.7
    """
    _check_non_negative(start_customers=start_customers)
    _check_share("yearly_defection_rate", yearly_defection_rate)
    _check_years(years)
    year = np.arange(years + 1, dtype="int64")
    share = (1.0 - yearly_defection_rate) ** year
    customers = float(start_customers) * share
    return pd.DataFrame(
        {
            "year": year,
            "customers": customers,
            "lost": np.concatenate([[0.0], -np.diff(customers)]),
            "lost_total": float(start_customers) - customers,
            "share_remaining": share,
        }
    )


def expected_lifetime_years(yearly_retention: float) -> float:
    """Expected years a customer stays: ``1 / (1 - yearly_retention)``.

    The customer is there in the first year, still there in the second with probability
    r, in the third with r², ...; the sum is 1 / (1 - r). At 80% retention (20% defection,
    [it-loyalty-steps]) a customer stays five years on average.

    Examples
    --------
    >>> round(expected_lifetime_years(0.8), 6)
    5.0
    """
    _check_share("yearly_retention", yearly_retention, below_one=True)
    return 1.0 / (1.0 - yearly_retention)


def _check_clv_inputs(
    yearly_margin: float, yearly_retention: float, discount_rate_yearly: float, acquisition_cost: float
) -> None:
    _check_share("yearly_retention", yearly_retention, below_one=True)
    _check_non_negative(discount_rate_yearly=discount_rate_yearly, acquisition_cost=acquisition_cost)
    if not (isinstance(yearly_margin, (int, float, np.number)) and math.isfinite(yearly_margin)):
        raise LoyaltyDataError(f"yearly_margin must be a number, got {yearly_margin!r}.")


def customer_lifetime_value(
    yearly_margin: float,
    yearly_retention: float,
    discount_rate_yearly: float,
    acquisition_cost: float = 0.0,
) -> float:
    """Lifetime value of a customer: ``m * (1 + i) / (1 + i - r) - acquisition_cost``.

    The package's convention (see the module's docstring): the margin ``m`` of each year of
    the relationship arrives at the start of that year; the first year is certain, year
    t + 1 is reached with probability r^t and discounted by (1 + i)^t. The sum over all
    years, ``sum(m * r**t / (1 + i)**t, t = 0, 1, ...)``, is ``m * (1 + i) / (1 + i - r)``;
    without discounting, ``m / (1 - r)``: the margin times :func:`expected_lifetime_years`.
    :func:`lifetime_value_conventions` compares it with ``m * r / (1 + i - r)``, the
    margin at the end of each year ([fader-hardie-2012]).

    Parameters
    ----------
    yearly_margin : float
        Margin (profit, not revenue) a customer brings per year.
    yearly_retention : float
        Share of customers still there a year later, in [0, 1).
    discount_rate_yearly : float
        Yearly discount rate, at least 0 (e.g. 0.1 for 10%).
    acquisition_cost : float, default 0.0
        Cost of winning the customer, paid at the start.

    Returns
    -------
    float
        The lifetime value in the currency of ``yearly_margin``.

    Examples
    --------
    >>> round(customer_lifetime_value(100, 0.8, 0.1), 2)  # 100 * 1.1 / 0.3
    366.67
    >>> round(customer_lifetime_value(100, 0.8, 0.0), 2)  # 100 over 1 / 0.2 = 5 years
    500.0
    """
    _check_clv_inputs(yearly_margin, yearly_retention, discount_rate_yearly, acquisition_cost)
    r, i = yearly_retention, discount_rate_yearly
    return yearly_margin * (1.0 + i) / (1.0 + i - r) - acquisition_cost


def customer_lifetime_value_finite(
    yearly_margin: float,
    yearly_retention: float,
    discount_rate_yearly: float,
    years: int,
    acquisition_cost: float = 0.0,
) -> float:
    """Lifetime value over the first ``years`` only: ``sum(m * r**t / (1 + i)**t, t = 0..years-1) - AC``.

    Same convention as :func:`customer_lifetime_value` (margin at the start of each year,
    the first year certain), to which it converges as ``years`` grows.

    Examples
    --------
    >>> round(customer_lifetime_value_finite(100, 0.8, 0.1, years=1), 2)  # the first year, certain
    100.0
    >>> round(customer_lifetime_value_finite(100, 0.8, 0.1, years=2), 2)  # 100 + 100 * 0.8 / 1.1
    172.73
    """
    _check_clv_inputs(yearly_margin, yearly_retention, discount_rate_yearly, acquisition_cost)
    _check_years(years)
    t = np.arange(years)
    factors = (yearly_retention / (1.0 + discount_rate_yearly)) ** t
    return float(yearly_margin * factors.sum()) - acquisition_cost


def lifetime_value_conventions(
    yearly_margin: float, yearly_retention: float, discount_rate_yearly: float
) -> pd.DataFrame:
    """The package's lifetime value next to the other common convention, reconciled.

    Both count the margin ``m`` of every year the customer stays, weighed by the chance
    they are still there and discounted at ``i`` a year; they differ only in when a year's
    margin arrives ([fader-hardie-2012]):

    - **start of each year** (the package's): the first year is certain, so the customer
      brings ``1 / (1 - r)`` years of margin on average, the expected lifetime of
      :func:`expected_lifetime_years`; value ``m * (1 + i) / (1 + i - r)``;
    - **end of each year, if still there** (the margin multiple ``r / (1 + i - r)`` of
      [gupta-lehmann-2003]): even the first year's margin needs the customer to stay the
      year, so it counts ``r / (1 - r)`` years of margin, one fewer; value
      ``m * r / (1 + i - r)``.

    The first is the second plus one certain year of margin, ``m``, paid at once.

    Parameters
    ----------
    yearly_margin, yearly_retention, discount_rate_yearly : float
        As in :func:`customer_lifetime_value`.

    Returns
    -------
    pandas.DataFrame
        Two rows (the package's convention first) with columns ``convention``,
        ``formula``, ``years_of_margin`` (expected, undiscounted), ``undiscounted_value``
        (``m * years_of_margin``) and ``lifetime_value`` (discounted).

    Examples
    --------
    >>> table = lifetime_value_conventions(300, 0.8, 0.1)
    >>> table["years_of_margin"].round(6).tolist(), table["lifetime_value"].round(2).tolist()
    ([5.0, 4.0], [1100.0, 800.0])
    """
    _check_clv_inputs(yearly_margin, yearly_retention, discount_rate_yearly, 0.0)
    m, r, i = float(yearly_margin), float(yearly_retention), float(discount_rate_yearly)
    years = np.array([1.0 / (1.0 - r), r / (1.0 - r)])
    return pd.DataFrame(
        {
            "convention": [
                "start of each year, the first certain (this package)",
                "end of each year, if still there",
            ],
            "formula": ["m (1 + i) / (1 + i - r)", "m r / (1 + i - r)"],
            "years_of_margin": years,
            "undiscounted_value": m * years,
            "lifetime_value": [customer_lifetime_value(m, r, i), m * r / (1.0 + i - r)],
        }
    )


def retention_budget_whatif(
    *,
    customers: float,
    yearly_defection_rate: float,
    cost_to_keep_per_customer: float,
    acquisition_to_retention_cost_ratio: float | Iterable[float] = (3.0, 10.0),
) -> pd.DataFrame:
    """Cost of keeping the customers who would defect this year, against replacing them.

    [ru-loyalty-tips] puts the cost of winning a customer at 3 to 10 times
    the cost of keeping one (the default ratios); [it-loyalty-steps] puts yearly defection at
    15-20%. ``cost_to_keep_per_customer`` is what it takes to hold on to one customer who
    would otherwise leave, and winning a replacement costs ``ratio`` times as much.

    Parameters
    ----------
    customers : float
        Customers at the start of the year.
    yearly_defection_rate : float
        Share of them who would leave during the year, in [0, 1].
    cost_to_keep_per_customer : float
        Cost of keeping one customer who would otherwise leave.
    acquisition_to_retention_cost_ratio : float or iterable of float, default (3.0, 10.0)
        How many times dearer winning a customer is than keeping one; one row each.

    Returns
    -------
    pandas.DataFrame
        One row per ratio: ``acquisition_to_retention_cost_ratio``, ``customers_lost``,
        ``cost_to_keep`` (keeping them all), ``cost_to_replace`` (winning as many new ones)
        and ``saving`` (cost_to_replace - cost_to_keep).

    Examples
    --------
    >>> retention_budget_whatif(customers=1000, yearly_defection_rate=0.2,
    ...                         cost_to_keep_per_customer=10)["saving"].tolist()
    [4000.0, 18000.0]
    """
    _check_non_negative(customers=customers, cost_to_keep_per_customer=cost_to_keep_per_customer)
    _check_share("yearly_defection_rate", yearly_defection_rate)
    ratios = (
        [acquisition_to_retention_cost_ratio]
        if isinstance(acquisition_to_retention_cost_ratio, (int, float, np.number))
        else list(acquisition_to_retention_cost_ratio)
    )
    if not ratios:
        raise LoyaltyDataError("Give at least one acquisition_to_retention_cost_ratio, e.g. 5.")
    for ratio in ratios:
        _check_non_negative(acquisition_to_retention_cost_ratio=ratio)
    ratio_array = np.asarray(ratios, dtype=float)
    lost = float(customers) * yearly_defection_rate
    keep = lost * float(cost_to_keep_per_customer)
    replace = keep * ratio_array
    return pd.DataFrame(
        {
            "acquisition_to_retention_cost_ratio": ratio_array,
            "customers_lost": np.full(ratio_array.size, lost),
            "cost_to_keep": np.full(ratio_array.size, keep),
            "cost_to_replace": replace,
            "saving": replace - keep,
        }
    )


def retention_uplift_value(
    *,
    customers: float,
    yearly_margin: float,
    yearly_retention: float,
    discount_rate_yearly: float,
    points: float = 0.05,
) -> RetentionUplift:
    """Value of raising yearly retention by ``points`` for a customer base.

    The gain per customer is the difference of two lifetime values
    (:func:`customer_lifetime_value`: margin at the start of each year, the first year
    certain); the total multiplies it by ``customers``. The gain is the same under the
    end-of-year convention, which differs only by the first year's margin.

    Parameters
    ----------
    customers : float
        Customers in the base.
    yearly_margin : float
        Margin a customer brings per year.
    yearly_retention : float
        Current yearly retention, in [0, 1).
    discount_rate_yearly : float
        Yearly discount rate, at least 0.
    points : float, default 0.05
        Rise in yearly retention as a share (0.05 = five percentage points); retention
        plus points must stay below 1.

    Returns
    -------
    RetentionUplift
        Retention, expected lifetime in years and lifetime value before and after,
        ``value_per_customer`` and ``total_value``.

    Examples
    --------
    >>> uplift = retention_uplift_value(customers=1000, yearly_margin=100,
    ...                                 yearly_retention=0.8, discount_rate_yearly=0.1)
    >>> round(uplift.lifetime_value_before, 2), round(uplift.lifetime_value_after, 2)
    (366.67, 440.0)
    >>> round(uplift.value_per_customer, 2), round(uplift.total_value)
    (73.33, 73333)
    """
    _check_non_negative(customers=customers, points=points)
    after = yearly_retention + points
    if after >= 1:
        raise LoyaltyDataError(f"yearly_retention + points = {after:g} must stay below 1; use fewer points.")
    before_value = customer_lifetime_value(yearly_margin, yearly_retention, discount_rate_yearly)
    after_value = customer_lifetime_value(yearly_margin, after, discount_rate_yearly)
    gain = after_value - before_value
    return RetentionUplift(
        yearly_retention_before=float(yearly_retention),
        yearly_retention_after=float(after),
        lifetime_years_before=expected_lifetime_years(yearly_retention),
        lifetime_years_after=expected_lifetime_years(after),
        lifetime_value_before=before_value,
        lifetime_value_after=after_value,
        value_per_customer=gain,
        total_value=gain * customers,
    )


# --------------------------------------------------------------------------- a business's own figures


#: A customer who bought in the last this many days counts as active.
_ACTIVE_WITHIN_DAYS = 365


class BusinessFigures(NamedTuple):
    """A business's own inputs to the loyalty-value math (money per month, shares per year)."""

    customers: int
    active_customers: int
    monthly_spend: float
    monthly_spend_satisfied: float
    monthly_spend_loyal: float
    yearly_retention: float


def business_figures(
    summary: pd.DataFrame, profile: pd.DataFrame, retention: pd.DataFrame
) -> BusinessFigures:
    """The figures of [fr-loyalty-value]'s example, estimated from a business's own data.

    Parameters
    ----------
    summary : pandas.DataFrame
        The customer summary; required columns ``customer_id`` and ``days_since_last``.
    profile : pandas.DataFrame
        From :func:`loyalty_lessons.customer_types.type_profile`; required columns ``type``,
        ``customers`` and ``monthly_spend``, with at least one satisfied and one loyal customer.
    retention : pandas.DataFrame
        From :func:`annual_retention`; required columns
        ``customers`` and ``retained``.

    Returns
    -------
    BusinessFigures
        ``customers`` (rows of ``summary``), ``active_customers`` (bought in the last 365
        days), ``monthly_spend`` (mean monthly spend of all typed customers, the mean of the
        types weighted by their counts), ``monthly_spend_satisfied`` and
        ``monthly_spend_loyal`` (per type), and ``yearly_retention``: the share of one
        calendar year's buyers who buy again the next year, pooled over all pairs of years
        (retained customers over customers, summed over the pairs).

    Raises
    ------
    LoyaltyDataError
        If a column is missing, a type has no customers, or there are no buyers to measure
        retention on.

    Examples
    --------
    >>> summary = pd.DataFrame({"customer_id": ["a", "b", "c"], "days_since_last": [10, 400, 30]})
    >>> profile = pd.DataFrame({"type": ["dissatisfied", "satisfied", "loyal"],
    ...                         "customers": [1, 1, 1], "monthly_spend": [5.0, 50.0, 75.0]})
    >>> retention = pd.DataFrame({"year": [2023, 2024], "customers": [10, 30], "retained": [8, 24]})
    >>> figures = business_figures(summary, profile, retention)
    >>> figures.active_customers, round(figures.monthly_spend, 2), figures.yearly_retention
    (2, 43.33, 0.8)
    """
    for frame, columns, made_by in (
        (summary, ["customer_id", "days_since_last"], "customer_summary"),
        (profile, ["type", "customers", "monthly_spend"], "type_profile"),
        (retention, ["customers", "retained"], "annual_retention"),
    ):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise LoyaltyDataError(f"The frame has no column(s) {missing}; build it with {made_by}().")
    by_type = profile.assign(type=profile["type"].astype(str)).set_index("type")
    spends = {}
    for kind in ("satisfied", "loyal"):
        if kind not in by_type.index or by_type.loc[kind, "customers"] == 0:
            raise LoyaltyDataError(
                f"No {kind} customers in the profile, so their monthly spend is unknown; "
                "loosen the type rules (classify_customers(rules=...)) or give the figure by hand."
            )
        spends[kind] = float(by_type.loc[kind, "monthly_spend"])
    counted = by_type[by_type["customers"] > 0]
    weights = counted["customers"].to_numpy(dtype=float)
    monthly = float(np.average(counted["monthly_spend"].to_numpy(dtype=float), weights=weights))
    buyers = int(retention["customers"].sum())
    if buyers == 0:
        raise LoyaltyDataError("The retention table has no buyers; it needs two years of purchases.")
    active = int((pd.to_numeric(summary["days_since_last"]) <= _ACTIVE_WITHIN_DAYS).sum())
    return BusinessFigures(
        customers=len(summary),
        active_customers=active,
        monthly_spend=monthly,
        monthly_spend_satisfied=spends["satisfied"],
        monthly_spend_loyal=spends["loyal"],
        yearly_retention=int(retention["retained"].sum()) / buyers,
    )
