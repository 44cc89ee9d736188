"""The small jobs every domain service does around a generated endpoint, each done one way.

- Arguments: :func:`unset` turns the facade's "not given" (``None``) into the generated
  signatures' ``UNSET``; :func:`odata_params` checks and spells the OData query options for an
  endpoint declared with them (``spec/overrides.toml``); the validators (:func:`text`,
  :func:`count`, :func:`positive`, :func:`within`, :func:`guid`, :func:`moment`, :func:`one_of`) raise
  :class:`~pywats.InvalidArgumentError` naming the argument, what was given and what was expected.
- Responses: :func:`parse_model` / :func:`parse_list` read a body straight into the facade's
  pydantic models (one validation, from the raw bytes); :func:`ignore_body` is the parser of an
  operation whose success is all there is to know; :func:`parse_bytes` keeps the raw body (files,
  exports); :func:`json_body`, :func:`json_object` and :func:`json_list` read untyped JSON.
"""

from __future__ import annotations

import functools
import inspect
import json
import math
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import httpx
from wats_internal.types import UNSET as INTERNAL_UNSET
from wats_internal.types import Unset as InternalUnset
from wats_public.types import UNSET, Unset

from .arguments import invalid_argument
from .exceptions import InvalidArgumentError

if TYPE_CHECKING:  # pydantic loads with the first domain that parses, not with pywats.core
    from pydantic import BaseModel

__all__ = [
    "UNSET",
    "Unset",
    "aliases",
    "count",
    "guid",
    "ignore_body",
    "invalid",
    "json_body",
    "json_list",
    "json_object",
    "moment",
    "odata_params",
    "one_of",
    "parse_bytes",
    "parse_list",
    "parse_list_or_none",
    "parse_model",
    "positive",
    "text",
    "unset",
    "unset_internal",
    "within",
]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound="BaseModel")
E = TypeVar("E", bound=Enum)
Parser = Callable[[httpx.Response], T]


# -- arguments ---------------------------------------------------------------------------------


def unset(value: T | None) -> T | Unset:
    """``None`` (the facade's "not given") as the generated signatures' ``UNSET`` (not sent)."""
    return UNSET if value is None else value


def unset_internal(value: T | None) -> T | InternalUnset:
    """:func:`unset` for the internal package's endpoints, whose ``UNSET`` is an object of its own."""
    return INTERNAL_UNSET if value is None else value


def invalid(name: str, given: Any, expected: str) -> InvalidArgumentError:
    """The error for a bad argument: ``"<name> must be <expected>, not <given>"`` (see core.arguments)."""
    return invalid_argument(None, name, given, expected)


def text(name: str, value: Any) -> str:
    """A non-empty string (surrounding blanks allowed, as the server keeps them)."""
    if not isinstance(value, str) or not value.strip():
        raise invalid(name, value, "a non-empty string")
    return value


def count(name: str, value: Any) -> int:
    """A non-negative integer (``bool`` is refused: ``True`` is no count)."""
    return _whole(name, value, 0, "a non-negative integer")


def positive(name: str, value: Any, expected: str = "a positive integer") -> int:
    """An integer of 1 or more."""
    return _whole(name, value, 1, expected)


def within(
    name: str,
    value: Any,
    low: float,
    high: float,
    *,
    whole: bool = False,
    above: bool = False,
    expected: str | None = None,
) -> float:
    """A finite number from ``low`` to ``high`` (more than ``low`` with ``above``); ``whole``: an integer.

    ``bool`` is refused, as are NaN and the infinities. ``expected`` words the range for the
    message (``"a number of days, ..."``) instead of the plain one.
    """
    kinds = int if whole else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value):
        ok = False
    else:
        ok = (value > low if above else value >= low) and value <= high
    if not ok:
        what = "an integer" if whole else "a number"
        bound = f"more than {_shown(low)} and at most" if above else f"from {_shown(low)} to"
        raise invalid(name, value, expected or f"{what} {bound} {_shown(high)}")
    return value  # type: ignore[no-any-return]


def _shown(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else repr(bound)


def _whole(name: str, value: Any, least: int, expected: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise invalid(name, value, expected)
    return value


def guid(name: str, value: Any, expected: str = "a UUID") -> UUID:
    """A UUID, given as one or as its text."""
    if isinstance(value, UUID):
        return value
    if isinstance(value, str):
        try:
            return UUID(value.strip())
        except ValueError:
            pass
    raise invalid(name, value, expected)


def moment(name: str, value: Any) -> datetime:
    """A datetime with its offset: naive times are local (as the models give them)."""
    if not isinstance(value, datetime):
        raise invalid(name, value, "a datetime")
    return value.astimezone()


def one_of(name: str, value: Any, kind: type[E]) -> E:
    """A member of the enum ``kind``, given as one or by its value."""
    try:
        return kind(value)
    except ValueError:
        raise invalid(name, value, f"one of {', '.join(str(m.value) for m in kind)}") from None


def odata_params(
    filter: str | None = None,
    top: int | None = None,
    skip: int | None = None,
    orderby: str | None = None,
    expand: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """The OData query options given, as keyword arguments of a generated ``request_kwargs``.

    Only options given are returned, so an endpoint declared without ``$skip`` still accepts the
    result of a call without ``skip``. A blank ``filter`` is no filter; ``expand`` may be a list.
    """
    options: dict[str, Any] = {}
    for key, text_value, expected in (("filter_", filter, "an OData filter"), ("orderby", orderby, "an $orderby")):
        if text_value is not None and not isinstance(text_value, str):
            raise invalid(key.rstrip("_"), text_value, f"{expected} string")
        if text_value is not None and text_value.strip():
            options[key] = text_value
    for key, number in (("top", top), ("skip", skip)):
        if number is not None:
            options[key] = count(key, number)
    if expand is not None:
        names = [expand] if isinstance(expand, str) else list(expand)
        if not all(isinstance(n, str) for n in names):
            raise invalid("expand", expand, "a navigation property name or a list of them")
        if names:
            options["expand"] = ",".join(names)
    return options


def aliases(**spellings: str) -> Callable[[F], F]:
    """Accept other keyword spellings of a method's arguments: ``@aliases(filter_str="odata_filter")``.

    One parameter has one name across the domains; another spelling in use by callers keeps
    working. Giving both spellings of one argument is an error.
    """

    def rename(kwargs: dict[str, Any]) -> dict[str, Any]:
        for old, new in spellings.items():
            if old in kwargs:
                if new in kwargs:
                    raise InvalidArgumentError(f"{old} is another name for {new}: give one of them, not both")
                kwargs[new] = kwargs.pop(old)
        return kwargs

    def decorate(func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_renamed(*args: Any, **kwargs: Any) -> Any:
                return await func(*args, **rename(kwargs))

            async_renamed.__pywats_aliases__ = spellings  # type: ignore[attr-defined]
            return async_renamed  # type: ignore[return-value]

        @functools.wraps(func)
        def renamed(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **rename(kwargs))

        renamed.__pywats_aliases__ = spellings  # type: ignore[attr-defined]
        return renamed  # type: ignore[return-value]

    return decorate


# -- responses ---------------------------------------------------------------------------------


def ignore_body(response: httpx.Response) -> bool:
    """The parser of an operation whose answer says nothing more than that it succeeded."""
    return True


def parse_bytes(response: httpx.Response) -> bytes:
    """The parser of a download: the body as it came (a file, an export), unread."""
    return response.content


@functools.cache
def parse_model(model: type[M]) -> Parser[M]:
    """A parser reading the body as one ``model`` (validated from the raw JSON bytes)."""

    def parse(response: httpx.Response) -> M:
        return model.model_validate_json(response.content)

    return parse


@functools.cache
def _adapter(model: type[M]) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(list[model])  # type: ignore[valid-type]


def parse_list(model: type[M]) -> Parser[list[M]]:
    """A parser reading the body as a JSON array of ``model``."""
    adapter = _adapter(model)

    def parse(response: httpx.Response) -> list[M]:
        found: list[M] = adapter.validate_json(response.content)
        return found

    return parse


def parse_list_or_none(model: type[M]) -> Parser[list[M] | None]:
    """For answers the documents leave untyped: the items if the body is a JSON array, else None."""
    adapter = _adapter(model)

    def parse(response: httpx.Response) -> list[M] | None:
        body = json_body(response)
        return adapter.validate_python(body) if isinstance(body, list) else None

    return parse


def json_body(response: httpx.Response) -> Any:
    """The body as JSON; an empty body is ``None``."""
    return json.loads(response.content) if response.content.strip() else None


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The body as a JSON object (anything else is a bad answer)."""
    body = json_body(response)
    if not isinstance(body, dict):
        raise ValueError(f"expected a JSON object, got {type(body).__name__}")
    return body


def json_list(response: httpx.Response) -> list[Any]:
    """The body as a JSON array (anything else is a bad answer)."""
    body = json_body(response)
    if not isinstance(body, list):
        raise ValueError(f"expected a JSON list, got {type(body).__name__}")
    return body
