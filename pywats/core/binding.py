"""How a facade method names the generated endpoints it calls.

A facade method is declared once with :func:`uses`, naming the generated endpoint modules
themselves (never ``(METHOD, path)`` strings). Everything else is derived from that one
declaration: the facade-impact table spec-diff reads (:mod:`pywats.operations`), the
``InternalAPIWarning`` and the ``⚠️ INTERNAL API`` docstring check (from each module's
``INTERNAL`` flag), and the name errors carry as ``operation`` (the method the user called).

Because the method body calls ``endpoint.request_kwargs(...)`` of the module it declared,
``mypy --strict`` checks its arguments; an operation renamed or removed at regeneration breaks
the import or the type check, not a user's call.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx

from .arguments import ArgumentCheck, acall_checked, call_checked
from .internal import BANNER, warn_internal

__all__ = ["Binding", "Endpoint", "OperationUse", "binding_of", "current_operation", "lazy_endpoint", "uses"]

T_co = TypeVar("T_co", covariant=True)
F = TypeVar("F", bound=Callable[..., Any])


class Endpoint(Protocol[T_co]):
    """A generated endpoint module (``wats_public.api.<tag>.<operation>``), as a type."""

    METHOD: str
    PATH: str
    INTERNAL: bool

    def parse_response(self, response: httpx.Response, *, raise_on_unexpected_status: bool = False) -> T_co | None: ...


class _LazyEndpoint:
    """A generated endpoint module named by its import path, imported when first read.

    For the client's own methods: their endpoint modules import the generated client (and attrs),
    which ``import pywats`` should not pay for. ``INTERNAL`` is known from the package
    (``wats_internal`` holds exactly the internal endpoints), so declaring one loads nothing.
    """

    def __init__(self, module: str) -> None:
        self._name = module
        self.INTERNAL = module.startswith("wats_internal.")

    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module(self._name), name)
        setattr(self, name, value)  # later reads find it here, without __getattr__
        return value

    def __repr__(self) -> str:
        return f"<endpoint {self._name}>"


def lazy_endpoint(module: str) -> Any:
    """The endpoint module ``module`` (``"wats_public.api.app.app_version"``), imported on first use.

    Bind it under ``if not TYPE_CHECKING`` with a real import for the type checker beside it,
    so ``mypy`` still checks the calls against the module.
    """
    return _LazyEndpoint(module)


@dataclass(frozen=True)
class OperationUse:
    """One WATS operation a facade method calls."""

    method: str
    path: str
    # Optional query parameters the method may send; required ones are always sent.
    query: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        """``"METHOD /path"`` with the path lower-cased, as ASP.NET routing ignores case."""
        return f"{self.method} {self.path.lower()}"


@dataclass(frozen=True)
class Binding:
    """What one facade method declared: the endpoints it calls, optional query parameters it sends."""

    endpoints: tuple[Endpoint[Any], ...]
    query: frozenset[str]

    @property
    def internal(self) -> bool:
        return any(e.INTERNAL for e in self.endpoints)

    @property
    def operations(self) -> tuple[OperationUse, ...]:
        """The operations the method calls, as the server documents them."""
        return tuple(OperationUse(e.METHOD, e.PATH, self.query) for e in self.endpoints)


# The facade method the user called, for error messages; the outermost one wins, so a lookup that
# loads the cache reports the lookup, not the loader.
_OPERATION: ContextVar[str | None] = ContextVar("pywats_operation", default=None)


def current_operation(default: str) -> str:
    """The facade method the user called in this context, else ``default``."""
    return _OPERATION.get() or default


def binding_of(func: Callable[..., Any]) -> Binding | None:
    """The :class:`Binding` declared on a facade method (None for undeclared callables)."""
    found: Binding | None = getattr(func, "__pywats_binding__", None)
    return found


def uses(
    *endpoints: Endpoint[Any],
    query: Iterable[str] = (),
    internal_if: Callable[..., bool] | None = None,
) -> Callable[[F], F]:
    """Declare the generated endpoints a facade method calls (none: it calls no API operation).

    ``query`` names the optional query parameters the method may send (required ones always
    are); spec-diff reports the removal of any other optional parameter as harmless to pywats.
    A method using an internal endpoint must start its docstring with ``⚠️ INTERNAL API`` and
    warns with :class:`~pywats.InternalAPIWarning` at the caller's line on every call; or, for a
    method that reaches its internal endpoint only for some arguments, on the calls for which
    ``internal_if(*args, **kwargs)`` (the method's own arguments, ``self`` included) is true.
    """
    binding = Binding(tuple(endpoints), frozenset(query))

    def decorate(func: F) -> F:
        name = func.__name__
        internal = binding.internal
        if internal and not (func.__doc__ or "").lstrip().startswith(BANNER):
            raise TypeError(f"{func.__qualname__} uses the internal API; its docstring must start with {BANNER!r}")
        qualname = func.__qualname__

        check = ArgumentCheck(func)

        async def named(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            # The method's coroutine is made here, not by the wrapper: a call cancelled before it
            # starts then leaves no never-awaited coroutine behind.
            token = _OPERATION.set(name) if _OPERATION.get() is None else None
            try:
                return await acall_checked(check, current_operation(name), func, args, kwargs)
            finally:
                if token is not None:
                    _OPERATION.reset(token)

        if inspect.iscoroutinefunction(func):
            # A plain function returning the coroutine: the warning points at the line that calls
            # the method, as it does for the blocking client, not at whatever awaits it later.
            @functools.wraps(func)
            def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                if internal and (internal_if is None or internal_if(*args, **kwargs)):
                    warn_internal(qualname)
                return named(args, kwargs)

            wrapper: Any = async_wrapper
        else:

            @functools.wraps(func)
            def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
                if internal and (internal_if is None or internal_if(*args, **kwargs)):
                    warn_internal(qualname)
                token = _OPERATION.set(name) if _OPERATION.get() is None else None
                try:
                    return call_checked(check, current_operation(name), func, args, kwargs)
                finally:
                    if token is not None:
                        _OPERATION.reset(token)

            wrapper = sync_wrapper
        wrapper.__pywats_binding__ = binding
        if internal:
            wrapper.__pywats_internal__ = True
        return wrapper  # type: ignore[no-any-return]

    return decorate
