"""The report's aggregates equal the pandas functions they stand for."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_lessons import customers
from loyalty_lessons.aggregates import aggregate
from loyalty_lessons.customer_types import classify_customers
from loyalty_lessons.customers import customer_summary
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import load_inputs
from loyalty_lessons.loyalty_value import annual_retention
from loyalty_lessons.monitoring import cohort_counts, monitoring_table


def assert_like_pandas(tables, tx, end=None, cohort_period="Q"):
    """Every table of ``aggregate`` against the pandas function it stands for."""
    end = tx["date"].max().normalize() if end is None else pd.Timestamp(end)
    kept = tx[tx["date"] <= end]
    pd.testing.assert_frame_equal(tables.summary, customer_summary(tx, observation_end=end))
    monthly = monitoring_table(tx, period="M", observation_end=end)
    pd.testing.assert_frame_equal(tables.monthly, monthly)
    assert tables.monthly.attrs == monthly.attrs
    if (customer_summary(tx, observation_end=end)["orders"] > 0).any():
        pd.testing.assert_frame_equal(tables.cohorts, cohort_counts(tx, period=cohort_period, observation_end=end))
    else:
        assert tables.cohorts is None
    try:
        expected = annual_retention(kept)
    except LoyaltyDataError:
        assert tables.retention is None
    else:
        pd.testing.assert_frame_equal(tables.retention, expected)
    by_year = kept.groupby(kept["date"].dt.year)["amount"].sum()
    np.testing.assert_allclose(tables.yearly_revenue.to_numpy(), by_year.to_numpy())
    assert tables.yearly_revenue.index.tolist() == by_year.index.tolist()
    assert tables.first_date == kept["date"].min().normalize()
    pd.testing.assert_frame_equal(
        classify_customers(tables.summary, orders_in_window=tables.orders_in_window),
        classify_customers(customer_summary(tx, observation_end=end), transactions=tx, observation_end=end))


@pytest.fixture(scope="module")
def sample():
    return load_inputs(survey=None, complaints=None).transactions


def test_the_sample_business_like_pandas(sample):
    assert_like_pandas(aggregate(sample), sample)


def test_an_earlier_observation_end_and_monthly_cohorts(sample):
    tables = aggregate(sample, observation_end="2024-06-30", cohort_period="M")
    assert_like_pandas(tables, sample, end="2024-06-30", cohort_period="M")
    assert tables.observation_end == pd.Timestamp("2024-06-30")


def test_a_parquet_file_a_share_of_customers_at_a_time(sample, tmp_path, monkeypatch):
    path = tmp_path / "transactions.parquet"
    sample.to_parquet(path, index=False)
    monkeypatch.setattr(customers, "PARTITION_ROWS", len(sample) // 3)  # three shares
    assert_like_pandas(aggregate(path), sample)


@st.composite
def shops(draw):
    """Small shops: orders of several lines over several days, refunds, with or without order ids."""
    n = draw(st.integers(1, 50))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    tx = pd.DataFrame({
        "customer_id": rng.choice(list("abcdefg"), size=n),
        "date": pd.Timestamp("2022-11-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
        "amount": rng.choice([-30.0, -5.0, 4.5, 12.0, 60.0], size=n, p=[0.1, 0.1, 0.3, 0.3, 0.2]),
    })
    if draw(st.booleans()):
        ids = pd.Series([f"o{i}" for i in rng.integers(0, n + 3, n)])
        tx["order_id"] = ids.where(rng.random(n) > 0.2)  # some lines without an order id
    return tx


@settings(max_examples=60, deadline=None)
@given(tx=shops(), end_day=st.integers(0, 900), shares=st.sampled_from([1, 3]))
def test_random_shops_like_pandas(tx, end_day, shares, monkeypatch_module):
    monkeypatch_module.setattr(customers, "PARTITION_ROWS", max(1, -(-len(tx) // shares)))
    end = pd.Timestamp("2022-11-01") + pd.Timedelta(days=end_day)
    if (tx["date"] > end).all():
        with pytest.raises(LoyaltyDataError, match="observation_end"):
            aggregate(tx, observation_end=end)
        return
    assert_like_pandas(aggregate(tx, observation_end=end), tx, end=end)


@settings(max_examples=30, deadline=None)
@given(tx=shops(), shares=st.sampled_from([1, 3]))
def test_one_line_orders_like_pandas(tx, shares, monkeypatch_module):
    """Rows that are orders of their own (unique order ids) need no grouping: same tables."""
    monkeypatch_module.setattr(customers, "PARTITION_ROWS", max(1, -(-len(tx) // shares)))
    tx["order_id"] = [f"o{i}" for i in range(len(tx))]
    assert_like_pandas(aggregate(tx, one_line_orders=True), tx)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("cohort_period", ["M", "Q", "Y"])
def test_a_long_history_from_before_1970_over_several_columns_of_month_bits(cohort_period):
    # 1968-11 to 1981-03: 149 months, three columns of 64 bits; month ordinals below 0 too.
    rng = np.random.default_rng(7)
    days = np.r_[0, rng.integers(0, 4500, 400), 4500]
    tx = pd.DataFrame({"customer_id": rng.choice(list("abcdefghij"), size=len(days)),
                       "date": pd.Timestamp("1968-11-15") + pd.to_timedelta(days, unit="D"),
                       "amount": rng.choice([-8.0, 6.0, 25.0], size=len(days), p=[0.1, 0.5, 0.4])})
    tables = aggregate(tx, cohort_period=cohort_period)
    assert len(tables.monthly) == 149
    assert_like_pandas(tables, tx, cohort_period=cohort_period)


def test_refunds_only_have_no_cohorts_and_one_year_no_retention():
    tx = pd.DataFrame({"customer_id": ["a", "b"], "amount": [-5.0, -2.0],
                       "date": pd.to_datetime(["2024-01-03", "2024-02-01"])})
    tables = aggregate(tx)
    assert tables.cohorts is None and tables.retention is None
    assert tables.summary["orders"].tolist() == [0, 0]
    assert tables.monthly["revenue"].tolist() == [-5.0, -2.0]


@pytest.mark.parametrize("kwargs, match", [
    ({"cohort_period": "W"}, "cohort_period='W' is not supported"),
    ({"observation_end": "2020-01-01"}, "no transactions on or before observation_end=2020-01-01"),
])
def test_bad_arguments_say_what_to_do(sample, kwargs, match):
    with pytest.raises(LoyaltyDataError, match=match):
        aggregate(sample.head(20), **kwargs)


def test_a_missing_column_is_named(sample):
    with pytest.raises(LoyaltyDataError, match="no column 'amount'"):
        aggregate(sample.drop(columns="amount"))
