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
from typing import Generic, TypedDict, TypeVar

from typing_extensions import Unpack

from .exceptions import InvalidArgumentError
from .wire import count, invalid, positive

__all__ = ["AsyncPaginator", "PageOptions", "Paginator", "SyncPaginator", "apaginate", "paginate"]

P = TypeVar("P")
T = TypeVar("T")
Fetch = TypeVar("Fetch")
OnPage = Callable[[int, int, int | None], object]


class PageOptions(TypedDict, total=False):
    """Keyword options of the paginators: ``max_items`` (None: all), ``on_page(pages, items, total)``
    after each page, ``first_index`` of the first item (1 as SCIM counts; 0 for offsets)."""

    max_items: int | None
    on_page: OnPage | None
    first_index: int


class _Pages(Generic[Fetch, P, T]):
    """What both paginators hold and decide: how to fetch a page, when to stop, how far they got
    (``pages`` fetched, ``total`` as the last page gave it)."""

    def __init__(
        self,
        fetch_page: Fetch,
        get_items: Callable[[P], Iterable[T]],
        get_total: Callable[[P], int | None] | None = None,
        page_size: int = 100,
        **options: Unpack[PageOptions],
    ) -> None:
        unknown = sorted(set(options) - set(PageOptions.__annotations__))
        if unknown:
            raise InvalidArgumentError(
                f"got an unexpected keyword argument {unknown[0]!r} (options: max_items, on_page, first_index)",
                details={"argument": unknown[0]},
            )
        for name, function in (("fetch_page", fetch_page), ("get_items", get_items), ("get_total", get_total),
                               ("on_page", options.get("on_page"))):  # fmt: skip
            if function is not None and not callable(function):
                raise invalid(name, function, "a function")
        if fetch_page is None or get_items is None:
            raise invalid("fetch_page" if fetch_page is None else "get_items", None, "a function")
        self.fetch_page = fetch_page
        self.get_items, self.get_total, self.page_size = get_items, get_total, positive("page_size", page_size)
        self.max_items = options.get("max_items")
        if self.max_items is not None:
            count("max_items", self.max_items)
        self.on_page = options.get("on_page")
        self.start = count("first_index", options.get("first_index", 1))
        self.pages = 0
        self.yielded = 0
        self.total: int | None = None
        self.done = self.max_items == 0

    def _count(self) -> int:
        if self.max_items is None:
            return self.page_size
        return min(self.page_size, self.max_items - self.yielded)

    def _take(self, page: P) -> list[T]:
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


class Paginator(_Pages[Callable[[int, int], P], P, T]):
    """An iterable over every item of a paged API; ``pages`` and ``total`` tell how far it got."""

    def __iter__(self) -> Iterator[T]:
        while not self.done:
            yield from self._take(self.fetch_page(self.start, self._count()))


def paginate(
    fetch_page: Callable[[int, int], P],
    get_items: Callable[[P], Iterable[T]],
    get_total: Callable[[P], int | None] | None = None,
    page_size: int = 100,
    **options: Unpack[PageOptions],
) -> Iterator[T]:
    """Every item of a paged API, fetching a page only when the previous one is used up."""
    return iter(Paginator(fetch_page, get_items, get_total, page_size, **options))


class AsyncPaginator(_Pages[Callable[[int, int], Awaitable[P]], P, T]):
    """The asyncio twin of :class:`Paginator` (``fetch_page`` is a coroutine function)."""

    async def __aiter__(self) -> AsyncIterator[T]:
        while not self.done:
            for item in self._take(await self.fetch_page(self.start, self._count())):
                yield item


def apaginate(
    fetch_page: Callable[[int, int], Awaitable[P]],
    get_items: Callable[[P], Iterable[T]],
    get_total: Callable[[P], int | None] | None = None,
    page_size: int = 100,
    **options: Unpack[PageOptions],
) -> AsyncIterator[T]:
    """The asyncio twin of :func:`paginate`: ``async for item in apaginate(...)``."""
    return AsyncPaginator(fetch_page, get_items, get_total, page_size, **options).__aiter__()


# The name unasync gives ``AsyncPaginator`` in the blocking twins of async services.
SyncPaginator = Paginator
