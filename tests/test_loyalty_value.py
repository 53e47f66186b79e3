"""The package ``loyalty_lessons.loyalty_value``: every name of the lesson importable from the lesson's
name, each the very object of the module of its subject."""

from __future__ import annotations

import importlib

import pytest

import loyalty_lessons
import loyalty_lessons.loyalty_value as package

#: The modules of the package, one subject each.
SUBJECTS = ("spend_and_referrals", "lifetime", "business_figures")
#: What the lesson's notebooks import from the package (notebooks/04-loyalty-value-math.ipynb
#: and its exercises).
NOTEBOOK_NAMES = [
    "business_figures",
    "expected_lifetime_years",
    "lifetime_value_conventions",
    "retention_budget_whatif",
    "retention_uplift_value",
    "value_over_years",
]
#: What ``import loyalty_lessons as ll`` offers from the package.
TOP_LEVEL_NAMES = [
    "customer_lifetime_value",
    "customers_remaining",
    "referral_growth",
    "referral_value",
    "value_difference",
]


def _subject_of(name: str) -> list[str]:
    return [
        subject
        for subject in SUBJECTS
        if name in importlib.import_module(f"loyalty_lessons.loyalty_value.{subject}").__all__
    ]


@pytest.mark.parametrize("name", sorted(set(package.__all__) - {"SEED_FIGURES"}))
def test_every_name_of_the_package_is_the_object_of_one_subject_module(name):
    subjects = _subject_of(name)
    assert len(subjects) == 1, f"{name} is listed by {subjects}"
    module = importlib.import_module(f"loyalty_lessons.loyalty_value.{subjects[0]}")
    assert getattr(package, name) is getattr(module, name)


@pytest.mark.parametrize("name", NOTEBOOK_NAMES + TOP_LEVEL_NAMES)
def test_the_names_the_lessons_use_keep_their_import_path(name):
    assert name in package.__all__
    if name in TOP_LEVEL_NAMES:
        assert getattr(loyalty_lessons, name) is getattr(package, name)


def test_the_figures_of_the_sources_are_defined_here():
    assert package.SEED_FIGURES["monthly_spend_loyal"] == 75.0
    assert package.SEED_FIGURES["yearly_defection_rate"] == (0.15, 0.20)
