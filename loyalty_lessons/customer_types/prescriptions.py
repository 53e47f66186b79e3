"""What each customer type needs: the service prescribed, and who among them complains.

[fr-monitoring-loyalty]'s state of mind of each type and the service that answers it
(:func:`service_prescriptions`), and how many customers of each type complained and how
many stayed silent (:func:`complaints_by_type`). The types come from
:func:`~loyalty_lessons.customer_types.classify.classify_customers`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty_lessons._checks import require_columns as _require
from loyalty_lessons.customer_types.classify import TYPES
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["complaints_by_type", "service_prescriptions"]


def service_prescriptions() -> pd.DataFrame:
    """What each type of customer thinks, and the service that answers it ([fr-monitoring-loyalty]).

    Returns
    -------
    pandas.DataFrame
        Columns ``type``, ``state_of_mind``, ``prescription``; one row per type, from
        dissatisfied to loyal.

    Examples
    --------
    >>> service_prescriptions()["type"].tolist()
    ['dissatisfied', 'satisfied', 'loyal']
    """
    return pd.DataFrame(
        {
            "type": pd.Series(TYPES, dtype="str"),
            "state_of_mind": pd.Series(
                [
                    "Got less value or service than they counted on. Most will not tell you: "
                    "they simply come less often, then stop, and complain to friends instead.",
                    "Have no complaint, but nothing has impressed them either. A lower price, "
                    "a handier location or a competitor who notices them is enough to pull "
                    "them away.",
                    "Feel at home with you and would not think of switching, as long as you "
                    "keep living up to the high standard they now take for granted.",
                ],
                dtype="str",
            ),
            "prescription": pd.Series(
                [
                    "Contact them in person, find out what went wrong and answer their "
                    "concerns. The damage may already be done, but try anyway.",
                    "Treat them as VIPs: show your appreciation, do them small favours, offer "
                    "added value, bend your rules for them, think one step ahead of their needs, "
                    "and so win their trust.",
                    "Protect them as your most valuable asset: give them even more of the "
                    "attention you give satisfied customers. Never take them for granted, keep "
                    "your internal problems away from them, and do not let them wait while you "
                    "chase new customers.",
                ],
                dtype="str",
            ),
        }
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
    _require(types, ["customer_id", "type"], "types table", "build it with classify_customers(...).")
    if complaints is not None:
        _require(
            complaints,
            [customer_id_col],
            "complaints table",
            "pass customer_id_col= to name the column of who complained.",
        )
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
    out[["customers", "complainers", "complaints"]] = out[["customers", "complainers", "complaints"]].astype(
        "int64"
    )
    out[["share_complained", "silent_per_complainer"]] = out[
        ["share_complained", "silent_per_complainer"]
    ].astype("float64")
    out.attrs["unmatched_complaints"] = int(per_customer.sum() - counts.sum())
    return out
