"""The workshop dashboard as a consultant uses it: pages, sliders, a client's upload, a bad file.

Each test leaves the server on the sample business, as it found it. Screenshots of every
page go to screenshots/workshop/.
"""

import re

import pytest

from loyalty_lessons.workshop import SUBJECTS
from loyalty_lessons.workshop.pages import ROOM_NOTEBOOK

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails, in CI) and says why
    expect = None

PAGES = {
    "index": "index.ipynb",
    **SUBJECTS,
    "scorecard": ROOM_NOTEBOOK,
}

# A French shop's till export: ';', decimal commas, day-first dates, cp1252, French headers.
EUROPEAN = (
    "N° client;Date d'achat;Montant TTC;N° ticket\n"
    "A-101;03/01/2025;12,50 €;T001\n"
    "A-102;13/01/2025;8,90 €;T002\n"
    "A-101;10/02/2025;1 234,50 €;T003\n"
    "A-103;11/02/2025;5,00;T004\n"
    "A-101;17/03/2025;14,00;T008\n"
).encode("cp1252")
BROKEN = b"client;date;montant\nA;32/13/2024;abc\nB;2024-01-01;x\n"


def _upload(dashboard, name: str, content: bytes) -> None:
    """Choose a transactions file on the index page and press Load."""
    page = dashboard.page
    # The upload button opens the system's file dialog; Playwright answers it.
    with page.expect_file_chooser() as chooser:
        page.locator(".ll-upload").first.click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    expect(page.locator(".ll-chosen")).to_contain_text(name)
    page.get_by_role("button", name="Load", exact=True).click()


def _back_to_sample(dashboard) -> None:
    dashboard.open(PAGES["index"])
    dashboard.page.get_by_role("button", name="Wipe the client's data").click()
    expect(dashboard.page.locator(".ll-dataset")).to_contain_text("Sample business")


@pytest.mark.parametrize("name", list(PAGES), ids=list(PAGES))
def test_every_page_loads_without_errors(dashboard, name):
    dashboard.open(PAGES[name])
    if name != "scorecard":
        expect(dashboard.page.locator(".ll-dataset")).to_contain_text("Data: Sample business")
    if name not in ("index", "scorecard"):
        expect(dashboard.page.locator(".widget-image").first).to_be_visible()
    # No code is shown: Voilà renders outputs only.
    expect(dashboard.page.locator(".jp-InputArea, .jp-InputPrompt")).to_have_count(0)
    dashboard.screenshot(f"sample-{name}")
    assert dashboard.problems.errors() == []


def test_moving_a_slider_changes_the_sentence_and_the_chart(dashboard):
    page = dashboard.page
    dashboard.open(PAGES["80-20"])
    caption = page.locator(".widget-html-content", has_text="The top")
    chart = page.locator(".widget-image").first
    expect(caption).to_contain_text("The top 20% of customers")
    chart_before = chart.get_attribute("src")
    page.locator(".noUi-handle").first.focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    expect(caption).to_contain_text("The top 10% of customers", timeout=15_000)
    expect(chart).not_to_have_attribute("src", chart_before)
    assert dashboard.problems.errors() == []


def test_a_clients_messy_export_replaces_the_sample_on_every_page(dashboard):
    page = dashboard.page
    dashboard.open(PAGES["index"])
    _upload(dashboard, "ventes_été.csv", EUROPEAN)
    expect(page.locator(".ll-loaded")).to_contain_text("Loaded ventes_été.csv", timeout=30_000)
    report = page.locator(".ll-report")
    expect(report).to_contain_text("5 rows read, 5 kept, 0 set aside.")
    expect(report).to_contain_text("Windows Western European (cp1252)")
    expect(report).not_to_contain_text("<-")
    expect(page.locator(".ll-dataset")).to_contain_text("ventes_été.csv")
    dashboard.screenshot("client-index-after-upload")
    try:
        dashboard.open(PAGES["80-20"])
        expect(page.locator(".ll-dataset")).to_contain_text("Data: ventes_été.csv")
        expect(page.locator(".widget-html-content", has_text="The top")).to_contain_text(
            "The top 20% of customers (1 of 3) bring 99% of revenue."
        )
        dashboard.screenshot("client-80-20")
        dashboard.open(PAGES["quality-gap"])
        expect(page.locator(".ll-note")).to_contain_text("no survey")
        dashboard.open(PAGES["loyalty-value"])
        expect(page.locator(".ll-note")).to_contain_text("could not be estimated")
        dashboard.screenshot("client-loyalty-value")
        dashboard.open(PAGES["customer-base"])
        expect(page.locator(".ll-note")).to_contain_text("Who is still a customer cannot be estimated")
        dashboard.screenshot("client-customer-base")
        assert dashboard.problems.errors() == []
    finally:
        _back_to_sample(dashboard)


def test_a_broken_file_shows_the_loaders_message_and_the_dashboard_keeps_working(dashboard):
    page = dashboard.page
    dashboard.open(PAGES["index"])
    _upload(dashboard, "export.csv", BROKEN)
    error = page.locator(".ll-error")
    expect(error).to_contain_text(
        re.compile(r"export\.csv: 2 of 2 rows .* could not be used"), timeout=30_000
    )
    expect(page.locator(".ll-dataset")).to_contain_text("Sample business")
    dashboard.screenshot("broken-file")
    # A file that is no table at all: said in the page's terms, no path, no engine message.
    _upload(dashboard, "export.csv", bytes(range(256)) * 20)
    expect(error).to_contain_text("could not be read as a table", timeout=30_000)
    for jargon in ("/tmp", "Invalid Input", "delimiter=", "sniffing"):
        expect(error).not_to_contain_text(jargon)
    dashboard.screenshot("binary-file")
    # The page still answers: the right file loads after the wrong one.
    _upload(dashboard, "ventes.csv", EUROPEAN)
    expect(page.locator(".ll-loaded")).to_contain_text("Loaded ventes.csv", timeout=30_000)
    expect(error).to_have_count(0)
    _back_to_sample(dashboard)
    assert dashboard.problems.errors() == []


def test_unrecognised_headers_are_mapped_with_dropdowns(dashboard):
    page = dashboard.page
    dashboard.open(PAGES["index"])
    _upload(dashboard, "crm.csv", b"carte;jour;euros\nK1;2025-01-03;10.5\nK2;2025-01-04;3.0\n")
    expect(page.locator(".ll-error")).to_contain_text("Choose the column holding each one", timeout=30_000)
    for role, header in [("customer number", "carte"), ("date", "jour"), ("amount", "euros")]:
        page.get_by_label(role, exact=True).select_option(header)
    dashboard.screenshot("mapping")
    page.get_by_role("button", name="Load", exact=True).click()
    expect(page.locator(".ll-loaded")).to_contain_text("Loaded crm.csv", timeout=30_000)
    expect(page.locator(".ll-dataset")).to_contain_text("2 transactions, 2 customers")
    _back_to_sample(dashboard)
    assert dashboard.problems.errors() == []


def test_the_language_choice_keeps_the_language_from_page_to_page(dashboard):
    page = dashboard.page
    dashboard.open("index.ipynb?lang=fr")
    expect(page.locator("h1")).to_have_text("Atelier de fidélisation client")
    expect(page.locator(".ll-dataset")).to_contain_text("Données : Entreprise d’exemple")
    page.get_by_role("link", name="Italiano").click()
    page.locator(".ll-dataset").wait_for(timeout=90_000)
    expect(page.locator("h1")).to_have_text("Workshop sulla fidelizzazione dei clienti")
    expect(page.get_by_role("button", name="Carica", exact=True)).to_be_visible()
    page.get_by_role("link", name="La regola dell’80/20").first.click()
    page.locator(".ll-dataset").wait_for(timeout=90_000)
    assert page.url.endswith("the-80-20-rule.ipynb?lang=it")
    expect(page.locator("h1")).to_have_text("La regola dell’80/20")
    dashboard.wait_for_images()
    dashboard.screenshot("italian-80-20")
    assert dashboard.problems.errors() == []
