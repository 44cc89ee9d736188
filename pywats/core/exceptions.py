"""pyWATS exceptions, error modes, and the one place that maps an HTTP response to an error."""

from __future__ import annotations

import builtins
import json
from enum import Enum
from typing import Any

import httpx

__all__ = [
    "AuthenticationError",
    "AuthorizationError",
    "ConfigurationError",
    "ConflictError",
    "ConnectionError",
    "EmptyResponseError",
    "ErrorMode",
    "InvalidResponseError",
    "NotFoundError",
    "PyWATSError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "ValidationError",
    "error_for_response",
    "exchange_fields",
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


class ConfigurationError(PyWATSError, ValueError):
    """The client is not configured correctly (missing or malformed base URL or token)."""


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


class ConnectionError(PyWATSError, builtins.ConnectionError):
    """The server could not be reached (DNS, refused, reset). Also a builtin ``ConnectionError``."""


class TimeoutError(PyWATSError, builtins.TimeoutError):
    """The server took longer than the timeout. Also a builtin ``TimeoutError``."""


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
