"""The customer-base model on Apache Spark: fitted from what the cluster counts, every customer scored there.

The BG/NBD likelihood is a sum over customers of a term that depends on their history
(frequency, recency, T) alone, so customers with the same history can be counted once with
their number: :func:`history_counts` counts them on the cluster, and only the distinct
histories (a few thousand to a few hundred thousand rows, whatever the number of customers)
come to the driver, where :func:`fit_bg_nbd` fits the model on them, the same fit to the last
bit as on the per-customer summary (``bg_nbd.fit_bg_nbd(..., count_col=...)``).

The Gamma-Gamma likelihood has a term ln(v + x·m) per customer, which no sum of counts can
stand for: :func:`fit_gamma_gamma` fits it on all the repeat buyers when they are at most
:data:`SPEND_FIT_LIMIT`, else on a uniform random sample of that many, drawn on the cluster
with a fixed seed; ``GammaGammaModel.sampled_from`` says so.

:func:`customer_value` scores every customer where they are (``mapInPandas``, calling the
same NumPy functions as :func:`loyalty_lessons.customer_base.customer_value`), and
:func:`write_predictions` writes the scores as a Parquet dataset or a table: they never come
to the driver.

The summary these functions take is a Spark DataFrame with the columns of
:func:`loyalty_lessons.spark.summary_frame`. ``loyalty_lessons`` must be installed where the
executors run Python (a cluster library, or ``spark-submit --py-files``); ``docs/scale.md``
says how.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from loyalty_lessons import bg_nbd, spend_model
from loyalty_lessons._read import arrow_frame
from loyalty_lessons.bg_nbd import BetaGeoModel
from loyalty_lessons.customer_base import customer_value as _score_on_pandas
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.spend_model import GammaGammaModel

__all__ = [
    "PREDICTION_COLUMNS",
    "SPEND_FIT_LIMIT",
    "SPEND_SAMPLE_SEED",
    "customer_value",
    "fit_bg_nbd",
    "fit_gamma_gamma",
    "history_counts",
    "write_predictions",
]

#: The most repeat buyers the Gamma-Gamma model is fitted on; beyond it, on a uniform random
#: sample of this many (two million: about 32 MB on the driver, a fit of a few seconds, and
#: standard errors already far below the differences between customers).
SPEND_FIT_LIMIT = 2_000_000

#: The seed of that sample: the same customers are drawn on every run, on any cluster.
SPEND_SAMPLE_SEED = 20

#: The columns of the predictions table, with their Spark SQL types.
PREDICTION_COLUMNS = {
    "customer_id": "string",
    "p_alive": "double",
    "expected_purchases": "double",
    "expected_average_spend": "double",
    "expected_value": "double",
}


def history_counts(
    summary, *, frequency_col: str = "frequency", recency_col: str = "recency", T_col: str = "T"
) -> pd.DataFrame:
    """The number of customers of each distinct history (frequency, recency, T), counted on the cluster.

    Parameters
    ----------
    summary : pyspark.sql.DataFrame
        One row per customer (:func:`loyalty_lessons.spark.summary_frame`).
    frequency_col, recency_col, T_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        ``frequency``, ``recency``, ``T`` (named as in ``summary``) and ``customers``, one
        row per distinct history, sorted by the history.
    """
    keys = [frequency_col, recency_col, T_col]
    counted = summary.groupBy(*keys).count().withColumnRenamed("count", "customers")
    out = arrow_frame(counted.toArrow())
    return out.sort_values(keys, ignore_index=True)


def fit_bg_nbd(summary, **kwargs) -> BetaGeoModel:
    """Fit the BG/NBD model from the cluster's counts of customers per distinct history.

    Parameters
    ----------
    summary : pyspark.sql.DataFrame
        One row per customer (:func:`loyalty_lessons.spark.summary_frame`).
    **kwargs
        As for :func:`loyalty_lessons.bg_nbd.fit_bg_nbd` (``time_unit``,
        ``summary_time_unit``, ``check``, the column names).

    Returns
    -------
    BetaGeoModel
        The fit :func:`~loyalty_lessons.bg_nbd.fit_bg_nbd` gives on the same summary
        collected to the driver.

    Raises
    ------
    ModelFitError, LoyaltyDataError
        As :func:`~loyalty_lessons.bg_nbd.fit_bg_nbd`.
    """
    columns = {name: kwargs[name] for name in ("frequency_col", "recency_col", "T_col") if name in kwargs}
    counts = history_counts(summary, **columns)
    return bg_nbd.fit_bg_nbd(counts, count_col="customers", **kwargs)


def fit_gamma_gamma(
    summary,
    *,
    limit: int = SPEND_FIT_LIMIT,
    seed: int = SPEND_SAMPLE_SEED,
    check: bool = True,
    customer_id_col: str = "customer_id",
    frequency_col: str = "frequency",
    monetary_value_col: str = "monetary_value",
) -> GammaGammaModel:
    """Fit the Gamma-Gamma model to the repeat buyers, or to a uniform random sample of them.

    The repeat buyers (``frequency`` > 0) are counted on the cluster. When they are at most
    ``limit``, their ``frequency`` and ``monetary_value`` come to the driver, in the order of
    their ids (the order of the summary on the driver, so the fit is the same); else the
    ``limit`` of them with the smallest hash of (``seed``, id) do: a uniform random sample
    that is the same on every run and every cluster, whatever the partitions.

    Parameters
    ----------
    summary : pyspark.sql.DataFrame
        One row per customer (:func:`loyalty_lessons.spark.summary_frame`).
    limit : int, default SPEND_FIT_LIMIT
        The most repeat buyers fitted on.
    seed : int, default SPEND_SAMPLE_SEED
        The seed of the sample.
    check, frequency_col, monetary_value_col
        As for :func:`loyalty_lessons.spend_model.fit_gamma_gamma`.
    customer_id_col : str
        The column of the customer ids.

    Returns
    -------
    GammaGammaModel
        ``repeat_buyers`` the customers fitted on; ``sampled_from`` the repeat buyers in all
        when it was a sample, else None (the spend-frequency check is then on the sample too).

    Raises
    ------
    ModelFitError, LoyaltyDataError
        As :func:`~loyalty_lessons.spend_model.fit_gamma_gamma`.
    """
    if not (isinstance(limit, int) and limit >= 1):
        raise LoyaltyDataError(f"limit must be a whole number of customers, at least 1; got {limit!r}.")
    repeat = summary.where(f"`{frequency_col}` > 0")
    repeat = repeat.select(customer_id_col, frequency_col, monetary_value_col)
    buyers = repeat.count()
    chosen = repeat
    if buyers > limit:
        # A uniform number in [0, 1) per customer, from the hash; the rows below a threshold a
        # little above limit / buyers are kept first, so that the sort that picks the smallest
        # `limit` of them handles about that many rows, not every repeat buyer. Binomial spread
        # makes a shortfall below `limit` practically impossible (the margin is over 40 standard
        # deviations at the default limit); if one happened, the sample would be a little smaller.
        draw = f"(xxhash64({int(seed)}, `{customer_id_col}`) & 9007199254740991) / 9007199254740992.0"
        share = min(1.0, limit / buyers * 1.03 + 100 / buyers)
        chosen = (
            repeat.selectExpr("*", f"{draw} AS __draw")
            .where(f"__draw < {share!r}")
            .orderBy("__draw", customer_id_col)
            .limit(limit)
            .drop("__draw")
        )
    rows = arrow_frame(chosen.orderBy(customer_id_col).select(frequency_col, monetary_value_col).toArrow())
    model = spend_model.fit_gamma_gamma(
        rows, check=check, frequency_col=frequency_col, monetary_value_col=monetary_value_col
    )
    return dataclasses.replace(model, sampled_from=buyers) if buyers > limit else model


def customer_value(
    summary,
    purchase_model: BetaGeoModel,
    spend_model: GammaGammaModel | None = None,
    *,
    horizon_months: int = 12,
    discount_rate_yearly: float = 0.10,
):
    """Every customer's probability of being active, expected purchases, spend and value, on the cluster.

    Each batch of customers is scored by :func:`loyalty_lessons.customer_base.customer_value`
    itself, in the executors' Python (``mapInPandas``): the same numbers as on the driver.
    Without a spend model, or when its check finds spend correlated with frequency, the spend is
    each customer's own average pulled towards the average over all customers (summed on the
    cluster first), as on the driver (:func:`~loyalty_lessons.customer_base.shrunk_average_spend`).

    Parameters
    ----------
    summary : pyspark.sql.DataFrame
        One row per customer (:func:`loyalty_lessons.spark.summary_frame`), in the
        ``purchase_model.summary_time_unit``.
    purchase_model, spend_model, horizon_months, discount_rate_yearly
        As for :func:`loyalty_lessons.customer_base.customer_value`.

    Returns
    -------
    pyspark.sql.DataFrame
        The columns of :data:`PREDICTION_COLUMNS`, one row per customer, computed when used.
    """
    own_average = spend_model is None or spend_model.spend_frequency_verdict == "correlated"
    average = None
    if own_average:
        totals = summary.where("orders > 0 AND revenue > 0").selectExpr(
            "sum(revenue) AS revenue", "sum(orders) AS orders"
        )
        row = totals.first()
        average = float(row["revenue"]) / float(row["orders"]) if row["orders"] else 0.0
    # Mapping proxies do not pickle: the models travel to the executors with plain dicts.
    purchase = dataclasses.replace(purchase_model, standard_errors=dict(purchase_model.standard_errors))
    spend = None
    if spend_model is not None:
        spend = dataclasses.replace(spend_model, standard_errors=dict(spend_model.standard_errors))
    columns = list(PREDICTION_COLUMNS)
    options = dict(
        horizon_months=horizon_months, discount_rate_yearly=discount_rate_yearly, average_spend=average
    )

    def score(batches):
        for batch in batches:
            yield _score_on_pandas(batch, purchase, spend, **options)[columns]

    schema = ", ".join(f"`{name}` {kind}" for name, kind in PREDICTION_COLUMNS.items())
    return summary.mapInPandas(score, schema)


def write_predictions(
    summary,
    purchase_model: BetaGeoModel,
    spend_model: GammaGammaModel | None = None,
    *,
    path: str | None = None,
    table: str | None = None,
    horizon_months: int = 12,
    discount_rate_yearly: float = 0.10,
) -> str:
    """Score every customer on the cluster (:func:`customer_value`) and write the scores.

    Parameters
    ----------
    summary, purchase_model, spend_model, horizon_months, discount_rate_yearly
        As for :func:`customer_value`.
    path : str, optional
        A folder to write the scores to as Parquet files, on any file system the cluster
        writes (replaced if it exists).
    table : str, optional
        Instead of ``path``: a table of the session's catalogue (replaced if it exists).

    Returns
    -------
    str
        The path or the table written.

    Raises
    ------
    LoyaltyDataError
        Unless exactly one of ``path`` and ``table`` is given.
    """
    if (path is None) == (table is None):
        raise LoyaltyDataError("Give write_predictions a path or a table to write to, one of them.")
    scores = customer_value(
        summary,
        purchase_model,
        spend_model,
        horizon_months=horizon_months,
        discount_rate_yearly=discount_rate_yearly,
    )
    writer = scores.write.mode("overwrite")
    if table is not None:
        writer.saveAsTable(table)
        return table
    writer.parquet(str(path))
    return str(path)
