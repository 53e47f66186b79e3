"""NotebookRun: a kernel started early runs a notebook as papermill alone would, and never outlives it.

Each test starts a Jupyter kernel (a second or two each); the notebooks are built by hand.
"""

import os
import signal
import subprocess
import sys

import nbformat
import psutil
import pytest
from jupyter_client.kernelspec import NoSuchKernel
from nbformat.v4 import new_code_cell, new_notebook
from papermill.exceptions import PapermillExecutionError

from loyalty_lessons import cli_report
from loyalty_lessons._run_notebook import NotebookRun
from loyalty_lessons.cli import main


def _notebook(path, *sources):
    """A Python notebook whose first cell is the parameters cell ``x = 1``."""
    nb = new_notebook(
        cells=[
            new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            *(new_code_cell(source) for source in sources),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _kernels() -> list[psutil.Process]:
    """Kernels started by this test process and still running."""
    return [
        p
        for p in psutil.Process().children(recursive=True)
        if p.is_running() and p.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(p.cmdline())
    ]


@pytest.fixture
def new_kernels():
    """Kernels of this test process started during the test and still running.

    Kernels that earlier tests of the session left running (the dashboard's, say) do not count.
    """
    before = {p.pid for p in _kernels()}
    return lambda: [p for p in _kernels() if p.pid not in before]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "out").mkdir()
    return tmp_path


def test_runs_in_cwd_after_the_warm_up_with_counts_from_1(folder):
    notebook = _notebook(folder / "in.ipynb", "import os\nprint(os.getcwd())", "print(warmed, x)", "x * 2")
    # The warm-up still sleeps when execute starts: the kernel runs the cells after it.
    with NotebookRun(folder / "out", warm_up="import time; time.sleep(0.5); warmed = 'yes'") as run:
        run.execute(notebook, folder / "out.ipynb", {"x": 21}, progress_bar=False)
    cells = nbformat.read(folder / "out.ipynb", as_version=4).cells
    assert [c.metadata.get("tags", []) for c in cells[:2]] == [["parameters"], ["injected-parameters"]]
    assert cells[1].source == "# Parameters\nx = 21\n"
    assert [c.execution_count for c in cells] == [1, 2, 3, 4, 5]
    assert [c.outputs for c in cells[:2]] == [[], []]
    assert cells[2].outputs[0].text == f"{folder / 'out'}\n"
    assert cells[3].outputs[0].text == "yes 21\n"
    assert cells[4].outputs[0].data == {"text/plain": "42"}
    assert not nbformat.read(notebook, as_version=4).cells[1].outputs  # the input is left as it was


def test_the_executed_notebook_is_written_once_at_the_end(folder):
    executed = folder / "out.ipynb"
    notebook = _notebook(folder / "in.ipynb", "import os", f"os.path.exists({str(executed)!r})")
    with NotebookRun(folder / "out") as run:
        run.execute(notebook, executed, {}, progress_bar=False)
    assert nbformat.read(executed, as_version=4).cells[-1].outputs[0].data == {"text/plain": "False"}


def test_a_failing_cell_raises_papermills_error_and_keeps_the_partial_notebook(folder):
    notebook = _notebook(folder / "in.ipynb", "# Divide\n1 / 0", "print('never')")
    with NotebookRun(folder / "out") as run, pytest.raises(PapermillExecutionError) as info:
        run.execute(notebook, folder / "out.ipynb", {"x": 2}, progress_bar=False)
    assert (info.value.ename, info.value.source) == ("ZeroDivisionError", "# Divide\n1 / 0")
    cells = [c for c in nbformat.read(folder / "out.ipynb", as_version=4).cells if c.cell_type == "code"]
    assert cells[2].outputs[0].output_type == "error" and not cells[3].outputs


def test_execute_stops_the_kernel_quietly_once_the_notebook_has_run(folder, capfd, new_kernels):
    run = NotebookRun(folder / "out")
    kernel = psutil.Process(run.km.provisioner.pid)
    run.execute(
        _notebook(folder / "in.ipynb", "import pandas", "x"), folder / "out.ipynb", {}, progress_bar=False
    )
    assert not kernel.is_running() and not new_kernels()
    assert nbformat.read(folder / "out.ipynb", as_version=4).cells[-1].outputs[0].data == {"text/plain": "1"}
    assert "Traceback" not in capfd.readouterr().err
    run.close()  # the caller's close: nothing left to do


def test_close_before_execute_kills_the_starting_kernel_quietly(folder, capfd, new_kernels):
    run = NotebookRun(folder / "out")  # closed at once: the kernel is still starting
    run.close()
    assert not new_kernels()
    assert "Traceback" not in capfd.readouterr().err  # the kernel's stderr is this process's


def test_a_kernel_that_cannot_start_raises_in_execute(folder):
    with NotebookRun(folder / "out", kernel_name="no-such-kernel") as run, pytest.raises(NoSuchKernel):
        run.execute(_notebook(folder / "in.ipynb"), folder / "out.ipynb", {}, progress_bar=False)
    assert not (folder / "out.ipynb").exists()


def test_a_report_whose_file_fails_to_load_leaves_no_kernel(tmp_path, capsys, new_kernels):
    out = tmp_path / "out"
    assert main(["report", "--transactions", str(tmp_path / "missing.csv"), "--output", str(out)]) == 2
    assert "File not found" in capsys.readouterr().err
    assert not new_kernels() and not out.exists()  # nothing written, not even an empty data/
    assert not list(tmp_path.iterdir())


def test_ctrl_c_while_the_files_load_exits_130_in_one_line_and_leaves_nothing(
    tmp_path, capsys, monkeypatch, new_kernels
):
    real = cli_report.load_for_report

    def interrupted(args, folder):
        real(args, folder)  # the files are checked and saved in the working folder, then Ctrl+C
        assert (folder / "inputs.json").is_file()
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_report, "load_for_report", interrupted)
    out = tmp_path / "deep" / "out"
    assert main(["report", "--sample", "--output", str(out)]) == 130
    assert capsys.readouterr().err == "loyalty-lessons: interrupted; nothing was written.\n"
    assert not new_kernels() and not list(tmp_path.iterdir())  # not even the parent folder it made


def test_ctrl_c_while_the_notebook_runs_exits_130_and_leaves_nothing(tmp_path):
    """The terminal sends SIGINT to the command and its kernel alike (one process group)."""
    out = tmp_path / "out"
    run = subprocess.Popen(
        [sys.executable, "-m", "loyalty_lessons.cli", "report", "--sample", "--output", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As a terminal delivers Ctrl+C, even when the tests run in the background (``nohup``,
        # ``&``), whose children inherit SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert run.stderr.readline().startswith("Checked the files")  # the notebook starts now
        os.killpg(run.pid, signal.SIGINT)
        stdout, stderr = run.communicate(timeout=60)
    finally:
        run.kill()
    assert run.returncode == 130, stderr
    assert (
        stderr.rstrip().endswith("\nloyalty-lessons: interrupted; nothing was written.")
        or stderr.strip() == "loyalty-lessons: interrupted; nothing was written."
    )
    assert "Traceback" not in stderr and "Report written" not in stdout
    assert not list(tmp_path.iterdir())  # no report folder, no partial one beside it


def test_importing_it_keeps_the_iri_grammars_out_and_notebooks_still_validate():
    # A fresh interpreter: this test process may have imported jsonschema already.
    code = (
        "import sys, loyalty_lessons._run_notebook, papermill, nbformat\n"
        "assert sys.modules['rfc3987_syntax'] is None, sys.modules['rfc3987_syntax']\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"
        "bad = nbformat.v4.new_notebook(); bad.cells.append({'cell_type': 'code'})\n"
        "try:\n    nbformat.validate(bad)\nexcept nbformat.ValidationError:\n    print('invalid')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "invalid\n"


def test_the_kernel_runs_with_one_blas_thread_no_huge_page_advice_and_the_system_allocator_unless_told(
    folder, monkeypatch
):
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")  # the environment's own choice wins
    code = (
        "import os, pyarrow\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['NUMPY_MADVISE_HUGEPAGE'], "
        "pyarrow.default_memory_pool().backend_name)"
    )
    notebook = _notebook(folder / "in.ipynb", code)
    with NotebookRun(folder / "out") as run:
        run.execute(notebook, folder / "out.ipynb", {}, progress_bar=False)
    cells = nbformat.read(folder / "out.ipynb", as_version=4).cells
    assert cells[-1].outputs[0].text == "3 0 system\n"


def test_the_warm_up_imports_what_the_report_imports(tmp_path):
    """After the warm-up's imports, the report's kernel computes and draws the sample report from
    the files the command saved without importing more of the packages imported on first use:
    they are all imported while the command loads the files."""
    from loyalty_lessons import report
    from loyalty_lessons._run_notebook import REPORT_IMPORTS

    report.report_data("sample", "sample", "sample", folder=tmp_path / "data").inputs.save(tmp_path / "data")
    script = f"""
import sys
import {", ".join(REPORT_IMPORTS)}
before = set(sys.modules)
from loyalty_lessons import report
data = report.report_data(None, None, None, data_dir="data")
report.write_key_figures(data, "figures.json")
for name in report.__all__:
    if name.endswith("_section"):
        getattr(report, name)(data)
slow = ("loyalty_lessons", "matplotlib", "scipy")  # imported on first use; pandas comes with the report
print(sorted(m for m in set(sys.modules) - before if m.split(".")[0] in slow))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
