"""Bounded concurrent fetching for the batch methods, in both flavours.

``AsyncBatch.map_limited`` serves the async service; unasync turns its use into
``SyncBatch.map_limited`` for the blocking twin, which uses threads (the blocking HTTP client is
thread-safe). Results are ``pywats.core.BatchResult``, as ``batch_execute`` gives, so
``collect_successes`` / ``collect_failures`` work on them too.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ...core.batch import BatchResult

__all__ = ["AsyncBatch", "SyncBatch"]

K = TypeVar("K")
T = TypeVar("T")


def _check(max_workers: int) -> None:
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise ValueError(f"max_workers must be a positive integer, not {max_workers!r}")


class AsyncBatch:
    """Bounded concurrency on the event loop."""

    @staticmethod
    async def map_limited(
        func: Callable[[K], Awaitable[T | None]], keys: Sequence[K], max_workers: int
    ) -> list[BatchResult[K, T]]:
        """``func`` over ``keys``, at most ``max_workers`` at once; results in the keys' order."""
        _check(max_workers)
        gate = asyncio.Semaphore(max_workers)

        async def one(key: K) -> BatchResult[K, T]:
            async with gate:
                try:
                    return BatchResult(key, await func(key))
                except Exception as exc:  # a batch reports each failure in its result
                    return BatchResult(key, error=exc)

        return list(await asyncio.gather(*(one(k) for k in keys)))


class SyncBatch:
    """Bounded concurrency on threads."""

    @staticmethod
    def map_limited(func: Callable[[K], T | None], keys: Sequence[K], max_workers: int) -> list[BatchResult[K, T]]:
        """``func`` over ``keys`` on up to ``max_workers`` threads; results in the keys' order."""
        _check(max_workers)

        def one(key: K) -> BatchResult[K, T]:
            try:
                return BatchResult(key, func(key))
            except Exception as exc:  # a batch reports each failure in its result
                return BatchResult(key, error=exc)

        if not keys:
            return []
        with ThreadPoolExecutor(max_workers=min(max_workers, len(keys))) as pool:
            # Each task runs in a copy of the caller's context, so errors name the method called.
            futures = [pool.submit(contextvars.copy_context().run, one, key) for key in keys]
            return [f.result() for f in futures]
