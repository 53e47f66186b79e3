"""The command's parser: its help lists the options, in plain text."""

import pytest

from loyalty_lessons.cli import main


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
    "argv", [["--help"], ["report", "--help"], ["summary", "--help"]], ids=["command", "report", "summary"]
)
def test_help_is_plain_text(capsys, argv):
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert "``" not in out and ":func:" not in out and "loyalty-lessons" in out
