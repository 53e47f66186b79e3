"""Everything the report needs from the transactions, aggregated by DuckDB in one go.

The client report never needs the transactions row by row: it needs the per-customer
summary, the monthly monitoring table, the cohorts, the annual retention and each year's
revenue. :func:`aggregate` computes them all from a DataFrame or from a Parquet file of any
size, with one :func:`~loyalty_lessons.scan.scan` of the transactions (the orders a share
of the customers at a time, then, per customer, the summary and the months of their
purchases), and counts each table from it with the same function the lessons use:
:func:`~loyalty_lessons.monitoring.monitoring_table_from_activity`,
:func:`~loyalty_lessons.cohorts.cohort_counts_from_activity` and
:func:`~loyalty_lessons.retention.annual_retention_from_activity`.
``docs/warehouse.md`` gives the per-customer and per-month tables as standard SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loyalty_lessons.cohorts import cohort_counts_from_activity
from loyalty_lessons.customer_types.classify import TYPE_RULES
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.monitoring import monitoring_table_from_activity
from loyalty_lessons.orders import SUMMARY_COLUMNS
from loyalty_lessons.retention import annual_retention_from_activity
from loyalty_lessons.scan import scan, split_summary

__all__ = ["Aggregates", "aggregate"]

#: The lengths a cohort can have.
COHORT_PERIODS = ("M", "Q", "Y")


@dataclass
class Aggregates:
    """The report's tables, computed by :func:`aggregate`.

    Attributes
    ----------
    observation_end : Timestamp
        The day the figures are as of; later transactions are left out of every table.
    first_date : Timestamp
        The first transaction date.
    summary : DataFrame
        ``customer_summary(transactions, observation_end=...)``.
    orders_in_window : Series
        Each customer's purchases in the ``window_days`` days up to observation end, by
        customer id (for ``classify_customers(summary, orders_in_window=...)``).
    window_days : int
    monthly : DataFrame
        ``monitoring_table(transactions, period="M", observation_end=...,
        early_defection_days=...)``.
    cohorts : DataFrame or None
        ``cohort_counts(transactions, period=cohort_period, observation_end=...)``; None
        when there is no purchase.
    retention : DataFrame or None
        ``annual_retention`` of the transactions up to observation end; None when they do
        not cover two consecutive calendar years.
    yearly_revenue : Series
        Net revenue of each calendar year (index ``year``).
    calibration : DataFrame or None
        With a ``calibration_end``: the customers first seen by that day, summarised as of it
        as ``customer_summary(transactions, observation_end=calibration_end)`` would
        (``customer_id``, ``first_purchase``, ``orders``, ``frequency``, ``recency``, ``T``,
        in days), with ``holdout_purchases``, their purchases after it; None otherwise.
    calibration_purchases_by_day : Series or None
        With a ``calibration_end``: those customers' purchases per day, up to observation end.
    split : Timestamp or None
        The ``split`` the tables were given.
    before_split : DataFrame or None
        With a ``split``: the customers with a purchase by that day, summarised as of it, with
        their purchases in the ``window_days`` days up to it
        (:func:`~loyalty_lessons.scan.split_summary`; what
        :func:`~loyalty_lessons.future_spend.future_spend_from_summary` types them on).
    """

    observation_end: pd.Timestamp
    first_date: pd.Timestamp
    summary: pd.DataFrame
    orders_in_window: pd.Series
    window_days: int
    monthly: pd.DataFrame
    cohorts: pd.DataFrame | None
    retention: pd.DataFrame | None
    yearly_revenue: pd.Series
    calibration: pd.DataFrame | None = None
    calibration_purchases_by_day: pd.Series | None = None
    split: pd.Timestamp | None = None
    before_split: pd.DataFrame | None = None


def aggregate(
    transactions: pd.DataFrame | str | Path,
    *,
    observation_end: str | pd.Timestamp | None = None,
    cohort_period: str = "Q",
    early_defection_days: int = 180,
    window_days: int = TYPE_RULES["loyal_window_days"],
    one_line_orders: bool = False,
    calibration_end: str | pd.Timestamp | None = None,
    split: str | pd.Timestamp | None = None,
    engine: str = "duckdb",
) -> Aggregates:
    """Compute the report's tables from canonical transactions, in DuckDB.

    Parameters
    ----------
    transactions : DataFrame, or str or Path of a Parquet file
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional
        ``order_id``), e.g. the file :func:`~loyalty_lessons.transactions_to_parquet`
        writes. A file is read by DuckDB, never loaded whole.
    observation_end : date-like, optional
        Defaults to the last transaction date.
    cohort_period : {"M", "Q", "Y"}
        Length of a cohort.
    early_defection_days : int
        As in :func:`~loyalty_lessons.monitoring.monitoring_table`.
    window_days : int
        Window of ``orders_in_window`` (the loyal rule's, by default).
    one_line_orders : bool
        Every row is an order of its own, as ``LoadReport.one_line_orders`` says: lines are
        not grouped into orders (see :func:`~loyalty_lessons.customers.customer_summary`).
    calibration_end : date-like, optional
        Also summarise the customers as of this day, for the check of the customer-base model
        (:func:`~loyalty_lessons.customer_base_check.model_check_from_summary`): ``calibration``
        and ``calibration_purchases_by_day``, from the same scan.
    split : date-like, optional
        Also summarise the customers as of this day, for the spend of each type after it
        (:func:`~loyalty_lessons.future_spend.future_spend_from_summary`): ``before_split``,
        from the same scan.
    engine : {"duckdb", "spark"}
        Where the scan of the transactions runs: embedded DuckDB, or Apache Spark
        (:func:`loyalty_lessons.spark.scan`, which also takes a Spark DataFrame or a path on
        the cluster). The tables are counted from its result in the same way.

    Returns
    -------
    Aggregates

    Raises
    ------
    LoyaltyDataError
        If a column is missing, ``cohort_period`` is not supported or no transaction falls
        on or before ``observation_end``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 5.0, 8.0],
    ...                    "date": pd.to_datetime(["2023-03-01", "2024-02-01", "2024-02-03"])})
    >>> tables = aggregate(tx)
    >>> tables.summary["orders"].tolist(), tables.retention["retention"].tolist()
    ([2, 1], [1.0])
    >>> int(tables.monthly["new_customers"].sum()), tables.yearly_revenue.to_dict()
    (2, {2023: 10.0, 2024: 13.0})
    """
    if cohort_period not in COHORT_PERIODS:
        raise LoyaltyDataError(
            f"cohort_period={cohort_period!r} is not supported; use one of {sorted(COHORT_PERIODS)}."
        )
    if engine == "spark":
        from loyalty_lessons import spark

        scan_on = spark.scan
    elif engine == "duckdb":
        scan_on = scan
    else:
        raise LoyaltyDataError(f"engine={engine!r} is not supported; use 'duckdb' or 'spark'.")
    activity = scan_on(
        transactions,
        observation_end=observation_end,
        unit="M",
        window_days=window_days,
        one_line_orders=one_line_orders,
        calibration_end=calibration_end,
        split=split,
    )
    customers = activity.customers
    monthly = monitoring_table_from_activity(activity, period="M", early_defection_days=early_defection_days)
    cohorts = cohort_counts_from_activity(activity, period=cohort_period) if activity.buyers.any() else None
    try:
        retention = annual_retention_from_activity(activity)
    except LoyaltyDataError:  # not two consecutive calendar years
        retention = None
    years = activity.periods("Y").year.to_numpy(dtype="int64")
    covered = activity.per_period(activity.lines, "Y") > 0
    return Aggregates(
        observation_end=activity.observation_end,
        first_date=activity.first_date,
        summary=customers[SUMMARY_COLUMNS],
        orders_in_window=customers.set_index("customer_id")["orders_in_window"],
        window_days=window_days,
        monthly=monthly,
        cohorts=cohorts,
        retention=retention,
        yearly_revenue=pd.Series(
            activity.per_period(activity.revenue, "Y")[covered],
            index=pd.Index(years[covered], name="year"),
            name="revenue",
        ),
        calibration=None if calibration_end is None else _calibration(customers),
        calibration_purchases_by_day=activity.calibration_purchases_by_day,
        split=None if split is None else pd.Timestamp(split).normalize(),
        before_split=None if split is None else split_summary(customers),
    )


def _calibration(customers: pd.DataFrame) -> pd.DataFrame:
    """The calibration summary of the customers first seen by the calibration end."""
    known = customers["calibration_first_purchase"].notna().to_numpy()

    def column(name: str):  # one column of the known customers, not a copy of them all
        return customers[name].to_numpy()[known]

    orders = column("calibration_orders")
    return pd.DataFrame(
        {
            "customer_id": customers["customer_id"].array[known],  # text stays in Arrow
            "first_purchase": column("calibration_first_purchase"),
            "orders": orders,
            "frequency": (orders - 1).clip(min=0),
            "recency": column("calibration_recency"),
            "T": column("calibration_T"),
            "holdout_purchases": column("holdout_purchases"),
        }
    )
