"""The report command: the options reach the notebook; the report is moved into place."""

import pytest


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


def _report_folder(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("keep_data", [False, True], ids=["without-data", "keep-data"])
def test_a_new_report_replaces_only_an_earlier_reports_files(tmp_path, keep_data):
    from loyalty_lessons.cli_report import move_into_place

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
    move_into_place(work, out, keep_data)
    assert not work.exists()
    left = {str(p.relative_to(out)): p.read_text() for p in out.rglob("*") if p.is_file()}
    expected = {"report.html": "new", "report.ipynb": "new", "figures.json": "new", "notes.txt": "mine"}
    assert left == {**expected, **({"data/inputs.json": "new"} if keep_data else {})}


def test_a_report_into_a_new_folder_is_moved_there_whole(tmp_path):
    from loyalty_lessons.cli_report import move_into_place

    work = _report_folder(tmp_path / ".out.1.partial", {"report.html": "new", "data/inputs.json": "new"})
    move_into_place(work, tmp_path / "out", keep_data=False)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.html"]
