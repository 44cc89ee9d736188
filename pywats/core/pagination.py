"""Iterate over paged results lazily: only the pages consumed are fetched.

    for item in paginate(fetch_page=lambda start, count: api.x.get(start=start, count=count),
                         get_items=lambda page: page.items, get_total=lambda page: page.total,
                         page_size=50):
        ...

``fetch_page(start_index, count)`` is called with ``start_index`` counting from ``first_index``
(1, as SCIM's ``startIndex``; pass 0 for offset-style APIs). Iteration stops at an empty page,
at the total (when ``get_total`` is given), at a short page (when it is not), or at ``max_items``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import Generic, TypeVar

__all__ = ["AsyncPaginator", "Paginator", "SyncPaginator", "apaginate", "paginate"]

P = TypeVar("P")
T = TypeVar("T")
OnPage = Callable[[int, int, int | None], object]


def _check(page_size: int, max_items: int | None) -> None:
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise ValueError(f"page_size must be a positive integer, not {page_size!r}")
    if max_items is not None and (isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0):
        raise ValueError(f"max_items must be a non-negative integer or None, not {max_items!r}")


class _Progress(Generic[P, T]):
    """The stopping rule, shared by the blocking and the async paginator."""

    def __init__(
        self,
        get_items: Callable[[P], Iterable[T]],
        get_total: Callable[[P], int | None] | None,
        page_size: int,
        max_items: int | None,
        on_page: OnPage | None,
        first_index: int,
    ) -> None:
        _check(page_size, max_items)
        self.get_items, self.get_total, self.page_size = get_items, get_total, page_size
        self.max_items, self.on_page = max_items, on_page
        self.start = first_index
        self.pages = 0
        self.yielded = 0
        self.total: int | None = None
        self.done = max_items == 0

    def count(self) -> int:
        if self.max_items is None:
            return self.page_size
        return min(self.page_size, self.max_items - self.yielded)

    def take(self, page: P) -> list[T]:
        items = list(self.get_items(page) or [])
        if self.get_total is not None:
            self.total = self.get_total(page)
        if self.max_items is not None:
            items = items[: self.max_items - self.yielded]
        self.pages += 1
        self.yielded += len(items)
        self.start += len(items)
        if self.on_page is not None:
            self.on_page(self.pages, self.yielded, self.total)
        self.done = (
            not items
            or (self.max_items is not None and self.yielded >= self.max_items)
            or (self.total is not None and self.yielded >= self.total)
            or (self.get_total is None and len(items) < self.page_size)
        )
        return items


class Paginator(Generic[P, T]):
    """An iterable over every item of a paged API; ``pages`` and ``total`` tell how far it got."""

    def __init__(
        self,
        fetch_page: Callable[[int, int], P],
        get_items: Callable[[P], Iterable[T]],
        get_total: Callable[[P], int | None] | None = None,
        page_size: int = 100,
        *,
        max_items: int | None = None,
        on_page: OnPage | None = None,
        first_index: int = 1,
    ) -> None:
        self.fetch_page = fetch_page
        self._progress: _Progress[P, T] = _Progress(get_items, get_total, page_size, max_items, on_page, first_index)

    @property
    def pages(self) -> int:
        """How many pages have been fetched so far."""
        return self._progress.pages

    @property
    def total(self) -> int | None:
        """The total the API reported, once a page has been fetched (None if it reports none)."""
        return self._progress.total

    def __iter__(self) -> Iterator[T]:
        progress = self._progress
        while not progress.done:
            yield from progress.take(self.fetch_page(progress.start, progress.count()))


def paginate(
    fetch_page: Callable[[int, int], P],
    get_items: Callable[[P], Iterable[T]],
    get_total: Callable[[P], int | None] | None = None,
    page_size: int = 100,
    *,
    max_items: int | None = None,
    on_page: OnPage | None = None,
    first_index: int = 1,
) -> Iterator[T]:
    """Every item of a paged API, fetching a page only when the previous one is used up."""
    return iter(
        Paginator(
            fetch_page, get_items, get_total, page_size, max_items=max_items, on_page=on_page, first_index=first_index
        )
    )


class AsyncPaginator(Generic[P, T]):
    """The asyncio twin of :class:`Paginator` (``fetch_page`` is a coroutine function)."""

    def __init__(
        self,
        fetch_page: Callable[[int, int], Awaitable[P]],
        get_items: Callable[[P], Iterable[T]],
        get_total: Callable[[P], int | None] | None = None,
        page_size: int = 100,
        *,
        max_items: int | None = None,
        on_page: OnPage | None = None,
        first_index: int = 1,
    ) -> None:
        self.fetch_page = fetch_page
        self._progress: _Progress[P, T] = _Progress(get_items, get_total, page_size, max_items, on_page, first_index)

    @property
    def pages(self) -> int:
        """How many pages have been fetched so far."""
        return self._progress.pages

    @property
    def total(self) -> int | None:
        """The total the API reported, once a page has been fetched (None if it reports none)."""
        return self._progress.total

    async def __aiter__(self) -> AsyncIterator[T]:
        progress = self._progress
        while not progress.done:
            for item in progress.take(await self.fetch_page(progress.start, progress.count())):
                yield item


def apaginate(
    fetch_page: Callable[[int, int], Awaitable[P]],
    get_items: Callable[[P], Iterable[T]],
    get_total: Callable[[P], int | None] | None = None,
    page_size: int = 100,
    *,
    max_items: int | None = None,
    on_page: OnPage | None = None,
    first_index: int = 1,
) -> AsyncIterator[T]:
    """The asyncio twin of :func:`paginate`: ``async for item in apaginate(...)``."""
    return AsyncPaginator(
        fetch_page, get_items, get_total, page_size, max_items=max_items, on_page=on_page, first_index=first_index
    ).__aiter__()


# The name unasync gives ``AsyncPaginator`` in the blocking twins of async services.
SyncPaginator = Paginator
