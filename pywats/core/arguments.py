"""Argument checks at the facade boundary: a bad argument is an ``InvalidArgumentError`` before anything is sent.

Every facade method is declared with :func:`pywats.core.binding.uses`; its wrapper checks the
arguments against the method's own annotations (:class:`ArgumentCheck`) and, for a
``ValueError``/``TypeError`` (pydantic's ``ValidationError`` is one) raised by the method
before any request left the client, raises :class:`~pywats.InvalidArgumentError` instead, with
the method's name and, for pydantic errors, the field path. Whether a request left is tracked
per facade call (:func:`mark_sent`, called by the HTTP client for each request), so an error
after a request was sent is never taken for a bad argument.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
import io
import math
import os
import re
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .exceptions import InvalidArgumentError, PyWATSError

__all__ = [
    "ArgumentCheck",
    "CallState",
    "acall_checked",
    "bound_arguments",
    "call_checked",
    "checked",
    "checked_methods",
    "checked_on_failure",
    "describe",
    "invalid_argument",
    "mark_sent",
    "outer_call",
    "prechecked",
    "settle",
]

# Parameters whose value is never shown in a message.
_SECRET_NAMES = ("token", "password", "secret", "credential", "api_key")
_MAX_SHOWN = 80


@dataclass
class CallState:
    """One facade call as the user made it: nested facade calls and batch workers share it."""

    sent: bool = False
    # The first argument that does not match its annotation: raised if the method fails before
    # sending, or when it is about to send; the method's own, more specific check wins.
    pending: InvalidArgumentError | None = None


_CALL: ContextVar[CallState | None] = ContextVar("pywats_call", default=None)


def mark_sent() -> None:
    """Record that the current facade call sent a request (called by the HTTP client)."""
    state = _CALL.get()
    if state is not None and not state.sent:
        if state.pending is not None:
            raise state.pending
        state.sent = True


class outer_call:
    """``with outer_call() as state:``: the state of the outermost facade call (inner ones share it)."""

    __slots__ = ("state", "token")

    def __enter__(self) -> CallState:
        current = _CALL.get()
        if current is not None:
            self.token = None
            self.state = current
        else:
            self.state = CallState()
            self.token = _CALL.set(self.state)
        return self.state

    def __exit__(self, *exc: object) -> None:
        if self.token is not None:
            _CALL.reset(self.token)


def describe(value: Any, name: str = "") -> str:
    """A short, safe rendering of ``value`` for a message: truncated, and hidden for secrets."""
    if any(secret in name.lower() for secret in _SECRET_NAMES):
        return f"<hidden {type(value).__name__}>"
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real problem
        text = f"<{type(value).__name__}>"
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    if value is None or isinstance(value, bool | str | int | float):
        return text
    return f"{text} ({type(value).__name__})"


def invalid_argument(operation: str | None, name: str, value: Any, expected: str) -> InvalidArgumentError:
    """The error for argument ``name``: what was given and what was expected."""
    return InvalidArgumentError(
        f"{name} must be {expected}, not {describe(value, name)}",
        operation=operation,
        details={"argument": name, "expected": expected},
    )


def from_exception(operation: str, exc: ValueError | TypeError) -> InvalidArgumentError:
    """A ``ValueError``/``TypeError`` raised by a method before it sent anything, as the argument error it is."""
    errors = getattr(exc, "errors", None)
    details: dict[str, Any] = {}
    if callable(errors) and type(exc).__name__ == "ValidationError":  # pydantic's: keep each field path
        try:
            items = errors(include_url=False)
        except TypeError:
            items = errors()
        parts = []
        for item in items[:5]:
            loc = ".".join(str(p) for p in item.get("loc", ())) or "value"
            parts.append(f"{loc}: {item.get('msg', '')} (given {describe(item.get('input'), loc)})")
        more = f" (and {len(items) - 5} more)" if len(items) > 5 else ""
        title = getattr(exc, "title", "") or "the argument"
        lead = "" if title == operation else f"invalid {title}: "
        message = lead + "; ".join(parts) + more
        details["fields"] = [".".join(str(p) for p in item.get("loc", ())) for item in items]
    else:
        message = str(exc)
    return InvalidArgumentError(message, operation=operation, details=details or None, cause=exc)


# -- checking values against annotations --------------------------------------------------------

Checker = Callable[[Any], bool]


def _always(value: Any) -> bool:
    return True


def _text_stream(value: Any) -> bool:
    return isinstance(value, io.TextIOBase)


@dataclass(frozen=True)
class _Rule:
    check: Checker
    expected: str


def _rule_for(annotation: Any, finite: bool = True) -> _Rule | None:
    """How to check a value against ``annotation``; None when nothing useful can be said."""
    if annotation is Any or annotation is object or isinstance(annotation, typing.TypeVar):
        return None
    if annotation is None or annotation is type(None):
        return _Rule(lambda v: v is None, "None")
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        rules = [_rule_for(a, finite) for a in args]
        if any(r is None for r in rules):
            return None
        checks = [r.check for r in rules if r is not None]
        expected = " or ".join(dict.fromkeys(r.expected for r in rules if r is not None))
        return _Rule(lambda v: any(c(v) for c in checks), expected)
    if origin is typing.Literal:
        allowed = args
        listed = "one of " + ", ".join(map(repr, args))
        return _Rule(lambda v: any(v == a and type(v) is type(a) for a in allowed), listed)
    if origin is typing.Annotated:
        return _rule_for(args[0], finite)
    if origin in (list, tuple, set, frozenset) or origin in (Sequence, Iterable, typing.Collection):
        return _container_rule(origin, args, finite)
    if origin in (dict, Mapping) or annotation in (dict, Mapping):
        return _Rule(lambda v: isinstance(v, Mapping), "a mapping (dict)")
    if (origin is not None and origin in (Callable, typing.Callable)) or annotation is Callable:
        return _Rule(callable, "a callable")
    if origin is type:
        return None
    if origin is os.PathLike:
        return _Rule(lambda v: isinstance(v, os.PathLike), "a path")
    if annotation in (list, tuple, set, frozenset, Sequence, Iterable):
        return _container_rule(annotation, (), finite)
    if origin is typing.IO or annotation in (typing.BinaryIO, typing.IO):
        return _stream_rule()
    if not isinstance(annotation, type):
        return None
    return _class_rule(annotation, finite)


def _stream_rule() -> _Rule:
    return _Rule(lambda v: hasattr(v, "read") and not _text_stream(v), "a binary file (opened with 'rb') or stream")


def _container_rule(origin: Any, args: tuple[Any, ...], finite: bool = True) -> _Rule:
    item = _rule_for(args[0], finite) if args and args[0] is not Ellipsis else None
    concrete = origin in (list, tuple, set, frozenset)
    kinds: tuple[type, ...] = (list, tuple, set, frozenset) if concrete else ()

    def check(value: Any) -> bool:
        if isinstance(value, str | bytes | bytearray | Mapping):
            return False
        if concrete:
            if not isinstance(value, kinds):
                return False
        elif not isinstance(value, Iterable):
            return False
        if item is not None and isinstance(value, list | tuple | set | frozenset):
            return all(item.check(v) for v in value)
        return True

    of = f" of {_plural(item.expected)}" if item is not None else ""
    noun = "a tuple" if origin is tuple else "a list"
    return _Rule(check, f"{noun}{of}")


def _plural(expected: str) -> str:
    # "a string or an int" -> "strings or ints": what a list holds reads better in the plural.
    words = []
    for part in expected.split(" or "):
        part = part.removeprefix("a ").removeprefix("an ")
        keep = part in ("None", "True or False") or part.startswith(("one of", "list", "tuple"))
        words.append(part if keep else part + "s")
    return " or ".join(dict.fromkeys(words))


def _a(name: str) -> str:
    return f"an {name}" if name[:1].upper() in "AEIOU" else f"a {name}"


def _class_rule(cls: type, finite: bool = True) -> _Rule | None:
    if cls is bool:
        return _Rule(lambda v: isinstance(v, bool), "True or False")
    if cls is int:
        return _Rule(lambda v: isinstance(v, int) and not isinstance(v, bool), "an int")
    if cls is float:
        if not finite:  # measurements: NaN and infinities are values a test can measure
            return _Rule(lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number")
        return _Rule(
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v), "a finite number"
        )
    if cls is str:
        return _Rule(lambda v: isinstance(v, str), "a string")
    if cls is bytes:
        return _Rule(lambda v: isinstance(v, bytes | bytearray | memoryview), "bytes")
    if cls is datetime:
        return _Rule(lambda v: isinstance(v, datetime), "a datetime")
    if cls is date:
        return _Rule(lambda v: isinstance(v, date), "a date")
    if cls is timedelta:
        return _Rule(lambda v: isinstance(v, timedelta), "a timedelta")
    if cls is uuid.UUID:
        return _Rule(_uuid_like, "a UUID (or its text)")
    if issubclass(cls, enum.Enum):
        return _Rule(lambda v: _enum_like(cls, v), f"{_a(cls.__name__)} ({', '.join(m.name for m in cls)})")
    if cls is os.PathLike:
        return _Rule(lambda v: isinstance(v, os.PathLike), "a path")
    if issubclass(cls, io.IOBase):
        return _stream_rule()
    if _is_model(cls):
        return _Rule(lambda v: isinstance(v, cls), _a(cls.__name__))
    if getattr(cls, "_is_protocol", False):
        return None
    return _Rule(lambda v: isinstance(v, cls), _a(cls.__name__))


def _or_none(rule: _Rule) -> _Rule:
    check = rule.check
    return _Rule(lambda v: v is None or check(v), f"{rule.expected} or None")


def _is_model(cls: type) -> bool:
    return any(base.__name__ == "BaseModel" and base.__module__.startswith("pydantic") for base in cls.__mro__)


def _uuid_like(value: Any) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _enum_like(cls: type[enum.Enum], value: Any) -> bool:
    if isinstance(value, cls):
        return True
    if isinstance(value, bool) or not isinstance(value, str | int):
        return False
    try:
        cls(value)
        return True
    except ValueError:
        pass
    if isinstance(value, str):
        return any(value.casefold() == m.name.casefold() for m in cls)
    return False


class ArgumentCheck:
    """Checks one method's arguments against its annotations; built once, on the method's first call."""

    __slots__ = ("_finite", "_func", "_ready", "_rules", "_signature", "_varargs")

    def __init__(self, func: Callable[..., Any], *, finite: bool = True) -> None:
        self._func = func
        self._finite = finite
        self._ready = False

    def _prepare(self) -> None:
        func = self._func
        signature = inspect.signature(func)
        namespace = getattr(func, "__globals__", {})  # read only: an annotation is an expression
        rules: dict[str, _Rule] = {}
        varargs: str | None = None
        for param in signature.parameters.values():
            if param.kind is param.VAR_KEYWORD:
                continue
            if param.kind is param.VAR_POSITIONAL:
                varargs = param.name
            annotation = param.annotation
            if isinstance(annotation, str):
                try:
                    annotation = eval(annotation, namespace)  # the method's own annotation text
                except Exception:  # a name only imported for type checkers: not checked
                    continue
            if annotation is inspect.Parameter.empty:
                continue
            try:
                rule = _rule_for(annotation, self._finite)
            except TypeError:
                rule = None
            if rule is not None:
                # A parameter that defaults to None accepts None, whatever its annotation says.
                if param.default is None and not rule.check(None):
                    rule = _or_none(rule)
                rules[param.name] = rule
        self._signature = signature
        self._rules = rules
        self._varargs = varargs
        self._ready = True

    def __call__(self, operation: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> InvalidArgumentError | None:
        """The error for the first argument that does not match its annotation, if any.

        A call that cannot bind (missing or unknown argument) raises at once.
        """
        if not self._ready:
            self._prepare()
        spellings = getattr(self._func, "__pywats_aliases__", None)
        if spellings and any(old in kwargs for old in spellings):
            # another spelling of an argument (see core.wire.aliases): checked under its one name
            kwargs = {spellings.get(k, k): v for k, v in kwargs.items()}
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise InvalidArgumentError(str(exc), operation=operation, cause=exc) from None
        rules = self._rules
        for name, value in bound.arguments.items():
            rule = rules.get(name)
            if rule is None:
                continue
            if name == self._varargs:
                for item in value:
                    if not rule.check(item):
                        return invalid_argument(operation, name, item, rule.expected)
            elif not rule.check(value):
                return invalid_argument(operation, name, value, rule.expected)
        return None


def settle(state: CallState, operation: str, exc: Exception, *, outermost: bool = False) -> BaseException | None:
    """What a facade call raises for ``exc``, raised by the method itself; None: ``exc`` as it is.

    After a request was sent, or for a pywats error, nothing changes. Before: the argument that
    broke its annotation is named, or else a ``ValueError``/``TypeError`` becomes the argument
    error it is.
    """
    pending = state.pending
    if isinstance(exc, PyWATSError):
        if exc.operation is None:  # raised deep inside: it belongs to the method the user called
            exc.operation = operation
        elif outermost and isinstance(exc, InvalidArgumentError) and not state.sent:
            # raised by a method this one called (add_pass_fail_step -> add_boolean_step): the user
            # knows the method they called
            exc.operation = operation
        if isinstance(exc, InvalidArgumentError) and pending is not None and not state.sent:
            # an argument the annotations already refused, failing further on as another
            # argument's error (a bad value passed along as a status): the first one is at fault
            argument = (pending.details or {}).get("argument")
            if argument and (exc.details or {}).get("argument") not in (None, argument):
                if not re.search(rf"\b{re.escape(argument)}\b", str(exc)):
                    return pending
        return None
    if state.sent:
        return None
    if isinstance(exc, ValueError | TypeError):
        # The method's own message wins when it speaks of the argument at fault (it usually
        # says more than its annotation can); one from deeper down ("'<' not supported ...") doesn't.
        argument = (pending.details or {}).get("argument") if pending is not None else None
        if pending is None or (argument and re.search(rf"\b{re.escape(argument)}\b", str(exc))):
            return from_exception(operation, exc)
    return pending


@contextlib.contextmanager
def _contract(check: ArgumentCheck, name: str, args: Any, kwargs: Any) -> Iterator[None]:
    # The argument contract around one facade call: its arguments checked before the body runs,
    # what the body raises settled by :func:`settle`, an unsent bad argument raised at the end.
    call = outer_call()
    with call as state:
        if state.pending is None:
            state.pending = check(name, args, kwargs)
        try:
            yield
        except Exception as exc:
            error = settle(state, name, exc, outermost=call.token is not None)
            if error is None:
                raise
            raise error from exc
        if state.pending is not None and not state.sent:
            raise state.pending


def call_checked(check: ArgumentCheck, name: str, func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` under the argument contract (see the module docstring)."""
    with _contract(check, name, args, kwargs):
        return func(*args, **kwargs)


async def acall_checked(check: ArgumentCheck, name: str, func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    """``await func(*args, **kwargs)`` under the argument contract (see the module docstring)."""
    with _contract(check, name, args, kwargs):
        return await func(*args, **kwargs)


F = typing.TypeVar("F", bound=Callable[..., Any])


def bound_arguments(func: F, error: type[InvalidArgumentError] = InvalidArgumentError) -> F:
    """``func`` refusing an unknown, missing or doubled argument as ``error`` naming it (the values
    are left to ``func``'s own checks, which raise the errors its callers know)."""
    import functools

    signature = inspect.signature(func)
    name = func.__qualname__.split(".")[-2] if func.__name__ == "__init__" else func.__name__

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            unknown = next((k for k in kwargs if k not in signature.parameters), None)
            raise error(str(exc), operation=name, details={"argument": unknown} if unknown else None) from None
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def checked_on_failure(func: F) -> F:
    """:func:`checked` for hot paths (a cache's get and set): ``func`` runs unchecked, and only a
    ``ValueError``/``TypeError`` it raises (an unknown keyword, an unhashable key) is turned into
    the :class:`~pywats.InvalidArgumentError` naming the argument at fault. Values that would not
    fail must be checked by ``func`` itself."""
    import functools

    check = ArgumentCheck(func)
    name = func.__name__

    @contextlib.contextmanager
    def refusing(args: Any, kwargs: Any) -> Iterator[None]:
        try:
            yield
        except (ValueError, TypeError) as exc:
            if isinstance(exc, PyWATSError):
                raise
            raise (check(name, args, kwargs) or from_exception(name, exc)) from exc

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            with refusing(args, kwargs):
                return await func(*args, **kwargs)

        async_wrapper.__pywats_checked__ = True  # type: ignore[attr-defined]
        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with refusing(args, kwargs):
            return func(*args, **kwargs)

    wrapper.__pywats_checked__ = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def prechecked(func: F) -> F:
    """Check ``func``'s arguments against its annotations (binding included), then call it as it is.

    For utilities that call back into user code (``batch_execute``'s operation may call the
    facade): unlike :func:`checked`, nothing of the call is shared with the calls it makes.
    """
    import functools

    check = ArgumentCheck(func)
    name = func.__name__ if func.__name__ != "__init__" else func.__qualname__.split(".")[-2]

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            error = check(name, args, kwargs)
            if error is not None:
                raise error
            return await func(*args, **kwargs)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        error = check(name, args, kwargs)
        if error is not None:
            raise error
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def checked(func: F, *, finite: bool = True) -> F:
    """The facade's argument contract for a builder or utility that sends nothing itself.

    Arguments are checked against ``func``'s annotations; a ``ValueError``/``TypeError`` it
    raises becomes :class:`~pywats.InvalidArgumentError` (the argument at fault named where the
    annotations tell). Async functions are checked when awaited.
    """
    import functools

    check = ArgumentCheck(func, finite=finite)
    name = func.__name__
    if name == "__init__":  # the class built, as the user named it (a subclass's, for an inherited one)

        @functools.wraps(func)
        def init_wrapper(*args: Any, **kwargs: Any) -> Any:
            return call_checked(check, type(args[0]).__name__ if args else name, func, args, kwargs)

        return init_wrapper  # type: ignore[return-value]

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            return await acall_checked(check, name, func, args, kwargs)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return call_checked(check, name, func, args, kwargs)

    return wrapper  # type: ignore[return-value]


C = typing.TypeVar("C", bound=type)


def checked_methods(cls: C | None = None, *, finite: bool = True) -> Any:
    """:func:`checked` on every public method ``cls`` itself defines (``__init__``, class and static
    methods included; pydantic's ``model_*`` hooks left alone).

    ``@checked_methods(finite=False)`` lets float arguments be NaN or infinite (measurements).
    """

    def apply(target: C) -> C:
        for attr, value in list(vars(target).items()):
            if attr.startswith("model_") or (attr.startswith("_") and attr != "__init__"):
                continue  # pydantic's hooks and private helpers are not called by users
            if getattr(value, "__pywats_checked__", False):
                continue  # decorated on its own (checked_on_failure)
            if inspect.isfunction(value):
                setattr(target, attr, checked(value, finite=finite))
            elif isinstance(value, classmethod | staticmethod) and inspect.isfunction(value.__func__):
                setattr(target, attr, type(value)(checked(value.__func__, finite=finite)))
        return target

    return apply(cls) if cls is not None else apply
