"""The workshop server: Voilà serving the workshop notebooks on 127.0.0.1, and its command line.

:func:`serve` makes a private temporary folder for the data (its path goes to every
page's kernel in :data:`~loyalty_lessons.workshop.store.FOLDER_ENV`), writes Voilà's
configuration and a page template that fetches nothing from the internet, starts Voilà,
and removes the folder when the server stops. :func:`main` is
``python -m loyalty_lessons.workshop [--port N]``. Nothing is sent anywhere: the server
listens on the loopback address only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from loyalty_lessons import resources
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.workshop.pages import INDEX_NOTEBOOK
from loyalty_lessons.workshop.store import FOLDER_ENV

__all__ = ["free_port", "main", "serve", "voila_command", "workshop_folder"]

_TEMPLATE = "loyalty-workshop"
_NOTEBOOKS = resources.workshop_folder()


@contextmanager
def workshop_folder() -> Iterator[Path]:
    """A private temporary folder for the server's data, removed on exit (even on error)."""
    folder = Path(tempfile.mkdtemp(prefix="loyalty-workshop-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_FONT_LINKS = re.compile(r"^.*<link[^>]+https?://[^>]*>\s*$", re.MULTILINE)


def _voila_setup(folder: Path) -> tuple[Path, Path]:
    """Write the server's Voilà configuration and page template under ``folder``.

    The configuration raises the size of a websocket message (an upload travels in one)
    from 10 MB to 256 MB and stops the kernels of closed pages. The template is Voilà's own
    "lab" page without the stylesheets it fetches from a public CDN, so that the browser
    asks nothing of the internet.

    Returns
    -------
    (Path, Path)
        The configuration folder and the folder to put on ``JUPYTER_PATH``.
    """
    from voila.paths import collect_template_paths

    config = folder / ".voila" / "config"
    config.mkdir(parents=True)
    (config / "voila.json").write_text(
        json.dumps(
            {
                "Voila": {"tornado_settings": {"websocket_max_message_size": 256 * 1024 * 1024}},
                # A closed page's kernel should stop, but Voilà's shutdown request is refused
                # (voila-dashboards/voila#1458): stop kernels no page is connected to after 10 minutes.
                "MappingKernelManager": {"cull_idle_timeout": 600, "cull_interval": 60},
            }
        )
    )
    jupyter = folder / ".voila" / "jupyter"
    template = jupyter / "voila" / "templates" / _TEMPLATE
    template.mkdir(parents=True)
    (template / "conf.json").write_text(json.dumps({"base_template": "lab"}))
    lab = next(
        Path(p) / "index.html.j2"
        for p in collect_template_paths(["voila"], "lab")
        if (Path(p) / "index.html.j2").is_file()
    )
    (template / "index.html.j2").write_text(_FONT_LINKS.sub("", lab.read_text()))
    return config, jupyter


def voila_command(
    port: int, notebooks: str | Path | None = None, config: str | Path | None = None
) -> list[str]:
    """The command that serves the workshop notebooks with Voilà on 127.0.0.1:``port``.

    Parameters
    ----------
    port : int
    notebooks : str or Path, optional
        Default ``notebooks/workshop`` of the repository.
    config : str or Path, optional
        Folder of ``voila.json`` and the page template (see ``serve``); Voilà's defaults
        and its "lab" template when None.

    Examples
    --------
    >>> "--Voila.ip=127.0.0.1" in voila_command(8866)
    True
    """
    notebooks = Path(notebooks) if notebooks is not None else _NOTEBOOKS
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebooks),
        f"--port={port}",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        "--show_tracebacks=False",
    ]
    if config is not None:
        command += [f"--Voila.config_file_paths={config}", f"--template={_TEMPLATE}"]
    return command


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(
    port: int | None = None,
    *,
    notebooks: str | Path | None = None,
    launch: Callable[..., subprocess.Popen] = subprocess.Popen,
    out: Callable[[str], None] = print,
) -> int:
    """Serve the workshop until stopped (Ctrl+C); remove its data folder on the way out.

    Parameters
    ----------
    port : int, optional
        Port on 127.0.0.1; a free one when None.
    notebooks : str or Path, optional
        Folder of the workshop notebooks; default ``notebooks/workshop`` of the repository.
    launch : callable
        Starts the server process (``subprocess.Popen``; replaced in tests).
    out : callable
        Where the address is printed.

    Returns
    -------
    int
        The server's exit status (0 when stopped with Ctrl+C).

    Raises
    ------
    LoyaltyDataError
        If the notebooks folder does not exist.
    """
    notebooks = Path(notebooks) if notebooks is not None else _NOTEBOOKS
    if not (notebooks / INDEX_NOTEBOOK).is_file():
        raise LoyaltyDataError(
            f"No workshop notebooks in {notebooks}: run the workshop from a copy "
            "of the repository, or pass the folder holding index.ipynb."
        )
    port = port or free_port()
    with workshop_folder() as folder:
        config, jupyter = _voila_setup(folder)
        search = os.pathsep.join(filter(None, [str(jupyter), os.environ.get("JUPYTER_PATH")]))
        env = {**os.environ, FOLDER_ENV: str(folder), "JUPYTER_PATH": search}
        process = launch(voila_command(port, notebooks, config), env=env)
        out(f"Workshop dashboard: http://127.0.0.1:{port}/voila/render/{INDEX_NOTEBOOK}  (Ctrl+C to stop)")
        try:
            return process.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            _stop(process)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """``loyalty-lessons workshop [--port N]``: serve the dashboard until Ctrl+C."""
    parser = argparse.ArgumentParser(
        prog="loyalty-lessons workshop", description="Serve the lesson explorers as a dashboard on 127.0.0.1."
    )
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    parser.add_argument("--notebooks", default=None, help="folder of the workshop notebooks")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)  # so that a stopped server still cleans up
    try:
        return serve(args.port, notebooks=args.notebooks)
    except LoyaltyDataError as problem:
        print(problem, file=sys.stderr)
        return 2
