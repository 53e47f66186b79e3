"""environment.yml (conda) and pyproject.toml (pip) must list the same dependencies."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI's.
CONDA_NAMES = {"python-duckdb": "duckdb", "python-build": "build"}
#: What conda installs that pip cannot: Java, for the Spark engine.
CONDA_ONLY = {"openjdk"}


def _name_and_bound(spec: str) -> tuple[str, str]:
    name, bound = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return CONDA_NAMES.get(name.lower(), name.lower()), bound.replace(" ", "")


def test_conda_and_pip_list_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = dict(map(_name_and_bound, project["dependencies"] + project["optional-dependencies"]["test"]))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda = dict(
        _name_and_bound(d) for d in env if isinstance(d, str) and not d.startswith(("python>", "pip"))
    )
    conda = {name: bound for name, bound in conda.items() if name not in CONDA_ONLY}
    assert conda == pip
    pip_section = next(d["pip"] for d in env if isinstance(d, dict))
    assert "-e ." in pip_section, "the package itself is installed from the pip section"
