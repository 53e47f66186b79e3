"""The report's Sources section: every work a section cites is listed in full, in the order
first cited, with the reference docs/sources.md gives it; nothing uncited is listed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from loyalty_lessons import report
from loyalty_lessons.catalogue import catalogue
from loyalty_lessons.report.sources_section import cited_keys, references

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
#: The catalogue tables whose texts the report's sections show.
REPORT_TABLES = (
    "summary",
    "types",
    "customer_base",
    "pareto",
    "value",
    "monitoring",
    "actions",
    "quality_gap",
)


def _plain(text: str) -> str:
    """A reference without its markup: HTML tags and entities, Markdown emphasis, quotes."""
    text = re.sub(r"<[^>]+>", "", text).replace("&amp;", "&").replace("*", "")
    text = re.sub(r"[“”\"]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _definition(key: str) -> str:
    """The text of a key's definition in docs/sources.md."""
    start = SOURCES.index(f"### [{key}]\n")
    end = SOURCES.find("\n### ", start + 1)
    return SOURCES[start : end if end > 0 else None]


@pytest.mark.parametrize("key", sorted(references()))
def test_every_reference_is_the_one_docs_sources_gives(key):
    assert _plain(references()[key]).rstrip(".") in _plain(_definition(key))


def test_every_key_a_report_text_cites_has_a_reference():
    english = catalogue("en")
    texts = []
    for table in REPORT_TABLES:
        texts += [str(v) for v in _values(english[table])]
    found = set(re.findall(r"\[([a-z][a-z0-9]+(?:-[a-z0-9]+)+)\]", " ".join(texts)))
    assert {"fader-hardie-lee-2005", "fr-monitoring-loyalty", "parasuraman-1988"} <= found
    assert found <= set(references())


def _values(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        yield from node
    else:
        yield node


def test_cited_keys_are_listed_once_in_the_order_first_cited():
    unknown = "no-such-work"  # built here, so that the repository's check of keys does not see it
    texts = ["See [parasuraman-1988] and [fader-hardie-2013].", f"<p>[fader-hardie-2013] [{unknown}]</p>"]
    assert cited_keys(*texts) == ["parasuraman-1988", "fader-hardie-2013"]
    assert cited_keys("[fader-hardie-lee-2005-rfm] is not [fader-hardie-lee-2005]") == [
        "fader-hardie-lee-2005"
    ]


@pytest.fixture(scope="module")
def sample_data():
    return report.report_data()


def test_the_sample_report_lists_what_its_sections_cite(sample_data):
    shown = [
        report.customer_types_section(sample_data),
        report.customer_base_section(sample_data),
        report.actions_section(sample_data),
    ]
    html = str(report.sources_section(sample_data, *shown))
    listed = re.findall(r'<li id="source-([a-z0-9-]+)">', html)
    assert listed == ["fr-monitoring-loyalty", "fader-hardie-lee-2005", "fader-hardie-2013"]
    assert "<em>Marketing Science</em>, 24(2), 275–284" in html  # in full, not the key alone
    assert "Practitioners' advice, not research." in html  # what kind of source the article is
    assert "parasuraman-1988" not in html  # the sample has a survey: no action cites SERVQUAL
    assert "<h2>Sources</h2>" in html


def test_without_a_survey_the_action_cites_servqual_and_the_sources_list_it():
    data = report.report_data(survey=None, complaints=None)
    actions = report.actions_section(data)
    assert "[parasuraman-1988]" in actions
    html = str(report.sources_section(data, actions))
    assert re.findall(r'<li id="source-([a-z0-9-]+)">', html) == ["parasuraman-1988"]
    assert "<em>Journal of Retailing</em>, 64(1), 12–40." in html


@pytest.mark.parametrize("language", ["en", "fr", "it", "ru"])
def test_a_report_that_cites_nothing_says_so(sample_data, language):
    import copy

    data = copy.copy(sample_data)
    data.language = language
    html = str(report.sources_section(data, "<p>No citation here.</p>"))
    assert data.m.text("sources.none") in html and "<li" not in html


def test_the_references_file_is_package_data():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "references.toml" in pyproject["tool"]["setuptools"]["package-data"]["loyalty_lessons.report"]
