"""The lessons and their exercise notebooks as a student meets them: opened in JupyterLab, in Chromium.

A JupyterLab server runs on a copy of the lessons (so nothing in the checkout changes), with
its settings and workspaces in a temporary folder and windowing off, so every cell is
rendered. For each lesson the tests check what the stored file alone decides: opening it
does not mark it modified (its kernel spec is the installed one), and no amount of money in
its text is typeset as mathematics. One lesson is then run from the top, as its "how to use"
box asks, and must end with no error. Screenshots go to screenshots/lab/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from loyalty_lessons.workshop import free_port

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(
    str(p.relative_to(NOTEBOOKS))
    for p in [*NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"), *NOTEBOOKS.glob("exercises/[0-9][0-9]-*.ipynb")]
)
SCREENSHOTS = ROOT / "screenshots" / "lab"
SERVER_START_S = 90
#: Lesson 00 run from the top takes a few seconds once the kernel is up; this is the ceiling.
RUN_ALL_MS = 180_000


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """(base URL, token, folder of the lessons) of a JupyterLab server on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("lessons")
    for name in LESSONS:
        (folder / name).parent.mkdir(exist_ok=True)
        shutil.copy(NOTEBOOKS / name, folder / name)
    settings = tmp_path_factory.mktemp("lab-settings")
    tracker = settings / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    # No question about news on first start: it would cover part of the screenshots.
    apputils = settings / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    token, port = secrets.token_hex(16), free_port()
    log = tmp_path_factory.mktemp("lab-log") / "lab.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                f"--port={port}",
                "--ServerApp.ip=127.0.0.1",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={folder}",
                f"--LabApp.user_settings_dir={settings}",
                f"--LabApp.workspaces_dir={settings / 'workspaces'}",
                *(["--allow-root"] if os.geteuid() == 0 else []),  # CI runs as root
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(settings / "runtime")},
        )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + SERVER_START_S
    while True:
        try:
            urllib.request.urlopen(f"{base}api/status?token={token}", timeout=5)
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                tail = log.read_text()[-3000:]
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s:\n{tail}")
            time.sleep(0.5)
    yield base, token, folder
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def tab(browser, lab):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    base, token, _ = lab

    def open_lesson(name: str):
        page.goto(f"{base}lab/tree/{name}?token={token}&reset", wait_until="domcontentloaded")
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
        # Opening is over when the kernel is idle and the markdown is rendered.
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
        page.wait_for_timeout(1500)
        return page

    yield open_lesson
    context.close()


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name.replace('/', '-')}.png")


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lesson_opens_unmodified_and_without_typeset_money(tab, lesson):
    page = tab(lesson)
    _screenshot(page, lesson.removesuffix(".ipynb"))
    dirty = page.locator(".lm-TabBar-tab.jp-mod-dirty").count()
    assert dirty == 0, f"{lesson} shows as modified as soon as it is opened (its kernel spec?)"
    math = page.locator(".jp-MarkdownCell mjx-container, .jp-MarkdownCell .MathJax")
    typeset = [math.nth(i).inner_text() for i in range(math.count())]
    assert typeset == [], f"{lesson}: text typeset as mathematics: {typeset[:5]}"


def test_the_first_lesson_runs_from_the_top_without_an_error(tab):
    page = tab(LESSONS[0])
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # Every cell has run when no prompt shows "[*]" any more and the kernel is idle again.
    page.wait_for_function(
        "![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))",
        timeout=RUN_ALL_MS,
    )
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=RUN_ALL_MS)
    _screenshot(page, LESSONS[0].removesuffix(".ipynb") + "-run")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in (errors.nth(i).inner_text() for i in range(errors.count())) if "Error" in t]
    assert tracebacks == [], tracebacks[0][:2000] if tracebacks else ""
