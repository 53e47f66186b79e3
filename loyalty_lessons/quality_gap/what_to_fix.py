"""What to fix first: where the quality gap matters most, and what closing it would change.

The importance–performance grid puts each service dimension in an action quadrant from the
importance customers give it and its gap (:func:`importance_performance`); the what-if
moves perception (or expectation) scores by some points and measures the gaps again
exactly as :func:`~loyalty_lessons.quality_gap.gaps.dimension_gaps` does
(:func:`what_if_gap`, the quality-gap explorer's question).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.quality_gap.gaps import (
    GAP_COLUMNS,
    SCALE,
    SurveyScores,
    check_confidence,
    dimension_gaps,
    dimension_row,
    gap_table,
    mean_importance,
    survey_scores,
)
from loyalty_lessons.survey import DIMENSIONS

__all__ = ["importance_performance", "what_if_gap"]


def importance_performance(survey: pd.DataFrame) -> pd.DataFrame:
    """Importance and gap of each dimension, with the action quadrant it falls in.

    Importance is the mean number of points (of 100 split over the five dimensions) that
    respondents gave the dimension (those who answered an item of it, as for its gap). The
    quadrants split importance at the mean importance of the dimensions (20 points when
    everyone splits exactly 100) and the gap at zero:

    - ``fix first``: above-average importance, negative gap;
    - ``fix later``: below-average importance, negative gap;
    - ``keep up``: above-average importance, gap zero or positive;
    - ``low priority``: below-average importance, gap zero or positive.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey with an ``importance`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``dimension``, ``importance`` (mean points), ``gap`` (as in
        :func:`dimension_gaps`), ``quadrant``; one row per dimension in the fixed order.

    Raises
    ------
    LoyaltyDataError
        If the survey has no ``importance`` column, or as :func:`item_gaps`.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r1", "r1"], "item": [1, 5],
    ...     "dimension": ["tangibles", "reliability"], "expectation": [5.0, 7.0],
    ...     "perception": [6.0, 5.0], "importance": [10.0, 30.0]})
    >>> importance_performance(survey)["quadrant"].tolist()[:2]
    ['low priority', 'fix first']
    """
    weights = mean_importance(survey)
    gaps = dimension_gaps(survey).set_index("dimension")["gap"]
    cut = weights.mean()
    out = pd.DataFrame(
        {
            "dimension": pd.Series(DIMENSIONS, dtype="str"),
            "importance": weights.reindex(DIMENSIONS).to_numpy(dtype="float64"),
            "gap": gaps.reindex(DIMENSIONS).to_numpy(dtype="float64"),
        }
    )
    high = out["importance"] > cut
    short = out["gap"] < 0
    quadrant = np.select(
        [high & short, ~high & short, high & ~short],
        ["fix first", "fix later", "keep up"],
        default="low priority",
    )
    out["quadrant"] = pd.Series(quadrant, dtype="str").where(out["gap"].notna())
    return out


def _check_changes(changes: dict[str, float] | None, name: str) -> dict[str, float]:
    if changes is None:
        return {}
    if not isinstance(changes, dict):
        raise LoyaltyDataError(
            f"{name} must be a dict of dimension -> points, e.g. {{'reliability': 0.5}}; "
            f"got {type(changes).__name__}."
        )
    unknown = sorted(set(changes) - set(DIMENSIONS))
    if unknown:
        raise LoyaltyDataError(
            f"{name} names unknown dimension(s) {unknown}; use some of {list(DIMENSIONS)}."
        )
    checked = {}
    for dim, points in changes.items():
        try:
            value = float(points)
        except (TypeError, ValueError):
            raise LoyaltyDataError(
                f"{name}[{dim!r}] must be a number of scale points, got {points!r}."
            ) from None
        if not math.isfinite(value):
            raise LoyaltyDataError(f"{name}[{dim!r}] must be a finite number, got {points!r}.")
        checked[dim] = value
    return checked


def what_if_gap(
    survey: pd.DataFrame | SurveyScores,
    improvements: dict[str, float] | None = None,
    *,
    expectation_changes: dict[str, float] | None = None,
    scale: tuple[float, float] = SCALE,
    confidence: float = 0.95,
    baseline: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The gap on each dimension if perceptions (or expectations) moved by some points.

    Every respondent's perception score on every item of a dimension in ``improvements``
    is raised by that many points (lowered when negative), and likewise the expectation
    scores with ``expectation_changes``; a moved score is kept inside ``scale``, so a
    respondent who already gave 7 cannot give more. The gaps are then measured exactly as
    :func:`loyalty_lessons.quality_gap.dimension_gaps` measures them, before and after.
    Because of that ceiling, raising perception by ``x`` points raises the gap by at most
    ``x``.

    Parameters
    ----------
    survey : pandas.DataFrame or SurveyScores
        The canonical long survey; required columns ``respondent_id``, ``item``,
        ``dimension``, ``expectation``, ``perception``. Not changed. Or its
        :func:`survey_scores`, read once for many questions (an explorer's).
    improvements : dict, optional
        Dimension -> points added to every perception score of that dimension.
    expectation_changes : dict, optional
        Dimension -> points added to every expectation score of that dimension (what
        advertising or a competitor's service can do, [it-customer-care]).
    scale : (float, float), default (1.0, 7.0)
        Lowest and highest score of the questionnaire.
    confidence : float, default 0.95
        Level of the confidence interval, as in ``dimension_gaps``.
    baseline : pandas.DataFrame, optional
        ``dimension_gaps(survey, confidence=confidence)`` (or a what-if table of the
        survey) when already computed (an explorer computes it once): the rows "before",
        and "after" for the dimensions not moved; computed here when None.

    Returns
    -------
    pandas.DataFrame
        One row per dimension in the fixed order, with columns ``dimension``,
        ``perception_change``, ``expectation_change`` (the points asked for, 0 when none),
        ``expectation``, ``perception``, ``gap``, ``ci_low``, ``ci_high``, ``respondents``,
        ``share_unmet`` (all after the change, as in ``dimension_gaps``, so the table can be
        drawn with ``plot_gap_by_dimension``), ``gap_before`` and ``share_unmet_before``
        (on the survey as answered).

    Raises
    ------
    LoyaltyDataError
        If a dimension is unknown, a change is not a finite number, ``scale`` is not a
        (low, high) pair with low < high, or as ``dimension_gaps``.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r1", "r2"], "item": [5, 5],
    ...     "dimension": ["reliability"] * 2,
    ...     "expectation": [7.0, 6.0], "perception": [5.0, 6.5]})
    >>> row = what_if_gap(survey, {"reliability": 1.0}).set_index("dimension").loc["reliability"]
    >>> float(row["gap_before"]), float(row["gap"]), float(row["share_unmet"])
    (-0.75, 0.0, 0.5)
    """
    perception_changes = _check_changes(improvements, "improvements")
    expectation_points = _check_changes(expectation_changes, "expectation_changes")
    scale = _check_scale(scale)
    check_confidence(confidence)
    scores = survey if isinstance(survey, SurveyScores) else survey_scores(survey)

    if baseline is None:
        before = [dimension_row(dim, scores, confidence) for dim in DIMENSIONS]
    else:
        before = _rows_of(baseline)
    after = [
        row
        if perception_changes.get(dim, 0.0) == 0 and expectation_points.get(dim, 0.0) == 0
        else dimension_row(
            dim, scores, confidence, perception_changes.get(dim, 0.0), expectation_points.get(dim, 0.0), scale
        )
        for dim, row in zip(DIMENSIONS, before)
    ]
    table = gap_table(after)
    table.insert(
        1,
        "perception_change",
        np.array([perception_changes.get(d, 0.0) for d in DIMENSIONS], dtype="float64"),
    )
    table.insert(
        2,
        "expectation_change",
        np.array([expectation_points.get(d, 0.0) for d in DIMENSIONS], dtype="float64"),
    )
    table["gap_before"] = np.array([row["gap"] for row in before], dtype="float64")
    table["share_unmet_before"] = np.array([row["share_unmet"] for row in before], dtype="float64")
    return table


def _rows_of(baseline: pd.DataFrame) -> list[dict]:
    """The rows of a dimension_gaps table, one dict per dimension in DIMENSIONS order."""
    position = {dim: i for i, dim in enumerate(baseline["dimension"].astype("str").tolist())}
    missing = [dim for dim in DIMENSIONS if dim not in position]
    if missing:
        raise LoyaltyDataError(f"baseline has no row for {missing}; pass dimension_gaps(survey).")
    columns = {col: baseline[col].tolist() for col in GAP_COLUMNS}
    return [{col: values[position[dim]] for col, values in columns.items()} for dim in DIMENSIONS]


def _check_scale(scale: tuple[float, float]) -> tuple[float, float]:
    try:
        low, high = (float(s) for s in scale)
    except (TypeError, ValueError):
        raise LoyaltyDataError(f"scale must be a (low, high) pair of numbers, got {scale!r}.") from None
    if not low < high:
        raise LoyaltyDataError(f"scale: low ({low:g}) must be below high ({high:g}), e.g. (1, 7).")
    return low, high
