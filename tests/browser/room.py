"""A workshop room driven in Chromium: participants open pages, move a control and vote at once,
while the facilitator uploads a French-style export.

Used by ``tests/browser/test_room.py`` (three participants) and ``benchmarks/workshop_room.py``
(fifteen). Each participant is a browser context of its own (its own cookies, as a laptop of
its own would be) on the shared server; the server's memory is the resident memory of its
process and all its children (Voilà and the kernels), sampled every second.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: How many practices each participant rates, and how many moves of the 80/20 slider they make.
VOTES_EACH = 3
MOVES_EACH = 5
#: Longest wait for a page to be built (a cold kernel on a busy machine), in milliseconds.
PAGE_MS = 180_000


def french_export(customers: int = 300, seed: int = 97) -> bytes:
    """A French till export from January 1997 to June 1998: ';', decimal commas, day-first, cp1252."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("1997-01-01", "1998-06-30", freq="D")
    lines = ["N° client;Date d'achat;Montant TTC;N° ticket"]
    ticket = 0
    for i in range(customers):
        for day in sorted(rng.choice(days, size=int(rng.integers(1, 12)), replace=False)):
            ticket += 1
            amount = f"{rng.uniform(5, 120):.2f}".replace(".", ",")
            lines.append(f"C{i:04d};{pd.Timestamp(day):%d/%m/%Y};{amount} €;T{ticket:06d}")
    return ("\n".join(lines) + "\n").encode("cp1252")


@dataclass
class RoomFigures:
    """What a room run measured."""

    participants: int
    page_loads_s: list[float] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    votes_expected: int = 0
    votes_arrived: int = 0
    facilitator_saw: str = ""
    upload_s: float = float("nan")
    peak_rss_bytes: int = 0
    errors: list[str] = field(default_factory=list)

    def table(self) -> str:
        """The figures as a small Markdown table."""
        loads, lat = self.page_loads_s, self.latencies_s
        rows = [
            ("participants", f"{self.participants}"),
            ("pages loaded", f"{len(loads)} of {2 * self.participants}"),
            ("page load, median / worst (s)", f"{statistics.median(loads):.1f} / {max(loads):.1f}"),
            (
                "control to chart, median / worst (ms)",
                f"{1000 * statistics.median(lat):.0f} / {1000 * max(lat):.0f}",
            ),
            ("votes arrived", f"{self.votes_arrived} of {self.votes_expected}"),
            ("facilitator's upload to loaded (s)", f"{self.upload_s:.1f}"),
            ("server memory, peak PSS of all its processes (GB)", f"{self.peak_rss_bytes / 1e9:.2f}"),
        ]
        return "\n".join(["| figure | value |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)])


def server_rss(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their proportional set
    sizes (PSS: a page shared by several kernels counted once in all), with psutil; their
    resident sizes (RSS, which counts shared pages in every process) from /proc without it."""
    try:
        import psutil
    except ImportError:
        return _proc_rss(pid)
    try:
        root = psutil.Process(pid)
        total = 0
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += process.memory_full_info().pss
        return total
    except psutil.NoSuchProcess:
        return 0


def _proc_rss(pid: int) -> int:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * page
        todo += children.get(current, [])
    return total


async def _participant(browser, base: str, token: str, index: int, figures: RoomFigures) -> None:
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_navigation_timeout(PAGE_MS)
    page = await context.new_page()
    page.on("pageerror", lambda error: figures.errors.append(f"participant {index}: {error}"))
    try:
        start = time.monotonic()
        await page.goto(f"{base}the-80-20-rule.ipynb?token={token}", wait_until="domcontentloaded")
        image = page.locator(".widget-image").first
        await image.wait_for(timeout=PAGE_MS)
        figures.page_loads_s.append(time.monotonic() - start)
        await page.locator(".noUi-handle").first.focus()
        for _ in range(MOVES_EACH):
            before = await image.get_attribute("src")
            moved = time.monotonic()
            await page.keyboard.press("ArrowLeft")
            await page.wait_for_function(
                "before => document.querySelector('.widget-image').src !== before", arg=before, timeout=60_000
            )
            figures.latencies_s.append(time.monotonic() - moved)
        start = time.monotonic()
        await page.goto(f"{base}scorecard.ipynb", wait_until="domcontentloaded")  # the cookie holds the token
        await page.locator(".ll-room").wait_for(timeout=PAGE_MS)
        figures.page_loads_s.append(time.monotonic() - start)
        handles = page.locator(".noUi-handle")
        for practice in range(VOTES_EACH):
            await handles.nth(practice).focus()
            for _ in range(1 + (index + practice) % 5):
                await page.keyboard.press("ArrowRight")
        await expect(page.locator(".ll-room")).to_contain_text(f"You rated {VOTES_EACH} of", timeout=60_000)
    finally:
        await context.close()


async def _upload(browser, base: str, token: str, key: str, export: bytes, figures: RoomFigures) -> None:
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_navigation_timeout(PAGE_MS)
    page = await context.new_page()
    try:
        await page.goto(f"{base}index.ipynb?token={token}&facilitator={key}", wait_until="domcontentloaded")
        upload = page.locator(".ll-upload").first
        await upload.wait_for(timeout=PAGE_MS)
        async with page.expect_file_chooser() as chooser:
            await upload.click()
        files = [{"name": "export-1997.csv", "mimeType": "text/csv", "buffer": export}]
        await (await chooser.value).set_files(files=files)
        await expect(page.locator(".ll-chosen")).to_contain_text("export-1997.csv")
        start = time.monotonic()
        await page.get_by_role("button", name="Load", exact=True).click()
        await expect(page.locator(".ll-loaded")).to_contain_text("Loaded export-1997.csv", timeout=PAGE_MS)
        figures.upload_s = time.monotonic() - start
    finally:
        await context.close()


async def _watch_memory(pid: int, figures: RoomFigures, stop: asyncio.Event) -> None:
    while not stop.is_set():
        figures.peak_rss_bytes = max(figures.peak_rss_bytes, server_rss(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)


async def _room(
    chromium: str, args: list[str], base: str, token: str, key: str, pid: int, participants: int, shots: Path
) -> RoomFigures:
    from playwright.async_api import async_playwright

    figures = RoomFigures(participants, votes_expected=participants * VOTES_EACH)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=args)
        stop = asyncio.Event()
        memory = asyncio.create_task(_watch_memory(pid, figures, stop))
        try:
            await asyncio.gather(
                _upload(browser, base, token, key, french_export(), figures),
                *(_participant(browser, base, token, i, figures) for i in range(participants)),
            )
            # The facilitator's screen: the room's ratings, as they arrived.
            context = await browser.new_context(viewport={"width": 1280, "height": 800})
            context.set_default_navigation_timeout(PAGE_MS)
            page = await context.new_page()
            await page.goto(f"{base}scorecard.ipynb?token={token}&facilitator={key}")
            room = page.locator(".ll-room")
            await room.wait_for(timeout=PAGE_MS)
            figures.facilitator_saw = await room.inner_text()
            shots.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=shots / f"room-{participants}-facilitator-scorecard.png")
            await page.goto(f"{base}loyalty-value.ipynb?facilitator={key}")
            await page.locator(".widget-image").first.wait_for(timeout=PAGE_MS)
            await page.screenshot(path=shots / f"room-{participants}-facilitator-loyalty-value.png")
            await context.close()
        finally:
            stop.set()
            await memory
            await browser.close()
    return figures


def run_room(
    chromium: str,
    args: list[str],
    base: str,
    token: str,
    key: str,
    pid: int,
    participants: int,
    screenshots: Path,
) -> RoomFigures:
    """Run a room of ``participants`` against a shared server; see the module's docstring.

    ``votes_arrived`` is left for the caller to read from the server's database. Runs in a
    thread of its own, so that it works beside Playwright's synchronous API (whose loop runs in
    the calling thread).
    """
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["figures"] = asyncio.run(
                _room(chromium, args, base, token, key, pid, participants, screenshots)
            )
        except BaseException as problem:  # handed to the caller's thread
            outcome["problem"] = problem

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "problem" in outcome:
        raise outcome["problem"]
    return outcome["figures"]
