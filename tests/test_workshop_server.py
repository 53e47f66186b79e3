"""The workshop server without a browser: its folder, the Voilà command, serve() and the command line."""

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from loyalty_lessons import workshop
from loyalty_lessons.workshop import FOLDER_ENV, serve, voila_command, workshop_folder


def test_the_workshop_folder_is_removed_at_exit_even_after_an_error():
    with pytest.raises(RuntimeError), workshop_folder() as folder:
        (folder / "transactions.parquet").write_bytes(b"client data")
        raise RuntimeError("stop")
    assert not folder.exists()


def test_voila_listens_on_loopback_only():
    command = voila_command(8123)
    assert "--Voila.ip=127.0.0.1" in command and "--port=8123" in command
    assert "--no-browser" in command


class _FakeServer:
    """Stands for the Voilà process: records what it was given, then stops."""

    def __init__(self, interrupt: bool):
        self.interrupt, self.seen, self.signals = interrupt, {}, []

    def __call__(self, command, env):
        folder = Path(env[FOLDER_ENV])
        self.seen = {
            "command": command,
            "folder": folder,
            "existed": folder.is_dir(),
            "config": json.loads((folder / ".voila" / "config" / "voila.json").read_text()),
            "template": next(folder.glob(".voila/jupyter/voila/templates/*/index.html.j2")).read_text(),
        }
        return self

    def wait(self, timeout=None):
        if self.interrupt and not self.signals:
            raise KeyboardInterrupt
        return 0

    def poll(self):
        return 0 if self.signals or not self.interrupt else None

    def send_signal(self, signum):
        self.signals.append(signum)


@pytest.mark.parametrize("interrupt", [False, True], ids=["server-exits", "ctrl-c"])
def test_serve_prints_the_address_and_removes_the_data_folder(interrupt):
    server, printed = _FakeServer(interrupt), []
    assert serve(8123, launch=server, out=printed.append) == 0
    assert server.seen["existed"] and not server.seen["folder"].exists()
    assert printed == ["Workshop dashboard: http://127.0.0.1:8123/voila/render/index.ipynb  (Ctrl+C to stop)"]
    assert server.signals == ([signal.SIGINT] if interrupt else [])
    assert "--Voila.ip=127.0.0.1" in server.seen["command"]
    settings = server.seen["config"]["Voila"]["tornado_settings"]
    assert settings["websocket_max_message_size"] > 10 * 1024 * 1024
    # The page asks nothing of the internet: no stylesheet from a CDN.
    assert not re.search(r"<link[^>]+https?://", server.seen["template"])
    assert "{%- extends" in server.seen["template"]


def test_serve_picks_a_free_port_when_none_is_given():
    server, printed = _FakeServer(False), []
    serve(launch=server, out=printed.append)
    port = int(re.search(r"127\.0\.0\.1:(\d+)/", printed[0]).group(1))
    assert f"--port={port}" in server.seen["command"] and port > 0


def test_main_reports_a_missing_notebooks_folder(tmp_path, capsys):
    assert workshop.main(["--notebooks", str(tmp_path)]) == 2
    assert "No workshop notebooks" in capsys.readouterr().err


def test_the_command_line_stops_cleanly_and_leaves_nothing(tmp_path):
    """The real server, started and stopped as a person would (SIGINT), on a free port."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "loyalty_lessons.workshop", "--port", str(workshop.free_port())],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("Workshop dashboard: http://127.0.0.1:")
        assert any(tmp_path.glob("loyalty-workshop-*"))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert not any(tmp_path.glob("loyalty-workshop-*"))
