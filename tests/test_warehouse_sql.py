"""The SQL of docs/warehouse.md gives the library's own results on the sample business."""

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from loyalty_lessons import customer_summary, load_sample, monitoring_table

QUERIES = re.findall(
    r"```sql\n(.*?)```",
    (Path(__file__).resolve().parents[1] / "docs" / "warehouse.md").read_text(),
    re.DOTALL,
)


@pytest.fixture(scope="module")
def run():
    transactions = load_sample().transactions
    assert transactions["date"].max() == pd.Timestamp("2025-12-31")  # the end the doc's query names
    con = duckdb.connect()
    con.register("transactions", transactions.assign(date=transactions["date"].dt.date))
    yield transactions, lambda sql: con.execute(sql).df()
    con.close()


def test_the_doc_holds_two_queries():
    assert len(QUERIES) == 2


def test_per_customer_sql_matches_customer_summary(run):
    transactions, sql = run
    got = sql(QUERIES[0])
    expected = customer_summary(transactions)
    assert got["customer_id"].tolist() == expected["customer_id"].tolist()
    for column in expected.columns.drop("customer_id"):
        left, right = got[column], expected[column]
        if column in ("first_purchase", "last_purchase"):
            left, right = pd.to_datetime(left), right
            assert (left.to_numpy() == right.to_numpy()).all(), column
        else:
            np.testing.assert_allclose(left.to_numpy(float), right.to_numpy(float), err_msg=column)


def test_per_month_sql_matches_monitoring_table(run):
    transactions, sql = run
    got = sql(QUERIES[1])
    table = monitoring_table(transactions, period="M")
    expected = table.assign(month=table["period"].dt.start_time).set_index("month")
    got = got.assign(month=pd.to_datetime(got["month"])).set_index("month")
    columns = ["new_customers", "active_customers", "returning_customers", "orders", "revenue"]
    np.testing.assert_allclose(got[columns].to_numpy(float), expected.loc[got.index, columns].to_numpy(float))
