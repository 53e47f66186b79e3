"""Workshop mode without a browser: uploads, the dataset store, the pages and the upload form."""

import html
import re
from datetime import UTC, datetime

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import loyalty_lessons as ll
from loyalty_lessons import workshop
from loyalty_lessons.catalogue import available_languages, catalogue, entry
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.workshop import (
    FOLDER_ENV,
    SAMPLE_NAME,
    ColumnsNotRecognised,
    UploadPanel,
    active_dataset,
    clear_dataset,
    load_client_data,
    read_upload,
    save_dataset,
    subject_explorers,
    subject_page,
)

# A till export as a French shop sends it: ';', decimal commas, day-first dates, cp1252.
EUROPEAN = (
    "N° client;Date d'achat;Montant TTC;N° ticket\n"
    "A-101;03/01/2025;12,50 €;T001\n"
    "A-102;13/01/2025;8,90 €;T002\n"
    "A-101;10/02/2025;1 234,50 €;T003\n"
    "A-103;11/02/2025;5,00;T004\n"
    "A-101;17/03/2025;14,00;T008\n"
).encode("cp1252")
UNKNOWN_HEADERS = b"carte;jour;euros\nK1;2025-01-03;10.5\nK2;2025-01-04;3.0\n"


def _upload(name: str, content: bytes) -> tuple:
    return (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime(2025, 1, 1, tzinfo=UTC),
        },
    )


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "server"
    path.mkdir()
    return path


@pytest.fixture
def client(folder):
    dataset = load_client_data({"transactions": ("ventes.csv", EUROPEAN)}, currency="EUR")
    save_dataset(dataset, folder)
    return dataset


# --- reading uploads ----------------------------------------------------------------------


def test_read_upload_recognises_a_european_export_as_the_loader_does():
    tx, report = read_upload("transactions", "ventes.csv", EUROPEAN)
    expected = pd.DataFrame(
        {
            "customer_id": ["A-101", "A-102", "A-101", "A-103", "A-101"],
            "date": pd.to_datetime(["2025-01-03", "2025-01-13", "2025-02-10", "2025-02-11", "2025-03-17"]),
            "amount": [12.5, 8.9, 1234.5, 5.0, 14.0],
        }
    )
    assert_frame_equal(tx[["customer_id", "date", "amount"]], expected, check_dtype=False)
    assert (report.source, report.rows_read, report.rows_kept) == ("ventes.csv", 5, 5)
    assert report.detected["encoding"] == "cp1252"


def test_read_upload_leaves_no_copy_of_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    read_upload("transactions", "ventes.csv", EUROPEAN)
    with pytest.raises(LoyaltyDataError):
        read_upload("transactions", "ventes.csv", b"client;date;montant\nA;hier;abc\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("ventes.pdf", EUROPEAN, "CSV, TXT or TSV"),
        ("ventes.csv", b"", "empty"),
        ("ventes.xlsx", b"not a workbook", "ventes.xlsx could not be opened as an Excel workbook"),
        ("ventes.csv", b"client;date;montant\nA;32/13/2024;abc\nB;2024-01-01;x\n", "could not be used"),
    ],
    ids=["wrong-suffix", "empty", "broken-excel", "unusable-rows"],
)
def test_a_bad_upload_raises_the_loaders_message_naming_the_clients_file(name, content, words):
    with pytest.raises(LoyaltyDataError, match=words) as caught:
        read_upload("transactions", name, content)
    assert "loyalty-upload-" not in str(caught.value)


def test_unrecognised_headers_list_the_files_headers_and_the_missing_roles():
    with pytest.raises(ColumnsNotRecognised) as caught:
        read_upload("transactions", "crm.csv", UNKNOWN_HEADERS)
    problem = caught.value
    assert (problem.kind, problem.headers) == ("transactions", ["carte", "jour", "euros"])
    assert problem.missing == ["customer_id", "date", "amount"]


def test_a_mapping_loads_a_file_with_unrecognised_headers():
    tx, report = read_upload(
        "transactions",
        "crm.csv",
        UNKNOWN_HEADERS,
        columns={"customer_id": "carte", "date": "jour", "amount": "euros"},
    )
    assert tx["amount"].tolist() == [10.5, 3.0]
    assert report.columns["customer_id"] == "carte"


def test_load_client_data_needs_transactions():
    with pytest.raises(LoyaltyDataError, match="transactions export first"):
        load_client_data({"complaints": ("c.csv", b"client;date\nA;2025-01-01\n")})


# --- the shared dataset -------------------------------------------------------------------


def test_a_saved_dataset_is_what_every_page_reads_back(folder, client):
    back = active_dataset(folder)
    assert (back.name, back.currency) == ("ventes.csv", "EUR")
    assert_frame_equal(back.inputs.transactions, client.inputs.transactions)
    assert_frame_equal(back.inputs.summary, client.inputs.summary)
    assert back.inputs.survey is None and back.inputs.complaints is None
    assert back.reports["transactions"].set_index("item").loc["rows kept", "value"] == 5


def test_the_environment_names_the_folder(folder, client, monkeypatch):
    monkeypatch.setenv(FOLDER_ENV, str(folder))
    assert active_dataset().name == "ventes.csv"
    clear_dataset()
    assert active_dataset().name == SAMPLE_NAME


def test_saving_without_a_server_folder_says_how_to_start_one(monkeypatch, client):
    monkeypatch.delenv(FOLDER_ENV, raising=False)
    with pytest.raises(LoyaltyDataError, match="make workshop"):
        save_dataset(client)


# --- the pages ----------------------------------------------------------------------------


def test_explorers_use_the_clients_data(folder, client):
    sample_message = subject_explorers("80-20", active_dataset(""))[0][0].message
    client_message = subject_explorers("80-20", active_dataset(folder))[0][0].message
    assert sample_message.startswith("The top 20% of customers")
    assert client_message == "The top 20% of customers (1 of 3) bring 99% of revenue."


@pytest.mark.parametrize("subject", list(workshop.SUBJECTS), ids=list(workshop.SUBJECTS))
def test_every_page_builds_on_the_sample_business(subject):
    page = subject_page(subject, folder="")
    assert SAMPLE_NAME in page.banner.value
    assert len(page.explorers) == (2 if subject in ("loyalty-value", "customer-base") else 1)
    image = page.explorers[0].image
    assert image.layout.width.endswith("px") and image.layout.max_width == "100%"


def test_a_page_without_the_table_it_needs_says_so(folder, client):
    explorers, notes = subject_explorers("quality-gap", active_dataset(folder))
    assert explorers == [] and "no survey" in notes[0]


def test_loyalty_value_falls_back_to_the_textbook_figures_with_a_note(folder, client):
    explorers, notes = subject_explorers("loyalty-value", active_dataset(folder))
    assert len(explorers) == 2
    assert "could not be estimated" in notes[0]


def test_the_customer_base_page_shows_a_customer_and_the_model_check():
    explorers, notes = subject_explorers("customer-base", active_dataset(""))
    history, check = explorers
    assert notes == []
    assert history.message.startswith("A customer with 10 repeat purchases")
    assert check.message.endswith("It is good enough to act on.")
    history.controls["repeat_purchases"].value = 30
    assert history.message.startswith("A customer with 30 repeat purchases")
    # The history sliders reach as far back as the data do (the sample: three years).
    assert history.controls["weeks_as_customer"].max == 157


def test_the_customer_base_page_says_in_words_when_the_model_cannot_be_fitted(folder, client):
    explorers, notes = subject_explorers("customer-base", active_dataset(folder))
    assert explorers == []
    assert notes == [
        "Who is still a customer cannot be estimated on ventes.csv: The BG/NBD model needs at least 30 "
        "customers who bought more than once; these data have 1. Use the fixed rules (days since the last "
        "purchase) instead, or wait for more history."
    ]
    page = subject_page("customer-base", folder)
    assert "ll-note" in page.body.children[0].value and "ll-error" not in page.body.children[0].value


def test_the_customer_base_page_keeps_the_customer_when_the_check_cannot_run(monkeypatch):
    def refused(*args, **kwargs):
        raise ll.ModelFitError(
            "The BG/NBD model needs at least 30 customers who bought more than once.", "too_few_repeat_buyers"
        )

    monkeypatch.setattr("loyalty_lessons.model_check", refused)  # the page imports it when built
    explorers, notes = subject_explorers("customer-base", active_dataset(""))
    assert len(explorers) == 1 and explorers[0].message.startswith("A customer with")
    assert notes == [
        "The model could not be checked on a later period of Sample business: The BG/NBD model needs at "
        "least 30 customers who bought more than once. Use its figures with care."
    ]


def test_unknown_subject_is_refused():
    with pytest.raises(LoyaltyDataError, match="subject must be one of"):
        subject_explorers("pricing", active_dataset(""))


def test_reload_shows_the_dataset_loaded_since(folder):
    page = subject_page("80-20", folder)
    assert SAMPLE_NAME in page.banner.value
    save_dataset(load_client_data({"transactions": ("ventes.csv", EUROPEAN)}), folder)
    page.reload_button.click()
    assert "ventes.csv" in page.banner.value
    assert page.explorers[0].message.endswith("(1 of 3) bring 99% of revenue.")


def test_a_twin_axes_stays_over_its_main_axes_after_a_slider_move():
    explorer = subject_page("80-20", folder="").explorers[0]
    explorer.controls["top_percent"].value = 10
    main, twin = explorer.figure.axes
    assert twin.get_position().bounds == main.get_position().bounds
    assert explorer.message.startswith("The top 10% of customers")


# --- the upload form ----------------------------------------------------------------------


def test_the_form_loads_a_file_and_shows_its_report(folder):
    changes = []
    panel = UploadPanel(folder, on_change=lambda: changes.append(1))
    panel.uploads["transactions"].value = _upload("ventes.csv", EUROPEAN)
    assert "ventes.csv" in panel.chosen.value
    panel.load_button.click()
    assert "rows read" in panel.status.value and "ll-error" not in panel.status.value
    assert active_dataset(folder).name == "ventes.csv" and changes == [1]
    # Loaded: the files' bytes are dropped from the form; the report is in words.
    assert all(control.value == () for control in panel.uploads.values())
    assert "Read as: CSV, separated by semicolons" in panel.status.value
    panel.sample_button.click()
    assert active_dataset(folder).name == SAMPLE_NAME and changes == [1, 1]
    assert not list(folder.glob("dataset-*"))  # wiped from the disk, not only forgotten


def test_a_replaced_upload_is_deleted_at_once(folder, client):
    first = list(folder.glob("dataset-*"))
    save_dataset(load_client_data({"transactions": ("ventes2.csv", EUROPEAN)}), folder)
    second = list(folder.glob("dataset-*"))
    assert len(first) == len(second) == 1 and first != second
    assert active_dataset(folder).name == "ventes2.csv"


def test_a_participants_index_page_has_no_upload_form(folder, client):
    participant = workshop.index_page(folder, role="participant")
    assert participant.upload is None and "ventes.csv" in participant.banner.value
    assert "facilitator&#x27;s data" in participant.extra.children[0].value
    facilitator = workshop.index_page(folder, role="facilitator")
    assert facilitator.upload is not None and facilitator.extra.children == (facilitator.upload.widget,)


def test_the_facilitators_links_keep_the_key(monkeypatch):
    monkeypatch.setenv(workshop.roles.FACILITATOR_ENV, "k3y")
    facilitator = subject_page("80-20", folder="", role="facilitator")
    participant = subject_page("80-20", folder="", role="participant")
    assert "index.ipynb?facilitator=k3y" in facilitator.nav.value
    assert "k3y" not in participant.nav.value and "scorecard.ipynb" in participant.nav.value


def test_a_page_built_before_an_upload_reads_the_new_data_when_opened(folder):
    page = workshop.pages.SubjectPage("80-20", folder)  # as a kernel of the pool builds it
    assert SAMPLE_NAME in page.banner.value
    save_dataset(load_client_data({"transactions": ("ventes.csv", EUROPEAN)}), folder)
    page.open_for("participant")
    assert "ventes.csv" in page.banner.value


def test_a_projected_page_puts_the_controls_beside_the_chart_with_18_px_text():
    explorer = subject_page("80-20", folder="", role="facilitator").explorers[0]
    row = explorer.widget.children[0]
    controls, chart = row.children
    assert list(controls.children) == list(explorer.controls.values())
    assert chart.children == (explorer.caption, explorer.image)
    texts = [t for t in explorer.figure.findobj(lambda a: hasattr(a, "get_fontsize")) if t.get_text()]
    # 12 pt at 100 dpi is 16.7 px; titles and labels 13 pt, 18 px.
    assert min(t.get_fontsize() for t in texts) >= 12 and explorer.figure.dpi == 100
    explorer.controls["top_percent"].value = 10
    assert max(t.get_fontsize() for t in explorer.figure.findobj(lambda a: hasattr(a, "get_fontsize"))) >= 13


def test_a_broken_file_shows_the_message_and_keeps_the_active_data(folder, client):
    panel = UploadPanel(folder)
    broken = b"client;date;montant\nA;32/13/2024;abc\nB;2024-01-01;x\n"
    panel.uploads["transactions"].value = _upload("ventes.csv", broken)
    panel.load_button.click()
    assert "ll-error" in panel.status.value and "could not be used" in panel.status.value
    assert active_dataset(folder).name == "ventes.csv"


def test_the_form_asks_for_unrecognised_columns_then_loads(folder):
    panel = UploadPanel(folder)
    panel.uploads["transactions"].value = _upload("crm.csv", UNKNOWN_HEADERS)
    panel.load_button.click()
    dropdowns = panel.mapping["transactions"]
    assert list(dropdowns) == ["customer_id", "date", "amount"]
    assert list(dropdowns["amount"].options)[1:] == ["carte", "jour", "euros"]
    for role, header in {"customer_id": "carte", "date": "jour", "amount": "euros"}.items():
        dropdowns[role].value = header
    panel.load_button.click()
    assert active_dataset(folder).inputs.transactions["amount"].tolist() == [10.5, 3.0]
    assert panel.mapping == {} and panel.mapping_box.children == ()


def test_the_form_without_a_file_asks_for_one(folder):
    panel = UploadPanel(folder)
    panel.load_button.click()
    assert "Choose the transactions file first" in panel.status.value


def _french_export(customers: int, seed: int = 97) -> bytes:
    """A French till export from January 1997 to June 1998: ';', decimal commas, day-first dates."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("1997-01-01", "1998-06-30", freq="D")
    lines = ["N° client;Date d'achat;Montant TTC"]
    for i in range(customers):
        for day in rng.choice(days, size=int(rng.integers(1, 8)), replace=False):
            amount = f"{rng.uniform(5, 80):.2f}".replace(".", ",")
            lines.append(f"C{i:04d};{pd.Timestamp(day):%d/%m/%Y};{amount} €")
    return ("\n".join(lines) + "\n").encode("cp1252")


def test_loyalty_value_on_a_partial_year_and_few_customers_says_so(folder):
    save_dataset(load_client_data({"transactions": ("export.csv", _french_export(60))}), folder)
    explorers, notes = subject_explorers("loyalty-value", active_dataset(folder))
    assert len(explorers) == 2
    assert notes[0].startswith("Careful: the yearly retention (") and "1998 has 6 months of data" in notes[0]
    assert notes[1] == (
        "These figures rest on 60 customers only: read them as an order of magnitude, not a measurement."
    )


def test_loyalty_value_on_whole_years_has_no_warning():
    assert subject_explorers("loyalty-value", active_dataset(""))[1] == []


def test_the_customer_types_title_stays_whole_on_a_tiny_dataset(folder, client):
    explorer = subject_page("customer-types", folder, role="facilitator").explorers[0]
    figure = explorer.figure
    figure.canvas.draw()
    title = figure.axes[0].title.get_window_extent()
    assert title.x0 >= 0 and title.x1 <= figure.bbox.width and title.y1 <= figure.bbox.height
    assert explorer.figure.axes[0].get_title().startswith("No customer is")


# --- the pages in every language ----------------------------------------------------------

LANGUAGES = available_languages()
#: Names and codes every language writes as they are.
KEPT_AS_IS = {"csv", "txt", "tsv", "excel", "crm", "iso", "servqual", "utf", "png", "pdf", "ok"}


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)}


def _flat_texts(node) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in _flat_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _flat_texts(value)]
    return [str(node)]


def _catalogue_words(language: str) -> set[str]:
    return _words(re.sub(r"\{\w+\}|<[^>]+>", " ", " ".join(_flat_texts(catalogue(language)))))


def _english_of_the_workshop(language: str) -> set[str]:
    """Words of the workshop's English texts that ``language``'s catalogue never uses, and the
    names of the languages (the language choice writes each in its own)."""
    english = _words(re.sub(r"\{\w+\}|<[^>]+>", " ", " ".join(_flat_texts(catalogue("en")["workshop"]))))
    names = _words(" ".join(entry(lang, "meta.name") for lang in LANGUAGES))
    return english - _catalogue_words(language) - names - KEPT_AS_IS


def _visible(widget) -> str:
    """Every text a person reads in a widget tree: HTML without its tags, buttons' and menus'
    labels, tooltips and options."""
    texts = []
    if isinstance(widget, widgets.HTML):
        texts.append(html.unescape(re.sub(r"<[^>]+>", " ", widget.value)))
    for name in ("description", "tooltip"):
        texts.append(getattr(widget, name, "") or "")
    if isinstance(widget, widgets.Dropdown):
        texts += [str(label) for label in widget._options_labels]
    for child in getattr(widget, "children", ()):
        texts.append(_visible(child))
    return " ".join(texts)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["facilitator", "participant"])
def test_the_index_page_speaks_its_language_only(language, role):
    page = workshop.index_page(folder="", role=role, language=language)
    text = _visible(page.widget)
    assert entry(language, "workshop.index.title") in page.title.value
    assert entry(language, "workshop.pages.quality-gap") in page.links.value
    if language != "en":
        assert _words(text) & _english_of_the_workshop(language) == set()


def test_the_english_check_would_see_english():
    english_page = _visible(workshop.index_page(folder="", role="facilitator", language="en").widget)
    # Not "customers": the French catalogue now has it too, as code (`figures.customers`) and as
    # the English table value it translates ("complaining customers").
    assert {"choose", "load", "data"} <= _words(english_page) & _english_of_the_workshop("fr")


def test_every_link_keeps_the_language_and_the_facilitators_key(monkeypatch):
    monkeypatch.setenv(workshop.roles.FACILITATOR_ENV, "k3y")
    index = workshop.index_page(folder="", role="facilitator", language="fr")
    links = re.findall(r"href='([^']+)'", index.links.value)
    assert len(links) == len(workshop.SUBJECTS) + 1
    assert all(link.endswith("?facilitator=k3y&amp;lang=fr") for link in links)
    choices = re.findall(r"href='([^']+)'", index.languages.value)
    assert choices == [f"index.ipynb?facilitator=k3y&amp;lang={lang}" for lang in LANGUAGES if lang != "fr"]
    participant = subject_page("80-20", folder="", role="participant", language="it")
    assert "index.ipynb?lang=it" in participant.nav.value and "k3y" not in participant.nav.value


def test_a_page_reads_its_language_from_its_address(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "lang=ru")
    page = workshop.index_page(folder="")
    assert "Практикум по лояльности клиентов" in page.title.value and page.upload is not None
    assert "Учебный пример" in page.banner.value


def test_a_subject_page_in_french(folder, client):
    page = subject_page("quality-gap", folder, role="facilitator", language="fr")
    assert (
        "L’écart de qualité" in page.title.value and page.reload_button.description == "Recharger les données"
    )
    assert "Données : <b>ventes.csv</b> — 5 transactions, 3 clients, du 3 janvier 2025 au 17 mars 2025." in (
        page.banner.value
    )
    assert "Ces données ne comportent pas d’enquête" in page.body.children[0].value


def test_a_pooled_kernel_builds_its_subject_page_before_the_request_comes(monkeypatch):
    built, asked = [], []

    def reload(page):  # what a build would read, and which language it was in
        page._version = workshop.pages.dataset_version(page.folder)
        built.append(page.texts.language)

    monkeypatch.setattr(workshop.pages.SubjectPage, "reload", reload)
    monkeypatch.setattr(workshop.navigation, "page_request", lambda: asked.append(len(built)) or "lang=it")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv(workshop.texts.LANGUAGE_ENV, "en")
    subject_page("80-20", folder="")
    # Built first (in the server's language), then the request was read, then built in its language.
    assert asked == [1] and built == ["en", "it"]
    # Outside the pool the request is read first, and the page built once, in its language.
    built.clear(), asked.clear()
    monkeypatch.delenv("VOILA_PREHEAT")
    subject_page("80-20", folder="")
    assert asked == [0] and built == ["it"]


def test_a_page_built_before_its_request_takes_the_language_when_opened():
    page = workshop.pages.SubjectPage("loyalty-value", "")  # as a kernel of the pool builds it
    page.open_for("participant", "it")
    assert "Quanto vale la fedeltà" in page.title.value
    headings = [c.value for c in page.body.children if "<h2" in getattr(c, "value", "")]
    assert len(headings) == 2 and "passaparola" in headings[0]


def test_the_customer_base_page_says_why_in_the_language(folder, client):
    _, notes = subject_explorers("customer-base", active_dataset(folder), "fr")
    assert notes == [
        "Impossible d’estimer qui est encore client sur ventes.csv : Trop peu de clients ont acheté plus "
        "d’une fois pour que le modèle puisse apprendre."
    ]


def test_a_partial_year_is_said_in_the_language(folder):
    save_dataset(load_client_data({"transactions": ("export.csv", _french_export(60))}), folder)
    _, notes = subject_explorers("loyalty-value", active_dataset(folder), "ru")
    assert (
        notes[0].startswith("Осторожно: годовое удержание (")
        and "за 1998 г. есть данные за 6 месяцев" in notes[0]
    )
    assert notes[1].startswith("Эти показатели рассчитаны по небольшой выборке (60 клиентов)")


def test_the_french_form_loads_a_file_and_refuses_a_broken_one_in_french(folder):
    panel = UploadPanel(folder, language="fr")
    assert panel.load_button.description == "Charger" and panel.date_format.description == "Dates"
    panel.load_button.click()
    assert "Choisissez d’abord le fichier des transactions" in panel.status.value
    panel.uploads["transactions"].value = _upload("ventes.csv", b"client;date;montant\nA;32/13/2024;abc\n")
    panel.load_button.click()
    assert "ll-error" in panel.status.value and "Choisissez l’ordre des dates dans le menu Dates" in (
        panel.status.value
    )
    panel.uploads["transactions"].value = _upload("ventes.csv", EUROPEAN)
    panel.load_button.click()
    assert "ventes.csv est chargé" in panel.status.value
    assert "Lecture : CSV, séparé par des points-virgules" in panel.status.value
    assert "Transactions : ventes.csv" in panel.status.value


def test_the_french_form_asks_for_columns_in_french(folder):
    panel = UploadPanel(folder, language="fr")
    panel.uploads["transactions"].value = _upload("crm.csv", UNKNOWN_HEADERS)
    panel.load_button.click()
    dropdowns = panel.mapping["transactions"]
    assert [d.description for d in dropdowns.values()] == ["numéro client", "date", "montant"]
    assert list(dropdowns["amount"].options) == ["(choisir une colonne)", "carte", "jour", "euros"]
    assert panel.columns() == {"transactions": {}}
    dropdowns["amount"].value = "euros"
    assert panel.columns() == {"transactions": {"amount": "euros"}}


@pytest.mark.parametrize("subject", list(workshop.SUBJECTS), ids=list(workshop.SUBJECTS))
def test_a_subject_pages_own_words_are_in_its_language(subject):
    """Its links, title, banner, button, notes and headings: the explorers speak English
    until they take a language of their own."""
    page = subject_page(subject, folder="", role="participant", language="it")
    explorers = {id(explorer.widget) for explorer in page.explorers}
    own = [page.nav, page.title, page.banner, page.reload_button] + [
        child for child in page.body.children if id(child) not in explorers
    ]
    text = " ".join(_visible(widget) for widget in own)
    assert entry("it", f"workshop.pages.{subject}") in text
    assert _words(text) & _english_of_the_workshop("it") == set()


@pytest.mark.parametrize("subject", ["quality-gap", "80-20", "monitoring"])
def test_a_page_builds_its_explorers_in_the_page_language(subject):
    sample = active_dataset(folder="")
    (english,), _ = subject_explorers(subject, sample, "en")
    (french,), _ = subject_explorers(subject, sample, "fr")
    assert french.message != english.message
    assert french.message and not french.message.startswith(english.message[:12])
