"""Who bought in which month: the :class:`Activity` a scan gives, and its month bitmask.

An :class:`Activity` is the transactions read once (by :func:`~loyalty_lessons.scan.scan`,
or by :func:`~loyalty_lessons.spark.scan` on Spark): one row per customer, and a table of
booleans saying in which months (or weeks) each customer made a purchase, with the purchases,
revenue and rows of each month. The monitoring table, the cohorts, the annual retention and
the report's aggregates are all counted from one (:mod:`~loyalty_lessons.monitoring`,
:mod:`~loyalty_lessons.cohorts`, :mod:`~loyalty_lessons.retention`,
:mod:`~loyalty_lessons.aggregates`); months fold into quarters and years here.

The engine hands the months of each customer's purchases over as the bits of 64-bit integers:
:func:`period_bits` writes the SQL that sets them, and :meth:`Activity.from_tables` unpacks
them with NumPy. ``UNIT_ORDINALS`` (SQL) and :func:`period_ordinals` (NumPy) number the
periods as pandas does; ``PERIODS`` are the period codes the lesson functions accept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.orders import DIALECTS, summary_types

__all__ = [
    "Activity",
    "PERIODS",
    "UNIT_ORDINALS",
    "check_period",
    "period_bits",
    "period_ordinals",
]

#: SQL giving the pandas ``Period`` ordinal of a DATE ``date`` for each period a scan can count
#: in: months, or weeks running Monday to Sunday (pandas' "W"; 1970-01-01 is a Thursday of week 1).
UNIT_ORDINALS = {
    "M": "(year(date) - 1970) * 12 + month(date) - 1",
    "W": "CAST(floor((days_between(date, DATE '1970-01-01') + 3) / 7) AS BIGINT) + 1",
}

#: The periods each unit of a scan folds into, with their length in units.
_FOLDS = {"M": {"M": 1, "Q": 3, "Y": 12}, "W": {"W": 1}}

#: Periods a column of purchase bits holds.
_BITS = 64

#: Accepted ``period`` codes and the word used for one period in messages and titles.
PERIODS: dict[str, str] = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def check_period(period: str) -> str:
    """``period`` if it is one of :data:`PERIODS`, else a :class:`LoyaltyDataError`."""
    if period not in PERIODS:
        raise LoyaltyDataError(
            f"period={period!r} is not supported; use one of {sorted(PERIODS)} "
            "(W = weeks Monday-Sunday, M = months, Q = quarters, Y = years)."
        )
    return period


def period_ordinals(dates: np.ndarray, period: str) -> np.ndarray:
    """pandas ``Period`` ordinals of datetime64 values, for periods "W", "M", "Q" or "Y".

    Examples
    --------
    >>> dates = np.array(["1969-12-28", "2024-05-31"], dtype="datetime64[D]")
    >>> period_ordinals(dates, "Q").tolist() == [pd.Period(d, "Q").ordinal for d in dates]
    True
    """
    if period == "W":
        return (dates.astype("datetime64[D]").astype("int64") + 3) // 7 + 1
    return dates.astype("datetime64[M]").astype("int64") // _FOLDS["M"][period]


def period_bits(unit: str, first: int, count: int, dialect: str) -> tuple[str, list[str]]:
    """Aggregates of the per-customer query giving the periods of each customer's purchases as
    bits, and the names of their columns.

    Bit ``j`` of column ``bought_k`` is set when the customer bought in the period of ordinal
    ``first + 64 * k + j``; one 64-bit column per 64 periods of data.
    """
    ordinal = UNIT_ORDINALS[unit]
    sql, names = [], []
    for k in range(-(-count // _BITS)):
        low = first + _BITS * k
        bit = DIALECTS[dialect]["bit"].format(offset=f"{ordinal} - {low}")
        sql.append(
            f", coalesce(bit_or({bit}) "
            f"FILTER (WHERE amount > 0 AND {ordinal} BETWEEN {low} AND {low + _BITS - 1}), 0) AS bought_{k}"
        )
        names.append(f"bought_{k}")
    return "".join(sql), names


def _unpack(masks: np.ndarray, count: int) -> np.ndarray:
    """Periods x customers booleans from the UBIGINT columns of :func:`period_bits`.

    Periods are rows, so that what follows (folding months into quarters or years, counting
    the buyers of a period) runs along contiguous rows of a million customers.
    """
    bought = np.empty((count, len(masks)), dtype=bool)
    for period in range(count):
        bit = np.uint64(1) << np.uint64(period % _BITS)
        np.not_equal(masks[:, period // _BITS] & bit, 0, out=bought[period])
    return bought


@dataclass(frozen=True)
class Activity:
    """Who bought in which period, and what each period sold: one scan of the transactions.

    Every per-period array has one entry per period of the scan's ``unit`` from the period of
    the first transaction (ordinal ``first``) to the period of ``observation_end``, with
    periods where nothing happened included.

    Attributes
    ----------
    observation_end : Timestamp
        The day the figures are as of; later transactions are left out.
    first_date : Timestamp
        The first transaction date.
    unit : {"M", "W"}
        The period of the arrays: months, or weeks running Monday to Sunday.
    first : int
        The pandas ``Period`` ordinal of the arrays' first period.
    customers : DataFrame
        One row per customer, sorted by ``customer_id``: the columns of the customer summary
        (``SUMMARY_COLUMNS``, days as the time unit), ``second_purchase`` and
        ``third_purchase`` (the dates of the customer's second and third purchases, NaT when
        there are fewer; purchases on one day each count), and ``orders_in_window`` when the
        scan was given a ``window_days``.
    buyers : ndarray of bool
        Which rows of ``customers`` made a purchase (customers with refunds only did not).
    bought : ndarray of bool
        Periods x buyers: whether each buyer (the rows of ``customers[buyers]``, in order)
        made a purchase in each period.
    orders, revenue, lines : ndarray
        Per period: purchases (int64), net revenue of every row, refunds included
        (float64), and rows (int64).
    spend, spend_squares : ndarray
        Per period: the sum of the purchases' amounts and the sum of their squares (float64),
        from which the standard deviation of the amount of a purchase follows.
    calibration_end : Timestamp or None
        The day of the calibration summary, when the scan was given one.
    calibration_purchases_by_day : Series or None
        With a ``calibration_end``: purchases per day (index ``date``, days with purchases
        only) of the customers first seen by that day, up to observation end.
    """

    observation_end: pd.Timestamp
    first_date: pd.Timestamp
    unit: str
    first: int
    customers: pd.DataFrame
    buyers: np.ndarray
    bought: np.ndarray
    orders: np.ndarray
    revenue: np.ndarray
    lines: np.ndarray
    spend: np.ndarray
    spend_squares: np.ndarray
    calibration_end: pd.Timestamp | None = None
    calibration_purchases_by_day: pd.Series | None = None

    @classmethod
    def from_tables(
        cls,
        observation_end: pd.Timestamp,
        unit: str,
        first: int,
        count: int,
        customers: pd.DataFrame,
        masks: list[str],
        lines: pd.DataFrame,
        purchases: pd.DataFrame,
        window_days: int | None,
        calibration_end: pd.Timestamp | None = None,
        calibration_purchases: pd.DataFrame | None = None,
    ) -> Activity:
        """An Activity from the results of the queries of
        :func:`~loyalty_lessons.scan.scan_sql` (whichever engine ran them): ``customers``
        sorted by id, with the 64-bit ``masks`` columns (signed or not); ``lines`` and
        ``purchases``, by ``ordinal``, possibly several rows per period; with a
        ``calibration_end``, ``calibration_purchases`` (``date``, ``purchases``, possibly
        several rows per day)."""
        buyers = (customers["orders"] > 0).to_numpy()
        bits = np.column_stack([customers[column].to_numpy().astype("uint64") for column in masks])
        bought = _unpack(bits[buyers], count)
        customers = summary_types(customers.drop(columns=masks))
        for column in ("second_purchase", "third_purchase"):
            customers[column] = customers[column].astype("datetime64[us]")
        if window_days is not None:
            customers["orders_in_window"] = customers["orders_in_window"].astype("int64")
        by_day = None
        if calibration_end is not None:
            for column in ("calibration_orders", "holdout_purchases"):
                customers[column] = customers[column].astype("int64")
            for column in ("calibration_recency", "calibration_T"):
                customers[column] = customers[column].astype("float64")
            customers["calibration_first_purchase"] = customers["calibration_first_purchase"].astype(
                "datetime64[us]"
            )
            days = calibration_purchases
            by_day = (
                days.assign(date=days["date"].astype("datetime64[us]"))
                .groupby("date")["purchases"]
                .sum()
                .astype("int64")
            )
        if "split_orders" in customers:
            for column in ("split_orders", "split_orders_in_window"):
                customers[column] = customers[column].astype("int64")
            for column in ("split_revenue", "split_days_since_last", "split_tenure_days"):
                customers[column] = customers[column].astype("float64")
        ordinals = pd.RangeIndex(first, first + count)
        lines, purchases = lines.set_index("ordinal"), purchases.set_index("ordinal")

        def per_unit(values: pd.Series, dtype: str) -> np.ndarray:
            return values.groupby(level=0).sum().reindex(ordinals, fill_value=0).to_numpy(dtype=dtype)

        return cls(
            observation_end=observation_end,
            first_date=pd.Timestamp(lines["first_date"].min()),
            unit=unit,
            first=first,
            customers=customers,
            buyers=buyers,
            bought=bought,
            orders=per_unit(purchases["orders"], "int64"),
            revenue=per_unit(lines["revenue"], "float64"),
            lines=per_unit(lines["lines"], "int64"),
            spend=per_unit(purchases["spend"], "float64"),
            spend_squares=per_unit(purchases["spend_squares"], "float64"),
            calibration_end=calibration_end,
            calibration_purchases_by_day=by_day,
        )

    def _size(self, period: str) -> int:
        size = _FOLDS[self.unit].get(period)
        if size is None:
            raise LoyaltyDataError(
                f"period={period!r} cannot be counted from a scan by {self.unit!r}; "
                f"use one of {sorted(_FOLDS[self.unit])}, or scan with unit='W' for weeks."
            )
        return size

    def _starts(self, period: str) -> tuple[np.ndarray, int]:
        """Where each period starts among the scan's rows, and the first period's ordinal."""
        ordinals = (self.first + np.arange(len(self.bought))) // self._size(period)
        return np.flatnonzero(np.r_[True, ordinals[1:] != ordinals[:-1]]), int(ordinals[0])

    def periods(self, period: str) -> pd.PeriodIndex:
        """The periods ("M", "Q", "Y" from a scan by months; "W" from a scan by weeks) the
        transactions cover, from the first transaction's to the observation end's."""
        starts, first = self._starts(period)
        return pd.PeriodIndex.from_ordinals(first + np.arange(len(starts)), freq=period)

    def in_periods(self, period: str) -> np.ndarray:
        """Periods x buyers: whether each buyer made a purchase in each of :meth:`periods`."""
        if self._size(period) == 1:
            return self.bought
        starts, _ = self._starts(period)
        ends = np.r_[starts[1:], len(self.bought)]
        # One OR over each period's rows (ten times faster than np.logical_or.reduceat here).
        return np.stack([self.bought[start:end].any(axis=0) for start, end in zip(starts, ends)])

    def per_period(self, values: np.ndarray, period: str) -> np.ndarray:
        """Per-unit ``values`` (``orders``, ``revenue``, ``lines``, ``spend`` or
        ``spend_squares``) added up per period."""
        if self._size(period) == 1:
            return values
        starts, _ = self._starts(period)
        return np.add.reduceat(values, starts)

    def first_periods(self, period: str) -> np.ndarray:
        """Each buyer's period of first purchase, as a row number of :meth:`periods`."""
        first_purchase = self.customers["first_purchase"].to_numpy()[self.buyers]
        return period_ordinals(first_purchase, period) - self.first // self._size(period)
