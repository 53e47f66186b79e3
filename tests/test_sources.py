"""Sources are cited by readable keys, defined once in docs/sources.md.

The file names of the source articles (``NNN_<16 hex digits>.txt``) appear in docs/sources.md
alone: anywhere else, a citation by file name, by its bare hash or as "seed NNN" is an error.
Every ``[key]`` used in the repository must be defined in docs/sources.md.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "docs" / "sources.md"
#: Folders that are not the repository's own text: environments, build output, caches, git.
NOT_SOURCES = {
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "reports",
    "bench-data",
    "screenshots",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    ".ruff_cache",
}
#: Text files of the repository; the sample CSVs hold generated ids, not prose.
SUFFIXES = {
    ".py",
    ".md",
    ".ipynb",
    ".toml",
    ".txt",
    ".cfg",
    ".yml",
    ".yaml",
    ".json",
    ".j2",
    ".html",
    ".css",
    ".sh",
    "",
}

SEED_FILE = re.compile(r"\b\d{3}_([0-9a-f]{16})(?:\.txt)?\b")
SEED_NUMBER = re.compile(r"\bseeds? \d{3}\b", re.IGNORECASE)
#: A citation key: lower-case words and numbers joined by hyphens, the first word at least two
#: letters, e.g. [fr-loyalty-value], [parasuraman-1988]. Not a Markdown link text ([text](url))
#: nor the code of a ``# type: ignore[union-attr]`` comment.
KEY = re.compile(r"(?<!ignore)\[([a-z][a-z0-9]+(?:-[a-z0-9]{2,})+)\](?!\()")
#: A table header of a TOML file (pyproject.toml's build-system table, for one).
TOML_TABLE = re.compile(r"^\s*\[[^\]]*\]\s*(#.*)?$", re.MULTILINE)
DEFINITION = re.compile(r"^### \[([a-z0-9-]+)\]$", re.MULTILINE)


def _repository_files() -> list[Path]:
    files = []
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if (
            path.is_file()
            and path.suffix in SUFFIXES
            and path != SOURCES
            and not any(part in NOT_SOURCES or part.endswith(".egg-info") for part in parts)
        ):
            files.append(path)
    return files


FILES = _repository_files()
SOURCES_TEXT = SOURCES.read_text(encoding="utf-8")
DEFINED = DEFINITION.findall(SOURCES_TEXT)
#: The hashes of the source articles' file names, as docs/sources.md gives them.
HASHES = set(SEED_FILE.findall(SOURCES_TEXT))


def _hits(pattern: re.Pattern) -> list[str]:
    hits = []
    for path in FILES:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    return hits


def test_docs_sources_defines_each_key_once_and_names_each_source_article():
    assert len(DEFINED) == len(set(DEFINED)), "a key is defined twice"
    articles = [key for key in DEFINED if re.match(r"(it|fr|ru|de|es|en)-", key)]
    assert len(articles) == len(HASHES) == 5
    for key in articles:  # each article's entry gives its file name
        entry = SOURCES_TEXT.split(f"### [{key}]", 1)[1].split("\n### ", 1)[0]
        assert SEED_FILE.search(entry), key


def test_the_repository_cites_the_source_articles_by_key_not_by_file_name():
    bare = re.compile("|".join(sorted(HASHES)) or r"(?!)")
    hits = _hits(SEED_FILE) + _hits(bare) + _hits(SEED_NUMBER)
    listing = "\n".join(sorted(set(hits)))
    assert hits == [], f"cite the source articles by their key of docs/sources.md:\n{listing}"


@pytest.mark.parametrize(
    "text, keys",
    [
        ("as [fr-loyalty-value] shows, and [parasuraman-1988]", ["fr-loyalty-value", "parasuraman-1988"]),
        ("- [it-customer-care]: the three components", ["it-customer-care"]),
        ('see [the docs](docs/sources.md), [0-9][0-9]-*.ipynb, x["a-b"], [a-z], [q1]', []),
        ("x = f()  # type: ignore[union-attr]", []),
    ],
    ids=["prose", "list-item", "not-keys", "type-ignore"],
)
def test_what_counts_as_a_key(text, keys):
    assert KEY.findall(text) == keys


def _keys(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".toml":
        text = TOML_TABLE.sub("", text)
    return KEY.findall(text)


def test_every_key_used_is_defined_in_docs_sources():
    used = {}
    for path in FILES:
        for key in _keys(path):
            used.setdefault(key, path.relative_to(ROOT).as_posix())
    undefined = {key: where for key, where in used.items() if key not in DEFINED}
    assert undefined == {}, "define these keys in docs/sources.md (key: first file using it)"
