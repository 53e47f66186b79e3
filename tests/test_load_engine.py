"""Tests of the loaders' engine on hand-built files; the loaders' own tests are in test_data.py."""

import pandas as pd
import pytest

from loyalty_lessons._load_engine import describe_kept, equal_hashes, reader_rejects
from loyalty_lessons._read import connect


@pytest.mark.parametrize(
    "sql, equal",
    [
        ("SELECT (range % 150000)::UBIGINT AS h FROM range(200000)", 50_000),
        ("SELECT 7::UBIGINT AS h FROM range(200000)", 199_999),  # all equal, across the median
        ("SELECT hash(range) AS h FROM range(300000)", 0),
        ("SELECT (range % 3)::UBIGINT AS h FROM range(5)", 2),
    ],
)
def test_equal_hashes_are_counted_in_big_and_small_files(sql, equal):
    assert equal_hashes(connect(), sql) == equal


def test_describe_kept_counts_duplicates_refunds_and_dates(tmp_path):
    path = tmp_path / "kept.parquet"
    pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c"],
            "date": pd.to_datetime(["2024-01-02", "2024-01-02", "2024-03-01", "2024-02-10"]),
            "amount": [10.0, 10.0, -4.0, -1.5],
        }
    ).to_parquet(path)
    figures = describe_kept(path, ["customer_id", "date", "amount"])
    assert (figures.duplicates, figures.refunds, figures.refunded) == (1, 2, -5.5)
    assert not figures.one_line_orders  # no order ids
    assert (figures.date_min, figures.date_max) == (pd.Timestamp("2024-01-02"), pd.Timestamp("2024-03-01"))


@pytest.mark.parametrize(
    "order_ids, one_line, duplicates",
    [
        (["o1", "o2", "o3"], True, 0),
        (["o1", "o1", "o3"], False, 1),
    ],
    ids=["one-row-per-order", "an-order-on-two-rows"],
)
def test_describe_kept_tells_one_row_per_order(tmp_path, order_ids, one_line, duplicates):
    path = tmp_path / "kept.parquet"
    pd.DataFrame(
        {"customer_id": ["a", "a", "b"], "order_id": order_ids, "amount": [3.0, 3.0, 2.0]}
    ).to_parquet(path)
    figures = describe_kept(path, ["customer_id", "order_id", "amount"])
    assert (figures.one_line_orders, figures.duplicates) == (one_line, duplicates)
    assert (figures.date_min, figures.refunded) == (None, None)


def test_reader_rejects_words_each_line_once():
    by_reader = pd.DataFrame(
        {
            "line": [4, 4, 9],
            "error": ["TOO MANY COLUMNS", "CAST", "UNQUOTED VALUE"],
            "raw": ["a;b;c;d", "a;b;c;d", "x"],
        }
    )
    got = reader_rejects(by_reader)
    assert got["line"].tolist() == [4, 9]
    assert got["reason"].tolist() == ["malformed line (too many columns)", "malformed line (unquoted value)"]
