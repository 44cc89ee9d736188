"""In-memory caches: ``AsyncTTLCache`` (keys with a time to live each, LRU eviction) for user code,
and ``AsyncLoadedValue`` (one value loaded by the client, kept fresh) for the services.

A user's code that caches its own lookups::

    cache = AsyncTTLCache[str](max_size=1000, default_ttl=300.0)
    async with cache:
        await cache.set("key", "value", ttl=60.0)
        value = await cache.get("key")
        print(cache.stats.hit_rate)

All operations are O(1). The methods are coroutines so that a cache can be swapped for a remote
one without changing callers; nothing in them awaits, so one event loop needs no lock. A
``TTLCache`` with the same methods, not coroutines and thread-safe, serves blocking code.

``AsyncLoadedValue`` (``SyncLoadedValue`` in blocking code) holds what one load returns (the
process list, say) for ``ttl`` seconds. Concurrent callers share one load and its outcome; when
a refresh fails and an older value exists, the older value is served and the load is not tried
again for ``retry_after`` seconds; with no value yet, the load's error is raised.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

from .arguments import checked_methods, checked_on_failure, invalid_argument
from .concurrency import AsyncLock, SyncLock
from .logging import logger

__all__ = ["AsyncLoadedValue", "AsyncTTLCache", "CacheStats", "SyncLoadedValue", "TTLCache"]

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


@checked_methods
class _Store(Generic[T]):
    """The cache itself, the base of both flavours: key → (expires_at, value), oldest use first.

    ``stats`` (``hits``, ``misses``, ``hit_rate``, ``evictions``, ``expirations``), ``max_size``
    and ``default_ttl`` are read directly; the flavours wrap the operations.
    """

    def __init__(
        self, max_size: int = 1000, default_ttl: float | None = 300.0, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        # core.wire loads the generated types (and attrs): imported here, `import pywats` stays without them
        from .wire import positive

        positive("max_size", max_size)
        _check_ttl(default_ttl, "default_ttl")
        if not callable(clock):
            raise invalid_argument(type(self).__name__, "clock", clock, "a function giving the time in seconds")
        self.max_size = max_size
        self.default_ttl = default_ttl
        self.stats = CacheStats()
        self._clock = clock
        self._items: OrderedDict[Hashable, tuple[float | None, T]] = OrderedDict()
        self._lock = threading.Lock()  # the blocking flavour's: one event loop needs none

    def _get(self, key: Hashable, default: T | None = None) -> T | None:
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

    def _set(self, key: Hashable, value: T, ttl: float | None) -> None:
        ttl = self.default_ttl if ttl is None else _check_ttl(ttl, "ttl")
        self._items[key] = (None if ttl is None else self._clock() + ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.max_size:
            self._items.popitem(last=False)
            self.stats.evictions += 1

    def _delete(self, key: Hashable) -> bool:
        return self._items.pop(key, None) is not None

    def _purge_expired(self) -> int:
        now = self._clock()
        dead = [k for k, (expires, _) in self._items.items() if expires is not None and now >= expires]
        for key in dead:
            del self._items[key]
        self.stats.expirations += len(dead)
        return len(dead)

    def __len__(self) -> int:
        return len(self._items)


# The longest time to live: about 31 years (a longer one is "until evicted": give None).
MAX_TTL = 1e9


def _check_ttl(ttl: float | None, name: str) -> float | None:
    usable = isinstance(ttl, int | float) and not isinstance(ttl, bool) and math.isfinite(ttl)
    if ttl is not None and not (usable and 0 < ttl <= MAX_TTL):
        raise invalid_argument(None, name, ttl, "a positive number of seconds (at most 1e9) or None (no expiry)")
    return ttl


class AsyncTTLCache(_Store[T]):
    """An asyncio cache: ``max_size`` entries at most (least recently used evicted first), each
    kept ``ttl`` seconds (``default_ttl`` unless ``set`` says otherwise; None: until evicted)."""

    @checked_on_failure
    async def get(self, key: Hashable, default: T | None = None) -> T | None:
        """The value cached under ``key``, or ``default`` if absent or expired."""
        return self._get(key, default)

    @checked_on_failure
    async def set(self, key: Hashable, value: T, ttl: float | None = None) -> None:
        """Cache ``value`` under ``key`` for ``ttl`` seconds (default: ``default_ttl``)."""
        self._set(key, value, ttl)

    @checked_on_failure
    async def delete(self, key: Hashable) -> bool:
        """Forget ``key``; True if it was cached."""
        return self._delete(key)

    @checked_on_failure
    async def clear(self) -> None:
        """Forget everything (the statistics are kept)."""
        self._items.clear()

    @checked_on_failure
    async def purge_expired(self) -> int:
        """Drop expired entries now (they are also dropped when looked up); how many were dropped."""
        return self._purge_expired()

    async def __aenter__(self) -> AsyncTTLCache[T]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.clear()


class TTLCache(_Store[T]):
    """The blocking, thread-safe twin of :class:`AsyncTTLCache`."""

    @checked_on_failure
    def get(self, key: Hashable, default: T | None = None) -> T | None:
        """The value stored under ``key``, or ``default`` if absent or expired."""
        with self._lock:
            return self._get(key, default)

    @checked_on_failure
    def set(self, key: Hashable, value: T, ttl: float | None = None) -> None:
        """Store ``value`` under ``key`` for ``ttl`` seconds (default: the cache's ``default_ttl``)."""
        with self._lock:
            self._set(key, value, ttl)

    @checked_on_failure
    def delete(self, key: Hashable) -> bool:
        """Remove ``key``; True if it was there."""
        with self._lock:
            return self._delete(key)

    @checked_on_failure
    def clear(self) -> None:
        """Remove every entry."""
        with self._lock:
            self._items.clear()

    def __enter__(self) -> TTLCache[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()


# -- one loaded value ------------------------------------------------------------------------------


class _Loaded(Generic[T]):
    """What both flavours of a loaded value decide: fresh or not, shared outcome, serve stale."""

    def __init__(self, name: str, ttl: float, retry_after: float, errors: tuple[type[Exception], ...]) -> None:
        self.name = name
        self.ttl = ttl
        self.retry_after = retry_after
        self.errors = errors
        self.value: T | None = None
        self.loaded_at: float | None = None  # monotonic
        self.loaded_wall: datetime | None = None  # local time, for people
        self.failed_at: float | None = None
        self.last_error: Exception | None = None
        self.loads = 0  # finished loads, failed ones included: a waiting caller shares their outcome
        self.refreshes = 0
        self.stats = CacheStats()
        self._count_lock = threading.Lock()  # blocking callers count from several threads

    def fresh(self) -> bool:
        return self.loaded_at is not None and time.monotonic() - self.loaded_at < self.ttl

    def lookup(self) -> bool:
        """Count one lookup; True if the value can be served without taking the lock."""
        hit = self.fresh()
        with self._count_lock:
            if hit:
                self.stats.hits += 1
            else:
                self.stats.misses += 1
        return hit

    def settled(self, seen: int) -> tuple[bool, T | None]:
        """After waiting for the lock: (True, value) if no load is needed; a shared failure raises."""
        if self.fresh():
            return True, self.value
        if self.loads != seen and self.last_error is not None:
            return True, self.stale_or_raise(self.last_error)
        if self.loaded_at is not None and self.failed_at is not None:
            if time.monotonic() - self.failed_at < self.retry_after:
                return True, self.value
        return False, None

    def stale_or_raise(self, error: Exception) -> T | None:
        if self.loaded_at is None:
            raise error
        return self.value  # stale beats nothing; the failure is kept in last_error

    def loaded(self, value: T) -> T:
        self.value, self.loaded_at, self.loaded_wall = value, time.monotonic(), datetime.now()
        self.failed_at = self.last_error = None
        self.loads += 1
        with self._count_lock:
            self.refreshes += 1
        return value

    def failed(self, error: Exception, *, serving: bool) -> None:
        self.failed_at, self.last_error = time.monotonic(), error
        self.loads += 1
        if serving and self.loaded_at is not None:
            logger.warning("%s refresh failed, serving the one loaded at %s: %s", self.name, self.loaded_wall, error)

    def finish(self, outcome: T | _Failure, *, stale_ok: bool) -> T | None:
        """Record a load's outcome; a failure raises, or (``stale_ok``) gives the older value if any."""
        if not isinstance(outcome, _Failure):
            return self.loaded(outcome)
        self.failed(outcome.error, serving=stale_ok)
        if stale_ok:
            return self.stale_or_raise(outcome.error)
        raise outcome.error

    def clear(self) -> None:
        self.value = self.loaded_at = self.loaded_wall = self.failed_at = None

    def describe(self) -> dict[str, Any]:
        with self._count_lock:
            hits, misses, refreshes = self.stats.hits, self.stats.misses, self.refreshes
        return {
            "hits": hits,
            "misses": misses,
            "hit_rate": hits / (hits + misses) if hits + misses else 0.0,
            "refreshes": refreshes,
            "age_seconds": None if self.loaded_at is None else time.monotonic() - self.loaded_at,
            "last_error": str(self.last_error) if self.last_error else None,
        }


class _Failure:
    """A load that raised one of the errors a loaded value handles."""

    def __init__(self, error: Exception) -> None:
        self.error = error


class _LoadedFront(Generic[T]):
    """What both loaded values hold: the load, one lock, and the decisions (``state``)."""

    _new_lock: ClassVar[Callable[[], Any]]

    def __init__(
        self,
        load: Callable[[], Any],
        ttl: float,
        *,
        name: str = "value",
        retry_after: float = 30.0,
        errors: tuple[type[Exception], ...] = (Exception,),
    ) -> None:
        self._load = load
        self._lock = type(self)._new_lock()
        self.state: _Loaded[T] = _Loaded(name, ttl, retry_after, errors)


class AsyncLoadedValue(_LoadedFront[T]):
    """The value ``load()`` (a coroutine function) returns, kept ``ttl`` seconds; see the module.

    ``errors`` are the load failures that may be answered with the older value; others raise.
    ``get()`` raises the load's own error object to every caller that shares it.
    """

    _load: Callable[[], Awaitable[T]]
    _new_lock = AsyncLock

    async def get(self) -> T | None:
        """The value: cached if fresh, else loaded (one load for all concurrent callers)."""
        if self.state.lookup():
            return self.state.value
        seen = self.state.loads
        async with self._lock:
            done, value = self.state.settled(seen)
            return value if done else self.state.finish(await self._attempt(), stale_ok=True)

    async def refresh(self) -> T | None:
        """Load now; a failure raises (and is remembered, as a failed refresh is)."""
        async with self._lock:
            return self.state.finish(await self._attempt(), stale_ok=False)

    async def clear(self) -> None:
        """Forget the value; the next ``get()`` loads it."""
        async with self._lock:
            self.state.clear()

    async def _attempt(self) -> T | _Failure:
        try:
            return await self._load()
        except self.state.errors as exc:
            return _Failure(exc)


class SyncLoadedValue(_LoadedFront[T]):
    """The blocking, thread-safe twin of :class:`AsyncLoadedValue` (same arguments, same decisions)."""

    _load: Callable[[], T]
    _new_lock = SyncLock

    def get(self) -> T | None:
        """The value: cached if fresh, else loaded (one load for all concurrent callers)."""
        if self.state.lookup():
            return self.state.value
        seen = self.state.loads
        with self._lock:
            done, value = self.state.settled(seen)
            return value if done else self.state.finish(self._attempt(), stale_ok=True)

    def refresh(self) -> T | None:
        """Load now; a failure raises (and is remembered, as a failed refresh is)."""
        with self._lock:
            return self.state.finish(self._attempt(), stale_ok=False)

    def clear(self) -> None:
        """Forget the value; the next ``get()`` loads it."""
        with self._lock:
            self.state.clear()

    def _attempt(self) -> T | _Failure:
        try:
            return self._load()
        except self.state.errors as exc:
            return _Failure(exc)
