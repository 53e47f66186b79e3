"""Voilà with a room's pools of pre-started kernels: ``python -m loyalty_lessons.workshop.pool``.

Voilà keeps, for each page named in its ``kernel_pools_config``, kernels that have already
built the page and wait for someone to ask for it (``preheat_kernel``). Two of its ways do not
suit a room, where fifteen people open the same page within seconds:

- a page takes the first kernel of its pool even while that kernel is still starting (after a
  refill, a few CPU seconds later), so a page opened after the pool ran out waits for a
  refill instead of starting its own kernel;
- a pool is refilled as soon as it is drawn: after a room of fifteen opened a page, fifteen
  kernels more would start (about 0.25 GB and several CPU seconds each) while the room moves
  the page's controls, and stay.

:func:`room_kernel_manager_factory` wraps Voilà's kernel manager so that a page takes a kernel
that is ready, or starts its own, and a pool is refilled only once the server has held fewer
kernels than all its pools together (:func:`kernel_budget`) for :data:`QUIET_S`: when the
kernels of the pages the room has left have stopped, and not before Voilà's ``fill_delay``
(which the server sets to :data:`~loyalty_lessons.workshop.server.REFILL_DELAY_S`).
:func:`main` runs Voilà with it; its arguments are Voilà's.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "QUIET_S",
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


def ready(task: asyncio.Future) -> bool:
    """Whether a pool's entry holds a kernel that has started (its page being or already built)."""
    return task.done() and not task.cancelled() and task.exception() is None


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
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    voila_class = voila_kernel_manager_factory(
        base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook
    )
    if not preheat_kernel:
        return voila_class

    class RoomKernelManager(voila_class):
        """Voilà's pooled kernel manager: pages take ready kernels; refills within the budget;
        a kernel asked to stop is stopped at once."""

        _starting = 0
        #: Whether a page has taken a kernel yet: until then, pools fill at once (within budget).
        _served = False

        def get_pool_size(self, notebook_name: str) -> int:
            # Voilà's handler uses the pool when this is not 0: count the kernels ready only.
            return sum(ready(task) for task in self._pools.get(notebook_name, []))

        async def get_rendered_notebook(self, notebook_name: str, *args, **kwargs):
            ready_first(self._pools.get(notebook_name, []))
            self._served = True
            return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

        async def shutdown_kernel(self, kernel_id: str, now: bool = False, restart: bool = False):
            # A page left asks to stop its kernel (Voilà's request on leaving the page) while the
            # room's next page starts its own: stopped at once, the kernel does not hold its
            # memory through the five seconds jupyter_client would give it to exit, on a
            # processor the new kernels keep busy. It has nothing to save (no history file).
            return await super().shutdown_kernel(kernel_id, now=now or not restart, restart=restart)

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
                return await super()._initialize(notebook_path, kernel_id, **kwargs)
            finally:
                self._starting -= 1

    return RoomKernelManager


def main(argv: list[str] | None = None) -> None:
    """Run Voilà (its command line, ``argv``) with :func:`room_kernel_manager_factory`."""
    import voila.app

    voila.app.voila_kernel_manager_factory = room_kernel_manager_factory
    voila.app.main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
