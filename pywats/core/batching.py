"""Bounded-concurrency helpers for many async calls: ``batch_map`` and ``ChunkedBatcher``.

Both keep at most ``max_workers`` calls in flight, return results in input order, and never
lose finished results to one failure: a failure raises :class:`BatchError` after the rest have
run, carrying every result and every error.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from itertools import islice
from types import TracebackType
from typing import Any, Generic, TypeVar

from .arguments import invalid_argument, prechecked
from .batch import AsyncBatch
from .exceptions import InvalidArgumentError
from .wire import aliases, positive

__all__ = ["BatchError", "ChunkedBatcher", "batch_map"]

T = TypeVar("T")
R = TypeVar("R")
_END = object()


class BatchError(Exception):
    """Some items failed. ``results`` holds every item's result in order (None where it failed);
    ``errors`` holds ``(index, exception)`` for each failure (index into the items, or chunks)."""

    def __init__(self, results: list[Any], errors: list[tuple[int, BaseException]]) -> None:
        self.results = results
        self.errors = errors
        first = errors[0][1]
        super().__init__(f"{len(errors)} of {len(results)} failed; first: {type(first).__name__}: {first}")


async def _run_all(
    calls: Sequence[Callable[[], Awaitable[R]]], max_workers: int
) -> tuple[list[R | None], list[tuple[int, BaseException]]]:
    """Run ``calls`` with at most ``max_workers`` in flight; results, and ``(index, error)`` pairs."""
    outcomes = await AsyncBatch.map_limited(lambda call: call(), calls, max_workers)
    errors: list[tuple[int, BaseException]] = [(i, o.error) for i, o in enumerate(outcomes) if o.error is not None]
    return [o.value for o in outcomes], errors


def _blocking(func: Callable[..., Any]) -> bool:
    """True for a plain (non-async) function or method, e.g. one of the blocking client's.

    A lambda, or another callable object, may return an awaitable: its first result tells.
    """
    target = inspect.unwrap(func.func if isinstance(func, functools.partial) else func)
    if inspect.iscoroutinefunction(target):
        return False
    if inspect.isfunction(target) or inspect.ismethod(target):
        return target.__name__ != "<lambda>"
    return inspect.isbuiltin(target)


async def _awaited(func: Callable[[T], Any], item: T) -> Any:
    outcome = func(item)
    if not inspect.isawaitable(outcome):
        raise InvalidArgumentError(
            f"func must be an async function (async def, or one returning an awaitable), not {func!r}, "
            f"which returned {type(outcome).__name__}: give the AsyncWATS method, or use batch_execute() "
            "for blocking calls",
            details={"argument": "func"},
        )
    return await outcome


@prechecked
@aliases(max_concurrent="max_workers")
async def batch_map(
    items: Iterable[T],
    func: Callable[[T], Awaitable[R]],
    batch_size: int = 100,
    max_workers: int = 10,
) -> list[R]:
    """``[await func(item) for item in items]`` with up to ``max_workers`` calls at once.

    ``max_concurrent`` is another name for ``max_workers``.

    Items are read ``batch_size`` at a time (a long generator is never held whole). Results come
    back in input order; if any call failed, :class:`BatchError` is raised once all have run.
    """
    positive("batch_size", batch_size)
    positive("max_workers", max_workers)
    if not callable(func) or _blocking(func):
        raise InvalidArgumentError(
            f"func must be an async function (async def), not {func!r}: give an AsyncWATS method or an "
            "async def, or use batch_execute() for blocking calls",
            details={"argument": "func"},
        )
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InvalidArgumentError(
            f"items must be an iterable of items, not {type(items).__name__}", details={"argument": "items"}
        )
    source = iter(items)
    results: list[Any] = []
    errors: list[tuple[int, BaseException]] = []
    first = next(source, _END)
    if first is not _END:
        # The first call alone: a function that turns out to be blocking has run once, not for every item.
        try:
            results.append(await _awaited(func, first))  # type: ignore[arg-type]
        except InvalidArgumentError as exc:
            if (exc.details or {}).get("argument") == "func":
                raise
            results.append(None)
            errors.append((0, exc))
        except Exception as exc:  # kept for the BatchError, as for every other item
            results.append(None)
            errors.append((0, exc))
    while window := list(islice(source, min(batch_size, sys.maxsize))):
        done, failed = await _run_all([functools.partial(_awaited, func, item) for item in window], max_workers)
        errors.extend((len(results) + i, exc) for i, exc in failed)
        results.extend(done)
    if errors:
        raise BatchError(results, errors)
    return results


class ChunkedBatcher(Generic[T, R]):
    """Split items into chunks of ``chunk_size`` and hand each chunk to ``processor``.

    ``processor(chunk)`` returns (or, if async, resolves to) a list of results for that chunk;
    ``process(items)`` returns all results, chunks in input order, with up to ``max_workers``
    (also spelled ``max_concurrent``) chunks in flight. Give an async processor: a blocking one
    holds the event loop while it runs.
    """

    @prechecked
    @aliases(max_concurrent="max_workers")
    def __init__(
        self,
        processor: Callable[[list[T]], Awaitable[Iterable[R]] | Iterable[R]],
        chunk_size: int = 50,
        max_workers: int = 5,
    ) -> None:
        if not callable(processor):
            raise invalid_argument("ChunkedBatcher", "processor", processor, "a function taking a list of items")
        self.processor = processor
        self.chunk_size = positive("chunk_size", chunk_size)
        self.max_workers = positive("max_workers", max_workers)
        self.chunks_processed = 0

    async def _one(self, chunk: list[T]) -> list[R]:
        outcome: Any = self.processor(chunk)
        if inspect.isawaitable(outcome):  # an async processor, or a lambda returning a coroutine
            outcome = await outcome
        self.chunks_processed += 1
        return list(outcome)

    @prechecked
    async def process(self, items: Iterable[T]) -> list[R]:
        """Results of every chunk, flattened in input order; :class:`BatchError` if a chunk failed."""
        if isinstance(items, str | bytes) or not isinstance(items, Iterable):
            raise invalid_argument("process", "items", items, "an iterable of items (a list)")
        values = list(items)
        chunks = [values[i : i + self.chunk_size] for i in range(0, len(values), self.chunk_size)]
        done, errors = await _run_all([functools.partial(self._one, c) for c in chunks], self.max_workers)
        if errors:
            raise BatchError(list(done), errors)
        return [result for chunk in done for result in (chunk or [])]

    async def __aenter__(self) -> ChunkedBatcher[T, R]:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None
