"""What a loyal customer brings: more spend than a satisfied one, and new customers by word of mouth.

[fr-loyalty-value]'s example: a satisfied customer spends USD 50 a month and a loyal one
USD 75, over five years (:func:`value_difference`, :func:`value_over_years`), and a loyal
customer tells five people a month, one of whom becomes loyal
(:func:`referral_value`, :func:`referral_growth`). Money is per month or per year as each
name says; a year is 12 months.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

# The checks shared by this package's modules, under the names its functions use.
from loyalty_lessons.loyalty_value._checks import check_non_negative as _check_non_negative
from loyalty_lessons.loyalty_value._checks import check_share as _check_share
from loyalty_lessons.loyalty_value._checks import check_years as _check_years

__all__ = [
    "MONTHS_PER_YEAR",
    "ReferralValue",
    "ValueDifference",
    "referral_growth",
    "referral_value",
    "value_difference",
    "value_over_years",
]

MONTHS_PER_YEAR = 12


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
