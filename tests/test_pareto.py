"""The package ``loyalty_lessons.pareto``: every name of the lesson importable from the lesson's name,
each the very object of the module of its subject."""

from __future__ import annotations

import importlib

import pytest

import loyalty_lessons
import loyalty_lessons.pareto as package

#: The modules of the package, one subject each.
SUBJECTS = ("concentration", "complaints", "table")
#: What the lesson's notebooks import from the package (notebooks/03-the-80-20-rule.ipynb).
NOTEBOOK_NAMES = ["complaint_concentration", "concentration_verdict", "value_complaint_overlap"]
#: What ``import loyalty_lessons as ll`` offers from the package.
TOP_LEVEL_NAMES = ["concentration_curve", "gini", "pareto_point", "pareto_table", "top_share"]


def _subject_of(name: str) -> list[str]:
    return [
        subject
        for subject in SUBJECTS
        if name in importlib.import_module(f"loyalty_lessons.pareto.{subject}").__all__
    ]


@pytest.mark.parametrize("name", sorted(package.__all__))
def test_every_name_of_the_package_is_the_object_of_one_subject_module(name):
    subjects = _subject_of(name)
    assert len(subjects) == 1, f"{name} is listed by {subjects}"
    module = importlib.import_module(f"loyalty_lessons.pareto.{subjects[0]}")
    assert getattr(package, name) is getattr(module, name)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES + TOP_LEVEL_NAMES)
def test_the_names_the_lessons_use_keep_their_import_path(name):
    assert name in package.__all__
    if name in TOP_LEVEL_NAMES:
        assert getattr(loyalty_lessons, name) is getattr(package, name)
