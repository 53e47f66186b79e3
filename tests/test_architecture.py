"""The package's shape, checked on its source: no module uses another module's private names,
computation modules never draw, every public module says what it holds and lists its names, and
the names the package exports are where it says they are."""

from __future__ import annotations

import ast
import importlib
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
        ("from loyalty_lessons.scan import scan\nscan._private\nfrom pandas import _libs\n", []),
        ("from loyalty_lessons import scan\nscan._private\n", ["line 2: loyalty_lessons.scan._private"]),
    ],
    ids=[
        "from-import",
        "relative-alias",
        "module-alias",
        "dotted",
        "private-module",
        "outside",
        "package-module",
    ],
)
def test_the_private_name_check_itself(source, expected):
    assert private_uses("loyalty_lessons.aggregates", source) == expected


def test_the_drawing_check_itself():
    source = "import numpy\nimport matplotlib.pyplot as plt\nfrom ipywidgets import VBox\n"
    assert drawing_imports(source) == ["line 2: matplotlib.pyplot", "line 3: ipywidgets"]


def _top_level_names(statements: list[ast.stmt]) -> set[str]:
    """The names a module's top level binds: definitions, assignments and imports, also inside
    a top-level ``if`` or ``try``."""
    names: set[str] = set()
    for node in statements:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.If, ast.Try)):
            handlers = [h.body for h in getattr(node, "handlers", [])]
            for body in [node.body, node.orelse, getattr(node, "finalbody", []), *handlers]:
                names |= _top_level_names(body)
    return names


def _literal(tree: ast.Module, name: str):
    """The literal value a module's top level assigns to ``name``, or None."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return None


def public_shape(source: str) -> list[str]:
    """What a public module lacks: a docstring saying what it holds, an ``__all__`` written out
    as a list, names in it that the module does not bind, names listed twice."""
    tree = ast.parse(source)
    problems = [] if ast.get_docstring(tree) else ["no module docstring"]
    try:
        listed = _literal(tree, "__all__")
    except ValueError:
        return [*problems, "__all__ is not a list written out"]
    if listed is None:
        return [*problems, "no __all__"]
    bound = _top_level_names(tree.body)
    problems += [
        f"__all__ names {name!r}, which the module does not define or import"
        for name in listed
        if name not in bound
    ]
    problems += [
        f"__all__ names {name!r} twice" for name in sorted({n for n in listed if list(listed).count(n) > 1})
    ]
    return problems


#: The packages that import their names on first use (PEP 562): their ``__all__`` is built
#: from ``_EXPORTS`` (module -> names), which is checked below.
LAZY_PACKAGES = sorted(
    m for m in MODULES if "lazy_exports(__name__, _EXPORTS" in MODULES[m].read_text(encoding="utf-8")
)
#: Every module but the private ones (``_read``, ``exercises._core``...) and the lazy packages.
PUBLIC = sorted(
    m for m in MODULES if m not in LAZY_PACKAGES and not any(part.startswith("_") for part in m.split("."))
)


@pytest.mark.parametrize("module", PUBLIC)
def test_every_public_module_says_what_it_holds_and_lists_its_names(module):
    problems = public_shape(MODULES[module].read_text(encoding="utf-8"))
    assert not problems, f"{module}: {problems}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"""Doc."""\nfrom x import y\n__all__ = ["f", "y"]\ndef f(): ...\n', []),
        ('"""Doc."""\ntry:\n    import z\nexcept ImportError:\n    z = None\n__all__ = ["z"]\n', []),
        ("__all__ = []\n", ["no module docstring"]),
        ('"""Doc."""\n__all__ = sorted(["f"])\n', ["__all__ is not a list written out"]),
        ('"""Doc."""\ndef f(): ...\n', ["no __all__"]),
        (
            '"""Doc."""\n__all__ = ["f", "g", "f"]\ndef f(): ...\n',
            ["__all__ names 'g', which the module does not define or import", "__all__ names 'f' twice"],
        ),
    ],
    ids=["good", "in-try", "no-docstring", "not-literal", "no-all", "unbound-and-twice"],
)
def test_the_public_shape_check_itself(source, expected):
    assert public_shape(source) == expected


def test_the_lazy_packages_are_the_ones_known():
    assert LAZY_PACKAGES == [
        "loyalty_lessons",
        "loyalty_lessons.plots",
        "loyalty_lessons.widgets",
        "loyalty_lessons.workshop",
    ]


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_the_names_a_lazy_package_exports_are_in_their_modules(package):
    tree = ast.parse(MODULES[package].read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{package} says nothing of what it holds"
    exports = _literal(tree, "_EXPORTS")
    misplaced = {}
    for module, names in exports.items():
        listed = _literal(ast.parse(MODULES[f"{package}.{module}"].read_text(encoding="utf-8")), "__all__")
        missing = [name for name in names if name not in listed]
        if missing:
            misplaced[module] = missing
    assert not misplaced, f"{package} exports names their module does not list: {misplaced}"
    imported = importlib.import_module(package)
    every = [name for names in exports.values() for name in names]
    assert sorted(imported.__all__) == sorted(every) and len(set(every)) == len(every)
