# DO NOT EDIT — generated from pywats/_async/transport.py by `python -m pywats._unasync`.
"""The transport under every pyWATS request: retries, one log line per exchange, network errors.

It wraps httpx's own transport, so the facade and the generated clients reached through
``api.raw`` share one connection pool and one retry policy.
"""

from __future__ import annotations

import logging
import time

import httpx

from ..core.logging import http_logger, safe_url
from ..core.results import network_error
from ..core.retry import RetryConfig

__all__ = ["RetryTransport"]


class RetryTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, retry: RetryConfig) -> None:
        self._inner = inner
        self._retry = retry

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        waited = 0.0
        url = safe_url(request.url)
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                response = self._inner.handle_request(request)
                try:
                    response.read()
                except BaseException:
                    response.close()
                    raise
            except httpx.TransportError as exc:
                decision = self._retry.decide(request.method, attempt, waited, transport_error=True)
                if http_logger.isEnabledFor(logging.DEBUG):
                    http_logger.debug("%s %s failed: %s", request.method, url, type(exc).__name__)
                if not decision.retry:
                    raise network_error(exc, request, url) from exc
                cause = type(exc).__name__
            else:
                if http_logger.isEnabledFor(logging.DEBUG):
                    http_logger.debug(
                        "%s %s -> %d %s (%d bytes) in %.1f ms",
                        request.method,
                        url,
                        response.status_code,
                        response.reason_phrase,
                        len(response.content),
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

    def close(self) -> None:
        self._inner.close()
