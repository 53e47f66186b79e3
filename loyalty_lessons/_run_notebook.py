"""Start the report's Jupyter kernel early, so that it is ready when the data is.

Running the report notebook has fixed costs that do not depend on the client's files: starting
a kernel that then imports pandas, DuckDB and matplotlib (about 1.5 s), and importing papermill
(about 0.4 s). :class:`NotebookRun` starts the kernel, with those imports queued to it, and
imports papermill in a thread, while the command loads and checks the files; then it hands the
kernel to papermill. The kernel runs on another core; the thread shares this interpreter with
the loading, so it gains most while the loading parses in pandas or DuckDB, i.e. on large files.

Importing papermill imports nbformat, which imports jsonschema, which builds the grammars of
``rfc3987_syntax`` (when installed, as JupyterLab's dependencies install it) to check the
"iri" string format: about 1.2 s at import and 0.35 s more at exit, for a format no notebook
schema uses. This module keeps that package out of the process that imports it (jsonschema
then skips that one format check), unless something imported it already.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.session import Session
from jupyter_core.utils import run_sync

from loyalty_lessons.resources import kernel_environment

__all__ = ["REPORT_IMPORTS", "NotebookRun"]

#: What nbclient passes to the kernels it starts itself: no IPython history file on disk.
_NO_HISTORY_FILE = "--HistoryManager.hist_file=:memory:"
#: The kernel logs only errors: its warning that it listens on localhost TCP without
#: encryption would otherwise stand before every report's own messages.
_ERRORS_ONLY = "--IPKernelApp.log_level=ERROR"

#: The report notebook's slow imports, made while the command loads the files: pandas and
#: DuckDB with the report; SciPy's statistics and optimiser, which the noise tests and the
#: model fits import on first use; and the chart modules with matplotlib, which the package
#: ``loyalty_lessons.plots`` imports only when a chart is first drawn (``_lazy``): about 0.6 s
#: that the 10 M-row report otherwise spent in its notebook. A module left out here is imported
#: by the notebook itself, in its time (tests/test_run_notebook.py checks that the report
#: imports nothing more of these packages).
REPORT_IMPORTS = (
    "loyalty_lessons.report",
    "loyalty_lessons.plots.customer_base",
    "loyalty_lessons.plots.customer_types",
    "loyalty_lessons.plots.monitoring",
    "loyalty_lessons.plots.pareto",
    "loyalty_lessons.plots.quality_gap",
    "matplotlib.backends.backend_agg",
    "scipy.optimize",
    "scipy.stats",
)
_REPORT_IMPORTS = "import " + ", ".join(REPORT_IMPORTS)


# None in sys.modules makes `import rfc3987_syntax` raise ImportError, which jsonschema expects
# of an optional format checker (jsonschema/_format.py, `with suppress(ImportError)`).
sys.modules.setdefault("rfc3987_syntax", None)


def _import_papermill() -> None:
    # NotebookRun.execute imports it again and raises the error there.
    with contextlib.suppress(Exception):
        import papermill  # noqa: F401


class NotebookRun:
    """A Jupyter kernel started now and warmed up, to execute one notebook with papermill later.

    The kernel process starts without waiting for it, the warm-up code is queued to it, and
    papermill is imported in a background thread; the caller meanwhile does its own work (the
    report command loads the client's files). :meth:`execute` then runs the notebook on this
    kernel. The executed notebook is the same as from ``papermill.execute_notebook`` alone: the
    warm-up runs silently, so it has no outputs and takes no execution count, and the kernel
    runs the notebook's cells after it, in order.

    Parameters
    ----------
    cwd : Path
        Working directory of the kernel: relative paths in the notebook start here. It must
        exist.
    kernel_name : str, default "python3"
        The Jupyter kernel to start.
    warm_up : str, default: import the modules of ``REPORT_IMPORTS``
        Code the kernel runs before the notebook, typically its slow imports; "" for none. Its
        errors are not reported: the notebook meets them again when it runs the same code.

    Notes
    -----
    A kernel that cannot start (e.g. no ``python3`` kernel installed) does not raise here but
    in :meth:`execute`, so that a caller reports problems with its files first and the kernel's
    in the place where it already reports papermill's. Always :meth:`close` the run (or use it
    as a context manager), also when the work before :meth:`execute` fails.

    Examples
    --------
    >>> with NotebookRun(out) as run:  # doctest: +SKIP
    ...     data = load_everything()  # while the kernel starts
    ...     run.execute(notebook, out / "report.ipynb", {"data_dir": "data"})
    """

    def __init__(self, cwd: Path, kernel_name: str = "python3", warm_up: str = _REPORT_IMPORTS) -> None:
        self.cwd = Path(cwd)
        self.kernel_name = kernel_name
        self.km: AsyncKernelManager | None = None
        self._client = None
        self._start_error: Exception | None = None
        try:
            self.km = AsyncKernelManager(kernel_name=kernel_name)  # papermill's default manager
            extra = [_NO_HISTORY_FILE, _ERRORS_ONLY] if self.km.ipykernel else []
            run_sync(self.km.start_kernel)(cwd=str(self.cwd), extra_arguments=extra, env=kernel_environment())
            if warm_up:
                # A session of its own: a client on the manager's session would connect with the
                # same zmq identity as the client papermill connects later.
                key, scheme = self.km.session.key, self.km.session.signature_scheme
                self._client = self.km.client(session=Session(key=key, signature_scheme=scheme))
                self._client.start_channels(iopub=False, stdin=False, hb=False, control=False)
                self._client.execute(warm_up, silent=True, store_history=False)
        except Exception as err:
            self._start_error = err
        self._papermill = threading.Thread(target=_import_papermill, name="import papermill", daemon=True)
        self._papermill.start()

    def execute(self, notebook: Path, executed: Path, parameters: dict, progress_bar: bool = True) -> None:
        """Run ``notebook`` with ``parameters`` on the started kernel, writing it to ``executed``.

        Parameters
        ----------
        notebook : Path
            The notebook to run; it is not changed.
        executed : Path
            Where papermill writes the executed notebook once it has run, or up to the cell
            that failed (not also before and after each cell).
        parameters : dict
            Values papermill injects after the cell tagged ``parameters``.
        progress_bar : bool, default True
            Show papermill's progress bar on stderr.

        Raises
        ------
        papermill.exceptions.PapermillExecutionError
            If a cell raised; ``executed`` then holds the notebook up to that cell, with the error.
        Exception
            Whatever stopped the kernel from starting or papermill from running.
        """
        if self._start_error is not None:
            raise self._start_error
        self._papermill.join()
        import papermill

        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=parameters,
                kernel_name=self.kernel_name,
                progress_bar=progress_bar,
                km=self.km,
                request_save_on_cell_execute=False,
            )
        finally:
            self.close()

    def close(self) -> None:
        """Stop the kernel at once if it is still running; calling it again does nothing.

        The kernel is killed rather than asked to shut down: whether it is still starting (an
        interrupted start prints a traceback), busy with the warm-up or done with the notebook,
        it holds nothing to save, and a polite shutdown waits about 0.5 s for it to free what the
        report imported. :meth:`execute` calls this when the notebook has run.
        """
        if self._client is not None:
            self._client.stop_channels()
            self._client = None
        if self.km is not None:
            try:
                if run_sync(self.km.is_alive)():
                    run_sync(self.km.shutdown_kernel)(now=True)
            finally:
                run_sync(self.km.cleanup_resources)()
                self.km = None

    def __enter__(self) -> NotebookRun:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
