"""Explorer of the quality gap: what if customers perceived (or expected) a dimension differently?

:func:`what_if_gap` replays the real survey with every respondent's perception (and, if
asked, expectation) of some dimensions moved by a number of scale points, and returns the
gap table before and after. :func:`gap_explorer` puts it behind a dimension picker and two
sliders, drawn with :func:`loyalty_lessons.plots.plot_gap_by_dimension`.

The idea of the gap comes from seed 002_3d4a8e5878fee9b1.txt; what moves expectations
(advertising, past experience, what others say) from seed 001_565e875bf02d8ed4.txt.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import pandas as pd

from loyalty_lessons.data import DIMENSIONS
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.plots.quality_gap import plot_gap_by_dimension
from loyalty_lessons.quality_gap import dimension_gaps
from loyalty_lessons.widgets._base import Explorer

__all__ = ["gap_explorer", "what_if_gap"]

_SCALE = (1.0, 7.0)


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


def _shift(survey: pd.DataFrame, col: str, changes: dict[str, float],
           low: float, high: float) -> pd.Series:
    """``col`` moved by ``changes[dimension]`` points on each row, kept inside [low, high]."""
    points = survey["dimension"].map(changes).fillna(0.0).astype("float64")
    moved = pd.to_numeric(survey[col]).astype("float64") + points
    return moved.where(points == 0, moved.clip(lower=low, upper=high))


def what_if_gap(
    survey: pd.DataFrame,
    improvements: dict[str, float] | None = None,
    *,
    expectation_changes: dict[str, float] | None = None,
    scale: tuple[float, float] = _SCALE,
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
    survey : pandas.DataFrame
        The canonical long survey; required columns ``respondent_id``, ``item``,
        ``dimension``, ``expectation``, ``perception``. Not changed.
    improvements : dict, optional
        Dimension -> points added to every perception score of that dimension.
    expectation_changes : dict, optional
        Dimension -> points added to every expectation score of that dimension (what
        advertising or a competitor's service can do, seed 001_565e875bf02d8ed4.txt).
    scale : (float, float), default (1.0, 7.0)
        Lowest and highest score of the questionnaire.
    confidence : float, default 0.95
        Level of the confidence interval, as in ``dimension_gaps``.
    baseline : pandas.DataFrame, optional
        ``dimension_gaps(survey, confidence=confidence)`` when already computed (an
        explorer computes it once); computed here when None.

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
    try:
        low, high = (float(s) for s in scale)
    except (TypeError, ValueError):
        raise LoyaltyDataError(f"scale must be a (low, high) pair of numbers, got {scale!r}.") from None
    if not low < high:
        raise LoyaltyDataError(f"scale: low ({low:g}) must be below high ({high:g}), e.g. (1, 7).")

    if baseline is None:
        before = dimension_gaps(survey, confidence=confidence)  # also checks the survey
    else:
        before = baseline.set_index("dimension").reindex(list(DIMENSIONS)).reset_index()
    changed = survey.assign(
        perception=_shift(survey, "perception", perception_changes, low, high),
        expectation=_shift(survey, "expectation", expectation_points, low, high),
    )
    after = dimension_gaps(changed, confidence=confidence)

    out = pd.DataFrame(
        {
            "dimension": after["dimension"],
            "perception_change": [perception_changes.get(d, 0.0) for d in after["dimension"]],
            "expectation_change": [expectation_points.get(d, 0.0) for d in after["dimension"]],
        }
    )
    for col in ("expectation", "perception", "gap", "ci_low", "ci_high", "respondents",
                "share_unmet"):
        out[col] = after[col].to_numpy()
    out["gap_before"] = before["gap"].to_numpy(dtype="float64")
    out["share_unmet_before"] = before["share_unmet"].to_numpy(dtype="float64")
    out[["perception_change", "expectation_change"]] = out[
        ["perception_change", "expectation_change"]
    ].astype("float64")
    return out


def _describe(result: pd.DataFrame) -> str:
    """One sentence on the dimension the controls changed (or on the worst one)."""
    moved = result[(result["perception_change"] != 0) | (result["expectation_change"] != 0)]
    if moved.empty:
        worst = result.dropna(subset=["gap"]).sort_values("gap").iloc[0]
        return (
            f"As answered, {worst['dimension']} has the largest gap ({worst['gap']:+.2f} points): "
            f"{worst['share_unmet']:.0%} of respondents find it below their expectations."
        )
    row = moved.iloc[0]
    changes = []
    for verb, col in (("perceived", "perception_change"), ("expected", "expectation_change")):
        points = row[col]
        if points != 0:
            changes.append(f"{verb} {abs(points):.1f} points {'higher' if points > 0 else 'lower'}")
    return (
        f"If {row['dimension']} were {' and '.join(changes)}, its gap would go from "
        f"{row['gap_before']:+.2f} to {row['gap']:+.2f} points, and the share of respondents "
        f"let down on it from {row['share_unmet_before']:.0%} to {row['share_unmet']:.0%}."
    )


def gap_explorer(survey: pd.DataFrame, *, dimension: str | None = None) -> Explorer:
    """Move one dimension's perception and expectation and watch the gap chart.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey (``inputs.survey``).
    dimension : str, optional
        The dimension selected at first; defaults to the one with the largest negative gap.

    Returns
    -------
    Explorer
        Controls ``dimension`` (dropdown), ``perception_change`` and ``expectation_change``
        (sliders, scale points from -2 to +2); the result is :func:`what_if_gap`.

    Raises
    ------
    LoyaltyDataError
        If ``dimension`` is unknown, or as :func:`what_if_gap`.
    """
    baseline = dimension_gaps(survey)
    if dimension is None:
        gaps = baseline.dropna(subset=["gap"])
        dimension = str(gaps.loc[gaps["gap"].idxmin(), "dimension"]) if len(gaps) else DIMENSIONS[0]
    if dimension not in DIMENSIONS:
        raise LoyaltyDataError(f"dimension must be one of {list(DIMENSIONS)}, got {dimension!r}.")
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="480px")
    controls = {
        "dimension": widgets.Dropdown(options=list(DIMENSIONS), value=dimension,
                                      description="Dimension", style=style, layout=layout),
        "perception_change": widgets.FloatSlider(
            value=0.0, min=-2.0, max=2.0, step=0.1, description="Perception + points",
            style=style, layout=layout, continuous_update=False),
        "expectation_change": widgets.FloatSlider(
            value=0.0, min=-2.0, max=2.0, step=0.1, description="Expectation + points",
            style=style, layout=layout, continuous_update=False),
    }
    return Explorer(
        controls,
        compute=lambda dimension, perception_change, expectation_change: what_if_gap(
            survey, {dimension: perception_change},
            expectation_changes={dimension: expectation_change}, baseline=baseline,
        ),
        draw=plot_gap_by_dimension,
        describe=_describe,
    )
