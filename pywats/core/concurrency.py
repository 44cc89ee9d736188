"""Locks for code written once for both flavours: ``AsyncLock`` in async sources, ``SyncLock`` in the
sync twins (unasync renames one to the other)."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncLock", "SyncLock"]

SyncLock = threading.Lock


class AsyncLock:
    """An ``asyncio.Lock`` created on first use, so building a client needs no running loop."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None

    async def __aenter__(self) -> None:
        if self._lock is None:
            import asyncio

            self._lock = asyncio.Lock()
        await self._lock.acquire()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._lock is not None
        self._lock.release()
