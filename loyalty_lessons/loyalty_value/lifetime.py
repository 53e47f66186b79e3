"""Defection and lifetime value: how long a customer stays, and what keeping one longer is worth.

Customers left year after year when a share defects ([it-loyalty-steps]: firms lose
15-20% a year; :func:`customers_remaining`), the expected lifetime
(:func:`expected_lifetime_years`), the lifetime value (:func:`customer_lifetime_value`,
:func:`customer_lifetime_value_finite`, :func:`lifetime_value_conventions`), what a
retention budget buys ([ru-loyalty-tips]: keeping a customer costs 3 to 10 times less than
winning one; :func:`retention_budget_whatif`) and what some points of retention are worth
(:func:`retention_uplift_value`). Every period is explicit: ``yearly_retention``,
``discount_rate_yearly``, ``years``.

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

from loyalty_lessons.catalogue import DEFAULT_LANGUAGE, entry
from loyalty_lessons.errors import LoyaltyDataError

# The checks shared by this package's modules, under the names its functions use.
from loyalty_lessons.loyalty_value._checks import check_non_negative as _check_non_negative
from loyalty_lessons.loyalty_value._checks import check_share as _check_share
from loyalty_lessons.loyalty_value._checks import check_years as _check_years

__all__ = [
    "RetentionUplift",
    "customer_lifetime_value",
    "customer_lifetime_value_finite",
    "customers_remaining",
    "expected_lifetime_years",
    "lifetime_value_conventions",
    "retention_budget_whatif",
    "retention_uplift_value",
]


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
    yearly_margin: float,
    yearly_retention: float,
    discount_rate_yearly: float,
    language: str = DEFAULT_LANGUAGE,
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
    language : str, default "en"
        The language of the ``convention`` column (``lessons.lifetime_conventions`` of the
        catalogue).

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
                entry(language, "lessons.lifetime_conventions.start"),
                entry(language, "lessons.lifetime_conventions.end"),
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
    precision: float = 1.0,
    success_rate: float = 1.0,
) -> pd.DataFrame:
    """Cost of keeping the customers who would defect this year, against replacing them.

    [ru-loyalty-tips] puts the cost of winning a customer at 3 to 10 times
    the cost of keeping one (the default ratios); [it-loyalty-steps] puts yearly defection at
    15-20%. ``cost_to_keep_per_customer`` is what the effort costs for one customer it is
    spent on, and winning a new customer costs ``ratio`` times as much.

    Nobody knows in advance who will leave: the effort goes to customers who look at risk,
    of whom only a share (``precision``) would really have left, and it keeps only a share
    (``success_rate``) of those. Reaching every customer who would leave then means spending
    on ``customers_lost / precision`` customers, to keep ``customers_lost * success_rate``
    of them, and each customer kept costs
    ``cost_to_keep_per_customer / (precision * success_rate)``. Keeping is cheaper than
    winning as many new customers only while that is below ``ratio`` times
    ``cost_to_keep_per_customer``, that is while ``precision * success_rate > 1 / ratio``.
    The defaults (1 and 1: the business knows who will leave and keeps them all) give the
    source's sum.

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
    precision : float, default 1.0
        Of the customers the effort is spent on, the share who would really have left, in (0, 1].
    success_rate : float, default 1.0
        Of those, the share the effort keeps, in (0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per ratio: ``acquisition_to_retention_cost_ratio``, ``customers_lost``,
        ``customers_targeted`` (customers the effort is spent on), ``customers_saved``,
        ``cost_to_keep`` (the effort on all the targeted customers),
        ``cost_per_customer_saved``, ``cost_to_replace`` (winning as many new customers as
        are saved) and ``saving`` (cost_to_replace - cost_to_keep; negative when replacing
        is cheaper).

    Raises
    ------
    LoyaltyDataError
        If a figure is negative, a share is outside its range, or no ratio is given.

    Examples
    --------
    >>> retention_budget_whatif(customers=1000, yearly_defection_rate=0.2,
    ...                         cost_to_keep_per_customer=10)["saving"].tolist()
    [4000.0, 18000.0]
    >>> retention_budget_whatif(customers=1000, yearly_defection_rate=0.2, cost_to_keep_per_customer=10,
    ...                         precision=0.25, success_rate=0.4)["saving"].tolist()
    [-5600.0, 0.0]
    """
    _check_non_negative(customers=customers, cost_to_keep_per_customer=cost_to_keep_per_customer)
    _check_share("yearly_defection_rate", yearly_defection_rate)
    for name, share in (("precision", precision), ("success_rate", success_rate)):
        _check_share(name, share)
        if share == 0:
            raise LoyaltyDataError(
                f"{name} must be above 0: an effort that keeps nobody has no cost per customer kept."
            )
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
    cost = float(cost_to_keep_per_customer)
    lost = float(customers) * yearly_defection_rate
    targeted = lost / precision
    saved = lost * success_rate
    keep = targeted * cost
    replace = saved * cost * ratio_array
    return pd.DataFrame(
        {
            "acquisition_to_retention_cost_ratio": ratio_array,
            "customers_lost": np.full(ratio_array.size, lost),
            "customers_targeted": np.full(ratio_array.size, targeted),
            "customers_saved": np.full(ratio_array.size, saved),
            "cost_to_keep": np.full(ratio_array.size, keep),
            "cost_per_customer_saved": np.full(ratio_array.size, cost / (precision * success_rate)),
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
