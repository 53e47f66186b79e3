import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from loyalty_lessons import LoyaltyDataError, generate_sample
from loyalty_lessons.customers import SUMMARY_COLUMNS, customer_summary, purchases


def _tx(rows, order_ids=None):
    df = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    df["date"] = pd.to_datetime(df["date"])
    if order_ids is not None:
        df["order_id"] = order_ids
    return df


def test_summary_by_hand():
    tx = _tx(
        [
            ("a", "2024-01-01", 10.0),
            ("a", "2024-01-01", 5.0),  # same day: one purchase of 15
            ("a", "2024-01-11", 30.0),
            ("a", "2024-01-21", 20.0),
            ("b", "2024-01-06", 20.0),
            ("c", "2024-01-16", 8.0),
            ("c", "2024-01-18", -8.0),  # a refund is not a purchase
        ]
    )
    got = customer_summary(tx, observation_end="2024-01-31")
    expected = pd.DataFrame(
        {
            "customer_id": pd.Series(["a", "b", "c"], dtype="str"),
            "first_purchase": pd.to_datetime(["2024-01-01", "2024-01-06", "2024-01-16"]),
            "last_purchase": pd.to_datetime(["2024-01-21", "2024-01-06", "2024-01-16"]),
            "orders": [3, 1, 1],
            "revenue": [65.0, 20.0, 0.0],
            "average_order_value": [65.0 / 3, 20.0, 0.0],
            "days_since_last": [10, 25, 15],
            "tenure_days": [30, 25, 15],
            "frequency": [2, 0, 0],
            "recency": [20.0, 0.0, 0.0],
            "T": [30.0, 25.0, 15.0],
            "monetary_value": [25.0, 0.0, 0.0],
        }
    )
    assert_frame_equal(got, expected)


def test_order_ids_count_orders_not_days():
    tx = _tx(
        [("a", "2024-03-01", 10.0), ("a", "2024-03-01", 4.0), ("a", "2024-03-01", 6.0)],
        order_ids=["o1", "o1", "o2"],
    )
    got = customer_summary(tx).iloc[0]
    assert got["orders"] == 2
    assert got["frequency"] == 1
    assert got["recency"] == 0.0
    assert got["monetary_value"] == 14.0  # o2 (6) is the smaller, so it counts as the first
    assert got["average_order_value"] == 10.0


@pytest.mark.parametrize("one_line_orders", [False, True])
def test_the_smaller_order_of_the_first_day_is_the_first_purchase_at_any_date_and_size(one_line_orders):
    tx = _tx(
        [
            ("a", "1968-03-01", 1e9),
            ("a", "1968-03-01", 2.5),
            ("a", "1968-03-01", 1e-9),
            ("a", "1968-02-29", -3.0),
            ("a", "1969-12-31", 7.0),
            ("b", "2024-03-01", 0.75),
            ("b", "2024-03-01", 0.5),
        ],
        order_ids=["o1", "o2", "o3", "o4", "o5", "o6", "o7"],
    )
    got = customer_summary(tx, observation_end="2024-12-31", one_line_orders=one_line_orders).set_index(
        "customer_id"
    )
    assert got.loc["a", "first_purchase"] == pd.Timestamp("1968-03-01")
    assert got.loc["a", "monetary_value"] == pytest.approx((1e9 + 2.5 + 7.0) / 3)  # 1e-9 was the first
    assert got.loc["b", "monetary_value"] == 0.75


def test_rows_without_order_id_count_per_day():
    tx = _tx(
        [("a", "2024-03-01", 10.0), ("a", "2024-03-02", 4.0), ("a", "2024-03-03", 6.0)],
        order_ids=["o1", None, None],
    )
    assert customer_summary(tx).loc[0, "orders"] == 3


def test_observation_end_leaves_later_rows_out():
    tx = _tx([("a", "2024-01-01", 10.0), ("a", "2024-02-01", 10.0)])
    got = customer_summary(tx, observation_end="2024-01-15").iloc[0]
    assert got["orders"] == 1 and got["revenue"] == 10.0 and got["T"] == 14.0


def test_weeks_count_one_purchase_per_week():
    # 2024-01-01 is a Monday; the 1st and 7th share a week, the 8th starts the next.
    tx = _tx([("a", "2024-01-01", 1.0), ("a", "2024-01-07", 1.0), ("a", "2024-01-08", 1.0)])
    got = customer_summary(tx, observation_end="2024-01-22", time_unit="W").iloc[0]
    assert got["frequency"] == 1
    assert got["recency"] == 1.0
    assert got["T"] == 3.0
    assert got["days_since_last"] == 14


def test_customer_with_only_refunds_is_kept_with_no_orders():
    tx = _tx([("a", "2024-01-01", 10.0), ("z", "2024-01-05", -3.0)])
    got = customer_summary(tx).set_index("customer_id")
    assert got.loc["z", "orders"] == 0
    assert got.loc["z", "revenue"] == -3.0
    assert np.isnan(got.loc["z", "average_order_value"])


def test_input_is_not_changed_and_columns_are_fixed():
    tx = _tx([("a", "2024-01-01", 10.0), ("b", "2024-01-02", 3.0)])
    before = tx.copy()
    got = customer_summary(tx)
    assert_frame_equal(tx, before)
    assert list(got.columns) == SUMMARY_COLUMNS


def test_custom_column_names():
    tx = pd.DataFrame(
        {"cust": ["x", "x"], "day": pd.to_datetime(["2024-01-01", "2024-01-03"]), "net": [1.0, 2.0]}
    )
    got = customer_summary(tx, customer_id_col="cust", date_col="day", amount_col="net")
    assert got.loc[0, "frequency"] == 1 and got.loc[0, "recency"] == 2.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"time_unit": "M"}, "time_unit='M' is not supported"),
        ({"amount_col": "price"}, "no column 'price'"),
    ],
    ids=["unknown-unit", "missing-column"],
)
def test_bad_arguments_say_what_to_do(kwargs, match):
    tx = _tx([("a", "2024-01-01", 1.0)])
    with pytest.raises(LoyaltyDataError, match=match):
        customer_summary(tx, **kwargs)


def test_empty_transactions_raise():
    with pytest.raises(LoyaltyDataError, match="empty"):
        customer_summary(_tx([]))


def _lifetimes_oracle(tx: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """lifetimes' summary_data_from_transaction_data (freq='D'), step by step in pandas."""
    tx = tx[tx["date"] <= end]
    daily = tx.groupby(["customer_id", "date"], as_index=False)["amount"].sum()
    daily = daily[daily["amount"] > 0].sort_values(["customer_id", "date"])
    daily["first"] = ~daily.duplicated("customer_id")
    g = daily.groupby("customer_id")
    out = pd.DataFrame(
        {
            "frequency": g.size() - 1,
            "recency": (g["date"].max() - g["date"].min()).dt.days.astype(float),
            "T": (end - g["date"].min()).dt.days.astype(float),
            "monetary_value": daily[~daily["first"]].groupby("customer_id")["amount"].mean(),
        }
    )
    out["monetary_value"] = out["monetary_value"].fillna(0.0)
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60))
def test_matches_lifetimes_definitions(seed, n):
    rng = np.random.default_rng(seed)
    tx = pd.DataFrame(
        {
            "customer_id": rng.choice(list("abcdef"), n),
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
            "amount": rng.choice([-5.0, 3.0, 10.0, 25.5], n),
        }
    )
    end = pd.Timestamp("2024-03-15")
    got = customer_summary(tx, observation_end=end).set_index("customer_id")
    oracle = _lifetimes_oracle(tx, end)
    got = got.loc[oracle.index]  # customers with no positive purchase are not in lifetimes
    assert (got["frequency"] == oracle["frequency"]).all()
    np.testing.assert_allclose(got["recency"], oracle["recency"])
    np.testing.assert_allclose(got["T"], oracle["T"])
    np.testing.assert_allclose(got["monetary_value"], oracle["monetary_value"])
    # Totals reconcile: every customer appears once, and net revenue is preserved.
    full = customer_summary(tx, observation_end=end)
    assert full["customer_id"].is_unique
    assert full["revenue"].sum() == pytest.approx(tx["amount"].sum())


def test_summary_of_a_parquet_file_equals_the_summary_of_the_frame(tmp_path):
    from pathlib import Path

    from loyalty_lessons import load_transactions, transactions_to_parquet

    sample = Path(__file__).parents[1] / "data" / "samples" / "transactions.csv"
    tx, _ = load_transactions(sample)
    transactions_to_parquet(sample, tmp_path / "tx.parquet")
    pd.testing.assert_frame_equal(customer_summary(tmp_path / "tx.parquet"), customer_summary(tx))
    pd.testing.assert_frame_equal(purchases(tmp_path / "tx.parquet"), purchases(tx))


def test_a_file_that_is_not_parquet_is_a_clear_error(tmp_path):
    (tmp_path / "tx.csv").write_text("customer_id,date,amount\n")
    with pytest.raises(
        LoyaltyDataError, match="could not be read as a Parquet file.*transactions_to_parquet"
    ):
        customer_summary(tmp_path / "tx.csv")


def test_summarising_customers_a_share_at_a_time_changes_nothing(monkeypatch):
    from pathlib import Path

    from loyalty_lessons import load_transactions, orders

    tx, _ = load_transactions(Path(__file__).parents[1] / "data" / "samples" / "transactions.csv")
    whole, bought = customer_summary(tx), purchases(tx)
    monkeypatch.setattr(orders, "PARTITION_ROWS", len(tx) // 5)  # six shares
    assert_frame_equal(customer_summary(tx), whole)
    assert_frame_equal(purchases(tx), bought)


def test_a_file_summarised_a_share_at_a_time_from_its_own_copy_of_the_rows(monkeypatch, tmp_path):
    """Past SPLIT_SHARES shares, the rows of a Parquet file are copied into a file per share
    beside it, then removed: the same summary and purchases."""
    from loyalty_lessons import orders

    tx = generate_sample(n_customers=300, seed=3).transactions
    path = tmp_path / "tx.parquet"
    tx.to_parquet(path, index=False)
    whole, bought = customer_summary(path), purchases(path)
    monkeypatch.setattr(orders, "PARTITION_ROWS", len(tx) // 9)  # ten shares
    monkeypatch.setattr(orders, "SPLIT_SHARES", 3)
    assert_frame_equal(customer_summary(path), whole)
    assert_frame_equal(purchases(path), bought)
    assert list(tmp_path.iterdir()) == [path]

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(orders.tempfile, "TemporaryDirectory", read_only)  # a folder it may not write to
    assert_frame_equal(customer_summary(path), whole)  # each share then reads the whole file


def test_purchases_of_a_file_that_is_not_parquet_is_a_clear_error(tmp_path):
    (tmp_path / "tx.csv").write_text("customer_id,date,amount\n")
    with pytest.raises(LoyaltyDataError, match="could not be read as a Parquet file"):
        purchases(tmp_path / "tx.csv")


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60), time_unit=st.sampled_from(["D", "W"]))
def test_one_line_orders_gives_the_summary_of_grouped_lines(seed, n, time_unit):
    """When every row is its own order, not grouping lines changes nothing (ties on the first
    day, refunds and observation end included)."""
    rng = np.random.default_rng(seed)
    tx = pd.DataFrame(
        {
            "customer_id": rng.choice(list("abcdef"), n),
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
            "amount": rng.choice([-5.0, 3.0, 10.0, 25.5], n),
            "order_id": [f"o{i}" for i in rng.permutation(n)],
        }
    )
    end = pd.Timestamp("2024-02-20")
    assert_frame_equal(
        customer_summary(tx, observation_end=end, time_unit=time_unit, one_line_orders=True),
        customer_summary(tx, observation_end=end, time_unit=time_unit),
    )


def test_summary_for_builds_the_summary_or_checks_the_one_given():
    from loyalty_lessons.customers import summary_for

    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b"],
            "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "amount": [5.0, 7.0, 3.0],
        }
    )
    summary, end = summary_for(tx, None, None, ["orders"])
    assert end == pd.Timestamp("2024-03-01") and summary["orders"].tolist() == [2, 1]
    given = summary[["customer_id", "orders"]]
    assert summary_for(tx, given, "2024-06-30", ["orders"])[0] is given
    with pytest.raises(LoyaltyDataError, match="customer summary.*days_since_last.*customer_summary"):
        summary_for(tx, given, None, ["days_since_last"])
    with pytest.raises(LoyaltyDataError, match="transactions table.*amount"):
        summary_for(tx.drop(columns="amount"), None, None, [])
