"""``batch_execute``: run one blocking call per key on a thread pool, keeping every outcome.

    results = batch_execute(keys=part_numbers, operation=lambda pn: api.product.get_product(pn))
    products = collect_successes(results)
    for key, error in collect_failures(results):
        ...

One failure never loses the other keys' results: each key gets a :class:`BatchResult` holding
its value or its exception, in the order of ``keys``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["BatchResult", "batch_execute", "collect_failures", "collect_successes"]

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
        return self.error is None


def batch_execute(
    keys: Iterable[K], operation: Callable[[K], V], max_workers: int = 10
) -> list[BatchResult[K, V]]:
    """``operation(key)`` for every key, up to ``max_workers`` at once; results in key order."""
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
        raise ValueError(f"max_workers must be a positive integer, not {max_workers!r}")
    ordered = list(keys)

    def one(key: K) -> BatchResult[K, V]:
        try:
            return BatchResult(key, operation(key))
        except Exception as exc:  # kept for the caller, never raised past the other keys
            return BatchResult(key, error=exc)

    if not ordered:
        return []
    with ThreadPoolExecutor(max_workers=min(max_workers, len(ordered)), thread_name_prefix="pywats-batch") as pool:
        return list(pool.map(one, ordered))


def collect_successes(results: Iterable[BatchResult[K, V]], *, include_none: bool = False) -> list[V]:
    """The values of the keys that succeeded, in order (``None`` values, e.g. LENIENT not-found,
    are left out unless ``include_none``)."""
    return [r.value for r in results if r.ok and (include_none or r.value is not None)]  # type: ignore[misc]


def collect_failures(results: Iterable[BatchResult[K, V]]) -> list[tuple[K, Exception]]:
    """``(key, error)`` for each key that failed, in order."""
    return [(r.key, r.error) for r in results if r.error is not None]
