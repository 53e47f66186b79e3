import numpy as np
import pytest

from loyalty_lessons.scorecard import fill_scorecard, load_scorecard
from loyalty_lessons.widgets.scorecard import ScorecardExplorer, scorecard_explorer

START = {"welcome_complaints": 1, "reliable_and_flexible": 5, "hire_right_people": 3}


@pytest.fixture
def explorer():
    return scorecard_explorer(START)


def test_one_slider_per_practice_starting_from_the_ratings(explorer):
    assert isinstance(explorer, ScorecardExplorer)
    assert len(explorer.controls) == 17
    assert explorer.controls["welcome_complaints"].value == 1
    assert explorer.controls["stable_terms"].value == 0
    assert explorer.controls["stable_terms"].index == 0
    assert explorer.controls["stable_terms"].options[0] == ("not rated", 0)
    assert explorer.result["score"].notna().sum() == 3
    assert explorer.message == (
        "3 of 17 practices rated, mean score 3.0 out of 5; weakest: Welcome complaints (1)."
    )


def test_moving_a_slider_rescores_redraws_and_restates(explorer):
    explorer.controls["welcome_complaints"].value = 4
    explorer.controls["stable_terms"].value = 2
    card = explorer.result.set_index("practice_id")["score"]
    assert card["welcome_complaints"] == 4 and card["stable_terms"] == 2
    assert explorer.message.endswith("weakest: Keep terms and prices stable (2).")
    ax = explorer.figure.axes[0]
    assert ax.get_title().endswith("weakest: keep terms and prices stable (2)\n4 of 17 practices rated")
    explorer.controls["stable_terms"].value = 0
    assert np.isnan(explorer.result.set_index("practice_id").loc["stable_terms", "score"])


def test_starts_blank_or_from_a_scorecard():
    assert scorecard_explorer().message.startswith("No practice rated yet")
    card = fill_scorecard({"educate_customers": 2})
    assert scorecard_explorer(card).controls["educate_customers"].value == 2


def test_save_button_writes_the_file_and_names_it_only(explorer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert explorer.file_name.value == "scorecard.csv"
    explorer.controls["stable_terms"].value = 2
    explorer.save_button.click()
    assert explorer.save_status.value == "Saved scorecard.csv."
    assert str(tmp_path) not in explorer.save_status.value
    saved = load_scorecard(tmp_path / "scorecard.csv")
    assert saved.set_index("practice_id").loc["stable_terms", "score"] == 2


def test_save_problems_are_reported_not_raised(explorer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    explorer.file_name.value = "no_such_folder/team.csv"
    explorer.save_button.click()
    assert explorer.save_status.value.startswith("Not saved: cannot save team.csv")
    explorer.file_name.value = "  "
    explorer.save_button.click()
    assert explorer.save_status.value.startswith("Not saved: the file name is empty")


def test_the_save_row_is_part_of_the_displayed_widget(explorer):
    children = explorer.widget.children
    assert explorer.image in children
    save_row = children[-1]
    assert explorer.save_button in save_row.children and explorer.file_name in save_row.children


def test_the_explorer_draws_its_chart_in_the_language():
    french = scorecard_explorer(START, language="fr")
    ax = french.figure.axes[0]
    assert ax.get_title().startswith("Point le plus fort : tenir parole, rester souple (5)")
    assert ax.get_xlabel() == "note (1 = faible, 5 = excellent)"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Recruter les bonnes personnes"
    french.controls["stable_terms"].value = 2  # redrawn in place, still in French
    assert french.figure.axes[0].get_title().endswith("Pratiques notées : 4 sur 17")
    english = scorecard_explorer(START).figure.axes[0]
    assert english.get_title().startswith("Strongest: keep promises, stay flexible (5)")
