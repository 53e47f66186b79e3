"""The package ``loyalty_lessons.customer_types``: every name of the lesson importable from the lesson's
name, each the very object of the module of its subject."""

from __future__ import annotations

import importlib

import pytest

import loyalty_lessons
import loyalty_lessons.customer_types as package

#: The modules of the package, one subject each.
SUBJECTS = ("classify", "profile", "prescriptions")
#: What the lesson's notebooks import from the package (notebooks/02-customer-types.ipynb).
NOTEBOOK_NAMES = ["basis_counts", "complaints_by_type", "describe_rule", "type_labels"]
#: What ``import loyalty_lessons as ll`` offers from the package.
TOP_LEVEL_NAMES = ["classify_customers", "service_prescriptions", "spend_uplift", "type_profile"]


def _subject_of(name: str) -> list[str]:
    return [
        subject
        for subject in SUBJECTS
        if name in importlib.import_module(f"loyalty_lessons.customer_types.{subject}").__all__
    ]


@pytest.mark.parametrize("name", sorted(set(package.__all__) - set()))
def test_every_name_of_the_package_is_the_object_of_one_subject_module(name):
    subjects = _subject_of(name)
    assert len(subjects) == 1, f"{name} is listed by {subjects}"
    module = importlib.import_module(f"loyalty_lessons.customer_types.{subjects[0]}")
    assert getattr(package, name) is getattr(module, name)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES + TOP_LEVEL_NAMES)
def test_the_names_the_lessons_use_keep_their_import_path(name):
    assert name in package.__all__
    if name in TOP_LEVEL_NAMES:
        assert getattr(loyalty_lessons, name) is getattr(package, name)
