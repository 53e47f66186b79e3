"""The workshop dashboard in a real browser: Voilà on a free loopback port, Debian's Chromium.

The server is started once for the session (``python -m loyalty_lessons.workshop``, as
``make workshop`` does) and stopped at the end, when its data folder must be gone. Chromium
is the system's own (``/usr/bin/chromium``, installed by ``make test`` when missing); without
it, or without Playwright, the tests are skipped, except in CI (``CI`` set to true), where
they fail instead.
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from loyalty_lessons.workshop import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots" / "workshop"
#: The workshop's pages of this copy of the repository.
NOTEBOOKS = ROOT / "notebooks" / "workshop"
#: Longest wait for the server to answer, and for a page's kernel to build it.
SERVER_START_S = 90
PAGE_BUILD_MS = 90_000


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"Browser tests cannot run in CI: {reason}")
    pytest.skip(f"Browser tests skipped: {reason}")


class Server:
    """A workshop server started as ``python -m loyalty_lessons.workshop`` does, and what it printed."""

    def __init__(self, temp: Path, log: Path, *options: str):
        self.temp, self.log, self.port = temp, log, free_port()
        with open(log, "w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "loyalty_lessons.workshop", "--port", str(self.port)]
                + ["--notebooks", str(NOTEBOOKS), *options],
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, "TMPDIR": str(temp)},
                # Ctrl+C as a terminal delivers it, even when the tests run in the background
                # (``nohup``, ``&``), whose children inherit SIGINT ignored.
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )
        self.base = f"http://127.0.0.1:{self.port}/voila/render/"
        deadline = time.monotonic() + SERVER_START_S
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    pytest.fail(
                        f"The workshop server did not answer within {SERVER_START_S} s:\n"
                        + log.read_text()[-3000:]
                    )
                time.sleep(0.3)
        printed = log.read_text()
        self.token = (re.findall(r"token=([\w-]+)", printed) or [""])[0]
        self.key = (re.findall(r"facilitator=([\w-]+)", printed) or [""])[0]

    def folder(self) -> Path:
        """The server's data folder."""
        return next(self.temp.glob("loyalty-workshop-*"))

    def stop(self) -> None:
        """Stop as Ctrl+C would; the data folder must be gone and no traceback printed."""
        before = len(self.log.read_text())
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("The workshop server did not stop within 30 s of Ctrl+C.")
        left = list(self.temp.glob("loyalty-workshop-*"))
        assert left == [], f"The server's data folder was not removed: {left}"
        assert "Traceback" not in self.log.read_text()[before:]


@pytest.fixture(scope="session")
def workshop_server(tmp_path_factory):
    """Base URL of a workshop server on 127.0.0.1 for one person; checks at the end that it left nothing."""
    server = Server(tmp_path_factory.mktemp("workshop-temp"), tmp_path_factory.mktemp("workshop-log") / "log")
    yield server.base
    server.stop()


@pytest.fixture(scope="session")
def room_server(tmp_path_factory):
    """A shared workshop server (``--share``) on the loopback address, with its token and key."""
    server = Server(
        tmp_path_factory.mktemp("room-temp"),
        tmp_path_factory.mktemp("room-log") / "log",
        "--share",
        "--address",
        "127.0.0.1",
        # A kernel ready for each participant of test_room.py on each page they open.
        "--pool",
        "3",
        "--pool-pages",
        "index,the-80-20-rule,scorecard",
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]').")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (make chromium, or apt-get install chromium).")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as problem:
        playwright.stop()
        _unavailable(f"Chromium would not start: {problem}")
    yield chromium
    chromium.close()
    playwright.stop()


class Problems:
    """What went wrong in the browser: console errors, uncaught exceptions, failed requests."""

    # Voilà's kernel-shutdown request on leaving a page may race with the page going away.
    IGNORED_URLS = ("/voila/api/shutdown/",)

    def __init__(self, page):
        self.console, self.failed = [], []
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

    def errors(self) -> list[str]:
        failed = [f for f in self.failed if not any(u in f for u in self.IGNORED_URLS)]
        # A failed request also logs "Failed to load resource"; it is judged by its URL above.
        console = [c for c in self.console if not c.startswith("Failed to load resource")]
        return failed + console


class Dashboard:
    """One browser tab on the workshop server, with what went wrong in it."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        self.problems = Problems(page)

    def open(self, notebook: str) -> None:
        """Go to a workshop page and wait until its kernel has built it."""
        self.page.goto(self.base_url + notebook, wait_until="domcontentloaded")
        self.page.locator(".ll-dataset, .ll-room").first.wait_for(timeout=PAGE_BUILD_MS)
        self.wait_for_images()

    def wait_for_images(self) -> None:
        self.page.wait_for_function(
            "[...document.querySelectorAll('img')].every(i => i.complete)", timeout=10_000
        )

    def screenshot(self, name: str) -> Path:
        """The whole page as a PNG in screenshots/workshop/ (git-ignored), for a person to see."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = self.page.evaluate(
            "Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"
        )
        self.page.set_viewport_size({"width": 1366, "height": min(int(height) + 40, 8000)})
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path)
        self.page.set_viewport_size({"width": 1366, "height": 900})
        return path


@pytest.fixture
def dashboard(browser, workshop_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    yield Dashboard(context.new_page(), workshop_server)
    context.close()
