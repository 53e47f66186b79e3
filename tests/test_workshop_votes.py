"""The room's votes in SQLite, their summary, and the scorecard page of both roles."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.scorecard import PRACTICES
from loyalty_lessons.workshop.pages import scorecard_page
from loyalty_lessons.workshop.roles import FACILITATOR, PARTICIPANT
from loyalty_lessons.workshop.room import describe_room, room_csv
from loyalty_lessons.workshop.votes import (
    ROOM_COLUMNS,
    VOTES_FILE,
    clear_votes,
    record_vote,
    room_summary,
    room_votes,
)

FIRST, SECOND = PRACTICES[0]["id"], PRACTICES[1]["id"]


def test_a_vote_is_replaced_then_withdrawn(tmp_path):
    record_vote("p1", FIRST, 2, tmp_path)
    record_vote("p1", FIRST, 4, tmp_path)
    record_vote("p2", FIRST, 1, tmp_path)
    votes = room_votes(tmp_path).sort_values("participant").reset_index(drop=True)
    expected = pd.DataFrame({"participant": ["p1", "p2"], "practice_id": [FIRST, FIRST], "score": [4, 1]})
    assert_frame_equal(votes, expected)
    record_vote("p2", FIRST, None, tmp_path)
    assert room_votes(tmp_path)["participant"].tolist() == ["p1"]
    clear_votes(tmp_path)
    assert room_votes(tmp_path).empty


def test_the_database_is_in_wal_mode_in_the_servers_folder(tmp_path):
    record_vote("p1", FIRST, 3, tmp_path)
    with sqlite3.connect(tmp_path / VOTES_FILE) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    ("practice", "score"),
    [("unknown", 3), (FIRST, 0), (FIRST, 6), (FIRST, 2.5)],
    ids=["unknown-practice", "below", "above", "not-whole"],
)
def test_a_bad_vote_is_refused(tmp_path, practice, score):
    with pytest.raises(LoyaltyDataError):
        record_vote("p1", practice, score, tmp_path)


def test_votes_need_the_servers_folder(monkeypatch):
    monkeypatch.delenv("LOYALTY_WORKSHOP_DIR", raising=False)
    with pytest.raises(LoyaltyDataError, match="workshop server"):
        room_votes()


def test_fifteen_participants_voting_at_once_all_arrive(tmp_path):
    rng = np.random.default_rng(6)
    ballots = {f"p{i}": rng.integers(1, 6, size=len(PRACTICES)) for i in range(15)}

    def vote(participant, scores):
        for entry, score in zip(PRACTICES, scores):
            record_vote(participant, entry["id"], int(score), tmp_path)

    threads = [threading.Thread(target=vote, args=item) for item in ballots.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    votes = room_votes(tmp_path)
    assert len(votes) == 15 * len(PRACTICES)
    first = votes[votes["practice_id"] == FIRST]
    assert sorted(first["score"]) == sorted(int(s[0]) for s in ballots.values())


def test_the_summary_shows_the_spread_not_only_the_mean():
    votes = pd.DataFrame({"practice_id": [FIRST] * 4 + [SECOND], "score": [1, 1, 5, 5, 3]})
    summary = room_summary(votes)
    assert list(summary.columns) == ROOM_COLUMNS
    assert summary["practice_id"].tolist() == [p["id"] for p in PRACTICES]
    first = summary.iloc[0]
    assert (first["votes"], first["mean"], first["lowest"], first["highest"]) == (4, 3.0, 1.0, 5.0)
    assert (first["score_1"], first["score_3"], first["score_5"]) == (2, 0, 2)
    assert summary.iloc[2]["votes"] == 0 and np.isnan(summary.iloc[2]["mean"])
    assert describe_room(summary) == (
        f"The room rates “{PRACTICES[0]['practice']}” lowest (mean 3.0 of 5, 4 ratings); it disagrees "
        f"most on “{PRACTICES[0]['practice']}” (from 1 to 5)."
    )
    assert room_csv(summary).startswith("\ufeffpractice_id,group,practice,votes".encode())


def test_a_participant_rates_with_sliders_and_the_facilitator_sees_the_room(tmp_path):
    participant = scorecard_page(tmp_path, role=PARTICIPANT)
    facilitator = scorecard_page(tmp_path, role=FACILITATOR, live=False)
    assert not hasattr(participant.room, "refresh_button") and len(participant.room.sliders) == len(PRACTICES)
    assert facilitator.room.sliders == {}
    assert "No ratings yet" in facilitator.room.caption.value
    participant.room.sliders[FIRST].value = 2
    participant.room.sliders[SECOND].value = 5
    assert "You rated 2 of" in participant.room.caption.value
    assert facilitator.room.refresh() is True and facilitator.room.refresh() is False
    assert "1 participant, 2 ratings" in facilitator.room.caption.value
    assert facilitator.room.image.value[:4] == b"\x89PNG"
    assert "room-scorecard.csv" in facilitator.room.downloads.value
    participant.room.sliders[FIRST].value = 0  # withdrawn
    assert room_votes(tmp_path)["practice_id"].tolist() == [SECOND]
    facilitator.room.new_round_button.click()
    assert room_votes(tmp_path).empty and "No ratings yet" in facilitator.room.caption.value


def test_the_scorecard_together_in_french(tmp_path):
    participant = scorecard_page(tmp_path, role=PARTICIPANT, language="fr")
    facilitator = scorecard_page(tmp_path, role=FACILITATOR, live=False, language="fr")
    assert "La grille d’évaluation, ensemble" in participant.widget.children[1].value
    assert "Pas encore de notes" in facilitator.room.caption.value
    assert facilitator.room.refresh_button.description == "Actualiser"
    slider = participant.room.sliders[FIRST]
    assert slider.options[0] == ("non noté", 0)
    slider.value = 2
    participant.room.sliders[SECOND].value = 5
    assert "Vous avez noté 2 pratiques sur" in participant.room.caption.value
    facilitator.room.refresh()
    assert "1 participant, 2 notes" in facilitator.room.caption.value
    assert "la note la plus basse" in facilitator.room.message
    assert "Télécharger" in facilitator.room.downloads.value
    csv = room_csv(facilitator.room.summary, "fr").decode("utf-8-sig")
    assert csv.startswith("id_pratique,groupe,pratique,votes,moyenne,minimum,premier_quartile")
    assert csv.splitlines()[0].endswith("note_4,note_5")


def test_the_rooms_verdict_is_written_for_the_language():
    votes = pd.DataFrame({"practice_id": [FIRST, FIRST, SECOND], "score": [1, 4, 5]})
    practice = PRACTICES[0]["practice"]
    assert describe_room(room_summary(votes), "ru") == (
        f"Ниже всего группа оценивает практику «{practice}» (в среднем 2,5 из 5, 2 оценки); сильнее всего "
        f"мнения расходятся по практике «{practice}» (от 1 до 4)."
    )


#: Libraries a participant's scorecard kernel has no use for: the facilitator's chart and table
#: need pandas and matplotlib, the subject pages DuckDB and pyarrow.
HEAVY = ["duckdb", "matplotlib", "numpy", "pandas", "pyarrow"]

_BUILD_PAGE = """
import json, sys
from loyalty_lessons.workshop import scorecard_page
page = scorecard_page(role=sys.argv[1], live=False, language="en")
if sys.argv[1] == "participant":
    next(iter(page.room.sliders.values())).value = 4
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _imported_by_a_fresh_page(role, folder):
    """The top-level modules a fresh Python process holds once it has built ``role``'s page."""
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, LOYALTY_WORKSHOP_DIR=str(folder), PYTHONPATH=str(root))
    done = subprocess.run(
        [sys.executable, "-c", _BUILD_PAGE, role], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def test_a_participants_scorecard_page_imports_no_data_or_chart_library(tmp_path):
    imported = _imported_by_a_fresh_page(PARTICIPANT, tmp_path)
    assert "ipywidgets" in imported and not imported & set(HEAVY), sorted(imported & set(HEAVY))
    assert room_votes(tmp_path)["score"].tolist() == [4]  # the vote was stored all the same


def test_the_facilitators_scorecard_page_still_draws_with_pandas_and_matplotlib(tmp_path):
    imported = _imported_by_a_fresh_page(FACILITATOR, tmp_path)
    assert {"pandas", "matplotlib"} <= imported
