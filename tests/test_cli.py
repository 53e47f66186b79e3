import pytest

from loyalty_lessons.cli import main


def test_summary_of_the_sample(capsys):
    assert main(["summary", "--rows", "3"]) == 0
    out = capsys.readouterr().out
    assert "rows read" in out and "rows set aside         0" in out
    assert "Per-customer summary (3,000 customers)" in out


def test_summary_of_a_client_file(tmp_path, capsys):
    path = tmp_path / "caisse.csv"
    path.write_bytes("Carte;Jour;Montant\nK1;13/01/2024;10,50\nK1;14/01/2024;4,50\n".encode("cp1252"))
    assert (
        main(
            ["summary", "--transactions", str(path), "--column", "customer_id=Carte", "--column", "date=Jour"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "customers 1," in out and "net revenue 15.00" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--transactions", "missing.csv"], "File not found: 'missing.csv'"),
        (["--column", "customer_id"], "should look like ROLE=HEADER"),
    ],
    ids=["missing-file", "bad-column-option"],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(capsys, args, message):
    assert main(["summary", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


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
    from loyalty_lessons.cli import _report_columns

    assert _report_columns(pairs) == expected


@pytest.mark.parametrize(
    "pairs, message",
    [(["colour=Farbe"], "unknown role 'colour'"), (["orders.customer_id=X"], "unknown table 'orders'")],
    ids=["unknown-role", "unknown-table"],
)
def test_report_columns_refuse_what_they_do_not_know(pairs, message):
    from loyalty_lessons.cli import _report_columns
    from loyalty_lessons.errors import LoyaltyDataError

    with pytest.raises(LoyaltyDataError, match=message):
        _report_columns(pairs)


def test_report_help_lists_its_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in (
        "--transactions",
        "--survey",
        "--complaints",
        "--sample",
        "--column",
        "--date-format",
        "--client",
        "--currency",
        "--observation-end",
        "--holdout-start",
        "--horizon-months",
        "--language",
        "--output",
    ):
        assert option in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--holdout-start", "1/7/2025"], "--holdout-start '1/7/2025' is not a date; write it as YYYY-MM-DD"),
        (["--holdout-start", "2030-01-01"], "--holdout-start 2030-01-01 is not inside the period"),
        (["--holdout-start", "2001-01-01"], "--holdout-start 2001-01-01 is not inside the period"),
        (["--horizon-months", "0"], "--horizon-months '0' is not a horizon the report can use"),
        (["--horizon-months", "six"], "give a whole number of months from 1 to 120"),
        (["--horizon-months", "121"], "from 1 to 120"),
        (["--horizon-months", "1.5"], "from 1 to 120"),
    ],
    ids=[
        "holdout-not-a-date",
        "holdout-after-end",
        "holdout-before-data",
        "horizon-0",
        "horizon-word",
        "horizon-too-long",
        "horizon-fraction",
    ],
)
def test_model_options_are_checked_with_a_clear_message(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert main(["report", "--sample", *args, "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert "holdout_start=" not in err and "horizon_months=" not in err  # the options, not the arguments
    assert not out.exists()


def test_model_options_reach_the_notebook(monkeypatch, tmp_path):
    from loyalty_lessons import cli

    seen = {}

    class Run:
        def __init__(self, work):
            pass

        def execute(self, notebook, executed, parameters):
            seen.update(parameters)
            raise RuntimeError("stop here")

        def close(self):
            pass

    monkeypatch.setattr("loyalty_lessons._run_notebook.NotebookRun", Run)
    args = ["report", "--sample", "--holdout-start", "2025-01-01", "--horizon-months", "6"]
    assert cli.main([*args, "--output", str(tmp_path / "out")]) == 1
    assert seen["holdout_start"] == "2025-01-01" and seen["horizon_months"] == 6


@pytest.mark.parametrize(
    "argv", [["--help"], ["report", "--help"], ["summary", "--help"]], ids=["command", "report", "summary"]
)
def test_help_is_plain_text(capsys, argv):
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert "``" not in out and ":func:" not in out and "loyalty-lessons" in out


def test_the_default_share_of_unusable_rows_is_the_loaders():
    from loyalty_lessons import cli
    from loyalty_lessons.load_report import MAX_REJECTED_SHARE

    assert cli._MAX_REJECTED_SHARE == MAX_REJECTED_SHARE


def test_summary_accepts_more_unusable_rows_when_told(tmp_path, capsys):
    path = tmp_path / "half.csv"
    path.write_text("customer;date;amount\nk1;2024-01-03;10\nk2;2024-02-31;4\n", encoding="utf-8")
    assert main(["summary", "--transactions", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--max-rejected-share 1 to go on anyway" in err and "max_rejected_share" not in err
    assert main(["summary", "--transactions", str(path), "--max-rejected-share", "0.5"]) == 0
    assert "rows set aside         1" in capsys.readouterr().out


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
    from loyalty_lessons.cli import _in_cli_terms

    worded = _in_cli_terms(message)
    assert expected in worded
    for python_name in ("columns=", "date_format=", "observation_end=", "sheet=", "delimiter="):
        assert python_name not in worded


def _report_folder(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("keep_data", [False, True], ids=["without-data", "keep-data"])
def test_a_new_report_replaces_only_an_earlier_reports_files(tmp_path, keep_data):
    from loyalty_lessons.cli import _move_into_place

    out = _report_folder(
        tmp_path / "out",
        {
            "report.html": "old",
            "rejected_rows.csv": "old",
            "notes.txt": "mine",
            "data/transactions.parquet": "old",
            "data/inputs.json": "old",
        },
    )
    work = _report_folder(
        tmp_path / ".out.1.partial",
        {"report.html": "new", "report.ipynb": "new", "figures.json": "new", "data/inputs.json": "new"},
    )
    _move_into_place(work, out, keep_data)
    assert not work.exists()
    left = {str(p.relative_to(out)): p.read_text() for p in out.rglob("*") if p.is_file()}
    expected = {"report.html": "new", "report.ipynb": "new", "figures.json": "new", "notes.txt": "mine"}
    assert left == {**expected, **({"data/inputs.json": "new"} if keep_data else {})}


def test_a_report_into_a_new_folder_is_moved_there_whole(tmp_path):
    from loyalty_lessons.cli import _move_into_place

    work = _report_folder(tmp_path / ".out.1.partial", {"report.html": "new", "data/inputs.json": "new"})
    _move_into_place(work, tmp_path / "out", keep_data=False)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.html"]
