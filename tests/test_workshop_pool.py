"""The room's pools of pre-started kernels: a page takes a ready kernel, a refill waits for room."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from loyalty_lessons.workshop.pool import (
    kernel_budget,
    ready,
    ready_first,
    room_for_a_kernel,
    room_kernel_manager_factory,
)


def _entries(*states):
    """Pool entries as Voilà holds them: a future per kernel, done once the kernel has started."""
    loop = asyncio.new_event_loop()
    entries = []
    for state in states:
        entry = loop.create_future()
        if state == "ready":
            entry.set_result({"kernel_id": f"k{len(entries)}"})
        elif state == "failed":
            entry.set_exception(RuntimeError("the kernel died"))
            entry.exception()  # retrieved: no warning when the loop closes
        entries.append(entry)
    loop.close()
    return entries


def test_only_a_started_kernel_is_ready():
    starting, started, failed = _entries("starting", "ready", "failed")
    assert [ready(e) for e in (starting, started, failed)] == [False, True, False]


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
