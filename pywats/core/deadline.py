"""Per-attempt deadlines: ``timeout`` bounds one attempt end to end, not each socket read.

httpx's timeouts apply to each network operation, so a server that trickles one byte just
inside the read timeout keeps a request alive forever. The transport sets a deadline for each
attempt (a context variable, so concurrent requests in threads or tasks each have their own)
and two mechanisms enforce it:

* ``install`` in ``pywats._async.deadline_backend`` (and its blocking twin) wraps the httpcore
  network backend of an httpx transport so every connect, read and write is given at most the
  time left; it lives apart so that httpcore loads with the first client, not at import;
* :func:`check` is called between body chunks, which also covers transports pyWATS cannot
  wrap (a ``transport=`` of your own).
"""

from __future__ import annotations

import contextvars
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

__all__ = ["attempt_deadline", "check", "clamp", "restart"]


class _Deadline:
    """One attempt's deadline. Mutable, so the pool gate can restart it in the task it sends from:
    time spent queued before the pool is local waiting, not part of the exchange."""

    __slots__ = ("at", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds


_DEADLINE: contextvars.ContextVar[_Deadline | None] = contextvars.ContextVar("pywats_deadline", default=None)


def attempt_seconds(request: httpx.Request) -> float | None:
    """The time one attempt of ``request`` may take: the largest of its httpx timeouts."""
    timeouts = request.extensions.get("timeout") or {}
    values = [v for v in timeouts.values() if isinstance(v, (int, float)) and math.isfinite(v)]
    return max(values) if values else None


@contextmanager
def attempt_deadline(request: httpx.Request) -> Iterator[None]:
    """Bound everything sent and read for ``request`` inside the block by its timeout."""
    seconds = attempt_seconds(request)
    token = _DEADLINE.set(None if seconds is None else _Deadline(seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def restart() -> None:
    """Start the current attempt's deadline now (called when a request leaves the pool gate's queue)."""
    deadline = _DEADLINE.get()
    if deadline is not None:
        deadline.at = time.monotonic() + deadline.seconds


def _left() -> float | None:
    deadline = _DEADLINE.get()
    return None if deadline is None else deadline.at - time.monotonic()


def check(request: httpx.Request) -> None:
    """Raise ``httpx.ReadTimeout`` if the current attempt's deadline has passed."""
    left = _left()
    if left is not None and left <= 0:
        raise httpx.ReadTimeout("the response took longer than the timeout", request=request)


def clamp(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` cut to the time the current attempt has left; ``error`` once none is left."""
    left = _left()
    if left is None:
        return timeout
    if left <= 0:
        raise error("the request took longer than the timeout")
    return left if timeout is None else min(timeout, left)
