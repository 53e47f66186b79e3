"""The room's pools of pre-started kernels: a page takes a ready kernel, a refill waits for room."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets.config import Configurable, LoggingConfigurable

from loyalty_lessons.workshop.pool import (
    kernel_budget,
    ready,
    ready_first,
    room_for_a_kernel,
    room_kernel_manager_factory,
)


def _entries(*states):
    """Pool entries as Voilà holds them: a future per kernel, done once the kernel has started,
    holding the page's build (its renderer: ``kernel_started`` once the kernel has answered)."""
    loop = asyncio.new_event_loop()
    entries = []
    for state in states:
        entry = loop.create_future()
        if state in ("ready", "answering", "broken"):
            build = loop.create_future()  # the page's build, under way unless broken
            if state == "broken":
                build.set_exception(RuntimeError("Kernel died before replying to kernel_info"))
            renderer = SimpleNamespace(kernel_started=state == "ready")
            entry.set_result({"kernel_id": f"k{len(entries)}", "renderer": renderer, "task": build})
        elif state == "failed":
            entry.set_exception(RuntimeError("the kernel died"))
            entry.exception()  # retrieved: no warning when the loop closes
        entries.append(entry)
    loop.close()
    return entries


def test_only_a_kernel_that_has_answered_is_ready():
    entries = _entries("starting", "answering", "ready", "failed", "broken")
    assert [ready(e) for e in entries] == [False, False, True, False, False]


def test_the_budget_is_all_the_pools_together():
    assert kernel_budget({"default": {"pool_size": 0}, "a.ipynb": {"pool_size": 15}}) == 15
    assert kernel_budget({"default": {"pool_size": -1}, "a.ipynb": {}, "b.ipynb": {"pool_size": 2}}) == 2


def test_a_page_sees_only_the_ready_kernels_of_its_pool_and_takes_one_of_them():
    manager_class = room_kernel_manager_factory(AsyncMappingKernelManager, True, 0)
    entries = _entries("starting", "failed", "ready", "starting")
    manager = SimpleNamespace(_pools={"the-80-20-rule.ipynb": list(entries)})
    # Voilà's handler uses the pool only when this is not 0: a pool whose kernels are all
    # starting is passed by, and the page starts its own kernel instead of waiting.
    assert manager_class.get_pool_size(manager, "the-80-20-rule.ipynb") == 1
    assert manager_class.get_pool_size(manager, "index.ipynb") == 0
    pool = manager._pools["the-80-20-rule.ipynb"]
    ready_first(pool)
    assert pool[0] is entries[2] and set(pool) == set(entries)
    pool.pop(0)  # what Voilà does next
    assert manager_class.get_pool_size(manager, "the-80-20-rule.ipynb") == 0


def test_a_kernel_asked_to_stop_is_stopped_at_once_but_a_restart_is_left_as_asked(monkeypatch):
    asked = []

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        asked.append((kernel_id, now, restart))

    monkeypatch.setattr(AsyncMappingKernelManager, "shutdown_kernel", shutdown_kernel)
    manager_class = room_kernel_manager_factory(AsyncMappingKernelManager, True, 0)
    manager = manager_class.__new__(manager_class)  # no server behind it: only its method is used
    manager._pools, manager.notebook_data = {}, {}  # what Voilà's own shutdown looks through
    _run(manager.shutdown_kernel("k1"))
    _run(manager.shutdown_kernel("k2", restart=True))
    _run(manager.shutdown_kernel("k3", now=True, restart=True))
    assert asked == [("k1", True, False), ("k2", False, True), ("k3", True, True)]


def test_without_pools_it_is_voilas_own_manager():
    manager_class = room_kernel_manager_factory(AsyncMappingKernelManager, False, 0)
    assert manager_class.__name__ == "NormalKernelManager"


def _run(coroutine):
    """Run ``coroutine`` in a thread of its own (the browser tests may hold this one's loop)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def _waited(counts, served=True, quiet_s=0.05, every_s=0.01):
    """How many looks ``room_for_a_kernel`` took, the server holding ``counts`` kernels in turn
    (the last one from then on), with a budget of 4."""
    looks = []

    def kernels():
        looks.append(None)
        return counts[min(len(looks) - 1, len(counts) - 1)]

    _run(asyncio.wait_for(room_for_a_kernel(kernels, 4, lambda: served, quiet_s, every_s), timeout=2))
    return len(looks)


def test_the_first_fill_starts_at_once_within_the_budget():
    assert _waited([0], served=False) == 1
    assert _waited([4, 4, 3], served=False) == 3  # full: waits for a kernel to stop


def test_a_refill_waits_until_the_server_has_held_fewer_kernels_for_a_while():
    # Below the budget from the start: not at the first look, only after quiet_s (5 looks).
    assert _waited([3]) >= 5
    # A short gap (a page left before the next one's kernel is counted) does not let it in:
    # the wait starts again from the end of the gap.
    gap = [4, 4, 3, 4, 4, 3]
    assert _waited(gap) >= len(gap) + 4


def test_a_refill_never_starts_while_the_server_is_full():
    with pytest.raises(TimeoutError):
        _run(asyncio.wait_for(room_for_a_kernel(lambda: 4, 4, lambda: True, 0.01, 0.01), timeout=0.2))


# A room's pool over Voilà's own pooled manager, with kernels that start, answer, die or fail
# as a test says: what Voilà's manager asks of jupyter_server's, and of a page's renderer.


class _Kernel:
    """A kernel started: ``answered`` resolves True once it answers, False if it dies first."""

    def __init__(self, fate: str):
        self.answered = asyncio.get_running_loop().create_future()
        self.on_restart = []
        self.ready = asyncio.get_running_loop().create_future()  # jupyter_client's: started
        self.ready.set_result(None)
        if fate != "slow":
            self.answered.set_result(fate == "ok")

    def client(self):
        return _Client(self)

    async def is_alive(self):
        return not self.answered.done() or self.answered.result()


class _Client:
    """A kernel's client, as far as waiting for its answer to ``kernel_info`` goes."""

    def __init__(self, kernel):
        self.kernel = kernel

    def start_channels(self):
        pass

    def stop_channels(self):
        pass

    async def wait_for_ready(self, timeout=None):
        if not await self.kernel.answered:
            raise RuntimeError("Kernel died before replying to kernel_info")


class _Kernels(LoggingConfigurable):
    """jupyter_server's kernel manager as Voilà's uses it; ``fates``: how the next kernels
    started will go ("ok", "dies" before answering, "slow" to answer, "fails" to start)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.kernels: dict[str, _Kernel] = {}
        self.fates: list[str] = []
        self.started = 0
        self.stopped: list[str] = []

    async def start_kernel(self, kernel_name=None, **kwargs):
        fate = self.fates.pop(0) if self.fates else "ok"
        await asyncio.sleep(0)
        if fate == "fails":
            raise RuntimeError("the kernel could not start")
        self.started += 1
        kernel_id = f"k{self.started}"
        self.kernels[kernel_id] = _Kernel(fate)
        return kernel_id

    def list_kernel_ids(self):
        return list(self.kernels)

    def __contains__(self, kernel_id):
        return kernel_id in self.kernels

    def get_kernel(self, kernel_id):
        return self.kernels[kernel_id]

    def add_restart_callback(self, kernel_id, callback, event="restart"):
        if event == "restart":
            self.kernels[kernel_id].on_restart.append(callback)

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        kernel = self.kernels.pop(kernel_id)  # jupyter_server: 404 for a kernel it does not hold
        if not kernel.answered.done():
            kernel.answered.set_result(False)  # stopped while starting
        self.stopped.append(kernel_id)

    async def shutdown_all(self, now=False):
        for kernel_id in list(self.kernels):
            await self.shutdown_kernel(kernel_id, now=now)


class _Renderer:
    """Voilà's renderer of a page: builds it once its kernel has answered ``kernel_info``."""

    def __init__(self, notebook_path):
        self.notebook_path = notebook_path
        self.notebook = SimpleNamespace(metadata=SimpleNamespace(kernelspec=SimpleNamespace(name="python3")))
        self.template_name, self.theme = "lab", "light"
        self.kernel_started = self.stop_generator = False
        self.rendered_cache = []

    async def initialize(self):
        pass

    async def generate_content_hybrid(self, kernel_id, kernel):
        if not await kernel.answered:
            raise RuntimeError("Kernel died before replying to kernel_info")
        self.kernel_started = True
        return ["<the page>"], None


class _Parent(Configurable):
    """Voilà's application, as far as its kernel manager reads it."""


def _room(folder, pool_size=2):
    """A room's manager with one pooled page, ``a.ipynb``, its pool starting (within a loop)."""
    (folder / "a.ipynb").touch()
    parent = _Parent()
    parent.root_dir, parent.notebook_path = str(folder), None
    parent.base_url, parent.server_url, parent.port = "/", "/", 8866

    class Room(room_kernel_manager_factory(_Kernels, True, 0)):
        def _notebook_renderer_factory(self, notebook_path=None):
            return _Renderer(notebook_path)

    pools = {"default": {"pool_size": 0}, "a.ipynb": {"pool_size": pool_size}}
    return Room(parent=parent, kernel_pools_config=pools, fill_delay=0.0)


async def _until(condition, timeout_s=2.0):
    """Let the loop run until ``condition()`` holds, then a little more; False if it never did."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout_s
    while not condition():
        if loop.time() > end:
            return False
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    return True


def _pooled(room):
    """The kernels of the pool of ``a.ipynb`` that a page may take."""
    return sorted(entry.result()["kernel_id"] for entry in room._pools["a.ipynb"] if ready(entry))


def test_a_pooled_kernel_that_fails_to_start_is_replaced_and_other_kernels_still_stop(tmp_path):
    async def scenario():
        room = _room(tmp_path)
        room.fates = ["fails"]
        assert await _until(lambda: len(_pooled(room)) == 2)
        # The failed entry is gone: Voilà's own look through the pools, on any kernel's stop,
        # would raise on it, and no page could stop its kernel.
        assert len(room._pools["a.ipynb"]) == 2 and room.get_pool_size("a.ipynb") == 2
        own = await room.start_kernel(kernel_name="python3")  # a page not pooled
        await room.shutdown_kernel(own)
        assert room.stopped == [own]
        assert room._starting == 0 and sorted(room.list_kernel_ids()) == _pooled(room)

    _run(scenario())


def test_a_pooled_kernel_that_dies_before_answering_is_never_taken_and_is_replaced(tmp_path):
    async def scenario():
        room = _room(tmp_path)
        room.fates = ["dies"]
        assert await _until(lambda: len(_pooled(room)) == 2)
        assert "k1" not in _pooled(room) and room.stopped == ["k1"]
        for _ in range(2):
            render, _cache, kernel_id = await room.get_rendered_notebook("a.ipynb")
            assert kernel_id != "k1" and (await render)[0] == ["<the page>"]
        assert "k1" not in room.list_kernel_ids()
        await asyncio.sleep(0.05)  # the refills, waiting for room in the budget

    _run(scenario())


def test_a_page_takes_no_kernel_that_has_not_answered_yet(tmp_path):
    async def scenario():
        room = _room(tmp_path)
        room.fates = ["slow", "ok"]
        assert await _until(lambda: len(room._pools["a.ipynb"]) == 2 and room._pools["a.ipynb"][0].done())
        # Started, but not answered: a page taking it would wait on it, maybe for ever.
        assert _pooled(room) == ["k2"] and room.get_pool_size("a.ipynb") == 1
        room.kernels["k1"].answered.set_result(True)
        assert await _until(lambda: room.get_pool_size("a.ipynb") == 2)

    _run(scenario())


def test_stopping_a_pooled_kernel_while_it_starts_is_safe_and_it_is_replaced(tmp_path):
    async def scenario():
        room = _room(tmp_path)
        room.fates = ["slow"]
        assert await _until(lambda: "k1" in room.kernels and "k2" in _pooled(room))
        await room.shutdown_kernel("k1")  # e.g. jupyter_server's API; its page build then fails
        assert await _until(lambda: len(_pooled(room)) == 2)
        assert _pooled(room) == ["k2", "k3"] and room.stopped == ["k1"]
        assert room._starting == 0 and sorted(room.list_kernel_ids()) == ["k2", "k3"]

    _run(scenario())


def test_a_pooled_kernel_that_dies_while_waiting_is_taken_out_of_its_pool_and_replaced(tmp_path):
    async def scenario():
        room = _room(tmp_path)
        assert await _until(lambda: len(_pooled(room)) == 2)
        # jupyter_client starts the dead kernel again (the page it built is lost with it).
        restarted = room.kernels["k1"].ready = asyncio.get_running_loop().create_future()
        for restart in room.kernels["k1"].on_restart:
            restart()
        assert _pooled(room) == ["k2"]
        await asyncio.sleep(0.05)
        assert room.stopped == []  # not while it restarts
        restarted.set_result(None)
        assert await _until(lambda: len(_pooled(room)) == 2, timeout_s=5)
        assert _pooled(room) == ["k2", "k3"] and room.stopped == ["k1"]

    _run(scenario())


def test_a_page_whose_own_kernel_dies_before_answering_gets_another(tmp_path):
    async def scenario():
        room = _room(tmp_path, pool_size=1)
        assert await _until(lambda: _pooled(room) == ["k1"])
        room.fates = ["dies", "ok"]
        # Voilà's page not pooled would wait for ever for its kernel k2 to answer.
        assert await room.start_kernel(kernel_name="python3") == "k3"
        assert room.stopped == ["k2"] and sorted(room.list_kernel_ids()) == ["k1", "k3"]
        room.fates = ["dies"] * 4
        assert await room.start_kernel(kernel_name="python3") == "k6"  # three in all, then as before
        assert room.stopped == ["k2", "k4", "k5"]

    _run(scenario())


def test_stopping_the_server_starts_no_replacement(tmp_path):
    async def scenario():
        room = _room(tmp_path)
        room.fates = ["slow", "slow"]
        assert await _until(lambda: len(room.kernels) == 2)
        await room.shutdown_all()
        await asyncio.sleep(0.1)
        assert room.kernels == {} and room.started == 2

    _run(scenario())
