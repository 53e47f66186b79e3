"""Tests of loyalty_lessons.data: the transactions and complaints loaders on hand-written exports."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_lessons import LoyaltyDataError
from loyalty_lessons.data import (
    load_complaints,
    load_transactions,
    match_columns,
    transactions_to_parquet,
)


def write(tmp_path, text, name="export.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- formats -------------------------------------------------------------------------------

EUROPEAN = (
    "N° client;Date d'achat;Montant TTC;N° ticket;Magasin\n"
    "C001;03/02/2024;1 234,50 €;T1;Lyon\n"
    "C002;13/02/2024;12,00 €;T2;Lyon\n"
    "C001;14/02/2024;-5,50 €;T3;Paris\n"
    "C003;29/02/2024;7,25;T4;Paris\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"], ids=["utf8", "utf8-bom", "cp1252"])
def test_european_export(tmp_path, encoding):
    tx, report = load_transactions(write(tmp_path, EUROPEAN, encoding=encoding))
    assert tx["customer_id"].tolist() == ["C001", "C002", "C001", "C003"]
    assert tx["amount"].tolist() == [1234.5, 12.0, -5.5, 7.25]
    assert tx["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-02-03",
        "2024-02-13",
        "2024-02-14",
        "2024-02-29",
    ]
    assert tx["order_id"].tolist() == ["T1", "T2", "T3", "T4"]
    assert tx["channel"].tolist() == ["Lyon", "Lyon", "Paris", "Paris"]
    assert report.columns["customer_id"] == "N° client"
    assert report.detected["delimiter"] == ";"
    assert report.detected["date_format"] == "%d/%m/%Y"
    assert report.detected["amount_decimal"] == ","
    assert report.detected["encoding"] == encoding
    assert (report.rows_read, report.rows_kept, report.rows_rejected, report.refunds) == (4, 4, 0, 1)
    assert report.date_min == pd.Timestamp("2024-02-03")


@pytest.mark.parametrize(
    "text, amounts",
    [
        ('customer,date,amount\na,2024-01-05,"$1,234.50"\nb,2024-01-06,$3.10\n', [1234.5, 3.1]),
        ("customer\tdate\tamount\na\t2024-01-05\t1234.5\nb\t2024-01-06\t(3.10)\n", [1234.5, -3.1]),
        ("customer|date|amount\na|2024-01-05|1.234,50\nb|2024-01-06|3,1\n", [1234.5, 3.1]),
        ("Kunde;Datum;Betrag\na;05.01.2024;1.234,50 EUR\nb;06.01.2024;3,10-\n", [1234.5, -3.1]),
        ("клиент;дата;сумма\na;05.01.2024;1 234,50 ₽\nb;06.01.2024;3,10\n", [1234.5, 3.1]),
    ],
    ids=[
        "us-dollars-comma",
        "tab-accounting-negative",
        "pipe-decimal-comma",
        "german-trailing-minus",
        "russian",
    ],
)
def test_delimiters_and_amount_styles(tmp_path, text, amounts):
    tx, report = load_transactions(write(tmp_path, text))
    assert tx["amount"].tolist() == amounts
    assert report.rows_rejected == 0


@pytest.mark.parametrize(
    "header",
    [
        "cliente;data;importo",
        "Kunde;Datum;Betrag",
        "cliente;fecha;importe",
        "client;date;montant",
        "клиент;дата;сумма",
        "Customer ID;Order Date;Total",
    ],
    ids=["it", "de", "es", "fr", "ru", "en"],
)
def test_headers_in_six_languages(tmp_path, header):
    tx, report = load_transactions(write(tmp_path, f"{header}\nx;2024-05-01;10\n"))
    assert list(tx.columns) == ["customer_id", "date", "amount"]
    assert set(report.columns) == {"customer_id", "date", "amount"}


def test_month_first_dates_are_detected(tmp_path):
    tx, report = load_transactions(write(tmp_path, "customer,date,amount\na,01/31/2024,1\nb,02/01/2024,2\n"))
    assert report.detected["date_format"] == "%m/%d/%Y"
    assert tx["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-31", "2024-02-01"]


def test_times_are_dropped(tmp_path):
    tx, _ = load_transactions(
        write(tmp_path, "customer,date,amount\na,2024-03-01T14:05:00,1\nb,2024-03-02 09:00,2\n")
    )
    assert tx["date"].tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-02")]


def test_excel(tmp_path):
    path = tmp_path / "till.xlsx"
    frame = pd.DataFrame(
        {
            "Cliente": [1001, 1002, 1001],
            "Data": pd.to_datetime(["2024-01-02", "2024-01-03", "2024-02-01"]),
            "Importo": [10.5, 20.0, -3.0],
            "Promozione": ["sì", "no", "no"],
        }
    )
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"notes": ["read me"]}).to_excel(writer, sheet_name="Info", index=False)
        frame.to_excel(writer, sheet_name="Vendite", index=False)
    tx, report = load_transactions(path, sheet="Vendite")
    assert tx["customer_id"].tolist() == ["1001", "1002", "1001"]  # no '1001.0'
    assert tx["amount"].tolist() == [10.5, 20.0, -3.0]
    assert tx["promotion"].tolist() == [True, False, False]
    assert report.detected["sheet"] == "Vendite"
    with pytest.raises(LoyaltyDataError, match=r"no sheet 'Sales'.*\['Info', 'Vendite'\]"):
        load_transactions(path, sheet="Sales")


def test_parquet_and_dataframe(tmp_path):
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-02"]),
            "amount": [1.5, 2.5],
            "discount": [0.0, 0.5],
        }
    )
    path = tmp_path / "tx.parquet"
    frame.to_parquet(path)
    for source in (path, frame):
        tx, report = load_transactions(source)
        assert tx["amount"].tolist() == [1.5, 2.5]
        assert tx["promotion"].tolist() == [False, True]  # from the discount
        assert report.rows_kept == 2


def test_explicit_column_mapping(tmp_path):
    path = write(tmp_path, "Carte;Jour;CA\nk1;2024-01-01;3\n")
    with pytest.raises(LoyaltyDataError) as err:
        load_transactions(path)
    message = str(err.value)
    assert "Columns found: ['Carte', 'Jour', 'CA']" in message
    assert 'columns={"customer_id": "<header>"' in message
    tx, report = load_transactions(path, columns={"customer_id": "Carte", "date": "Jour", "amount": "CA"})
    assert tx.loc[0, "amount"] == 3.0 and report.columns["customer_id"] == "Carte"


@pytest.mark.parametrize(
    "table, text, found, missing",
    [
        (
            "transactions",
            "Carte;Jour;Montant\nk1;2024-01-01;3\n",
            {"amount": "Montant"},
            ["customer_id", "date"],
        ),
        (
            "complaints",
            "client;date;motif\nk1;2024-01-01;attente\n",
            {"date": "date", "customer_id": "client", "category": "motif"},
            [],
        ),
    ],
    ids=["transactions-missing-roles", "complaints-all-found"],
)
def test_match_columns_says_what_the_loader_would_use_without_loading(tmp_path, table, text, found, missing):
    match = match_columns(write(tmp_path, text), table)
    assert match.headers == text.split("\n")[0].split(";")
    assert (match.found, match.missing) == (found, missing)
    given = match_columns(write(tmp_path, text), table, columns={"customer_id": match.headers[0]})
    assert given.found["customer_id"] == match.headers[0] and "customer_id" not in given.missing


def test_match_columns_refuses_an_unknown_table_or_header(tmp_path):
    path = write(tmp_path, "client;date;montant\nk1;2024-01-01;3\n")
    with pytest.raises(LoyaltyDataError, match="table must be one of"):
        match_columns(path, "survey")
    with pytest.raises(LoyaltyDataError, match="has no such column"):
        match_columns(path, "transactions", columns={"amount": "CA"})


@pytest.mark.parametrize(
    "content, encoding",
    [
        ("abcdé\nfghij\n".encode(), "utf-8"),  # "é" straddles two chunks of 5 bytes
        (b"abcd\xc3\nfghi\xa9\n", "cp1252"),  # bytes of one character apart, ASCII between them
        ("abcd\nefgh\nijé".encode("cp1252"), "cp1252"),  # one Latin-1 byte in the last chunk
        ("abcd\nefgh\nijé".encode()[:-1], "cp1252"),  # the file ends inside a character
        ("abcd\nefgh\nijé".encode(), "utf-8"),
    ],
    ids=["split-character", "cut-character", "late-cp1252", "truncated", "utf8-at-the-end"],
)
def test_the_encoding_is_found_over_the_whole_file(tmp_path, monkeypatch, content, encoding):
    from loyalty_lessons import _read

    monkeypatch.setattr(_read, "_CHUNK", 5)
    (tmp_path / "f.csv").write_bytes(content)
    lines = content.count(b"\n") + (not content.endswith(b"\n"))
    assert _read._scan_bytes(tmp_path / "f.csv") == (encoding, lines)


# --- nothing silently lost -----------------------------------------------------------------

MESSY = (
    "customer;date;amount;promo\n"  # 1
    "a;05/02/2024;10,00;oui\n"  # 2
    ";06/02/2024;11,00;non\n"  # 3 missing customer
    "b;31/02/2024;12,00;non\n"  # 4 unparseable date
    "\n"  # 5 blank
    "c;07/02/2024;douze;non\n"  # 6 non-numeric amount
    "d;07/02/2024;1;2;3\n"  # 7 malformed
    "e;;5,00;non\n"  # 8 missing date
    "f;08/02/2024;;non\n"  # 9 missing amount
    "g;09/02/2024;4,00;peut-être\n"  # 10 bad flag
    "a;05/02/2024;10,00;oui\n"  # 11 duplicate of 2, kept
    "h;13/02/2024;12.50;non\n"  # 12 a decimal point in a decimal-comma column
)


def test_every_row_is_kept_or_set_aside_with_its_line(tmp_path):
    tx, report = load_transactions(write(tmp_path, MESSY), max_rejected_share=1.0)
    assert report.rows_read == 10  # 12 lines less the header and the blank line
    assert report.rows_kept == len(tx) == 2
    assert report.rows_kept + report.rows_rejected == report.rows_read
    got = dict(zip(report.rejected["line"], report.rejected["reason"]))
    assert got == {
        3: "missing customer id",
        4: "unparseable date",
        6: "non-numeric amount",
        7: "malformed line (too many columns)",
        8: "missing date",
        9: "missing amount",
        10: "unrecognised promotion flag",
        12: "non-numeric amount",
    }
    assert report.duplicates == 1
    assert report.rejected.loc[report.rejected["line"] == 6, "amount"].item() == "douze"
    assert "rows set aside" in repr(report) and "<table" in report._repr_html_()


@pytest.mark.parametrize("text", [EUROPEAN, MESSY], ids=["clean", "messy"])
def test_parquet_output_holds_the_rows_load_transactions_returns(tmp_path, text):
    source = write(tmp_path, text)
    tx, report = load_transactions(source, max_rejected_share=1.0)
    written = transactions_to_parquet(source, tmp_path / "out.parquet", max_rejected_share=1.0)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out.parquet"), tx, check_dtype=False)
    assert repr(written) == repr(report)
    pd.testing.assert_frame_equal(written.rejected, report.rejected)


def test_parquet_output_is_not_left_behind_when_the_load_fails(tmp_path):
    destination = tmp_path / "out.parquet"
    with pytest.raises(LoyaltyDataError, match="could not be used"):
        transactions_to_parquet(write(tmp_path, MESSY), destination)
    assert not destination.exists()


@pytest.mark.parametrize(
    "lines, one_line, duplicates",
    [
        (["c1;T1;10", "c1;T2;10", "c2;T1;10"], True, 0),  # T1 of another customer is another order
        (["c1;T1;10", "c1;T1;4"], False, 0),  # an order of two lines
        (["c1;T1;10", "c2;T2;5", "c1;T1;10"], False, 1),  # the same line twice
        (["c1;T1;10", "c2;;5"], False, 0),  # a line without an order id
    ],
    ids=["one-line", "two-lines", "duplicate", "no-order-id"],
)
def test_the_report_says_whether_every_row_is_an_order_of_its_own(tmp_path, lines, one_line, duplicates):
    text = "client;ticket;montant;date\n" + "".join(f"{line};25/02/2024\n" for line in lines)
    _, report = load_transactions(write(tmp_path, text))
    assert (report.one_line_orders, report.duplicates) == (one_line, duplicates)
    items = report.summary().set_index("item")["value"]
    assert items["one row per order"] == ("yes" if one_line else "no")


def test_without_order_ids_rows_are_not_orders_of_their_own(tmp_path):
    _, report = load_transactions(
        write(tmp_path, "client;montant;date\nc1;10;25/02/2024\nc1;10;25/02/2024\n")
    )
    assert (report.one_line_orders, report.duplicates) == (False, 1)
    assert "one row per order" not in report.summary()["item"].tolist()


def test_too_many_rows_set_aside_is_an_error_with_examples(tmp_path):
    with pytest.raises(LoyaltyDataError) as err:
        load_transactions(write(tmp_path, MESSY))
    message = str(err.value)
    assert "8 of 10 transaction rows (80%)" in message
    assert "missing customer id" in message and "max_rejected_share=1.0" in message


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["c1", "c2", "", " "]),
            st.sampled_from(["05/02/2024", "31/02/2024", "", "2024-02-05", "soon"]),
            st.sampled_from(["10,00", "1 234,50 €", "", "abc", "-3,5", "(2,00)"]),
            st.booleans(),  # a blank line before the row
            st.booleans(),  # an extra field (malformed)
        ),
        min_size=1,
        max_size=25,
    )
)
def test_kept_plus_set_aside_equals_read_on_messy_files(tmp_path_factory, rows):
    lines = ["client;date;montant"]
    expected_lines = []
    for customer, date, amount, blank, extra in rows:
        if blank:
            lines.append("")
        lines.append(f"{customer};{date};{amount}" + (";x" if extra else ""))
        expected_lines.append(len(lines))
    path = tmp_path_factory.mktemp("messy") / "f.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        tx, report = load_transactions(path, max_rejected_share=1.0, date_format="%d/%m/%Y")
    except LoyaltyDataError as err:
        assert "no transaction rows" in str(err) or "could not be read" in str(err)
        return
    assert report.rows_read == len(rows)
    assert report.rows_kept + report.rows_rejected == report.rows_read
    assert report.rows_kept == len(tx)
    assert set(report.rejected["line"]) <= set(expected_lines)
    assert report.rejected["line"].is_unique


# --- fatal problems ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda p: p / "nope.csv", "File not found"),
        (lambda p: write(p, ""), "is empty"),
        (lambda p: write(p, "\n\na,b\n"), "no header"),
        (lambda p: write(p, "customer,date,amount\n"), "no transaction rows"),
        (
            lambda p: write(p, "customer,date,amount\na,03/04/2024,1\nb,04/05/2024,2\n"),
            r"read equally well day-first and month-first.*date_format='%d/%m/%Y'",
        ),
        (lambda p: write(p, "customer,date,amount\na,yesterday,1\n"), "No date format fits column 'date'"),
        (
            lambda p: write(p, "customer,when,amount\na,2024-01-01,1\n"),
            r"recognised as the transactions' date",
        ),
        (
            lambda p: write(p, "PK\x03\x04garbage", name="book.xlsx"),
            "could not be opened as an Excel workbook",
        ),
    ],
    ids=[
        "missing",
        "empty",
        "no-header",
        "no-rows",
        "ambiguous-dates",
        "no-date-format",
        "no-date-column",
        "bad-excel",
    ],
)
def test_fatal_problems_raise_one_clear_error(tmp_path, make, match):
    with pytest.raises(LoyaltyDataError, match=match):
        load_transactions(make(tmp_path))


def test_ambiguous_header_asks_for_a_mapping(tmp_path):
    path = write(tmp_path, "customer,date,amount,total\na,2024-01-01,1,2\n")
    with pytest.raises(LoyaltyDataError, match=r"several columns that could be the 'amount'.*columns="):
        load_transactions(path)


# --- complaints ----------------------------------------------------------------------------


def test_complaints(tmp_path):
    path = write(
        tmp_path, "cliente;data;categoria\nc1;21/03/2024;attesa\nc2;22/03/2024;\n;23/03/2024;prezzo\n"
    )
    complaints, report = load_complaints(path, max_rejected_share=0.5)
    assert complaints["category"].tolist() == ["attesa", "unspecified"]
    assert report.rejected[["line", "reason"]].values.tolist() == [[4, "missing customer id"]]


def test_raw_column_only_when_the_reader_set_lines_aside(tmp_path):
    _, report = load_transactions(
        write(tmp_path, "customer;date;amount\n;05/02/2024;1\nb;13/02/2024;2\n"), max_rejected_share=1.0
    )
    assert set(report.rejected.columns) == {"line", "reason", "customer", "date", "amount"}
