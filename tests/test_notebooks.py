"""Every lesson runs top to bottom, with any exercise left in it answered by its solution.

The exercises live in their own notebooks (``notebooks/exercises/``, tested by
tests/test_exercise_notebooks.py); a lesson that still ends with ``answer = ____`` cells has
each replaced by its exercise's solution and the check asserted. (``make test`` also re-runs
the notebooks as shipped with nbval and compares their stored outputs.)
"""

import importlib
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

LESSONS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))
ANSWER = re.compile(r"^(?P<var>\w+) = ____.*\n(?P<q>q\d+)\.check\(\)\s*$")
IMPORT = re.compile(r"from (loyalty_lessons\.exercises\.\w+) import ([\w, ]+)")


def _exercises(nb) -> dict:
    found = {}
    for cell in nb.cells:
        for module, names in IMPORT.findall(cell.source if cell.cell_type == "code" else ""):
            mod = importlib.import_module(module)
            found.update({n.strip(): getattr(mod, n.strip()) for n in names.split(",")})
    return found


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_with_solutions_passes_every_check(path):
    nb = nbformat.read(path, as_version=4)
    exercises = _exercises(nb)
    answered = 0
    for cell in nb.cells:
        match = ANSWER.match(cell.source) if cell.cell_type == "code" else None
        if match:
            exercise = exercises[match["q"]]
            assert exercise.variable == match["var"], f"{match['q']} checks `{exercise.variable}`"
            cell.source = (
                f"{exercise.solution_code}\n_feedback = {match['q']}.check()\nassert _feedback, _feedback"
            )
            answered += 1
    book = path.parent / "exercises" / f"{path.stem}-exercises.ipynb"
    if book.exists():
        # Its questions are in the exercise notebook (tests/test_exercise_notebooks.py runs it,
        # nbval runs the lesson): the lesson asks none whose answer it printed above.
        assert answered == 0, f"{path.name} asks questions whose answers it prints above them"
        assert any(f"exercises/{book.name}" in c.source for c in nb.cells if c.cell_type == "markdown")
        return
    assert answered >= 2, f"{path.name} should end with two or three exercises"
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_parameters_cell_holds_only_literals(path):
    import ast

    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "one cell tagged 'parameters'"
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign), ast.dump(node)
        ast.literal_eval(node.value)  # raises on anything but a literal


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_stored_explorers_show_a_static_chart_without_a_kernel(path):
    """On a code host or in nbconvert a widget view with no saved state renders as nothing;
    an explorer's stored output must be its chart and sentence (``make notebooks``)."""
    nb = nbformat.read(path, as_version=4)
    explorer_outputs = [
        output
        for cell in nb.cells
        if cell.cell_type == "code" and "_explorer(" in cell.source
        for output in cell.get("outputs", [])
        if output.get("output_type") in ("display_data", "execute_result")
    ]
    for output in explorer_outputs:
        assert "application/vnd.jupyter.widget-view+json" not in output["data"], "run make notebooks"
        assert {"image/png", "text/plain"} <= set(output["data"])
    if path.stem != "00-start-here":
        assert explorer_outputs, f"{path.name} shows no explorer"


def _parameters(nb) -> set[str]:
    import ast

    cell = next(c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    return {node.targets[0].id for node in ast.parse(cell.source).body}


def _client_files(folder: Path) -> dict[str, Path]:
    """The sample business's three tables written out as a client's files (not "sample")."""
    from loyalty_lessons import load_sample

    sample = load_sample()
    files = {}
    for name in ("transactions", "survey", "complaints"):
        files[name] = folder / f"client-{name}.csv"
        getattr(sample, name).to_csv(files[name], index=False)
    return files


RUNS = [
    (path, name)
    for path in LESSONS
    for name in ("transactions", "survey", "complaints")
    if name in _parameters(nbformat.read(path, as_version=4))
]


@pytest.mark.parametrize("path, name", RUNS, ids=[f"{p.stem}-{n}" for p, n in RUNS])
def test_lesson_runs_with_one_client_file_alone(path, name, tmp_path_factory):
    """papermill with one file given (``-p transactions client.csv``): the lesson runs to the
    end, and where a part needs a table that was not given it says so."""
    import papermill

    folder = tmp_path_factory.mktemp("client")
    files = _client_files(folder)
    out = papermill.execute_notebook(
        str(path),
        str(folder / "out.ipynb"),
        parameters={name: str(files[name])},
        kernel_name="python3",
        cwd=str(path.parent),
        progress_bar=False,
    )
    shown = "\n".join(
        "".join(o.get("data", {}).get("text/markdown", "")) for c in out.cells for o in c.get("outputs", [])
    )
    if name == "transactions":
        missing = [t for t in ("survey", "complaints") if t in _parameters(out)]
        for table in missing:
            assert f"No {table} file was given" in shown, f"{path.name} does not say the {table} is missing"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_is_stored_with_the_installed_kernel_spec(path):
    """Opening a lesson must not mark it modified: its kernel spec is the installed one."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from store_outputs import installed_kernelspec

    assert nbformat.read(path, as_version=4).metadata["kernelspec"] == installed_kernelspec()


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_markdown_has_no_dollar_sign_outside_code(path):
    """JupyterLab reads ``$...$`` (even ``\\$``) as LaTeX and turns the text between into italic
    math: amounts are written "USD 50" or "50 dollars", and ``$`` only inside code."""
    found = []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", cell.source, flags=re.S))
        found += [f"cell {index}: …{m.group(0)}…" for m in re.finditer(r".{0,30}\$.{0,30}", text)]
    assert not found, found
