"""The httpx client under the facade and under ``api.raw``: every failure becomes a pyWATS error.

httpx raises some errors outside the transport (too many redirects, undecodable bodies,
invalid URLs, a closed client), so the transport alone cannot map them; this client maps
whatever escapes ``send`` with the one table in ``core.exceptions``.
"""

from __future__ import annotations

from typing import Any

import httpx

from ..core.arguments import mark_sent
from ..core.error_mapping import error_for_exception
from ..core.exceptions import ClientClosedError, ConfigurationError
from ..core.logging import safe_url

__all__ = ["Lifetime", "PyWATSHTTPClient"]


class Lifetime:
    """Whether the pyWATS client that owns a set of httpx clients has been closed.

    Shared by the facade's httpx client and every ``api.raw`` client, which all use the
    facade's transport: closing the facade closes them all.
    """

    def __init__(self) -> None:
        self.closed = False


class PyWATSHTTPClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` that raises only :class:`~pywats.PyWATSError` subclasses."""

    def __init__(self, *, lifetime: Lifetime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lifetime = lifetime

    def build_request(self, *args: Any, **kwargs: Any) -> httpx.Request:
        try:
            request = super().build_request(*args, **kwargs)
        except (httpx.InvalidURL, httpx.HTTPError) as exc:
            raise error_for_exception(exc) from exc
        _check_scheme(request)
        return request

    async def send(self, request: httpx.Request, *args: Any, **kwargs: Any) -> httpx.Response:
        if self._lifetime.closed or self.is_closed:
            raise ClientClosedError(
                f"cannot send {request.method} {safe_url(request.url)}: the pyWATS client has been closed",
                request=request,
            )
        _check_scheme(request)
        mark_sent()  # from here on, an error is not an argument error: the server may have seen the request
        try:
            return await super().send(request, *args, **kwargs)
        except httpx.HTTPError as exc:
            raise error_for_exception(exc, request) from exc


def _check_scheme(request: httpx.Request) -> None:
    # Checked here so that an unsupported scheme met later can only come from a redirect.
    if request.url.scheme not in ("http", "https"):
        raise ConfigurationError(
            f"cannot send {request.method} {safe_url(request.url)}: only http:// and https:// URLs are supported",
            request=request,
        )
