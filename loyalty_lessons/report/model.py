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
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["MODEL_USE_RULES", "CustomerBase", "customer_base", "default_calibration_end", "top_slipping"]

#: When the report acts on the model. ``verdicts``: the verdicts of the model check
#: (``ModelCheck.verdict``) for which the report uses the model instead of the fixed rules
#: ("fair" is said in words: "use with care"); ``slipping_below``: a customer whose
#: probability of being active is below it is "probably slipping away"; ``time_unit``: the
#: model's time unit (weeks, as in Fader, Hardie & Lee 2005).
MODEL_USE_RULES: dict[str, object] = {
    "verdicts": ("good", "fair"),
    "slipping_below": 0.5,
    "time_unit": "W",
}


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
        spend is then each customer's own average, ``predictions.attrs["spend_basis"]``).
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

    @property
    def usable(self) -> bool:
        """Whether the report uses the model instead of the fixed rules."""
        return self.reason is None

    @property
    def expected_active(self) -> float:
        """Customers expected to be still active: the sum of the probabilities."""
        return float(self.predictions["p_alive"].sum())

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
        """How many customers are probably slipping away."""
        return int((self.predictions["p_alive"].to_numpy() < float(MODEL_USE_RULES["slipping_below"])).sum())


def customer_base(
    tables: Aggregates,
    *,
    horizon_months: int = 12,
    calibration_end: pd.Timestamp | None = None,
    spark_summary=None,
    predictions_path: str | None = None,
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
        # Expected revenue, not discounted: what the next months should bring in.
        predictions = customer_value(
            summary, purchase_model, spend_model, horizon_months=horizon_months, discount_rate_yearly=0.0
        )
        if spark_summary is not None and predictions_path is not None:
            spark_model.write_predictions(
                spark_summary,
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
    )


def top_slipping(summary: pd.DataFrame, base: CustomerBase, top: int) -> int:
    """How many of the ``top`` customers by net revenue are probably slipping away (ties at the
    edge: those first in the summary)."""
    if top <= 0:
        return 0
    revenue = summary["revenue"].to_numpy()
    if top < len(revenue):  # a partition, not a sort of every customer
        chosen = np.argpartition(-revenue, top - 1)[:top]
    else:
        chosen = np.arange(len(revenue))
    return int(
        (base.predictions["p_alive"].to_numpy()[chosen] < float(MODEL_USE_RULES["slipping_below"])).sum()
    )
