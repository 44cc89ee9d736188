"""Run one call per item with at most ``limit`` in flight, results in input order.

``AsyncBoundedMap`` serves the async service; unasync renames it in the blocking twin to
``SyncBoundedMap``, which uses threads (the blocking client is thread-safe).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["AsyncBoundedMap", "SyncBoundedMap"]

T = TypeVar("T")
R = TypeVar("R")


def _check(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"max_concurrency must be a positive integer, not {limit!r}")
    return limit


class AsyncBoundedMap:
    """``await AsyncBoundedMap(limit).run(func, items)``: ``[await func(i) for i in items]``, concurrently.

    A fixed set of ``limit`` workers pulls items from a shared index, so no more than ``limit``
    calls are in flight and 1,000 items do not become 1,000 pending tasks.
    """

    def __init__(self, limit: int) -> None:
        self.limit = _check(limit)

    async def run(self, func: Callable[[T], Awaitable[R]], items: Sequence[T]) -> list[R]:
        import asyncio

        results: list[R | None] = [None] * len(items)
        next_index = 0

        async def worker() -> None:
            nonlocal next_index
            while next_index < len(items):
                i = next_index
                next_index += 1
                results[i] = await func(items[i])

        workers = [asyncio.ensure_future(worker()) for _ in range(min(self.limit, len(items)))]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            for w in workers:
                w.cancel()
            raise
        return results  # type: ignore[return-value]  # every slot was filled


class SyncBoundedMap:
    """``SyncBoundedMap(limit).run(func, items)``: ``[func(i) for i in items]`` on at most ``limit`` threads."""

    def __init__(self, limit: int) -> None:
        self.limit = _check(limit)

    def run(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        with ThreadPoolExecutor(max_workers=min(self.limit, len(items))) as pool:
            return list(pool.map(func, items))
