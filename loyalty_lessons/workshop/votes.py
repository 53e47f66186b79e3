"""The room's scorecard: each participant's ratings of lesson 06's practices, in one SQLite file.

Every participant's page runs in its own kernel, so their votes meet in a database in the
server's temporary folder (``votes.sqlite``, removed with it). SQLite in WAL mode lets
many pages write at once while the facilitator's page reads; a vote is one row per
participant and practice, replaced when the participant moves the slider again.

- :func:`record_vote`, :func:`room_votes`, :func:`clear_votes`: the stored votes;
- :func:`room_summary`: the room's ratings per practice, spread included (how many gave
  each score, lowest, quartiles, highest), as a table to chart and export.

A participant's page only records votes, with the standard library's :mod:`sqlite3`;
pandas is imported by :func:`room_votes` and :func:`room_summary`, which only the
facilitator's page calls, so that a participant's kernel starts without it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.practices import PRACTICES, SCALE
from loyalty_lessons.workshop.folder import data_folder

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ROOM_COLUMNS",
    "VOTES_FILE",
    "clear_votes",
    "record_vote",
    "room_summary",
    "room_votes",
]

#: The votes' database, in the server's data folder.
VOTES_FILE = "votes.sqlite"

#: Columns of :func:`room_summary`, in order.
ROOM_COLUMNS = [
    "practice_id",
    "group",
    "practice",
    "votes",
    "mean",
    "lowest",
    "lower_quartile",
    "median",
    "upper_quartile",
    "highest",
    *[f"score_{s}" for s in range(SCALE[0], SCALE[1] + 1)],
]

_PRACTICE_IDS = [entry["id"] for entry in PRACTICES]
#: Seconds a writer waits for another one to finish before giving up.
_BUSY_TIMEOUT_S = 10


def _database(folder: str | Path | None) -> Path:
    folder = data_folder(folder)
    if folder is None or not folder.is_dir():
        raise LoyaltyDataError(
            "The room's votes need the workshop server: start it with "
            "`python -m loyalty_lessons.workshop --share`."
        )
    return folder / VOTES_FILE


def _connect(folder: str | Path | None) -> sqlite3.Connection:
    connection = sqlite3.connect(_database(folder), timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE IF NOT EXISTS votes (participant TEXT NOT NULL, practice_id TEXT NOT NULL, "
        "score INTEGER NOT NULL, PRIMARY KEY (participant, practice_id))"
    )
    return connection


def record_vote(
    participant: str, practice_id: str, score: int | None, folder: str | Path | None = None
) -> None:
    """Store (or replace) one participant's rating of one practice; None withdraws it.

    Parameters
    ----------
    participant : str
        An id of the participant's page.
    practice_id : str
        An ``id`` of :data:`~loyalty_lessons.scorecard.PRACTICES`.
    score : int or None
        A whole score of :data:`~loyalty_lessons.scorecard.SCALE`.
    folder : str or Path, optional
        The server's data folder; default the environment variable ``LOYALTY_WORKSHOP_DIR``.

    Raises
    ------
    LoyaltyDataError
        For an unknown practice, a score off the scale, or no server folder.
    """
    if practice_id not in _PRACTICE_IDS:
        raise LoyaltyDataError(f"Unknown practice {practice_id!r}.")
    if score is not None and not (SCALE[0] <= int(score) <= SCALE[1] and int(score) == score):
        raise LoyaltyDataError(f"A rating is a whole number from {SCALE[0]} to {SCALE[1]}, not {score!r}.")
    with closing(_connect(folder)) as connection:
        if score is None:
            connection.execute(
                "DELETE FROM votes WHERE participant = ? AND practice_id = ?", (participant, practice_id)
            )
        else:
            connection.execute(
                "INSERT INTO votes VALUES (?, ?, ?) ON CONFLICT (participant, practice_id) "
                "DO UPDATE SET score = excluded.score",
                (participant, practice_id, int(score)),
            )


def room_votes(folder: str | Path | None = None) -> pd.DataFrame:
    """Every stored vote: columns ``participant``, ``practice_id``, ``score`` (empty before any)."""
    import pandas as pd  # the facilitator's page only: a participant's records votes without it

    with closing(_connect(folder)) as connection:
        rows = connection.execute("SELECT participant, practice_id, score FROM votes").fetchall()
    return pd.DataFrame(rows, columns=["participant", "practice_id", "score"]).astype(
        {"participant": "str", "practice_id": "str", "score": "int64"}
    )


def clear_votes(folder: str | Path | None = None) -> None:
    """Forget every vote (a new round)."""
    with closing(_connect(folder)) as connection:
        connection.execute("DELETE FROM votes")


def room_summary(votes: pd.DataFrame) -> pd.DataFrame:
    """The room's ratings, one row per practice in the scorecard's order.

    Parameters
    ----------
    votes : pandas.DataFrame
        Columns ``practice_id`` and ``score`` (as :func:`room_votes` gives).

    Returns
    -------
    pandas.DataFrame
        :data:`ROOM_COLUMNS`: ``votes`` (how many rated it), ``mean``, ``lowest``,
        ``lower_quartile``, ``median``, ``upper_quartile``, ``highest`` (NaN without a
        vote) and ``score_1`` ... ``score_5``, how many gave each score.

    Examples
    --------
    >>> import pandas as pd
    >>> votes = pd.DataFrame({"practice_id": ["hire_right_people"] * 3, "score": [1, 4, 4]})
    >>> room_summary(votes).loc[0, ["votes", "mean", "lowest", "highest", "score_4"]].tolist()
    [3.0, 3.0, 1.0, 4.0, 2.0]
    """
    import pandas as pd  # the facilitator's page only: a participant's records votes without it

    scores = votes.groupby("practice_id")["score"]
    table = pd.DataFrame(
        {
            "practice_id": _PRACTICE_IDS,
            "group": [entry["group"] for entry in PRACTICES],
            "practice": [entry["practice"] for entry in PRACTICES],
        }
    ).set_index("practice_id", drop=False)
    table["votes"] = scores.size().reindex(table.index).fillna(0).astype("int64")
    table["mean"] = scores.mean().reindex(table.index).astype("float64")
    for column, q in [
        ("lowest", 0.0),
        ("lower_quartile", 0.25),
        ("median", 0.5),
        ("upper_quartile", 0.75),
        ("highest", 1.0),
    ]:
        table[column] = scores.quantile(q).reindex(table.index).astype("float64")
    counts = votes.groupby(["practice_id", "score"]).size().unstack(fill_value=0)
    for score in range(SCALE[0], SCALE[1] + 1):
        column = counts[score] if score in counts.columns else pd.Series(dtype="int64")
        table[f"score_{score}"] = column.reindex(table.index).fillna(0).astype("int64")
    return table.reset_index(drop=True)[ROOM_COLUMNS]
