"""A workshop room driven in Chromium, in the three phases a facilitator runs.

1. **Open**: every participant opens the 80/20 page at once (its page load is measured).
2. **Move**: every participant moves the page's slider :data:`MOVES_EACH` times, all at once
   (control to chart is measured: from the key press until the chart's image changes), while
   the facilitator, whose home page was open before the room arrived, uploads a French-style
   export. ``think_s`` is the mean pause between one participant's successive moves (a person
   reading the chart): each pause is drawn between half and one and a half times it, and each
   participant starts after a pause of their own, so that fifteen people do not press their
   keys in step as no room does (:func:`pauses`); 0, the default, is the stress figure: every
   move as soon as the last one is drawn, all starting together.
3. **Vote**: every participant opens the scorecard (page load measured) and rates
   :data:`VOTES_EACH` practices; then the facilitator's screen shows the room.

Used by ``tests/browser/test_room.py`` (three participants) and ``benchmarks/workshop_room.py``
(fifteen). Each participant is a browser context of its own (its own cookies, as a laptop of
its own would be) on the shared server. Sampled every second: the server's memory (the PSS of
its process and all its children: Voilà and the kernels), and the CPU time of Voilà, of its
kernels and of Chromium, added up per phase.
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
from typing import NamedTuple

import numpy as np
import pandas as pd

#: How many practices each participant rates, and how many moves of the 80/20 slider they make.
VOTES_EACH = 3
MOVES_EACH = 5
#: Longest wait for a page to be built (a cold kernel on a busy machine), in milliseconds.
PAGE_MS = 180_000
#: The phases of a room, in order.
PHASES = ("open", "move", "vote")
#: Who spends the CPU time, in the order of the table.
SPENDERS = ("Voilà (server)", "kernels", "Chromium", "the rest of the machine")


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


class PhaseCost(NamedTuple):
    """What one phase of a room took: its length and the CPU seconds each spender used."""

    seconds: float
    cpu_s: dict[str, float]


@dataclass
class RoomFigures:
    """What a room run measured."""

    participants: int
    think_s: float = 0.0
    page_loads_s: list[float] = field(default_factory=list)
    answers_s: list[float] = field(default_factory=list)
    alone_s: tuple[float, float] | None = None
    scorecard_loads_s: list[float] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    votes_expected: int = 0
    votes_arrived: int = 0
    facilitator_saw: str = ""
    upload_s: float = float("nan")
    peak_rss_bytes: int = 0
    #: Phase (or "before" the room, "after" it: the facilitator's pages) -> (peak PSS, kernels then).
    peaks: dict[str, tuple[int, int]] = field(default_factory=dict)
    phases: dict[str, PhaseCost] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def table(self) -> str:
        """The figures as a small Markdown table."""
        loads, cards, lat = self.page_loads_s, self.scorecard_loads_s, self.latencies_s

        def spread(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
            if not values:
                return "none"
            return f"{scale * statistics.median(values):,.{digits}f} / {scale * max(values):,.{digits}f}"

        rows = [
            ("participants", f"{self.participants}"),
            ("pause between one participant's moves, mean (s)", f"{self.think_s:g}"),
            ("pages loaded", f"{len(loads) + len(cards)} of {2 * self.participants}"),
            (
                "one page alone on the warm pool, from the home page: server's answer / chart shown (s)",
                "not measured" if self.alone_s is None else f"{self.alone_s[0]:.2f} / {self.alone_s[1]:.2f}",
            ),
            (
                "open: the server's answer (the page built), median / worst (s)",
                spread(self.answers_s, digits=2),
            ),
            ("open: 80/20 page load to the chart shown, median / worst (s)", spread(loads, digits=2)),
            ("move: control to chart, median / worst (ms)", spread(lat, 1000, 0)),
            ("vote: scorecard page load, median / worst (s)", spread(cards, digits=2)),
            ("votes arrived", f"{self.votes_arrived} of {self.votes_expected}"),
            ("facilitator's upload to loaded, during the moves (s)", f"{self.upload_s:.1f}"),
            ("server memory, peak PSS of all its processes (GB)", f"{self.peak_rss_bytes / 1e9:.2f}"),
            (
                "peak PSS (GB) and kernels then, by phase",
                ", ".join(f"{name} {pss / 1e9:.2f} ({n})" for name, (pss, n) in self.peaks.items()),
            ),
        ]
        for name in PHASES:
            if name in self.phases:
                cost = self.phases[name]
                spent = ", ".join(f"{who} {cost.cpu_s.get(who, 0):.0f}" for who in SPENDERS)
                rows.append((f"{name} phase: {cost.seconds:.0f} s; CPU seconds", spent))
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


class _CpuMeter:
    """CPU seconds used by the server, its kernels, Chromium and everything else, per phase.

    Sampled every second (a process that ends is counted up to its last sample): each
    process's user + system time, by who it is: the server's own process, its descendants
    (the kernels), Chromium's processes (descendants of this one), and the machine's total
    less these (other jobs on a shared machine, the test's own driver).
    """

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.seen: dict[int, tuple[str, float]] = {}
        self.machine = 0.0
        self.marks: list[tuple[float, dict[int, tuple[str, float]], float]] = []
        self.phase = "before"

    def sample(self) -> None:
        import psutil

        def cpu(process) -> float:
            times = process.cpu_times()
            return times.user + times.system

        server: list = []
        with contextlib.suppress(psutil.NoSuchProcess):
            root = psutil.Process(self.server_pid)
            server = [root, *root.children(recursive=True)]
        for process in [*server, *psutil.Process().children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                command = " ".join(process.cmdline())
                if "ipykernel" in command:
                    who = "kernels"
                elif process in server:
                    who = "Voilà (server)"
                elif "chrom" in process.name().lower():
                    who = "Chromium"
                else:
                    continue
                self.seen[process.pid] = (who, cpu(process))
        machine = psutil.cpu_times()
        self.machine = machine.user + machine.system + machine.nice

    def mark(self) -> None:
        """Close a phase (or open the first); :attr:`phase` names the one that follows."""
        with contextlib.suppress(ImportError):
            self.sample()
        self.marks.append((time.monotonic(), dict(self.seen), self.machine))
        self.phase = (*PHASES, "after")[min(len(self.marks) - 1, len(PHASES))]

    def phases(self) -> dict[str, PhaseCost]:
        costs = {}
        for name, (start, end) in zip(PHASES, zip(self.marks, self.marks[1:]), strict=False):
            spent = dict.fromkeys(SPENDERS[:-1], 0.0)
            for pid, (who, total) in end[1].items():
                before = start[1].get(pid)
                spent[who] += total - (before[1] if before and before[0] == who else 0.0)
            spent[SPENDERS[-1]] = max(0.0, end[2] - start[2] - sum(spent.values()))
            costs[name] = PhaseCost(end[0] - start[0], spent)
        return costs


async def _open(browser, base: str, token: str, index: int, figures: RoomFigures, alone: bool = False):
    """Open the 80/20 page: the time to the chart shown, and to the server's whole answer (the
    page built by its kernel; the rest is the browser's: Voilà's scripts, the widgets).

    ``alone``: the one person before the room arrives from the home page, as the room's link
    brings them (its kernel is not pooled here; not timed): the browser then has Voilà's
    scripts in its cache when the 80/20 page is timed, as a participant's has."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_navigation_timeout(PAGE_MS)
    page = await context.new_page()
    page.on("pageerror", lambda error: figures.errors.append(f"participant {index}: {error}"))
    if alone:
        await page.goto(f"{base}index.ipynb?token={token}", wait_until="domcontentloaded")
        await page.locator("a[href*='the-80-20-rule']").first.wait_for(timeout=PAGE_MS)
    start = time.monotonic()
    await page.goto(f"{base}the-80-20-rule.ipynb?token={token}", wait_until="domcontentloaded")
    await page.locator(".widget-image").first.wait_for(timeout=PAGE_MS)
    shown = time.monotonic() - start
    answer = await page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd / 1000")
    if alone:
        figures.alone_s = (answer, shown)
    else:
        figures.page_loads_s.append(shown)
        figures.answers_s.append(answer)
    return context, page


#: Resolves when the chart's image is no longer ``before``: told by the browser when the image
#: changes (a MutationObserver), rather than asked at every frame of fifteen pages
#: (Playwright's ``wait_for_function``), which would spend the CPU the room is measured on.
_IMAGE_CHANGED = """before => new Promise(resolve => {
    const image = document.querySelector('.widget-image');
    if (image.getAttribute('src') !== before) return resolve();
    new MutationObserver((_, observer) => {
        if (image.getAttribute('src') !== before) { observer.disconnect(); resolve(); }
    }).observe(image, {attributes: true, attributeFilter: ['src']});
})"""


def pauses(think_s: float, participant: int) -> list[float]:
    """A participant's pauses in seconds, before each of their moves: the first between 0 and
    ``think_s``, the others between half and one and a half times ``think_s`` (a mean of
    ``think_s``); drawn from a generator seeded by the participant, so every run pauses alike.

    Examples
    --------
    >>> pauses(0, 3) == [0.0] * MOVES_EACH
    True
    >>> p = pauses(2.0, 3)
    >>> 0 <= p[0] < 2 and all(1 <= x < 3 for x in p[1:])
    True
    """
    rng = np.random.default_rng(participant)
    first = rng.uniform(0, think_s)
    return (
        [first, *rng.uniform(think_s / 2, 3 * think_s / 2, MOVES_EACH - 1)] if think_s else [0.0] * MOVES_EACH
    )


async def _move(page, figures: RoomFigures, think_s: float, participant: int) -> None:
    image = page.locator(".widget-image").first
    await page.locator(".noUi-handle").first.focus()
    for pause in pauses(think_s, participant):
        if pause:
            await asyncio.sleep(pause)
        before = await image.get_attribute("src")
        moved = time.monotonic()
        await page.keyboard.press("ArrowLeft")
        await asyncio.wait_for(page.evaluate(_IMAGE_CHANGED, before), timeout=60)
        figures.latencies_s.append(time.monotonic() - moved)


async def _vote(page, base: str, index: int, figures: RoomFigures) -> None:
    from playwright.async_api import expect

    start = time.monotonic()
    await page.goto(f"{base}scorecard.ipynb", wait_until="domcontentloaded")  # the cookie holds the token
    await page.locator(".ll-room").wait_for(timeout=PAGE_MS)
    figures.scorecard_loads_s.append(time.monotonic() - start)
    handles = page.locator(".noUi-handle")
    for practice in range(VOTES_EACH):
        await handles.nth(practice).focus()
        for _ in range(1 + (index + practice) % 5):
            await page.keyboard.press("ArrowRight")
    await expect(page.locator(".ll-room")).to_contain_text(f"You rated {VOTES_EACH} of", timeout=60_000)


async def _facilitator(browser, base: str, token: str, key: str):
    """The facilitator's home page, open before the room arrives."""
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_navigation_timeout(PAGE_MS)
    page = await context.new_page()
    await page.goto(f"{base}index.ipynb?token={token}&facilitator={key}", wait_until="domcontentloaded")
    await page.locator(".ll-upload").first.wait_for(timeout=PAGE_MS)
    return context, page


async def _upload(page, export: bytes, figures: RoomFigures) -> None:
    from playwright.async_api import expect

    upload = page.locator(".ll-upload").first
    async with page.expect_file_chooser() as chooser:
        await upload.click()
    files = [{"name": "export-1997.csv", "mimeType": "text/csv", "buffer": export}]
    await (await chooser.value).set_files(files=files)
    await expect(page.locator(".ll-chosen")).to_contain_text("export-1997.csv")
    start = time.monotonic()
    await page.get_by_role("button", name="Load", exact=True).click()
    await expect(page.locator(".ll-loaded")).to_contain_text("Loaded export-1997.csv", timeout=PAGE_MS)
    figures.upload_s = time.monotonic() - start


def _kernels(pid: int) -> int:
    """How many kernels the server runs."""
    try:
        import psutil
    except ImportError:
        return 0
    try:
        processes = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    count = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            count += "ipykernel" in " ".join(process.cmdline())
    return count


async def _watch(pid: int, figures: RoomFigures, meter: _CpuMeter, stop: asyncio.Event) -> None:
    while not stop.is_set():
        memory, kernels = server_rss(pid), _kernels(pid)
        figures.peak_rss_bytes = max(figures.peak_rss_bytes, memory)
        if memory > figures.peaks.get(meter.phase, (0, 0))[0]:
            figures.peaks[meter.phase] = (memory, kernels)
        with contextlib.suppress(ImportError):
            meter.sample()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)


async def _room(
    chromium: str,
    args: list[str],
    base: str,
    token: str,
    key: str,
    pid: int,
    participants: int,
    shots: Path,
    think_s: float,
    alone: bool,
) -> RoomFigures:
    from playwright.async_api import async_playwright

    figures = RoomFigures(participants, think_s, votes_expected=participants * VOTES_EACH)
    meter = _CpuMeter(pid)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=args)
        stop = asyncio.Event()
        watch = asyncio.create_task(_watch(pid, figures, meter, stop))
        contexts = []
        try:
            facilitator, desk = await _facilitator(browser, base, token, key)
            contexts.append(facilitator)
            if alone:  # one person, before the room: a page open on the warm pool
                first, _ = await _open(browser, base, token, -1, figures, alone=True)
                await first.pages[0].goto("about:blank")  # left, as a person would: its kernel stops
                await first.close()
            meter.mark()
            opened = await asyncio.gather(
                *(_open(browser, base, token, i, figures) for i in range(participants))
            )
            contexts += [context for context, _ in opened]
            meter.mark()
            moves = (_move(page, figures, think_s, i) for i, (_, page) in enumerate(opened))
            await asyncio.gather(_upload(desk, french_export(), figures), *moves)
            meter.mark()
            voted = await asyncio.gather(
                *(_vote(page, base, i, figures) for i, (_, page) in enumerate(opened)), return_exceptions=True
            )
            # A page that did not come is an error of the run, and the figures are still shown.
            figures.errors += [
                f"participant {i}: {problem!r}"[:400] for i, problem in enumerate(voted) if problem
            ]
            meter.mark()
            figures.phases = meter.phases()
            # The facilitator's screen: the room's ratings, as they arrived.
            await desk.goto(f"{base}scorecard.ipynb?token={token}&facilitator={key}")
            room = desk.locator(".ll-room")
            await room.wait_for(timeout=PAGE_MS)
            figures.facilitator_saw = await room.inner_text()
            shots.mkdir(parents=True, exist_ok=True)
            await desk.screenshot(path=shots / f"room-{participants}-facilitator-scorecard.png")
            await desk.goto(f"{base}loyalty-value.ipynb?facilitator={key}")
            await desk.locator(".widget-image").first.wait_for(timeout=PAGE_MS)
            await desk.screenshot(path=shots / f"room-{participants}-facilitator-loyalty-value.png")
        finally:
            for context in contexts:
                with contextlib.suppress(Exception):
                    await context.close()
            stop.set()
            await watch
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
    think_s: float = 0.0,
    alone: bool = False,
) -> RoomFigures:
    """Run a room of ``participants`` against a shared server; see the module's docstring.

    ``alone``: first, one page opened by one person on the warm pool (the pool needs a kernel
    more than the room).

    ``votes_arrived`` is left for the caller to read from the server's database. Runs in a
    thread of its own, so that it works beside Playwright's synchronous API (whose loop runs in
    the calling thread).
    """
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["figures"] = asyncio.run(
                _room(chromium, args, base, token, key, pid, participants, screenshots, think_s, alone)
            )
        except BaseException as problem:  # handed to the caller's thread
            outcome["problem"] = problem

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "problem" in outcome:
        raise outcome["problem"]
    return outcome["figures"]
