"""RFM: recency, frequency and monetary scores, and the segments named from them.

The classic marketing scoring, next to the lesson's own customer types:
:func:`rfm_scores` ranks each customer from 1 to 5 (by default) on how recently, how often
and how much they bought, and :func:`rfm_segments` names a segment for every customer
from those scores, with the segment definitions in :data:`RFM_SEGMENTS` that a
``segment_config=`` argument can override.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loyalty_lessons._checks import require_columns
from loyalty_lessons.errors import LoyaltyDataError

__all__ = ["RFM_SEGMENTS", "rfm_scores", "rfm_segments"]

#: Default RFM segments: name -> inclusive score ranges; the first match wins, in this
#: order, and a customer matching none is "other". Ranges are for 5 bins.
RFM_SEGMENTS: dict[str, dict[str, tuple[int, int]]] = {
    "champions": {"r": (4, 5), "f": (4, 5), "m": (4, 5)},
    "loyal": {"r": (3, 5), "f": (3, 5)},
    "new": {"r": (4, 5), "f": (1, 1)},
    "promising": {"r": (3, 5), "f": (1, 2)},
    "at risk": {"r": (1, 2), "f": (3, 5)},
    "hibernating": {"r": (1, 2), "f": (1, 2)},
}


def _rank_scores(values: pd.Series, bins: int) -> pd.Series:
    """Scores 1..bins from average ranks: tied values share a score; higher value, higher score."""
    n = len(values)
    ranks = values.rank(method="average")
    return np.ceil(ranks * bins / n - 1e-9).clip(1, bins).astype("int64")


def rfm_scores(
    summary: pd.DataFrame,
    *,
    bins: int = 5,
    customer_id_col: str = "customer_id",
    recency_col: str = "days_since_last",
    frequency_col: str = "orders",
    monetary_col: str = "revenue",
) -> pd.DataFrame:
    """Recency, frequency and monetary scores from 1 to ``bins`` (quintiles by default).

    Scores come from ranks: a customer's score is ``ceil(rank × bins / n)``, with tied values
    sharing their average rank, so equal values always get equal scores. Recency is scored
    so that the most recent buyers (fewest days since the last purchase) get ``bins``.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer; required columns ``customer_id_col``, ``recency_col`` (days),
        ``frequency_col``, ``monetary_col``.
    bins : int, default 5
        Number of score levels, 2 to 9.
    customer_id_col, recency_col, frequency_col, monetary_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``days_since_last``, ``orders``, ``revenue`` (the inputs),
        ``r_score``, ``f_score``, ``m_score`` (int) and ``rfm_score`` (the three digits, e.g.
        "545"), in the order of ``summary``.

    Raises
    ------
    LoyaltyDataError
        If a column is missing, the summary is empty or ``bins`` is out of range.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": list("abcde"), "days_since_last": [1, 10, 50, 90, 400],
    ...     "orders": [9, 5, 3, 2, 1], "revenue": [500.0, 80.0, 90.0, 60.0, 20.0]})
    >>> rfm_scores(s)["rfm_score"].tolist()
    ['555', '443', '334', '222', '111']
    """
    require_columns(
        summary,
        [customer_id_col, recency_col, frequency_col, monetary_col],
        "customer summary",
        "build it with customer_summary(transactions).",
    )
    if not isinstance(bins, (int, np.integer)) or not 2 <= bins <= 9:
        raise LoyaltyDataError(f"bins must be a whole number from 2 to 9, got {bins!r}.")
    if summary.empty:
        raise LoyaltyDataError("The customer summary is empty: there is no customer to score.")
    recency = pd.to_numeric(summary[recency_col]).astype("float64")
    frequency = pd.to_numeric(summary[frequency_col]).astype("float64")
    monetary = pd.to_numeric(summary[monetary_col]).astype("float64")
    out = pd.DataFrame(
        {
            "customer_id": summary[customer_id_col].astype("str").to_numpy(),
            "days_since_last": recency.to_numpy(),
            "orders": frequency.to_numpy(),
            "revenue": monetary.to_numpy(),
        }
    )
    out["r_score"] = _rank_scores(-out["days_since_last"], bins)
    out["f_score"] = _rank_scores(out["orders"], bins)
    out["m_score"] = _rank_scores(out["revenue"], bins)
    out["rfm_score"] = (
        out["r_score"].astype("str") + out["f_score"].astype("str") + out["m_score"].astype("str")
    )
    return out


def _check_segments(config: dict) -> dict[str, dict[str, tuple[int, int]]]:
    if not config:
        raise LoyaltyDataError("segment_config must name at least one segment.")
    checked = {}
    for name, ranges in config.items():
        if str(name) == "other":
            raise LoyaltyDataError("'other' is the catch-all segment; give your segment another name.")
        if not isinstance(ranges, dict) or not set(ranges) <= {"r", "f", "m"}:
            raise LoyaltyDataError(
                f"Segment {name!r} must map some of 'r', 'f', 'm' to (low, high) score ranges, "
                f"got {ranges!r}."
            )
        checked[str(name)] = {k: (int(v[0]), int(v[1])) for k, v in ranges.items()}
    return checked


def rfm_segments(
    scores: pd.DataFrame, *, segment_config: dict[str, dict[str, tuple[int, int]]] | None = None
) -> pd.DataFrame:
    """Name each customer's RFM segment; every customer gets exactly one.

    Segments are tried in the order of ``segment_config`` (default :data:`RFM_SEGMENTS`);
    a customer joins the first whose inclusive score ranges all contain their scores, and
    falls into ``"other"`` when none does.

    Parameters
    ----------
    scores : pandas.DataFrame
        The output of :func:`rfm_scores` (columns ``r_score``, ``f_score``, ``m_score``).
    segment_config : dict, optional
        Segment name -> {"r": (low, high), "f": ..., "m": ...}; a letter left out means
        any score.

    Returns
    -------
    pandas.DataFrame
        A copy of ``scores`` with a ``segment`` column (categorical, categories in
        config order followed by "other").

    Raises
    ------
    LoyaltyDataError
        If a score column is missing or the config is malformed.

    Examples
    --------
    >>> scores = pd.DataFrame({"r_score": [5, 1, 3], "f_score": [5, 1, 1], "m_score": [5, 2, 1]})
    >>> rfm_segments(scores)["segment"].tolist()
    ['champions', 'hibernating', 'promising']
    """
    require_columns(
        scores, ["r_score", "f_score", "m_score"], "scores table", "compute it with rfm_scores(summary)."
    )
    config = _check_segments(RFM_SEGMENTS if segment_config is None else segment_config)
    conditions = []
    for ranges in config.values():
        mask = pd.Series(True, index=scores.index)
        for letter, (low, high) in ranges.items():
            mask &= scores[f"{letter}_score"].between(low, high)
        conditions.append(mask.to_numpy())
    labels = np.select(conditions, list(config), default="other") if conditions else "other"
    out = scores.copy()
    out["segment"] = pd.Categorical(labels, categories=[*config, "other"])
    return out
