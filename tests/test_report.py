"""The client report: key figures, catalogue and export without a kernel; the command end to end.

The end-to-end runs start a Jupyter kernel and take several seconds each, so there are four
(the sample business, a European CSV export without survey, an Excel file, a failing
notebook), each run once per module and shared by the tests that read its output.
"""

import json
import re
import subprocess
import sys

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
from loyalty_lessons.report_text import Messages, available_languages, html_table
from loyalty_lessons.retention import annual_retention
from loyalty_lessons.samples import load_sample

EVIL = "<script>alert(1)</script>"
MULLER = "Müller & Söhne"
HEADINGS = [Messages("en").text(f"headings.{k}") for k in (
    "summary", "data_quality", "quality_gap", "customer_types", "pareto", "loyalty_value", "monitoring",
    "actions")]


# --------------------------------------------------------------------------- helpers

def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "loyalty_lessons.cli", "report", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


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
    return pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b", "c", "d", "e", "f", "f"],
        "date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-03-01", "2024-01-10", "2024-03-20",
                                "2024-01-15", "2024-02-01", "2024-02-11", "2024-03-02", "2024-03-30"]),
        "amount": [100.0, 50.0, 30.0, 20.0, 20.0, 10.0, 5.0, 5.0, 8.0, -3.0],
    }).astype({"customer_id": "str", "date": "datetime64[us]"})


def _tiny_data(**kwargs) -> report.ReportData:
    tx = _tiny_transactions()
    tx_report = load_transactions(tx)[1]
    tx_report.source = "caisse.csv"
    inputs = Inputs(tx, None, None, customer_summary(tx), {"transactions": tx_report}, tx["date"].max())
    return report.ReportData(inputs, **kwargs)


# --------------------------------------------------------------------------- catalogue

def test_unknown_language_is_refused_with_the_available_ones():
    with pytest.raises(LoyaltyDataError, match=r"language 'xx'; available: en\b"):
        Messages("xx")
    assert available_languages() == ["en"]


@pytest.mark.parametrize("value", [EVIL, MULLER, '"quoted" \'value\''], ids=["script", "ampersand", "quotes"])
def test_catalogue_escapes_every_value(value):
    m = Messages("en")
    text = m.text("title.prepared_for", client=value)
    assert value not in text and "&" in text
    assert text.startswith("Prepared for ") and "<" not in text.removeprefix("Prepared for ")


def test_catalogue_numbers_dates_and_lists():
    m = Messages("en")
    assert m.number(1234567.891, 2) == "1,234,567.89"
    assert (m.percent(0.125, 1), m.signed(-1.071), m.signed(0.7), m.number(float("nan"))) == ("12.5%", "−1.07", "+0.70", "–")
    assert m.money(12.5, "EUR", 2) == "12.50 EUR" and m.money(12.5, None, 2) == "12.50"
    assert m.date(pd.Timestamp("2025-12-31")) == "31 December 2025"
    assert m.join(["a", "b", EVIL]) == "a, b and &lt;script&gt;alert(1)&lt;/script&gt;"


def test_a_missing_key_names_itself():
    with pytest.raises(KeyError, match="no entry 'headings.nothing'"):
        Messages("en").text("headings.nothing")
    with pytest.raises(KeyError, match="needs the value 'client'"):
        Messages("en").text("title.prepared_for")


def test_html_table_escapes_cells_and_aligns_numbers():
    table = html_table([[MULLER, "1,234"]], ["Customer", "Revenue"], numeric={1})
    assert "<td>Müller &amp; Söhne</td>" in table and '<td class="num">1,234</td>' in table


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
    summary = customer_summary(sample.transactions)
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


def test_canonical_tables_round_trip(tmp_path, sample_data):
    report.write_canonical(sample_data.inputs, tmp_path)
    back = report.read_canonical(tmp_path)
    assert back.transactions == tmp_path / "transactions.parquet" and back.summary is None
    pd.testing.assert_frame_equal(pd.read_parquet(back.transactions), sample_data.inputs.transactions)
    for name in report.TABLES:
        if name != "transactions":
            pd.testing.assert_frame_equal(getattr(back, name), getattr(sample_data.inputs, name))
        assert back.reports[name].rows_read == sample_data.inputs.reports[name].rows_read
    assert back.observation_end == sample_data.inputs.observation_end
    pd.testing.assert_frame_equal(report.ReportData(back).summary, sample_data.inputs.summary)


def test_the_folder_route_streams_the_transactions_and_gives_the_same_figures(tmp_path, sample_data):
    inputs = load_inputs(folder=tmp_path)
    assert inputs.transactions == tmp_path / "transactions.parquet" and inputs.summary is None
    assert inputs.observation_end == sample_data.inputs.observation_end
    report.write_canonical(inputs, tmp_path)
    from_folder = report.report_data(data_dir=tmp_path)
    assert report.key_figures(from_folder) == report.key_figures(sample_data)


def test_what_the_load_found_about_orders_reaches_the_aggregates(tmp_path, monkeypatch):
    export = tmp_path / "export.csv"
    export.write_text("customer;order;date;amount\nc1;T1;2024-02-25;10\nc1;T2;2024-03-25;5\n", encoding="utf-8")
    inputs = load_inputs(transactions=export, survey=None, complaints=None, folder=tmp_path / "data")
    report.write_canonical(inputs, tmp_path / "data")
    back = report.read_canonical(tmp_path / "data")
    assert back.reports["transactions"].one_line_orders
    seen = {}
    real = report.aggregate
    monkeypatch.setattr(report, "aggregate", lambda *a, **k: seen.update(k) or real(*a, **k))
    assert report.ReportData(back).summary["orders"].tolist() == [2]
    assert seen["one_line_orders"] is True


def test_write_canonical_refuses_transactions_written_elsewhere(tmp_path):
    inputs = load_inputs(folder=tmp_path / "one")
    with pytest.raises(LoyaltyDataError, match="not in"):
        report.write_canonical(inputs, tmp_path / "two")


def test_read_canonical_without_its_folder_says_so(tmp_path):
    with pytest.raises(LoyaltyDataError, match="load_reports.json is missing"):
        report.read_canonical(tmp_path)


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


def test_client_values_are_escaped_in_the_sections():
    tx = _tiny_transactions().replace({"customer_id": {"a": EVIL, "b": MULLER}})
    tx_report = load_transactions(tx)[1]
    complaints = pd.DataFrame({"customer_id": [EVIL, "c"], "date": pd.to_datetime(["2024-03-01"] * 2),
                               "category": [MULLER, EVIL]}).astype({"date": "datetime64[us]"})
    inputs = Inputs(tx, None, complaints, customer_summary(tx),
                    {"transactions": tx_report, "complaints": load_complaints(complaints)[1]}, tx["date"].max())
    data = report.ReportData(inputs, client=EVIL)
    html = "".join(f(data) for f in (report.title_section, report.summary_section, report.pareto_section,
                                     report.customer_types_section, report.actions_section))
    assert EVIL not in html and MULLER not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Müller &amp; Söhne" in html


def test_export_keeps_only_the_report_outputs():
    html_out = new_output("display_data", data={"text/html": "<h2>Kept</h2>", "text/plain": "x"})
    nb = new_notebook(cells=[
        new_code_cell("secret_code = 1", outputs=[new_output("stream", name="stderr", text="a warning")]),
        new_code_cell("display(HTML(x))", outputs=[html_out]),
        new_code_cell("other()", outputs=[new_output("execute_result", data={"text/plain": "'repr'"},
                                                     execution_count=1)]),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    page = report.notebook_to_html(nb, title=f"Report – {EVIL}")
    assert "<h2>Kept</h2>" in page
    for hidden in ("secret_code", "a warning", "'repr'", "In&nbsp;[", "display(HTML"):
        assert hidden not in page
    assert "<title>Report – &lt;script&gt;" in page and "@media print" in page
    _assert_self_contained(page.replace("<h2>Kept</h2>", "<h2>Kept</h2><img src=\"data:image/png;base64,x\">"))


def test_the_notebook_is_thin_and_its_parameters_are_literals():
    import ast

    nb = nbformat.read(report.notebook_path(), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for node in ast.parse(tagged[0].source).body:
        ast.literal_eval(node.value)
    steps = [c.source.splitlines()[-1] for c in code[2:]]
    assert steps and all(re.fullmatch(r"display\(HTML\(report\.\w+_section\(data\)\)\)", s) for s in steps)
    assert all(not c.outputs for c in code)  # stored without outputs: the command runs it


# --------------------------------------------------------------------------- end to end

@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "report"
    run = _run("--sample", "--output", out)
    return run, out


def test_sample_report_runs_and_writes_every_file(sample_run):
    run, out = sample_run
    assert run.returncode == 0, run.stderr
    assert "Report written to" in run.stdout and "Executing" in run.stderr  # papermill's progress bar
    for name in ("report.html", "report.ipynb", "figures.json", "data/transactions.parquet",
                 "data/load_reports.json"):
        assert (out / name).is_file(), name
    assert not (out / "rejected_rows.csv").exists()  # nothing was set aside


def test_sample_report_html(sample_run):
    _, out = sample_run
    html = (out / "report.html").read_text(encoding="utf-8")
    _assert_self_contained(html)
    _assert_no_code(html)
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in html, heading
    assert "Lindenhof Coffee Roasters" in html and "EUR" in html
    assert str(out.parent) not in html and "/tmp/" not in html
    assert len(html.encode()) < 3_000_000
    assert html.count('<figure class="chart">') >= 8


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
    cp = cp.assign(customer_id=cp["customer_id"].replace(rename),
                   category=cp["category"].replace({"late delivery": EVIL, "price": MULLER}))
    clines = ["Client;Date;Motif"] + [f"{r.customer_id};{r.date:%d/%m/%Y};{r.category}" for r in cp.itertuples()]
    (folder / "réclamations.csv").write_bytes(("\r\n".join(clines) + "\r\n").encode("cp1252"))
    return folder / "ventes.csv", folder / "réclamations.csv"


@pytest.fixture(scope="module")
def european_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("client")
    transactions, complaints = _european_files(folder)
    out = folder / "rapport"
    run = _run("--transactions", transactions, "--complaints", complaints, "--client", f"{MULLER} {EVIL}",
               "--currency", "EUR", "--output", out)
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
    assert (figures["rows_read"], figures["transactions"], figures["rows_rejected"]) == (len(tx) + 2, len(tx), 2)
    assert figures["customers"] == len(summary)
    assert figures["revenue"] == pytest.approx(summary["revenue"].sum(), abs=0.01)
    assert figures["top20_revenue_share"] == pytest.approx(top_share(summary["revenue"], 0.2), abs=1e-6)
    assert figures["complaints"] == len(load_complaints(complaints)[0])
    assert "servqual_unweighted" not in figures and figures["client"] == f"{MULLER} {EVIL}"
    rejected = pd.read_csv(out / "rejected_rows.csv")
    assert rejected[["table", "line", "reason"]].values.tolist() == [
        ["transactions", len(tx) + 2, "missing customer id"], ["transactions", len(tx) + 3, "unparseable date"]]


@pytest.fixture(scope="module")
def excel_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("excel")
    sample = load_sample().transactions
    tx = sample[sample["customer_id"].isin(sorted(sample["customer_id"].unique())[::15])]
    frame = pd.DataFrame({"Card no.": tx["customer_id"], "Date": tx["date"], "Amount": tx["amount"]})
    frame.to_excel(folder / "crm.xlsx", sheet_name="Sales", index=False)
    out = folder / "out"
    return _run("--transactions", folder / "crm.xlsx", "--column", "customer_id=Card no.",
                "--observation-end", "2025-06-30", "--output", out), out, tx


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


def _headerless(folder):
    path = folder / "export.csv"
    path.write_text("foo;bar;baz\n1;2;3\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args, message",
    [
        (lambda d: ["--transactions", d / "missing.csv"], "File not found"),
        (lambda d: ["--transactions", _headerless(d)], "no column was recognised as the transactions'"),
        (lambda d: ["--sample", "--language", "xx"], "available: en"),
        (lambda d: ["--sample", "--transactions", d / "x.csv"], "drop --transactions"),
        (lambda d: [], "Give the transactions export with --transactions FILE"),
        (lambda d: ["--sample", "--observation-end", "31/12/2025"], "write it as YYYY-MM-DD"),
        (lambda d: ["--sample", "--observation-end", "2001-01-01"], "before the first transaction"),
        (lambda d: ["--sample", "--column", "colour=Farbe"], "unknown role 'colour'"),
    ],
    ids=["missing-file", "unrecognised-header", "unknown-language", "sample-and-file", "no-transactions",
         "bad-date", "end-before-data", "unknown-role"],
)
def test_bad_input_exits_2_before_the_notebook_runs(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main(["report", *map(str, args(tmp_path)), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.startswith("loyalty-lessons: ")
    assert not (out / "report.ipynb").exists()
    assert not (out / "data" / "transactions.parquet").exists()  # no rows left behind for no report


def test_missing_notebook_is_a_clear_error(tmp_path, capsys):
    assert main(["report", "--sample", "--notebook", str(tmp_path / "nope.ipynb"), "--output", str(tmp_path)]) == 2
    assert "--notebook" in capsys.readouterr().err


def test_report_data_reads_the_command_folder_like_the_files(sample_run, sample_data):
    _, out = sample_run
    back = report.report_data(data_dir=out / "data")
    assert back.sample and back.currency == "EUR"
    assert report.key_figures(back) == report.key_figures(sample_data)
    assert np.isclose(back.summary["revenue"].sum(), sample_data.summary["revenue"].sum())
