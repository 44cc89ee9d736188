"""Retry policy: which requests are retried, how long to wait, and the statistics.

All decisions live here, free of I/O; the sync and async transports only send and sleep.
"""

from __future__ import annotations

import email.utils
import math
import random
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .arguments import bound_arguments, checked
from .exceptions import ConfigurationError

__all__ = ["RetryConfig", "RetryDecision", "check_seconds"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# POST is never retried: it would duplicate creates (reports, units).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


# The longest time any setting may name: beyond it, clocks and timers overflow.
MAX_SECONDS = 1e9


def check_seconds(name: str, value: object, *, allow_zero: bool = False) -> float:
    """``value`` as seconds, or a :class:`ConfigurationError` naming the argument ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigurationError(f"{name} must be a finite number of seconds, not {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ConfigurationError(f"{name} must be {'zero or more' if allow_zero else 'positive'}, not {value!r}")
    if value > MAX_SECONDS:
        raise ConfigurationError(
            f"{name} must be at most {MAX_SECONDS:.0e} seconds (about 31 years), not {value!r:.60}"
        )
    return float(value)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _members(name: str, value: Any, fits: Callable[[Any], bool], what: str) -> frozenset[Any]:
    """A set of ``what`` given as any collection of them (a set, a list, a tuple)."""
    if isinstance(value, str | bytes) or not isinstance(value, frozenset | set | list | tuple):
        raise ConfigurationError(f"RetryConfig {name} must be a set of {what}, not {value!r:.60}")
    bad = [item for item in value if not fits(item)]
    if bad:
        raise ConfigurationError(f"RetryConfig {name} must be a set of {what}; {bad[0]!r:.60} is not one")
    return frozenset(value)


async def _asyncio_sleep(seconds: float) -> None:
    """Wait ``seconds`` on the running event loop."""
    import asyncio  # not at module level: sync-only users should not pay for importing asyncio

    await asyncio.sleep(seconds)


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    delay: float = 0.0
    reason: str = ""


@dataclass(eq=False)
class RetryConfig:
    """Automatic retry of transient failures.

    ``max_attempts`` counts every try, the first included (3: one try and up to two retries).
    The n-th retry waits up to ``base_delay * 2**(n-1)`` seconds, capped at ``max_delay``; with
    ``jitter`` the wait is drawn uniformly from 0 to that bound (full jitter). A ``Retry-After``
    header (seconds or HTTP date) is honoured instead; one above ``max_retry_after`` is not
    waited for and the error is raised at once. No retry starts once ``max_total_time``
    seconds of waiting have been spent on one request. A request that finds no free connection
    in the local pool (``PoolTimeout``) is never retried: the trouble is local, and a retry
    would only add to it.

    ``sleep``, ``async_sleep`` and ``random`` can be replaced (tests, simulations).
    """

    max_attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = 30.0
    jitter: bool = True
    max_retry_after: float = 120.0
    max_total_time: float = 300.0
    retry_statuses: frozenset[int] = RETRY_STATUSES
    retry_methods: frozenset[str] = IDEMPOTENT_METHODS
    enabled: bool = True
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    async_sleep: Callable[[float], Awaitable[Any]] = field(default=_asyncio_sleep, repr=False)
    random: Callable[[float, float], float] = field(default=random.uniform, repr=False)
    _total_retries: int = field(default=0, init=False, repr=False)
    _total_retry_time: float = field(default=0.0, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        attempts = self.max_attempts
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise ConfigurationError(f"RetryConfig max_attempts must be an integer of at least 1, not {attempts!r}")
        for name in ("base_delay", "max_delay", "max_retry_after", "max_total_time"):
            check_seconds(f"RetryConfig {name}", getattr(self, name), allow_zero=True)
        for name in ("jitter", "enabled"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigurationError(f"RetryConfig {name} must be True or False, not {getattr(self, name)!r:.60}")
        for name in ("sleep", "async_sleep", "random"):
            if not callable(getattr(self, name)):
                raise ConfigurationError(f"RetryConfig {name} must be a function, not {getattr(self, name)!r:.60}")
        self.retry_statuses = _members(
            "retry_statuses", self.retry_statuses, lambda s: _whole(s) and 100 <= s <= 599, "HTTP status codes"
        )
        self.retry_methods = frozenset(
            m.upper()
            for m in _members("retry_methods", self.retry_methods, lambda m: isinstance(m, str), "HTTP methods")
        )
        if self.base_delay > self.max_delay:
            raise ConfigurationError(
                f"RetryConfig base_delay ({self.base_delay!r}) must not exceed max_delay ({self.max_delay!r})"
            )

    @property
    def stats(self) -> dict[str, float]:
        """``{'total_retries': n, 'total_retry_time': seconds}`` over every request so far."""
        with self._lock:
            return {"total_retries": self._total_retries, "total_retry_time": round(self._total_retry_time, 6)}

    def reset_stats(self) -> None:
        """Set the retry counters of ``stats`` back to zero."""
        with self._lock:
            self._total_retries = 0
            self._total_retry_time = 0.0

    @checked
    def record(self, delay: float) -> None:
        """Count one retry that waited ``delay`` seconds (shown in ``stats``)."""
        check_seconds("delay", delay, allow_zero=True)
        with self._lock:
            self._total_retries += 1
            self._total_retry_time += delay

    @checked
    def backoff(self, retry_number: int) -> float:
        """The wait before retry number ``retry_number`` (1-based), jitter applied."""
        if not _whole(retry_number) or retry_number < 1:
            raise ConfigurationError(f"retry_number must be an integer of at least 1, not {retry_number!r:.60}")
        # from the 64th retry on, the doubling has long passed any max_delay
        bound = min(self.max_delay, self.base_delay * (2 ** (min(retry_number, 64) - 1)))
        return self.random(0.0, bound) if self.jitter else bound

    def decide(
        self,
        method: str,
        attempt: int,
        waited: float,
        *,
        status: int | None = None,
        retry_after: str | None = None,
        transport_error: bool = False,
    ) -> RetryDecision:
        """Whether to retry after ``attempt`` tries that waited ``waited`` seconds in total."""
        if not self.enabled or method.upper() not in self.retry_methods:
            return RetryDecision(False, reason="not retried for this method")
        if not transport_error and status not in self.retry_statuses:
            return RetryDecision(False)
        if attempt >= self.max_attempts:
            return RetryDecision(False, reason=f"gave up after {attempt} attempts")
        delay = self.backoff(attempt)
        if retry_after is not None:
            requested = parse_retry_after(retry_after)
            if requested is not None:
                if requested > self.max_retry_after:
                    return RetryDecision(False, reason=f"Retry-After {requested:.0f}s exceeds the cap")
                delay = requested
        if waited + delay > self.max_total_time:
            return RetryDecision(False, reason="retry time budget spent")
        return RetryDecision(True, delay)


def parse_retry_after(value: str, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


RetryConfig.__init__ = bound_arguments(RetryConfig.__init__, ConfigurationError)  # type: ignore[method-assign]
