"""The translated lessons and exercises (``notebooks/<lang>/``) are the English ones in the language.

``tools/translate_notebooks.py`` rebuilds each translation from its English notebook; these
tests check what a rebuilt, stored translation must be: there is one for every English lesson
and exercise notebook, its code is the English code (the parameters cell says the language),
its markdown is written in the language and renders (no ``$``), and what its code showed
when it was stored (``tools/store_outputs.py``) holds no English sentence. (``make test`` also
re-runs the translations with nbval and compares their stored outputs.)
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LANGUAGES = ("fr", "it", "ru")
ENGLISH = [
    p.relative_to(NOTEBOOKS)
    for p in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    + sorted((NOTEBOOKS / "exercises").glob("[0-9][0-9]-*-exercises.ipynb"))
]
PAIRS = [(language, relative) for language in LANGUAGES for relative in ENGLISH]
PAIR_IDS = [f"{language}/{relative.stem}" for language, relative in PAIRS]
#: English words that French, Italian and Russian do not write (not "a", "in", "or", "on",
#: "but", "an", which are French or Italian words too): a sentence with two of them, or with
#: one among four words or more, is English.
FUNCTION_WORDS = {
    "the", "and", "of", "to", "is", "are", "was", "were", "be", "been", "with", "for", "from",
    "than", "this", "that", "these", "those", "which", "who", "have", "has", "had", "their",
    "they", "not", "will", "would", "can", "each", "into", "its", "it", "by", "at", "more",
    "there", "what", "when", "where", "how", "your", "you", "we", "our",
}  # fmt: skip
#: Names and keys a title may keep as they are in every language.
NAMES = {"servqual", "nps", "rfm", "bg", "nbd", "gini", "pareto", "clv", "kpi", "kpis", "vip", "gamma"}


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _translation(language: str, relative: Path):
    path = NOTEBOOKS / language / relative
    if not path.exists():
        pytest.skip(f"no {language}/{relative} (test_every_notebook_has_its_translation says so)")
    return _read(path)


def _is_parameters(cell) -> bool:
    return "parameters" in cell.metadata.get("tags", [])


def _words(text: str) -> list[str]:
    """The words of ``text``, leaving aside code identifiers (``share_unmet``) and numbers."""
    return [w.lower() for w in re.findall(r"[\w’']+", text) if not re.search(r"[\d_]", w)]


def english_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that read as English, by their common English words.

    Examples
    --------
    >>> english_sentences("Les clients fidèles achètent plus. Customers who buy more are loyal.")
    ['Customers who buy more are loyal']
    >>> english_sentences("Hire the right people\\nУровень удержания: 80 %")
    ['Hire the right people']
    """
    found = []
    for sentence in re.split(r"[\n.!?;:•]+", text):
        words = _words(sentence)
        common = FUNCTION_WORDS.intersection(words)
        if len(common) >= 2 or (common and len(words) >= 4):
            found.append(sentence.strip())
    return found


class _Visible(HTMLParser):
    """The text a reader sees in an HTML output, one line per element."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("style", "script")
        self.parts.append("\n")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("style", "script")
        self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(nb) -> str:
    """What a reader sees of the stored outputs of ``nb`` (not its pictures)."""
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                texts.append(output.text)
            elif output.output_type == "error":
                texts.append(f"{output.ename}: {output.evalue}")
            else:
                data = output.get("data", {})
                if "text/markdown" in data:
                    texts.append(data["text/markdown"])
                elif "text/html" in data:
                    parser = _Visible()
                    parser.feed(data["text/html"])
                    texts.append("".join(parser.parts))
                elif "text/plain" in data and "image/png" not in data:
                    texts.append(data["text/plain"])
    return "\n".join(texts)


def _only_names(source: str) -> bool:
    """A one-line title of names and keys ("## SERVQUAL", "# [it-loyalty-steps]")."""
    text = re.sub(r"\[[a-z0-9-]+\]|`[^`]*`|\([^)]*\)", " ", source.strip())
    return "\n" not in source.strip() and set(_words(text)) <= NAMES


# ---------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_notebook_has_its_translation(language):
    assert [str(r) for r in ENGLISH if not (NOTEBOOKS / language / r).exists()] == []


@pytest.mark.parametrize(("language", "relative"), PAIRS, ids=PAIR_IDS)
def test_the_code_is_the_english_code(language, relative):
    english, translated = _read(NOTEBOOKS / relative), _translation(language, relative)
    code = [(c.id, c.source, _is_parameters(c)) for c in english.cells if c.cell_type == "code"]
    theirs = [(c.id, c.source, _is_parameters(c)) for c in translated.cells if c.cell_type == "code"]
    assert [i for i, _, _ in theirs] == [i for i, _, _ in code]
    for (cell_id, source, parameters), (_, their_source, _) in zip(code, theirs, strict=True):
        if parameters:
            assert their_source == source.replace('language = "en"', f'language = "{language}"'), cell_id
        else:
            assert their_source == source, cell_id


@pytest.mark.parametrize(("language", "relative"), PAIRS, ids=PAIR_IDS)
def test_every_markdown_cell_is_written_in_the_language(language, relative):
    english = {c.id: c.source for c in _read(NOTEBOOKS / relative).cells if c.cell_type == "markdown"}
    translated = {c.id: c.source for c in _translation(language, relative).cells if c.cell_type == "markdown"}
    assert [i for i in english if i not in translated] == []
    left = [i for i, text in english.items() if translated[i].strip() == text.strip()]
    left = [i for i in left if not _only_names(english[i])]
    assert left == []


@pytest.mark.parametrize(("language", "relative"), PAIRS, ids=PAIR_IDS)
def test_the_markdown_has_no_dollar_sign_outside_code(language, relative):
    found = []
    for cell in _translation(language, relative).cells:
        if cell.cell_type == "markdown":
            text = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", cell.source, flags=re.S))
            found += [m.group(0) for m in re.finditer(r".{0,30}\$.{0,30}", text)]
    assert found == []


@pytest.mark.parametrize(("language", "relative"), PAIRS, ids=PAIR_IDS)
def test_the_stored_outputs_hold_no_english_sentence(language, relative):
    assert english_sentences(visible_text(_translation(language, relative))) == []


@pytest.mark.parametrize("relative", ENGLISH[:8], ids=[r.stem for r in ENGLISH[:8]])
def test_the_english_check_would_see_english(relative):
    """The English lessons' stored outputs are English: the check above can fail."""
    assert english_sentences(visible_text(_read(NOTEBOOKS / relative)))
