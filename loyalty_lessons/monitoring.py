"""Monitoring loyalty period by period: new customers, early defections, spend per order.

A small business is on the right track when more new customers come in, fewer of them
drop away after one or two purchases, and each sale brings in more money; sales per
customer and the share of repeat business complete the picture
(source: [fr-monitoring-loyalty]). This module turns canonical transactions
(``docs/data.md``) into those figures:

- :func:`monitoring_table`: one row per period (week, month, quarter or year) with the
  counts and ratios above;
- :func:`loyalty_signals`: the three signals of the source, each judged ``improving``,
  ``worsening`` or ``steady`` with a plain-language message;
- :func:`cohort_counts` and :func:`cohort_retention`: customers grouped by the period of
  their first purchase, and the share of each group still buying 0, 1, 2, ... periods later.

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

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.orders import Activity, scan

__all__ = [
    "PERIODS",
    "LOYALTY_SIGNALS",
    "monitoring_table",
    "monitoring_table_from_activity",
    "loyalty_signals",
    "cohort_counts",
    "cohort_counts_from_activity",
    "cohort_retention",
    "cohort_shares",
]

#: Accepted ``period`` codes and the word used for one period in messages and titles.
PERIODS: dict[str, str] = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}

#: The three signals of [fr-monitoring-loyalty]: which column of :func:`monitoring_table`
#: measures each, which direction is good, and how values read in a message.
LOYALTY_SIGNALS: dict[str, dict[str, str]] = {
    "new customers": {
        "metric": "new_customers",
        "better": "higher",
        "label": "New customers per {period}",
        "format": "{:,.0f}",
    },
    "early defections": {
        "metric": "early_defection_rate",
        "better": "lower",
        "label": "Share of new customers who left after one or two purchases",
        "format": "{:.0%}",
    },
    "spend per order": {
        "metric": "spend_per_order",
        "better": "higher",
        "label": "Spend per order",
        "format": "{:,.2f}",
    },
}

_TABLE_COLUMNS = [
    "period",
    "new_customers",
    "active_customers",
    "returning_customers",
    "repeat_rate",
    "orders",
    "revenue",
    "spend_per_order",
    "sales_per_customer",
    "early_defections",
    "early_defection_rate",
    "complete",
]


def _check_period(period: str) -> str:
    if period not in PERIODS:
        raise LoyaltyDataError(
            f"period={period!r} is not supported; use one of {sorted(PERIODS)} "
            "(W = weeks Monday-Sunday, M = months, Q = quarters, Y = years)."
        )
    return period


def _scan(
    transactions: pd.DataFrame,
    *,
    observation_end: pd.Timestamp | str | None,
    unit: str,
    customer_id_col: str,
    date_col: str,
    amount_col: str,
    order_id_col: str,
) -> Activity:
    """Validate transactions and :func:`~loyalty_lessons.orders.scan` them, with purchases
    without an order id counted per customer and day."""
    if not isinstance(transactions, pd.DataFrame):
        raise LoyaltyDataError(
            f"transactions must be a pandas DataFrame, not {type(transactions).__name__}."
        )
    missing = [c for c in (customer_id_col, date_col, amount_col) if c not in transactions]
    if missing:
        raise LoyaltyDataError(
            f"transactions lack the column(s) {missing}; found {list(transactions.columns)}. "
            "Load the export with load_transactions() or pass customer_id_col=, date_col=, "
            "amount_col= to name them."
        )
    if not pd.api.types.is_datetime64_any_dtype(transactions[date_col]):
        raise LoyaltyDataError(
            f"column {date_col!r} must hold dates (datetime64), "
            f"not {transactions[date_col].dtype}; convert it with pandas.to_datetime "
            "or load the file with load_transactions()."
        )
    if not pd.api.types.is_numeric_dtype(transactions[amount_col]):
        raise LoyaltyDataError(
            f"column {amount_col!r} must be numeric, not {transactions[amount_col].dtype}; "
            "load the file with load_transactions() to set bad rows aside."
        )
    for col in (customer_id_col, date_col, amount_col):
        holes = int(transactions[col].isna().sum())
        if holes:
            raise LoyaltyDataError(
                f"column {col!r} has {holes} missing value(s); remove those rows or load the "
                "file with load_transactions(), which sets them aside with their line numbers."
            )
    dates = transactions[date_col]
    if observation_end is None:
        if dates.empty:
            raise LoyaltyDataError("transactions are empty: there is nothing to monitor.")
        end = dates.max().normalize()
    else:
        end = pd.Timestamp(observation_end).normalize()
    if not (dates.dt.normalize() <= end).any():
        raise LoyaltyDataError(
            f"no transaction falls on or before observation_end={end.date()}; "
            "choose a later observation_end."
        )
    return scan(transactions, observation_end=end, unit=unit, customer_id_col=customer_id_col,
                date_col=date_col, amount_col=amount_col, order_id_col=order_id_col)


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
        A customer with one or two purchases in total counts as an early defection once
        ``early_defection_days`` days have passed since their last purchase without
        another one (judged at ``observation_end``).
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
        - ``sales_per_customer``: revenue / active customers;
        - ``early_defections``: customers first buying in the period who made one or two
          purchases in total and none in the ``early_defection_days`` after their last one.
          NaN for the last periods that cannot be judged yet, i.e. when the period's last
          day plus ``early_defection_days`` is after ``observation_end``. In a judged period
          a customer whose second purchase is too recent to judge is not counted (yet);
        - ``early_defection_rate``: early_defections / new_customers;
        - ``complete``: the period ended on or before ``observation_end``.

        Ratios are NaN when their denominator is 0 (nothing to divide). ``attrs`` holds
        ``period``, ``observation_end`` and ``early_defection_days``.

    Raises
    ------
    LoyaltyDataError
        If a required column is missing or malformed, ``period`` is not supported,
        ``early_defection_days`` is negative, or no row falls before ``observation_end``.

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
    _check_period(period)
    _check_days(early_defection_days)
    activity = _scan(
        transactions,
        observation_end=observation_end,
        unit="W" if period == "W" else "M",
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    return monitoring_table_from_activity(
        activity, period=period, early_defection_days=early_defection_days
    )


def _check_days(early_defection_days: int) -> None:
    if early_defection_days < 0:
        raise LoyaltyDataError(
            f"early_defection_days={early_defection_days} is negative; pass a number of days >= 0."
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
        From :func:`~loyalty_lessons.orders.scan`.
    period, early_defection_days
        As in :func:`monitoring_table`.

    Returns
    -------
    pandas.DataFrame
        As :func:`monitoring_table`.

    Examples
    --------
    >>> from loyalty_lessons.orders import scan
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [40.0, 20.0, 30.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-02-09"])})
    >>> monitoring_table_from_activity(scan(tx), period="Q")["active_customers"].tolist()
    [2]
    """
    _check_period(period)
    _check_days(early_defection_days)
    end = activity.observation_end
    periods = activity.periods(period)
    first = activity.first_periods(period)
    # New customers and early defections (at most two purchases, the last one long enough
    # ago) per period of the first purchase.
    customers = activity.customers
    defected = (
        (customers["orders"] <= 2)
        & (customers["last_purchase"] + pd.Timedelta(days=early_defection_days) <= end)
    ).to_numpy()[activity.buyers]
    new = np.bincount(first, minlength=len(periods))
    early = np.bincount(first, weights=defected, minlength=len(periods)).astype("float64")
    active = np.count_nonzero(activity.in_periods(period), axis=1)
    revenue = activity.per_period(activity.revenue, period).astype("float64")
    orders = activity.per_period(activity.orders, period)

    last_day = periods.end_time.normalize()
    judged = np.asarray(last_day + pd.Timedelta(days=early_defection_days) <= end)
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


def _period_word(table: pd.DataFrame) -> str:
    code = table.attrs.get("period")
    if code is None and "period" in table and isinstance(table["period"].dtype, pd.PeriodDtype):
        code = table["period"].dtype.freqstr[0]
    return PERIODS.get(str(code), "period")


def _verdict(before: float, after: float, better: str, tolerance: float) -> tuple[float, str]:
    if np.isnan(before) or np.isnan(after):
        return np.nan, "not enough data"
    if before != 0:
        change = (after - before) / abs(before)
        moved = abs(change) > tolerance
    else:
        change = np.nan if after != 0 else 0.0
        moved = after != 0
    if not moved:
        return change, "steady"
    up = after > before
    return change, "improving" if up == (better == "higher") else "worsening"


def loyalty_signals(
    table: pd.DataFrame,
    *,
    window: int = 3,
    steady_tolerance: float = 0.02,
    signals: dict[str, dict[str, str]] | None = None,
) -> pd.DataFrame:
    """Judge the three loyalty signals of [fr-monitoring-loyalty]: improving, worsening or steady.

    For each signal the mean of its metric over the last ``window`` usable periods
    (``after``) is compared with the mean over the ``window`` periods before them
    (``before``). A usable period is complete (column ``complete``, when present) and has a
    value (so the recent periods whose early defections cannot be judged yet are skipped,
    as are ratios of empty periods). A relative change within ``steady_tolerance`` either way
    is ``steady``; otherwise the direction decides. When ``before`` is 0 the change is NaN and
    any rise or fall is judged by its direction.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`monitoring_table`, or any frame with the metric columns named in
        ``signals`` (by default ``new_customers``, ``early_defection_rate``,
        ``spend_per_order``) in time order, and optionally a boolean ``complete`` column.
    window : int
        Number of periods in each of the two compared windows.
    steady_tolerance : float
        Largest relative change still called steady (0.02 = within ±2%).
    signals : dict or None
        Replaces :data:`LOYALTY_SIGNALS`: ``{name: {"metric", "better" ("higher" or
        "lower"), "label", "format"}}``; ``{period}`` in a label becomes "week", "month", ...

    Returns
    -------
    pandas.DataFrame
        One row per signal, columns ``signal``, ``metric``, ``before``, ``after``,
        ``change`` (relative, e.g. 0.15 for +15%), ``verdict`` (``improving``,
        ``worsening``, ``steady``, or ``not enough data`` when fewer than ``2 * window``
        usable periods exist) and ``message`` (one plain sentence).

    Raises
    ------
    LoyaltyDataError
        If ``window`` < 1, ``steady_tolerance`` < 0, a metric column is missing or a
        signal's ``better`` is neither "higher" nor "lower".

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "new_customers": [80, 84, 88, 95, 97, 99],
    ...     "early_defection_rate": [0.30] * 6,
    ...     "spend_per_order": [40.0, 40.0, 40.0, 38.0, 37.0, 36.0],
    ... })
    >>> table.attrs["period"] = "M"
    >>> loyalty_signals(table)["verdict"].tolist()
    ['improving', 'steady', 'worsening']
    >>> print(loyalty_signals(table)["message"].iloc[0])
    New customers per month rose from 84 to 97 (+15%): improving.
    """
    if window < 1:
        raise LoyaltyDataError(f"window={window} must be a whole number of periods >= 1.")
    if steady_tolerance < 0:
        raise LoyaltyDataError(
            f"steady_tolerance={steady_tolerance} is negative; pass a share such as 0.02 (±2%)."
        )
    rules = LOYALTY_SIGNALS if signals is None else signals
    word = _period_word(table)
    complete = (
        table["complete"].to_numpy(dtype=bool)
        if "complete" in table
        else np.ones(len(table), dtype=bool)
    )
    rows = []
    for name, rule in rules.items():
        metric, better = rule["metric"], rule["better"]
        if metric not in table:
            raise LoyaltyDataError(
                f"signal {name!r} needs the column {metric!r}, which the table lacks; "
                "build the table with monitoring_table()."
            )
        if better not in ("higher", "lower"):
            raise LoyaltyDataError(
                f"signal {name!r} has better={better!r}; use 'higher' or 'lower'."
            )
        values = table[metric].to_numpy(dtype="float64")
        usable = values[complete & ~np.isnan(values)]
        if len(usable) >= 2 * window:
            before = float(usable[-2 * window : -window].mean())
            after = float(usable[-window:].mean())
        else:
            before = after = np.nan
        change, verdict = _verdict(before, after, better, steady_tolerance)
        label = rule.get("label", metric).format(period=word)
        fmt = rule.get("format", "{:,.2f}")
        if verdict == "not enough data":
            message = (
                f"{label}: not enough data ({len(usable)} usable {word}s, "
                f"{2 * window} needed): not enough data."
            )
        else:
            pct = "" if np.isnan(change) else f" ({change:+.0%})"
            if after > before:
                move = "rose"
            elif after < before:
                move = "fell"
            else:
                move = "stayed"
            if verdict == "steady" and move != "stayed":
                move = f"held about level ({move} slightly)"
            if move == "stayed":
                message = f"{label} stayed at {fmt.format(after)}: {verdict}."
            else:
                message = (
                    f"{label} {move} from {fmt.format(before)} to {fmt.format(after)}"
                    f"{pct}: {verdict}."
                )
        rows.append(
            {
                "signal": name,
                "metric": metric,
                "before": before,
                "after": after,
                "change": change,
                "verdict": verdict,
                "message": message,
            }
        )
    return pd.DataFrame(
        rows, columns=["signal", "metric", "before", "after", "change", "verdict", "message"]
    )


def cohort_counts(
    transactions: pd.DataFrame,
    *,
    period: str = "M",
    observation_end: pd.Timestamp | str | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str = "order_id",
) -> pd.DataFrame:
    """Number of each first-purchase cohort's customers buying 0, 1, 2, ... periods later.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional ``order_id``).
    period : {"W", "M", "Q", "Y"}
        Length of a period.
    observation_end : Timestamp, str or None
        Last day observed; defaults to the last date in the data.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (``Period``: the period of the first purchase; only cohorts with
        at least one customer), columns ``0, 1, 2, ...`` (periods since the first purchase,
        named ``periods_since_first``), nullable ``Int64`` counts of customers with a
        purchase in that period. Column 0 is the cohort size. Cells after the period of
        ``observation_end`` are ``<NA>``, not 0.

    Raises
    ------
    LoyaltyDataError
        As :func:`monitoring_table`.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-02-09"]),
    ...     "amount": [40.0, 20.0, 30.0],
    ... })
    >>> cohort_counts(tx)[0].tolist()
    [1, 1]
    """
    _check_period(period)
    activity = _scan(
        transactions,
        observation_end=observation_end,
        unit="W" if period == "W" else "M",
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    return cohort_counts_from_activity(activity, period=period)


def cohort_counts_from_activity(activity: Activity, *, period: str = "M") -> pd.DataFrame:
    """The :func:`cohort_counts` of transactions already scanned (by months for "M", "Q" and
    "Y", by weeks for "W"): what :func:`cohort_counts` and the client report count them with.

    Parameters
    ----------
    activity : Activity
        From :func:`~loyalty_lessons.orders.scan`.
    period : {"W", "M", "Q", "Y"}
        Length of a period.

    Returns
    -------
    pandas.DataFrame
        As :func:`cohort_counts`.

    Raises
    ------
    LoyaltyDataError
        If no customer made a purchase, or ``period`` is not supported.

    Examples
    --------
    >>> from loyalty_lessons.orders import scan
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [40.0, 20.0, 30.0],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-02-09"])})
    >>> cohort_counts_from_activity(scan(tx))[1].tolist()
    [1, <NA>]
    """
    _check_period(period)
    if not activity.buyers.any():
        raise LoyaltyDataError(
            "no purchase (order with a positive net amount) before observation_end: "
            "there are no cohorts to follow."
        )
    bought = activity.in_periods(period)
    cohort = activity.first_periods(period)
    # Customers sorted by cohort: each cohort is then a run of columns of ``bought``, whose
    # buyers are counted from the cohort's own period on.
    order = np.argsort(cohort, kind="stable")
    cohorts, starts = np.unique(cohort[order], return_index=True)
    ends = np.r_[starts[1:], len(order)]
    width = len(bought)
    values = np.zeros((len(cohorts), width - cohorts[0]), dtype="int64")
    for row, (c, start, end) in enumerate(zip(cohorts, starts, ends)):
        values[row, : width - c] = np.count_nonzero(bought[c:, order[start:end]], axis=1)
    # Cells after the period of observation_end are unknown, not 0.
    future = np.arange(values.shape[1])[None, :] >= (width - cohorts)[:, None]
    counts = pd.DataFrame(values).astype("Int64").mask(future)
    counts.index = pd.PeriodIndex.from_ordinals(activity.periods(period).asi8[cohorts], freq=period)
    counts.index.name = "cohort"
    counts.columns = pd.Index(range(values.shape[1]), name="periods_since_first")
    return counts


def cohort_retention(
    transactions: pd.DataFrame,
    *,
    period: str = "M",
    observation_end: pd.Timestamp | str | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str = "order_id",
) -> pd.DataFrame:
    """Share of each first-purchase cohort still buying 0, 1, 2, ... periods later.

    :func:`cohort_counts` divided by each cohort's size (its column 0); use
    ``cohort_counts(...)[0]`` for the cohort sizes.

    Parameters
    ----------
    transactions : pandas.DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional ``order_id``).
    period : {"W", "M", "Q", "Y"}
        Length of a period.
    observation_end : Timestamp, str or None
        Last day observed; defaults to the last date in the data. The period holding it
        counts as observed even when it is not over yet.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``cohort`` (``Period``), columns ``periods_since_first`` ``0, 1, 2, ...``,
        float64 shares in [0, 1]; column 0 is 1.0; future cells are NaN.

    Raises
    ------
    LoyaltyDataError
        As :func:`monitoring_table`.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "b"],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-02-07", "2024-01-09", "2024-01-20"]),
    ...     "amount": [40.0, 20.0, 30.0, 15.0],
    ... })
    >>> cohort_retention(tx).loc[pd.Period("2024-01", "M")].tolist()
    [1.0, 0.5]
    """
    counts = cohort_counts(
        transactions,
        period=period,
        observation_end=observation_end,
        customer_id_col=customer_id_col,
        date_col=date_col,
        amount_col=amount_col,
        order_id_col=order_id_col,
    )
    return cohort_shares(counts)


def cohort_shares(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`cohort_counts` as shares of each cohort's size: what :func:`cohort_retention` gives.

    Examples
    --------
    >>> counts = pd.DataFrame({0: [4, 2], 1: [1, pd.NA]}, dtype="Int64")
    >>> cohort_shares(counts)[1].tolist()
    [0.25, nan]
    """
    values = counts.to_numpy(dtype="float64", na_value=np.nan)
    shares = values / values[:, [0]]
    return pd.DataFrame(shares, index=counts.index, columns=counts.columns)
