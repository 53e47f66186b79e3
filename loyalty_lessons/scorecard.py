"""A workshop scorecard of the loyalty practices the source documents recommend.

The practices are data (:data:`PRACTICES`, kept in :mod:`loyalty_lessons.practices`
without pandas and re-exported here): seven steps to build loyalty [it-loyalty-steps], seven
tips to earn and keep it [ru-loyalty-tips] and the three components of customer care
[it-customer-care]. A team rates how well the business applies
each one on a 1-5 scale; this module builds the blank scorecard, checks and summarises the
ratings, picks the practices to discuss first with the facts that make them urgent, and saves
and loads the scorecard as a CSV file that spreadsheet programs open with accents intact.

Each practice is a dict with ``id``, ``source`` (the citation key of docs/sources.md),
``group``, ``practice`` (short name), ``description`` (one sentence) and, optionally,
``fact`` and ``fact_source`` (a figure from the sources showing why neglecting it is costly).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.practices import GENERAL_FACT, PRACTICES, SCALE

__all__ = [
    "GENERAL_FACT",
    "PRACTICES",
    "SCALE",
    "SCORECARD_COLUMNS",
    "discussion_guide",
    "fill_scorecard",
    "load_scorecard",
    "save_scorecard",
    "score_summary",
    "scorecard_template",
    "weakest_practices",
]

#: Columns of a scorecard, in order.
SCORECARD_COLUMNS = ["practice_id", "source", "group", "practice", "description", "score"]


def _catalogue(practices: Sequence[Mapping[str, str]] | None) -> pd.DataFrame:
    practices = PRACTICES if practices is None else practices
    needed = ["id", "source", "group", "practice", "description"]
    for number, entry in enumerate(practices, start=1):
        missing = [key for key in needed if not entry.get(key)]
        if missing:
            raise LoyaltyDataError(f"practice number {number} lacks {missing}; each practice needs {needed}.")
    ids = [entry["id"] for entry in practices]
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    if not ids or doubles:
        raise LoyaltyDataError(f"practices must be a non-empty list with unique ids; repeated: {doubles}.")
    rows = [
        {
            "practice_id": entry["id"],
            "source": entry["source"],
            "group": entry["group"],
            "practice": entry["practice"],
            "description": entry["description"],
            "fact": entry.get("fact") or GENERAL_FACT["fact"],
            "fact_source": entry.get("fact_source") or GENERAL_FACT["fact_source"],
        }
        for entry in practices
    ]
    return pd.DataFrame(rows)


def _check_scale(scale: tuple[float, float]) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise LoyaltyDataError(
            f"scale={scale!r} must be two numbers (lowest, highest), e.g. (1, 5)."
        ) from None
    if not low < high:
        raise LoyaltyDataError(f"scale={scale!r}: the lowest score must be below the highest.")
    return low, high


def _checked_scores(
    ids: pd.Series, scores: pd.Series, scale: tuple[float, float], known: pd.Series
) -> pd.Series:
    """Return scores as float64 indexed by practice id, after checking ids and range."""
    low, high = _check_scale(scale)
    ids = ids.astype(str)
    unknown = sorted(set(ids) - set(known))
    if unknown:
        raise LoyaltyDataError(
            f"unknown practice id(s) {unknown}; the scorecard knows {list(known)}. "
            "Check the spelling, or start again from scorecard_template()."
        )
    doubles = sorted(set(ids[ids.duplicated()]))
    if doubles:
        raise LoyaltyDataError(f"practice id(s) {doubles} are rated more than once; keep one score each.")
    text = scores.astype("object").where(scores.notna(), None)
    text = text.map(lambda v: v.strip().replace(",", ".") if isinstance(v, str) else v)
    text = text.map(lambda v: None if v == "" else v)
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    bad_type = values.isna() & text.notna()
    if bad_type.any():
        shown = {i: s for i, s in zip(ids[bad_type.to_numpy()], text[bad_type])}
        raise LoyaltyDataError(
            f"these scores are not numbers: {shown}; give a number from {low:g} to {high:g}, "
            "or leave the score empty for a practice not rated."
        )
    outside = values.notna() & ~values.between(low, high)
    if outside.any():
        shown = {i: float(v) for i, v in zip(ids[outside.to_numpy()], values[outside])}
        raise LoyaltyDataError(
            f"these scores are outside the scale {low:g}-{high:g}: {shown}; "
            f"rate each practice from {low:g} (poor) to {high:g} (excellent)."
        )
    return pd.Series(values.to_numpy(), index=ids.to_numpy())


def scorecard_template(practices: Sequence[Mapping[str, str]] | None = None) -> pd.DataFrame:
    """The blank scorecard: one row per practice, no score yet.

    Parameters
    ----------
    practices : list of dict or None
        The practices to rate; defaults to :data:`PRACTICES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``practice_id``, ``source`` (the citation key of docs/sources.md), ``group``, ``practice``,
        ``description`` and ``score`` (float64, all NaN), in the order of ``practices``.

    Raises
    ------
    LoyaltyDataError
        If a practice lacks a field or two practices share an id.

    Examples
    --------
    >>> card = scorecard_template()
    >>> len(card), bool(card["score"].isna().all())
    (17, True)
    >>> card.groupby("source", sort=False).size().tolist()
    [7, 7, 3]
    """
    card = _catalogue(practices)[SCORECARD_COLUMNS[:-1]]
    return card.assign(score=np.full(len(card), np.nan))


def fill_scorecard(
    ratings: Mapping[str, float | None],
    *,
    practices: Sequence[Mapping[str, str]] | None = None,
    scale: tuple[float, float] = SCALE,
) -> pd.DataFrame:
    """The scorecard with the given ratings; practices not rated keep a NaN score.

    Parameters
    ----------
    ratings : mapping of str to number or None
        Practice id -> score on ``scale``; None or NaN means not rated.
    practices : list of dict or None
        Defaults to :data:`PRACTICES`.
    scale : (number, number)
        Lowest and highest allowed score.

    Returns
    -------
    pandas.DataFrame
        As :func:`scorecard_template`, with ``score`` filled in.

    Raises
    ------
    LoyaltyDataError
        If an id is unknown or a score is not a number within ``scale``.

    Examples
    --------
    >>> card = fill_scorecard({"welcome_complaints": 2, "hire_right_people": 4})
    >>> int(card["score"].notna().sum()), float(card["score"].mean())
    (2, 3.0)
    """
    card = scorecard_template(practices)
    if not isinstance(ratings, Mapping):
        raise LoyaltyDataError(
            f"ratings must be a dict of practice id -> score, not {type(ratings).__name__}."
        )
    given = pd.Series(list(ratings.values()), index=list(ratings.keys()), dtype="object")
    checked = _checked_scores(given.index.to_series(), given, scale, card["practice_id"])
    return card.assign(score=card["practice_id"].map(checked).astype("float64"))


def _scorecard(
    scores: pd.DataFrame | Mapping[str, float | None],
    practices: Sequence[Mapping[str, str]] | None,
    scale: tuple[float, float],
) -> pd.DataFrame:
    """A checked scorecard (with ``fact`` columns) from a scorecard frame or a dict."""
    catalogue = _catalogue(practices)
    if isinstance(scores, Mapping):
        card = fill_scorecard(scores, practices=practices, scale=scale)
    elif isinstance(scores, pd.DataFrame):
        missing = [c for c in ("practice_id", "score") if c not in scores]
        if missing:
            raise LoyaltyDataError(
                f"the scorecard lacks the column(s) {missing}; found {list(scores.columns)}. "
                "Start from scorecard_template() or pass a dict of practice id -> score."
            )
        checked = _checked_scores(scores["practice_id"], scores["score"], scale, catalogue["practice_id"])
        card = scorecard_template(practices)
        card = card.assign(score=card["practice_id"].map(checked).astype("float64"))
    else:
        raise LoyaltyDataError(
            f"scores must be a scorecard DataFrame or a dict, not {type(scores).__name__}."
        )
    return card.assign(fact=catalogue["fact"], fact_source=catalogue["fact_source"])


def score_summary(
    scores: pd.DataFrame | Mapping[str, float | None],
    *,
    scale: tuple[float, float] = SCALE,
    practices: Sequence[Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """Per group of practices: how many are rated, the mean score and the weakest practice.

    Parameters
    ----------
    scores : pandas.DataFrame or dict
        A scorecard (columns ``practice_id`` and ``score``; other columns are taken from
        ``practices``), or a dict of practice id -> score.
    scale : (number, number)
        Lowest and highest allowed score.
    practices : list of dict or None
        Defaults to :data:`PRACTICES`.

    Returns
    -------
    pandas.DataFrame
        One row per group, in the order of ``practices``: ``group``, ``source``,
        ``practices`` (count), ``rated`` (count with a score), ``share_rated``,
        ``mean_score`` (of the rated ones; NaN when none is), ``weakest_practice`` (the
        lowest rated, the first in order on a tie; None when none is rated) and
        ``weakest_score``.

    Raises
    ------
    LoyaltyDataError
        If an id is unknown, an id is rated twice, or a score is outside ``scale``.

    Examples
    --------
    >>> summary = score_summary({"welcome_complaints": 2, "hire_right_people": 4})
    >>> first = summary.iloc[0]
    >>> int(first["rated"]), float(first["mean_score"]), first["weakest_practice"]
    (2, 3.0, 'Welcome complaints')
    >>> round(float(summary.loc[0, "share_rated"]), 2)
    0.29
    """
    card = _scorecard(scores, practices, scale)
    rows = []
    for group, part in card.groupby("group", sort=False):
        rated = part.dropna(subset=["score"])
        weakest = rated.loc[rated["score"].idxmin()] if len(rated) else None
        rows.append(
            {
                "group": group,
                "source": part["source"].iloc[0],
                "practices": len(part),
                "rated": len(rated),
                "share_rated": len(rated) / len(part),
                "mean_score": rated["score"].mean() if len(rated) else np.nan,
                "weakest_practice": None if weakest is None else weakest["practice"],
                "weakest_score": np.nan if weakest is None else float(weakest["score"]),
            }
        )
    return pd.DataFrame(rows)


def weakest_practices(
    scores: pd.DataFrame | Mapping[str, float | None],
    n: int = 3,
    *,
    scale: tuple[float, float] = SCALE,
    practices: Sequence[Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """The ``n`` lowest rated practices, lowest first (ties keep the scorecard order).

    Parameters
    ----------
    scores : pandas.DataFrame or dict
        As :func:`score_summary`.
    n : int
        How many practices; fewer are returned when fewer are rated.
    scale, practices
        As :func:`score_summary`.

    Returns
    -------
    pandas.DataFrame
        Rows of the scorecard (columns :data:`SCORECARD_COLUMNS`), index reset.

    Raises
    ------
    LoyaltyDataError
        If ``n`` < 1, or as :func:`score_summary`.

    Examples
    --------
    >>> weakest_practices({"welcome_complaints": 2, "stable_terms": 2, "hire_right_people": 4},
    ...                   n=2)["practice_id"].tolist()
    ['welcome_complaints', 'stable_terms']
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise LoyaltyDataError(f"n={n!r} must be a whole number of practices >= 1.")
    card = _scorecard(scores, practices, scale)
    rated = card.dropna(subset=["score"]).sort_values("score", kind="stable")
    return rated.head(int(n))[SCORECARD_COLUMNS].reset_index(drop=True)


def discussion_guide(
    scores: pd.DataFrame | Mapping[str, float | None],
    n: int = 3,
    *,
    scale: tuple[float, float] = SCALE,
    practices: Sequence[Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """The practices to discuss first, with a fact from the sources on why each matters.

    Parameters
    ----------
    scores, n, scale, practices
        As :func:`weakest_practices`.

    Returns
    -------
    pandas.DataFrame
        One row per practice to discuss, lowest score first: ``practice``, ``score``,
        ``group``, ``why_it_matters`` (the practice's fact, or :data:`GENERAL_FACT`) and
        ``fact_source`` (citation key).

    Raises
    ------
    LoyaltyDataError
        As :func:`weakest_practices`.

    Examples
    --------
    >>> guide = discussion_guide({"welcome_complaints": 1, "hire_right_people": 4}, n=1)
    >>> print(guide.loc[0, "why_it_matters"])
    Behind each complaint stand at least ten customers with the same criticism.
    """
    weakest = weakest_practices(scores, n, scale=scale, practices=practices)
    facts = _catalogue(practices).set_index("practice_id")
    chosen = facts.loc[weakest["practice_id"]]
    return pd.DataFrame(
        {
            "practice": weakest["practice"],
            "score": weakest["score"],
            "group": weakest["group"],
            "why_it_matters": chosen["fact"].to_numpy(),
            "fact_source": chosen["fact_source"].to_numpy(),
        }
    )


def save_scorecard(
    scores: pd.DataFrame | Mapping[str, float | None],
    path: str | Path,
    *,
    scale: tuple[float, float] = SCALE,
    practices: Sequence[Mapping[str, str]] | None = None,
) -> Path:
    """Write the scorecard to a CSV file that spreadsheet programs open with accents intact.

    The file is UTF-8 with a byte-order mark, comma-separated, with the columns
    :data:`SCORECARD_COLUMNS`; a practice not rated has an empty score.

    Parameters
    ----------
    scores : pandas.DataFrame or dict
        As :func:`score_summary`; checked before writing.
    path : str or Path
        The file to write (replaced if it exists); its folder must exist.
    scale, practices
        As :func:`score_summary`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    LoyaltyDataError
        If the scores do not pass the checks, the name is empty, or the folder is missing.
    """
    card = _scorecard(scores, practices, scale)[SCORECARD_COLUMNS]
    path = Path(path)
    if not str(path).strip() or not path.name:
        raise LoyaltyDataError("the file name is empty; give a name such as 'scorecard.csv'.")
    if not path.parent.is_dir():
        raise LoyaltyDataError(f"cannot save {path.name}: the folder {str(path.parent)!r} does not exist.")
    card.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def load_scorecard(
    path: str | Path,
    *,
    scale: tuple[float, float] = SCALE,
    practices: Sequence[Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """Read a scorecard saved by :func:`save_scorecard`, possibly edited in a spreadsheet.

    Only ``practice_id`` and ``score`` are read from the file; the other columns come from
    ``practices``. The file may be UTF-8 (with or without a byte-order mark) or Windows-1252,
    comma- or semicolon-separated, with decimal points or commas in the scores.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    scale, practices
        As :func:`score_summary`.

    Returns
    -------
    pandas.DataFrame
        The scorecard, as :func:`scorecard_template` with ``score`` filled in.

    Raises
    ------
    LoyaltyDataError
        If the file is missing or unreadable, lacks the ``practice_id`` or ``score``
        column, or its scores do not pass the checks.
    """
    path = Path(path)
    if not path.is_file():
        raise LoyaltyDataError(f"no scorecard file named {path.name!r} in that folder.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    header = text.splitlines()[0] if text.strip() else ""
    separator = ";" if header.count(";") > header.count(",") else ","
    table = pd.read_csv(StringIO(text), sep=separator, dtype=str, keep_default_na=False)
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in ("practice_id", "score") if c not in table]
    if missing:
        raise LoyaltyDataError(
            f"{path.name} lacks the column(s) {missing}; found {list(table.columns)}. "
            "Save the scorecard with save_scorecard() or the explorer's button."
        )
    table["practice_id"] = table["practice_id"].str.strip()
    return _scorecard(table[["practice_id", "score"]], practices, scale)[SCORECARD_COLUMNS]
