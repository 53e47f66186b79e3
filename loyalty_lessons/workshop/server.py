"""The workshop server: Voilà serving the workshop notebooks, alone on 127.0.0.1 or shared with a room.

:func:`serve` makes a private temporary folder for the data (its path goes to every
page's kernel in :data:`~loyalty_lessons.workshop.store.FOLDER_ENV`), writes Voilà's
configuration and a page template that fetches nothing from the internet, starts Voilà,
and removes the folder when the server stops. :func:`main` is
``python -m loyalty_lessons.workshop [--port N] [--share]``.

Alone (the default) the server listens on the loopback address only. With ``share=True`` it
listens on the machine's network address behind a random token, prints the participants'
link with a QR code and the facilitator's link (which carries a second key, see
:mod:`~loyalty_lessons.workshop.roles`), keeps pools of pre-started kernels for the pages a
room opens together (``pool`` for each of ``pool_pages``; Voilà run by
:mod:`~loyalty_lessons.workshop.pool`), and stops the kernels of closed pages after two idle
minutes. ``language``
(``--language fr``) is the pages' default language, given to every page's kernel in
:data:`~loyalty_lessons.workshop.texts.LANGUAGE_ENV`; a page's address may ask for another
(``?lang=it``), and its index page offers them all.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlencode

from loyalty_lessons import resources
from loyalty_lessons.errors import LoyaltyDataError
from loyalty_lessons.workshop.folder import FOLDER_ENV
from loyalty_lessons.workshop.navigation import INDEX_NOTEBOOK
from loyalty_lessons.workshop.roles import FACILITATOR_ENV
from loyalty_lessons.workshop.texts import LANGUAGE_ENV, check_language

__all__ = [
    "IDLE_KERNEL_S",
    "POOLED_PAGES",
    "REFILL_DELAY_S",
    "free_port",
    "main",
    "network_address",
    "qr_code",
    "serve",
    "share_links",
    "voila_command",
    "workshop_folder",
]

_TEMPLATE = "loyalty-workshop"
_NOTEBOOKS = resources.workshop_folder()

#: The pages a room opens all at once by default (from the link, then to vote): each keeps a
#: pool of pre-started kernels (``--pool-pages`` names others); the others start a kernel
#: when asked (a kernel holds about 0.25 GB, see docs/workshop.md).
POOLED_PAGES = ("index.ipynb", "scorecard.ipynb")

#: Seconds Voilà waits, after a page took a kernel from its pool, before starting another
#: (its default is one): a room opens a page together, then moves its controls and goes on to
#: the next page, starting their kernels; a refill started meanwhile would compete with
#: them for the processor and the memory. A page never waits for a refill: it takes a ready
#: kernel or starts its own (:mod:`~loyalty_lessons.workshop.pool`).
REFILL_DELAY_S = 120.0

#: Seconds a kernel whose page is closed may stay idle before the server stops it.
IDLE_KERNEL_S = 120
#: Seconds between two looks for idle kernels.
_CULL_INTERVAL_S = 30


@contextmanager
def workshop_folder() -> Iterator[Path]:
    """A private temporary folder for the server's data, removed on exit (even on error)."""
    folder = Path(tempfile.mkdtemp(prefix="loyalty-workshop-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def free_port(address: str = "127.0.0.1") -> int:
    """A TCP port free on ``address`` at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def network_address() -> str:
    """The machine's address on its local network (127.0.0.1 when it has none).

    Asks the system which address it would send from; no packet is sent.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def share_links(address: str, port: int, token: str, key: str, language: str = "en") -> tuple[str, str]:
    """The participants' link and the facilitator's link of a shared room (with ``lang=``
    unless English).

    Examples
    --------
    >>> share_links("192.168.1.5", 8866, "t0k", "k3y")[1]
    'http://192.168.1.5:8866/voila/render/index.ipynb?token=t0k&facilitator=k3y'
    >>> share_links("192.168.1.5", 8866, "t0k", "k3y", "fr")[0]
    'http://192.168.1.5:8866/voila/render/index.ipynb?token=t0k&lang=fr'
    """
    base = f"http://{address}:{port}/voila/render/{INDEX_NOTEBOOK}"
    lang = {"lang": language} if language != "en" else {}
    return (
        f"{base}?{urlencode({'token': token, **lang})}",
        f"{base}?{urlencode({'token': token, 'facilitator': key, **lang})}",
    )


def qr_code(link: str) -> str:
    """``link`` as a QR code drawn with text blocks for a terminal ("" without ``segno``)."""
    try:
        import segno
    except ImportError:
        return ""
    text = io.StringIO()
    segno.make(link, error="m").terminal(out=text, compact=True)
    return text.getvalue()


_FONT_LINKS = re.compile(r"^.*<link[^>]+https?://[^>]*>\s*$", re.MULTILINE)
#: The projector's stylesheet, shipped with the package (text at 18 px and more).
_STYLESHEET = "projector.css"


def _voila_setup(
    folder: Path, *, token: str | None = None, pool: int = 0, pages: Sequence[str] = POOLED_PAGES
) -> tuple[Path, Path, Path]:
    """Write the server's Voilà configuration, page template and kernels' IPython folder.

    The configuration raises the size of a websocket message (an upload travels in one)
    from 10 MB to 256 MB, lets a page stop its kernel when it is left, stops the kernels of
    closed pages that could not, sets the token of a shared
    room and its pools of pre-started kernels (``pool`` for each of ``pages``; see
    :mod:`~loyalty_lessons.workshop.pool` for how they are used and refilled). The template is Voilà's own
    "lab" page without the stylesheets it fetches from a public CDN, so that the browser
    asks nothing of the internet, and with the projector's stylesheet. The kernels' IPython
    folder keeps no history, so nothing of the client's data is written outside ``folder``.

    Returns
    -------
    (Path, Path, Path)
        The configuration folder, the folder to put on ``JUPYTER_PATH`` and the
        ``IPYTHONDIR`` of the kernels.
    """
    from voila.paths import collect_template_paths

    config = folder / ".voila" / "config"
    config.mkdir(parents=True)
    voila = {
        "tornado_settings": {
            "websocket_max_message_size": 256 * 1024 * 1024,
            # Voilà's page asks to stop its kernel when it is left, but without the XSRF field
            # its server requires, so the request is refused (voila-dashboards/voila#1458) and
            # the kernel of every page left stays until culled: 250 MB per page a participant
            # has visited. Its only other form is the token's login, which a forged request
            # could only fill with the room's own token.
            "disable_check_xsrf": True,
        },
        # The port printed is the port used: never another one if it is taken.
        "port_retries": 0,
    }
    if token:
        voila["token"] = token
    settings = {
        "Voila": voila,
        # A closed page's kernel should stop, but Voilà's shutdown request is refused
        # (voila-dashboards/voila#1458): stop kernels no page is connected to once idle.
        "MappingKernelManager": {
            "cull_idle_timeout": IDLE_KERNEL_S,
            "cull_interval": _CULL_INTERVAL_S,
            "cull_connected": False,
        },
    }
    if pool:
        settings["VoilaConfiguration"] = {"preheat_kernel": True}
        pools = {"default": {"pool_size": 0}}
        # Voilà names a page by its path in the notebooks folder ("index.ipynb"), not by
        # its full path: a pool under any other name is never filled.
        for page in pages:
            pools[page] = {"pool_size": pool}
        settings["VoilaKernelManager"] = {"kernel_pools_config": pools, "fill_delay": REFILL_DELAY_S}
    (config / "voila.json").write_text(json.dumps(settings))
    jupyter = folder / ".voila" / "jupyter"
    template = jupyter / "voila" / "templates" / _TEMPLATE
    template.mkdir(parents=True)
    (template / "conf.json").write_text(json.dumps({"base_template": "lab"}))
    lab = next(
        Path(p) / "index.html.j2"
        for p in collect_template_paths(["voila"], "lab")
        if (Path(p) / "index.html.j2").is_file()
    )
    css = files("loyalty_lessons.workshop").joinpath(_STYLESHEET).read_text(encoding="utf-8")
    page = _FONT_LINKS.sub("", lab.read_text()).replace(
        "{%- endblock notebook_css -%}",
        "<style>{% raw %}" + css + "{% endraw %}</style>\n{%- endblock notebook_css -%}",
        1,
    )
    (template / "index.html.j2").write_text(page)
    ipython = folder / ".ipython" / "profile_default"
    ipython.mkdir(parents=True)
    no_history = json.dumps({"HistoryManager": {"enabled": False}})
    for name in ("ipython_config.json", "ipython_kernel_config.json"):
        (ipython / name).write_text(no_history)
    return config, jupyter, ipython.parent


def voila_command(
    port: int,
    notebooks: str | Path | None = None,
    config: str | Path | None = None,
    *,
    address: str = "127.0.0.1",
    pooled: bool = False,
) -> list[str]:
    """The command that serves the workshop notebooks with Voilà on ``address``:``port``.

    Parameters
    ----------
    port : int
    notebooks : str or Path, optional
        Default ``notebooks/workshop`` of the repository.
    config : str or Path, optional
        Folder of ``voila.json`` and the page template (see ``serve``); Voilà's defaults
        and its "lab" template when None.
    address : str, default "127.0.0.1"
        The address to listen on.
    pooled : bool, default False
        Run Voilà with a room's pools of pre-started kernels
        (:mod:`~loyalty_lessons.workshop.pool`).

    Examples
    --------
    >>> "--Voila.ip=127.0.0.1" in voila_command(8866)
    True
    """
    notebooks = Path(notebooks) if notebooks is not None else _NOTEBOOKS
    command = [
        sys.executable,
        "-m",
        "loyalty_lessons.workshop.pool" if pooled else "voila",
        str(notebooks),
        f"--port={port}",
        "--no-browser",
        f"--Voila.ip={address}",
        "--show_tracebacks=False",
    ]
    if config is not None:
        command += [f"--Voila.config_file_paths={config}", f"--template={_TEMPLATE}"]
    return command


def _forward(stream, quiet: threading.Event) -> None:
    """Pass the server's log on to ours until it is being stopped.

    Stopping, a kernel still busy (a pooled one waiting for its page's request) may print the
    traceback of its closed socket: nothing a person at the terminal needs to read.
    """
    for line in stream:
        if not quiet.is_set():
            sys.stderr.write(line)
    stream.close()


def _stop(process: subprocess.Popen, quiet: threading.Event | None = None) -> None:
    # SIGTERM: Voilà stops its kernels and its loop quietly (SIGINT would print a traceback).
    if quiet is not None:
        quiet.set()
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(
    port: int | None = None,
    *,
    share: bool = False,
    address: str | None = None,
    pool: int = 2,
    pool_pages: Sequence[str] = POOLED_PAGES,
    notebooks: str | Path | None = None,
    language: str = "en",
    launch: Callable[..., subprocess.Popen] = subprocess.Popen,
    out: Callable[[str], None] = print,
) -> int:
    """Serve the workshop until stopped (Ctrl+C); remove its data folder on the way out.

    Parameters
    ----------
    port : int, optional
        Port to listen on; a free one when None.
    share : bool, default False
        Serve a room: listen on ``address`` behind a random token, with a facilitator's
        key, a pool of pre-started kernels, and print both links and a QR code.
    address : str, optional
        Address to listen on when shared; default the machine's network address
        (:func:`network_address`). Alone, always 127.0.0.1.
    pool : int, default 2
        Pre-started kernels for each of ``pool_pages`` when shared.
    pool_pages : sequence of str, default :data:`POOLED_PAGES`
        The pages whose kernels are started before anyone asks (names of notebooks in
        ``notebooks``, with or without ``.ipynb``): those the room opens together.
    notebooks : str or Path, optional
        Folder of the workshop notebooks; default ``notebooks/workshop`` of the repository.
    language : str, default "en"
        The pages' default language (a catalogue's: en, fr, it, ru).
    launch : callable
        Starts the server process (``subprocess.Popen``; replaced in tests).
    out : callable
        Where the links are printed.

    Returns
    -------
    int
        The server's exit status (0 when stopped with Ctrl+C).

    Raises
    ------
    LoyaltyDataError
        If the notebooks folder does not exist, a page of ``pool_pages`` is not in it, or there
        are no texts in ``language``.
    """
    language = check_language(language)
    notebooks = Path(notebooks) if notebooks is not None else _NOTEBOOKS
    if not (notebooks / INDEX_NOTEBOOK).is_file():
        raise LoyaltyDataError(
            f"No workshop notebooks in {notebooks}: run the workshop from a copy "
            "of the repository, or pass the folder holding index.ipynb."
        )
    pool_pages = [page if page.endswith(".ipynb") else f"{page}.ipynb" for page in pool_pages]
    missing = [page for page in pool_pages if not (notebooks / page).is_file()]
    if share and missing:
        raise LoyaltyDataError(
            f"No page {', '.join(missing)} in {notebooks} to keep kernels ready for: "
            f"choose among {', '.join(sorted(p.stem for p in notebooks.glob('*.ipynb')))}."
        )
    address = (address or network_address()) if share else "127.0.0.1"
    port = port or free_port(address)
    token = secrets.token_urlsafe(24) if share else None
    key = secrets.token_urlsafe(16) if share else ""
    with workshop_folder() as folder:
        config, jupyter, ipython = _voila_setup(
            folder, token=token, pool=pool if share else 0, pages=pool_pages
        )
        search = os.pathsep.join(filter(None, [str(jupyter), os.environ.get("JUPYTER_PATH")]))
        env = {
            **resources.kernel_environment(),  # what the pages' kernels inherit
            FOLDER_ENV: str(folder),
            FACILITATOR_ENV: key,
            LANGUAGE_ENV: language,
            "JUPYTER_PATH": search,
            "IPYTHONDIR": str(ipython),
            # Where a pre-started kernel asks for its request (Voilà assumes 127.0.0.1).
            "VOILA_APP_IP": address,
        }
        # In a session of its own, so that Ctrl+C in the terminal reaches this process only.
        process = launch(
            voila_command(port, notebooks, config, address=address, pooled=share and pool > 0),
            env=env,
            start_new_session=True,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        quiet = threading.Event()
        if getattr(process, "stderr", None) is not None:
            threading.Thread(target=_forward, args=(process.stderr, quiet), daemon=True).start()
        try:
            if share:
                participants, facilitator = share_links(address, port, token, key, language)
                out(
                    f"Workshop room for participants (same network):\n  {participants}\n"
                    f"{qr_code(participants)}"
                    f"Facilitator (keep this link to yourself):\n  {facilitator}\n(Ctrl+C to stop)"
                )
            else:
                query = f"?{urlencode({'lang': language})}" if language != "en" else ""
                link = f"http://127.0.0.1:{port}/voila/render/{INDEX_NOTEBOOK}{query}"
                out(f"Workshop dashboard: {link}  (Ctrl+C to stop)")
            return process.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            _stop(process, quiet)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """``loyalty-lessons workshop [--port N] [--share] [--language L]``: serve the dashboard until Ctrl+C."""
    parser = argparse.ArgumentParser(
        prog="loyalty-lessons workshop",
        description="Serve the lesson explorers as a dashboard on 127.0.0.1, or to a room with --share.",
    )
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    parser.add_argument(
        "--share",
        action="store_true",
        help="let participants join from their own laptops: listen on the network behind a token",
    )
    parser.add_argument(
        "--address", default=None, help="with --share, the address to listen on (default: this machine's)"
    )
    parser.add_argument(
        "--pool",
        type=int,
        default=2,
        help="with --share, kernels kept ready for each page of --pool-pages (default 2; "
        "about 0.2 GB each, see docs/workshop.md)",
    )
    parser.add_argument(
        "--pool-pages",
        default=",".join(Path(page).stem for page in POOLED_PAGES),
        help="with --share, the pages the room opens together, whose kernels are kept ready "
        "(comma-separated, default %(default)s)",
    )
    parser.add_argument("--notebooks", default=None, help="folder of the workshop notebooks")
    parser.add_argument(
        "--language",
        default="en",
        help="the pages' language: en, fr, it or ru (default en; each page's index offers the others)",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)  # so that a stopped server still cleans up
    try:
        return serve(
            args.port,
            share=args.share,
            address=args.address,
            pool=args.pool,
            pool_pages=[page.strip() for page in args.pool_pages.split(",") if page.strip()],
            notebooks=args.notebooks,
            language=args.language,
        )
    except LoyaltyDataError as problem:
        print(problem, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl+C before the server was up
        return 0
