"""A workshop room of fifteen participants, measured in Chromium: ``make bench-room``.

Starts a shared workshop server (``--share`` on the loopback address) with a pool of one
pre-started kernel per participant for the 80/20 page, and one more (``--pool N+1
--pool-pages the-80-20-rule``), waits until the pool's kernels have built their pages, opens
the page once alone (the one more kernel), then drives the room of ``tests/browser/room.py``
in its three phases: everyone opens the 80/20 page, everyone
moves its slider five times while the facilitator uploads a French-style export (January
1997 to June 1998), everyone opens the scorecard and rates three practices. Prints the figures
(with the CPU seconds each phase cost the server, its kernels and Chromium) as a Markdown
table, for docs/workshop.md.

Usage: ``python benchmarks/workshop_room.py [PARTICIPANTS] [--think S] [--pool N]``
(default 15 participants, no pause between one participant's moves, a pool of one kernel
per participant and one).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loyalty_lessons.workshop import free_port  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, SCREENSHOTS  # noqa: E402
from tests.browser.room import run_room  # noqa: E402

#: Longest wait for the server's pool to be built before the room arrives, in seconds.
WARM_UP_S = 600
#: The page every participant opens first, whose kernels the pool keeps ready.
ROOM_PAGE = "the-80-20-rule"


def _wait_for_the_pool(server: subprocess.Popen, log: Path) -> None:
    """Until the pool is filled and its kernels have built their pages (the server is quiet)."""
    import psutil

    deadline = time.monotonic() + WARM_UP_S
    while f"Kernel pool of {ROOM_PAGE}.ipynb is filled" not in log.read_text():
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError(f"The pool was not filled within {WARM_UP_S} s:\n{log.read_text()[-3000:]}")
        time.sleep(1)
    root = psutil.Process(server.pid)

    def cpu() -> float:
        total = 0.0
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    before = cpu()
    while time.monotonic() < deadline:
        time.sleep(3)
        now = cpu()
        if now - before < 0.3:  # under 10% of one core for three seconds
            return
        before = now


def main(
    participants: int = 15, think_s: float = 0.0, pool: int | None = None, server_log: str | None = None
) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-room-") as temp:
        log = Path(temp) / "server.log"
        port = free_port()
        with open(log, "w") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "loyalty_lessons.workshop", "--port", str(port), "--share"]
                + ["--address", "127.0.0.1", "--notebooks", str(NOTEBOOKS)]
                + ["--pool", str(participants + 1 if pool is None else pool), "--pool-pages", ROOM_PAGE],
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, "TMPDIR": temp},
            )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        print(log.read_text()[-3000:], file=sys.stderr)
                        return 1
                    time.sleep(0.5)
            _wait_for_the_pool(server, log)
            printed = log.read_text()
            token = re.findall(r"token=([\w-]+)", printed)[0]
            key = re.findall(r"facilitator=([\w-]+)", printed)[0]
            base = f"http://127.0.0.1:{port}/voila/render/"
            figures = None
            try:
                figures = run_room(
                    CHROMIUM,
                    CHROMIUM_ARGS,
                    base,
                    token,
                    key,
                    server.pid,
                    participants,
                    SCREENSHOTS,
                    think_s,
                    True,
                )
            finally:
                if figures is None or figures.errors:
                    print("The server's log, its end:\n" + log.read_text()[-6000:], file=sys.stderr)
            folder = next(Path(temp).glob("loyalty-workshop-*"))
            with sqlite3.connect(folder / "votes.sqlite") as votes:
                figures.votes_arrived = votes.execute("SELECT count(*) FROM votes").fetchone()[0]
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
            if server_log:  # the whole log, to read after a failed page
                shutil.copyfile(log, server_log)
    print(
        f"Workshop room, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end:\n"
    )
    print(figures.table())
    if figures.errors:
        print("\nErrors in the pages:", *figures.errors, sep="\n  ")
    return 0 if not figures.errors and figures.votes_arrived == figures.votes_expected else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A workshop room measured in Chromium.")
    parser.add_argument("participants", type=int, nargs="?", default=15)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause between one's moves (s)",
    )
    parser.add_argument("--pool", type=int, default=None, help="kernels kept ready (default: one each)")
    parser.add_argument("--server-log", metavar="FILE", help="keep the server's whole log in FILE")
    args = parser.parse_args()
    sys.exit(main(args.participants, args.think, args.pool, args.server_log))
