"""The lessons' packages (``customer_types``, ``loyalty_value``, ``pareto``, ``quality_gap``):
each name a package offers is the very object of the one module of its subject, and every
import the notebooks make from a package, or from one of its modules, still works."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
from pathlib import Path

import pytest

#: The packages of modules by subject, named after their lesson.
PACKAGES = ("customer_types", "loyalty_value", "pareto", "quality_gap")
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _subjects(package: str) -> list[str]:
    path = importlib.import_module(f"loyalty_lessons.{package}").__path__
    return [m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_")]


def _offered() -> list[tuple[str, str]]:
    """(package, name) for each name a package lists that one of its modules defines (the
    package's own constants, such as ``loyalty_value.SEED_FIGURES``, are left out)."""
    pairs = []
    for package in PACKAGES:
        module = importlib.import_module(f"loyalty_lessons.{package}")
        for name in module.__all__:
            if any(
                name in importlib.import_module(f"{module.__name__}.{s}").__all__ for s in _subjects(package)
            ):
                pairs.append((package, name))
    return pairs


def _notebook_imports() -> list[tuple[str, str]]:
    """(module, name) of every ``from loyalty_lessons.<package>[.<module>] import name`` in the
    code cells of the notebooks, in every language."""
    found = set()
    for path in NOTEBOOKS.rglob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[1:2] in [
                    [p] for p in PACKAGES
                ]:
                    found.update((node.module, alias.name) for alias in node.names)
    return sorted(found)


@pytest.mark.parametrize(("package", "name"), _offered())
def test_every_name_of_a_package_is_the_object_of_one_subject_module(package, name):
    module = importlib.import_module(f"loyalty_lessons.{package}")
    homes = [
        s for s in _subjects(package) if name in importlib.import_module(f"{module.__name__}.{s}").__all__
    ]
    assert len(homes) == 1, f"{package}.{name} is listed by {homes}"
    assert getattr(module, name) is getattr(importlib.import_module(f"{module.__name__}.{homes[0]}"), name)


def test_the_notebooks_import_from_the_packages():
    """The next test has something to check: the lessons import from three of the packages."""
    assert {module.split(".")[1] for module, _ in _notebook_imports()} >= {
        "customer_types",
        "pareto",
        "quality_gap",
    }


@pytest.mark.parametrize(("module", "name"), _notebook_imports())
def test_the_imports_of_the_notebooks_still_work(module, name):
    assert hasattr(importlib.import_module(module), name)


def test_the_figures_of_the_sources_are_defined_in_the_loyalty_value_package():
    from loyalty_lessons.loyalty_value import SEED_FIGURES

    assert SEED_FIGURES["monthly_spend_loyal"] == 75.0
    assert SEED_FIGURES["yearly_defection_rate"] == (0.15, 0.20)
