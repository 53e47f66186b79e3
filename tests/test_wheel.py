"""The package as a ``pip install`` user gets it: the wheel, installed away from the checkout.

``test_the_installed_wheel_runs_the_report_and_copies_the_lessons`` builds the wheel from a
copy of the source tree (setuptools keeps ``build/lib`` between builds, so a build in the
checkout could ship a module deleted since), installs it into a fresh virtual environment
under ``tmp_path``, and runs the command from a folder outside the checkout.

The new environment does not download the package's dependencies (minutes of network): a
``.pth`` file puts the site-packages of the environment running the tests after its own, so
that it imports pandas, Jupyter and the rest from there (and ``JUPYTER_PATH`` their data
files: nbconvert's templates, the kernel spec), and ``loyalty_lessons`` from the wheel, which
the test checks. The other tests here read ``pyproject.toml`` alone, so that a
package or data file left out of the wheel is named without building anything.
"""

import json
import os
import shutil
import site
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
#: What a copy of the checkout leaves out: environments, build output, caches, git.
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "reports",
    "bench-data",
    "screenshots",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
)


def _package_dir(package: str) -> Path:
    """The folder of the checkout that ``package`` is built from (``[tool.setuptools.package-dir]``)."""
    mapped = SETUPTOOLS.get("package-dir", {})
    parts = package.split(".")
    for n in range(len(parts), 0, -1):
        parent = ".".join(parts[:n])
        if parent in mapped:
            return ROOT / mapped[parent] / Path(*parts[n:])
    return ROOT / Path(*parts)


def _visible_files(folder: Path, *, skip: set[Path]) -> set[Path]:
    """Files under ``folder``, outside the ``skip`` folders and hidden or cache folders."""
    found = set()
    for path in folder.rglob("*"):
        inside = path.relative_to(folder).parts
        if (
            path.is_file()
            and not any(part.startswith(".") or part == "__pycache__" for part in inside)
            and not any(path.is_relative_to(other) for other in skip)
        ):
            found.add(path)
    return found


def test_every_package_of_the_source_tree_is_declared():
    declared = set(SETUPTOOLS["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "loyalty_lessons").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk - declared == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"
    assert all((_package_dir(package) / "__init__.py").is_file() for package in declared)


def test_every_data_file_of_a_package_is_in_package_data():
    """A file beside the modules that package-data does not list would be missing from the wheel."""
    packages = SETUPTOOLS["packages"]
    folders = {package: _package_dir(package) for package in packages}
    missing = []
    for package, folder in folders.items():
        subpackages = {
            inner for inner in folders.values() if inner != folder and inner.is_relative_to(folder)
        }
        data = {path for path in _visible_files(folder, skip=subpackages) if path.suffix != ".py"}
        patterns = SETUPTOOLS.get("package-data", {}).get(package, [])
        listed = {path for pattern in patterns for path in folder.glob(pattern)}
        missing += [f"{package}: {path.relative_to(folder).as_posix()}" for path in sorted(data - listed)]
    assert missing == [], "add these files to [tool.setuptools.package-data] in pyproject.toml"


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    run = subprocess.run([str(part) for part in command], capture_output=True, text=True, **kwargs)
    assert run.returncode == 0, f"{' '.join(map(str, command))} failed:\n{run.stdout}\n{run.stderr}"
    return run


@pytest.mark.wheel
def test_the_installed_wheel_runs_the_report_and_copies_the_lessons(tmp_path):
    source, dist, env_dir, work = (tmp_path / name for name in ("source", "dist", "env", "work"))
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", dist, source])
    wheel = next(dist.glob("loyalty_lessons-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    lessons = sorted(path.name for path in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert {
        f"loyalty_lessons/notebooks/{name}"
        for name in ["client-report.ipynb", "workshop/index.ipynb", *lessons]
    } <= names
    assert {"loyalty_lessons/messages/en.toml", "loyalty_lessons/sample_data/transactions.csv"} <= names

    _run([sys.executable, "-m", "venv", "--without-pip", env_dir])
    python = env_dir / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", python]
    _run([*pip, "install", "--no-deps", "--no-index", "--quiet", wheel])
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    own_site = Path(purelib.stdout.strip())
    (own_site / "_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    work.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "PYTHONHOME"}}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(env_dir)
    # The dependencies' data files (nbconvert's templates, the kernel spec) stay where they
    # were installed, as their modules do.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    code = "import loyalty_lessons.resources as r; print(r.__file__); print(r.notebooks_folder())"
    where = _run([python, "-c", code], cwd=work, env=env).stdout.split()
    assert all(Path(path).is_relative_to(own_site) for path in where), where

    command = env_dir / "bin" / "loyalty-lessons"
    run = _run([command, "report", "--sample", "--output", "report"], cwd=work, env=env)
    assert "Report written to report" in run.stdout
    html = (work / "report" / "report.html").read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert json.loads((work / "report" / "figures.json").read_text(encoding="utf-8"))

    run = _run([command, "lessons", "lessons"], cwd=work, env=env)
    assert sorted(path.name for path in (work / "lessons").glob("*.ipynb")) == lessons
    assert "jupyter lab lessons" in run.stdout
