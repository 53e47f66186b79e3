"""A workshop room of fifteen participants, measured in Chromium: ``make bench-room``.

Starts a shared workshop server (``--share`` on the loopback address), lets its pools of
kernels fill, then drives the room of ``tests/browser/room.py``: every participant opens the
80/20 page from the link, moves its slider five times, opens the scorecard and rates three
practices, all at once, while the facilitator uploads a French-style export (January 1997 to
June 1998). Prints the figures as a Markdown table, for docs/workshop.md.

Usage: ``python benchmarks/workshop_room.py [PARTICIPANTS]`` (default 15).
"""

from __future__ import annotations

import os
import re
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

#: Seconds to let the server start its pools before the room arrives.
WARM_UP_S = 60


def main(participants: int = 15) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-room-") as temp:
        log = Path(temp) / "server.log"
        port = free_port()
        with open(log, "w") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "loyalty_lessons.workshop", "--port", str(port), "--share"]
                + ["--address", "127.0.0.1", "--notebooks", str(NOTEBOOKS)],
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
            time.sleep(WARM_UP_S)
            printed = log.read_text()
            token = re.findall(r"token=([\w-]+)", printed)[0]
            key = re.findall(r"facilitator=([\w-]+)", printed)[0]
            base = f"http://127.0.0.1:{port}/voila/render/"
            figures = run_room(
                CHROMIUM, CHROMIUM_ARGS, base, token, key, server.pid, participants, SCREENSHOTS
            )
            folder = next(Path(temp).glob("loyalty-workshop-*"))
            with sqlite3.connect(folder / "votes.sqlite") as votes:
                figures.votes_arrived = votes.execute("SELECT count(*) FROM votes").fetchone()[0]
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
    print(f"Workshop room, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores:\n")
    print(figures.table())
    if figures.errors:
        print("\nErrors in the pages:", *figures.errors, sep="\n  ")
    return 0 if not figures.errors and figures.votes_arrived == figures.votes_expected else 1


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:2])))
