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


def test_summary_accepts_more_unusable_rows_when_told(tmp_path, capsys):
    path = tmp_path / "half.csv"
    path.write_text("customer;date;amount\nk1;2024-01-03;10\nk2;2024-02-31;4\n", encoding="utf-8")
    assert main(["summary", "--transactions", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--max-rejected-share 1 to go on anyway" in err and "max_rejected_share" not in err
    assert main(["summary", "--transactions", str(path), "--max-rejected-share", "0.5"]) == 0
    assert "rows set aside         1" in capsys.readouterr().out
