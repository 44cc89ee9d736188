"""``AsyncTTLCache``: a small in-memory cache with per-entry time to live and LRU eviction.

For user code that caches its own lookups::

    cache = AsyncTTLCache[str](max_size=1000, default_ttl=300.0)
    async with cache:
        await cache.set("key", "value", ttl=60.0)
        value = await cache.get("key")
        print(cache.stats.hit_rate)

All operations are O(1). The methods are coroutines so that a cache can be swapped for a remote
one without changing callers; nothing in them awaits, so one event loop needs no lock. A
``TTLCache`` with the same methods, not coroutines and thread-safe, serves blocking code.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, TypeVar

__all__ = ["AsyncTTLCache", "CacheStats", "TTLCache"]

T = TypeVar("T")


@dataclass
class CacheStats:
    """Counters of one cache; ``hit_rate`` is hits / (hits + misses), 0.0 before any lookup."""

    hits: int = 0
    misses: int = 0
    evictions: int = 0
    expirations: int = 0

    @property
    def hit_rate(self) -> float:
        """Hits as a fraction of all lookups (0.0 before the first lookup)."""
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def as_dict(self) -> dict[str, float]:
        """The counters as a dict: hits, misses, hit_rate, evictions."""
        return {
            "hits": self.hits,
            "misses": self.misses,
            "hit_rate": self.hit_rate,
            "evictions": self.evictions,
            "expirations": self.expirations,
        }


class _Store(Generic[T]):
    """The cache itself, shared by both flavours: key → (expires_at, value), oldest use first."""

    def __init__(self, max_size: int, default_ttl: float | None, clock: Callable[[], float]) -> None:
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise ValueError(f"max_size must be a positive integer, not {max_size!r}")
        _check_ttl(default_ttl, "default_ttl")
        self.max_size = max_size
        self.default_ttl = default_ttl
        self.stats = CacheStats()
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float | None, T]] = OrderedDict()

    def get(self, key: Hashable, default: T | None = None) -> T | None:
        entry = self._items.get(key)
        if entry is not None:
            expires, value = entry
            if expires is None or self._clock() < expires:
                self._items.move_to_end(key)
                self.stats.hits += 1
                return value
            del self._items[key]
            self.stats.expirations += 1
        self.stats.misses += 1
        return default

    def set(self, key: Hashable, value: T, ttl: float | None) -> None:
        ttl = self.default_ttl if ttl is None else _check_ttl(ttl, "ttl")
        self._items[key] = (None if ttl is None else self._clock() + ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.max_size:
            self._items.popitem(last=False)
            self.stats.evictions += 1

    def delete(self, key: Hashable) -> bool:
        return self._items.pop(key, None) is not None

    def purge_expired(self) -> int:
        now = self._clock()
        dead = [k for k, (expires, _) in self._items.items() if expires is not None and now >= expires]
        for key in dead:
            del self._items[key]
        self.stats.expirations += len(dead)
        return len(dead)

    def __len__(self) -> int:
        return len(self._items)


def _check_ttl(ttl: float | None, name: str) -> float | None:
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int | float) or ttl <= 0):
        raise ValueError(f"{name} must be a positive number of seconds or None (no expiry), not {ttl!r}")
    return ttl


class AsyncTTLCache(Generic[T]):
    """An asyncio cache: ``max_size`` entries at most (least recently used evicted first), each
    kept ``ttl`` seconds (``default_ttl`` unless ``set`` says otherwise; None: until evicted)."""

    def __init__(
        self, max_size: int = 1000, default_ttl: float | None = 300.0, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store: _Store[T] = _Store(max_size, default_ttl, clock)

    @property
    def stats(self) -> CacheStats:
        """``hits``, ``misses``, ``hit_rate``, ``evictions``, ``expirations``."""
        return self._store.stats

    @property
    def max_size(self) -> int:
        """How many entries the cache holds before the least recently used go."""
        return self._store.max_size

    @property
    def default_ttl(self) -> float | None:
        """Seconds an entry lives unless ``set`` says otherwise (None: until evicted)."""
        return self._store.default_ttl

    async def get(self, key: Hashable, default: T | None = None) -> T | None:
        """The value cached under ``key``, or ``default`` if absent or expired."""
        return self._store.get(key, default)

    async def set(self, key: Hashable, value: T, ttl: float | None = None) -> None:
        """Cache ``value`` under ``key`` for ``ttl`` seconds (default: ``default_ttl``)."""
        self._store.set(key, value, ttl)

    async def delete(self, key: Hashable) -> bool:
        """Forget ``key``; True if it was cached."""
        return self._store.delete(key)

    async def clear(self) -> None:
        """Forget everything (the statistics are kept)."""
        self._store._items.clear()

    async def purge_expired(self) -> int:
        """Drop expired entries now (they are also dropped when looked up); how many were dropped."""
        return self._store.purge_expired()

    def __len__(self) -> int:
        return len(self._store)

    async def __aenter__(self) -> AsyncTTLCache[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.clear()


class TTLCache(Generic[T]):
    """The blocking, thread-safe twin of :class:`AsyncTTLCache`."""

    def __init__(
        self, max_size: int = 1000, default_ttl: float | None = 300.0, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store: _Store[T] = _Store(max_size, default_ttl, clock)
        self._lock = threading.Lock()

    @property
    def stats(self) -> CacheStats:
        """Hits, misses and evictions so far."""
        return self._store.stats

    def get(self, key: Hashable, default: T | None = None) -> T | None:
        """The value stored under ``key``, or ``default`` if absent or expired."""
        with self._lock:
            return self._store.get(key, default)

    def set(self, key: Hashable, value: T, ttl: float | None = None) -> None:
        """Store ``value`` under ``key`` for ``ttl`` seconds (default: the cache's ``default_ttl``)."""
        with self._lock:
            self._store.set(key, value, ttl)

    def delete(self, key: Hashable) -> bool:
        """Remove ``key``; True if it was there."""
        with self._lock:
            return self._store.delete(key)

    def clear(self) -> None:
        """Remove every entry."""
        with self._lock:
            self._store._items.clear()

    def __len__(self) -> int:
        return len(self._store)

    def __enter__(self) -> TTLCache[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()
