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

__all__ = ["AsyncRetryTransport"]


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, retry: RetryConfig) -> None:
        self._inner = inner
        self._retry = retry

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        waited = 0.0
        url = safe_url(request.url)
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                response = await self._inner.handle_async_request(request)
                try:
                    await response.aread()
                except BaseException:
                    await response.aclose()
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
                await response.aclose()
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
            await self._retry.async_sleep(decision.delay)

    async def aclose(self) -> None:
        await self._inner.aclose()
