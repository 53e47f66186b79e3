"""The quality gap: how far what customers perceive falls short of what they expect.

The idea comes from [fr-monitoring-loyalty]: a quality gap is the distance between a
customer's service expectations and their perception of the service received, and it lives
only in the customer's mind. The literature measures it with SERVQUAL (Parasuraman,
Zeithaml & Berry, 1988) as "gap 5": perception minus expectation, item by item, averaged
per service dimension. A negative gap means expectations are not met.

Every function takes the canonical survey (long layout, one row per respondent and item;
see ``docs/data.md``) and returns a new DataFrame or a number.
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
    "GAP_BANDS",
    "SurveyScores",
    "answered_items",
    "dimension_gaps",
    "gap_behaviour",
    "importance_performance",
    "item_gaps",
    "nps",
    "respondent_gaps",
    "servqual_score",
    "survey_scores",
    "what_if_gap",
]


#: Default bands of a respondent's mean gap for :func:`gap_behaviour`:
#: label -> (lower bound included, upper bound excluded), in scale points.
GAP_BANDS: dict[str, tuple[float, float]] = {
    "below -1": (-math.inf, -1.0),
    "-1 to 0": (-1.0, 0.0),
    "0 and above": (0.0, math.inf),
}

#: Lowest and highest score of the questionnaire (SERVQUAL's 7-point scale).
_SCALE = (1.0, 7.0)

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


def _check_confidence(confidence: float) -> None:
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
    _check_confidence(confidence)
    scores = survey_scores(survey)
    return _gap_table([_dimension_row(dim, scores, confidence) for dim in DIMENSIONS])


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


def _dimension_row(
    dimension: str,
    scores: SurveyScores,
    confidence: float,
    perception_points: float = 0.0,
    expectation_points: float = 0.0,
    scale: tuple[float, float] = _SCALE,
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
_GAP_COLUMNS = {
    "dimension": "str",
    "expectation": "float64",
    "perception": "float64",
    "gap": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "respondents": "int64",
    "share_unmet": "float64",
}


def _gap_table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            col: np.array([row[col] for row in rows], dtype=dtype)
            if dtype != "str"
            else pd.array([row[col] for row in rows], dtype=dtype)
            for col, dtype in _GAP_COLUMNS.items()
        }
    )


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
    weights = _mean_importance(survey)
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


def _mean_importance(survey: pd.DataFrame) -> pd.Series:
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
    weights = _mean_importance(survey)
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
    _check_confidence(confidence)
    scores = survey if isinstance(survey, SurveyScores) else survey_scores(survey)

    if baseline is None:
        before = [_dimension_row(dim, scores, confidence) for dim in DIMENSIONS]
    else:
        before = _rows_of(baseline)
    after = [
        row
        if perception_changes.get(dim, 0.0) == 0 and expectation_points.get(dim, 0.0) == 0
        else _dimension_row(
            dim, scores, confidence, perception_changes.get(dim, 0.0), expectation_points.get(dim, 0.0), scale
        )
        for dim, row in zip(DIMENSIONS, before)
    ]
    table = _gap_table(after)
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
    columns = {col: baseline[col].tolist() for col in _GAP_COLUMNS}
    return [{col: values[position[dim]] for col, values in columns.items()} for dim in DIMENSIONS]


def _check_scale(scale: tuple[float, float]) -> tuple[float, float]:
    try:
        low, high = (float(s) for s in scale)
    except (TypeError, ValueError):
        raise LoyaltyDataError(f"scale must be a (low, high) pair of numbers, got {scale!r}.") from None
    if not low < high:
        raise LoyaltyDataError(f"scale: low ({low:g}) must be below high ({high:g}), e.g. (1, 7).")
    return low, high
