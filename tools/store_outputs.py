"""Run the lessons on the sample business and store their outputs (``make notebooks``).

``python tools/store_outputs.py [NOTEBOOK ...]`` (default: every lesson ``notebooks/NN-*.ipynb``
and every exercise notebook ``notebooks/exercises/NN-*-exercises.ipynb``, in English and in
each translation ``notebooks/<lang>/``; a bare lesson name such as ``03-the-80-20-rule``,
``exercises/03-the-80-20-rule-exercises`` or ``fr/03-the-80-20-rule`` is looked up there;
``--language fr`` stores a language's lessons and exercises alone, ``--language en`` the English ones)
executes each notebook top to bottom in its folder, then keeps, for each explorer, its
static chart and sentence and drops the live-widget view: without a kernel and saved
widget state (a code host, nbconvert) that view renders as nothing, while a live kernel
produces it afresh anyway.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def static_outputs(nb) -> int:
    """Drop widget views from outputs that also carry a picture; return how many."""
    dropped = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "image/png" in data:
                del data[WIDGET_VIEW]
                dropped += 1
    nb.metadata.pop("widgets", None)
    return dropped


def installed_kernelspec() -> dict:
    """The kernel spec JupyterLab writes into a notebook it opens with the installed kernel.

    A lesson stored with another one (e.g. display name "Python 3" where ipykernel installs
    "Python 3 (ipykernel)") shows as modified as soon as it is opened, and asks to be saved.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    return {"display_name": spec.display_name, "language": spec.language, "name": "python3"}


def store(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = installed_kernelspec()
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    dropped = static_outputs(nb)
    nbformat.write(nb, path)
    path = path.resolve()
    name = path.relative_to(NOTEBOOKS) if path.is_relative_to(NOTEBOOKS) else path.name
    print(f"{name}: executed, {dropped} explorer(s) stored as a static chart")


def _path(name: str) -> Path:
    """A notebook's file from a path, or from its name in ``notebooks/`` (``.ipynb`` optional)."""
    path = Path(name)
    if path.is_file():
        return path
    return NOTEBOOKS / (name if name.endswith(".ipynb") else f"{name}.ipynb")


def notebooks_of(language: str) -> list[Path]:
    """The lessons and exercise notebooks of ``language``: in ``notebooks/<language>/``,
    or in ``notebooks/`` for English."""
    folder = NOTEBOOKS if language == "en" else NOTEBOOKS / language
    return sorted(folder.glob("[0-9][0-9]-*.ipynb")) + sorted(
        (folder / "exercises").glob("[0-9][0-9]-*-exercises.ipynb")
    )


def translations() -> list[str]:
    """The languages with a folder of translated lessons (``notebooks/fr/`` ...)."""
    return sorted({p.parent.name for p in NOTEBOOKS.glob("[a-z][a-z]/[0-9][0-9]-*.ipynb")} - {"en"})


if __name__ == "__main__":
    args = sys.argv[1:]
    languages = ["en", *translations()]
    if args[:1] == ["--language"] and len(args) >= 2:
        languages, args = [args[1]], args[2:]
    names = args or [str(p) for language in languages for p in notebooks_of(language)]
    for name in names:
        store(_path(name))
