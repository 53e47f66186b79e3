"""The command's options, checked, and the package's advice worded in them."""

import pytest


@pytest.mark.parametrize(
    "pairs, expected",
    [
        (
            ["customer_id=N° carte", "amount=CA TTC"],
            {"transactions": {"customer_id": "N° carte", "amount": "CA TTC"}, "survey": {}, "complaints": {}},
        ),
        (
            ["category=Motif", "recommend=Q23"],
            {"transactions": {}, "survey": {"recommend": "Q23"}, "complaints": {"category": "Motif"}},
        ),
        (
            ["complaints.customer_id=Client", "survey.customer_id=Carte"],
            {"transactions": {}, "survey": {"customer_id": "Carte"}, "complaints": {"customer_id": "Client"}},
        ),
    ],
    ids=["transactions-roles", "roles-of-one-table", "table-prefix"],
)
def test_report_columns_go_to_their_table(pairs, expected):
    from loyalty_lessons.cli_options import report_columns

    assert report_columns(pairs) == expected


@pytest.mark.parametrize(
    "pairs, message",
    [(["colour=Farbe"], "unknown role 'colour'"), (["orders.customer_id=X"], "unknown table 'orders'")],
    ids=["unknown-role", "unknown-table"],
)
def test_report_columns_refuse_what_they_do_not_know(pairs, message):
    from loyalty_lessons.cli_options import report_columns
    from loyalty_lessons.errors import LoyaltyDataError

    with pytest.raises(LoyaltyDataError, match=message):
        report_columns(pairs)


def test_the_default_share_of_unusable_rows_is_the_loaders():
    from loyalty_lessons import cli_options
    from loyalty_lessons.load_report import MAX_REJECTED_SHARE

    assert cli_options.MAX_REJECTED_SHARE == MAX_REJECTED_SHARE


@pytest.mark.parametrize(
    "message, expected",
    [
        (
            "caisse.csv: no column was recognised as the transaction customer_id. Columns found: ['who']. "
            'Name them with columns={"customer_id": "<header>"}.',
            "Name them with --column 'customer_id=HEADER'.",
        ),
        (
            "avis.csv: no column was recognised as the complaint customer_id / category. "
            'Name them with columns={"customer_id": "<header>", "category": "<header>"}.',
            "Name them with --column 'complaints.customer_id=HEADER' --column 'category=HEADER'.",
        ),
        (
            "No date format fits column 'Jour' of x.csv (e.g. ['1.2.3']). "
            "Pass date_format= with the strptime format, e.g. date_format='%d/%m/%Y'.",
            "Pass --date-format FMT with the strptime format, e.g. --date-format '%d/%m/%Y'.",
        ),
        ("columns= maps 'date' to 'Jour', but x.csv has no such column.", "--column maps 'date' to 'Jour'"),
        (
            "There are no transactions on or before observation_end=2020-01-01; "
            "choose a later observation_end: there is nothing to aggregate.",
            "on or before --observation-end 2020-01-01; choose a later --observation-end:",
        ),
        (
            "'x.xlsx' has no sheet 'B'; its sheets are ['A']. Pass sheet= with one of them.",
            "Save that sheet as a file of its own",
        ),
        (
            "'x.csv' could not be read as a ';'-separated file: bad. Check that it is a CSV export, or pass "
            "delimiter= and encoding=.",
            "or save it again as a CSV file in UTF-8.",
        ),
    ],
    ids=[
        "transactions-column",
        "complaints-columns",
        "date-format",
        "unknown-header",
        "observation-end",
        "sheet",
        "delimiter",
    ],
)
def test_package_advice_is_worded_in_the_commands_options(message, expected):
    from loyalty_lessons.cli_options import in_cli_terms

    worded = in_cli_terms(message)
    assert expected in worded
    for python_name in ("columns=", "date_format=", "observation_end=", "sheet=", "delimiter="):
        assert python_name not in worded
