"""Run a coroutine from synchronous code (for user code; pyWATS's own sync API does not use it)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["run_sync"]

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion and return its result.

    With no event loop running in this thread this is ``asyncio.run``. Inside a running loop
    (a notebook, an async framework) the coroutine runs on a fresh loop in a worker thread,
    because blocking the running loop on itself would deadlock.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pywats-run-sync") as pool:
        return pool.submit(asyncio.run, coro).result()
