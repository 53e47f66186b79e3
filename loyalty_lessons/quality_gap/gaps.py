"""The quality gap itself: how far what customers perceive falls short of what they expect.

The idea comes from [fr-monitoring-loyalty]: a quality gap is the distance between a
customer's service expectations and their perception of the service received, and it lives
only in the customer's mind. The literature measures it with SERVQUAL (Parasuraman,
Zeithaml & Berry, 1988) as "gap 5": perception minus expectation, item by item, averaged
per service dimension. A negative gap means expectations are not met.

This module holds the gap per item, per respondent and per dimension with its interval
(:func:`item_gaps`, :func:`respondent_gaps`, :func:`dimension_gaps`, read once with
:func:`survey_scores`), one score for the whole business (:func:`servqual_score`) and the
Net Promoter Score (:func:`nps`). Every function takes the canonical survey (long layout,
one row per respondent and item; see ``docs/data.md``) and returns a new DataFrame or a
number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.survey import DIMENSIONS  # the order every result uses

__all__ = [
    "DIMENSIONS",
    "GAP_COLUMNS",
    "SCALE",
    "SurveyScores",
    "answered_items",
    "check_confidence",
    "dimension_gaps",
    "dimension_row",
    "gap_table",
    "item_gaps",
    "mean_importance",
    "nps",
    "respondent_gaps",
    "servqual_score",
    "survey_scores",
]

#: Lowest and highest score of the questionnaire (SERVQUAL's 7-point scale).
SCALE = (1.0, 7.0)

_SURVEY_REQUIRED = ("respondent_id", "item", "dimension", "expectation", "perception")


# --------------------------------------------------------------------------- helpers


def _check_survey(survey: pd.DataFrame) -> None:
    if not isinstance(survey, pd.DataFrame):
        raise LoyaltyDataError(
            f"The survey must be a pandas DataFrame, got {type(survey).__name__}. "
            "Load it with load_survey(...) first."
        )
    missing = [c for c in _SURVEY_REQUIRED if c not in survey.columns]
    if missing:
        raise LoyaltyDataError(
            f"The survey has no column {', '.join(repr(c) for c in missing)}. "
            "Pass the canonical long survey (one row per respondent and item, see docs/data.md); "
            "load_survey(...) converts a wide export into it."
        )
    if survey.empty:
        raise LoyaltyDataError("The survey has no rows: there is nothing to measure.")
    for col in ("expectation", "perception"):
        if not pd.api.types.is_numeric_dtype(survey[col]):
            raise LoyaltyDataError(
                f"Survey column {col!r} must hold numbers (scores 1-7), "
                f"found dtype {survey[col].dtype}. Convert it with pd.to_numeric(...)."
            )
    unknown = sorted(set(survey["dimension"].dropna()) - set(DIMENSIONS))
    if unknown:
        raise LoyaltyDataError(
            f"Unknown survey dimension(s) {unknown}; expected one of {list(DIMENSIONS)}. "
            "Map your items to the five SERVQUAL dimensions (item_map=... in load_survey)."
        )


def _per_respondent(survey: pd.DataFrame, col: str) -> pd.Series:
    """First non-missing value of a column repeated on each of a respondent's rows."""
    return survey.groupby("respondent_id", sort=True)[col].first()


def _t_critical(confidence: float, df: int) -> float:
    """Two-sided critical value of Student's t with ``df`` degrees of freedom.

    The ``(1 + confidence) / 2`` quantile, from SciPy's inverse of the t distribution
    (``scipy.special.stdtrit``, which ``scipy.stats.t.ppf`` calls; importing it alone
    spares a report the 0.4 s that ``scipy.stats`` takes to import).
    """
    return float(stdtrit(df, (1.0 + confidence) / 2.0))


def check_confidence(confidence: float) -> None:
    """Raise :class:`LoyaltyDataError` unless ``confidence`` is strictly between 0 and 1."""
    if not 0.0 < confidence < 1.0:
        raise LoyaltyDataError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence!r}.")


# --------------------------------------------------------------------------- public API


def item_gaps(survey: pd.DataFrame) -> pd.DataFrame:
    """Gap (perception minus expectation) of every respondent on every item.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey. Required columns: ``respondent_id``, ``item``,
        ``dimension``, ``expectation``, ``perception``; ``customer_id`` is kept when present.

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id``, ``customer_id``, ``item``, ``dimension``,
        ``expectation``, ``perception``, ``gap``, sorted by respondent and item.
        ``customer_id`` is missing (NA) when the survey does not link respondents to
        customers; ``gap`` is NaN where either score is missing.

    Raises
    ------
    LoyaltyDataError
        If a required column is absent, the scores are not numeric or a dimension is unknown.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r1", "r1"], "item": [1, 5],
    ...     "dimension": ["tangibles", "reliability"],
    ...     "expectation": [6.0, 7.0], "perception": [5.0, 7.0]})
    >>> item_gaps(survey)["gap"].tolist()
    [-1.0, 0.0]
    """
    _check_survey(survey)
    customer = (
        survey["customer_id"].astype("str")
        if "customer_id" in survey.columns
        else pd.Series(pd.NA, index=survey.index, dtype="str")
    )
    out = pd.DataFrame(
        {
            "respondent_id": survey["respondent_id"].astype("str"),
            "customer_id": customer,
            "item": survey["item"].astype("int64"),
            "dimension": survey["dimension"].astype("str"),
            "expectation": survey["expectation"].astype("float64"),
            "perception": survey["perception"].astype("float64"),
        }
    )
    out["gap"] = out["perception"] - out["expectation"]
    return out.sort_values(["respondent_id", "item"], kind="stable").reset_index(drop=True)


def answered_items(survey: pd.DataFrame) -> pd.DataFrame:
    """How many of the questionnaire's items each respondent answered, and how many not.

    The questionnaire's items are those the survey holds (on any respondent's rows); a
    respondent answered an item when both its scores are there. A loaded survey has no row
    for an item left blank (``load_survey`` counts them in its notes); a frame built by hand
    may keep it with missing scores: either way the item counts as unanswered. Every
    analysis of this module averages a respondent over the items they answered.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey (see :func:`item_gaps` for required columns).

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id``, ``answered``, ``unanswered`` (int64), one row per
        respondent, sorted by ``respondent_id``.

    Raises
    ------
    LoyaltyDataError
        As :func:`item_gaps`.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r1", "r1", "r2"], "item": [1, 5, 1],
    ...     "dimension": ["tangibles", "reliability", "tangibles"],
    ...     "expectation": [6.0, 7.0, None], "perception": [5.0, 7.0, 4.0]})
    >>> answered_items(survey).values.tolist()
    [['r1', 2, 0], ['r2', 0, 2]]
    """
    items = item_gaps(survey)
    ids = pd.Index(sorted(items["respondent_id"].unique()), name="respondent_id", dtype="str")
    given = items[items["gap"].notna()].groupby("respondent_id")["item"].nunique()
    answered = given.reindex(ids, fill_value=0).to_numpy(dtype="int64")
    return pd.DataFrame(
        {"respondent_id": ids, "answered": answered, "unanswered": items["item"].nunique() - answered}
    )


def respondent_gaps(survey: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent: the gap on each dimension and overall.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey (see :func:`item_gaps` for required columns);
        ``satisfaction`` and ``recommend`` are carried over when present.

    Returns
    -------
    pandas.DataFrame
        Columns ``respondent_id``, ``customer_id``, ``gap_tangibles``, ``gap_reliability``,
        ``gap_responsiveness``, ``gap_assurance``, ``gap_empathy`` (mean gap over the
        respondent's items of that dimension, NaN when the respondent has none), ``gap``
        (mean over all the respondent's items, not over dimensions), then ``satisfaction``
        and ``recommend`` when the survey has them. Sorted by ``respondent_id``.

    Raises
    ------
    LoyaltyDataError
        As :func:`item_gaps`.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r1"] * 3, "item": [1, 2, 5],
    ...     "dimension": ["tangibles", "tangibles", "reliability"],
    ...     "expectation": [6.0, 6.0, 7.0], "perception": [5.0, 6.0, 4.0]})
    >>> row = respondent_gaps(survey).iloc[0]
    >>> float(row["gap_tangibles"]), float(row["gap_reliability"]), float(row["gap"])
    (-0.5, -3.0, -1.3333333333333333)
    """
    items = item_gaps(survey)
    used = items[items["gap"].notna()]
    ids = pd.Index(sorted(items["respondent_id"].unique()), name="respondent_id", dtype="str")
    by_dim = used.pivot_table(
        index="respondent_id", columns="dimension", values="gap", aggfunc="mean"
    ).reindex(index=ids, columns=list(DIMENSIONS))
    customers = items.groupby("respondent_id")["customer_id"].first().reindex(ids)
    out = pd.DataFrame({"respondent_id": ids, "customer_id": customers.to_numpy()})
    for dim in DIMENSIONS:
        out[f"gap_{dim}"] = by_dim[dim].to_numpy(dtype="float64")
    out["gap"] = used.groupby("respondent_id")["gap"].mean().reindex(ids).to_numpy(dtype="float64")
    for col in ("satisfaction", "recommend"):
        if col in survey.columns:
            keyed = survey.assign(respondent_id=survey["respondent_id"].astype("str"))
            values = pd.to_numeric(_per_respondent(keyed, col), errors="coerce")
            out[col] = values.reindex(ids).to_numpy(dtype="float64")
    out["customer_id"] = out["customer_id"].astype("str")
    return out


def dimension_gaps(survey: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Average expectation, perception and gap on each SERVQUAL dimension.

    Each respondent first gets a mean score per dimension (over the items of that dimension
    where both scores are present); the table averages those respondent means, so every
    respondent weighs the same whatever the number of items.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey (see :func:`item_gaps` for required columns).
    confidence : float, default 0.95
        Level of the confidence interval of the mean gap, between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        One row per dimension in the fixed order tangibles, reliability, responsiveness,
        assurance, empathy, with columns ``dimension``, ``expectation``, ``perception``,
        ``gap`` (= perception - expectation), ``ci_low``, ``ci_high`` (Student-t interval of
        the mean respondent gap: gap ± t(confidence, n - 1) × sd / √n, NaN with fewer than
        two respondents), ``respondents`` (how many answered the dimension) and
        ``share_unmet`` (share of those respondents whose mean perception on the dimension is
        below their mean expectation, 0-1).

    Raises
    ------
    LoyaltyDataError
        As :func:`item_gaps`, or if ``confidence`` is not strictly between 0 and 1.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r1", "r2"], "item": [5, 5],
    ...     "dimension": ["reliability"] * 2,
    ...     "expectation": [7.0, 6.0], "perception": [5.0, 6.0]})
    >>> row = dimension_gaps(survey).set_index("dimension").loc["reliability"]
    >>> float(row["gap"]), int(row["respondents"]), float(row["share_unmet"])
    (-1.0, 2, 0.5)
    """
    check_confidence(confidence)
    scores = survey_scores(survey)
    return gap_table([dimension_row(dim, scores, confidence) for dim in DIMENSIONS])


@dataclass(frozen=True)
class SurveyScores:
    """A survey's item scores, read and checked once, dimension by dimension.

    What :func:`dimension_gaps` and :func:`what_if_gap` measure: the items with both an
    expectation and a perception. Build it with :func:`survey_scores`. An explorer that
    asks many what-if questions of one survey passes it to :func:`what_if_gap` instead of
    the survey, so that a question reads only the scores of the dimensions it moves.

    Attributes
    ----------
    respondent : numpy.ndarray
        Each score's respondent, numbered 0, 1, ... in ``respondent_id`` order.
    expectation, perception : numpy.ndarray
        The scores (float64).
    starts : tuple of int
        The rows are grouped by dimension in the order of ``DIMENSIONS``: those of
        ``DIMENSIONS[i]`` are ``starts[i]:starts[i + 1]``.
    """

    respondent: np.ndarray
    expectation: np.ndarray
    perception: np.ndarray
    starts: tuple[int, ...]


def survey_scores(survey: pd.DataFrame) -> SurveyScores:
    """The item scores of a survey, as :func:`dimension_gaps` and :func:`what_if_gap` read them.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey (see :func:`item_gaps` for required columns). Not changed.

    Returns
    -------
    SurveyScores
        The scores of the items with both an expectation and a perception, by dimension.

    Raises
    ------
    LoyaltyDataError
        As :func:`item_gaps`.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r2", "r1", "r1"], "item": [5, 1, 5],
    ...     "dimension": ["reliability", "tangibles", "reliability"],
    ...     "expectation": [7.0, 6.0, 6.0], "perception": [5.0, None, 6.5]})
    >>> scores = survey_scores(survey)
    >>> scores.respondent.tolist(), scores.perception.tolist(), scores.starts
    ([0, 1], [6.5, 5.0], (0, 0, 2, 2, 2, 2))
    """
    items = item_gaps(survey)  # also checks the survey
    dimension = pd.Categorical(items["dimension"], categories=list(DIMENSIONS)).codes
    measured = (items["gap"].notna() & (dimension >= 0)).to_numpy()  # both scores, a dimension
    items, dimension = items[measured], dimension[measured]
    order = np.argsort(dimension, kind="stable")  # item_gaps sorts by respondent: kept within
    counts = np.bincount(dimension, minlength=len(DIMENSIONS))
    return SurveyScores(
        respondent=pd.factorize(items["respondent_id"], sort=True)[0][order],
        expectation=items["expectation"].to_numpy(dtype="float64")[order],
        perception=items["perception"].to_numpy(dtype="float64")[order],
        starts=tuple(int(i) for i in np.concatenate([[0], np.cumsum(counts)])),
    )


def _moved(values: np.ndarray, points: float, scale: tuple[float, float]) -> np.ndarray:
    """Scores moved by ``points``, kept on the scale (scores not moved are left as given)."""
    return values if points == 0 else np.clip(values + points, *scale)


def dimension_row(
    dimension: str,
    scores: SurveyScores,
    confidence: float,
    perception_points: float = 0.0,
    expectation_points: float = 0.0,
    scale: tuple[float, float] = SCALE,
) -> dict:
    """A row of dimension_gaps: each respondent's mean scores on the dimension (scores moved
    by some points first, for what_if_gap), then their mean, interval and share unmet."""
    i = DIMENSIONS.index(dimension)
    rows = slice(scores.starts[i], scores.starts[i + 1])
    respondent = scores.respondent[rows]
    expectation = _moved(scores.expectation[rows], expectation_points, scale)
    perception = _moved(scores.perception[rows], perception_points, scale)
    answers = np.bincount(respondent)
    answered = answers > 0

    def by_respondent(values: np.ndarray) -> np.ndarray:
        return np.bincount(respondent, weights=values)[answered] / answers[answered]

    means = pd.DataFrame(
        {
            "expectation": by_respondent(expectation),
            "perception": by_respondent(perception),
            "gap": by_respondent(perception - expectation),
        }
    )
    n = len(means)
    gap = means["gap"].mean() if n else np.nan
    if n >= 2:
        half = _t_critical(confidence, n - 1) * means["gap"].std(ddof=1) / math.sqrt(n)
        ci_low, ci_high = gap - half, gap + half
    else:
        ci_low = ci_high = np.nan
    return {
        "dimension": dimension,
        "expectation": means["expectation"].mean() if n else np.nan,
        "perception": means["perception"].mean() if n else np.nan,
        "gap": gap,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "respondents": n,
        "share_unmet": (means["gap"] < 0).mean() if n else np.nan,
    }


#: The columns of dimension_gaps and their types.
GAP_COLUMNS = {
    "dimension": "str",
    "expectation": "float64",
    "perception": "float64",
    "gap": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "respondents": "int64",
    "share_unmet": "float64",
}


def gap_table(rows: list[dict]) -> pd.DataFrame:
    """The table of :func:`dimension_gaps` from its rows (:func:`dimension_row`), typed as
    :data:`GAP_COLUMNS` says."""
    return pd.DataFrame(
        {
            col: np.array([row[col] for row in rows], dtype=dtype)
            if dtype != "str"
            else pd.array([row[col] for row in rows], dtype=dtype)
            for col, dtype in GAP_COLUMNS.items()
        }
    )


def mean_importance(survey: pd.DataFrame) -> pd.Series:
    """Mean importance points per dimension (one value per respondent and dimension).

    Only the respondents who answered an item of the dimension count, as in its gap: a
    loaded survey has no row for an item left blank, so its points could not be read there,
    and a survey built by hand with blank scores gives the same weights.
    """
    _check_survey(survey)
    if "importance" not in survey.columns:
        raise LoyaltyDataError(
            "The survey has no 'importance' column: the weighted score and the "
            "importance grid need the points (of 100) each respondent gave each dimension. "
            "Use weighted=False, or add importance_<dimension> columns to the export."
        )
    answered = survey[survey[["expectation", "perception"]].notna().all(axis=1)]
    per_resp = (
        answered.assign(importance=pd.to_numeric(answered["importance"], errors="coerce"))
        .groupby(["respondent_id", "dimension"])["importance"]
        .first()
    )
    weights = per_resp.groupby(level="dimension").mean().reindex(DIMENSIONS)
    if weights.isna().all():
        raise LoyaltyDataError("The survey's 'importance' column is empty.")
    return weights


def servqual_score(survey: pd.DataFrame, *, weighted: bool = False) -> float:
    """One overall SERVQUAL gap score for the firm.

    - unweighted: the mean of the five dimension gaps of :func:`dimension_gaps`
      (dimensions nobody answered are left out);
    - weighted: ``sum_d gap_d × w_d / sum_d w_d`` where ``w_d`` is the mean importance points
      respondents gave dimension ``d``. When every respondent splits exactly 100 points,
      ``sum_d w_d = 100`` and the score is ``sum_d gap_d × w_d / 100``.

    Parameters
    ----------
    survey : pandas.DataFrame
        The canonical long survey; ``importance`` is required when ``weighted=True``.
    weighted : bool, default False
        Weight the dimensions by the importance customers give them.

    Returns
    -------
    float
        The score in scale points; negative means expectations are not met overall.

    Raises
    ------
    LoyaltyDataError
        If ``weighted=True`` and the survey has no ``importance``, or as :func:`item_gaps`.

    Examples
    --------
    >>> survey = pd.DataFrame({"respondent_id": ["r1", "r1"], "item": [1, 5],
    ...     "dimension": ["tangibles", "reliability"], "expectation": [5.0, 7.0],
    ...     "perception": [6.0, 5.0], "importance": [25.0, 75.0]})
    >>> servqual_score(survey), servqual_score(survey, weighted=True)
    (-0.5, -1.25)
    """
    gaps = dimension_gaps(survey).set_index("dimension")["gap"]
    if not weighted:
        return float(gaps.mean())
    weights = mean_importance(survey)
    both = pd.DataFrame({"gap": gaps, "w": weights}).dropna()
    if both.empty or both["w"].sum() <= 0:
        raise LoyaltyDataError(
            "No dimension has both a gap and a positive importance: cannot weight the score."
        )
    return float((both["gap"] * both["w"]).sum() / both["w"].sum())


def nps(scores: pd.DataFrame | pd.Series) -> float:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6).

    Parameters
    ----------
    scores : pandas.DataFrame or pandas.Series
        Either the canonical survey (the ``recommend`` column, counted once per
        ``respondent_id``) or any series of 0-10 scores. Missing scores are left out.

    Returns
    -------
    float
        The score in points, from -100 to 100.

    Raises
    ------
    LoyaltyDataError
        If a survey has no ``recommend`` column, no score is present, or a score lies
        outside 0-10.

    Examples
    --------
    >>> nps(pd.Series([10, 9, 8, 7, 6, 0, 10, 9, 9, 5]))
    20.0
    """
    if isinstance(scores, pd.DataFrame):
        if "recommend" not in scores.columns:
            raise LoyaltyDataError(
                "The survey has no 'recommend' column (likelihood to recommend, 0-10): "
                "the NPS cannot be computed. Add that question to the questionnaire."
            )
        if "respondent_id" in scores.columns:
            values = scores.groupby("respondent_id")["recommend"].first()
        else:
            values = scores["recommend"]
    elif isinstance(scores, pd.Series):
        values = scores
    else:
        raise LoyaltyDataError(
            f"nps() takes a survey DataFrame or a Series of 0-10 scores, got {type(scores).__name__}."
        )
    values = pd.to_numeric(values, errors="coerce").dropna()
    if values.empty:
        raise LoyaltyDataError("There is no likelihood-to-recommend score to compute an NPS from.")
    bad = values[(values < 0) | (values > 10)]
    if not bad.empty:
        raise LoyaltyDataError(f"Recommend scores must be between 0 and 10; found {bad.tolist()[:5]}.")
    promoters = (values >= 9).mean()
    detractors = (values <= 6).mean()
    return float(round((promoters - detractors) * 100, 10))
