import subprocess
import sys
import zipfile

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
    assert main(["summary", "--transactions", str(path), "--column", "customer_id=Carte",
                 "--column", "date=Jour"]) == 0
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


def test_installed_wheel_carries_the_sample(tmp_path):
    """load_sample() must work from an installed package, not only from a checkout."""
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(root)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"loyalty_lessons/sample_data/{n}.csv" for n in ("transactions", "survey", "complaints")} <= set(names)
    assert "loyalty_lessons/messages/en.toml" in names  # the report's sentences
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = "from loyalty_lessons import load_sample; s = load_sample(); print(len(s.transactions))"
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(target)},
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) > 10_000


@pytest.mark.parametrize(
    "pairs, expected",
    [
        (["customer_id=N° carte", "amount=CA TTC"],
         {"transactions": {"customer_id": "N° carte", "amount": "CA TTC"}, "survey": {}, "complaints": {}}),
        (["category=Motif", "recommend=Q23"],
         {"transactions": {}, "survey": {"recommend": "Q23"}, "complaints": {"category": "Motif"}}),
        (["complaints.customer_id=Client", "survey.customer_id=Carte"],
         {"transactions": {}, "survey": {"customer_id": "Carte"}, "complaints": {"customer_id": "Client"}}),
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
    for option in ("--transactions", "--survey", "--complaints", "--sample", "--column", "--date-format",
                   "--client", "--currency", "--observation-end", "--language", "--output"):
        assert option in out
