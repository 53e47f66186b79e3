"""Explorer of the three customer types, and how each type shows up in the complaints.

:func:`type_explorer` puts the behaviour thresholds of
:func:`loyalty_lessons.customer_types.classify_customers` on sliders and redraws
:func:`loyalty_lessons.plots.plot_type_profile` with the counts and revenue of each type.
:func:`complaints_by_type` counts, for each type, the customers who ever complained: seed
002_3d4a8e5878fee9b1.txt says 94 of 100 dissatisfied customers leave without a word.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from loyalty_lessons.customer_types import TYPE_RULES, TYPES, classify_customers, type_profile
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.plots.customer_types import plot_type_profile
from loyalty_lessons.widgets._base import Explorer

__all__ = ["complaints_by_type", "type_explorer"]


def _require(frame: pd.DataFrame, columns: list[str], what: str, hint: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise LoyaltyDataError(f"The {what} must be a pandas DataFrame, got {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LoyaltyDataError(
            f"The {what} has no column {', '.join(repr(c) for c in missing)}; {hint}"
        )


def complaints_by_type(
    types: pd.DataFrame,
    complaints: pd.DataFrame | None,
    *,
    customer_id_col: str = "customer_id",
) -> pd.DataFrame:
    """How many customers of each type complained at least once, and how many stayed silent.

    Parameters
    ----------
    types : pandas.DataFrame
        Columns ``customer_id`` and ``type`` (:func:`~loyalty_lessons.customer_types.classify_customers`),
        one row per customer.
    complaints : pandas.DataFrame or None
        The canonical complaints table; required column ``customer_id_col``. None (no
        complaints file) counts as no complaint at all.
    customer_id_col : str, default "customer_id"
        Column of ``complaints`` naming who complained.

    Returns
    -------
    pandas.DataFrame
        One row per type (dissatisfied, satisfied, loyal) with columns ``type`` (str),
        ``customers``, ``complainers`` (customers of the type with at least one complaint),
        ``complaints`` (how many complaints they made), ``share_complained``
        (complainers / customers, 0-1, NaN for an empty type) and ``silent_per_complainer``
        (customers who never complained per customer who did, NaN when nobody complained).
        Complaints from customers absent from ``types`` are left out and counted in
        ``result.attrs["unmatched_complaints"]``.

    Raises
    ------
    LoyaltyDataError
        If a column is missing or a customer appears twice in ``types``.

    Examples
    --------
    >>> types = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...     "type": ["dissatisfied", "dissatisfied", "dissatisfied", "loyal"]})
    >>> complaints = pd.DataFrame({"customer_id": ["a", "a", "d", "z"]})
    >>> table = complaints_by_type(types, complaints)
    >>> table["complainers"].tolist(), table["silent_per_complainer"].tolist()[0]
    ([1, 0, 1], 2.0)
    >>> table.attrs["unmatched_complaints"]
    1
    """
    _require(types, ["customer_id", "type"], "types table",
             "build it with classify_customers(...).")
    if complaints is not None:
        _require(complaints, [customer_id_col], "complaints table",
                 "pass customer_id_col= to name the column of who complained.")
    ids = types["customer_id"].astype("str")
    duplicated = ids[ids.duplicated()]
    if not duplicated.empty:
        raise LoyaltyDataError(
            f"Customer(s) {duplicated.unique().tolist()[:5]} appear more than once in the types "
            "table; classify by customer (pass transactions= to classify_customers)."
        )
    if complaints is None:
        per_customer = pd.Series(dtype="int64")
    else:
        per_customer = complaints[customer_id_col].dropna().astype("str").value_counts()
    counts = ids.map(per_customer).fillna(0).astype("int64").to_numpy()
    kind = types["type"].astype("str").to_numpy()
    rows = []
    for t in TYPES:
        mine = counts[kind == t]
        n, complainers = len(mine), int((mine > 0).sum())
        rows.append(
            {
                "type": t,
                "customers": n,
                "complainers": complainers,
                "complaints": int(mine.sum()),
                "share_complained": complainers / n if n else np.nan,
                "silent_per_complainer": (n - complainers) / complainers if complainers else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["type"] = out["type"].astype("str")
    out[["customers", "complainers", "complaints"]] = out[
        ["customers", "complainers", "complaints"]
    ].astype("int64")
    out[["share_complained", "silent_per_complainer"]] = out[
        ["share_complained", "silent_per_complainer"]
    ].astype("float64")
    out.attrs["unmatched_complaints"] = int(per_customer.sum() - counts.sum())
    return out


def _describe(profile: pd.DataFrame) -> str:
    rows = profile.set_index(profile["type"].astype("str"))
    loyal, unhappy = rows.loc["loyal"], rows.loc["dissatisfied"]
    return (
        f"{loyal['customers']:,} loyal customers ({loyal['share_of_customers']:.0%}) bring "
        f"{loyal['revenue_share']:.0%} of revenue; {unhappy['customers']:,} customers "
        f"({unhappy['share_of_customers']:.0%}) count as dissatisfied."
    )


def type_explorer(
    summary: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    observation_end: str | pd.Timestamp | None = None,
) -> Explorer:
    """Move the thresholds of the three customer types and watch counts and revenue change.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``customer_summary`` of the transactions at ``observation_end`` (``inputs.summary``).
    transactions : pandas.DataFrame
        Canonical transactions (``inputs.transactions``).
    observation_end : date-like, optional
        As in ``classify_customers`` (``inputs.observation_end``); defaults to the last date.

    Returns
    -------
    Explorer
        Sliders ``loyal_min_orders`` (orders in the last ``loyal_window_days`` days),
        ``loyal_max_days_since_last`` and ``lapsed_after_days`` (days), starting at
        :data:`~loyalty_lessons.customer_types.TYPE_RULES`; the result is
        :func:`~loyalty_lessons.customer_types.type_profile`.

    Raises
    ------
    LoyaltyDataError
        As :func:`~loyalty_lessons.customer_types.classify_customers`.
    """
    style = {"description_width": "230px"}
    layout = widgets.Layout(width="560px")
    window = int(TYPE_RULES["loyal_window_days"])
    controls = {
        "loyal_min_orders": widgets.IntSlider(
            value=int(TYPE_RULES["loyal_min_orders"]), min=1, max=24,
            description=f"Loyal: orders in last {window} days ≥", style=style, layout=layout,
            continuous_update=False),
        "loyal_max_days_since_last": widgets.IntSlider(
            value=int(TYPE_RULES["loyal_max_days_since_last"]), min=10, max=180, step=5,
            description="Loyal: last purchase ≤ days ago", style=style, layout=layout,
            continuous_update=False),
        "lapsed_after_days": widgets.IntSlider(
            value=int(TYPE_RULES["lapsed_after_days"]), min=30, max=720, step=10,
            description="Dissatisfied: no purchase for > days", style=style, layout=layout,
            continuous_update=False),
    }
    return Explorer(
        controls,
        compute=lambda **rules: type_profile(
            classify_customers(summary, transactions=transactions, rules=rules,
                               observation_end=observation_end),
            summary,
        ),
        draw=plot_type_profile,
        describe=_describe,
    )

