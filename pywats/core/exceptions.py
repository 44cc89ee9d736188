"""pyWATS exceptions, error modes, and the one place that maps an HTTP response to an error."""

from __future__ import annotations

import builtins
import copy
import json
from enum import Enum
from typing import Any

import httpx

from .logging import safe_url

__all__ = [
    "AuthenticationError",
    "AuthorizationError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ConnectionError",
    "EmptyResponseError",
    "ErrorMode",
    "InvalidArgumentError",
    "InvalidResponseError",
    "NoDocumentedOperationError",
    "NotFoundError",
    "PyWATSError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "TimeoutError",
    "ValidationError",
    "error_for_exception",
    "error_for_response",
    "exchange_fields",
    "is_retryable_transport_error",
    "redact_url",
]


class ErrorMode(Enum):
    """How missing data is reported.

    STRICT (default): 404 raises :class:`NotFoundError`, an empty 200 raises
    :class:`EmptyResponseError`. LENIENT: both return ``None``. Every other error raises in both.
    """

    STRICT = "strict"
    LENIENT = "lenient"


class PyWATSError(Exception):
    """Base of every error pyWATS raises.

    Attributes: ``message`` (human readable), ``operation`` (the pyWATS operation that failed,
    e.g. ``"get_product"``), ``details`` (extra context), ``cause`` (the wrapped exception),
    ``status_code``, ``request`` and ``response`` where an HTTP exchange was involved.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        details: dict[str, Any] | None = None,
        cause: BaseException | None = None,
        status_code: int | None = None,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.details: dict[str, Any] = dict(details or {})
        self.cause = cause
        self.status_code = status_code
        self.request = request
        self.response = response

    def __str__(self) -> str:
        prefix = f"{self.operation}: " if self.operation else ""
        status = f" (HTTP {self.status_code})" if self.status_code else ""
        return f"{prefix}{self.message}{status}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, operation={self.operation!r}, status_code={self.status_code!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors get pickled into multiprocessing results and task queues: the request (and the
        # response's request, and the wrapped httpx error's request) carry the Authorization header.
        state = dict(self.__dict__)
        state["request"] = _without_secrets(self.request)
        state["response"] = _response_without_secrets(self.response)
        state["cause"] = _cause_without_secrets(self.cause)
        return (_rebuild, (type(self), self.args), state)


_SECRET_HEADERS = ("authorization", "proxy-authorization", "cookie")


def _rebuild(cls: type[PyWATSError], args: tuple[Any, ...]) -> PyWATSError:
    # Subclasses take extra keyword-only arguments; the state restores them after construction.
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error


def _without_secrets(request: httpx.Request | None) -> httpx.Request | None:
    if request is None:
        return None
    headers = httpx.Headers([(k, v) for k, v in request.headers.multi_items() if k.lower() not in _SECRET_HEADERS])
    return httpx.Request(request.method, request.url, headers=headers, content=b"")


def _response_without_secrets(response: httpx.Response | None) -> httpx.Response | None:
    if response is None:
        return None
    # The body is already decoded: a copied Content-Encoding would make httpx decode it twice.
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in ("content-encoding", "set-cookie")]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=response.content,
        request=_without_secrets(response.request),
    )


def _cause_without_secrets(cause: BaseException | None) -> BaseException | None:
    if isinstance(cause, httpx.RequestError):
        clean = copy.copy(cause)
        try:
            original = cause.request
        except RuntimeError:  # raised by httpx when the error was never tied to a request
            return clean
        clean.request = _without_secrets(original)  # type: ignore[assignment]
        return clean
    if isinstance(cause, httpx.HTTPStatusError):
        return PyWATSError(str(cause))
    return cause


class InvalidArgumentError(PyWATSError, ValueError):
    """A bad argument to a public method, builder or utility, raised before anything is sent.

    The message names the argument, what was given and what was expected. Also a builtin
    ``ValueError``, so ``except ValueError`` keeps working. The server's own 400 answer is
    ``ValidationError``, not this.
    """


class ConfigurationError(InvalidArgumentError):
    """A bad client argument or setting (base URL, token, timeout, retry options...); the message names it."""


class ClientClosedError(PyWATSError, RuntimeError):
    """The client (or ``api.raw``) was used after ``close()``. Also a builtin ``RuntimeError``."""


class AuthenticationError(PyWATSError):
    """401: the token was rejected."""


class AuthorizationError(PyWATSError):
    """403: the user lacks permission for this operation."""


class NotFoundError(PyWATSError):
    """404 (STRICT mode). ``resource_type`` and ``identifier`` name what was looked up."""

    def __init__(self, message: str, *, resource_type: str | None = None, identifier: Any = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.resource_type = resource_type
        self.identifier = identifier


class ValidationError(PyWATSError):
    """400: the server rejected the request data. ``field``/``value`` where the server says."""

    def __init__(self, message: str, *, field: str | None = None, value: Any = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.field = field
        self.value = value


class ConflictError(PyWATSError):
    """409: the request conflicts with the resource's current state."""


class EmptyResponseError(PyWATSError):
    """A successful response carried no data (STRICT mode)."""


class RateLimitError(PyWATSError):
    """429 after retries (or with a ``Retry-After`` beyond the cap). ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(PyWATSError):
    """5xx: the server failed."""


class InvalidResponseError(PyWATSError):
    """The server answered, but the body is not the JSON the API describes."""


class ResponseTooLargeError(InvalidResponseError):
    """The response body exceeds ``max_response_size`` bytes; it was not read further. ``limit`` in bytes."""

    def __init__(self, message: str, *, limit: int | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.limit = limit


class ConnectionError(PyWATSError, builtins.ConnectionError):
    """The server could not be reached (DNS, refused, reset). Also a builtin ``ConnectionError``."""


class TimeoutError(PyWATSError, builtins.TimeoutError):
    """The server took longer than the timeout. Also a builtin ``TimeoutError``."""


class NoDocumentedOperationError(PyWATSError, NotImplementedError):
    """A method kept for pyWATS 0.x code whose action the WATS server documents no operation for.

    Raised before anything is sent; the message says what to use instead. Also a builtin
    ``NotImplementedError``.
    """

    @classmethod
    def for_method(cls, method: str, what: str, instead: str) -> NoDocumentedOperationError:
        """The error of ``method``, which would ``what`` ("list batches"); ``instead`` says what works."""
        return cls(f"WATS documents no operation to {what}, so pywats cannot do it; {instead}", operation=method)


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


def _server_message(response: httpx.Response) -> tuple[str | None, dict[str, Any]]:
    """The error text the WATS (ASP.NET) server put in the body, and the body's fields."""
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        text = response.content[:500].decode("utf-8", "replace").strip()
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


def redact_url(raw: object) -> str:
    """``raw`` as far as it is safe to show: no ``user:password@``, no query string, no fragment.

    Used in messages about URLs the user gave, which may carry credentials (``?token=``).
    """
    text = str(raw).strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "", text
    rest = rest.split("?", 1)[0].split("#", 1)[0]
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return f"{scheme}{sep}{authority}{slash}{path}"


# httpx errors that say the request itself is unsendable: trying again sends the same thing.
# Failures a retry cannot mend: a bad URL or header, and local pool congestion (requests queue
# before the pool, so a pool timeout means stuck connections; a retry would wait on them again).
_NOT_RETRYABLE = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.PoolTimeout)


def is_retryable_transport_error(exc: httpx.TransportError) -> bool:
    """Whether a failed exchange may succeed when tried again (network trouble, timeouts)."""
    return not isinstance(exc, _NOT_RETRYABLE)


def error_for_exception(
    exc: Exception, request: httpx.Request | None = None, *, operation: str | None = None
) -> PyWATSError:
    """The pyWATS error for an exception raised while sending ``request`` (httpx's or pyWATS').

    ``request`` is used when the httpx error does not name the request it failed on.

    The one table of which failure is which error, for the facade, ``api.raw`` and both flavours.
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
    if isinstance(exc, httpx.PoolTimeout):
        # Local: requests queue before the pool, so this means stuck connections, not a busy server.
        return TimeoutError(f"{what} found no free connection in the local pool in time ({name})", **common)
    if isinstance(exc, httpx.TimeoutException):
        return TimeoutError(f"{what} timed out ({name})", **common)
    if isinstance(exc, httpx.UnsupportedProtocol):
        # The facade checks the scheme of every URL it is given, so this is a redirect target.
        return InvalidResponseError(f"{what}: the server redirected to a URL that is not http(s): {exc}", **common)
    if isinstance(exc, httpx.LocalProtocolError):
        return ConfigurationError(f"{what} could not be sent (a malformed header or body?): {exc}", **common)
    if isinstance(exc, httpx.TransportError):  # network errors, proxy errors, the server breaking HTTP
        return ConnectionError(f"cannot reach the WATS server for {what}: {name}: {exc}", **common)
    if isinstance(exc, httpx.TooManyRedirects):
        return InvalidResponseError(f"{what}: the server redirected too many times", **common)
    if isinstance(exc, httpx.DecodingError):
        return InvalidResponseError(f"{what}: the response body could not be decoded: {exc}", **common)
    if isinstance(exc, httpx.InvalidURL):
        return ConfigurationError(f"invalid URL for the request: {exc}", **common)
    return PyWATSError(f"{what} failed: {name}: {exc}", **common)
