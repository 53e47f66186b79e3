"""Tests of the installed notebooks: finding them, and copying the lessons for a student."""

from pathlib import Path

import pytest

from loyalty_lessons import report, resources
from loyalty_lessons.errors import LoyaltyDataError

REPOSITORY_NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A small installed notebooks folder: two lessons, the report, a workshop page, two exercises."""
    folder = tmp_path / "installed"
    for name in [
        "00-start.ipynb",
        "01-gap.ipynb",
        "client-report.ipynb",
        "workshop/index.ipynb",
        "exercises/e1.ipynb",
        "exercises/e2.ipynb",
        "notes.md",
    ]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f'{{"name": "{name}"}}')
    monkeypatch.setattr(resources, "notebooks_folder", lambda: folder)
    return folder


def test_the_lessons_are_the_repositorys_in_reading_order():
    names = [path.name for path in resources.lessons()]
    assert names == sorted(p.name for p in REPOSITORY_NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    assert names[0] == "00-start-here.ipynb" and len(names) >= 7


def test_the_report_and_the_workshop_find_their_notebooks():
    assert report.notebook_path() == resources.notebook_path(resources.REPORT_NOTEBOOK)
    assert report.notebook_path().read_bytes() == (REPOSITORY_NOTEBOOKS / "client-report.ipynb").read_bytes()
    pages = [path.name for path in resources.workshop_notebooks()]
    assert "index.ipynb" in pages
    assert pages == sorted(p.name for p in (REPOSITORY_NOTEBOOKS / "workshop").glob("*.ipynb"))
    assert resources.notebook_path("workshop/index.ipynb").parent == resources.workshop_folder()


def test_a_missing_notebook_is_named_with_the_installed_ones():
    with pytest.raises(LoyaltyDataError, match="'99-nothing.ipynb' is not installed") as err:
        resources.notebook_path("99-nothing.ipynb")
    assert "client-report.ipynb" in str(err.value) and "workshop/index.ipynb" in str(err.value)


def test_exercise_notebooks_are_found_when_there_are_some(installed):
    assert [p.name for p in resources.exercise_notebooks()] == ["e1.ipynb", "e2.ipynb"]
    (installed / "exercises" / "e1.ipynb").unlink()
    (installed / "exercises" / "e2.ipynb").unlink()
    (installed / "exercises").rmdir()
    assert resources.exercise_notebooks() == []


def test_copy_lessons_copies_the_lessons_and_exercises_only(installed, tmp_path):
    student = tmp_path / "student" / "course"
    written = resources.copy_lessons(student)
    assert written == [
        student / "00-start.ipynb",
        student / "01-gap.ipynb",
        student / "exercises" / "e1.ipynb",
        student / "exercises" / "e2.ipynb",
    ]
    assert sorted(p.relative_to(student).as_posix() for p in student.rglob("*") if p.is_file()) == [
        "00-start.ipynb",
        "01-gap.ipynb",
        "exercises/e1.ipynb",
        "exercises/e2.ipynb",
    ]
    assert (student / "01-gap.ipynb").read_text() == (installed / "01-gap.ipynb").read_text()


def test_copy_lessons_refuses_to_overwrite_unless_forced(installed, tmp_path):
    student = tmp_path / "student"
    student.mkdir()
    (student / "01-gap.ipynb").write_text("my answers")
    (student / "mine.txt").write_text("kept")
    with pytest.raises(LoyaltyDataError, match=r"already holds 01-gap\.ipynb; nothing was copied"):
        resources.copy_lessons(student)
    assert sorted(p.name for p in student.iterdir()) == ["01-gap.ipynb", "mine.txt"]
    assert (student / "01-gap.ipynb").read_text() == "my answers"
    resources.copy_lessons(student, force=True)
    assert (student / "01-gap.ipynb").read_text() == (installed / "01-gap.ipynb").read_text()
    assert (student / "mine.txt").read_text() == "kept"


def test_copy_lessons_into_a_file_is_refused(installed, tmp_path):
    path = tmp_path / "lessons"
    path.write_text("")
    with pytest.raises(LoyaltyDataError, match="is a file"):
        resources.copy_lessons(path, force=True)
