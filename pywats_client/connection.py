"""How the station reaches its WATS server: one client factory and one verdict on the server's state.

:func:`make_client` builds every pyWATS client of the station (the service's uploader and health
probe, ``test-connection``, ``diagnose`` and the GUI's connection test), so they all honour the same
proxy, TLS verification, timeout and station name. :func:`check_server` asks the server for its
version, the cheapest authenticated call, and says in an operator's words what the answer means.
"""

from __future__ import annotations

import socket
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pywats
from pywats import PyWATSError, Station, StationConfig, pyWATS

from .config import ClientConfig

__all__ = [
    "REACHABLE",
    "TOKEN_REFUSED",
    "UNKNOWN",
    "UNREACHABLE",
    "ServerCheck",
    "check_server",
    "client_proxy",
    "describe_failure",
    "make_client",
    "proxy_for",
]

REACHABLE = "reachable"
UNREACHABLE = "unreachable"
TOKEN_REFUSED = "token_refused"
UNKNOWN = "unknown"


def proxy_for(config: ClientConfig) -> str | None:
    """The proxy URL requests to ``service_address`` go through, or None for a direct connection.

    ``manual``: ``proxy_url``. ``none``: None. ``system``: what the operating system says for that
    host: ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` and ``NO_PROXY`` (either case), and where no
    variable is set, the Windows registry or macOS settings (Python's ``urllib.request.getproxies``).
    """
    mode = config["proxy_mode"]
    if mode == "manual":
        config.check()
        return str(config["proxy_url"])
    if mode == "none" or not config["service_address"]:
        return None
    target = urlsplit(config["service_address"])
    host = target.hostname or ""
    if urllib.request.proxy_bypass(f"{host}:{target.port}" if target.port else host):
        return None
    proxies = urllib.request.getproxies()
    found = proxies.get(target.scheme) or proxies.get("all")
    if not found:
        return None
    return found if "://" in found else f"http://{found}"


def client_proxy(config: ClientConfig) -> str:
    """The ``proxy=`` a pyWATS client of this station is built with: :func:`proxy_for`, or "direct"
    (so the station's own setting, not its environment, decides)."""
    return proxy_for(config) or "direct"


def station_name(config: ClientConfig) -> str:
    """The station name stamped on reports: ``station_name``, else this computer's name."""
    return str(config["station_name"] or socket.gethostname() or "pywats-client")


def make_client(config: ClientConfig, *, timeout: float | None = None) -> pyWATS:
    """A pyWATS client for this station's server: its URL, token, proxy, ``verify_ssl``, ``timeout``
    (or ``timeout``), station name and location.

    The library's own retries are off: the service has its own back-off and health probe, and a
    connection test should answer at once.
    """
    config.check()
    station = Station(config=StationConfig(station_name=station_name(config), location=config["location"] or None))
    return pyWATS(
        base_url=config["service_address"],
        token=config["api_token"],
        station=station,
        timeout=config["timeout"] if timeout is None else timeout,
        verify_ssl=config["verify_ssl"],
        proxy=client_proxy(config),
        retry_enabled=False,
    )


@dataclass(frozen=True)
class ServerCheck:
    """What one look at the server found: ``state`` (reachable, unreachable, token_refused), an
    operator-readable ``detail`` and the server's ``version`` when it answered."""

    state: str
    detail: str
    version: str | None = None

    @property
    def ok(self) -> bool:
        return self.state == REACHABLE


def describe_failure(exc: BaseException, server: str) -> tuple[str, str]:
    """(state, what an operator reads) for a failed request to ``server``; no class paths, no library advice."""
    if isinstance(exc, pywats.AuthenticationError):
        return TOKEN_REFUSED, (
            "the server refused the API token (HTTP 401): set the right one with pywats-client config set api_token"
        )
    if isinstance(exc, pywats.AuthorizationError):
        return TOKEN_REFUSED, "the API token is not allowed to do this (HTTP 403): ask the WATS administrator"
    if isinstance(exc, pywats.TimeoutError):
        return UNREACHABLE, f"{server} did not answer in time"
    if isinstance(exc, pywats.ConnectionError):
        cause = exc.cause if isinstance(exc, PyWATSError) else None
        why = _short_cause(cause) if cause is not None else "the connection failed"
        return UNREACHABLE, f"cannot connect to {server} ({why})"
    if isinstance(exc, pywats.RateLimitError):
        return UNREACHABLE, f"{server} asks us to slow down (HTTP 429)"
    if isinstance(exc, pywats.ServerError):
        return UNREACHABLE, f"{server} has a problem (HTTP {getattr(exc, 'status_code', None) or '5xx'})"
    if isinstance(exc, pywats.InvalidResponseError | pywats.EmptyResponseError):
        return UNREACHABLE, f"{server} did not answer like a WATS server (a proxy or login page in the way?)"
    text = exc.message if isinstance(exc, PyWATSError) else str(exc)
    return UNREACHABLE, f"{server}: {text}"


def _short_cause(cause: BaseException) -> str:
    text = str(cause)
    # "[Errno 111] Connection refused" -> "connection refused"
    if "] " in text and text.startswith("[Errno"):
        text = text.split("] ", 1)[1]
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
        return "the server name cannot be resolved"
    if "certificate" in lowered:
        return f"TLS certificate problem: {text} (verify_ssl)"
    return (text[:1].lower() + text[1:]) if text else type(cause).__name__


def check_server(client: pyWATS, server: str) -> ServerCheck:
    """Ask ``client``'s server for its version (needs the token); never raises."""
    try:
        version = client.get_version()
    except Exception as exc:
        state, detail = describe_failure(exc, server)
        return ServerCheck(state, detail)
    if not version:
        return ServerCheck(UNREACHABLE, f"{server} answered without a version: not a WATS server?")
    return ServerCheck(REACHABLE, f"WATS {version} at {server}", version)


def server_label(config: ClientConfig | Any) -> str:
    """The server as an operator names it: scheme://host[:port] (no path, no credentials)."""
    parts = urlsplit(str(config["service_address"]))
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}" if parts.netloc else str(config["service_address"])
