"""Monitoring loyalty period by period: new customers, early defections, spend per order.

A small business is on the right track when more new customers come in, fewer of them
drop away after one or two purchases, and each sale brings in more money; sales per
customer and the share of repeat business complete the picture
(source: [fr-monitoring-loyalty]). New customers come mostly from acquisition (marketing,
prices, the market), not from loyalty: they are watched beside the two signals of loyalty,
not as one. This module turns canonical transactions (``docs/data.md``) into those figures:

- :func:`monitoring_table`: one row per period (week, month, quarter or year) with the
  counts and ratios above;
- :func:`loyalty_signals`: the three signals of the source, each judged ``improving`` or
  ``worsening`` only when the change is beyond its normal variation (``within noise``
  otherwise, ``not applicable`` with the reason, and the latest level where there is one,
  when it cannot be judged), with the same months a year earlier and a plain-language
  message (from :mod:`~loyalty_lessons.monitoring_signals`, re-exported here);

Cohorts (customers grouped by the month of their first purchase) are in
:mod:`~loyalty_lessons.cohorts`, with the same definitions.

Definitions shared by all functions
-----------------------------------
- An **order** is an order id (per customer) or, where the order id is missing or the
  column is absent, a customer's purchase date. Its date is the first date of its lines.
- A **purchase** is an order whose net amount (refund lines included) is positive. A
  refund booked as its own order is not a purchase, but its amount still counts in the
  revenue of the period in which it was booked.
- A customer's **first purchase** is the date of their first purchase; customers with
  refunds only never become customers.
- Rows after ``observation_end`` are ignored; ``observation_end`` defaults to the last date.
- Periods are pandas ``Period`` values: ``"W"`` weeks run Monday to Sunday, ``"M"`` are
  calendar months, ``"Q"`` calendar quarters, ``"Y"`` calendar years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty_lessons.activity import PERIODS, Activity, check_period
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.monitoring_signals import LOYALTY_SIGNALS, MIN_COUNT, SPREAD_PERIODS, loyalty_signals
from loyalty_lessons.scan import checked_scan

__all__ = [
    "PERIODS",
    "LOYALTY_SIGNALS",
    "MIN_COUNT",
    "SPREAD_PERIODS",
    "monitoring_table",
    "monitoring_table_from_activity",
    "loyalty_signals",
]

_TABLE_COLUMNS = [
    "period",
    "new_customers",
    "active_customers",
    "returning_customers",
    "repeat_rate",
    "orders",
    "revenue",
    "spend_per_order",
    "spend_per_order_sd",
    "sales_per_customer",
    "early_defections",
    "early_defection_rate",
    "complete",
]


def monitoring_table(
    transactions: pd.DataFrame,
    *,
    period: str = "M",
    observation_end: pd.Timestamp | str | None = None,
    early_defection_days: int = 180,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str = "order_id",
) -> pd.DataFrame:
    """Loyalty figures per period: new customers, repeat business, spend and early defections.

    The figures a small business owner should watch according to
    [fr-monitoring-loyalty], one row per period from the period of the first
    transaction to the period of ``observation_end``. Periods without any activity appear
    with zero counts (the index is continuous).

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical transactions with columns ``customer_id``, ``date`` (datetime64),
        ``amount`` (refunds negative) and optionally ``order_id``.
    period : {"W", "M", "Q", "Y"}
        Length of a period: weeks (Monday-Sunday), calendar months, quarters or years.
    observation_end : Timestamp, str or None
        Last day observed; later rows are ignored. Defaults to the last date in the data.
    early_defection_days : int
        The horizon H (days, >= 1) of early defection: a new customer is an early defector
        when they made at most two purchases in the H days from their first purchase (that
        day included) and none in the H days after. A period's intake is judged once
        ``2 × H`` days have passed since its last day.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per period, columns:

        - ``period`` (``Period`` of the chosen frequency; ``.dt.start_time`` gives its start);
        - ``new_customers``: customers whose first purchase falls in the period;
        - ``active_customers``: customers with at least one purchase in the period;
        - ``returning_customers``: active customers whose first purchase was earlier;
        - ``repeat_rate``: returning / active customers;
        - ``orders``: purchases dated in the period;
        - ``revenue``: net sum of the amounts booked in the period, refunds included;
        - ``spend_per_order``: revenue / orders (spend per transaction);
        - ``spend_per_order_sd``: standard deviation of the amounts of the period's
          purchases (NaN with fewer than two);
        - ``sales_per_customer``: revenue / active customers;
        - ``early_defections``: customers first buying in the period who made at most two
          purchases in the H = ``early_defection_days`` days from their first purchase and
          none in the H days after. NaN for the periods that cannot be judged yet, i.e.
          when the period's last day plus 2H - 1 days is after ``observation_end``; a judged
          figure never changes as time passes;
        - ``early_defection_rate``: early_defections / new_customers;
        - ``complete``: the period ended on or before ``observation_end``.

        Ratios are NaN when their denominator is 0 (nothing to divide). ``attrs`` holds
        ``period``, ``observation_end`` and ``early_defection_days``.

    Raises
    ------
    LoyaltyDataError
        If a required column is missing or malformed, ``period`` is not supported,
        ``early_defection_days`` is below 1, or no row falls before ``observation_end``.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-02-09", "2024-02-20"]),
    ...     "amount": [40.0, 20.0, 30.0, 10.0],
    ... })
    >>> table = monitoring_table(tx, early_defection_days=30)
    >>> table["new_customers"].tolist(), table["repeat_rate"].round(2).tolist()
    ([1, 2], [0.0, 0.33])
    """
    check_period(period)
    _check_days(early_defection_days)
    activity = checked_scan(
        transactions,
        observation_end=observation_end,
        unit="W" if period == "W" else "M",
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    return monitoring_table_from_activity(activity, period=period, early_defection_days=early_defection_days)


def _check_days(early_defection_days: int) -> None:
    if early_defection_days < 1:
        word = "negative" if early_defection_days < 0 else "zero"
        raise LoyaltyDataError(
            f"early_defection_days={early_defection_days} is {word}; pass a number of days >= 1."
        )


def monitoring_table_from_activity(
    activity: Activity, *, period: str = "M", early_defection_days: int = 180
) -> pd.DataFrame:
    """The :func:`monitoring_table` of transactions already scanned (by months for "M", "Q"
    and "Y", by weeks for "W").

    What :func:`monitoring_table` computes its table with, and the client report too (from
    the scan that also gives its other figures, :func:`~loyalty_lessons.aggregates.aggregate`).

    Parameters
    ----------
    activity : Activity
        From :func:`~loyalty_lessons.scan.scan`.
    period, early_defection_days
        As in :func:`monitoring_table`.

    Returns
    -------
    pandas.DataFrame
        As :func:`monitoring_table`.

    Examples
    --------
    >>> from loyalty_lessons.scan import scan
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [40.0, 20.0, 30.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-02-09"])})
    >>> monitoring_table_from_activity(scan(tx), period="Q")["active_customers"].tolist()
    [2]
    """
    check_period(period)
    _check_days(early_defection_days)
    end = activity.observation_end
    periods = activity.periods(period)
    first = activity.first_periods(period)
    # New customers and early defections per period of the first purchase. An early defector
    # made at most two purchases in [first, first + H) and none in [first + H, first + 2H):
    # their second purchase is 2H or more days after the first, or within H days and the
    # third 2H or more days after. It depends only on the 2H days from the first purchase, so
    # a period is judged once all its customers have had them.
    horizon = pd.Timedelta(days=early_defection_days)
    # Only the three columns needed, not a copy of every column of a million customers.
    customers = activity.customers.loc[
        activity.buyers, ["first_purchase", "second_purchase", "third_purchase"]
    ]
    first_day = customers["first_purchase"]
    second, third = customers["second_purchase"], customers["third_purchase"]
    second_late = second.isna() | (second >= first_day + 2 * horizon)
    third_late = third.isna() | (third >= first_day + 2 * horizon)
    defected = (second_late | ((second < first_day + horizon) & third_late)).to_numpy()
    new = np.bincount(first, minlength=len(periods))
    early = np.bincount(first, weights=defected, minlength=len(periods)).astype("float64")
    active = np.count_nonzero(activity.in_periods(period), axis=1)
    revenue = activity.per_period(activity.revenue, period).astype("float64")
    orders = activity.per_period(activity.orders, period)
    spend = activity.per_period(activity.spend, period)
    squares = activity.per_period(activity.spend_squares, period)
    spread = np.full(len(periods), np.nan)
    several = orders >= 2
    spread[several] = np.sqrt(
        np.maximum(squares[several] - spend[several] ** 2 / orders[several], 0.0) / (orders[several] - 1)
    )

    last_day = periods.end_time.normalize()
    judged = np.asarray(last_day + 2 * horizon - pd.Timedelta(days=1) <= end)
    early[~judged] = np.nan

    def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        num = np.asarray(num, dtype="float64")
        out = np.full(num.shape, np.nan)
        np.divide(num, den, out=out, where=np.asarray(den) > 0)
        return out

    returning = active - new
    table = pd.DataFrame(
        {
            "period": periods,
            "new_customers": new.astype("int64"),
            "active_customers": active.astype("int64"),
            "returning_customers": returning.astype("int64"),
            "repeat_rate": ratio(returning, active),
            "orders": orders.astype("int64"),
            "revenue": revenue,
            "spend_per_order": ratio(revenue, orders),
            "spend_per_order_sd": spread,
            "sales_per_customer": ratio(revenue, active),
            "early_defections": early,
            "early_defection_rate": ratio(early, new),
            "complete": np.asarray(last_day <= end),
        },
        columns=_TABLE_COLUMNS,
    )
    table.attrs = {
        "period": period,
        "observation_end": end,
        "early_defection_days": early_defection_days,
    }
    return table
