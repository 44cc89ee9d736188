# DO NOT EDIT — generated from pywats/_async/transport.py by `python -m pywats._unasync`.
"""The transport under every pyWATS request: retries, one log line per exchange, the size limit.

It wraps httpx's own transport, so the facade and the generated clients reached through
``api.raw`` share one connection pool and one retry policy. A failure it gives up on leaves as
httpx raised it: the httpx client above (``http.py``) maps every failure to a pyWATS error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import httpx

from ..core import deadline
from ..core.config import DEFAULT_MAX_RESPONSE_SIZE
from ..core.error_mapping import is_retryable_transport_error
from ..core.exceptions import ResponseTooLargeError
from ..core.logging import http_logger, safe_url
from ..core.retry import RetryConfig, RetryDecision

__all__ = ["STREAM", "RetryTransport"]

# Request extension asking for the body as a stream (a download): not read whole, no size limit.
STREAM = "pywats.stream"


class RetryTransport(httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport,
        retry: RetryConfig,
        *,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        self._inner = inner
        self._retry = retry
        self._max_response_size = max_response_size
        from .deadline_backend import install  # loads httpcore: with the first client, not at import

        install(inner)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        waited = 0.0
        url = safe_url(request.url)
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                response = self._attempt(request)
            except httpx.TransportError as exc:
                decision = (
                    self._retry.decide(request.method, attempt, waited, transport_error=True)
                    if is_retryable_transport_error(exc)
                    else RetryDecision(False, reason="not retryable")
                )
                if http_logger.isEnabledFor(logging.DEBUG):
                    http_logger.debug("%s %s failed: %s", request.method, url, type(exc).__name__)
                if not decision.retry:
                    raise
                cause = type(exc).__name__
            else:
                if http_logger.isEnabledFor(logging.DEBUG):
                    http_logger.debug(
                        "%s %s -> %d %s (%d bytes) in %.1f ms",
                        request.method,
                        url,
                        response.status_code,
                        response.reason_phrase,
                        len(response.content) if response.is_stream_consumed else -1,
                        (time.perf_counter() - started) * 1000,
                    )
                decision = self._retry.decide(
                    request.method,
                    attempt,
                    waited,
                    status=response.status_code,
                    retry_after=response.headers.get("Retry-After"),
                )
                if not decision.retry:
                    return response
                response.close()
                cause = f"HTTP {response.status_code}"
            http_logger.info(
                "retrying %s %s in %.2fs (attempt %d of %d failed: %s)",
                request.method,
                url,
                decision.delay,
                attempt,
                self._retry.max_attempts,
                cause,
            )
            self._retry.record(decision.delay)
            waited += decision.delay
            self._retry.sleep(decision.delay)

    def _attempt(self, request: httpx.Request) -> httpx.Response:
        """One exchange, body read, within the request's timeout and the size limit."""
        with deadline.attempt_deadline(request):
            response = self._inner.handle_request(request)
            try:
                streamed = request.extensions.get(STREAM) and response.status_code < 400
                if not streamed:
                    self._check_declared_size(request, response)
                if isinstance(response.stream, httpx.SyncByteStream):
                    limit = None if streamed else self._max_response_size
                    response.stream = _LimitedStream(response.stream, request, limit)
                if not streamed:  # a streamed body is read by its caller, chunk by chunk
                    response.read()
            except BaseException:
                response.close()
                raise
        return response

    def _check_declared_size(self, request: httpx.Request, response: httpx.Response) -> None:
        limit = self._max_response_size
        declared = response.headers.get("Content-Length", "")
        if limit is not None and declared.isdigit() and int(declared) > limit:
            raise _too_large(request, limit, f"declares {int(declared)} bytes")

    def close(self) -> None:
        self._inner.close()


def _too_large(request: httpx.Request, limit: int, what: str) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"the response to {request.method} {safe_url(request.url)} {what}, more than max_response_size "
        f"({limit} bytes); raise max_response_size if this answer is expected",
        request=request,
        limit=limit,
    )


class _LimitedStream(httpx.SyncByteStream):
    """The response body, stopped once it passes the size limit or the attempt's deadline."""

    def __init__(self, inner: httpx.SyncByteStream, request: httpx.Request, limit: int | None) -> None:
        self._inner = inner
        self._request = request
        self._limit = limit

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self._inner:
            received += len(chunk)
            if self._limit is not None and received > self._limit:
                raise _too_large(self._request, self._limit, f"passed {self._limit} bytes")
            deadline.check(self._request)
            yield chunk

    def close(self) -> None:
        self._inner.close()
