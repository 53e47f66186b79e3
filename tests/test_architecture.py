"""The package's shape, checked on its source: no module uses another module's private names, and
computation modules never draw."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "loyalty_lessons"

#: The layers that draw or show: charts, explorers, the report, the workshop. Every other
#: module computes, and never imports a drawing or widget library.
DRAWING_LAYERS = {"plots", "widgets", "report", "workshop"}
DRAWING_LIBRARIES = {"matplotlib", "ipywidgets"}


def _modules() -> dict[str, Path]:
    """Dotted name -> file of every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The dotted name an ``ImportFrom`` of ``module`` reads from."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def private_uses(module: str, source: str) -> list[str]:
    """Where ``module`` imports or reads a private name of another module of the package.

    A private *module* (``from loyalty_lessons import _read``) may be imported; a private name
    inside a module (``from loyalty_lessons.pareto import _top_count``, ``cs._shape``) may not.
    """
    tree = ast.parse(source)
    aliases: dict[str, str] = {}  # local name -> module of the package it stands for
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "loyalty_lessons":
                    if alias.asname:
                        aliases[alias.asname] = alias.name
                    else:
                        aliases["loyalty_lessons"] = "loyalty_lessons"
        elif isinstance(node, ast.ImportFrom):
            source_module = _absolute(module, node)
            if source_module.split(".")[0] != "loyalty_lessons" or source_module == module:
                continue
            for alias in node.names:
                target = f"{source_module}.{alias.name}"
                if target in MODULES:
                    aliases[alias.asname or alias.name] = target
                elif _is_private(alias.name):
                    found.append(f"line {node.lineno}: from {source_module} import {alias.name}")
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and _is_private(node.attr)):
            continue
        chain, value = [], node.value
        while isinstance(value, ast.Attribute):
            chain.insert(0, value.attr)
            value = value.value
        if not isinstance(value, ast.Name) or value.id not in aliases:
            continue
        owner = ".".join([aliases[value.id], *chain])
        if owner in MODULES and owner != module and f"{owner}.{node.attr}" not in MODULES:
            found.append(f"line {node.lineno}: {owner}.{node.attr}")
    return found


def drawing_imports(source: str) -> list[str]:
    """The drawing or widget libraries a module imports, anywhere in it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        found += [f"line {node.lineno}: {name}" for name in names if name.split(".")[0] in DRAWING_LIBRARIES]
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_uses_another_modules_private_names(module):
    uses = private_uses(module, MODULES[module].read_text(encoding="utf-8"))
    assert not uses, f"{module} uses private names of other modules: {uses}; make them public in their module"


COMPUTING = sorted(m for m in MODULES if m != "loyalty_lessons" and m.split(".")[1] not in DRAWING_LAYERS)


@pytest.mark.parametrize("module", COMPUTING)
def test_computation_modules_never_draw(module):
    imports = drawing_imports(MODULES[module].read_text(encoding="utf-8"))
    assert not imports, f"{module} computes, yet imports {imports}: drawing belongs in plots/ or widgets/"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from loyalty_lessons.pareto import _top_count\n",
            ["line 1: from loyalty_lessons.pareto import _top_count"],
        ),
        ("from . import customers as cs\ncs._shape(1)\n", ["line 2: loyalty_lessons.customers._shape"]),
        (
            "import loyalty_lessons.customers as cs\nx = cs._ORDERS_SQL\n",
            ["line 2: loyalty_lessons.customers._ORDERS_SQL"],
        ),
        (
            "import loyalty_lessons\nloyalty_lessons.monitoring._cohort_frame\n",
            ["line 2: loyalty_lessons.monitoring._cohort_frame"],
        ),
        (
            "from loyalty_lessons import _read\nfrom loyalty_lessons._read import connect\n_read.read_raw\n",
            [],
        ),
        ("from loyalty_lessons.orders import scan\nscan._private\nfrom pandas import _libs\n", []),
    ],
    ids=["from-import", "relative-alias", "module-alias", "dotted", "private-module", "outside"],
)
def test_the_private_name_check_itself(source, expected):
    assert private_uses("loyalty_lessons.aggregates", source) == expected


def test_the_drawing_check_itself():
    source = "import numpy\nimport matplotlib.pyplot as plt\nfrom ipywidgets import VBox\n"
    assert drawing_imports(source) == ["line 2: matplotlib.pyplot", "line 3: ipywidgets"]
