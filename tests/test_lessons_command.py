"""Tests of ``loyalty-lessons lessons DIR``: the lessons copied for a student."""

import pytest

from loyalty_lessons import resources
from loyalty_lessons.cli import main


def test_copies_the_lessons_and_says_how_to_open_them(tmp_path, capsys):
    student = tmp_path / "my lessons"
    assert main(["lessons", str(student)]) == 0
    out = capsys.readouterr().out
    lessons, exercises = resources.lessons(), resources.exercise_notebooks()
    assert sorted(p.name for p in student.glob("*.ipynb")) == [p.name for p in lessons]
    assert all((student / p.name).read_bytes() == p.read_bytes() for p in lessons)
    assert sorted(p.name for p in (student / "exercises").iterdir()) == [p.name for p in exercises]
    assert all((student / "exercises" / p.name).read_bytes() == p.read_bytes() for p in exercises)
    assert f"Copied {len(lessons)} lessons and {len(exercises)} exercise notebooks into {student}." in out
    assert f"jupyter lab '{student}'" in out  # quoted: the folder's name has a space


def test_refuses_to_overwrite_without_force(tmp_path, capsys):
    student = tmp_path / "student"
    student.mkdir()
    first = resources.lessons()[0].name
    (student / first).write_text("my answers")
    assert main(["lessons", str(student)]) == 2
    err = capsys.readouterr().err
    assert f"already holds {first}; nothing was copied. Add --force" in err and "Traceback" not in err
    assert [p.name for p in student.iterdir()] == [first]
    assert (student / first).read_text() == "my answers"

    assert main(["lessons", str(student), "--force"]) == 0
    assert (student / first).read_bytes() == resources.lessons()[0].read_bytes()
    assert len(list(student.glob("*.ipynb"))) == len(resources.lessons())
    assert len(list(student.glob("exercises/*.ipynb"))) == len(resources.exercise_notebooks())


def test_copies_the_exercise_notebooks_when_there_are_some(tmp_path, monkeypatch, capsys):
    installed = tmp_path / "installed"
    (installed / "exercises").mkdir(parents=True)
    for name in ["00-start.ipynb", "client-report.ipynb", "exercises/e1.ipynb", "exercises/e2.ipynb"]:
        (installed / name).write_text("{}")
    monkeypatch.setattr(resources, "notebooks_folder", lambda: installed)
    student = tmp_path / "student"
    assert main(["lessons", str(student)]) == 0
    assert "Copied 1 lessons and 2 exercise notebooks into" in capsys.readouterr().out
    assert sorted(p.relative_to(student).as_posix() for p in student.rglob("*.ipynb")) == [
        "00-start.ipynb",
        "exercises/e1.ipynb",
        "exercises/e2.ipynb",
    ]


def test_a_file_for_dir_exits_2(tmp_path, capsys):
    path = tmp_path / "lessons.txt"
    path.write_text("")
    assert main(["lessons", str(path)]) == 2
    assert "is a file; give a folder" in capsys.readouterr().err


def test_dir_is_required(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["lessons"])
    assert exit_.value.code == 2
    assert "DIR" in capsys.readouterr().err


def test_copies_the_lessons_of_a_language(tmp_path, monkeypatch, capsys):
    installed = tmp_path / "installed"
    for name in ["00-start.ipynb", "fr/00-start.ipynb", "fr/exercises/e1.ipynb", "workshop/index.ipynb"]:
        (installed / name).parent.mkdir(parents=True, exist_ok=True)
        (installed / name).write_text(name)
    monkeypatch.setattr(resources, "notebooks_folder", lambda: installed)
    assert resources.lesson_languages() == ["en", "fr"]  # workshop/ holds no lessons
    student = tmp_path / "étudiant"
    assert main(["lessons", str(student), "--language", "fr"]) == 0
    assert "Copied 1 lessons and 1 exercise notebooks into" in capsys.readouterr().out
    assert (student / "00-start.ipynb").read_text() == "fr/00-start.ipynb"
    assert (student / "exercises" / "e1.ipynb").read_text() == "fr/exercises/e1.ipynb"


def test_an_unknown_language_names_the_available_ones(tmp_path, capsys):
    assert main(["lessons", str(tmp_path / "x"), "--language", "de"]) == 2
    err = capsys.readouterr().err
    assert "There are no lessons in language 'de'; available: en" in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()
