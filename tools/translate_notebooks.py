"""Rebuild the translated lessons from the English ones: ``python tools/translate_notebooks.py LANG...``.

A translation of ``notebooks/X.ipynb`` is ``notebooks/<lang>/X.ipynb`` (and of
``notebooks/exercises/X.ipynb``, ``notebooks/<lang>/exercises/X.ipynb``): a copy of the English
notebook whose markdown cells a translator has written in the language, keeping each cell's
id. This tool rebuilds each translation from the English notebook, so that the languages
cannot drift apart:

- the English cells, in their order, with their ids and metadata;
- each markdown cell's text (and attachments) from the translation's cell of the same id; an
  English markdown cell the translation does not have is an error that lists the ids;
- each code cell copied from English, but the cell tagged ``parameters`` says
  ``language = "<lang>"``;
- no outputs (``tools/store_outputs.py`` stores them afterwards).

The translated notebooks are one folder deeper than the English ones: a relative link to a
file that the translation has no copy of (``../docs/sources.md``, ``../client-report.ipynb``)
is rewritten to point at the same file from there; a link to a translated notebook
(``exercises/01-quality-gap-exercises.ipynb``) stays. Rebuilding twice gives the same file.
"""

from __future__ import annotations

import copy
import os
import re
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: The languages a translation folder may be made for (the catalogues' languages but English).
LANGUAGES = ("fr", "it", "ru")
#: The parameters line that chooses the language (the English lessons say "en").
LANGUAGE_LINE = re.compile(r'^language = "\w+"(?P<comment>.*)$', re.MULTILINE)
#: Relative links in markdown: [text](target), ![alt](target), href="target", src="target".
LINK = re.compile(r'(?P<head>\]\(|(?:href|src)=")(?P<target>[^)"\s#]+)')


class TranslationError(ValueError):
    """A translation that cannot be rebuilt (a missing cell, no parameters cell)."""


def english_notebooks() -> list[Path]:
    """Every English lesson and exercise notebook, relative to ``notebooks/``."""
    lessons = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    exercises = sorted((NOTEBOOKS / "exercises").glob("[0-9][0-9]-*-exercises.ipynb"))
    return [p.relative_to(NOTEBOOKS) for p in lessons + exercises]


def _is_relative(target: str) -> bool:
    return not re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", target, re.IGNORECASE)


def relink(markdown: str, english_folder: Path, translated_folder: Path) -> str:
    """``markdown`` with its relative links working from ``translated_folder``.

    A link that already leads to a file from there stays; one that leads to a file from
    ``english_folder`` (where the text was written) is rewritten to that file.
    """

    translated_set = {(NOTEBOOKS / p).resolve() for p in english_notebooks()}

    def fix(match: re.Match) -> str:
        target = match["target"]
        if not _is_relative(target) or (english_folder / target).resolve() in translated_set:
            return match[0]  # a lesson or exercise notebook: its translation is at the same place
        if (translated_folder / target).exists():
            return match[0]
        original = english_folder / target
        if not original.exists():
            return match[0]
        moved = Path(os.path.relpath(original.resolve(), translated_folder.resolve())).as_posix()
        return match["head"] + moved

    return LINK.sub(fix, markdown)


def set_language(source: str, language: str) -> str:
    """The parameters cell's ``source`` with ``language = "<language>"``."""
    if not LANGUAGE_LINE.search(source):
        raise TranslationError('its parameters cell has no line language = "en"')
    return LANGUAGE_LINE.sub(lambda m: f'language = "{language}"{m["comment"]}', source)


def rebuild(english_path: Path, translated_path: Path, language: str) -> nbformat.NotebookNode:
    """The translation of ``english_path`` rebuilt from it and the markdown of ``translated_path``.

    Raises
    ------
    TranslationError
        If the translation lacks a markdown cell of the English one (the message lists the
        ids), or the English notebook has no parameters cell with a language line.
    """
    english = nbformat.read(english_path, as_version=4)
    translated = nbformat.read(translated_path, as_version=4)
    markdown = {cell.get("id"): cell for cell in translated.cells if cell.cell_type == "markdown"}
    missing = [c.id for c in english.cells if c.cell_type == "markdown" and c.id not in markdown]
    if missing:
        raise TranslationError(f"{translated_path}: no translated markdown cell with id {', '.join(missing)}")
    rebuilt = copy.deepcopy(english)
    has_parameters = False
    for cell in rebuilt.cells:
        if cell.cell_type == "markdown":
            source = markdown[cell.id]
            cell.source = relink(source.source, english_path.parent, translated_path.parent)
            if source.get("attachments"):
                cell.attachments = copy.deepcopy(source.attachments)
        elif cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if "parameters" in cell.metadata.get("tags", []):
                try:
                    cell.source = set_language(cell.source, language)
                except TranslationError as error:
                    raise TranslationError(f"{english_path}: {error}") from None
                has_parameters = True
    if not has_parameters:
        raise TranslationError(f"{english_path}: no cell tagged parameters")
    rebuilt.metadata.pop("widgets", None)
    return rebuilt


def translate(language: str) -> list[str]:
    """Rebuild every translation of ``language`` that exists; what went wrong, one line each."""
    problems = []
    for relative in english_notebooks():
        target = NOTEBOOKS / language / relative
        if not target.exists():
            problems.append(f"{language}/{relative}: no translation yet")
            continue
        try:
            rebuilt = rebuild(NOTEBOOKS / relative, target, language)
        except TranslationError as error:
            problems.append(str(error))
            continue
        nbformat.write(rebuilt, target)
        print(f"{language}/{relative}: rebuilt")
    return problems


def main(argv: list[str]) -> int:
    if not argv or any(lang not in LANGUAGES for lang in argv):
        print(f"usage: translate_notebooks.py LANG... (LANG among {', '.join(LANGUAGES)})", file=sys.stderr)
        return 2
    problems = [problem for language in argv for problem in translate(language)]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
