"""The one place that decides which pyWATS error a failure is: an HTTP response with an error
status, or an exception raised while sending (httpx's or pyWATS')."""

from __future__ import annotations

import json
from typing import Any

import httpx

from .exceptions import (
    AuthenticationError,
    AuthorizationError,
    ConfigurationError,
    ConflictError,
    ConnectionError,
    InvalidResponseError,
    NotFoundError,
    PyWATSError,
    RateLimitError,
    ServerError,
    TimeoutError,
    ValidationError,
)
from .logging import safe_url

__all__ = [
    "HTML_ERROR_PAGE",
    "HTML_PAGE",
    "error_for_exception",
    "error_for_response",
    "exchange_fields",
    "is_html",
    "is_retryable_transport_error",
]


def exchange_fields(response: httpx.Response, operation: str | None) -> dict[str, Any]:
    """The keyword arguments every error about an HTTP exchange carries."""
    return {
        "operation": operation,
        "status_code": response.status_code,
        "request": response.request,
        "response": response,
    }


_BY_STATUS: dict[int, type[PyWATSError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthorizationError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


# Said of an HTML page answered instead of WATS's JSON (WATS answers its errors in JSON).
HTML_PAGE = (
    "an HTML page, not the WATS API's answer: is base_url the WATS server, with no proxy or login page in between?"
)
HTML_ERROR_PAGE = (
    "an HTML error page, not the WATS API's answer (a gateway, a proxy or the web server failed): "
    "try again later; if it persists, tell the server's administrator"
)


def is_html(response: httpx.Response) -> bool:
    """Whether the body is a web page (a proxy's, a gateway's or a login page), not an API answer."""
    kind = response.headers.get("Content-Type", "").lower()
    return "html" in kind or (response.content.lstrip()[:1] == b"<" and b"<html" in response.content[:2048].lower())


def _server_message(response: httpx.Response) -> tuple[str | None, dict[str, Any]]:
    """The error text the WATS (ASP.NET) server put in the body, and the body's fields."""
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        text = response.content[:500].decode("utf-8", "replace").strip()
        if is_html(response):
            return None, {"body_excerpt": text}
        return (text or None), {}
    if isinstance(body, str):
        return body, {}
    if not isinstance(body, dict):
        return None, {}
    fields = {str(k): v for k, v in body.items()}
    for key in ("ExceptionMessage", "Message", "message", "error_description", "error", "title", "detail"):
        value = fields.get(key)
        if isinstance(value, str) and value:
            return value, fields
    return None, fields


def _validation_field(fields: dict[str, Any]) -> tuple[str | None, Any]:
    """ASP.NET ModelState: {"ModelState": {"model.Field": ["error"]}} (or "errors")."""
    for key in ("ModelState", "modelState", "errors"):
        state = fields.get(key)
        if isinstance(state, dict) and state:
            name = next(iter(state))
            return name.split(".")[-1] or name, None
    field = fields.get("field") or fields.get("Field")
    return (str(field) if field else None), fields.get("value", fields.get("Value"))


# What the person reading a refusal can do about it, added to the server's own words.
_WHAT_TO_DO = {
    401: "the server refused the API token: check the token (token= or WATS_AUTH_TOKEN)",
    403: "the token's account may not do this: ask a WATS administrator for the permission",
}


def error_for_response(
    response: httpx.Response,
    *,
    operation: str | None = None,
    resource_type: str | None = None,
    identifier: Any = None,
    retry_after: float | None = None,
) -> PyWATSError:
    """The pyWATS error for an unsuccessful response (status >= 400)."""
    status = response.status_code
    server_message, fields = _server_message(response)
    reason = response.reason_phrase or "error"
    message = server_message or f"{response.request.method} {response.request.url.path} failed: {status} {reason}"
    if status in _WHAT_TO_DO:
        message = f"{message} ({_WHAT_TO_DO[status]})"
    if server_message is None and "body_excerpt" in fields:
        message = f"{message}; the answer is {HTML_ERROR_PAGE if status >= 500 else HTML_PAGE}"
    common = exchange_fields(response, operation)
    common["details"] = {k: v for k, v in fields.items() if k not in ("StackTrace", "stackTrace")}
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else PyWATSError)
    if cls is NotFoundError:
        return NotFoundError(message, resource_type=resource_type, identifier=identifier, **common)
    if cls is ValidationError:
        field, value = _validation_field(fields)
        return ValidationError(message, field=field, value=value, **common)
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **common)
    return cls(message, **common)


# httpx errors that say the request itself is unsendable: trying again sends the same thing.
# Failures a retry cannot mend: a bad URL or header, and local pool congestion (requests queue
# before the pool, so a pool timeout means stuck connections; a retry would wait on them again).
_NOT_RETRYABLE = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.PoolTimeout)


def is_retryable_transport_error(exc: httpx.TransportError) -> bool:
    """Whether a failed exchange may succeed when tried again (network trouble, timeouts)."""
    return not isinstance(exc, _NOT_RETRYABLE)


# Which pyWATS error each httpx failure is; the first match wins, so subclasses come before their
# bases. In the messages, ``what`` is the request ("GET https://..."), ``name`` the httpx class.
_BY_EXCEPTION: tuple[tuple[type[Exception] | tuple[type[Exception], ...], type[PyWATSError], str], ...] = (
    # Local: requests queue before the pool, so this means stuck connections, not a busy server.
    (httpx.PoolTimeout, TimeoutError, "{what} found no free connection in the local pool in time ({name})"),
    (httpx.TimeoutException, TimeoutError, "{what} timed out ({name})"),
    # The facade checks the scheme of every URL it is given, so this is a redirect target.
    (httpx.UnsupportedProtocol, InvalidResponseError, "{what}: the server redirected to a non-http(s) URL: {exc}"),
    (httpx.LocalProtocolError, ConfigurationError, "{what} could not be sent (a malformed header or body?): {exc}"),
    # not connected: a wrong address, a server that is down, a proxy needed or refusing
    ((httpx.ConnectError, httpx.ProxyError), ConnectionError, "cannot reach the WATS server for {what}: {name}: {exc}"),
    # connected, then the exchange broke off: the address is right (a crash, a restart, a proxy's limit)
    (httpx.TransportError, ConnectionError, "the connection to the WATS server broke off during {what}: {exc}"),
    (httpx.TooManyRedirects, InvalidResponseError, "{what}: the server redirected too many times"),
    (httpx.DecodingError, InvalidResponseError, "{what}: the response body could not be decoded: {exc}"),
    (httpx.InvalidURL, ConfigurationError, "invalid URL for the request: {exc}"),
)


def error_for_exception(
    exc: Exception, request: httpx.Request | None = None, *, operation: str | None = None
) -> PyWATSError:
    """The pyWATS error for an exception raised while sending ``request`` (httpx's or pyWATS').

    ``request`` is used when the httpx error does not name the request it failed on.

    It reads ``_BY_EXCEPTION``, the one table of which failure is which error, for the facade,
    ``api.raw`` and both flavours.
    """
    if isinstance(exc, PyWATSError):
        return exc
    if isinstance(exc, httpx.RequestError):
        # The request httpx was sending when it failed: after redirects, not the first one.
        try:
            request = exc.request
        except RuntimeError:  # httpx raises this when the error was never tied to a request
            pass
    what = f"{request.method} {safe_url(request.url)}" if request is not None else "the request"
    name = type(exc).__name__
    common: dict[str, Any] = {"operation": operation, "cause": exc, "request": request}
    for kind, error, template in _BY_EXCEPTION:
        if isinstance(exc, kind):
            return error(template.format(what=what, name=name, exc=exc), **common)
    return PyWATSError(f"{what} failed: {name}: {exc}", **common)
