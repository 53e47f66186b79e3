"""The 80/20 rule's table of revenue, orders and complaints."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty_lessons.pareto.concentration import gini
from loyalty_lessons.pareto.table import pareto_table


@pytest.fixture
def complaints():
    ids = ["a"] * 5 + ["b"] * 2 + ["c", "d", "e"]
    return pd.DataFrame({"customer_id": ids, "date": pd.Timestamp("2024-01-01")})


def test_pareto_table_with_complaints(complaints):
    summary = pd.DataFrame(
        {
            "customer_id": list("abcde"),
            "revenue": [80.0, 10.0, 10.0, 0.0, -5.0],
            "orders": [2, 2, 2, 2, 2],
        }
    )
    table = pareto_table(summary, complaints)
    assert table["measure"].tolist() == ["revenue", "orders", "complaints"]
    assert table["customers"].tolist() == [5, 5, 5]
    assert table["total"].tolist() == [100.0, 10.0, 10.0]
    assert table["top_share"].tolist() == pytest.approx([0.8, 0.2, 0.5])
    assert table["gini"].tolist() == pytest.approx([gini([80, 10, 10, 0, 0]), 0.0, gini([5, 2, 1, 1, 1])])
    assert table.loc[1, "pareto_label"] == "50/50"
    assert table["negatives_clipped"].tolist() == [1, 0, 0]
