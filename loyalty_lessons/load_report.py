"""What a loader did with every input row: the :class:`LoadReport`, and when a load is refused.

Every loader (:func:`~loyalty_lessons.data.load_transactions`,
:func:`~loyalty_lessons.data.load_complaints`,
:func:`~loyalty_lessons.survey_loader.load_survey`, and the Spark engine's
:func:`~loyalty_lessons.spark.load_transactions`) returns its table with a
:class:`LoadReport` that accounts for every input row: read = kept + set aside, each row set
aside with its line and reason. :func:`check_share` refuses a load that set aside more than
``MAX_REJECTED_SHARE`` of its rows (nothing is silently lost), and :func:`refund_note` words
the note on the refunds a load kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["MAX_REJECTED_SHARE", "LoadReport", "check_share", "refund_note"]

#: Above this share of set-aside rows a loader raises instead of returning a table.
MAX_REJECTED_SHARE = 0.05


@dataclass(repr=False)
class LoadReport:
    """What a loader did with every input row.

    Attributes
    ----------
    source : str
        The file (or "the DataFrame").
    rows_read, rows_kept : int
        Input rows (a wide survey: one per respondent) and rows that made it into the table.
    rejected : DataFrame
        Rows set aside: ``line`` (line of the file, header = 1; for a DataFrame, the
        1-based row position), ``reason``, then the raw text of the columns used (or of the
        whole line, ``raw``, for a malformed line).
    columns : dict
        Role -> header used.
    detected : dict
        Format, encoding, delimiter, decimal mark, date format, sheet...
    duplicates : int
        Rows identical to an earlier kept row (kept, only counted).
    refunds : int
        Transactions with a negative amount (kept).
    zero_amounts : int
        Transactions with an amount of 0 (kept, but no purchase: a purchase is an order worth
        more than 0, so an id with only such rows is no customer).
    one_line_orders : bool
        True when every kept transaction has an order id and no two have the same customer
        and order id: each row is an order of its own, and summaries need not group lines
        into orders (``customer_summary(..., one_line_orders=True)``).
    date_min, date_max : Timestamp or None
    notes : list of str
    reason_counts : dict or None
        Rows set aside by reason, when ``rejected`` holds only examples of them (a load on
        Spark, whose rows set aside stay on the cluster); ``rows_rejected`` and ``reasons``
        count from it.
    rejected_path : str or None
        Where all the rows set aside were written, when they are not all in ``rejected``.
    """

    source: str
    rows_read: int
    rows_kept: int
    rejected: pd.DataFrame
    columns: dict
    detected: dict
    duplicates: int = 0
    refunds: int = 0
    one_line_orders: bool = False
    date_min: pd.Timestamp | None = None
    date_max: pd.Timestamp | None = None
    notes: list[str] = field(default_factory=list)
    reason_counts: dict[str, int] | None = None
    rejected_path: str | None = None
    zero_amounts: int = 0

    @property
    def rows_rejected(self) -> int:
        if self.reason_counts is not None:
            return sum(self.reason_counts.values())
        return len(self.rejected)

    @property
    def reasons(self) -> pd.Series:
        """Count of set-aside rows by reason, most frequent first."""
        if self.reason_counts is not None:
            counts = pd.Series(self.reason_counts, dtype="int64", name="count").rename_axis("reason")
            return counts.sort_values(ascending=False, kind="stable").rename("rows")
        return self.rejected["reason"].value_counts().rename("rows")

    def summary(self) -> pd.DataFrame:
        """The report as a two-column table (``item``, ``value``)."""
        items = [
            ("source", self.source),
            ("rows read", self.rows_read),
            ("rows kept", self.rows_kept),
            ("rows set aside", self.rows_rejected),
            *((f"  {reason}", n) for reason, n in self.reasons.items()),
            ("duplicate rows (kept)", self.duplicates),
            ("refunds (kept)", self.refunds),
        ]
        if "order_id" in self.columns:
            items.append(("one row per order", "yes" if self.one_line_orders else "no"))
        if self.date_min is not None:
            items.append(("dates", f"{self.date_min:%Y-%m-%d} to {self.date_max:%Y-%m-%d}"))
        items += [
            ("columns", ", ".join(f"{k} <- {v!r}" for k, v in self.columns.items())),
            ("detected", ", ".join(f"{k}: {v!r}" for k, v in self.detected.items())),
        ]
        items += [("note", n) for n in self.notes]
        return pd.DataFrame(items, columns=["item", "value"])

    def __repr__(self) -> str:
        width = max(len(i) for i in self.summary()["item"])
        return "\n".join(f"{i:<{width}}  {v}" for i, v in self.summary().itertuples(index=False))

    def _repr_html_(self) -> str:
        return self.summary().to_html(index=False)


def refund_note(refunds: int, refunded: float) -> str:
    """The load report's note on the refunds it kept."""
    return f"{refunds} refunds (negative amounts, {refunded:,.2f} in all) are kept: they lower net revenue."


def check_share(report: LoadReport, kind: str, max_rejected_share: float) -> None:
    """Refuse a load that set aside more than ``max_rejected_share`` of its rows, or read none.

    Parameters
    ----------
    report : LoadReport
        The report of the load, complete.
    kind : str
        What a row is, for the message ("transaction", "complaint", "survey").
    max_rejected_share : float
        The share of set-aside rows above which the load is refused.

    Raises
    ------
    LoyaltyDataError
        With the count of rows set aside by reason, the first ones, the columns used and what
        was detected, and what to change.
    """
    if report.rows_read == 0:
        raise LoyaltyDataError(f"{report.source} has a header but no {kind} rows.")
    share = report.rows_rejected / report.rows_read
    if share > max_rejected_share:
        examples = report.rejected.head(5).dropna(axis=1, how="all").to_string(index=False)
        reasons = ", ".join(f"{r}: {n}" for r, n in report.reasons.items())
        raise LoyaltyDataError(
            f"{report.source}: {report.rows_rejected} of {report.rows_read} {kind} rows "
            f"({share:.0%}) could not be used ({reasons}), more than the {max_rejected_share:.0%} "
            f"allowed. First ones:\n{examples}\nColumns used: {report.columns}; detected: "
            f"{report.detected}. Fix the mapping (columns=), date_format= or decimal=, or pass "
            "max_rejected_share=1.0 to load anyway and inspect report.rejected."
        )
