"""What a response means for the caller: data, None (LENIENT), or an error.

The one place that maps an HTTP status to a pyWATS error (:func:`check_status`) and turns a
successful body into a result (:func:`finish`), for both flavours: the facade's calls, streamed
downloads, the ``api.raw`` clients and the compatibility check all go through it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from .error_mapping import error_for_response, exchange_fields
from .exceptions import EmptyResponseError, ErrorMode, InvalidResponseError, PyWATSError
from .retry import parse_retry_after

__all__ = ["check_status", "finish", "is_empty", "parse_version"]

T = TypeVar("T")


def is_empty(response: httpx.Response) -> bool:
    body = response.content.strip()
    return not body or body == b"null"


def check_status(
    response: httpx.Response,
    *,
    operation: str | None,
    resource_type: str | None = None,
    identifier: Any = None,
) -> None:
    """Raise the pyWATS error for a status >= 400 (``NotFoundError`` for 404, ``RateLimitError`` with
    the server's ``Retry-After``, ...); do nothing for a successful one."""
    if response.status_code < 400:
        return
    retry_after = response.headers.get("Retry-After")
    raise error_for_response(
        response,
        operation=operation,
        resource_type=resource_type,
        identifier=identifier,
        retry_after=parse_retry_after(retry_after) if retry_after else None,
    )


def finish(
    response: httpx.Response,
    parse: Callable[[httpx.Response], T],
    *,
    operation: str,
    error_mode: ErrorMode,
    expect_data: bool = True,
    resource_type: str | None = None,
    identifier: Any = None,
) -> T | None:
    """Turn a response into the operation's result, per the error mode.

    404 and an empty successful body (no content, or JSON ``null``) are "no data": ``None`` in
    LENIENT mode, :class:`NotFoundError` / :class:`EmptyResponseError` in STRICT mode. Any
    other status >= 400 raises in both modes. A body that does not parse raises
    :class:`InvalidResponseError` (the response stays on the exception).
    """
    if response.status_code == 404 and error_mode is ErrorMode.LENIENT:
        return None
    check_status(response, operation=operation, resource_type=resource_type, identifier=identifier)
    if expect_data and is_empty(response):
        if error_mode is ErrorMode.LENIENT:
            return None
        what = f"{resource_type} {identifier!r}" if resource_type else "data"
        raise EmptyResponseError(
            f"the server returned no {what}",
            **exchange_fields(response, operation),
            details={"resource_type": resource_type, "identifier": identifier} if resource_type else {},
        )
    try:
        return parse(response)
    except PyWATSError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        excerpt = response.content[:200].decode("utf-8", "replace")
        raise InvalidResponseError(
            f"the server's response could not be read: {type(exc).__name__}: {exc}",
            **exchange_fields(response, operation),
            cause=exc,
            details={"content_type": response.headers.get("Content-Type"), "body_excerpt": excerpt},
        ) from exc


def parse_version(response: httpx.Response) -> str:
    """The body of ``GET /api/App/Version``: a JSON string. Anything else is a ``ValueError``.

    A login page or proxy error page answered with 200 is not a WATS server.
    """
    body = json.loads(response.content)
    if not isinstance(body, str) or not body.strip():
        raise ValueError(f"expected the server version as a JSON string, got {type(body).__name__}")
    return body.strip()
