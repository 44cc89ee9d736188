# DO NOT EDIT — generated from pywats/_async/context.py by `python -m pywats._unasync`.
"""What a domain service gets from its client: the one response path, the station, the error mode.

Every request the facade makes goes through :class:`AsyncServiceContext`: it adds the headers the
server wants on internal endpoints, names the facade method in any error, maps the status to an
error and parses the body (:mod:`pywats.core.results`). Services hold this small object, not the
client, so a domain depends on the call path and never on the facade that assembles the domains.
"""

from __future__ import annotations

from collections.abc import Iterator, Callable
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx

from ..core.binding import Endpoint, current_operation
from ..core.config import Settings
from ..core.error_mapping import error_for_exception
from ..core.exceptions import ErrorMode, PyWATSError
from ..core.response_cache import ResponseCache
from ..core.results import check_status, finish
from ..core.station import Station
from .http import PyWATSHTTPClient
from .transport import STREAM

__all__ = ["SyncServiceContext"]

T = TypeVar("T")
S = TypeVar("S")


class SyncServiceContext:
    """The call path and the client state a domain service may use.

    ``station`` is the client's (``api.station`` reads and sets it here); ``service(cls)`` gives
    the client's instance of another domain service, for a domain that needs another's data.
    """

    def __init__(
        self,
        http: PyWATSHTTPClient,
        settings: Settings,
        station: Station,
        services: Callable[[type[Any]], Any],
        response_cache: ResponseCache | None = None,
    ) -> None:
        self._http = http
        self._cache = response_cache
        self._settings = settings
        self._internal_headers = settings.internal_headers
        self._services = services
        self.station = station

    @property
    def error_mode(self) -> ErrorMode:
        return self._settings.error_mode

    def service(self, cls: type[S]) -> S:
        """The client's instance of the domain service class ``cls``."""
        found: S = self._services(cls)
        return found

    def _send(
        self, operation: str, kwargs: dict[str, Any], *, internal: bool, stream: bool = False
    ) -> httpx.Response:
        """One exchange on the shared client; its errors name the pyWATS ``operation``."""
        if internal:
            kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), **self._internal_headers}}
        try:
            if stream:
                request = self._http.build_request(**kwargs, extensions={STREAM: True})
                return self._http.send(request, stream=True)
            cache = self._cache
            if cache is None:
                return self._http.request(**kwargs)
            response = cache.lookup(kwargs)
            if response is None:
                response = self._http.request(**kwargs)
                cache.store(kwargs, response)
            return response
        except PyWATSError as exc:
            exc.operation = exc.operation or operation
            raise

    def call(
        self,
        endpoint: Endpoint[Any],
        kwargs: dict[str, Any],
        parse: Callable[[httpx.Response], T],
        *,
        expect_data: bool = True,
        resource_type: str | None = None,
        identifier: Any = None,
        error_mode: ErrorMode | None = None,
    ) -> T | None:
        """Perform one generated endpoint's operation; ``kwargs`` come from its ``request_kwargs``.

        The result is ``parse(response)``, subject to the error mode (``error_mode`` overrides the
        client's for this call). Errors name the facade method the user called.
        """
        operation = current_operation(f"{endpoint.METHOD} {endpoint.PATH}")
        response = self._send(operation, kwargs, internal=endpoint.INTERNAL)
        return finish(
            response,
            parse,
            operation=operation,
            error_mode=error_mode or self._settings.error_mode,
            expect_data=expect_data,
            resource_type=resource_type,
            identifier=identifier,
        )

    @contextmanager
    def stream(
        self,
        endpoint: Endpoint[Any],
        kwargs: dict[str, Any],
        *,
        resource_type: str | None = None,
        identifier: Any = None,
    ) -> Iterator[httpx.Response]:
        """One operation whose body the caller reads in chunks: ``response.aiter_bytes()`` (``iter_bytes``).

        Error statuses raise as for ``call`` (a 404 too: a stream has no LENIENT ``None``), and so
        does a failure while the body is read; the connection goes back to the pool when the
        block ends.
        """
        operation = current_operation(f"{endpoint.METHOD} {endpoint.PATH}")
        response = self._send(operation, kwargs, internal=endpoint.INTERNAL, stream=True)
        try:
            if response.status_code >= 400:
                response.read()
            check_status(response, operation=operation, resource_type=resource_type, identifier=identifier)
            try:
                yield response
            except httpx.HTTPError as exc:  # raised while the caller read the body, outside send()
                raise error_for_exception(exc, response.request, operation=operation) from exc
        finally:
            response.close()

    def fetch(self, operation: str, url: str, *, internal: bool = False) -> httpx.Response:
        """``GET url`` outside the generated endpoints (the API documents); error statuses raise."""
        response = self._send(operation, {"method": "GET", "url": url}, internal=internal)
        check_status(response, operation=operation)
        return response
