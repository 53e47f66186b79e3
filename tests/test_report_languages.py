"""The client report in every language: complete catalogues, no English left in the page or
in the charts, and the same figures whatever the language.

One command run per language (module fixture ``runs``) and one in-process rendering of every
section per language on a shared sample (``rendered``), so that the checks stay quick.
"""

from __future__ import annotations

import copy
import importlib
import json
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from babel.dates import get_month_names
from babel.numbers import get_currency_symbol
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from loyalty_lessons import report
from loyalty_lessons.catalogue import available_languages, catalogue
from loyalty_lessons.formatting import format_date, format_money, format_percent_share
from loyalty_lessons.plots.texts import ChartTexts, chart_texts

matplotlib.use("Agg")
#: The modules of the report's sections, in report order (the package re-exports a function of
#: the same name as each module).
SECTION_NAMES = (
    "title",
    "summary",
    "data_quality",
    "quality_gap",
    "customer_types",
    "customer_base",
    "pareto",
    "loyalty_value",
    "monitoring",
    "actions",
    "sources",
)
SECTION_MODULES = {
    name: importlib.import_module(f"loyalty_lessons.report.{'summary' if name == 'title' else name}_section")
    for name in SECTION_NAMES
}

TRANSLATIONS = ("fr", "it", "ru")
#: Plural forms a language may add to a table of forms (CLDR: ru has few and many).
PLURAL_FORMS = {"zero", "one", "two", "few", "many", "other"}
#: Messages whose values a language picks from: the code passes them all.
CHOICE_OF_VALUES = {
    "charts.numbers.money": {"sign", "symbol", "bare", "amount"},
    "charts.loyalty_value.title": {"years", "first", "second", "a_first", "a_second", "amount", "more"},
}
#: Names, sources and terms every language writes as they are.
KEPT_AS_IS = {
    "lindenhof", "coffee", "roasters", "loyalty", "lessons", "servqual", "gamma", "nbd", "fader",
    "hardie", "lee", "gallup", "gini", "nps", "vip", "csv", "utf", "json", "excel",
}  # fmt: skip
#: Currencies a client's report may be in, whose symbols Babel writes in the language.
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "RUB")
#: Short English words the catalogue alone would not catch.
COMMON_ENGLISH = {
    "the", "and", "of", "to", "in", "is", "are", "was", "were", "with", "for", "from", "than",
    "more", "less", "per", "not", "no", "yes", "or", "by", "on", "at", "as", "be", "it", "its",
    "this", "that", "these", "those", "who", "what", "which", "customer", "customers", "share",
    "revenue", "purchase", "purchases", "months", "days", "weeks", "year", "years",
}  # fmt: skip


def _flat(node: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in node.items():
        name = f"{prefix}.{key}" if prefix else key
        out.update(_flat(value, name) if isinstance(value, dict) else {name: value})
    return out


def _placeholders(value) -> set[str]:
    texts = value if isinstance(value, list) else [value]
    return {name for text in texts for name in re.findall(r"\{(\w+)\}", text)}


def _plural_form(key: str, english: dict) -> bool:
    """A plural form of a table of forms (whose English has ``one`` and ``other``)."""
    table, _, form = key.rpartition(".")
    return form in PLURAL_FORMS and f"{table}.other" in english


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)}


def _catalogue_words(language: str) -> set[str]:
    """The words of a catalogue's texts (not of their placeholders, tags or `code`, which the
    exercises' texts quote as Python writes it), and the names of months and the currency
    symbols, which Babel writes (French "$US")."""
    text = " ".join(map(str, _flat(catalogue(language)).values()))
    months = [
        *get_month_names("abbreviated", locale=language).values(),
        *get_month_names("wide", locale=language).values(),
        *(get_currency_symbol(code, locale=language) for code in CURRENCIES),
    ]
    return _words(re.sub(r"\{\w+\}|<[^>]+>|`[^`]*`", " ", text)) | _words(" ".join(months))


def _english_words(language: str) -> set[str]:
    """Words of the English catalogue that the language's catalogue does not use, and the
    commonest English words: none of them may be left in that language's report."""
    own = _catalogue_words(language)
    return ((_catalogue_words("en") | COMMON_ENGLISH) - own) - KEPT_AS_IS


# --------------------------------------------------------------------------- catalogues


def test_the_report_has_the_four_languages():
    assert {"en", *TRANSLATIONS} <= set(available_languages())


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_catalogue_has_every_message_with_the_same_placeholders(language):
    english, other = _flat(catalogue("en")), _flat(catalogue(language))
    assert [k for k in english if k not in other] == []
    assert [k for k in other if k not in english and not _plural_form(k, english)] == []
    for key, value in english.items():
        if isinstance(value, list):
            assert len(other[key]) == len(value), key
        if key in CHOICE_OF_VALUES:
            assert _placeholders(other[key]) <= CHOICE_OF_VALUES[key], key
        else:
            assert _placeholders(other[key]) == _placeholders(value), key


def test_plural_forms_follow_the_language():
    years = ChartTexts("loyalty_value", "ru")
    assert [years.plural("years", n, count=n) for n in (1, 3, 5, 21)] == [
        "1 год",
        "3 года",
        "5 лет",
        "21 год",
    ]
    assert ChartTexts("loyalty_value").plural("years", 1, count=1) == "1 year"


@pytest.mark.parametrize(
    ("language", "money", "rubles", "percent", "day"),
    [
        ("fr", "2\u202f500\u202f316,63\xa0€", None, "40,83\xa0%", "30 juin 1998"),
        ("it", "2.500.316,63\xa0€", None, "40,83%", "30 giugno 1998"),
        ("ru", "2\xa0500\xa0316,63\xa0€", "2\xa0500\xa0316,63\xa0₽", "40,83\xa0%", "30 июня 1998 г."),
    ],
    ids=["fr", "it", "ru"],
)
def test_numbers_and_dates_are_written_for_the_language(language, money, rubles, percent, day):
    m = report.Messages(language)
    assert m.money(2500316.63, "EUR", 2) == format_money(2500316.63, "EUR", 2, locale=language) == money
    if rubles:
        assert m.money(2500316.63, "RUB", 2) == rubles
    assert format_percent_share(0.4083, 2, locale=language) == percent
    assert m.date(pd.Timestamp("1998-06-30")) == day
    assert format_date(date(1998, 6, 30), m.raw("format.date"), locale=language) == day


def test_chart_texts_default_to_english_and_take_a_mapping_or_a_language():
    assert chart_texts("quality_gap")("xlabel").startswith("Gap:")
    assert chart_texts("quality_gap", texts={"xlabel": "Écart"})("xlabel") == "Écart"
    assert chart_texts("quality_gap", texts={"xlabel": "Écart"})("fix_first") == "fix first"
    assert chart_texts("quality_gap", "it")("fix_first") == "da correggere subito"


# --------------------------------------------------------------------------- the sections, in process


def _figure_texts(fig) -> list[str]:
    """Every text a figure shows: titles, axis labels, tick labels, legends, annotations."""
    fig.canvas.draw()  # tick labels are made when drawn
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return [t for t in texts if t.strip()]


@pytest.fixture(scope="module")
def sample():
    return report.report_data()


_SECTIONS = tuple(getattr(SECTION_MODULES[name], f"{name}_section") for name in SECTION_NAMES)


@pytest.fixture(scope="module")
def rendered(sample):
    """Per language: the sections' HTML and the texts of every chart they drew."""
    original = report.render.chart
    out = {}
    for language in ("en", *TRANSLATIONS):
        data = copy.copy(sample)  # the analyses computed once are shared
        data.language = language
        drawn: list[str] = []

        def recording(m, draw, size=(8.0, 4.2), drawn=drawn):
            def draw_and_read(fig):
                draw(fig)
                drawn.extend(_figure_texts(fig))

            return original(m, draw_and_read, size)

        with pytest.MonkeyPatch.context() as patch:
            for module in set(SECTION_MODULES.values()):
                if hasattr(module, "chart"):
                    patch.setattr(module, "chart", recording)
            shown = []
            for section in _SECTIONS[:-1]:
                shown.append(str(section(data)))
            shown.append(str(_SECTIONS[-1](data, *shown)))  # the works the others cite
            html = "\n".join(shown)
        out[language] = (html, drawn)
    return out


def _client_values(data) -> set[str]:
    """What the client's files hold (complaint topics, customer ids): shown as they are."""
    words = set()
    if data.complaints is not None:
        words |= _words(" ".join(data.complaints["category"].astype(str).unique()))
    return words


def _visible(html: str) -> str:
    class _Text(HTMLParser):
        """The text a reader sees, but for a cited work's reference, which keeps its own
        language (an English title in a French report)."""

        def __init__(self):
            super().__init__()
            self.parts, self.hidden, self.spans = [], 0, []

        def handle_starttag(self, tag, attrs):
            work = tag == "span" and ("class", "work") in attrs
            if tag == "span":
                self.spans.append(work)
            self.hidden += tag in ("style", "script") or work
            self.parts += [v for k, v in attrs if k in ("alt", "title") and v]

        def handle_endtag(self, tag):
            self.hidden -= tag in ("style", "script") or (tag == "span" and self.spans.pop())

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _english_left(text: str, language: str, data) -> set[str]:
    text = re.sub(r"\[[a-z0-9-]+\]", " ", text)  # citation keys
    text = re.sub(r"\b[\w-]+\.(csv|json|xlsx)\b", " ", text)  # file names
    return (_words(text) - _client_values(data)) & _english_words(language)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_no_english_is_left_in_the_sections(rendered, sample, language):
    html, _ = rendered[language]
    assert _english_left(_visible(html), language, sample) == set()


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_no_english_is_left_in_the_charts(rendered, sample, language):
    _, texts = rendered[language]
    english_texts = rendered["en"][1]
    assert len(texts) == len(english_texts) > 50  # the same charts, each with its texts
    assert _english_left(" ".join(texts), language, sample) == set()


def test_every_language_lists_the_same_works_in_full(rendered):
    listed = {
        language: re.findall(r'<li id="source-([a-z0-9-]+)">', html)
        for language, (html, _) in rendered.items()
    }
    assert listed["en"] == ["fr-monitoring-loyalty", "fader-hardie-lee-2005", "fader-hardie-2013"]
    assert all(keys == listed["en"] for keys in listed.values())
    # A reference keeps its own language; what the report says of it is translated.
    seen = _visible(rendered["ru"][0])
    assert "<em>Marketing Science</em>" in rendered["ru"][0] and "Marketing" not in seen
    assert "Советы практиков, а не исследование." in seen and "Источники" in seen


def test_the_english_check_would_see_english(rendered, sample):
    html, texts = rendered["en"]
    assert {"customers", "revenue"} <= _english_left(_visible(html), "fr", sample)
    assert {"customers", "revenue"} <= _english_left(" ".join(texts), "fr", sample)


def test_cyrillic_charts_use_a_font_that_has_it(rendered):
    font = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.family"]))
    charmap = FT2Font(font).get_charmap()
    assert all(ord(c) in charmap for c in "Разрыв качества")


# --------------------------------------------------------------------------- the command


def _report(language: str, out):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "loyalty_lessons.cli",
            "report",
            "--sample",
            "--language",
            language,
            "--output",
            out,
        ],
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One ``loyalty-lessons report --sample`` per language: its folder."""
    folders = {}
    for language in ("en", *TRANSLATIONS):
        out = tmp_path_factory.mktemp(language) / "report"
        run = _report(language, out)
        assert run.returncode == 0, run.stderr
        folders[language] = out
    return folders


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_the_command_writes_the_report_in_the_language(runs, sample, language):
    page = (runs[language] / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in page
    assert report.Messages(language).raw("headings.data_quality") in page
    assert _english_left(_visible(page), language, sample) == set()


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_figures_json_is_the_same_in_every_language(runs, language):
    def figures(lang):
        found = json.loads((runs[lang] / "figures.json").read_text(encoding="utf-8"))
        # What the report is called and for whom are words; every figure is the same.
        return {k: v for k, v in found.items() if k not in ("language", "client")}

    assert figures(language) == figures("en")


def test_a_cdnow_like_report_in_french_has_no_english(tmp_path, sample):
    """Other data, other sentences (no survey, no complaints, a closed group of customers)."""
    cdnow = Path(__file__).parent / "data" / "cdnow_sample.csv"
    run = subprocess.run(
        [sys.executable, "-m", "loyalty_lessons.cli", "report", "--transactions", cdnow, "--currency", "USD"]
        + ["--language", "fr", "--output", tmp_path / "report"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert report.Messages("fr").raw("headings.monitoring") in page and "\xa0$US" in page
    assert _english_left(_visible(page), "fr", sample) == set()


def test_the_load_report_is_in_the_language(tmp_path):
    """Rows set aside, their reasons and how the file was read, in French."""
    path = tmp_path / "ventes.csv"
    rows = ["client;date;montant"] + [f"C{i % 7};2024-0{1 + i % 9}-1{i % 9};{10 + i},50" for i in range(60)]
    path.write_text("\n".join([*rows, ";2024-03-01;12,00", "C1;pas une date;5,00", "C2;2024-03-02;"]) + "\n")
    data = report.report_data(transactions=str(path), survey=None, complaints=None, language="fr")
    html = str(report.data_quality_section(data))
    for french in ("identifiant client manquant", "date illisible", "montant manquant", "séparateur"):
        assert french in html, french
    assert not {"missing", "unparseable", "delimiter", "encoding"} & _words(_visible(html))
