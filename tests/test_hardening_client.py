"""Client hardening (issue 9, items 7, 8, 9, 12, 14, 15, 20) over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from flavors import Flavor, fast_retry
from loopback import LoopbackServer, Reply, dead_url

import pywats
from pywats import (
    AsyncWATS,
    AuthenticationError,
    ClientClosedError,
    ConfigurationError,
    InvalidResponseError,
    NotFoundError,
    PyWATSError,
    ResponseTooLargeError,
    RetryConfig,
    pyWATS,
)

ROOT = Path(__file__).resolve().parents[1]
TOKEN = base64.b64encode(b"operator:s3cret-PASSWORD").decode()
VERSION = "/api/App/Version"


def kwargs(server: LoopbackServer, **kw: Any) -> dict[str, Any]:
    return {"base_url": server.url, "token": TOKEN, **kw}


def raw_request(flavor: Flavor, client: Any, method: str, url: str, **kw: Any) -> Any:
    """A request through a generated client's httpx client, awaitable for the async flavour."""
    if flavor.name == "sync":
        return client.get_httpx_client().request(method, url, **kw)
    return client.get_async_httpx_client().request(method, url, **kw)


# -- 7: every exception is a PyWATSError ----------------------------------------------------------


def test_too_many_redirects_is_an_invalid_response(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=302, headers={"Location": VERSION}))
    with pytest.raises(InvalidResponseError, match="redirected too many times") as info:
        flavor.run(kwargs(server), lambda api: api.get_version())
    assert info.value.operation == "get_version" and isinstance(info.value.cause, httpx.TooManyRedirects)
    with pytest.raises(InvalidResponseError):
        flavor.run(kwargs(server), lambda api: raw_request(flavor, api.raw.public, "GET", VERSION))


def test_undecodable_body_is_an_invalid_response(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(body=b"this is not gzip", headers={"Content-Encoding": "gzip"}))
    with pytest.raises(InvalidResponseError, match="could not be decoded"):
        flavor.run(kwargs(server), lambda api: api.get_version())
    with pytest.raises(InvalidResponseError):
        flavor.run(kwargs(server), lambda api: raw_request(flavor, api.raw.public, "GET", VERSION))
    assert flavor.run(kwargs(server), lambda api: api.test_connection()) is False


def test_remote_protocol_error_is_a_connection_error(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(drop=True))
    with pytest.raises(pywats.ConnectionError) as info:
        flavor.run(kwargs(server, retry_enabled=False), lambda api: raw_request(flavor, api.raw.public, "GET", VERSION))
    assert isinstance(info.value.cause, httpx.RemoteProtocolError)


def test_unsendable_requests_are_configuration_errors_and_not_retried(server: LoopbackServer, flavor: Flavor) -> None:
    retry, sleep = fast_retry()
    bad_header = {"headers": {"X-Trace": "a\r\nInjected: yes"}}
    with pytest.raises(ConfigurationError) as info:
        flavor.run(
            kwargs(server, retry_config=retry),
            lambda api: raw_request(flavor, api.raw.public, "GET", VERSION, **bad_header),
        )
    assert isinstance(info.value.cause, httpx.LocalProtocolError)
    for url in ("ftp://127.0.0.1/x", "http://\x00/x"):
        with pytest.raises(ConfigurationError):
            flavor.run(
                kwargs(server, retry_config=retry), lambda api, u=url: raw_request(flavor, api.raw.public, "GET", u)
            )
    assert server.requests == [] and sleep.delays == []


def test_redirect_to_a_non_http_scheme_is_not_retried(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=302, headers={"Location": "ftp://127.0.0.1/version"}))
    retry, sleep = fast_retry()
    with pytest.raises(InvalidResponseError, match=r"redirected to a non-http\(s\) URL"):
        flavor.run(kwargs(server, retry_config=retry), lambda api: api.get_version())
    assert len(server.requests) == 1 and sleep.delays == []


def test_calls_after_close_raise_client_closed_error(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(json="1.0"))

    async def use_closed_async() -> list[Any]:
        api = AsyncWATS(**kwargs(server))
        raw = api.raw.public
        await api.close()
        outcomes: list[Any] = [await api.test_connection()]
        for call in (api.get_version, lambda: raw.get_async_httpx_client().get(VERSION)):
            try:
                await call()
            except BaseException as exc:
                outcomes.append(exc)
        return outcomes

    def use_closed_sync() -> list[Any]:
        api = pyWATS(**kwargs(server))
        raw = api.raw.public
        api.close()
        outcomes: list[Any] = [api.test_connection()]
        for call in (api.get_version, lambda: raw.get_httpx_client().get(VERSION)):
            try:
                call()
            except BaseException as exc:
                outcomes.append(exc)
        return outcomes

    outcomes = use_closed_sync() if flavor.name == "sync" else asyncio.run(use_closed_async())
    assert outcomes[0] is False
    assert len(outcomes) == 3
    for exc in outcomes[1:]:
        assert isinstance(exc, ClientClosedError) and isinstance(exc, RuntimeError)
    assert server.requests == []


@pytest.mark.parametrize(
    ("reply", "connected"),
    [
        (Reply(json="24.2.0"), True),
        (Reply(body=b"<html><body>Please log in</body></html>", headers={"Content-Type": "text/html"}), False),
        (Reply(json={"Version": "24.2.0"}), False),
        (Reply(json=""), False),
        (Reply(status=401, json={"Message": "denied"}), False),
    ],
)
def test_test_connection_is_true_only_for_a_version(
    server: LoopbackServer, flavor: Flavor, reply: Reply, connected: bool
) -> None:
    server.route("GET", VERSION, reply)
    assert flavor.run(kwargs(server), lambda api: api.test_connection()) is connected


def test_test_connection_never_raises(flavor: Flavor) -> None:
    for kw in ({"retry_enabled": False}, {"timeout": 0.5, "retry_enabled": False}):
        assert flavor.run({"base_url": dead_url(), "token": TOKEN, **kw}, lambda api: api.test_connection()) is False


def test_get_version_rejects_a_json_object(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(json={"Version": "24.2.0"}))
    with pytest.raises(InvalidResponseError, match="version"):
        flavor.run(kwargs(server), lambda api: api.get_version())


# -- 8: timeouts are deadlines --------------------------------------------------------------------


def test_trickling_server_times_out_at_the_deadline(server: LoopbackServer, flavor: Flavor) -> None:
    # 14 body bytes at 0.9 s each: every read is inside a 1 s read timeout, the whole takes 12.6 s.
    server.route("GET", VERSION, Reply(json="24.2.0-trickle", trickle=0.9))
    started = time.monotonic()
    with pytest.raises(pywats.TimeoutError):
        flavor.run(kwargs(server, timeout=1, retry_enabled=False), lambda api: api.get_version())
    elapsed = time.monotonic() - started
    print(f"\n[{flavor.name}] trickling server, timeout=1: TimeoutError after {elapsed:.2f} s")
    assert elapsed < 5  # generous: proves the deadline, not a speed


def test_raw_with_timeout_keeps_the_deadline(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(json="24.2.0-trickle", trickle=0.9))
    with pytest.raises(pywats.TimeoutError):
        flavor.run(
            kwargs(server, retry_enabled=False),
            lambda api: raw_request(flavor, api.raw.public.with_timeout(httpx.Timeout(1.0)), "GET", VERSION),
        )


# -- 9: bounded memory ----------------------------------------------------------------------------


def test_declared_size_over_the_limit_is_refused(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(json="x" * 5000))
    retry, sleep = fast_retry()
    with pytest.raises(ResponseTooLargeError, match="max_response_size") as info:
        flavor.run(kwargs(server, max_response_size=1000, retry_config=retry), lambda api: api.get_version())
    assert info.value.limit == 1000 and info.value.operation == "get_version"
    assert isinstance(info.value, InvalidResponseError)
    assert len(server.requests) == 1 and sleep.delays == []
    server.route("GET", VERSION, Reply(json="x" * 900))
    assert flavor.run(kwargs(server, max_response_size=1000), lambda api: api.get_version()) == "x" * 900


def test_undeclared_size_stops_reading_at_the_limit(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(endless=True))
    limit = 1024 * 1024
    with pytest.raises(ResponseTooLargeError):
        flavor.run(kwargs(server, max_response_size=limit, retry_enabled=False), lambda api: api.get_version())
    with pytest.raises(ResponseTooLargeError):
        flavor.run(
            kwargs(server, max_response_size=limit, retry_enabled=False),
            lambda api: raw_request(flavor, api.raw.public, "GET", VERSION),
        )
    time.sleep(0.2)  # the server thread notices the hang-up
    # socket buffers let the server get some MiB ahead, but nowhere near the 2 GiB it would send
    assert server.body_bytes_sent < 64 * limit


def test_default_response_size_limit_is_documented() -> None:
    from pywats.core.config import DEFAULT_MAX_RESPONSE_SIZE

    assert DEFAULT_MAX_RESPONSE_SIZE == 64 * 1024 * 1024
    assert "64 MiB" in (AsyncWATS.__doc__ or "")
    assert "| `max_response_size` | 64 MiB |" in (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


# -- 12: secrets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://admin:Hunter2pw@wats.example.com",
        "wats.example.com/?token=Hunter2pw",
        "https://admin:Hunter2pw@wats.example.com:notaport/",
        "https://wats.example.com:notaport/?token=Hunter2pw",
        "mailto:admin:Hunter2pw@wats.example.com",
    ],
)
def test_bad_base_url_errors_never_echo_credentials(url: str) -> None:
    with pytest.raises(ConfigurationError, match="base_url") as info:
        pyWATS(base_url=url, token=TOKEN)
    assert "Hunter2pw" not in str(info.value) and "Hunter2pw" not in repr(info.value)


def test_pickled_errors_carry_no_authorization(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=401, json={"Message": "denied"}))
    errors: list[PyWATSError] = []
    with pytest.raises(AuthenticationError) as auth:
        flavor.run(kwargs(server), lambda api: api.get_version())
    errors.append(auth.value)
    with pytest.raises(pywats.ConnectionError) as conn:
        flavor.run({"base_url": dead_url(), "token": TOKEN, "retry_enabled": False}, lambda api: api.get_version())
    errors.append(conn.value)
    assert auth.value.request is not None and "Authorization" in auth.value.request.headers  # there to leak
    for error in errors:
        data = pickle.dumps(error)
        assert TOKEN.encode() not in data and b"s3cret" not in data
        copy = pickle.loads(data)
        assert type(copy) is type(error)
        assert (copy.message, copy.operation, copy.status_code) == (error.message, error.operation, error.status_code)
        assert copy.request is not None and copy.request.url == error.request.url  # type: ignore[union-attr]
        assert "Authorization" not in copy.request.headers
    copy = pickle.loads(pickle.dumps(auth.value))
    assert copy.response is not None and copy.response.json() == {"Message": "denied"}


# -- 14: bad arguments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"timeout": "30"}, "timeout"),
        ({"timeout": None}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"base_url": 123}, "base_url"),
        ({"token": 123}, "token"),
        ({"process_refresh_interval": -1}, "process_refresh_interval"),
        ({"process_refresh_interval": "300"}, "process_refresh_interval"),
        ({"max_response_size": 0}, "max_response_size"),
        ({"max_response_size": "1MB"}, "max_response_size"),
        ({"retry_config": {"max_attempts": 3}}, "retry_config"),
        ({"retry_enabled": "no"}, "retry_enabled"),
        ({"error_mode": 5}, "error_mode"),
    ],
)
@pytest.mark.parametrize("cls", [pyWATS, AsyncWATS])
def test_bad_arguments_are_configuration_errors_naming_them(cls: type, kw: dict[str, Any], name: str) -> None:
    args = {"base_url": "https://wats.example.com", "token": TOKEN, **kw}
    with pytest.raises(ConfigurationError, match=name):
        cls(**args)


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_attempts": 2.5}, "max_attempts"),
        ({"base_delay": 5.0, "max_delay": 1.0}, "base_delay"),
        ({"base_delay": -1.0}, "base_delay"),
        ({"max_total_time": "300"}, "max_total_time"),
    ],
)
def test_bad_retry_config_is_a_configuration_error(kw: dict[str, Any], name: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        RetryConfig(**kw)


def test_token_of_the_wrong_type_is_not_echoed() -> None:
    with pytest.raises(ConfigurationError) as info:
        pyWATS(base_url="https://wats.example.com", token=987654321)  # type: ignore[arg-type]
    assert "987654321" not in str(info.value)


@pytest.mark.parametrize("cls", [pyWATS, AsyncWATS])
def test_repr_of_a_half_built_client(cls: Any) -> None:
    api = cls.__new__(cls)
    assert cls.__name__ in repr(api)
    with pytest.raises(ConfigurationError):
        api.__init__(base_url="https://wats.example.com", token=TOKEN, timeout="30")
    assert cls.__name__ in repr(api)


# -- 15: raw clients' copies keep pywats' transport ---------------------------------------------


def test_raw_with_headers_keeps_auth_retries_and_errors(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=503), Reply(json="1.0"))
    server.route("GET", "/api/App/Gone", Reply(status=404, json={"Message": "gone"}))
    retry, sleep = fast_retry()

    def body(api: Any) -> Any:
        traced = api.raw.public.with_headers({"X-Trace": "abc"}).with_cookies({"session": "1"})
        if flavor.name == "sync":
            response = raw_request(flavor, traced, "GET", VERSION)
            try:
                raw_request(flavor, traced, "GET", "/api/App/Gone")
            except NotFoundError as exc:
                raw_request(flavor, api.raw.public, "GET", VERSION)
                return response.json(), exc

        async def run() -> Any:
            response = await raw_request(flavor, traced, "GET", VERSION)
            try:
                await raw_request(flavor, traced, "GET", "/api/App/Gone")
            except NotFoundError as exc:
                await raw_request(flavor, api.raw.public, "GET", VERSION)
                return response.json(), exc

        return run()

    result, error = flavor.run(kwargs(server, retry_config=retry), body)
    assert result == "1.0" and error.status_code == 404
    assert len(sleep.delays) == 1
    first, retried, gone, plain = server.requests
    for request in (first, retried, gone):
        assert request.headers["Authorization"] == f"Basic {TOKEN}"
        assert request.headers["X-Trace"] == "abc" and "session=1" in request.headers["Cookie"]
    assert "X-Trace" not in plain.headers  # the original raw client is left alone


def test_raw_internal_with_headers_keeps_referer(server: LoopbackServer) -> None:
    server.route("GET", "/api/internal/Process/GetProcesses", Reply(json=[]))
    with pyWATS(**kwargs(server)) as api:
        client = api.raw.internal.with_headers({"X-Trace": "1"})
        client.get_httpx_client().get("/api/internal/Process/GetProcesses")
    request = server.requests[-1]
    assert request.headers["Referer"] == server.url + "/" and request.headers["X-Trace"] == "1"
    assert request.headers["Authorization"] == f"Basic {TOKEN}"


# -- 20: no unclosed client in the README --------------------------------------------------------


def test_readme_tour_leaves_nothing_unclosed() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## A tour\n.*?```python\n(.*?)```", text, re.DOTALL)
    assert code is not None
    assert "pyWATS(base_url=sim.url, token=sim.token) as api" in code.group(1)
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", "-c", code.group(1)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "ResourceWarning" not in result.stderr and "unclosed" not in result.stderr, result.stderr
    assert "Server version: " in result.stdout
