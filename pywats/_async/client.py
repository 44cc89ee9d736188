"""The pyWATS facade: configuration, one pooled HTTP client, and the domain services built on it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ..core.arguments import bound_arguments
from ..core.binding import lazy_endpoint, uses
from ..core.config import DEFAULT_MAX_RESPONSE_SIZE, Settings, resolve_settings
from ..core.exceptions import ConfigurationError, ErrorMode, InvalidResponseError
from ..core.gate import AsyncGate
from ..core.logging import logger
from ..core.proxy import resolve_proxy
from ..core.response_cache import DEFAULT_CACHE_MAX_SIZE, DEFAULT_CACHE_TTL, ResponseCache
from ..core.results import check_status, parse_version
from ..core.retry import RetryConfig, check_seconds
from ..core.station import Station
from ..core.stations import StationRegistry
from ..version import __version__
from .context import AsyncServiceContext
from .gate import AsyncGatedTransport
from .http import Lifetime, PyWATSHTTPClient
from .service import AsyncService, AsyncServiceSlot, facade_uses_of
from .transport import AsyncRetryTransport

if TYPE_CHECKING:
    import wats_internal
    import wats_public
    from wats_public.api.app import app_version

    from ..domains.analytics.async_service import AsyncAnalyticsService
    from ..domains.asset.async_service import AsyncAssetService
    from ..domains.manual_inspection.async_service import AsyncManualInspectionService
    from ..domains.process.async_service import AsyncProcessService
    from ..domains.product.async_service import AsyncProductService
    from ..domains.production.async_service import AsyncProductionService
    from ..domains.report.async_service import AsyncReportService
    from ..domains.rootcause.async_service import AsyncRootCauseService
    from ..domains.scim.async_service import AsyncScimService
    from ..domains.software.async_service import AsyncSoftwareService
    from ..spec.compare import DiffReport

__all__ = ["AsyncRawClients", "AsyncWATS"]

if not TYPE_CHECKING:  # the generated client behind it loads with the first call, not at import
    app_version = lazy_endpoint("wats_public.api.app.app_version")

C = TypeVar("C")
# Keep-alive matches max_connections: a burst of requests keeps reusing every connection it opened
# instead of closing 80 of them after each one and reconnecting.
_POOL_SIZE = 100
_LIMITS = httpx.Limits(max_connections=_POOL_SIZE, max_keepalive_connections=_POOL_SIZE, keepalive_expiry=30.0)


async def _raise_for_status(response: httpx.Response) -> None:
    check_status(response, operation="raw")


# Builds the httpx client for a raw client from its extra headers, cookies and timeout.
_HTTPFactory = Callable[[dict[str, str], dict[str, str], "httpx.Timeout | None"], httpx.AsyncClient]


class _StaysOnPyWATS:
    """Mixed into the generated clients handed out by ``api.raw``.

    The generated ``with_headers`` / ``with_cookies`` / ``with_timeout`` return a copy that
    builds a bare httpx client (no pyWATS transport, auth, retries or error mapping) and also
    change the client they are called on. These return a copy over pyWATS' transport instead
    and leave the original alone.
    """

    _headers: dict[str, str]
    _cookies: dict[str, str]
    _timeout: httpx.Timeout | None
    _pywats_http: _HTTPFactory

    def with_headers(self, headers: dict[str, str]) -> Any:
        """A copy of this client that also sends ``headers``."""
        return self._pywats_copy(headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> Any:
        """A copy of this client that also sends ``cookies``."""
        return self._pywats_copy(cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> Any:
        """A copy of this client whose attempts are bounded by ``timeout`` instead."""
        return self._pywats_copy(timeout=timeout)

    def _pywats_copy(self, **changes: Any) -> Any:
        import attrs

        copy: Any = attrs.evolve(self, **changes)  # type: ignore[misc]
        _bind(copy, self._pywats_http)
        return copy


def _bind(client: Any, http: _HTTPFactory) -> None:
    client._pywats_http = http
    client.set_async_httpx_client(http(client._headers, client._cookies, client._timeout))


_RAW_CLASSES: dict[type[Any], type[Any]] = {}


def _raw_class(base: type[C]) -> type[C]:
    cls = _RAW_CLASSES.get(base)
    if cls is None:
        cls = _RAW_CLASSES[base] = type(base.__name__, (_StaysOnPyWATS, base), {"__module__": __name__})
    return cls


class AsyncRawClients:
    """The generated low-level clients, over the facade's connection pool, auth and retries.

    For operations the facade does not wrap yet: ``api.raw.public`` and ``api.raw.internal``
    are ``AuthenticatedClient`` instances for ``wats_public`` / ``wats_internal`` endpoint
    functions. Error statuses raise the same pyWATS exceptions as the facade, and so does
    every other failure. Their ``with_headers``, ``with_cookies`` and ``with_timeout`` copies
    keep all of that.
    """

    def __init__(
        self,
        settings: Settings,
        transport: AsyncRetryTransport,
        headers: dict[str, str],
        lifetime: Lifetime | None = None,
    ) -> None:
        self._settings = settings
        self._transport = transport
        self._headers = headers
        self._lifetime = lifetime if lifetime is not None else Lifetime()
        self._public: wats_public.AuthenticatedClient | None = None
        self._internal: wats_internal.AuthenticatedClient | None = None

    def _http(self, extra: dict[str, str], cookies: dict[str, str], timeout: httpx.Timeout | None) -> httpx.AsyncClient:
        return PyWATSHTTPClient(
            lifetime=self._lifetime,
            base_url=self._settings.base_url,
            headers={**self._headers, **extra},
            cookies=cookies,
            timeout=self._settings.timeout if timeout is None else timeout,
            transport=self._transport,
            follow_redirects=True,
            event_hooks={"response": [_raise_for_status]},
        )

    def _client(self, base: type[C], headers: dict[str, str]) -> C:
        cls: Any = _raw_class(base)
        client: C = cls(base_url=self._settings.base_url, token="", headers=dict(headers))
        _bind(client, self._http)
        return client

    @property
    def public(self) -> wats_public.AuthenticatedClient:
        """The ``wats_public`` client: pass it as ``client=`` to ``wats_public.api`` functions."""
        if self._public is None:
            import wats_public

            self._public = self._client(wats_public.AuthenticatedClient, {})
        return self._public

    @property
    def internal(self) -> wats_internal.AuthenticatedClient:
        """The ``wats_internal`` client (sends the Referer header the server wants on internal calls)."""
        if self._internal is None:
            import wats_internal

            self._internal = self._client(wats_internal.AuthenticatedClient, self._settings.internal_headers)
        return self._internal


class AsyncWATS:
    """The WATS client; close it with ``close()`` or use it as a context manager.

    ``AsyncWATS`` is the asyncio flavour, ``pyWATS`` the blocking one; both offer the same
    services and options.

    Arguments (all optional; ``base_url`` and ``token`` fall back to ``WATS_BASE_URL`` and
    ``WATS_AUTH_TOKEN``): ``timeout`` seconds per attempt, end to end, body included (30),
    ``process_refresh_interval`` seconds the process cache lives (300), ``error_mode``
    (``ErrorMode.STRICT``), ``retry_enabled`` (True) or a full ``retry_config``, ``station``
    stamped on reports, ``verify_ssl`` (True), ``http2`` (False; needs
    ``pip install pywats-api[http2]``), ``max_response_size`` bytes a response body may have
    (64 MiB; ``None`` for no limit; a larger one raises ``ResponseTooLargeError``), ``proxy``
    (a proxy URL, or ``"direct"``; by default ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` decide),
    ``enable_cache`` (False: every call asks the server; True keeps GET answers ``cache_ttl``
    seconds (300), at most ``cache_max_size`` (1000), see :mod:`pywats.core.response_cache`).
    ``api.stations`` holds further station identities. A bad argument raises ``ConfigurationError`` naming it.
    """

    @functools.partial(bound_arguments, error=ConfigurationError)
    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 30,
        process_refresh_interval: float = 300,
        error_mode: ErrorMode | str = ErrorMode.STRICT,
        retry_enabled: bool = True,
        retry_config: RetryConfig | None = None,
        station: Station | None = None,
        verify_ssl: bool = True,
        http2: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
        proxy: str | None = None,
        enable_cache: bool = False,
        cache_ttl: float = DEFAULT_CACHE_TTL,
        cache_max_size: int = DEFAULT_CACHE_MAX_SIZE,
    ) -> None:
        self._settings = resolve_settings(
            base_url=base_url,
            token=token,
            timeout=timeout,
            verify_ssl=verify_ssl,
            error_mode=error_mode,
            retry_enabled=retry_enabled,
            retry_config=retry_config,
            http2=http2,
            max_response_size=max_response_size,
        )
        if station is not None and not isinstance(station, Station):
            raise ConfigurationError(f"station must be a pywats.Station or None, not {type(station).__name__}")
        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise ConfigurationError(
                f"transport must be an httpx.AsyncBaseTransport or None, not {type(transport).__name__}"
            )
        #: The opt-in GET answer cache (None unless ``enable_cache=True``; see pywats.core.response_cache).
        self.response_cache = ResponseCache.configure(enable_cache, cache_ttl, cache_max_size)
        self.proxy = resolve_proxy(self._settings.base_url, proxy)
        inner = transport or httpx.AsyncHTTPTransport(verify=verify_ssl, http2=http2, limits=_LIMITS, proxy=self.proxy)
        gated = AsyncGatedTransport(inner, AsyncGate(_POOL_SIZE))
        self._transport = AsyncRetryTransport(
            gated, self._settings.retry, max_response_size=self._settings.max_response_size
        )
        self._headers = {
            "Authorization": self._settings.auth_header,
            "Accept": "application/json",
            "User-Agent": f"pywats/{__version__}",
        }
        self._lifetime = Lifetime()
        self._http = PyWATSHTTPClient(
            lifetime=self._lifetime,
            base_url=self._settings.base_url,
            headers=self._headers,
            timeout=self._settings.timeout,
            transport=self._transport,
            follow_redirects=True,
        )
        self.raw = AsyncRawClients(self._settings, self._transport, self._headers, self._lifetime)
        self._context = AsyncServiceContext(
            self._http,
            self._settings,
            station if station is not None else Station(),
            lambda cls: AsyncServiceSlot.instance(self, cls),
            self.response_cache,
        )
        self.stations = StationRegistry(self)
        # Options of one domain reach only that domain's service (see AsyncService.OPTIONS).
        self._domain_options: dict[str, Any] = {
            "process_refresh_interval": check_seconds(
                "process_refresh_interval", process_refresh_interval, allow_zero=True
            ),
        }
        self._services: dict[str, AsyncService] = {}
        self._closed = False
        logger.debug("created %r", self)

    # -- services: one line per domain (built on first use) --------------------------------------

    process: AsyncServiceSlot[AsyncProcessService] = AsyncServiceSlot("process", "AsyncProcessService")
    product: AsyncServiceSlot[AsyncProductService] = AsyncServiceSlot("product", "AsyncProductService")
    production: AsyncServiceSlot[AsyncProductionService] = AsyncServiceSlot("production", "AsyncProductionService")
    asset: AsyncServiceSlot[AsyncAssetService] = AsyncServiceSlot("asset", "AsyncAssetService")
    report: AsyncServiceSlot[AsyncReportService] = AsyncServiceSlot("report", "AsyncReportService")
    analytics: AsyncServiceSlot[AsyncAnalyticsService] = AsyncServiceSlot("analytics", "AsyncAnalyticsService")
    rootcause: AsyncServiceSlot[AsyncRootCauseService] = AsyncServiceSlot("rootcause", "AsyncRootCauseService")
    scim: AsyncServiceSlot[AsyncScimService] = AsyncServiceSlot("scim", "AsyncScimService")
    software: AsyncServiceSlot[AsyncSoftwareService] = AsyncServiceSlot("software", "AsyncSoftwareService")
    manual_inspection: AsyncServiceSlot[AsyncManualInspectionService] = AsyncServiceSlot(
        "manual_inspection", "AsyncManualInspectionService"
    )

    # -- configuration -------------------------------------------------------------------------

    @property
    def station(self) -> Station:
        """The test station stamped on the reports this client submits."""
        return self._context.station

    @station.setter
    def station(self, station: Station) -> None:
        self._context.station = station

    @property
    def base_url(self) -> str:
        """The server's address, as given or read from ``WATS_BASE_URL``."""
        return self._settings.base_url

    @property
    def timeout(self) -> float:
        """Seconds each attempt of a request may take, end to end."""
        return self._settings.timeout

    @property
    def error_mode(self) -> ErrorMode:
        """``ErrorMode.STRICT`` (not found raises) or ``ErrorMode.LENIENT`` (not found gives None)."""
        return self._settings.error_mode

    @property
    def retry_config(self) -> RetryConfig:
        """The retry policy in use; its ``stats`` count the retries made."""
        return self._settings.retry

    @property
    def process_refresh_interval(self) -> float:
        """Seconds the process list is cached before it is fetched again."""
        value: float = self._domain_options["process_refresh_interval"]
        return value

    def __repr__(self) -> str:
        # __init__ may have failed half-way (a debugger or a log line still shows the object).
        settings: Settings | None = getattr(self, "_settings", None)
        if settings is None:
            return f"{type(self).__name__}(<not configured>)"
        return f"{type(self).__name__}(base_url={settings.base_url!r}, error_mode={settings.error_mode.name})"

    # -- server ----------------------------------------------------------------------------------

    @uses(app_version)
    async def get_version(self) -> str | None:
        """The WATS server's version string (``GET /api/App/Version``)."""
        version = await self._context.call(app_version, app_version.request_kwargs(), parse_version)
        return version

    @uses(app_version)
    async def test_connection(self) -> bool:
        """True if the server answers 200 with its version and accepts the token. Never raises.

        A 200 that is not a version (a proxy's or single sign-on login page) is False.
        """
        try:
            version = await self._context.call(app_version, app_version.request_kwargs(), parse_version)
        except Exception as exc:  # a check: any failure is the answer False, logged for the curious
            logger.info("connection test failed: %s", exc)
            return False
        return version is not None

    @uses()
    async def check_server_compatibility(self) -> DiffReport:
        """How the connected server's API differs from the one this pywats was generated from.

        Fetches the server's API documents (``/swagger/docs/v1`` and ``/swagger/docs/internal``)
        and compares them with the committed snapshot. ``report.exit_code`` is 0 (same API),
        1 (only additions and other non-breaking changes) or 2 (something pywats relies on may
        break); ``report.to_text()`` lists each change with the pywats methods it affects.
        """
        from ..spec.inputs import load_surfaces, surfaces_from_documents
        from ..spec.normalise import load_overrides
        from ..spec.sources import SourceDocument

        documents = {}
        for key, package in load_overrides().packages.items():
            response = await self._context.fetch(
                "check_server_compatibility", package.server_path, internal=key == "internal"
            )
            documents[key] = SourceDocument(key, str(response.url), response.content)
        try:
            server = surfaces_from_documents(documents)
        except ValueError as exc:
            raise InvalidResponseError(
                f"the server's API documents could not be read: {exc}",
                operation="check_server_compatibility",
                cause=exc,
            ) from exc
        from ..spec.compare import compare_surfaces

        return compare_surfaces(load_surfaces(None), server, facade_uses_of(type(self)))

    # -- lifetime --------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the connection pool. Idempotent."""
        if not self._closed:
            self._closed = True
            self._lifetime.closed = True
            await self._http.aclose()

    async def __aenter__(self) -> AsyncWATS:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
