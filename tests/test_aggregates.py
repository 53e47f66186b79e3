"""The report's aggregates: by hand on a small shop, against the plain list of purchases on
random shops, and equal to what the lessons' functions give."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_lessons import orders
from loyalty_lessons.aggregates import aggregate
from loyalty_lessons.cohorts import cohort_counts
from loyalty_lessons.customer_types import classify_customers
from loyalty_lessons.customers import customer_summary, purchases
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import load_inputs
from loyalty_lessons.monitoring import monitoring_table
from loyalty_lessons.retention import annual_retention


def assert_like_the_lessons(tables, tx, end=None, cohort_period="Q"):
    """Every table of ``aggregate`` is what the lessons' function gives on the same data (the
    report passes its arguments on as the lessons do)."""
    end = tx["date"].max().normalize() if end is None else pd.Timestamp(end)
    kept = tx[tx["date"] <= end]
    pd.testing.assert_frame_equal(tables.summary, customer_summary(tx, observation_end=end))
    monthly = monitoring_table(tx, period="M", observation_end=end)
    pd.testing.assert_frame_equal(tables.monthly, monthly)
    assert tables.monthly.attrs == monthly.attrs
    cohorts = cohort_counts(tx, period=cohort_period, observation_end=end)
    pd.testing.assert_frame_equal(tables.cohorts, cohorts)
    pd.testing.assert_frame_equal(tables.retention, annual_retention(kept))
    pd.testing.assert_frame_equal(
        classify_customers(tables.summary, orders_in_window=tables.orders_in_window),
        classify_customers(customer_summary(tx, observation_end=end), transactions=tx, observation_end=end),
    )


def assert_counts_of_the_purchases(tables, tx, end, cohort_period="Q"):
    """The counts of ``aggregate`` against the plain list of purchases (``purchases``) and rows."""
    kept = tx[tx["date"] <= end]
    bought = purchases(tx, observation_end=end)
    month = bought["date"].dt.to_period("M")
    first = bought.groupby("customer_id")["date"].transform("min")
    monthly = tables.monthly.set_index("period")
    assert monthly.index[0] == kept["date"].min().to_period("M") and monthly.index[-1] == end.to_period("M")
    by_month = (
        pd.DataFrame(
            {
                "new_customers": bought[bought["date"] == first]
                .drop_duplicates("customer_id")
                .groupby(month)
                .size(),
                "active_customers": bought.assign(month=month)
                .drop_duplicates(["customer_id", "month"])
                .groupby("month")
                .size(),
                "orders": month.value_counts(),
            }
        )
        .reindex(monthly.index, fill_value=0)
        .fillna(0)
        .astype("int64")
    )
    pd.testing.assert_frame_equal(monthly[by_month.columns], by_month, check_names=False)
    revenue = kept.groupby(kept["date"].dt.to_period("M"))["amount"].sum()
    revenue = revenue.reindex(monthly.index, fill_value=0)
    np.testing.assert_allclose(monthly["revenue"].to_numpy(), revenue.to_numpy(), atol=1e-9)
    by_year = kept.groupby(kept["date"].dt.year)["amount"].sum()
    np.testing.assert_allclose(tables.yearly_revenue.to_numpy(), by_year.to_numpy(), atol=1e-9)
    assert tables.yearly_revenue.index.tolist() == by_year.index.tolist()
    assert tables.first_date == kept["date"].min().normalize()
    if bought.empty:
        assert tables.cohorts is None
    else:
        cohort = first.dt.to_period(cohort_period)
        sizes = cohort.groupby(bought["customer_id"]).first().value_counts().sort_index()
        assert tables.cohorts[0].tolist() == sizes.tolist()
        assert tables.cohorts.index.tolist() == sizes.index.tolist()
    years = sorted(set(kept["date"].dt.year))
    pairs = [y for y in years if y + 1 in years]
    if not pairs:
        assert tables.retention is None
        return
    buyers = {y: set(bought.loc[bought["date"].dt.year == y, "customer_id"]) for y in years}
    assert tables.retention["year"].tolist() == pairs
    assert tables.retention["customers"].tolist() == [len(buyers[y]) for y in pairs]
    assert tables.retention["retained"].tolist() == [len(buyers[y] & buyers[y + 1]) for y in pairs]


def test_a_small_shop_by_hand():
    """a: Nov 2023 (10), Jan 2024 (o2: 20 - 5 refunded = 15); b: Dec 2023 (8), then a refund of its
    own (-8, Jan 2024); c: refunds only (-3, Jan 2024). Observation ends on 2024-01-31."""
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "b", "c"],
            "date": pd.to_datetime(
                ["2023-11-05", "2024-01-10", "2024-01-12", "2023-12-01", "2024-01-20", "2024-01-21"]
            ),
            "amount": [10.0, 20.0, -5.0, 8.0, -8.0, -3.0],
            "order_id": ["o1", "o2", "o2", "o3", "o4", "o5"],
        }
    )
    tables = aggregate(tx, observation_end="2024-01-31", cohort_period="M", window_days=30)
    assert tables.observation_end == pd.Timestamp("2024-01-31")
    assert tables.first_date == pd.Timestamp("2023-11-05")
    assert tables.summary["orders"].tolist() == [2, 1, 0]
    assert tables.summary["revenue"].tolist() == [25.0, 0.0, -3.0]
    assert tables.orders_in_window.to_dict() == {"a": 1, "b": 0, "c": 0}
    monthly = tables.monthly
    assert monthly["period"].astype(str).tolist() == ["2023-11", "2023-12", "2024-01"]
    assert monthly["new_customers"].tolist() == [1, 1, 0]
    assert monthly["active_customers"].tolist() == [1, 1, 1]
    assert monthly["orders"].tolist() == [1, 1, 1]
    assert monthly["revenue"].tolist() == [10.0, 8.0, 4.0]
    expected_cohorts = pd.DataFrame(
        [[1, 0, 1], [1, 0, pd.NA]],
        index=pd.PeriodIndex(["2023-11", "2023-12"], freq="M", name="cohort"),
        columns=pd.Index(range(3), name="periods_since_first"),
        dtype="Int64",
    )
    pd.testing.assert_frame_equal(tables.cohorts, expected_cohorts)
    expected_retention = pd.DataFrame({"year": [2023], "customers": [2], "retained": [1], "retention": [0.5]})
    pd.testing.assert_frame_equal(tables.retention, expected_retention)
    pd.testing.assert_series_equal(
        tables.yearly_revenue,
        pd.Series([18.0, 4.0], index=pd.Index([2023, 2024], name="year"), name="revenue"),
    )


@pytest.fixture(scope="module")
def sample():
    return load_inputs(survey=None, complaints=None).transactions


def test_the_sample_business_like_the_lessons(sample):
    tables = aggregate(sample)
    assert_like_the_lessons(tables, sample)
    assert_counts_of_the_purchases(tables, sample, end=sample["date"].max())


def test_an_earlier_observation_end_and_monthly_cohorts(sample):
    tables = aggregate(sample, observation_end="2024-06-30", cohort_period="M")
    assert_like_the_lessons(tables, sample, end="2024-06-30", cohort_period="M")
    assert_counts_of_the_purchases(tables, sample, end=pd.Timestamp("2024-06-30"), cohort_period="M")
    assert tables.observation_end == pd.Timestamp("2024-06-30")


def test_a_parquet_file_a_share_of_customers_at_a_time(sample, tmp_path, monkeypatch):
    path = tmp_path / "transactions.parquet"
    sample.to_parquet(path, index=False)
    whole = aggregate(sample)
    monkeypatch.setattr(orders, "PARTITION_ROWS", len(sample) // 3)  # three shares
    assert_same_tables(aggregate(path), whole)


def test_a_parquet_file_copied_into_a_file_per_share(sample, tmp_path, monkeypatch):
    """Past SPLIT_SHARES shares, each share reads its own copy of the rows: the same tables,
    with calibration and split, and the copies are gone afterwards."""
    path = tmp_path / "transactions.parquet"
    sample.to_parquet(path, index=False)
    dates = {"calibration_end": "2024-03-31", "split": "2024-06-30", "window_days": 90}
    whole = aggregate(sample, **dates)
    copies = []
    real = orders.rows_by_share

    def watched(*args):  # the folder each scan copies the rows into
        copies.append(set(tmp_path.iterdir()))
        return real(*args)

    monkeypatch.setattr(orders, "PARTITION_ROWS", len(sample) // 7)  # eight shares
    monkeypatch.setattr(orders, "SPLIT_SHARES", 2)
    monkeypatch.setattr("loyalty_lessons.scan.rows_by_share", watched)
    assert_same_tables(aggregate(path, **dates), whole)
    assert copies and list(tmp_path.iterdir()) == [path]  # only the file: the copies were removed


@st.composite
def shops(draw):
    """Small shops: orders of several lines over several days, refunds, with or without order ids."""
    n = draw(st.integers(1, 50))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    tx = pd.DataFrame(
        {
            "customer_id": rng.choice(list("abcdefg"), size=n),
            "date": pd.Timestamp("2022-11-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
            "amount": rng.choice([-30.0, -5.0, 4.5, 12.0, 60.0], size=n, p=[0.1, 0.1, 0.3, 0.3, 0.2]),
        }
    )
    if draw(st.booleans()):
        ids = pd.Series([f"o{i}" for i in rng.integers(0, n + 3, n)])
        tx["order_id"] = ids.where(rng.random(n) > 0.2)  # some lines without an order id
    return tx


@settings(max_examples=60, deadline=None)
@given(tx=shops(), end_day=st.integers(0, 900), shares=st.sampled_from([1, 3]))
def test_random_shops_like_pandas(tx, end_day, shares, monkeypatch_module):
    monkeypatch_module.setattr(orders, "PARTITION_ROWS", max(1, -(-len(tx) // shares)))
    end = pd.Timestamp("2022-11-01") + pd.Timedelta(days=end_day)
    if (tx["date"] > end).all():
        with pytest.raises(LoyaltyDataError, match="observation_end"):
            aggregate(tx, observation_end=end)
        return
    tables = aggregate(tx, observation_end=end)
    assert_counts_of_the_purchases(tables, tx, end=end)
    monkeypatch_module.setattr(orders, "PARTITION_ROWS", 10**9)  # one share
    assert_same_tables(tables, aggregate(tx, observation_end=end))


@settings(max_examples=30, deadline=None)
@given(tx=shops(), shares=st.sampled_from([1, 3]))
def test_one_line_orders_like_pandas(tx, shares, monkeypatch_module):
    """Rows that are orders of their own (unique order ids) need no grouping: same tables."""
    monkeypatch_module.setattr(orders, "PARTITION_ROWS", max(1, -(-len(tx) // shares)))
    tx["order_id"] = [f"o{i}" for i in range(len(tx))]
    assert_same_tables(aggregate(tx, one_line_orders=True), aggregate(tx))


def assert_same_tables(left, right):
    for name in left.__dataclass_fields__:
        a, b = getattr(left, name), getattr(right, name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b)
        elif isinstance(a, pd.Series):
            pd.testing.assert_series_equal(a, b)
        else:
            assert a == b, name


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("cohort_period", ["M", "Q", "Y"])
def test_a_long_history_from_before_1970_over_several_columns_of_month_bits(cohort_period):
    # 1968-11 to 1981-03: 149 months, three columns of 64 bits; month ordinals below 0 too.
    rng = np.random.default_rng(7)
    days = np.r_[0, rng.integers(0, 4500, 400), 4500]
    tx = pd.DataFrame(
        {
            "customer_id": rng.choice(list("abcdefghij"), size=len(days)),
            "date": pd.Timestamp("1968-11-15") + pd.to_timedelta(days, unit="D"),
            "amount": rng.choice([-8.0, 6.0, 25.0], size=len(days), p=[0.1, 0.5, 0.4]),
        }
    )
    tables = aggregate(tx, cohort_period=cohort_period)
    assert len(tables.monthly) == 149
    assert_counts_of_the_purchases(tables, tx, end=tx["date"].max(), cohort_period=cohort_period)


def test_refunds_only_have_no_cohorts_and_one_year_no_retention():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "amount": [-5.0, -2.0],
            "date": pd.to_datetime(["2024-01-03", "2024-02-01"]),
        }
    )
    tables = aggregate(tx)
    assert tables.cohorts is None and tables.retention is None
    assert tables.summary["orders"].tolist() == [0, 0]
    assert tables.monthly["revenue"].tolist() == [-5.0, -2.0]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"cohort_period": "W"}, "cohort_period='W' is not supported"),
        ({"observation_end": "2020-01-01"}, "no transactions on or before observation_end=2020-01-01"),
    ],
)
def test_bad_arguments_say_what_to_do(sample, kwargs, match):
    with pytest.raises(LoyaltyDataError, match=match):
        aggregate(sample.head(20), **kwargs)


def test_a_missing_column_is_named(sample):
    with pytest.raises(LoyaltyDataError, match="no column 'amount'"):
        aggregate(sample.drop(columns="amount"))


def assert_calibration_like_the_lessons(tables, tx, calibration_end, end=None):
    """The calibration summary is ``customer_summary`` at the calibration end, and the holdout
    purchases are those of ``purchases`` after it, for the customers of that day."""
    summary = customer_summary(tx, observation_end=calibration_end)
    got = tables.calibration
    expected = summary[["customer_id", "first_purchase", "orders", "frequency", "recency", "T"]]
    pd.testing.assert_frame_equal(got.drop(columns="holdout_purchases"), expected, check_dtype=False)
    bought = purchases(tx, observation_end=end)
    cohort = bought[bought["customer_id"].isin(summary["customer_id"])]
    later = cohort[cohort["date"] > pd.Timestamp(calibration_end)]
    holdout = later["customer_id"].value_counts().reindex(summary["customer_id"], fill_value=0)
    assert got["holdout_purchases"].tolist() == holdout.tolist()
    by_day = cohort["date"].value_counts().sort_index()
    assert tables.calibration_purchases_by_day.to_dict() == by_day.to_dict()


def test_the_calibration_summary_of_the_sample_business(sample, monkeypatch):
    monkeypatch.setattr(orders, "PARTITION_ROWS", len(sample) // 3)  # three shares
    tables = aggregate(sample, calibration_end="2024-12-31")
    assert_calibration_like_the_lessons(tables, sample, "2024-12-31")
    assert aggregate(sample).calibration is None


@settings(max_examples=30, deadline=None)
@given(tx=shops(), day=st.integers(0, 900), shares=st.sampled_from([1, 3]), one_line=st.booleans())
def test_random_calibration_summaries_like_pandas(tx, day, shares, one_line, monkeypatch_module):
    """Purchase days (no order ids, whose lines could straddle the calibration end), or one
    order per row."""
    monkeypatch_module.setattr(orders, "PARTITION_ROWS", max(1, -(-len(tx) // shares)))
    tx = tx.drop(columns="order_id", errors="ignore")
    if one_line:
        tx["order_id"] = [f"o{i}" for i in range(len(tx))]
    calibration_end = pd.Timestamp("2022-11-01") + pd.Timedelta(days=day)
    if (tx["date"] > calibration_end).all():
        return
    tables = aggregate(tx, calibration_end=calibration_end, one_line_orders=one_line)
    assert_calibration_like_the_lessons(tables, tx, calibration_end)


def assert_before_split_like_the_lessons(tables, tx, split, window_days=365):
    """The customers as of the split are ``customer_summary`` at the split (those with a
    purchase), with the purchases in the window that ``classify_customers`` counts there."""
    summary = customer_summary(tx, observation_end=split)
    summary = summary[summary["orders"] > 0].reset_index(drop=True)
    counted = classify_customers(transactions=tx[tx["date"] <= pd.Timestamp(split)], observation_end=split)
    counted = counted.set_index("customer_id")["orders_in_window"]
    expected = summary[["customer_id", "orders", "revenue", "days_since_last", "tenure_days"]].assign(
        orders_in_window=summary["customer_id"].map(counted).astype("int64").to_numpy()
    )
    assert tables.split == pd.Timestamp(split)
    got = tables.before_split
    pd.testing.assert_frame_equal(got.drop(columns="revenue_after"), expected, check_dtype=False)
    assert_revenue_after(got, tx, split, tables.observation_end)


def assert_revenue_after(got, tx, split, end):
    """The revenue after the split is that of the rows after it, up to the end."""
    later = tx[(tx["date"] > pd.Timestamp(split)) & (tx["date"] <= end)]
    after = later.groupby("customer_id")["amount"].sum().reindex(got["customer_id"], fill_value=0.0)
    np.testing.assert_allclose(got["revenue_after"].to_numpy(), after.to_numpy(), rtol=1e-9, atol=1e-9)


def test_the_customers_as_of_a_split_of_the_sample_business(sample, monkeypatch):
    monkeypatch.setattr(orders, "PARTITION_ROWS", len(sample) // 3)  # three shares
    tables = aggregate(sample, split="2024-06-30", calibration_end="2024-03-31")
    assert_before_split_like_the_lessons(tables, sample, "2024-06-30")
    assert_calibration_like_the_lessons(tables, sample, "2024-03-31")
    assert aggregate(sample).before_split is None


def test_an_order_straddling_the_split_counts_as_it_stood_on_that_day():
    """Order o1 was a purchase of 20 on the split and netted -10 after a later refund; o2 was
    a refund only on the split."""
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "b"],
            "order_id": ["o1", "o1", "o3", "o2", "o2"],
            "date": pd.to_datetime(["2024-01-10", "2024-02-10", "2024-03-01", "2024-01-20", "2024-02-05"]),
            "amount": [20.0, -30.0, 15.0, -5.0, 40.0],
        }
    )
    tables = aggregate(tx, split="2024-01-31")
    assert tables.before_split["customer_id"].tolist() == ["a"]
    assert tables.before_split[
        ["orders", "revenue", "days_since_last", "orders_in_window", "revenue_after"]
    ].values.tolist() == [[1, 20.0, 21, 1, -15.0]]
    assert_before_split_like_the_lessons(tables, tx, "2024-01-31")


@settings(max_examples=30, deadline=None)
@given(tx=shops(), day=st.integers(0, 900), shares=st.sampled_from([1, 3]), one_line=st.booleans())
def test_random_splits_like_pandas(tx, day, shares, one_line, monkeypatch_module):
    """Orders whose lines straddle the split (with order ids), purchase days, or one order per row."""
    monkeypatch_module.setattr(orders, "PARTITION_ROWS", max(1, -(-len(tx) // shares)))
    if one_line:
        tx = tx.assign(order_id=[f"o{i}" for i in range(len(tx))])
    split = pd.Timestamp("2022-11-01") + pd.Timedelta(days=day)
    if (tx["date"] > split).all():
        return
    tables = aggregate(tx, split=split, window_days=90, one_line_orders=one_line)
    summary = customer_summary(tx, observation_end=split)
    summary = summary[summary["orders"] > 0].reset_index(drop=True)
    got = tables.before_split
    pd.testing.assert_frame_equal(
        got.drop(columns=["orders_in_window", "revenue_after"]),
        summary[["customer_id", "orders", "revenue", "days_since_last", "tenure_days"]],
        check_dtype=False,
    )
    bought = purchases(tx, observation_end=split)
    recent = bought[bought["date"] > split - pd.Timedelta(days=90)]
    counts = recent["customer_id"].value_counts().reindex(summary["customer_id"], fill_value=0)
    assert got["orders_in_window"].tolist() == counts.tolist()
    assert_revenue_after(got, tx, split, tables.observation_end)
