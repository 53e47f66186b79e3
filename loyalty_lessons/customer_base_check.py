"""The check analysts run before trusting the customer-base model: calibration and holdout.

The BG/NBD model (:mod:`loyalty_lessons.customer_base`) is fitted on the purchases up to a
*calibration end*; its predictions for the following *holdout* period are compared with what
the same customers actually bought then, as Fader, Hardie & Lee (2005) do on CDNOW:

- in total (repeat purchases predicted against actual);
- per number of repeat purchases in the calibration period (0, 1, ..., 7+): the mean
  holdout purchases per customer, predicted and actual;
- over time: the cumulative repeat purchases, period by period across calibration and
  holdout, of the model and of the customers (the "tracking" curve).

Purchases are counted in the holdout as in the calibration period, by
:func:`~loyalty_lessons.customers.purchases`: an order, or for rows without an order id a
customer's purchase day, with a positive net amount. :func:`model_check` returns a
:class:`ModelCheck` whose ``verdict`` and ``message`` say in plain words whether the model is
good enough to act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loyalty_lessons.bg_nbd import BetaGeoModel, fit_bg_nbd
from loyalty_lessons.customers import TIME_UNITS, customer_summary, purchases
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["CHECK_RULES", "ModelCheck", "model_check", "model_check_from_summary"]

#: How the check is judged. ``tolerance``: the largest relative error of the total holdout
#: repeat purchases for the verdict "good" (twice it for "fair", beyond for "poor");
#: ``min_holdout_purchases``: fewer actual repeat purchases in the holdout than this, and
#: the check cannot tell ("not enough data"); ``top_group``: calibration repeat purchases
#: from which customers form one group in the per-frequency table (7: "7+").
CHECK_RULES: dict[str, float] = {"tolerance": 0.10, "min_holdout_purchases": 30, "top_group": 7}


@dataclass(frozen=True)
class ModelCheck:
    """The BG/NBD model fitted on a calibration period and compared with the holdout period after it.

    Attributes
    ----------
    calibration_end, holdout_end : pandas.Timestamp
        Last day of the calibration period and of the holdout period (which starts the day
        after ``calibration_end``).
    time_unit : str
        The model's time unit (``"W"`` weeks or ``"D"`` days): of ``tracking["elapsed"]``.
    model : BetaGeoModel
        The model fitted on the calibration period.
    customers : int
        Customers of the calibration period (as ``customer_summary`` lists them, with those
        whose only order was of zero value): those predicted for.
    actual_repeat_purchases : int
        Their purchases in the holdout period.
    predicted_repeat_purchases : float
        The model's expectation of it.
    relative_error : float
        predicted / actual - 1 (NaN without actual purchases).
    tolerance : float
        The relative error allowed for the verdict "good".
    verdict : str
        ``"good"`` (within ``tolerance``: good enough to act on), ``"fair"`` (within twice
        it: use with care), ``"poor"`` (do not act on it) or ``"not enough data"``.
    message : str
        The check in one or two plain sentences.
    by_frequency : pandas.DataFrame
        ``frequency`` (calibration repeat purchases: "0", "1", ..., "7+"), ``customers``,
        ``actual`` and ``predicted`` (mean holdout purchases per customer). Its ``attrs``, as
        those of ``tracking``, hold ``calibration_end``, ``holdout_end`` and ``time_unit``.
    tracking : pandas.DataFrame
        One row per ``time_unit`` from the first purchase to ``holdout_end``: ``date`` (the
        period's last day), ``elapsed`` (time from the first day of the data to the end of
        that day, in ``time_unit``), ``actual`` and ``predicted`` (cumulative repeat purchases of
        the calibration customers up to that day), ``holdout`` (whether the day is after
        ``calibration_end``).
    """

    calibration_end: pd.Timestamp
    holdout_end: pd.Timestamp
    time_unit: str
    model: BetaGeoModel
    customers: int
    actual_repeat_purchases: int
    predicted_repeat_purchases: float
    relative_error: float
    tolerance: float
    verdict: str
    message: str
    by_frequency: pd.DataFrame = field(hash=False, repr=False)
    tracking: pd.DataFrame = field(hash=False, repr=False)


def model_check(
    transactions: pd.DataFrame | str | Path,
    *,
    calibration_end: str | pd.Timestamp | None = None,
    holdout_end: str | pd.Timestamp | None = None,
    time_unit: str = "W",
    tolerance: float | None = None,
    customer_id_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    order_id_col: str | None = "order_id",
) -> ModelCheck:
    """Fit the BG/NBD model up to ``calibration_end`` and compare its predictions with the holdout.

    Parameters
    ----------
    transactions : DataFrame, or str or Path of a Parquet file
        Canonical transactions, as for :func:`~loyalty_lessons.customers.customer_summary`.
    calibration_end : date-like, optional
        Last day of the calibration period. Defaults to two thirds of the way from the first
        purchase to ``holdout_end``: the holdout is the last third of the observed period.
    holdout_end : date-like, optional
        Last day of the holdout period; later transactions are left out. Defaults to the
        last purchase.
    time_unit : {"W", "D"}, default "W"
        The model's time unit, and the step of the tracking curve.
    tolerance : float, optional
        Relative error of the total allowed for the verdict "good";
        ``CHECK_RULES["tolerance"]`` (10%) by default.
    customer_id_col, date_col, amount_col, order_id_col : str
        Column names, as for ``customer_summary``.

    Returns
    -------
    ModelCheck

    Raises
    ------
    ModelFitError
        When the model cannot be fitted on the calibration period or does not fit it (see
        :func:`~loyalty_lessons.customer_base.fit_bg_nbd`): the caller falls back to rules.
    LoyaltyDataError
        If the transactions cannot be read, or the dates do not leave a calibration and a
        holdout period.

    Examples
    --------
    >>> from loyalty_lessons import load_sample
    >>> check = model_check(load_sample().transactions)  # the holdout: the last third of the period
    >>> print(check.calibration_end.date(), check.verdict)
    2024-12-30 good
    >>> check.by_frequency.round(2).head(3)
      frequency  customers  actual  predicted
    0         0        305    1.29       1.61
    1         1        291    1.77       1.97
    2         2        229    2.59       2.77
    """
    _unit_days(time_unit)  # an unknown unit fails before the transactions are read
    tolerance = CHECK_RULES["tolerance"] if tolerance is None else float(tolerance)
    if not (np.isfinite(tolerance) and tolerance > 0):
        raise LoyaltyDataError(f"tolerance must be above 0 (0.10 for 10%); got {tolerance!r}.")
    columns = {
        "customer_id_col": customer_id_col,
        "date_col": date_col,
        "amount_col": amount_col,
        "order_id_col": order_id_col,
    }
    bought = purchases(transactions, observation_end=holdout_end, **columns)
    if bought.empty:
        raise LoyaltyDataError("The transactions hold no purchase: there is no model to check.")
    start = bought["date"].min().normalize()
    holdout_end = (
        bought["date"].max().normalize() if holdout_end is None else pd.Timestamp(holdout_end).normalize()
    )
    if calibration_end is None:
        calibration_end = start + pd.Timedelta(days=(holdout_end - start).days * 2 // 3)
    calibration_end = pd.Timestamp(calibration_end).normalize()
    if not start < calibration_end < holdout_end:
        raise LoyaltyDataError(
            f"The calibration period must end after the first purchase ({start:%Y-%m-%d}) "
            "and before the end of "
            f"the holdout period ({holdout_end:%Y-%m-%d}); calibration_end is {calibration_end:%Y-%m-%d}."
        )

    summary = customer_summary(transactions, observation_end=calibration_end, time_unit="D", **columns)
    cohort = bought["customer_id"].isin(summary["customer_id"]).to_numpy()
    in_holdout = cohort & (bought["date"] > calibration_end).to_numpy()
    holdout = (
        pd.Series(bought["customer_id"].to_numpy()[in_holdout])
        .value_counts()
        .reindex(summary["customer_id"], fill_value=0)
        .to_numpy()
    )
    by_day = bought["date"][cohort].dt.normalize().value_counts().sort_index()
    return model_check_from_summary(
        summary,
        holdout,
        by_day,
        calibration_end=calibration_end,
        holdout_end=holdout_end,
        time_unit=time_unit,
        tolerance=tolerance,
    )


def model_check_from_summary(
    calibration: pd.DataFrame,
    holdout_purchases,
    purchases_by_day: pd.Series,
    *,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp,
    time_unit: str = "W",
    tolerance: float | None = None,
) -> ModelCheck:
    """:func:`model_check` from what it needs of the transactions, already aggregated.

    For a caller that summarises the transactions in its own pass (the client report takes
    them from :func:`~loyalty_lessons.aggregates.aggregate`, with ``calibration_end``), so
    that the transactions are not read again. :func:`model_check` is this function on what it
    computes from the transactions.

    Parameters
    ----------
    calibration : pandas.DataFrame
        ``customer_summary(transactions, observation_end=calibration_end, time_unit="D")``:
        one row per customer of the calibration period, with ``first_purchase``, ``orders``,
        ``frequency``, ``recency`` and ``T`` (days).
    holdout_purchases : array-like
        Each of these customers' purchases after ``calibration_end`` up to ``holdout_end``,
        in the order of ``calibration``'s rows.
    purchases_by_day : pandas.Series
        Purchases per day (index: the day) of these customers, first purchases included, up
        to ``holdout_end``; days without purchases may be left out.
    calibration_end, holdout_end : date-like
        Last day of the calibration and of the holdout period.
    time_unit, tolerance
        As for :func:`model_check`.

    Returns
    -------
    ModelCheck

    Raises
    ------
    ModelFitError
        When the model cannot be fitted on the calibration period or does not fit it.
    LoyaltyDataError
        If there is no purchase, or the dates do not leave a calibration and a holdout period.
    """
    unit_days = _unit_days(time_unit)
    tolerance = CHECK_RULES["tolerance"] if tolerance is None else float(tolerance)
    if not (np.isfinite(tolerance) and tolerance > 0):
        raise LoyaltyDataError(f"tolerance must be above 0 (0.10 for 10%); got {tolerance!r}.")
    if len(purchases_by_day) == 0 or int(np.sum(purchases_by_day.to_numpy())) == 0:
        raise LoyaltyDataError("The transactions hold no purchase: there is no model to check.")
    calibration_end = pd.Timestamp(calibration_end).normalize()
    holdout_end = pd.Timestamp(holdout_end).normalize()
    day_index = pd.DatetimeIndex(purchases_by_day.index).normalize()
    start = day_index.min()
    if not start < calibration_end < holdout_end:
        raise LoyaltyDataError(
            f"The calibration period must end after the first purchase ({start:%Y-%m-%d}) "
            "and before the end of "
            f"the holdout period ({holdout_end:%Y-%m-%d}); calibration_end is {calibration_end:%Y-%m-%d}."
        )
    summary = calibration
    model = fit_bg_nbd(summary, time_unit=time_unit, summary_time_unit="D")

    actual = np.asarray(holdout_purchases, dtype="int64")
    x = summary["frequency"].to_numpy(dtype="float64")
    t_x = summary["recency"].to_numpy(dtype="float64") / unit_days
    T = summary["T"].to_numpy(dtype="float64") / unit_days
    predicted = model.expected_purchases((holdout_end - calibration_end).days / unit_days, x, t_x, T)

    first_days = (summary["first_purchase"] - start).dt.days.to_numpy()
    # A customer whose first order was of zero value (or refunded) is a customer from that
    # day, as in the model; all of their purchases are repeat purchases.
    bought_first = first_days[summary["orders"].to_numpy() > 0]
    in_range = day_index <= holdout_end
    tracking = _tracking(
        model,
        (day_index[in_range] - start).days.to_numpy(),
        purchases_by_day.to_numpy(dtype="int64")[in_range],
        np.sort(bought_first),
        first_days,
        start,
        calibration_end,
        holdout_end,
        unit_days,
    )
    total_actual, total_predicted = int(actual.sum()), float(predicted.sum())
    relative_error = total_predicted / total_actual - 1 if total_actual else float("nan")
    verdict, message = _verdict(
        total_actual, total_predicted, relative_error, tolerance, calibration_end, holdout_end
    )
    by_frequency = _by_frequency(x, actual, predicted)
    for table in (by_frequency, tracking):
        table.attrs.update(calibration_end=calibration_end, holdout_end=holdout_end, time_unit=time_unit)
    return ModelCheck(
        calibration_end=calibration_end,
        holdout_end=holdout_end,
        time_unit=time_unit,
        model=model,
        customers=len(summary),
        actual_repeat_purchases=total_actual,
        predicted_repeat_purchases=total_predicted,
        relative_error=relative_error,
        tolerance=tolerance,
        verdict=verdict,
        message=message,
        by_frequency=by_frequency,
        tracking=tracking,
    )


def _unit_days(time_unit: str) -> int:
    if time_unit not in TIME_UNITS:
        raise LoyaltyDataError(
            f"time_unit={time_unit!r} is not supported; use one of {sorted(TIME_UNITS)} (days or weeks)."
        )
    return TIME_UNITS[time_unit]


def _by_frequency(x: np.ndarray, actual: np.ndarray, predicted: np.ndarray) -> pd.DataFrame:
    """Mean holdout purchases, actual and predicted, per number of calibration repeat purchases."""
    top = int(CHECK_RULES["top_group"])
    group = np.minimum(x, top).astype("int64")
    customers = np.bincount(group, minlength=top + 1)
    present = customers > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame(
            {
                "frequency": [str(g) if g < top else f"{top}+" for g in range(top + 1)],
                "customers": customers,
                "actual": np.bincount(group, weights=actual, minlength=top + 1) / customers,
                "predicted": np.bincount(group, weights=predicted, minlength=top + 1) / customers,
            }
        )
    return table[present].reset_index(drop=True)


def _tracking(
    model: BetaGeoModel,
    purchase_days: np.ndarray,
    purchase_counts: np.ndarray,
    first_purchase_days: np.ndarray,
    first_days: np.ndarray,
    start: pd.Timestamp,
    calibration_end: pd.Timestamp,
    holdout_end: pd.Timestamp,
    unit_days: int,
) -> pd.DataFrame:
    """Cumulative repeat purchases of the calibration customers, actual and expected, period by period.

    ``purchase_days`` and ``purchase_counts``: the days (from ``start``) on which they bought
    and their purchases that day; ``first_purchase_days``: the days of their first purchases,
    sorted; ``first_days``: the day each became a customer.
    A period's point is its last day; the last point is ``holdout_end``. Up to the end of day
    E, a customer since day d has been one for E - d days, as ``T`` counts it in the summary.
    """
    last = (holdout_end - start).days
    ends = np.arange(unit_days - 1, last + 1, unit_days)
    if len(ends) == 0 or ends[-1] != last:
        ends = np.append(ends, last)
    order = np.argsort(purchase_days, kind="stable")
    cumulative = np.r_[0, np.cumsum(purchase_counts[order])]
    actual = cumulative[np.searchsorted(purchase_days[order], ends, side="right")] - np.searchsorted(
        first_purchase_days, ends, side="right"
    )
    firsts, counts = np.unique(first_days, return_counts=True)
    predicted = model.expected_repeat_purchases_population(ends / unit_days, firsts / unit_days, counts)
    dates = start + pd.to_timedelta(ends, unit="D")
    return pd.DataFrame(
        {
            "date": dates,
            "elapsed": (ends + 1) / unit_days,
            "actual": actual.astype("int64"),
            "predicted": predicted,
            "holdout": dates > calibration_end,
        }
    )


def _verdict(
    actual: int,
    predicted: float,
    relative_error: float,
    tolerance: float,
    calibration_end: pd.Timestamp,
    holdout_end: pd.Timestamp,
) -> tuple[str, str]:
    period = f"from {calibration_end + pd.Timedelta(days=1):%Y-%m-%d} to {holdout_end:%Y-%m-%d}"
    said = (
        f"Fitted up to {calibration_end:%Y-%m-%d}, the model predicted {predicted:,.0f} "
        f"repeat purchases {period}"
    )
    if actual < CHECK_RULES["min_holdout_purchases"]:
        return "not enough data", (
            f"{said}; {actual:,} happened, too few to tell whether the model is right (at least "
            f"{CHECK_RULES['min_holdout_purchases']:,} are needed). Do not act on its figures yet."
        )
    more = "more" if relative_error > 0 else "fewer"
    off = f"{abs(relative_error):.0%} {more} than the {actual:,} that happened"
    if abs(relative_error) <= tolerance:
        return "good", f"{said}: {off}, within ±{tolerance:.0%}. It is good enough to act on."
    if abs(relative_error) <= 2 * tolerance:
        return "fair", f"{said}: {off}, beyond ±{tolerance:.0%}. Use its figures with care."
    return (
        "poor",
        f"{said}: {off}, far beyond ±{tolerance:.0%}. Do not act on its figures; use the fixed rules.",
    )
