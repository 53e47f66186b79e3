"""The workshop server without a browser: its folder, the Voilà command, serve() and the command line."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loyalty_lessons import workshop
from loyalty_lessons.errors import LoyaltyDataError
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

    def __call__(self, command, env, **options):
        folder = Path(env[FOLDER_ENV])
        ipython = Path(env["IPYTHONDIR"])
        self.seen = {
            "command": command,
            "env": env,
            "options": options,
            "folder": folder,
            "existed": folder.is_dir(),
            "config": json.loads((folder / ".voila" / "config" / "voila.json").read_text()),
            "template": next(folder.glob(".voila/jupyter/voila/templates/*/index.html.j2")).read_text(),
            "ipython": json.loads((ipython / "profile_default" / "ipython_kernel_config.json").read_text()),
            "ipython_inside": folder in ipython.parents,
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
    # Voilà runs in a session of its own (Ctrl+C reaches this process only) and is stopped with
    # SIGTERM, which it handles without a traceback.
    assert server.seen["options"]["start_new_session"] is True
    assert server.signals == ([signal.SIGTERM] if interrupt else [])
    assert "--Voila.ip=127.0.0.1" in server.seen["command"]
    assert server.seen["command"][1:3] == ["-m", "voila"]  # Voilà itself: no pool alone
    config = server.seen["config"]
    settings = config["Voila"]["tornado_settings"]
    assert settings["websocket_max_message_size"] > 10 * 1024 * 1024
    assert settings["disable_check_xsrf"] is True  # so that a page left stops its kernel
    # Alone: no token, no pool, no facilitator key; closed pages' kernels are culled.
    assert "token" not in config["Voila"] and "VoilaConfiguration" not in config
    assert server.seen["env"][workshop.roles.FACILITATOR_ENV] == ""
    assert config["MappingKernelManager"]["cull_idle_timeout"] == workshop.server.IDLE_KERNEL_S
    # The kernels keep no IPython history, and their IPython folder is inside the data folder.
    assert server.seen["ipython"] == {"HistoryManager": {"enabled": False}}
    assert server.seen["ipython_inside"]
    # The projector's stylesheet is in the page.
    assert "--jp-widgets-font-size: 18px" in server.seen["template"]
    # The page asks nothing of the internet: no stylesheet from a CDN.
    assert not re.search(r"<link[^>]+https?://", server.seen["template"])
    assert "{%- extends" in server.seen["template"]


def test_a_shared_room_has_a_token_a_facilitator_key_a_pool_and_a_qr_code():
    server, printed = _FakeServer(False), []
    notebooks = Path(__file__).resolve().parents[1] / "notebooks" / "workshop"
    assert (
        serve(8124, share=True, address="127.0.0.1", notebooks=notebooks, launch=server, out=printed.append)
        == 0
    )
    config = server.seen["config"]
    token, key = config["Voila"]["token"], server.seen["env"][workshop.roles.FACILITATOR_ENV]
    assert len(token) >= 32 and len(key) >= 20 and token != key
    assert config["VoilaConfiguration"] == {"preheat_kernel": True}
    manager = config["VoilaKernelManager"]
    pools = manager["kernel_pools_config"]
    assert pools.pop("default") == {"pool_size": 0}
    # Named as Voilà names a page: by its path in the notebooks folder (a full path is never
    # matched, and its pool never filled).
    assert pools == {"index.ipynb": {"pool_size": 2}, "scorecard.ipynb": {"pool_size": 2}}
    assert all((notebooks / page).is_file() for page in pools)
    assert manager["fill_delay"] == workshop.server.REFILL_DELAY_S >= 60
    # Voilà runs with the room's pools: pages take ready kernels, refills stay within budget.
    assert server.seen["command"][1:3] == ["-m", "loyalty_lessons.workshop.pool"]
    assert config["MappingKernelManager"]["cull_connected"] is False
    # The token is in the configuration file, never on the command line (other users see it).
    assert not any(token in part for part in server.seen["command"])
    text = printed[0]
    assert f"http://127.0.0.1:8124/voila/render/index.ipynb?token={token}\n" in text
    assert f"index.ipynb?token={token}&facilitator={key}" in text
    assert "\u2588" in text  # the QR code's blocks
    assert not server.seen["folder"].exists()


def test_a_room_keeps_kernels_ready_for_the_pages_it_names():
    server = _FakeServer(False)
    notebooks = Path(__file__).resolve().parents[1] / "notebooks" / "workshop"
    serve(
        8126,
        share=True,
        address="127.0.0.1",
        notebooks=notebooks,
        launch=server,
        out=lambda _: None,
        pool=15,
        pool_pages=["the-80-20-rule", "scorecard.ipynb"],
    )
    pools = server.seen["config"]["VoilaKernelManager"]["kernel_pools_config"]
    assert pools == {
        "default": {"pool_size": 0},
        "the-80-20-rule.ipynb": {"pool_size": 15},
        "scorecard.ipynb": {"pool_size": 15},
    }


def test_a_room_refuses_to_keep_kernels_for_a_page_it_does_not_have():
    server = _FakeServer(False)
    notebooks = Path(__file__).resolve().parents[1] / "notebooks" / "workshop"
    with pytest.raises(LoyaltyDataError, match="No page the-80-20.ipynb in .*the-80-20-rule"):
        serve(
            8127,
            share=True,
            address="127.0.0.1",
            notebooks=notebooks,
            launch=server,
            pool_pages=["the-80-20"],
        )
    assert "config" not in server.seen  # nothing was started


def test_a_shared_room_listens_on_the_network_address_by_default(monkeypatch):
    monkeypatch.setattr("loyalty_lessons.workshop.server.network_address", lambda: "127.0.0.1")
    server = _FakeServer(False)
    serve(8125, share=True, launch=server, out=lambda _: None)
    assert "--Voila.ip=127.0.0.1" in server.seen["command"]
    assert server.seen["env"]["VOILA_APP_IP"] == "127.0.0.1"


def test_the_network_address_is_an_ipv4_address():
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", workshop.server.network_address())


def test_serve_picks_a_free_port_when_none_is_given():
    server, printed = _FakeServer(False), []
    serve(launch=server, out=printed.append)
    port = int(re.search(r"127\.0\.0\.1:(\d+)/", printed[0]).group(1))
    assert f"--port={port}" in server.seen["command"] and port > 0


def test_main_reports_a_missing_notebooks_folder(tmp_path, capsys):
    assert workshop.main(["--notebooks", str(tmp_path)]) == 2
    assert "No workshop notebooks" in capsys.readouterr().err


def test_the_command_line_stops_cleanly_and_leaves_nothing(tmp_path):
    """The real server, started and stopped as a person would (Ctrl+C), on a free port."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    log = tmp_path / "server.log"
    with open(log, "w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "loyalty_lessons.workshop", "--port", str(workshop.free_port())],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )
    try:
        line = process.stdout.readline()
        assert line.startswith("Workshop dashboard: http://127.0.0.1:")
        assert any(tmp_path.glob("loyalty-workshop-*"))
        time.sleep(3)  # let Voilà start, so that it is stopped, not killed while starting
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl+C
        process.wait(timeout=30)
    assert process.returncode == 0
    assert not any(tmp_path.glob("loyalty-workshop-*"))
    assert "Traceback" not in log.read_text()


def test_loyalty_lessons_workshop_passes_share_on(monkeypatch):
    from loyalty_lessons import cli

    seen = []
    monkeypatch.setattr(workshop, "main", lambda argv: seen.append(argv) or 0)
    assert cli.main(["workshop", "--share", "--port", "8123"]) == 0
    assert cli.main(["workshop"]) == 0
    assert cli.main(["workshop", "--share", "--pool", "15", "--pool-pages", "the-80-20-rule"]) == 0
    assert seen == [
        ["--port", "8123", "--share"],
        [],
        ["--share", "--pool", "15", "--pool-pages", "the-80-20-rule"],
    ]


def test_the_language_reaches_every_pages_kernel_and_the_printed_link():
    server, printed = _FakeServer(False), []
    assert serve(8126, language="fr", launch=server, out=printed.append) == 0
    assert server.seen["env"][workshop.texts.LANGUAGE_ENV] == "fr"
    assert "http://127.0.0.1:8126/voila/render/index.ipynb?lang=fr " in printed[0]


def test_a_shared_room_in_italian_gives_links_in_italian():
    participants, facilitator = workshop.server.share_links("10.0.0.2", 8866, "t", "k", "it")
    assert participants.endswith("index.ipynb?token=t&lang=it")
    assert facilitator.endswith("index.ipynb?token=t&facilitator=k&lang=it")


@pytest.mark.parametrize("argv", [["--language", "de"], ["--language", "EN"]], ids=["unknown", "upper-case"])
def test_main_refuses_an_unknown_language_naming_the_available_ones(argv, capsys):
    assert workshop.main(argv) == 2
    error = capsys.readouterr().err
    assert f"no workshop text in language {argv[1]!r}; available: en, fr, it, ru" in error


def test_loyalty_lessons_workshop_passes_the_language_on(monkeypatch):
    from loyalty_lessons import cli

    seen = []
    monkeypatch.setattr(workshop, "main", lambda argv: seen.append(argv) or 0)
    assert cli.main(["workshop", "--language", "ru", "--share"]) == 0
    assert seen == [["--share", "--language", "ru"]]


def test_loyalty_lessons_workshop_refuses_an_unknown_language(capsys):
    from loyalty_lessons import cli

    assert cli.main(["workshop", "--language", "de"]) == 2
    assert "available: en, fr, it, ru" in capsys.readouterr().err


def test_the_pages_kernels_use_the_system_allocator_for_arrow_unless_told(monkeypatch):
    """Arrow's own allocator keeps about 33 MB in every kernel that has read a file; the
    server's environment, which the pages' kernels inherit, asks for the system's instead."""
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    server = _FakeServer(False)
    serve(8128, launch=server, out=lambda _: None)
    assert server.seen["env"]["ARROW_DEFAULT_MEMORY_POOL"] == "system"
    assert server.seen["env"]["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")  # the environment's own choice wins
    server = _FakeServer(False)
    serve(8129, launch=server, out=lambda _: None)
    assert server.seen["env"]["ARROW_DEFAULT_MEMORY_POOL"] == "jemalloc"
