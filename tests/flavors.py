"""Run the same test body against ``pyWATS`` and ``AsyncWATS`` (the ``flavor`` fixture, in conftest).

A test gets a ``flavor`` and calls ``flavor.run(kwargs, body)``: ``body(api)`` may return a
value or an awaitable (the async client's methods); the client is built and closed around it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from pywats import AsyncWATS, RetryConfig, pyWATS


class Flavor:
    name: str

    def run(self, kwargs: dict[str, Any], body: Callable[[Any], Any]) -> Any:
        raise NotImplementedError


class SyncFlavor(Flavor):
    name = "sync"

    def run(self, kwargs: dict[str, Any], body: Callable[[Any], Any]) -> Any:
        with pyWATS(**kwargs) as api:
            return body(api)


class AsyncFlavor(Flavor):
    name = "async"

    def run(self, kwargs: dict[str, Any], body: Callable[[Any], Any]) -> Any:
        async def main() -> Any:
            async with AsyncWATS(**kwargs) as api:
                result = body(api)
                return await result if inspect.isawaitable(result) else result

        return asyncio.run(main())


FLAVORS = [SyncFlavor(), AsyncFlavor()]


class FakeSleep:
    """Records retry waits instead of sleeping (both flavours)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def async_(self, seconds: float) -> None:
        self.delays.append(seconds)


def fast_retry(**kw: Any) -> tuple[RetryConfig, FakeSleep]:
    sleep = FakeSleep()
    return RetryConfig(sleep=sleep, async_sleep=sleep.async_, **kw), sleep


async def v(value: Any) -> Any:
    """``await v(api.x.y(...))``: the awaited result with ``AsyncWATS``, the value itself with ``pyWATS``."""
    return await value if inspect.isawaitable(value) else value


def drive(flavor: Flavor, steps: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """One test body for both clients: ``steps(api)`` is a coroutine function awaiting ``v(...)`` of each call.

    With the blocking client nothing really suspends, so the coroutine runs to its end in one step.
    """

    def body(api: Any) -> Any:
        coro = steps(api)
        if flavor.name == "async":
            return coro
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value
        raise AssertionError("the blocking client's steps suspended")

    return body
