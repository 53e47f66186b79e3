"""Voilà with a room's pools of pre-started kernels: ``python -m loyalty_lessons.workshop.pool``.

Voilà keeps, for each page named in its ``kernel_pools_config``, kernels that have already
built the page and wait for someone to ask for it (``preheat_kernel``). Two of its ways do not
suit a room, where fifteen people open the same page within seconds:

- a page takes the first kernel of its pool even while that kernel is still starting (after a
  refill, a few CPU seconds later), so a page opened after the pool ran out waits for a
  refill instead of starting its own kernel;
- a pool is refilled as soon as it is drawn: after a room of fifteen opened a page, fifteen
  kernels more would start (about 0.25 GB and several CPU seconds each) while the room moves
  the page's controls, and stay;
- a kernel that dies before it answers is not noticed: a pooled one still counts as ready and
  the page that takes it is cut short; a pooled one whose start raised stays in its pool, never
  replaced (and Voilà's own shutdown of any kernel then raises on it); and a page that started
  its own kernel waits for it for ever.

:func:`room_kernel_manager_factory` wraps Voilà's kernel manager so that a page takes a kernel
that is ready (it has answered), or starts its own, and a pool is refilled only once the
server has held fewer kernels than all its pools together (:func:`kernel_budget`) for
:data:`QUIET_S`: when the kernels of the pages the room has left have stopped, and not before
Voilà's ``fill_delay`` (which the server sets to
:data:`~loyalty_lessons.workshop.server.REFILL_DELAY_S`). A pooled kernel that fails or dies
is taken out of its pool, stopped and replaced the same way; a page's own kernel that dies
before answering is replaced by another.
:func:`main` runs Voilà with it; its arguments are Voilà's.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "ANSWER_S",
    "QUIET_S",
    "failed",
    "kernel_budget",
    "main",
    "ready",
    "ready_first",
    "room_for_a_kernel",
    "room_kernel_manager_factory",
]

#: Seconds between two looks, by a refill waiting for the server to hold fewer kernels.
_WAIT_S = 2.0
#: Seconds the server must have held fewer kernels than the budget before a refill starts: a
#: room going from one page to the next stops a kernel before its next page's kernel is
#: counted (a kernel is counted once started), and a refill must not slip into that gap.
QUIET_S = 30.0
#: Kernels started in turn for a page not pooled while each dies before answering ``kernel_info``
#: (Voilà's page would wait for such a kernel for ever).
_STARTS = 3
#: Seconds a page's own kernel has to answer before the page is left to wait for it with Voilà
#: (nbclient's ``startup_timeout``).
ANSWER_S = 60.0


def failed(task: asyncio.Future) -> bool:
    """Whether a task has ended without a result: it raised, or was cancelled."""
    return task.done() and (task.cancelled() or task.exception() is not None)


def ready(task: asyncio.Future) -> bool:
    """Whether a pool's entry holds a kernel that has answered (its page being or already built).

    An entry is Voilà's task starting a kernel, whose result holds the task building the
    page; the kernel has answered once that task has had its reply to ``kernel_info``
    (``renderer.kernel_started``). A kernel that died before it, or whose page failed, is not
    ready: a page that took it would never be built.
    """
    if not task.done() or failed(task):
        return False
    started = task.result()
    return started["renderer"].kernel_started and not failed(started["task"])


def ready_first(pool: list[asyncio.Future]) -> None:
    """Put a pool's ready entries first, in place (Voilà takes the first entry)."""
    pool.sort(key=lambda task: not ready(task))


def kernel_budget(pools: Mapping[str, Mapping[str, Any]]) -> int:
    """How many kernels a refill may bring the server to: all its pools together.

    Examples
    --------
    >>> kernel_budget({"default": {"pool_size": 0}, "a.ipynb": {"pool_size": 2}, "b.ipynb": {"pool_size": 2}})
    4
    """
    return sum(max(int(pool.get("pool_size", 0)), 0) for pool in pools.values())


async def room_for_a_kernel(
    kernels: Callable[[], int],
    budget: int,
    served: Callable[[], bool],
    quiet_s: float = QUIET_S,
    every_s: float = _WAIT_S,
) -> None:
    """Wait until a pool may start a kernel: at once while no page has been served (the
    server's first fill) and ``kernels()`` is under ``budget``; after that, once ``kernels()``
    has stayed under ``budget`` for ``quiet_s`` (looked at every ``every_s``)."""
    loop = asyncio.get_running_loop()
    below_since = None
    while True:
        if kernels() >= budget:
            below_since = None
        elif not served():
            return
        elif below_since is None:
            below_since = loop.time()
        elif loop.time() - below_since >= quiet_s:
            return
        await asyncio.sleep(every_s)


def room_kernel_manager_factory(
    base_class: type, preheat_kernel: bool, default_pool_size: int, page_config_hook: Callable | None = None
) -> type:
    """Voilà's kernel manager class (``voila_kernel_manager_factory``), with a room's pools.

    Without ``preheat_kernel``, Voilà's own class.
    """
    from jupyter_core.utils import ensure_async
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    voila_class = voila_kernel_manager_factory(
        base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook
    )
    if not preheat_kernel:
        return voila_class

    class RoomKernelManager(voila_class):
        """Voilà's pooled manager: pages take kernels that have answered; a pooled kernel lost
        (failed, dead, stopped) is taken out of its pool and replaced; refills within the
        budget; a kernel asked to stop is stopped at once."""

        _starting = 0
        #: Whether a page has taken a kernel yet: until then, pools fill at once (within budget).
        _served = False
        #: Whether the server is stopping: a kernel lost then is not replaced.
        _closing = False

        def get_pool_size(self, notebook_name: str) -> int:
            # Voilà's handler uses the pool when this is not 0: count the kernels ready only.
            return sum(ready(task) for task in self._pools.get(notebook_name, []))

        async def get_rendered_notebook(self, notebook_name: str, *args, **kwargs):
            ready_first(self._pools.get(notebook_name, []))
            self._served = True
            return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

        def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None, **kwargs):
            before = len(self._pools.get(notebook_name, []))
            super().fill_if_needed(delay, notebook_name, **kwargs)
            for entry in self._pools[notebook_name][before:]:
                entry.add_done_callback(functools.partial(self._started, notebook_name))

        def _started(self, notebook_name: str, entry: asyncio.Future) -> None:
            # A pooled kernel's start has ended: watch its page being built, if it did start.
            if failed(entry):
                self._lose(notebook_name, entry)
                return
            started = entry.result()

            def built(task: asyncio.Future) -> None:
                if failed(task):  # e.g. "Kernel died before replying to kernel_info"
                    self._lose(notebook_name, entry, started["kernel_id"])

            started["task"].add_done_callback(built)

        def _lose(self, notebook_name: str, entry: asyncio.Future, kernel_id: str | None = None) -> None:
            """Take ``entry`` out of its pool if still there, stop ``kernel_id`` and replace it."""
            pool = self._pools.get(notebook_name, [])
            if entry not in pool:  # a page took it (and sees what became of it), or it was stopped
                return
            pool.remove(entry)
            if self._closing:
                return
            self.log.warning("A kernel of the pool of %s was lost: replacing it", notebook_name)
            asyncio.ensure_future(self._replace(notebook_name, kernel_id))

        async def _replace(self, notebook_name: str, kernel_id: str | None) -> None:
            if kernel_id is not None:
                await self._stop(kernel_id)
            # Within the budget; once a page has been served, after Voilà's fill_delay, as when
            # a page takes a kernel.
            self.fill_if_needed(delay=None if self._served else 0, notebook_name=notebook_name)

        async def _stop(self, kernel_id: str) -> None:
            """Stop a kernel that failed, if it is still held; never raise."""
            if kernel_id not in self:
                return
            try:
                # A restart of the kernel under way (jupyter_client's, on its death) ends first.
                await asyncio.wrap_future(self.get_kernel(kernel_id).ready)
                await self.shutdown_kernel(kernel_id)
            except Exception:  # gone, or failing to restart: nothing more to stop
                self.log.debug("Kernel %s was not stopped", kernel_id, exc_info=True)

        async def start_kernel(self, *args, **kwargs):
            # A kernel started for a page not pooled (Voilà's pools start theirs with the base
            # class's method). Voilà's page waits for ever for a kernel that died before it
            # answered kernel_info: another one is started instead, up to _STARTS in all.
            if kwargs.get("kernel_id") is not None:  # one the server may already hold
                return await super().start_kernel(*args, **kwargs)
            for start in range(1, _STARTS + 1):
                kernel_id = await super().start_kernel(*args, **kwargs)
                if start == _STARTS or await self._answers(kernel_id):
                    return kernel_id
                self.log.warning("Kernel %s died before it answered: starting another", kernel_id)
                await self._stop(kernel_id)

        async def _answers(self, kernel_id: str) -> bool:
            """Whether a kernel answers ``kernel_info`` within :data:`ANSWER_S`, or is still
            alive then (slow, or started again by jupyter_client): False if it died."""
            kernel = self.get_kernel(kernel_id)
            client = kernel.client()
            await ensure_async(client.start_channels())
            try:
                await ensure_async(client.wait_for_ready(timeout=ANSWER_S))
            except RuntimeError:
                return await ensure_async(kernel.is_alive())
            finally:
                await ensure_async(client.stop_channels())
            return True

        def _pooled(self, kernel_id: str) -> tuple[str, asyncio.Future] | None:
            """The pool and entry holding ``kernel_id``, if a pool holds it."""
            for notebook_name, pool in self._pools.items():
                for entry in pool:
                    if entry.done() and not failed(entry) and entry.result()["kernel_id"] == kernel_id:
                        return notebook_name, entry
            return None

        def _restarted(self, kernel_id: str) -> None:
            # A kernel died and jupyter_client starts it again, without its page: if it was
            # waiting in a pool, no page may take it.
            found = self._pooled(kernel_id)
            if found is not None:
                self._lose(*found, kernel_id)

        async def shutdown_kernel(self, kernel_id: str, now: bool = False, restart: bool = False):
            # Voilà's own shutdown looks at each pooled entry's result and raises on a failed
            # one: take those out first (they are replaced), and a pooled kernel stopped too.
            for notebook_name, pool in list(self._pools.items()):
                for entry in [entry for entry in pool if failed(entry)]:
                    self._lose(notebook_name, entry)
            found = self._pooled(kernel_id)
            if found is not None:
                self._lose(*found)
            # A page left asks to stop its kernel (Voilà's request on leaving the page) while the
            # room's next page starts its own: stopped at once, the kernel does not hold its
            # memory through the five seconds jupyter_client would give it to exit, on a
            # processor the new kernels keep busy. It has nothing to save (no history file).
            return await super().shutdown_kernel(kernel_id, now=now or not restart, restart=restart)

        async def shutdown_all(self, *args, **kwargs):
            self._closing = True
            return await super().shutdown_all(*args, **kwargs)

        async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs):
            if kernel_id is not None:  # a restart, not a new kernel
                return await super()._initialize(notebook_path, kernel_id, **kwargs)
            await room_for_a_kernel(
                lambda: len(self.list_kernel_ids()) + self._starting,
                kernel_budget(self.kernel_pools_config),
                lambda: self._served,
            )
            self._starting += 1
            try:
                started = await super()._initialize(notebook_path, kernel_id, **kwargs)
            finally:
                self._starting -= 1
            self.add_restart_callback(
                started["kernel_id"], functools.partial(self._restarted, started["kernel_id"]), "restart"
            )
            return started

    return RoomKernelManager


def main(argv: list[str] | None = None) -> None:
    """Run Voilà (its command line, ``argv``) with :func:`room_kernel_manager_factory`."""
    import voila.app

    voila.app.voila_kernel_manager_factory = room_kernel_manager_factory
    voila.app.main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
