"""Request gates: at most ``size`` requests inside the connection pool, the rest wait in line here.

httpcore's pool re-scans every waiting request each time a connection frees up, so thousands of
requests queued *inside* it cost O(n²) and end in ``PoolTimeout``. A gate in front of the pool
admits no more requests than the pool has connections, so the pool never makes anyone wait and
its timeout only fires on real pool trouble. Waiting here is O(1) per request and has no timeout
(each admitted request is bounded by its own timeouts, so the line always moves).

``AsyncGate`` serves async sources, ``SyncGate`` their sync twins (unasync renames one to the
other). Both have the same three methods: ``acquire``, ``release`` and ``send``.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import TYPE_CHECKING, Any

import httpx

from . import deadline

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncGate", "SyncGate"]


class SyncGate:
    """A FIFO-ish counting gate for threads (``threading.Semaphore``: waiters wake in arrival order)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a gate needs at least one slot")
        self.size = size
        self._slots = threading.Semaphore(size)

    def acquire(self) -> None:
        self._slots.acquire()

    def release(self) -> None:
        self._slots.release()

    def send(self, inner: httpx.BaseTransport, request: httpx.Request) -> httpx.Response:
        """Send ``request`` on ``inner`` holding one slot; the caller releases it when done with the response.

        On an error the slot is released here.
        """
        self.acquire()
        deadline.restart()  # the attempt's timeout counts from here, not from joining the queue
        try:
            return inner.handle_request(request)
        except BaseException:
            self.release()
            raise

    def close(self) -> None:
        """Nothing runs in the background for threads."""

    def rebind(self, inner: httpx.BaseTransport) -> None:
        """Nothing to do: threads have no event loop to outlive."""


class AsyncGate:
    """A strictly FIFO counting gate for asyncio tasks, created without a running loop.

    Unlike ``asyncio.Semaphore`` (whose ``locked()`` scans every waiter), acquiring and releasing
    are O(1): cancelled waiters stay in the line and are skipped when a slot is handed on.

    ``send`` also protects the pool from cancellation: httpcore (1.0.9 and older) permanently
    loses a connection slot when a request is cancelled between being assigned a new connection
    and starting to use it. The exchange therefore runs in its own task that the caller's
    cancellation does not reach; a cancelled caller returns at once, and the orphaned exchange
    finishes in the background (bounded by the request's timeouts) and then gives its slot and
    connection back.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a gate needs at least one slot")
        self.size = size
        self._free = size
        # Invariant: a live waiter exists only while _free == 0 (release hands slots to waiters first).
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._orphans: set[asyncio.Future[Any]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def in_use(self) -> int:
        """Slots currently held (admitted exchanges, orphans included)."""
        return self.size - self._free

    async def acquire(self) -> None:
        if self._free > 0:
            self._free -= 1
            return
        import asyncio

        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            # Cancelled after release() had already handed us the slot: pass it on, or it is lost.
            if waiter.done() and not waiter.cancelled():
                self.release()
            raise

    def release(self) -> None:
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot moves straight to the next in line
                return
        self._free += 1

    async def send(self, inner: httpx.AsyncBaseTransport, request: httpx.Request) -> httpx.Response:
        """Send ``request`` on ``inner`` holding one slot; the caller releases it when done with the response.

        On an error the slot is released here. If the caller is cancelled, the exchange carries
        on without it and releases the slot (and closes any response) when it ends.
        """
        import asyncio

        await self.acquire()
        deadline.restart()  # the attempt's timeout counts from here, not from joining the queue
        try:
            task = asyncio.get_running_loop().create_task(inner.handle_async_request(request))
        except BaseException:
            self.release()
            raise
        try:
            return await asyncio.shield(task)
        except BaseException:
            if task.done() and (task.cancelled() or task.exception() is not None):
                self.release()  # the exchange itself failed: nothing is held any more
            else:
                # Our caller was cancelled (or interrupted) while the exchange ran or just after it
                # finished: whoever ends last cleans up. Keep a strong reference until then.
                self._orphans.add(task)
                task.add_done_callback(self._reap)
            raise

    def _reap(self, task: asyncio.Future[Any]) -> None:
        """Done-callback of an orphaned exchange: give back its slot, closing its response first."""
        self._orphans.discard(task)
        if task.cancelled() or task.exception() is not None:  # retrieving it also silences asyncio
            self.release()
            return
        response: httpx.Response = task.result()
        import asyncio

        closing = asyncio.get_running_loop().create_task(self._close(response))
        self._orphans.add(closing)
        closing.add_done_callback(self._orphans.discard)

    async def _close(self, response: httpx.Response) -> None:
        try:
            # An unread body makes httpcore drop the connection rather than reuse it: that is fine.
            await response.aclose()
        except Exception:
            pass  # nobody is left to tell, and the pool has reclaimed the connection either way
        finally:
            self.release()

    def rebind(self, inner: httpx.AsyncBaseTransport) -> None:
        """Called in the running loop before the gate and ``inner`` are used: if the loop this gate
        last ran in is closed (a client used again under a second ``asyncio.run()``), forget what
        that loop left behind.

        Its pooled connections belong to that loop: using one, or even closing it, raises
        ``RuntimeError: Event loop is closed``, so the pool drops them (their sockets close when
        collected). Its waiters and orphans are gone with it; no exchange of it holds a slot any more.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        if loop is self._loop:
            return
        previous, self._loop = self._loop, loop
        if previous is None or not previous.is_closed():
            return
        self._free = self.size
        self._waiters.clear()
        self._orphans.clear()
        while not hasattr(inner, "_pool") and hasattr(inner, "_inner"):  # pyWATS' own wrapping transports
            inner = inner._inner
        pool = getattr(inner, "_pool", None)
        for name in ("_connections", "_requests"):  # httpcore's AsyncConnectionPool
            held = getattr(pool, name, None)
            if isinstance(held, list):
                held.clear()

    async def close(self) -> None:
        """Stop orphaned exchanges (the pool is about to close under them) and wait for them to end."""
        import asyncio

        pending = list(self._orphans)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
