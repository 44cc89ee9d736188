"""Proxies: ``proxy=`` or the environment (HTTP_PROXY/HTTPS_PROXY/NO_PROXY), over real HTTP.

The loopback server stands in for the proxy: a proxied request arrives with the absolute URL
in its request line, which the loopback routes by path and records.
"""

from __future__ import annotations

import asyncio
import base64

import pytest
from loopback import LoopbackServer, Reply, dead_url

import pywats
from pywats import AsyncWATS, ConfigurationError, pyWATS

TOKEN = base64.b64encode(b"u:p").decode()
VERSION = "/api/App/Version"
PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)


def test_http_proxy_from_the_environment(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.route("GET", VERSION, Reply(json="via-proxy"))
    monkeypatch.setenv("HTTP_PROXY", server.url)
    target = dead_url()  # nothing listens there: only the proxy can answer
    with pyWATS(base_url=target, token=TOKEN, retry_enabled=False) as api:
        assert api.proxy == server.url
        assert api.get_version() == "via-proxy"

    async def main() -> str | None:
        async with AsyncWATS(base_url=target, token=TOKEN, retry_enabled=False) as api:
            return await api.get_version()

    assert asyncio.run(main()) == "via-proxy"
    assert len(server.requests) == 2 and server.requests[0].headers["Authorization"] == f"Basic {TOKEN}"


def test_no_proxy_and_direct_bypass_it(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.route("GET", VERSION, Reply(json="direct"), Reply(json="direct"))
    monkeypatch.setenv("HTTP_PROXY", dead_url())  # a proxy that is down: using it would fail
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with pyWATS(base_url=server.url, token=TOKEN, retry_enabled=False) as api:
        assert api.proxy is None and api.get_version() == "direct"
    monkeypatch.delenv("NO_PROXY")
    with pyWATS(base_url=server.url, token=TOKEN, retry_enabled=False, proxy="direct") as api:
        assert api.proxy is None and api.get_version() == "direct"
    with pyWATS(base_url=server.url, token=TOKEN, retry_enabled=False) as api, pytest.raises(pywats.ConnectionError):
        api.get_version()  # the environment's (dead) proxy is used when nothing bypasses it


def test_explicit_proxy_argument(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(json="explicit"))
    with pyWATS(base_url=dead_url(), token=TOKEN, retry_enabled=False, proxy=server.url) as api:
        assert api.get_version() == "explicit"


@pytest.mark.parametrize("bad", ["ftp://proxy:21", "not a url", "http://"])
def test_a_bad_proxy_is_a_configuration_error_without_credentials(bad: str) -> None:
    with pytest.raises(ConfigurationError, match="proxy"):
        pyWATS(base_url="https://wats.example.com", token=TOKEN, proxy=bad)
    with pytest.raises(ConfigurationError) as info:
        pyWATS(base_url="https://wats.example.com", token=TOKEN, proxy="ftp://user:s3cret@proxy:21")
    assert "s3cret" not in str(info.value)
