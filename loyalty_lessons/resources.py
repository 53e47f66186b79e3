"""The notebooks installed with the package: the lessons, the report's and the workshop's.

The repository keeps them in ``notebooks/``, where a reader looks for them; ``pyproject.toml``
installs that folder inside the package as ``loyalty_lessons.notebooks``, so that the report,
the workshop and ``loyalty-lessons lessons DIR`` find them through ``importlib.resources``
wherever the package is installed, from a wheel or from a checkout (``pip install -e .``).

Example
-------
>>> [path.name for path in lessons()][:2]
['00-start-here.ipynb', '01-quality-gap.ipynb']
>>> notebook_path(REPORT_NOTEBOOK).name
'client-report.ipynb'
"""

from __future__ import annotations

import os
import shutil
from importlib.resources import files
from pathlib import Path

from loyalty_lessons.errors import LoyaltyDataError

__all__ = [
    "REPORT_NOTEBOOK",
    "copy_lessons",
    "exercise_notebooks",
    "kernel_environment",
    "lesson_copies",
    "lesson_languages",
    "lessons",
    "notebook_path",
    "notebooks_folder",
    "workshop_folder",
    "workshop_notebooks",
]

#: The client report's notebook, in :func:`notebooks_folder`.
REPORT_NOTEBOOK = "client-report.ipynb"

_PACKAGE = "loyalty_lessons.notebooks"
_LESSONS = "[0-9][0-9]-*.ipynb"
_WORKSHOP = "workshop"
_EXERCISES = "exercises"


def kernel_environment() -> dict[str, str]:
    """The environment the package's notebooks run their kernels with (the report's, the
    workshop's pages): this process's, with one BLAS thread, NumPy's arrays in ordinary pages
    and Arrow's memory from the system allocator unless told otherwise.

    The report's numerical work is many small vector operations (the model fits' optimiser
    steps, of four parameters), for which OpenBLAS's threads only wait for each other: on a
    machine busy with other work they make the fits several times slower. And NumPy asks Linux
    for huge pages for every array of 4 MB or more (``madvise``), which makes the kernel compact
    memory on the first touch of each of the report's many short-lived million-row arrays:
    without it, the 10 M-row report spends 2 s less in the system (docs/performance.md).
    Arrow's default allocator (mimalloc) hands the pages of freed buffers back to Linux soon
    after, so that the report's next million-row column faults them in afresh; with the
    system's allocator the set-up cell spends about 2 s less in the system. Mimalloc also keeps
    about 33 MB of its own in every kernel that has read a file, even the sample business's:
    a workshop page's kernel holds 229 MB instead of 262 (docs/workshop.md).
    """
    return {
        "OPENBLAS_NUM_THREADS": "1",
        "NUMPY_MADVISE_HUGEPAGE": "0",
        "ARROW_DEFAULT_MEMORY_POOL": "system",
        **os.environ,
    }


def notebooks_folder() -> Path:
    """The folder of the installed notebooks (``notebooks/`` of the repository).

    Returns
    -------
    Path
        ``loyalty_lessons/notebooks`` of an installed wheel, or the checkout's ``notebooks/``
        for an editable install. A checkout put on ``sys.path`` without being installed
        (``PYTHONPATH``) has no ``loyalty_lessons.notebooks``: its ``notebooks/`` folder,
        beside the package folder, is used instead.
    """
    try:
        folder = files(_PACKAGE)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[1] / "notebooks"
    return Path(str(folder))  # wheels are always installed unzipped: a folder on disk


def _notebooks(folder: Path, pattern: str) -> list[Path]:
    return sorted(path for path in folder.glob(pattern) if path.is_file())


def notebook_path(name: str) -> Path:
    """An installed notebook, by its path in ``notebooks/``.

    Parameters
    ----------
    name : str
        E.g. ``"client-report.ipynb"``, ``"03-the-80-20-rule.ipynb"`` or
        ``"workshop/index.ipynb"``.

    Returns
    -------
    Path
        The notebook's file.

    Raises
    ------
    LoyaltyDataError
        If there is no such notebook; the message lists the installed ones.
    """
    folder = notebooks_folder()
    path = folder / name
    if not path.is_file():
        installed = [
            p.relative_to(folder).as_posix()
            for p in _notebooks(folder, "**/*.ipynb")
            if not any(part.startswith(".") for part in p.relative_to(folder).parts)
        ]
        raise LoyaltyDataError(
            f"The notebook {name!r} is not installed in {folder} (installed: "
            f"{', '.join(installed) or 'none'}). Reinstall loyalty-lessons (pip install "
            "loyalty-lessons, or pip install -e . in a checkout of the repository)."
        )
    return path


def lesson_languages() -> list[str]:
    """The languages the lessons are written in: ``"en"`` (``notebooks/``) and each language
    with a folder of translated lessons (``notebooks/fr/``...), e.g. ``['en', 'fr', 'it', 'ru']``."""
    folder = notebooks_folder()
    translated = [p.name for p in folder.iterdir() if p.is_dir() and _notebooks(p, _LESSONS)]
    return ["en", *sorted(translated)]


def _lessons_folder(language: str) -> Path:
    """The folder of the lessons in ``language`` (a :class:`LoyaltyDataError` if there are none)."""
    if language not in lesson_languages():
        raise LoyaltyDataError(
            f"There are no lessons in language {language!r}; available: {', '.join(lesson_languages())}."
        )
    return notebooks_folder() if language == "en" else notebooks_folder() / language


def lessons(language: str = "en") -> list[Path]:
    """The lessons (``NN-title.ipynb``) in ``language``, in reading order."""
    return _notebooks(_lessons_folder(language), _LESSONS)


def exercise_notebooks(language: str = "en") -> list[Path]:
    """The exercise notebooks (``exercises/`` beside the lessons) in ``language``, in name
    order; empty when there are none."""
    return _notebooks(_lessons_folder(language) / _EXERCISES, "*.ipynb")


def workshop_folder() -> Path:
    """The folder of the workshop's pages, which Voilà serves (``notebooks/workshop/``)."""
    return notebooks_folder() / _WORKSHOP


def workshop_notebooks() -> list[Path]:
    """The workshop's pages (its index and one notebook per subject), in name order."""
    return _notebooks(workshop_folder(), "*.ipynb")


def lesson_copies(destination: str | Path, language: str = "en") -> dict[Path, Path]:
    """What :func:`copy_lessons` writes: each file in ``destination`` -> the notebook it copies.

    Parameters
    ----------
    destination : str or Path
        The student's folder. The lessons go in it, the exercise notebooks (if any) in its
        ``exercises/`` folder.
    language : str, default "en"
        The language of the lessons (:func:`lesson_languages`).

    Returns
    -------
    dict of Path to Path
        Target file -> installed notebook, lessons first.
    """
    destination = Path(destination)
    copies = {destination / lesson.name: lesson for lesson in lessons(language)}
    copies.update(
        {destination / _EXERCISES / notebook.name: notebook for notebook in exercise_notebooks(language)}
    )
    return copies


def copy_lessons(destination: str | Path, *, force: bool = False, language: str = "en") -> list[Path]:
    """Copy the lessons (and the exercise notebooks, if any) into a student's folder.

    The lessons read the sample business through the package, so the copies run from any
    folder. Other files in ``destination`` are left alone.

    Parameters
    ----------
    destination : str or Path
        Folder to copy into; created (with its parents) if missing.
    force : bool, default False
        Overwrite notebooks of the same names already in ``destination``.
    language : str, default "en"
        The language of the lessons (:func:`lesson_languages`): ``"fr"`` copies
        ``notebooks/fr/``, whose lessons show their texts in French.

    Returns
    -------
    list of Path
        The files written, as :func:`lesson_copies` orders them.

    Raises
    ------
    LoyaltyDataError
        If ``destination`` is a file, or (without ``force``) if any of the notebooks is already
        there; nothing is copied then.
    """
    destination = Path(destination)
    if destination.exists() and not destination.is_dir():
        raise LoyaltyDataError(f"{destination} is a file; give a folder to copy the lessons into.")
    copies = lesson_copies(destination, language)
    existing = [target for target in copies if target.exists()]
    if existing and not force:
        names = ", ".join(target.relative_to(destination).as_posix() for target in existing)
        raise LoyaltyDataError(
            f"{destination} already holds {names}; nothing was copied. Pass "
            "force=True to overwrite them, or choose another folder."
        )
    for target, source in copies.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return list(copies)
