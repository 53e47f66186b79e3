"""The client report: key figures, catalogue and export without a kernel; the command end to end.

The end-to-end runs start a Jupyter kernel and take several seconds each, so there are four
(the sample business, a European CSV export without survey, an Excel file, a failing
notebook), each run once per module and shared by the tests that read its output.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from loyalty_lessons import report
from loyalty_lessons.cli import main
from loyalty_lessons.customers import customer_summary
from loyalty_lessons.data import load_complaints, load_transactions
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.inputs import Inputs, load_inputs
from loyalty_lessons.pareto import gini, top_share
from loyalty_lessons.report.render import environment
from loyalty_lessons.report.text import Messages, available_languages
from loyalty_lessons.retention import annual_retention
from loyalty_lessons.samples import load_sample

EVIL = "<script>alert(1)</script>"
MULLER = "Müller & Söhne"
HEADINGS = [
    Messages("en").text(f"headings.{k}")
    for k in (
        "summary",
        "data_quality",
        "quality_gap",
        "customer_types",
        "pareto",
        "loyalty_value",
        "monitoring",
        "actions",
        "sources",
    )
]
#: This checkout's report notebook, whatever the installed one.
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "client-report.ipynb"


# --------------------------------------------------------------------------- helpers


def _run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "loyalty_lessons.cli", "report", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def _assert_self_contained(html: str) -> None:
    assert "<script" not in html.lower()
    assert "<link" not in html.lower() and "@import" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    images = re.findall(r'<img [^>]*?src="([^"]{0,30})', html)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)


def _assert_no_code(html: str) -> None:
    for code in ("report_data(", "display(HTML", "import ", "data_dir", "parameters"):
        assert code not in html


def _tiny_transactions() -> pd.DataFrame:
    """Six customers over three months of one year: too short for retention or the signals."""
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "b", "c", "d", "e", "f", "f"],
            "date": pd.to_datetime(
                [
                    "2024-01-05",
                    "2024-02-05",
                    "2024-03-01",
                    "2024-01-10",
                    "2024-03-20",
                    "2024-01-15",
                    "2024-02-01",
                    "2024-02-11",
                    "2024-03-02",
                    "2024-03-30",
                ]
            ),
            "amount": [100.0, 50.0, 30.0, 20.0, 20.0, 10.0, 5.0, 5.0, 8.0, -3.0],
        }
    ).astype({"customer_id": "str", "date": "datetime64[us]"})


def _tiny_data(**kwargs) -> report.ReportData:
    tx = _tiny_transactions()
    tx_report = load_transactions(tx)[1]
    tx_report.source = "caisse.csv"
    inputs = Inputs(tx, None, None, customer_summary(tx), {"transactions": tx_report}, tx["date"].max())
    return report.ReportData(inputs, **kwargs)


# --------------------------------------------------------------------------- catalogue


def test_unknown_language_is_refused_with_the_available_ones():
    with pytest.raises(LoyaltyDataError, match=r"language 'xx'; available: en, fr, it, ru\b"):
        Messages("xx")
    assert available_languages() == ["en", "fr", "it", "ru"]


@pytest.mark.parametrize("value", [EVIL, MULLER, "\"quoted\" 'value'"], ids=["script", "ampersand", "quotes"])
def test_catalogue_escapes_every_value(value):
    m = Messages("en")
    text = m.text("title.prepared_for", client=value)
    assert value not in text and "&" in text
    assert text.startswith("Prepared for ") and "<" not in text.removeprefix("Prepared for ")


def test_catalogue_numbers_dates_and_lists():
    m = Messages("en")
    assert m.number(1234567.891, 2) == "1,234,567.89"
    assert (m.percent(0.125, 1), m.signed(-1.071), m.signed(0.7), m.number(float("nan"))) == (
        "12.5%",
        "−1.07",
        "+0.70",
        "–",
    )
    assert m.money(12.5, "EUR", 2) == "€12.50" and m.money(12.5, None, 2) == "12.50"
    assert m.date(pd.Timestamp("2025-12-31")) == "31 December 2025"
    assert m.join(["a", "b", EVIL]) == "a, b and &lt;script&gt;alert(1)&lt;/script&gt;"


def test_a_missing_key_names_itself():
    with pytest.raises(KeyError, match="no entry 'headings.nothing'"):
        Messages("en").text("headings.nothing")
    with pytest.raises(KeyError, match="needs the value 'client'"):
        Messages("en").text("title.prepared_for")


def _table(rows, header, numeric=()):
    template = environment().from_string(
        '{% import "macros.html.j2" as h %}{{ h.table(rows, header, numeric) }}'
    )
    return template.render(rows=rows, header=header, numeric=numeric)


def test_html_table_escapes_cells_and_aligns_numbers():
    table = _table([[MULLER, "1,234"]], ["Customer", "Revenue"], numeric={1})
    assert "<td>Müller &amp; Söhne</td>" in table and '<td class="num">1,234</td>' in table
    assert table.startswith('<table class="data"><thead><tr><th>Customer</th><th class="num">Revenue</th>')


@pytest.mark.parametrize(
    "value", [EVIL, MULLER, '"><img src=x onerror=alert(1)>'], ids=["script", "ampersand", "attribute"]
)
def test_templates_escape_every_client_value(value):
    from loyalty_lessons.report.render import render

    m = Messages("en")
    table = _table([[value]], [value])
    page = render(
        "summary",
        key="summary",
        m=m,
        intro=value,
        findings=[value, m.text("summary.intro", client=value, count=1)],
    )
    for html in (table, page):
        assert value not in html and "<script" not in html and "<img" not in html
        assert "&lt;" in html or "&amp;" in html


def test_a_client_value_is_never_read_as_a_template():
    table = _table([["{{ 7 * 7 }}"]], ["{% raw %}"])
    assert "<td>{{ 7 * 7 }}</td>" in table and "<th>{% raw %}</th>" in table


# --------------------------------------------------------------------------- figures


def test_key_figures_of_a_small_frame_by_hand():
    figures = report.key_figures(_tiny_data(client="Boutique", currency="EUR"))
    # revenue per customer: a 180, b 40, c 10, d 5, e 5, f 5 -> 245 in all
    assert figures["customers"] == 6 and figures["revenue"] == 245.0
    assert figures["transactions"] == figures["rows_read"] == 10 and figures["rows_rejected"] == 0
    assert figures["top20_revenue_share"] == pytest.approx(round(220 / 245, 6))  # ceil(0.2 * 6) = 2 customers
    assert figures["repeat_customer_rate"] == pytest.approx(round(2 / 6, 6))  # f's refund leaves one order
    assert figures["annual_retention"] is None and figures["annual_retention_by_year"] == []
    assert sum(figures["customer_types"].values()) == 6
    assert {"servqual_unweighted", "nps", "complaints"}.isdisjoint(figures)
    assert (figures["client"], figures["currency"], figures["language"]) == ("Boutique", "EUR", "en")
    assert figures["generated_with"].startswith("loyalty-lessons ")


@pytest.fixture(scope="module")
def sample_data():
    return report.report_data()


def test_key_figures_equal_the_library_on_the_sample(sample_data):
    figures = report.key_figures(sample_data)
    sample = load_sample()
    everyone = customer_summary(sample.transactions)
    # The report's customers are the ids with a paid purchase: 4 of the sample's 3,000 have none.
    summary = everyone[everyone["orders"] > 0]
    assert (len(everyone), len(summary)) == (3000, 2996)
    retention = annual_retention(sample.transactions)
    assert figures["customers"] == len(summary)
    assert figures["transactions"] == len(sample.transactions)
    assert figures["revenue"] == pytest.approx(summary["revenue"].sum(), abs=0.01)
    assert figures["top20_revenue_share"] == pytest.approx(top_share(summary["revenue"], 0.2), abs=1e-6)
    assert figures["gini_revenue"] == pytest.approx(gini(summary["revenue"]), abs=1e-6)
    assert figures["repeat_customer_rate"] == pytest.approx((summary["orders"] >= 2).mean(), abs=1e-6)
    assert figures["annual_retention"] == pytest.approx(retention["retention"].iloc[-1], abs=1e-6)
    assert [r["year"] for r in figures["annual_retention_by_year"]] == retention["year"].tolist()
    from loyalty_lessons.quality_gap import dimension_gaps, nps, servqual_score

    assert figures["servqual_unweighted"] == pytest.approx(servqual_score(sample.survey), abs=1e-6)
    assert figures["nps"] == pytest.approx(nps(sample.survey), abs=1e-6)
    gaps = dimension_gaps(sample.survey).set_index("dimension")["gap"]
    assert figures["gap_by_dimension"] == pytest.approx(gaps.to_dict(), abs=1e-6)
    assert figures["complaints"] == len(sample.complaints)
    assert json.loads(json.dumps(figures)) == figures  # plain JSON, no NaN


def test_saved_tables_give_the_same_summary(tmp_path, sample_data):
    back = Inputs.load(sample_data.inputs.save(tmp_path))
    assert back.transactions == tmp_path / "transactions.parquet" and back.summary is None
    paid = sample_data.inputs.summary[sample_data.inputs.summary["orders"] > 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(report.ReportData(back).summary, paid)


def test_the_folder_route_streams_the_transactions_and_gives_the_same_figures(tmp_path, sample_data):
    from_folder = report.report_data(folder=tmp_path)
    inputs = from_folder.inputs
    assert inputs.transactions == tmp_path / "transactions.parquet" and inputs.summary is None
    assert inputs.observation_end == sample_data.inputs.observation_end
    assert report.key_figures(from_folder) == report.key_figures(sample_data)
    inputs.save(tmp_path)
    back = report.report_data(data_dir=tmp_path)
    assert back.sample and back.currency == "EUR"
    assert report.key_figures(back) == report.key_figures(sample_data)


def test_no_figure_depends_on_the_order_of_the_rows(tmp_path):
    """The report writes its copy of the transactions in the order the reader's threads parse
    them (``in_file_order=False``): the same export with its rows in another order gives the
    same figures, to the last digit."""
    rows = load_sample().transactions
    shuffled = rows.sample(frac=1.0, random_state=7).reset_index(drop=True)
    assert not shuffled["customer_id"].equals(rows["customer_id"])
    figures = [
        report.key_figures(report.report_data(tx, "sample", "sample", folder=tmp_path / name))
        for name, tx in (("in_order", rows), ("shuffled", shuffled))
    ]
    assert {k: v for k, v in figures[1].items() if v != figures[0].get(k)} == {}
    assert figures[0]["customers"] == 2996


def test_what_the_load_found_about_orders_reaches_the_aggregates(tmp_path, monkeypatch):
    from loyalty_lessons.report import data as report_data_module

    export = tmp_path / "export.csv"
    export.write_text(
        "customer;order;date;amount\nc1;T1;2024-02-25;10\nc1;T2;2024-03-25;5\n", encoding="utf-8"
    )
    inputs = load_inputs(transactions=export, survey=None, complaints=None, folder=tmp_path / "data")
    back = Inputs.load(inputs.save(tmp_path / "data"))
    assert back.reports["transactions"].one_line_orders
    seen = {}
    real = report_data_module.aggregate
    monkeypatch.setattr(report_data_module, "aggregate", lambda *a, **k: seen.update(k) or real(*a, **k))
    assert report.ReportData(back).summary["orders"].tolist() == [2]
    assert seen["one_line_orders"] is True


def test_an_observation_end_before_the_data_is_refused_and_leaves_no_rows(tmp_path):
    with pytest.raises(LoyaltyDataError, match="before the first transaction"):
        report.report_data(observation_end="2001-01-01", folder=tmp_path)
    assert not (tmp_path / "transactions.parquet").exists()


def test_unknown_assumption_is_refused():
    with pytest.raises(LoyaltyDataError, match="Unknown report assumption"):
        report.report_data(assumptions={"top_fraktion": 0.1})


# --------------------------------------------------------------------------- sections, no kernel


def test_sections_say_which_data_would_enable_them():
    data = _tiny_data()
    m = data.m
    gap = report.quality_gap_section(data)
    assert "--survey FILE" in gap and 'class="missing"' in gap
    assert "--complaints FILE" in report.pareto_section(data)
    assert "two consecutive calendar years; these data cover 2024" in report.loyalty_value_section(data)
    monitoring = report.monitoring_section(data)
    assert "not enough months yet to judge" in monitoring and "(these data cover 2)" in monitoring
    actions = report.actions_section(data)
    assert m.text("actions.survey") in actions and m.text("actions.log_complaints") in actions


def _one_purchase_each(amounts: list[float]) -> report.ReportData:
    """One purchase per customer, of the given amounts, on days of January and February 2024."""
    tx = pd.DataFrame(
        {
            "customer_id": [f"c{i:04d}" for i in range(len(amounts))],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta([i % 50 for i in range(len(amounts))], "D"),
            "amount": amounts,
        }
    ).astype({"customer_id": "str", "date": "datetime64[us]"})
    tx_report = load_transactions(tx)[1]
    inputs = Inputs(tx, None, None, customer_summary(tx), {"transactions": tx_report}, tx["date"].max())
    return report.ReportData(inputs)


@pytest.mark.parametrize(
    ("amounts", "detail", "fragile"),
    [
        # 10 customers bring 10,000 of 19,900: a few carry the business.
        ([1000.0] * 10 + [10.0] * 990, "the 10 biggest customers bring 50%.", True),
        # 2,000 equal customers: the top 1% is 20 of them and brings 1%.
        ([10.0] * 2000, "the top 1% (20 customers) bring 1%, and the 10 biggest 0.5%.", False),
    ],
    ids=["ten-carry-half", "equal"],
)
def test_the_summary_calls_a_business_fragile_only_when_a_few_customers_carry_it(amounts, detail, fragile):
    data = _one_purchase_each(amounts)
    summary = report.summary_section(data)
    assert detail in summary
    assert ("losing some of them would show at once" in summary) is fragile
    assert ("losing a few of them would not show at once" in summary) is not fragile
    assert "its 10 biggest customers" in summary and "20% of revenue or more" in summary  # the rule, stated
    assert "A handful of people carry the business" not in summary
    actions = report.actions_section(data)
    top = "The 10 biggest bring 50%" if fragile else "The top 1% (20 customers) bring 1%"
    assert (
        f"{top} of revenue" in actions and "named contact" in actions and "Protect the top 20%" not in actions
    )


def test_the_survey_sections_say_how_many_answers_were_left_blank(sample_data):
    """The sample survey is answered in part: the data-quality and quality-gap sections say
    by how many respondents and how many answers; a survey answered in full says nothing."""
    from loyalty_lessons.quality_gap import answered_items

    survey = sample_data.inputs.survey
    counts = answered_items(survey)
    partial, blank = int((counts["unanswered"] > 0).sum()), int(counts["unanswered"].sum())
    assert 0 < partial < blank
    gap = report.quality_gap_section(sample_data)
    assert f"{partial} of them left some of the questionnaire's items blank ({blank} answers" in gap
    quality = report.data_quality_section(sample_data)
    assert f"Questionnaire items left blank ({blank}, by {partial} respondents)" in quality
    full = survey[survey["respondent_id"].isin(counts.loc[counts["unanswered"] == 0, "respondent_id"])]
    data = report.ReportData(sample_data.inputs._replace(survey=full), sample=True)
    assert "left some of the questionnaire" not in report.quality_gap_section(data)
    assert "left blank" not in report.data_quality_section(data)


def test_client_values_are_escaped_in_the_sections():
    tx = _tiny_transactions().replace({"customer_id": {"a": EVIL, "b": MULLER}})
    tx_report = load_transactions(tx)[1]
    complaints = pd.DataFrame(
        {"customer_id": [EVIL, "c"], "date": pd.to_datetime(["2024-03-01"] * 2), "category": [MULLER, EVIL]}
    ).astype({"date": "datetime64[us]"})
    inputs = Inputs(
        tx,
        None,
        complaints,
        customer_summary(tx),
        {"transactions": tx_report, "complaints": load_complaints(complaints)[1]},
        tx["date"].max(),
    )
    data = report.ReportData(inputs, client=EVIL)
    html = "".join(
        f(data)
        for f in (
            report.title_section,
            report.summary_section,
            report.pareto_section,
            report.customer_types_section,
            report.actions_section,
        )
    )
    assert EVIL not in html and MULLER not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Müller &amp; Söhne" in html


def test_rejected_rows_csv_neutralises_formulas(tmp_path):
    export = tmp_path / "caisse.csv"
    export.write_text(
        "client;date;note;montant\nk1;2024-01-03;ok;10\n+cmd|calc!A0;2024-02-31;x;4\n"
        "=HYPERLINK(\"http://x\");2024-02-30;-2+3+cmd|' /C calc'!A0;5\n@SUM(A1);2024-13-01;y;6\n"
        "k2;2024-01-04;z;5\nk3;2024-01-05;z;7\n",
        encoding="utf-8",
    )
    inputs = load_inputs(export, None, None, columns={"customer_id": "client"}, max_rejected_share=1.0)
    path = tmp_path / "rejected_rows.csv"
    assert report.write_rejected_rows(inputs, path) == 3
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["client"].tolist() == ["'+cmd|calc!A0", '\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert back["line"].tolist() == ["3", "4", "5"]
    text_cells = [c for column in back.columns if column not in ("line", "montant") for c in back[column]]
    assert not [c for c in text_cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '"\'+cmd|calc!A0"' in path.read_text(encoding="utf-8")  # quoted, with its quote mark
    assert report.write_rejected_rows(inputs._replace(reports={}), path) == 0
    assert not path.exists()  # nothing set aside: an earlier run's file goes


def test_export_keeps_only_the_report_outputs():
    html_out = new_output("display_data", data={"text/html": "<h2>Kept</h2>", "text/plain": "x"})
    nb = new_notebook(
        cells=[
            new_code_cell("secret_code = 1", outputs=[new_output("stream", name="stderr", text="a warning")]),
            new_code_cell("display(HTML(x))", outputs=[html_out]),
            new_code_cell(
                "other()",
                outputs=[new_output("execute_result", data={"text/plain": "'repr'"}, execution_count=1)],
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    page = report.notebook_to_html(nb, title=f"Report – {EVIL}")
    assert "<h2>Kept</h2>" in page
    for hidden in ("secret_code", "a warning", "'repr'", "In&nbsp;[", "display(HTML"):
        assert hidden not in page
    assert "<title>Report – &lt;script&gt;" in page and "@media print" in page
    _assert_self_contained(page.replace("<h2>Kept</h2>", '<h2>Kept</h2><img src="data:image/png;base64,x">'))


def test_the_notebook_is_thin_and_its_parameters_are_literals():
    import ast

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for node in ast.parse(tagged[0].source).body:
        ast.literal_eval(node.value)
    # Each section is made, kept in `shown` and displayed; the last lists what they cite.
    steps = [c.source.splitlines()[1:] for c in code[2:]]
    made = r"(shown = \[|shown\.append\()report\.\w+_section\(data\)[\])]( +#.*)?"
    assert steps and all(re.fullmatch(made, a) and b == "display(HTML(shown[-1]))" for a, b in steps[:-1])
    assert steps[-1] == ["display(HTML(report.sources_section(data, *shown)))"]
    assert all(not c.outputs for c in code)  # stored without outputs: the command runs it


# --------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "report"
    run = _run("--sample", "--notebook", NOTEBOOK, "--output", out)
    return run, out


def test_sample_report_runs_and_writes_every_file(sample_run):
    run, out = sample_run
    assert run.returncode == 0, run.stderr
    assert "Report written to" in run.stdout and "Executing" in run.stderr  # papermill's progress bar
    for name in ("report.html", "report.ipynb", "figures.json"):
        assert (out / name).is_file(), name
    assert not (out / "rejected_rows.csv").exists()  # nothing was set aside
    assert not (out / "data").exists()  # the working data stay out of the client's folder
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no partial folder left beside it


def test_sample_report_html(sample_run):
    _, out = sample_run
    html = (out / "report.html").read_text(encoding="utf-8")
    _assert_self_contained(html)
    _assert_no_code(html)
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in html, heading
    assert "Lindenhof Coffee Roasters" in html and re.search(r"€\d{1,3}(,\d{3})+ of net revenue", html)
    assert str(out.parent) not in html and "/tmp/" not in html
    assert len(html.encode()) < 3_000_000
    assert html.count('<figure class="chart">') >= 8
    # The last section lists in full the works the others cite.
    sources = html[html.index('<section class="report-section sources"') :]
    assert '<li id="source-fr-monitoring-loyalty">' in sources and "<em>Marketing Science</em>" in sources


def test_sample_figures_json_is_reproducible(sample_run, sample_data):
    _, out = sample_run
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert figures == json.loads(json.dumps(report.key_figures(sample_data)))
    assert str(out) not in json.dumps(figures)


def _european_files(folder):
    """A French till export (';', decimal comma, day-first, cp1252) and a complaints file."""
    sample = load_sample()
    ids = sorted(sample.transactions["customer_id"].unique())[::10]
    tx = sample.transactions[sample.transactions["customer_id"].isin(ids)]
    top = tx.groupby("customer_id")["amount"].sum().sort_values().index[-1]
    rename = {top: EVIL, ids[1]: MULLER}
    tx = tx.assign(customer_id=tx["customer_id"].replace(rename))
    lines = ["N° client;Date d'achat;Montant TTC;N° ticket;Magasin"]
    for r in tx.itertuples():
        amount = f"{r.amount:,.2f}".replace(",", " ").replace(".", ",")
        lines.append(f"{r.customer_id};{r.date:%d/%m/%Y};{amount} €;{r.order_id};{r.channel}")
    lines += [";15/03/2024;12,00 €;X1;shop", "C9999;31/02/2024;10,00 €;X2;shop"]  # set aside
    (folder / "ventes.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    cp = sample.complaints[sample.complaints["customer_id"].isin(ids)]
    cp = cp.assign(
        customer_id=cp["customer_id"].replace(rename),
        category=cp["category"].replace({"late delivery": EVIL, "price": MULLER}),
    )
    clines = ["Client;Date;Motif"] + [
        f"{r.customer_id};{r.date:%d/%m/%Y};{r.category}" for r in cp.itertuples()
    ]
    (folder / "réclamations.csv").write_bytes(("\r\n".join(clines) + "\r\n").encode("cp1252"))
    return folder / "ventes.csv", folder / "réclamations.csv"


@pytest.fixture(scope="module")
def european_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("client")
    transactions, complaints = _european_files(folder)
    out = folder / "rapport"
    run = _run(
        "--transactions",
        transactions,
        "--complaints",
        complaints,
        "--client",
        f"{MULLER} {EVIL}",
        "--currency",
        "EUR",
        "--keep-data",
        "--notebook",
        NOTEBOOK,
        "--output",
        out,
    )
    return run, out, transactions, complaints


def test_european_export_without_survey(european_run):
    run, out, transactions, complaints = european_run
    assert run.returncode == 0, run.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    _assert_self_contained(html)
    _assert_no_code(html)
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in html, heading
    assert Messages("en").text("missing.survey") in html
    assert "ventes.csv" in html and "réclamations.csv" in html
    assert str(transactions.parent) not in html and "/tmp/" not in html


def test_european_report_escapes_client_values(european_run):
    _, out, *_ = european_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert EVIL not in html and MULLER not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<td>{escaped}</td>" in html  # the top customer's id and a complaint topic
    assert "Prepared for Müller &amp; Söhne " + escaped in html
    assert f"<title>Customer loyalty report – Müller &amp; Söhne {escaped}</title>" in html


def test_european_figures_and_rejected_rows(european_run):
    _, out, transactions, complaints = european_run
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    tx, tx_report = load_transactions(transactions)
    summary = customer_summary(tx)
    assert (figures["rows_read"], figures["transactions"], figures["rows_rejected"]) == (
        len(tx) + 2,
        len(tx),
        2,
    )
    assert figures["customers"] == len(summary)
    assert figures["revenue"] == pytest.approx(summary["revenue"].sum(), abs=0.01)
    assert figures["top20_revenue_share"] == pytest.approx(top_share(summary["revenue"], 0.2), abs=1e-6)
    assert figures["complaints"] == len(load_complaints(complaints)[0])
    assert "servqual_unweighted" not in figures and figures["client"] == f"{MULLER} {EVIL}"
    rejected = pd.read_csv(out / "rejected_rows.csv")
    assert rejected[["table", "line", "reason"]].values.tolist() == [
        ["transactions", len(tx) + 2, "missing customer id"],
        ["transactions", len(tx) + 3, "unparseable date"],
    ]


@pytest.fixture(scope="module")
def excel_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("excel")
    sample = load_sample().transactions
    tx = sample[sample["customer_id"].isin(sorted(sample["customer_id"].unique())[::15])]
    frame = pd.DataFrame({"Card no.": tx["customer_id"], "Date": tx["date"], "Amount": tx["amount"]})
    frame.to_excel(folder / "crm.xlsx", sheet_name="Sales", index=False)
    out = folder / "out"
    return (
        _run(
            "--transactions",
            folder / "crm.xlsx",
            "--column",
            "customer_id=Card no.",
            "--observation-end",
            "2025-06-30",
            "--output",
            out,
        ),
        out,
        tx,
    )


def test_excel_file_with_a_named_column(excel_run):
    run, out, tx = excel_run
    assert run.returncode == 0, run.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    _assert_self_contained(html)
    assert "crm.xlsx" in html and "--complaints FILE" in html and "--survey FILE" in html
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    summary = customer_summary(tx, observation_end="2025-06-30")
    assert figures["observation_end"] == "2025-06-30" and figures["currency"] is None
    assert figures["customers"] == len(summary)
    assert figures["revenue"] == pytest.approx(summary["revenue"].sum(), abs=0.01)
    assert figures["rows_read"] == len(tx)  # every row, even those after the observation end


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory):
    """The report notebook with a wrong default in its parameters: the 80/20 step must fail."""
    folder = tmp_path_factory.mktemp("failing")
    nb = nbformat.read(report.notebook_path(), as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("assumptions = {}", 'assumptions = {"top_fraction": 1.5}')
    assert "1.5" in cell.source
    nbformat.write(nb, folder / "client-report.ipynb")
    out = folder / "out"
    return _run("--sample", "--notebook", folder / "client-report.ipynb", "--output", out), out


def test_failure_inside_the_notebook_exits_1_with_the_error_and_the_partial_notebook(failing_run):
    run, out = failing_run
    assert run.returncode == 1
    assert "LoyaltyDataError: fraction must be in (0, 1], got 1.5" in run.stderr
    assert 'failed at step "Executive summary"' in run.stderr
    assert f"The partial notebook, with the full error, is {out / 'report.ipynb'}" in run.stderr
    assert "Traceback" not in run.stderr
    assert (out / "report.ipynb").is_file() and not (out / "report.html").exists()


def _half_unusable(folder):
    path = folder / "half.csv"
    path.write_text(
        "customer;date;amount\nk1;2024-01-03;10\nk2;2024-02-31;4\n;2024-01-05;3\n", encoding="utf-8"
    )
    return path


def _ambiguous_dates(folder):
    path = folder / "dates.csv"
    path.write_text("customer;date;amount\nk1;03/01/2024;10\nk2;04/02/2024;4\n", encoding="utf-8")
    return path


def _no_customer(folder):
    path = folder / "nocustomer.csv"
    path.write_text("who;date;amount\nk1;2024-01-03;10\n", encoding="utf-8")
    return path


def _headerless(folder):
    path = folder / "export.csv"
    path.write_text("foo;bar;baz\n1;2;3\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args, message",
    [
        (lambda d: ["--transactions", d / "missing.csv"], "File not found"),
        (lambda d: ["--transactions", _headerless(d)], "no column was recognised as the transactions'"),
        (lambda d: ["--sample", "--language", "xx"], "available: en, fr, it, ru"),
        (lambda d: ["--sample", "--transactions", d / "x.csv"], "drop --transactions"),
        (lambda d: [], "Give the transactions export with --transactions FILE"),
        (lambda d: ["--sample", "--observation-end", "31/12/2025"], "write it as YYYY-MM-DD"),
        (lambda d: ["--sample", "--observation-end", "2001-01-01"], "before the first transaction"),
        (lambda d: ["--sample", "--column", "colour=Farbe"], "unknown role 'colour'"),
        (lambda d: ["--transactions", _half_unusable(d)], "pass --max-rejected-share 1 to go on anyway"),
        (lambda d: ["--sample", "--max-rejected-share", "5"], "--max-rejected-share 5 is not a share"),
        (lambda d: ["--transactions", _ambiguous_dates(d)], "Say which with --date-format '%d/%m/%Y'"),
        (lambda d: ["--transactions", _no_customer(d)], "--column 'customer_id=HEADER'"),
    ],
    ids=[
        "missing-file",
        "unrecognised-header",
        "unknown-language",
        "sample-and-file",
        "no-transactions",
        "bad-date",
        "end-before-data",
        "unknown-role",
        "too-many-unusable-rows",
        "share-above-1",
        "ambiguous-dates",
        "no-customer-column",
    ],
)
def test_bad_input_exits_2_before_the_notebook_runs(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main(["report", *map(str, args(tmp_path)), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.startswith("loyalty-lessons: ")
    assert not out.exists()  # no folder, no rows left behind for no report
    assert not list(tmp_path.glob(".out.*"))
    for python_name in (
        "max_rejected_share=",
        "columns=",
        "date_format=",
        "decimal=",
        "observation_end=",
        "report.rejected",
    ):
        assert python_name not in err  # the command's options, not the functions' arguments


def test_missing_notebook_is_a_clear_error(tmp_path, capsys):
    assert (
        main(["report", "--sample", "--notebook", str(tmp_path / "nope.ipynb"), "--output", str(tmp_path)])
        == 2
    )
    assert "--notebook" in capsys.readouterr().err


def test_report_data_reads_the_command_folder_like_the_files(european_run):
    _, out, transactions, complaints = european_run
    assert sorted(p.name for p in (out / "data").iterdir()) == [
        "complaints.parquet",
        "inputs.json",
        "transactions.parquet",
    ]  # --keep-data
    back = report.report_data(data_dir=out / "data", client=f"{MULLER} {EVIL}", currency="EUR")
    assert not back.sample
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert report.key_figures(back) == figures
    from_files = report.report_data(transactions, None, complaints)
    assert np.isclose(back.summary["revenue"].sum(), from_files.summary["revenue"].sum())
