"""The customer-base model on Spark: fitted from the cluster's counts and scored on the cluster,
the same as on the driver."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalty_lessons import customers
from loyalty_lessons.customer_base import customer_value, fit_bg_nbd, fit_gamma_gamma

spark_engine = pytest.importorskip("loyalty_lessons.spark")
spark_model = pytest.importorskip("loyalty_lessons.spark_model")


def transactions(seed: int = 11, n: int = 300) -> pd.DataFrame:
    """A shop whose customers buy and leave at their own rates and spend around their own means."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        start = int(rng.integers(0, 500))
        rate = rng.gamma(0.8, 1 / 40)  # purchases a day
        life = min(rng.exponential(400), 730 - start)
        mean_rate = rng.gamma(4.0, 1 / 15.0)
        days = np.r_[start, start + rng.integers(0, max(1, int(life)), rng.poisson(rate * life))]
        rows += [(f"c{i:03d}", d, round(rng.gamma(6.0, 1 / mean_rate), 2)) for d in days]
    tx = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    days = pd.to_timedelta(tx.pop("day"), unit="D")
    tx["date"] = (pd.Timestamp("2023-01-01") + days).astype("datetime64[us]")
    tx["order_id"] = [f"o{i}" for i in range(len(tx))]
    return tx


@pytest.fixture(scope="module")
def shop():
    tx = transactions()
    return tx, customers.customer_summary(tx)


@pytest.fixture(scope="module")
def frame(spark, shop):
    return spark_engine.summary_frame(shop[0], spark=spark).cache()


def test_the_summary_frame_is_the_summary(frame, shop):
    on_spark = frame.toArrow().to_pandas().sort_values("customer_id", ignore_index=True)
    pd.testing.assert_frame_equal(
        on_spark[["frequency", "recency", "T", "orders", "revenue", "monetary_value"]],
        shop[1][["frequency", "recency", "T", "orders", "revenue", "monetary_value"]],
        check_dtype=False,
        rtol=1e-12,
    )


def test_the_clusters_counts_are_the_summarys_histories(frame, shop):
    counts = spark_model.history_counts(frame)
    expected = shop[1].groupby(["frequency", "recency", "T"]).size().rename("customers").reset_index()
    pd.testing.assert_frame_equal(counts, expected, check_dtype=False)
    assert counts["customers"].sum() == len(shop[1]) > len(counts)


@pytest.mark.parametrize("time_unit", ["W", "D"])
def test_the_fit_from_the_clusters_counts_is_the_driver_fit(frame, shop, time_unit):
    on_spark = spark_model.fit_bg_nbd(frame, time_unit=time_unit)
    on_driver = fit_bg_nbd(shop[1], time_unit=time_unit)
    assert on_spark.params == pytest.approx(on_driver.params, rel=1e-9, abs=0)
    assert on_spark.log_likelihood == pytest.approx(on_driver.log_likelihood, rel=1e-12)
    assert (on_spark.customers, on_spark.repeat_buyers) == (on_driver.customers, on_driver.repeat_buyers)


def test_the_spend_model_on_every_repeat_buyer_is_the_driver_fit(frame, shop):
    on_spark = spark_model.fit_gamma_gamma(frame)
    # The same summary, on the driver in the order of the ids: the same fit.
    collected = frame.toArrow().to_pandas().sort_values("customer_id", ignore_index=True)
    on_driver = fit_gamma_gamma(collected)
    assert on_spark.params == pytest.approx(on_driver.params, rel=1e-12, abs=0)
    assert on_spark.repeat_buyers == on_driver.repeat_buyers == int((shop[1]["frequency"] > 0).sum())
    assert on_spark.sampled_from is None
    # DuckDB's summary sums the amounts in another order: its average spends differ in the
    # last bits, and the optimiser's tolerance lets the fit move by about 1e-7.
    assert on_spark.params == pytest.approx(fit_gamma_gamma(shop[1]).params, rel=1e-5)


def test_the_spend_model_beyond_the_limit_is_fitted_on_a_fixed_sample(frame, shop):
    repeat_buyers = int((shop[1]["frequency"] > 0).sum())
    # 60 of 207: the draw keeps the customers below a share of about 0.78 first, then the 60 lowest.
    sampled = spark_model.fit_gamma_gamma(frame, limit=60, check=False)
    assert (sampled.repeat_buyers, sampled.sampled_from) == (60, repeat_buyers)
    assert spark_model.fit_gamma_gamma(frame, limit=60, check=False).params == sampled.params  # same seed
    other = spark_model.fit_gamma_gamma(frame, limit=60, seed=7, check=False)
    assert other.params != sampled.params and other.repeat_buyers == 60
    assert sampled.params != fit_gamma_gamma(shop[1], check=False).params
    # The sample is the 60 repeat buyers of smallest hash of (seed, id), whatever the first filter.
    lowest = (
        frame.where("frequency > 0")
        .selectExpr("*", f"xxhash64({spark_model.SPEND_SAMPLE_SEED}, customer_id) & 9007199254740991 AS h")
        .orderBy("h", "customer_id")
        .limit(60)
        .toArrow()
        .to_pandas()
        .sort_values("customer_id")
    )
    assert fit_gamma_gamma(lowest, check=False).params == sampled.params


@pytest.mark.parametrize("with_spend_model", [True, False], ids=["spend-model", "own-average"])
def test_the_predictions_table_written_by_spark_is_customer_value(frame, shop, tmp_path, with_spend_model):
    purchase = fit_bg_nbd(shop[1])
    spend = fit_gamma_gamma(shop[1]) if with_spend_model else None
    options = {"horizon_months": 6, "discount_rate_yearly": 0.1}
    written = spark_model.write_predictions(
        frame, purchase, spend, path=str(tmp_path / "predictions"), **options
    )
    table = pd.read_parquet(written).sort_values("customer_id", ignore_index=True)
    expected = customer_value(shop[1], purchase, spend, **options)
    assert list(table.columns) == list(spark_model.PREDICTION_COLUMNS)
    assert table["customer_id"].tolist() == expected["customer_id"].tolist()
    for column in list(spark_model.PREDICTION_COLUMNS)[1:]:
        np.testing.assert_allclose(table[column], expected[column], rtol=1e-9, atol=0, err_msg=column)
    assert table["expected_value"].gt(0).all()


def test_the_predictions_need_one_destination(frame, shop):
    purchase = fit_bg_nbd(shop[1])
    with pytest.raises(Exception, match="a path or a table"):
        spark_model.write_predictions(frame, purchase)
    with pytest.raises(Exception, match="a path or a table"):
        spark_model.write_predictions(frame, purchase, path="a", table="b")


def test_the_report_on_spark_writes_every_customers_predictions(spark, tmp_path):
    from loyalty_lessons.report import report_data

    data = report_data(
        "sample", folder=tmp_path / "data", engine="spark", rejected_path=tmp_path / "rejected"
    )
    path = tmp_path / "customer_predictions.parquet"
    data.inputs = data.inputs._replace(meta={**data.inputs.meta, "predictions_path": str(path)})
    base = data.customer_base
    assert base.purchase_model is not None  # the sample's spend model is refused: own averages
    written = pd.read_parquet(path).sort_values("customer_id", ignore_index=True)
    shown = base.predictions.sort_values("customer_id", ignore_index=True)
    assert len(written) == len(data.summary) == 2996  # the ids with a paid purchase
    assert written["customer_id"].tolist() == shown["customer_id"].tolist()
    for column in list(spark_model.PREDICTION_COLUMNS)[1:]:
        np.testing.assert_allclose(written[column], shown[column], rtol=1e-9, atol=0, err_msg=column)
