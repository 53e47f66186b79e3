"""Tests of loyalty_lessons.load_report: what a loader did with every row, and when it refuses."""

from __future__ import annotations

import pandas as pd
import pytest

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.load_report import MAX_REJECTED_SHARE, LoadReport, check_share, refund_note


def _report(**changes) -> LoadReport:
    """Ten rows read, two set aside (line 3: no customer id; line 7: a bad date)."""
    fields = dict(
        source="export.csv",
        rows_read=10,
        rows_kept=8,
        rejected=pd.DataFrame(
            {"line": [3, 7], "reason": ["missing customer id", "unparseable date"], "date": ["1/2", "soon"]}
        ),
        columns={"customer_id": "client", "date": "jour", "amount": "montant", "order_id": "ticket"},
        detected={"delimiter": ";", "decimal": ","},
        duplicates=1,
        refunds=2,
        one_line_orders=True,
        date_min=pd.Timestamp("2024-01-02"),
        date_max=pd.Timestamp("2024-03-31"),
        notes=["a note"],
    )
    return LoadReport(**{**fields, **changes})


def test_the_summary_accounts_for_every_row():
    summary = dict(_report().summary().itertuples(index=False))
    assert summary["rows read"] == 10 and summary["rows kept"] == 8 and summary["rows set aside"] == 2
    assert summary["  missing customer id"] == 1 and summary["  unparseable date"] == 1
    assert summary["duplicate rows (kept)"] == 1 and summary["refunds (kept)"] == 2
    assert summary["one row per order"] == "yes"
    assert summary["dates"] == "2024-01-02 to 2024-03-31"
    assert (
        summary["columns"]
        == "customer_id <- 'client', date <- 'jour', amount <- 'montant', order_id <- 'ticket'"
    )
    assert summary["note"] == "a note"


def test_the_summary_leaves_out_what_does_not_apply():
    items = (
        _report(columns={"customer_id": "client"}, date_min=None, date_max=None).summary()["item"].tolist()
    )
    assert "one row per order" not in items and "dates" not in items


def test_counts_by_reason_when_only_examples_are_kept():
    # A load on Spark keeps a few examples; the counts of every row set aside come apart.
    report = _report(
        rejected=_report().rejected.head(1), reason_counts={"unparseable date": 5, "missing customer id": 7}
    )
    assert report.rows_rejected == 12
    assert report.reasons.to_dict() == {"missing customer id": 7, "unparseable date": 5}
    assert report.reasons.name == "rows"


def test_the_report_reads_as_a_table_in_text_and_html():
    report = _report()
    assert repr(report).splitlines()[0].split() == ["source", "export.csv"]
    assert "<table" in report._repr_html_() and "rows set aside" in report._repr_html_()


def test_a_share_of_rows_set_aside_up_to_the_limit_is_accepted():
    check_share(_report(), "transaction", 0.2)  # 2 of 10


def test_more_rows_set_aside_than_allowed_is_refused_with_examples():
    with pytest.raises(LoyaltyDataError) as err:
        check_share(_report(), "transaction", MAX_REJECTED_SHARE)
    message = str(err.value)
    assert "export.csv: 2 of 10 transaction rows (20%) could not be used" in message
    assert "missing customer id: 1, unparseable date: 1" in message and "more than the 5% allowed" in message
    assert "soon" in message  # the first rows set aside are shown


def test_a_file_without_rows_is_refused():
    with pytest.raises(LoyaltyDataError, match="export.csv has a header but no complaint rows"):
        check_share(_report(rows_read=0, rows_kept=0, rejected=_report().rejected.iloc[:0]), "complaint", 1.0)


def test_the_refund_note():
    assert refund_note(3, -1234.5) == (
        "3 refunds (negative amounts, -1,234.50 in all) are kept: they lower net revenue."
    )
