"""The errors pyWATS raises, and the error modes; ``error_mapping`` decides which one a failure is."""

from __future__ import annotations

import builtins
import copy
from enum import Enum
from typing import Any

import httpx

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
