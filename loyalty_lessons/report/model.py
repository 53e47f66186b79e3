"""The customer-base model of the report: who is still a customer, checked before it is used.

:func:`customer_base` fits the BG/NBD and Gamma-Gamma models
(:mod:`loyalty_lessons.customer_base`) to the report's per-customer summary, checks the
purchase model on a calibration and a holdout period
(:func:`~loyalty_lessons.customer_base_check.model_check_from_summary`, from the same DuckDB
pass as every other table of the report) and predicts, per customer, the probability of
being active and the purchases and revenue to expect over the horizon
(:func:`~loyalty_lessons.customer_base.customer_value`). Its :class:`CustomerBase` says
whether the report may use the model instead of the fixed rules (:attr:`CustomerBase.usable`)
and, when not, why (:attr:`CustomerBase.reason`).

On the Spark engine the models are fitted from what the cluster computes
(:mod:`loyalty_lessons.spark_model`: the BG/NBD from the counts of customers per distinct
history, the Gamma-Gamma on the repeat buyers or a sample of them), and every customer's
predictions are also written by the cluster, beside the report.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loyalty_lessons.aggregates import Aggregates
from loyalty_lessons.customer_base import (
    BetaGeoModel,
    GammaGammaModel,
    ModelFitError,
    customer_value,
    fit_bg_nbd,
    fit_gamma_gamma,
)
from loyalty_lessons.customer_base_check import ModelCheck, model_check_from_summary
from loyalty_lessons.customers import TIME_UNITS
from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "ALIVE_BINS",
    "ALIVE_CHECK_RULES",
    "MODEL_USE_RULES",
    "CustomerBase",
    "alive_check",
    "customer_base",
    "default_calibration_end",
    "top_slipping",
]

#: When the report acts on the model. ``verdicts``: the verdicts of the model check
#: (``ModelCheck.verdict``) for which the report uses the model instead of the fixed rules
#: ("fair" is said in words: "use with care"); ``slipping_below``: a customer whose
#: probability of being active is below it is "probably slipping away": "at risk" from
#: ``lost_below`` up, "probably lost" under it (a call list of people long gone would be
#: led by those who bought most before they left); ``time_unit``: the model's time unit
#: (weeks, as in Fader, Hardie & Lee 2005). The limits are this toolkit's own choice.
MODEL_USE_RULES: dict[str, object] = {
    "verdicts": ("good", "fair"),
    "slipping_below": 0.5,
    "lost_below": 0.1,
    "time_unit": "W",
}

#: The edges of the bands of probability of being active in which :func:`alive_check`
#: compares the model with the holdout period.
ALIVE_BINS: tuple[float, ...] = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)

#: When the probabilities hold up on the holdout period (this toolkit's rule): in every band
#: of :func:`alive_check` with at least ``min_customers`` customers, the share who bought is
#: within ``tolerance`` (in points of share) of the share the model expected.
ALIVE_CHECK_RULES: dict[str, float] = {"tolerance": 0.10, "min_customers": 30}


def default_calibration_end(first: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    """The end of the calibration period by default: two thirds of the way from ``first`` to ``end``.

    The holdout period, the day after it to ``end``, is the last third of the period, as
    :func:`~loyalty_lessons.customer_base_check.model_check` chooses it.

    Examples
    --------
    >>> default_calibration_end(pd.Timestamp("1997-01-01"), pd.Timestamp("1998-06-30")).date()
    datetime.date(1997, 12, 30)
    """
    first, end = pd.Timestamp(first).normalize(), pd.Timestamp(end).normalize()
    return first + pd.Timedelta(days=(end - first).days * 2 // 3)


@dataclass
class CustomerBase:
    """The report's customer-base model: what was fitted, how it checked, what it predicts.

    Attributes
    ----------
    purchase_model : BetaGeoModel or None
        BG/NBD fitted on every customer up to the observation end; None when it could not be.
    spend_model : GammaGammaModel or None
        Gamma-Gamma fitted on the repeat buyers; None when it could not be (the expected
        spend is then each customer's own average pulled towards everyone's,
        ``predictions.attrs["spend_basis"]``).
    spend_refused : str or None
        Why the spend model was not fitted, in words.
    check : ModelCheck or None
        The calibration/holdout check; None when it could not be made.
    predictions : DataFrame or None
        With the purchase model: per customer of the summary, in its order, ``customer_id``,
        ``p_alive``, ``expected_purchases``, ``expected_average_spend`` and
        ``expected_value`` (expected revenue over ``horizon_months``, not discounted).
    horizon_months : int
    reason : str or None
        Why the report does not use the model: ``"not_fitted"``, ``"not_checked"`` or
        ``"check_failed"``; None when it does.
    message : str or None
        The reason in the words of the library (why the fit or the check failed).
    spend_refused_code, message_code : str or None
        The one-word reasons of :class:`~loyalty_lessons.customer_base.ModelFitError`
        (``"does_not_fit"``...) behind ``spend_refused`` and ``message``, when the error had
        one: the report says them in its own language.
    alive_table : DataFrame or None
        With the check: :func:`alive_check` of the calibration period's repeat buyers.
    one_time_check : tuple of int or None
        With the check: the calibration period's one-time buyers (no repeat purchase by its
        end), and how many of them bought in the holdout period.
    """

    purchase_model: BetaGeoModel | None
    spend_model: GammaGammaModel | None
    spend_refused: str | None
    check: ModelCheck | None
    predictions: pd.DataFrame | None
    horizon_months: int
    reason: str | None
    message: str | None
    spend_refused_code: str | None = None
    message_code: str | None = None
    alive_table: pd.DataFrame | None = None
    one_time_check: tuple[int, int] | None = None

    @property
    def usable(self) -> bool:
        """Whether the report uses the model instead of the fixed rules."""
        return self.reason is None

    def alive_worst(self) -> pd.Series | None:
        """The band of ``alive_table`` (with enough customers) where the share who bought is
        furthest from the model's; None without the table."""
        if self.alive_table is None:
            return None
        table = self.alive_table[self.alive_table["customers"] >= ALIVE_CHECK_RULES["min_customers"]]
        if table.empty:
            return None
        return table.loc[(table["actual_share"] - table["expected_share"]).abs().idxmax()]

    def care(self) -> tuple[str, ...]:
        """Why the model's figures are to be used with care: ``"total"`` (the check's verdict
        is "fair") and ``"alive"`` (the probabilities miss the share who bought, in a band,
        by more than ``ALIVE_CHECK_RULES["tolerance"]``); empty when neither."""
        reasons = []
        if self.check is not None and self.check.verdict == "fair":
            reasons.append("total")
        worst = self.alive_worst()
        if (
            worst is not None
            and abs(worst["actual_share"] - worst["expected_share"]) > ALIVE_CHECK_RULES["tolerance"]
        ):
            reasons.append("alive")
        return tuple(reasons)

    @property
    def expected_active(self) -> float:
        """Customers expected to be still active: the sum of the probabilities."""
        return float(self.predictions["p_alive"].sum())

    def expected_active_repeat(self, summary: pd.DataFrame) -> float:
        """Repeat buyers of ``summary`` expected to be still active: the sum of their probabilities.

        A one-time buyer's probability is 1 by construction of the BG/NBD (one can only leave
        right after a repeat purchase), so adding it up would count every one-time buyer as
        a customer, however long ago they bought: the report states them apart.
        """
        once = (summary["frequency"] == 0).to_numpy()
        return float(self.predictions["p_alive"].to_numpy()[~once].sum())

    @property
    def expected_purchases(self) -> float:
        """Purchases expected over the horizon from every customer of the summary."""
        return float(self.predictions["expected_purchases"].sum())

    @property
    def expected_revenue(self) -> float:
        """Revenue expected over the horizon (purchases times expected spend, not discounted)."""
        return float(self.predictions["expected_value"].sum())

    def slipping(self, summary: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
        """The customers probably slipping away: ``summary``'s rows whose probability of being
        active is below ``MODEL_USE_RULES["slipping_below"]``, with ``p_alive``, most valuable
        first (net revenue so far, then the lower probability, then the id); the first
        ``limit`` of them when given."""
        p_alive = self.predictions["p_alive"].to_numpy()
        below = p_alive < float(MODEL_USE_RULES["slipping_below"])
        out = summary[below].assign(p_alive=p_alive[below])
        if limit is not None:  # nlargest first, so that a million customers are not all sorted
            out = out.nlargest(limit, "revenue", keep="all")
        out = out.sort_values(["revenue", "p_alive", "customer_id"], ascending=[False, True, True])
        return out if limit is None else out.head(limit)

    def slipping_count(self) -> int:
        """How many customers are probably slipping away (at risk or probably lost)."""
        return int((self.predictions["p_alive"].to_numpy() < float(MODEL_USE_RULES["slipping_below"])).sum())

    def _at_risk_mask(self) -> np.ndarray:
        p_alive = self.predictions["p_alive"].to_numpy()
        return (p_alive >= float(MODEL_USE_RULES["lost_below"])) & (
            p_alive < float(MODEL_USE_RULES["slipping_below"])
        )

    def at_risk_count(self) -> int:
        """How many customers are at risk: a probability of being active from
        ``MODEL_USE_RULES["lost_below"]`` up to, not including, ``["slipping_below"]``."""
        return int(self._at_risk_mask().sum())

    def lost_count(self) -> int:
        """How many customers are probably lost: a probability below ``MODEL_USE_RULES["lost_below"]``."""
        return int((self.predictions["p_alive"].to_numpy() < float(MODEL_USE_RULES["lost_below"])).sum())

    def at_risk(self, summary: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
        """The customers at risk, those worth a call first: ``summary``'s rows in the at-risk
        band, with ``p_alive`` and ``expected_value`` (the revenue the model still expects of
        them over the horizon: what there is to keep), the largest ``expected_value`` first
        (then net revenue so far, then the id); the first ``limit`` when given."""
        band = self._at_risk_mask()
        out = summary[band].assign(
            p_alive=self.predictions["p_alive"].to_numpy()[band],
            expected_value=self.predictions["expected_value"].to_numpy()[band],
        )
        if limit is not None:  # nlargest first, so that a million customers are not all sorted
            out = out.nlargest(limit, "expected_value", keep="all")
        out = out.sort_values(["expected_value", "revenue", "customer_id"], ascending=[False, False, True])
        return out if limit is None else out.head(limit)


def customer_base(
    tables: Aggregates,
    *,
    horizon_months: int = 12,
    calibration_end: pd.Timestamp | None = None,
    spark_summary=None,
    predictions_path: str | None = None,
    customers: pd.DataFrame | None = None,
    spark_customers=None,
) -> CustomerBase:
    """Fit, check and apply the customer-base models to the report's tables.

    Parameters
    ----------
    tables : Aggregates
        The report's tables; with ``calibration`` (``aggregate(..., calibration_end=...)``)
        for the model check.
    horizon_months : int
        Months ahead of the predictions.
    calibration_end : Timestamp, optional
        The last day of the calibration period that ``tables`` were aggregated with.
    spark_summary : pyspark.sql.DataFrame, optional
        The same summary on a Spark cluster (:func:`loyalty_lessons.spark.summary_frame`):
        the BG/NBD is then fitted from the cluster's counts of histories (the same fit) and
        the Gamma-Gamma by :func:`loyalty_lessons.spark_model.fit_gamma_gamma`. The
        report's own figures are still computed from ``tables.summary``.
    predictions_path : str, optional
        With ``spark_summary``: where the cluster writes every customer's predictions, as
        Parquet files (:func:`loyalty_lessons.spark_model.write_predictions`).
    customers : pandas.DataFrame, optional
        The customers to predict for, summarised as ``tables.summary`` is (by default all of
        them): the report fits on every customer id, as the published models count
        customers, and predicts for its own customers, the ids with a paid purchase.
    spark_customers : pyspark.sql.DataFrame, optional
        With ``spark_summary`` and ``predictions_path``: the customers the cluster writes
        predictions for, as ``customers`` (by default all of ``spark_summary``).

    Returns
    -------
    CustomerBase
        Never raises for data the models do not fit: ``reason`` and ``message`` say why.
    """
    summary, unit = tables.summary, str(MODEL_USE_RULES["time_unit"])
    fit_purchases, fit_spend, summary_or_frame = fit_bg_nbd, fit_gamma_gamma, summary
    if spark_summary is not None:
        from loyalty_lessons import spark_model

        fit_purchases, fit_spend = spark_model.fit_bg_nbd, spark_model.fit_gamma_gamma
        summary_or_frame = spark_summary
    # The check fits its own model on the calibration period and the spend model is fitted
    # beside the purchase model: in other threads, since NumPy and SciPy let go of the
    # interpreter in their loops, so that the three fits share the cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        spending = pool.submit(fit_spend, summary_or_frame)
        checking = None
        if tables.calibration is not None and calibration_end is not None:
            checking = pool.submit(
                model_check_from_summary,
                tables.calibration,
                tables.calibration["holdout_purchases"].to_numpy(),
                tables.calibration_purchases_by_day,
                calibration_end=calibration_end,
                holdout_end=tables.observation_end,
                time_unit=unit,
            )
        try:
            purchase_model = fit_purchases(summary_or_frame, time_unit=unit, summary_time_unit="D")
        except ModelFitError as err:
            for task in (checking, spending):
                if task is not None:
                    task.cancel()
            return CustomerBase(
                None, None, None, None, None, horizon_months, "not_fitted", str(err), message_code=err.reason
            )
        spend_model = spend_refused = spend_code = None
        try:
            spend_model = spending.result()
        except LoyaltyDataError as err:
            spend_refused, spend_code = str(err), getattr(err, "reason", None)
        # Expected revenue, not discounted: what the next months should bring in, to plan
        # with (lesson 07 discounts a customer's value, to compare customers).
        predictions = customer_value(
            summary if customers is None else customers,
            purchase_model,
            spend_model,
            horizon_months=horizon_months,
            discount_rate_yearly=0.0,
        )
        if spark_summary is not None and predictions_path is not None:
            spark_model.write_predictions(
                spark_summary if spark_customers is None else spark_customers,
                purchase_model,
                spend_model,
                path=predictions_path,
                horizon_months=horizon_months,
                discount_rate_yearly=0.0,
            )
        check = reason = message = None
        if checking is None:
            reason = "not_checked"
        else:
            try:
                check = checking.result()
            except LoyaltyDataError as err:
                reason, message = "not_checked", str(err)
            else:
                if check.verdict not in MODEL_USE_RULES["verdicts"]:
                    reason, message = "check_failed", check.message
    alive_table = one_time_check = None
    if check is not None:
        calibration = tables.calibration
        holdout = calibration["holdout_purchases"].to_numpy()
        alive_table = alive_check(calibration, holdout, check)
        once = (calibration["frequency"] == 0).to_numpy()
        one_time_check = (int(once.sum()), int((holdout[once] > 0).sum()))
    return CustomerBase(
        purchase_model,
        spend_model,
        spend_refused,
        check,
        predictions,
        horizon_months,
        reason,
        message,
        spend_refused_code=spend_code,
        alive_table=alive_table,
        one_time_check=one_time_check,
    )


def alive_check(calibration: pd.DataFrame, holdout_purchases, check: ModelCheck) -> pd.DataFrame:
    """The probability of being active, checked on the holdout period, band by band.

    The calibration period's repeat buyers (a one-time buyer's probability is 1 by
    construction, and says nothing) are put in the bands of ``ALIVE_BINS`` by their
    probability of being active at the end of the calibration period, from the model fitted
    on it (``check.model``). For each band, the model's chance that they buy at least once in
    the holdout period, P(alive) · (1 - ((α + T) / (α + T + t))^(r + x)) (an active customer
    may still buy nothing in a short holdout), is set beside the share who did.

    Parameters
    ----------
    calibration : DataFrame
        The calibration period's summary (``frequency``, ``recency``, ``T`` in days).
    holdout_purchases : array-like
        Each customer's purchases in the holdout period, in the order of ``calibration``.
    check : ModelCheck

    Returns
    -------
    DataFrame
        One row per band that holds customers: ``low``, ``high`` (the band's edges),
        ``customers``, ``p_alive`` (their mean probability), ``expected_share`` (the model's
        share who buy in the holdout) and ``actual_share`` (the share who did).
    """
    model, unit_days = check.model, float(TIME_UNITS[check.time_unit])
    x = calibration["frequency"].to_numpy(dtype="float64")
    repeat = x > 0
    x = x[repeat]
    t_x = calibration["recency"].to_numpy(dtype="float64")[repeat] / unit_days
    T = calibration["T"].to_numpy(dtype="float64")[repeat] / unit_days
    bought = np.asarray(holdout_purchases)[repeat] > 0
    t = (check.holdout_end - check.calibration_end).days / unit_days
    p_alive = model.probability_alive(x, t_x, T)
    buys = p_alive * (1 - ((model.alpha + T) / (model.alpha + T + t)) ** (model.r + x))
    edges = np.asarray(ALIVE_BINS)
    band = np.clip(np.searchsorted(edges, p_alive, side="right") - 1, 0, len(edges) - 2)
    rows = []
    for i in range(len(edges) - 1):
        inside = band == i
        if inside.any():
            rows.append(
                {
                    "low": float(edges[i]),
                    "high": float(edges[i + 1]),
                    "customers": int(inside.sum()),
                    "p_alive": float(p_alive[inside].mean()),
                    "expected_share": float(buys[inside].mean()),
                    "actual_share": float(bought[inside].mean()),
                }
            )
    columns = ["low", "high", "customers", "p_alive", "expected_share", "actual_share"]
    return pd.DataFrame(rows, columns=columns)


def _top_p_alive(summary: pd.DataFrame, base: CustomerBase, top: int) -> np.ndarray:
    """The probabilities of the ``top`` customers by net revenue (ties at the edge: those
    first in the summary)."""
    if top <= 0:
        return np.empty(0)
    revenue = summary["revenue"].to_numpy()
    if top < len(revenue):  # a partition, not a sort of every customer
        chosen = np.argpartition(-revenue, top - 1)[:top]
    else:
        chosen = np.arange(len(revenue))
    return base.predictions["p_alive"].to_numpy()[chosen]


def top_slipping(summary: pd.DataFrame, base: CustomerBase, top: int) -> tuple[int, int]:
    """How many of the ``top`` customers by net revenue are at risk, and how many probably
    lost (ties at the edge: those first in the summary); see ``MODEL_USE_RULES``."""
    p_alive = _top_p_alive(summary, base, top)
    lost = p_alive < float(MODEL_USE_RULES["lost_below"])
    slipping = p_alive < float(MODEL_USE_RULES["slipping_below"])
    return int((slipping & ~lost).sum()), int(lost.sum())
