"""``batch_execute``: run one blocking call per key on a thread pool, keeping every outcome.

    results = batch_execute(keys=part_numbers, operation=lambda pn: api.product.get_product(pn))
    products = collect_successes(results)
    for key, error in collect_failures(results):
        ...

One failure never loses the other keys' results: each key gets a :class:`BatchResult` holding
its value or its exception, in the order of ``keys``.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .arguments import invalid_argument, prechecked
from .wire import positive

__all__ = ["AsyncBatch", "BatchResult", "SyncBatch", "batch_execute", "collect_failures", "collect_successes"]

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class BatchResult(Generic[K, V]):
    """The outcome for one key: ``value`` if ``ok``, else ``error``."""

    key: K
    value: V | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """True if the call for this key succeeded."""
        return self.error is None


class AsyncBatch:
    """Bounded concurrency on the event loop: the one implementation the async batch methods use.

    ``SyncBatch`` is its blocking twin (unasync turns one name into the other in domain services).
    """

    @staticmethod
    async def map_limited(
        func: Callable[[K], Awaitable[V | None]], keys: Sequence[K], max_workers: int, *, name: str = "max_workers"
    ) -> list[BatchResult[K, V]]:
        """``func`` over ``keys``, at most ``max_workers`` at once; every outcome, in the keys' order.

        A fixed set of workers takes the keys in turn, so 1,000 keys never become 1,000 tasks.
        ``name`` is the argument a bad ``max_workers`` is reported as.
        """
        import asyncio

        positive(name, max_workers)
        slots: list[BatchResult[K, V] | None] = [None] * len(keys)
        indexes = iter(range(len(keys)))

        async def worker() -> None:
            for i in indexes:  # shared: each key is taken by exactly one worker
                try:
                    slots[i] = BatchResult(keys[i], await func(keys[i]))
                except Exception as exc:  # in this key's result: one failure never stops the other keys
                    slots[i] = BatchResult(keys[i], error=exc)

        await asyncio.gather(*(worker() for _ in range(min(max_workers, len(keys)))))
        return [slot for slot in slots if slot is not None]  # every slot is filled by now


class SyncBatch:
    """Bounded concurrency on threads (the blocking client is thread-safe)."""

    @staticmethod
    def map_limited(
        func: Callable[[K], V | None], keys: Sequence[K], max_workers: int, *, name: str = "max_workers"
    ) -> list[BatchResult[K, V]]:
        """``func`` over ``keys`` on up to ``max_workers`` threads; every outcome, in the keys' order."""
        positive(name, max_workers)

        def one(key: K) -> BatchResult[K, V]:
            try:
                return BatchResult(key, func(key))
            except Exception as exc:  # in this key's result: one failure never stops the other keys
                return BatchResult(key, error=exc)

        if not keys:
            return []
        pool = ThreadPoolExecutor(max_workers=min(max_workers, len(keys)), thread_name_prefix="pywats-batch")
        try:
            # Each call runs in a copy of the caller's context, so errors name the method called.
            futures = [pool.submit(contextvars.copy_context().run, one, key) for key in keys]
            results = [f.result() for f in futures]
        except BaseException:
            # Ctrl-C (or any error of the waiting itself): no new item starts; the running ones
            # finish in the background, as a thread cannot be stopped.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return results


@prechecked
def batch_execute(keys: Iterable[K], operation: Callable[[K], V], max_workers: int = 10) -> list[BatchResult[K, V]]:
    """``operation(key)`` for every key, up to ``max_workers`` at once; results in key order.

    ``keys`` is any iterable but a string (whose characters are no keys).
    """
    if isinstance(keys, str | bytes | bytearray):
        raise invalid_argument("batch_execute", "keys", keys, "an iterable of keys (a list), not a string")
    return SyncBatch.map_limited(operation, list(keys), max_workers)


def _results(results: Any, operation: str) -> list[BatchResult[Any, Any]]:
    listed = list(results) if isinstance(results, Iterable) and not isinstance(results, str | bytes) else None
    if listed is None or not all(isinstance(r, BatchResult) for r in listed):
        raise invalid_argument(operation, "results", results, "the list batch_execute returned (BatchResults)")
    return listed


@prechecked
def collect_successes(results: Iterable[BatchResult[K, V]], *, include_none: bool = False) -> list[V]:
    """The values of the keys that succeeded, in order (``None`` values, e.g. LENIENT not-found,
    are left out unless ``include_none``)."""
    if not isinstance(include_none, bool):
        raise invalid_argument("collect_successes", "include_none", include_none, "True or False")
    found = _results(results, "collect_successes")
    return [r.value for r in found if r.ok and (include_none or r.value is not None)]  # type: ignore[misc]


@prechecked
def collect_failures(results: Iterable[BatchResult[K, V]]) -> list[tuple[K, Exception]]:
    """``(key, error)`` for each key that failed, in order."""
    return [(r.key, r.error) for r in _results(results, "collect_failures") if r.error is not None]
