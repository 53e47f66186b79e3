"""One table of the 80/20 rule: top share, Pareto point and Gini of revenue, orders and complaints.

See Also
--------
loyalty_lessons.pareto.concentration : each measure of the table.
loyalty_lessons.pareto.complaints : the complaints per customer it measures.
"""

from __future__ import annotations

import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.pareto.complaints import complaint_counts
from loyalty_lessons.pareto.concentration import clipped_values, gini, pareto_point, top_share

__all__ = ["pareto_table"]


def pareto_table(
    summary: pd.DataFrame,
    complaints: pd.DataFrame | None = None,
    *,
    fraction: float = 0.2,
    value_cols: tuple[str, ...] = ("revenue", "orders"),
    customer_id_col: str = "customer_id",
) -> pd.DataFrame:
    """Top-fraction share, Pareto point and Gini of revenue, orders and complaints.

    Every measure is taken over all customers of ``summary``; complaints count 0 for a
    customer who never complained (complainers missing from the summary are added, with a
    warning). Negative values are counted as 0 without a warning; how many there were is
    in ``negatives_clipped``.

    Parameters
    ----------
    summary : pandas.DataFrame
        The customer summary; required columns ``customer_id_col`` and ``value_cols``.
    complaints : pandas.DataFrame or None
        One row per complaint with ``customer_id_col``; adds a "complaints" row.
    fraction : float, default 0.2
        The top fraction of customers, in (0, 1].
    value_cols : tuple of str, default ("revenue", "orders")
        The per-customer columns to measure, one row each.
    customer_id_col : str, default "customer_id"
        Customer id column of both tables.

    Returns
    -------
    pandas.DataFrame
        One row per measure: ``measure``, ``customers``, ``total``, ``top_share``,
        ``pareto_customer_share``, ``pareto_value_share``, ``pareto_label``, ``gini``,
        ``negatives_clipped``.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or a measure adds up to 0.

    Examples
    --------
    >>> summary = pd.DataFrame({"customer_id": list("abcd"), "revenue": [100.0, 0, 0, 0],
    ...                         "orders": [1, 1, 1, 1]})
    >>> pareto_table(summary)["pareto_label"].tolist()
    ['20/80', '50/50']
    """
    measures: list[tuple[str, object]] = []
    for column in value_cols:
        if column not in summary.columns:
            raise LoyaltyDataError(
                f"The summary has no column {column!r}; pass value_cols= with existing columns."
            )
        measures.append((column, summary[column]))
    if complaints is not None:
        measures.append(("complaints", complaint_counts(complaints, summary, customer_id_col)))
    rows = []
    for name, column_values in measures:
        array, negatives = clipped_values(column_values, negative="clip")
        point = pareto_point(array)
        rows.append(
            (
                name,
                array.size,
                float(array.sum()),
                top_share(array, fraction),
                point.customer_share,
                point.value_share,
                point.label,
                gini(array),
                negatives,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "measure",
            "customers",
            "total",
            "top_share",
            "pareto_customer_share",
            "pareto_value_share",
            "pareto_label",
            "gini",
            "negatives_clipped",
        ],
    )
