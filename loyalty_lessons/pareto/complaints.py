"""Complaints and the 80/20 rule: how concentrated complaints are, and who both spends and complains.

Source: [fr-monitoring-loyalty] (a fifth of the customers cause four fifths of the
problems). :func:`complaint_concentration` measures the top complainers' share of all
complaints, among complainers or over every customer; :func:`value_complaint_overlap`
counts the most valuable customers who are also among the top complainers.

See Also
--------
loyalty_lessons.pareto.concentration : the curve, top shares and Gini these build on.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.pareto.concentration import top_count

__all__ = [
    "ValueComplaintOverlap",
    "complaint_concentration",
    "complaint_counts",
    "value_complaint_overlap",
]


class ValueComplaintOverlap(NamedTuple):
    """How many of the most valuable customers are also among the top complainers."""

    top_value_customers: int
    top_complainers: int
    both: int
    share_of_top_value: float
    share_of_top_complainers: float
    customer_ids: tuple[str, ...]


def _customer_ids(customers: object, customer_id_col: str) -> pd.Index:
    if isinstance(customers, pd.DataFrame):
        if customer_id_col not in customers.columns:
            raise LoyaltyDataError(
                f"The customer frame has no column {customer_id_col!r}; "
                "pass customer_id_col= with the name of its id column."
            )
        customers = customers[customer_id_col]
    if isinstance(customers, str) or not isinstance(customers, Iterable):
        raise LoyaltyDataError(
            "customers must be a list of customer ids, a Series or a frame with an id column."
        )
    return pd.Index(pd.Series(list(customers), dtype=object).astype(str).unique())


def complaint_counts(complaints: pd.DataFrame, customers: object | None, customer_id_col: str) -> pd.Series:
    """Complaints per customer; with ``customers``, every customer appears (0 if none).

    Parameters
    ----------
    complaints : pandas.DataFrame
        One row per complaint; required column ``customer_id_col``.
    customers : list-like, pandas.Series, pandas.DataFrame or None
        All customers (ids, or a frame with ``customer_id_col``); complainers missing from
        it are added, with a warning.
    customer_id_col : str
        Customer id column of ``complaints`` (and of ``customers`` when it is a frame).

    Returns
    -------
    pandas.Series
        Complaints per customer id (as text), most first without ``customers``; in the
        order of ``customers`` then of the added complainers with it.

    Raises
    ------
    LoyaltyDataError
        If the id column is missing or a complaint has no customer id.

    Examples
    --------
    >>> complaints = pd.DataFrame({"customer_id": ["a", "b", "a"]})
    >>> complaint_counts(complaints, ["a", "b", "c"], "customer_id").tolist()
    [2, 1, 0]
    """
    if customer_id_col not in complaints.columns:
        raise LoyaltyDataError(
            f"The complaints table has no column {customer_id_col!r}; "
            "pass customer_id_col= with the name of its customer id column."
        )
    ids = complaints[customer_id_col]
    if ids.isna().any():
        raise LoyaltyDataError(
            f"{int(ids.isna().sum())} complaint(s) have no customer id; "
            "load the complaints with load_complaints, which sets such rows aside."
        )
    counts = ids.astype(str).value_counts()
    if customers is None:
        return counts
    known = _customer_ids(customers, customer_id_col)
    unknown = counts.index.difference(known)
    if len(unknown):
        warnings.warn(
            f"{len(unknown)} complaining customer(s) are not in the customer list "
            f"(e.g. {list(unknown[:3])}); they were added to it.",
            UserWarning,
            stacklevel=3,
        )
    return counts.reindex(known.append(unknown), fill_value=0)


def _top_ids(values: pd.Series, fraction: float) -> pd.Index:
    """Ids of the top ceil(fraction * N) entries; ties broken by id, smallest first."""
    ordered = (
        values.rename("value")
        .rename_axis("id")
        .reset_index()
        .sort_values(["value", "id"], ascending=[False, True], kind="mergesort")
    )
    return pd.Index(ordered["id"].head(top_count(fraction, len(ordered))))


def complaint_concentration(
    complaints: pd.DataFrame,
    customers: object | None = None,
    *,
    fraction: float = 0.2,
    customer_id_col: str = "customer_id",
) -> pd.DataFrame:
    """Share of complaints that come from the top-complaining ``fraction`` of customers.

    Two bases are possible, and they answer different questions:

    - **complaining customers** (always): among the customers who complained at least once,
      the top ``ceil(fraction * M)`` complainers' share of all complaints;
    - **all customers** (when ``customers`` is given): the top ``ceil(fraction * N)`` of the
      whole customer list, most of whom never complained. This is the reading of
      [fr-monitoring-loyalty] ("80% of the problems come from 20% of the customers").
      Complainers missing from ``customers`` are added to it, with a warning.

    Parameters
    ----------
    complaints : pandas.DataFrame
        One row per complaint; required column ``customer_id_col``.
    customers : list-like, pandas.Series, pandas.DataFrame or None
        All customers (ids, or a frame with ``customer_id_col`` such as the summary).
    fraction : float, default 0.2
        The top fraction of customers, in (0, 1].
    customer_id_col : str, default "customer_id"
        Customer id column of ``complaints`` (and of ``customers`` when it is a frame).

    Returns
    -------
    pandas.DataFrame
        One row per base: ``base`` ("complaining customers", then "all customers"),
        ``customers`` (size of the base), ``top_customers`` (ceil(fraction * customers)),
        ``complaints`` (total), ``top_complaints`` (complaints of the top customers) and
        ``complaint_share`` (top_complaints / complaints).

    Raises
    ------
    LoyaltyDataError
        If there are no complaints, the id column is missing or ``fraction`` is invalid.

    Examples
    --------
    >>> complaints = pd.DataFrame({"customer_id": ["a"] * 8 + ["b", "c"]})
    >>> complaint_concentration(complaints)["complaint_share"].tolist()
    [0.8]
    """
    if len(complaints) == 0:
        raise LoyaltyDataError("There are no complaints to measure; pass a non-empty table.")
    bases = [("complaining customers", complaint_counts(complaints, None, customer_id_col))]
    if customers is not None:
        bases.append(("all customers", complaint_counts(complaints, customers, customer_id_col)))
    rows = []
    for base, counts in bases:
        top = top_count(fraction, len(counts))
        top_complaints = int(counts.sort_values(ascending=False).head(top).sum())
        total = int(counts.sum())
        rows.append((base, len(counts), top, total, top_complaints, top_complaints / total))
    return pd.DataFrame(
        rows,
        columns=[
            "base",
            "customers",
            "top_customers",
            "complaints",
            "top_complaints",
            "complaint_share",
        ],
    )


def value_complaint_overlap(
    summary: pd.DataFrame,
    complaints: pd.DataFrame,
    *,
    fraction: float = 0.2,
    value_col: str = "revenue",
    customer_id_col: str = "customer_id",
) -> ValueComplaintOverlap:
    """How many of the top customers by value are also among the top complainers.

    The top value customers are the ``ceil(fraction * N)`` customers of ``summary`` with
    the largest ``value_col``; the top complainers are the ``ceil(fraction * M)`` of the M
    customers who complained, with the most complaints. Ties at the cut-off go to the
    smaller customer id, so the answer is reproducible.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer; required columns ``customer_id_col`` and ``value_col``.
    complaints : pandas.DataFrame
        One row per complaint; required column ``customer_id_col``.
    fraction : float, default 0.2
        The top fraction, in (0, 1], used for both groups.
    value_col : str, default "revenue"
        The value that ranks customers.
    customer_id_col : str, default "customer_id"
        Customer id column of both tables.

    Returns
    -------
    ValueComplaintOverlap
        ``top_value_customers``, ``top_complainers``, ``both`` (in both groups),
        ``share_of_top_value`` (both / top_value_customers), ``share_of_top_complainers``
        (both / top_complainers) and the sorted ``customer_ids`` in both groups.

    Raises
    ------
    LoyaltyDataError
        If a required column is missing, a table is empty or ``fraction`` is invalid.

    Examples
    --------
    >>> summary = pd.DataFrame({"customer_id": list("abcde"), "revenue": [90, 5, 3, 1, 1]})
    >>> complaints = pd.DataFrame({"customer_id": ["a", "a", "c"]})
    >>> value_complaint_overlap(summary, complaints).both
    1
    """
    for column in (customer_id_col, value_col):
        if column not in summary.columns:
            raise LoyaltyDataError(
                f"The summary has no column {column!r}; pass customer_id_col= / value_col=."
            )
    if len(summary) == 0 or len(complaints) == 0:
        raise LoyaltyDataError("Both the summary and the complaints must have rows.")
    values = pd.Series(
        summary[value_col].to_numpy(dtype=float),
        index=summary[customer_id_col].astype(str).to_numpy(),
    )
    top_value = _top_ids(values, fraction)
    top_complainers = _top_ids(complaint_counts(complaints, None, customer_id_col), fraction)
    both = tuple(sorted(set(top_value) & set(top_complainers)))
    return ValueComplaintOverlap(
        top_value_customers=len(top_value),
        top_complainers=len(top_complainers),
        both=len(both),
        share_of_top_value=len(both) / len(top_value),
        share_of_top_complainers=len(both) / len(top_complainers),
        customer_ids=both,
    )
