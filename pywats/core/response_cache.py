"""The client's opt-in cache of GET answers (``pyWATS(enable_cache=True, cache_ttl=..., cache_max_size=...)``).

Off by default: a cached answer is given for up to ``cache_ttl`` seconds without asking the server,
so what another station changed meanwhile is not seen. Only successful (2xx) answers to GET are
kept; anything else is never cached, and a request other than GET sent through the same client
(a submit, an update, a delete) empties the cache, so the client's own writes are seen at once.
Which requests share an answer is decided in :func:`cache_key` alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import httpx

from .arguments import checked_methods, checked_on_failure, invalid_argument
from .cache import MAX_TTL, CacheStats, TTLCache
from .exceptions import ConfigurationError

__all__ = ["DEFAULT_CACHE_MAX_SIZE", "DEFAULT_CACHE_TTL", "ResponseCache", "cache_key"]

DEFAULT_CACHE_TTL = 300.0
DEFAULT_CACHE_MAX_SIZE = 1000


def _param_items(params: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(params, Mapping):
        items: list[tuple[str, str]] = []
        for name, value in params.items():
            values = value if isinstance(value, (list, tuple)) else [value]
            items.extend((str(name), str(v)) for v in values)
        return tuple(sorted(items))
    return tuple(sorted((str(k), str(v)) for k, v in httpx.QueryParams(params).multi_items()))


def cache_key(kwargs: Mapping[str, Any]) -> Hashable | None:
    """The key of a request (``httpx.request`` keyword arguments) in the cache; None: never cached.

    GET only, and only without a body. The path and query make the key (the client's token and
    headers are the same for all its requests); the order of query parameters does not matter.
    """
    if str(kwargs.get("method", "")).upper() != "GET":
        return None
    if any(kwargs.get(body) is not None for body in ("content", "data", "files", "json")):
        return None
    return (str(kwargs.get("url", "")), _param_items(kwargs.get("params") or {}))


def _request(kwargs: Any) -> None:
    if not isinstance(kwargs, Mapping):
        raise invalid_argument(None, "kwargs", kwargs, "the request's keyword arguments (a mapping)")


@checked_methods
class ResponseCache:
    """GET answers by :func:`cache_key`, each for ``ttl`` seconds, at most ``max_size`` (least recently used go)."""

    def __init__(
        self,
        ttl: float = DEFAULT_CACHE_TTL,
        max_size: int = DEFAULT_CACHE_MAX_SIZE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not 0 < ttl <= MAX_TTL:
            raise ConfigurationError(
                f"cache_ttl must be a positive number of seconds (at most 1e9), not {str(ttl)[:40]!r}"
            )
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
            raise ConfigurationError(f"cache_max_size must be a positive whole number, not {str(max_size)[:40]!r}")
        self.ttl = float(ttl)
        self._entries: TTLCache[httpx.Response] = TTLCache(max_size=max_size, default_ttl=self.ttl, clock=clock)

    @classmethod
    def configure(cls, enable: bool, ttl: float, max_size: int) -> ResponseCache | None:
        """The cache the constructor arguments ask for, or None when ``enable`` is False (the default)."""
        if not isinstance(enable, bool):
            raise ConfigurationError(f"enable_cache must be True or False, not {str(enable)[:40]!r}")
        cache = cls(ttl, max_size)  # checked even when off: a bad value is a mistake either way
        return cache if enable else None

    @property
    def stats(self) -> CacheStats:
        """Hits, misses, evictions and expirations (:class:`~pywats.core.cache.CacheStats`)."""
        return self._entries.stats

    def __len__(self) -> int:
        return len(self._entries)

    @checked_on_failure
    def lookup(self, kwargs: Mapping[str, Any]) -> httpx.Response | None:
        """The kept answer to this request, or None (ask the server)."""
        _request(kwargs)
        key = cache_key(kwargs)
        return None if key is None else self._entries.get(key)

    @checked_on_failure
    def store(self, kwargs: Mapping[str, Any], response: httpx.Response) -> None:
        """Keep a successful GET answer; any other request empties the cache."""
        _request(kwargs)
        if not isinstance(response, httpx.Response):
            raise invalid_argument("store", "response", response, "an httpx.Response")
        key = cache_key(kwargs)
        if key is None:
            self.clear()
        elif response.is_success:
            self._entries.set(key, response)

    def clear(self) -> None:
        """Forget every kept answer."""
        self._entries.clear()
