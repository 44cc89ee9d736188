"""Which HTTP proxy a client uses: the ``proxy=`` argument, else the environment, else none.

pyWATS builds its own httpx transport (for the pool gate and deadlines), and httpx reads the
proxy variables only for clients it builds the transport of; so the decision is made here, once,
for the one server a client talks to: ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` (any case)
by the base URL's scheme, unless ``NO_PROXY`` names its host (the standard library's rules).
"""

from __future__ import annotations

import urllib.request

import httpx

from .exceptions import ConfigurationError
from .logging import redact_url

__all__ = ["DIRECT", "resolve_proxy"]

DIRECT = "direct"  # proxy="direct": never a proxy, whatever the environment says


def resolve_proxy(base_url: str, proxy: str | None) -> str | None:
    """The proxy URL for ``base_url`` (None: connect directly)."""
    if proxy is not None:
        if not isinstance(proxy, str):
            raise ConfigurationError(f"proxy must be a URL string or 'direct', not {type(proxy).__name__}")
        if proxy.strip().lower() == DIRECT:
            return None
        try:
            url = httpx.URL(proxy.strip())
        except (httpx.InvalidURL, TypeError):
            url = None
        if url is None or url.scheme not in ("http", "https", "socks5", "socks5h") or not url.host:
            raise ConfigurationError(
                f"proxy {redact_url(proxy)!r} must be an http://, https:// or socks5:// URL, or 'direct'"
            )
        return proxy.strip()
    target = httpx.URL(base_url)
    if urllib.request.proxy_bypass(target.host):  # NO_PROXY (and the OS's bypass list)
        return None
    found = urllib.request.getproxies()
    return found.get(target.scheme) or found.get("all") or None
