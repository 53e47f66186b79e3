"""Does the quality gap show in the till: what customers with a small or a large gap buy.

Each respondent's mean gap is put in a band (:data:`GAP_BANDS`) and joined to the
customer summary (:func:`gap_behaviour`): revenue, orders and repeat rate per band.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.quality_gap.gaps import respondent_gaps

__all__ = ["GAP_BANDS", "gap_behaviour"]


#: Default bands of a respondent's mean gap for :func:`gap_behaviour`:
#: label -> (lower bound included, upper bound excluded), in scale points.
GAP_BANDS: dict[str, tuple[float, float]] = {
    "below -1": (-math.inf, -1.0),
    "-1 to 0": (-1.0, 0.0),
    "0 and above": (0.0, math.inf),
}


def _check_bands(bands: dict[str, tuple[float, float]]) -> list[tuple[str, float, float]]:
    if not bands:
        raise LoyaltyDataError("bands must name at least one (low, high) interval.")
    out = []
    for label, bounds in bands.items():
        try:
            low, high = (float(b) for b in bounds)
        except (TypeError, ValueError):
            raise LoyaltyDataError(
                f"Band {label!r} must be a (low, high) pair of numbers, got {bounds!r}."
            ) from None
        if not low < high:
            raise LoyaltyDataError(f"Band {label!r}: low ({low}) must be below high ({high}).")
        out.append((str(label), low, high))
    ordered = sorted(out, key=lambda b: b[1])
    for (l1, _, h1), (l2, lo2, _) in zip(ordered, ordered[1:]):
        if lo2 < h1:
            raise LoyaltyDataError(f"Bands {l1!r} and {l2!r} overlap; each gap must fall in one band.")
    return out


def gap_behaviour(
    survey: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    bands: dict[str, tuple[float, float]] | None = None,
    customer_id_col: str = "customer_id",
    revenue_col: str = "revenue",
    orders_col: str = "orders",
) -> pd.DataFrame:
    """What customers with a small or a large quality gap actually buy.

    Each respondent's mean gap (over all items, :func:`respondent_gaps`) is put in a band,
    and the respondent is joined to the customer summary by customer id.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey, with ``customer_id`` linking respondents to customers.
    summary : pandas.DataFrame
        One row per customer (``customer_summary``); required columns: ``customer_id_col``,
        ``revenue_col``, ``orders_col``.
    bands : dict, optional
        Label -> (low, high): a gap ``g`` is in the band when ``low <= g < high``.
        Defaults to :data:`GAP_BANDS` (below -1, -1 to 0, 0 and above).
    customer_id_col, revenue_col, orders_col : str
        Column names in ``summary``.

    Returns
    -------
    pandas.DataFrame
        One row per band, in the order given, with columns ``band``, ``respondents``,
        ``mean_revenue``, ``mean_orders``, ``repeat_rate`` (share with 2 or more orders,
        0-1). Means are NaN for an empty band. Respondents without a customer id, without
        a match in ``summary`` or outside every band are left out; their count is in
        ``result.attrs["unlinked_respondents"]`` and ``result.attrs["outside_bands"]``.

    Raises
    ------
    LoyaltyDataError
        If the survey has no ``customer_id``, a summary column is missing, or the bands
        are malformed or overlap.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r1", "r2"], "customer_id": ["a", "b"],
    ...     "item": [5, 5], "dimension": ["reliability"] * 2,
    ...     "expectation": [7.0, 5.0], "perception": [4.0, 6.0]})
    >>> summary = pd.DataFrame({"customer_id": ["a", "b"], "revenue": [50.0, 400.0],
    ...     "orders": [1, 4]})
    >>> gap_behaviour(survey, summary)["respondents"].tolist()
    [1, 0, 1]
    """
    checked = _check_bands(GAP_BANDS if bands is None else bands)
    if "customer_id" not in survey.columns:
        raise LoyaltyDataError(
            "The survey has no 'customer_id' column, so answers cannot be linked to purchases. "
            "Ask for the customer number in the questionnaire or join it from a mailing list."
        )
    missing = [c for c in (customer_id_col, revenue_col, orders_col) if c not in summary.columns]
    if missing:
        raise LoyaltyDataError(
            f"The customer summary has no column {', '.join(repr(c) for c in missing)}; "
            "build it with customer_summary(transactions)."
        )
    resp = respondent_gaps(survey)[["respondent_id", "customer_id", "gap"]]
    cust = pd.DataFrame(
        {
            "customer_id": summary[customer_id_col].astype("str"),
            "revenue": pd.to_numeric(summary[revenue_col], errors="coerce"),
            "orders": pd.to_numeric(summary[orders_col], errors="coerce"),
        }
    )
    linked = resp.dropna(subset=["customer_id", "gap"]).merge(cust, on="customer_id", how="inner")
    rows = []
    in_some_band = pd.Series(False, index=linked.index)
    for label, low, high in checked:
        mask = (linked["gap"] >= low) & (linked["gap"] < high)
        in_some_band |= mask
        part = linked[mask]
        n = len(part)
        rows.append(
            {
                "band": label,
                "respondents": n,
                "mean_revenue": part["revenue"].mean() if n else np.nan,
                "mean_orders": part["orders"].mean() if n else np.nan,
                "repeat_rate": (part["orders"] >= 2).mean() if n else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out["band"] = out["band"].astype("str")
    out["respondents"] = out["respondents"].astype("int64")
    floats = ["mean_revenue", "mean_orders", "repeat_rate"]
    out[floats] = out[floats].astype("float64")
    out.attrs["unlinked_respondents"] = int(len(resp) - len(linked))
    out.attrs["outside_bands"] = int((~in_some_band).sum())
    return out
