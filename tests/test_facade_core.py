"""Facade core over real HTTP on 127.0.0.1: configuration, error modes, retries, safety, threads."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import logging
import threading
import time
import warnings
from typing import Any

import pytest
from flavors import Flavor, fast_retry
from loopback import LoopbackServer, Reply, dead_url
from wats_public.api.app import app_version

import pywats
from pywats import (
    AuthenticationError,
    AuthorizationError,
    ConfigurationError,
    ConflictError,
    EmptyResponseError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
    pyWATS,
)
from pywats.core.exceptions import ErrorMode

TOKEN = base64.b64encode(b"operator:s3cret-PASSWORD").decode()
VERSION = "/api/App/Version"


def kwargs(server: LoopbackServer, **kw: Any) -> dict[str, Any]:
    return {"base_url": server.url, "token": TOKEN, **kw}


# -- error-mode matrix ---------------------------------------------------------------------------

MATRIX = [
    # (reply, STRICT outcome, LENIENT outcome)
    (Reply(status=404, json={"Message": "not here"}), NotFoundError, None),
    (Reply(status=200, body=b""), EmptyResponseError, None),
    (Reply(status=200, body=b"null"), EmptyResponseError, None),
    (Reply(status=400, json={"Message": "bad"}), ValidationError, ValidationError),
    (Reply(status=401, json={"Message": "Authorization has been denied"}), AuthenticationError, AuthenticationError),
    (Reply(status=403, json={"Message": "forbidden"}), AuthorizationError, AuthorizationError),
    (Reply(status=409, json={"Message": "conflict"}), ConflictError, ConflictError),
    (Reply(status=500, json={"Message": "boom"}), ServerError, ServerError),
    (Reply(status=503, body=b"down"), ServerError, ServerError),
    (Reply(status=200, json="24.1.0"), "24.1.0", "24.1.0"),
]


@pytest.mark.parametrize("mode", [ErrorMode.STRICT, ErrorMode.LENIENT], ids=lambda m: m.name)
@pytest.mark.parametrize(("reply", "strict", "lenient"), MATRIX, ids=lambda x: str(getattr(x, "status", "")))
def test_error_mode_matrix(
    server: LoopbackServer, flavor: Flavor, mode: ErrorMode, reply: Reply, strict: Any, lenient: Any
) -> None:
    server.route("GET", VERSION, reply)
    expected = strict if mode is ErrorMode.STRICT else lenient
    kw = kwargs(server, error_mode=mode, retry_enabled=False)
    if isinstance(expected, type):
        with pytest.raises(expected) as info:
            flavor.run(kw, lambda api: api.get_version())
        assert info.value.status_code == reply.status
        assert info.value.operation == "get_version"
        assert info.value.response is not None and info.value.request is not None
    else:
        assert flavor.run(kw, lambda api: api.get_version()) == expected


@pytest.mark.parametrize("mode", [ErrorMode.STRICT, ErrorMode.LENIENT], ids=lambda m: m.name)
def test_network_failure_and_timeout_raise_in_both_modes(
    server: LoopbackServer, flavor: Flavor, mode: ErrorMode
) -> None:
    with pytest.raises(pywats.ConnectionError) as info:
        flavor.run(
            {"base_url": dead_url(), "token": TOKEN, "error_mode": mode, "retry_enabled": False},
            lambda api: api.get_version(),
        )
    assert isinstance(info.value, ConnectionError)  # the builtin too
    assert info.value.cause is not None
    server.route("GET", VERSION, Reply(json="1", delay=1.0))
    with pytest.raises(pywats.TimeoutError) as tinfo:
        flavor.run(kwargs(server, error_mode=mode, retry_enabled=False, timeout=0.2), lambda api: api.get_version())
    assert isinstance(tinfo.value, TimeoutError)


def test_server_message_and_validation_field_are_extracted(server: LoopbackServer, flavor: Flavor) -> None:
    server.route(
        "GET",
        VERSION,
        Reply(
            status=400, json={"Message": "The request is invalid.", "ModelState": {"product.PartNumber": ["required"]}}
        ),
    )
    with pytest.raises(ValidationError) as info:
        flavor.run(kwargs(server), lambda api: api.get_version())
    assert info.value.message == "The request is invalid."
    assert info.value.field == "PartNumber"
    assert info.value.details["ModelState"] == {"product.PartNumber": ["required"]}


def test_not_found_names_the_resource(server: LoopbackServer, flavor: Flavor) -> None:
    with pytest.raises(NotFoundError) as info:
        flavor.run(
            kwargs(server),
            lambda api: api._context.call(
                app_version,
                app_version.request_kwargs(),
                app_version.parse_response,
                resource_type="product",
                identifier="WIDGET-001",
            ),
        )
    assert (info.value.resource_type, info.value.identifier) == ("product", "WIDGET-001")
    assert "No HTTP resource" in info.value.message


def test_malformed_json_is_a_clear_error(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(body=b"{not json"))
    with pytest.raises(pywats.InvalidResponseError, match="could not be read") as info:
        flavor.run(kwargs(server), lambda api: api.get_version())
    assert info.value.details["body_excerpt"] == "{not json"


def test_an_html_page_is_named_as_such_with_what_to_do(server: LoopbackServer, flavor: Flavor) -> None:
    """A login page (200) or a gateway's error page (502) instead of WATS's JSON: said so, not dumped."""
    page = b"<!DOCTYPE html><html><head><style>body{}</style></head><body><h1>Sign in</h1></body></html>"
    server.route("GET", VERSION, Reply(body=page, headers={"Content-Type": "text/html; charset=utf-8"}))
    with pytest.raises(pywats.InvalidResponseError) as login:
        flavor.run(kwargs(server), lambda api: api.get_version())
    assert "an HTML page" in login.value.message and "base_url" in login.value.message
    assert "<" not in login.value.message and login.value.details["body_excerpt"].startswith("<!DOCTYPE")
    server.route("GET", VERSION, Reply(status=502, body=b"<html><body><h1>502 Bad Gateway</h1></body></html>"))
    with pytest.raises(pywats.ServerError) as gateway:
        flavor.run(kwargs(server, retry_enabled=False), lambda api: api.get_version())
    assert "502 Bad Gateway; the answer is an HTML error page" in gateway.value.message
    assert "try again later" in gateway.value.message and "<" not in gateway.value.message


def test_a_broken_off_answer_is_not_called_unreachable(server: LoopbackServer, flavor: Flavor) -> None:
    """"Cannot reach" sends an operator to check the address; a body cut short means the server was reached."""
    server.route("GET", VERSION, Reply(body=b'"24.1.0-and-more"', cut_at=4))
    with pytest.raises(pywats.ConnectionError) as cut:
        flavor.run(kwargs(server, retry_enabled=False), lambda api: api.get_version())
    assert "connection to the WATS server broke off during GET" in cut.value.message
    with pytest.raises(pywats.ConnectionError) as refused:
        flavor.run({"base_url": dead_url(), "token": TOKEN, "retry_enabled": False}, lambda api: api.get_version())
    assert "cannot reach the WATS server" in refused.value.message


# -- retries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_for_get(server: LoopbackServer, flavor: Flavor, status: int) -> None:
    server.route("GET", VERSION, Reply(status=status), Reply(status=status), Reply(json="9.9"))
    retry, sleep = fast_retry()
    assert flavor.run(kwargs(server, retry_config=retry), lambda api: api.get_version()) == "9.9"
    assert len(server.requests) == 3
    assert len(sleep.delays) == 2 and 0 <= sleep.delays[0] <= 1.0 and 0 <= sleep.delays[1] <= 2.0
    assert retry.stats["total_retries"] == 2
    assert retry.stats["total_retry_time"] == pytest.approx(sum(sleep.delays), abs=1e-5)


@pytest.mark.parametrize("status", [400, 401, 404, 501])
def test_other_statuses_are_not_retried(server: LoopbackServer, flavor: Flavor, status: int) -> None:
    server.route("GET", VERSION, Reply(status=status))
    retry, sleep = fast_retry()
    with pytest.raises(pywats.PyWATSError):
        flavor.run(kwargs(server, retry_config=retry), lambda api: api.get_version())
    assert len(server.requests) == 1 and sleep.delays == []


def test_attempts_are_capped_and_the_last_error_raised(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=503, json={"Message": "maintenance"}))
    retry, sleep = fast_retry(max_attempts=5, base_delay=2.0, max_delay=60.0)
    with pytest.raises(ServerError, match="maintenance"):
        flavor.run(kwargs(server, retry_config=retry), lambda api: api.get_version())
    assert len(server.requests) == 5
    assert [d <= b for d, b in zip(sleep.delays, [2, 4, 8, 16], strict=True)] == [True] * 4


def test_post_is_never_retried_put_and_delete_are(server: LoopbackServer, flavor: Flavor) -> None:
    from wats_public.models import PublicWatsFilter

    server.route("POST", "/api/App/DynamicRepair", Reply(status=503), Reply(json=[]))
    server.route("PUT", "/api/SystemManager/Client", Reply(status=502), Reply(json={}))
    server.route("DELETE", "/api/Asset", Reply(status=500), Reply(json={}))
    retry, _ = fast_retry()

    def body(api: Any) -> Any:
        from wats_public.api.app import app_dynamic_repair

        kw = app_dynamic_repair.request_kwargs(body=PublicWatsFilter())
        return api._context.call(app_dynamic_repair, kw, app_dynamic_repair.parse_response)

    with pytest.raises(ServerError):
        flavor.run(kwargs(server, retry_config=retry), body)
    assert [r.method for r in server.requests] == ["POST"]
    for method, path in (("PUT", "/api/SystemManager/Client"), ("DELETE", "/api/Asset")):
        server.requests.clear()
        put_ops = [k for k in __import__("wats_public.api").api.OPERATIONS if k == (method, path)]
        assert put_ops, (method, path)
        response = flavor.run(
            kwargs(server, retry_config=retry),
            lambda api, m=method, p=path: (
                api.raw.public.get_httpx_client().request(m, p)
                if flavor.name == "sync"
                else api.raw.public.get_async_httpx_client().request(m, p)
            ),
        )
        assert response.status_code == 200
        assert [r.method for r in server.requests] == [method, method]


def test_retry_after_seconds_is_honoured(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=429, headers={"Retry-After": "1"}), Reply(json="ok"))
    started = time.monotonic()
    assert flavor.run(kwargs(server), lambda api: api.get_version()) == "ok"
    assert time.monotonic() - started >= 1.0
    assert len(server.requests) == 2


def test_retry_after_http_date_is_honoured(server: LoopbackServer, flavor: Flavor) -> None:
    # HTTP dates have whole seconds: 3 s ahead leaves at least 2 s by the time it is parsed
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    server.route("GET", VERSION, Reply(status=503, headers={"Retry-After": when}), Reply(json="ok"))
    retry, sleep = fast_retry()
    assert flavor.run(kwargs(server, retry_config=retry), lambda api: api.get_version()) == "ok"
    assert 1.5 <= sleep.delays[0] <= 3.0


def test_retry_after_over_the_cap_is_not_waited_for(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=429, headers={"Retry-After": "500"}, json={"Message": "slow down"}))
    retry, sleep = fast_retry()
    with pytest.raises(RateLimitError) as info:
        flavor.run(kwargs(server, retry_config=retry), lambda api: api.get_version())
    assert info.value.retry_after == 500 and sleep.delays == []
    assert len(server.requests) == 1


def test_total_retry_budget_stops_retrying(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=503, headers={"Retry-After": "50"}))
    retry, sleep = fast_retry(max_attempts=10, max_total_time=120)
    with pytest.raises(ServerError):
        flavor.run(kwargs(server, retry_config=retry), lambda api: api.get_version())
    assert sleep.delays == [50, 50]


def test_retry_disabled(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(status=503), Reply(json="x"))
    retry, _ = fast_retry()
    with pytest.raises(ServerError):
        flavor.run(kwargs(server, retry_config=retry, retry_enabled=False), lambda api: api.get_version())
    assert len(server.requests) == 1


def test_dropped_connections_are_retried(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(drop=True), Reply(json="back"))
    retry, sleep = fast_retry()
    assert flavor.run(kwargs(server, retry_config=retry), lambda api: api.get_version()) == "back"
    assert len(sleep.delays) == 1


def test_no_connection_leak_after_100_retried_requests(server: LoopbackServer, flavor: Flavor) -> None:
    retry, sleep = fast_retry()
    replies = [r for _ in range(100) for r in (Reply(status=503), Reply(json="v"))]
    server.route("GET", VERSION, *replies, Reply(json="v"))

    def body(api: Any) -> Any:
        if flavor.name == "sync":
            return [api.get_version() for _ in range(100)]

        async def many() -> list[Any]:
            return [await api.get_version() for _ in range(100)]

        return many()

    assert flavor.run(kwargs(server, retry_config=retry), body) == ["v"] * 100
    assert len(server.requests) == 200 and len(sleep.delays) == 100
    assert server.connections <= 2


def test_default_retry_is_on_in_both_flavours(server: LoopbackServer, flavor: Flavor) -> None:
    stats = flavor.run(kwargs(server), lambda api: (api.retry_config.enabled, api.retry_config.max_attempts))
    assert stats == (True, 3)


# -- concurrency ---------------------------------------------------------------------------------


def test_one_sync_client_from_8_threads(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(json="1.0"))
    errors: list[BaseException] = []
    results: list[str] = []
    with pyWATS(**kwargs(server)) as api:

        def worker() -> None:
            for _ in range(50):
                try:
                    results.append(api.get_version())
                except BaseException as exc:
                    errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == [] and len(results) == 400


def test_sync_client_works_inside_a_running_event_loop(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(json="2.0"))
    api = pyWATS(**kwargs(server))

    async def main() -> str:
        return api.get_version()  # type: ignore[no-any-return]

    assert asyncio.run(main()) == "2.0"
    assert asyncio.run(main()) == "2.0"  # a second loop, same client
    api.close()


def test_async_client_concurrent_calls(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(json="3.0"))

    async def main() -> list[Any]:
        async with pywats.AsyncWATS(**kwargs(server)) as api:
            return await asyncio.gather(*(api.get_version() for _ in range(50)))

    assert asyncio.run(main()) == ["3.0"] * 50


def test_run_sync_outside_and_inside_a_loop() -> None:
    from pywats.core.sync_runner import run_sync

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    assert run_sync(answer()) == 42

    async def nested() -> int:
        return run_sync(answer())

    assert asyncio.run(nested()) == 42


# -- secrets -------------------------------------------------------------------------------------


def test_token_never_in_logs_repr_or_errors(
    server: LoopbackServer, flavor: Flavor, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("GET", VERSION, Reply(status=503), Reply(status=401, json={"Message": "denied"}))
    retry, _ = fast_retry()
    secrets = (TOKEN, "s3cret-PASSWORD")
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []

    def body(api: Any) -> Any:
        seen.append(repr(api))
        seen.append(repr(api._settings))
        return api.get_version()

    with pytest.raises(AuthenticationError) as info:
        flavor.run(kwargs(server, retry_config=retry), body)
    seen += [str(info.value), repr(info.value), repr(info.value.details), repr(info.value.request)]
    text = caplog.text + "\n".join(seen)
    assert "retrying GET" in caplog.text and "-> 401" in caplog.text
    for secret in secrets:
        assert secret not in text
    assert server.requests[0].headers["Authorization"] == f"Basic {TOKEN}"


def test_authorization_dropped_on_cross_origin_redirect(server: LoopbackServer, flavor: Flavor) -> None:
    other = LoopbackServer().start()
    try:
        other.route("GET", VERSION, Reply(json="elsewhere"))
        server.route("GET", VERSION, Reply(status=302, headers={"Location": other.url + VERSION}))
        assert flavor.run(kwargs(server), lambda api: api.get_version()) == "elsewhere"
        assert "Authorization" not in other.requests[0].headers
        server.requests.clear()
        server.route("GET", "/api/App/Moved", Reply(json="here"))
        server.route("GET", VERSION, Reply(status=301, headers={"Location": "/api/App/Moved"}))
        assert flavor.run(kwargs(server), lambda api: api.get_version()) == "here"
        assert server.requests[-1].headers["Authorization"] == f"Basic {TOKEN}"
    finally:
        other.stop()


# -- configuration -------------------------------------------------------------------------------


def test_environment_configuration(server: LoopbackServer, flavor: Flavor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATS_BASE_URL", server.url + "/")
    monkeypatch.setenv("WATS_AUTH_TOKEN", TOKEN)
    server.route("GET", VERSION, Reply(json="env"))
    assert flavor.run({}, lambda api: api.get_version()) == "env"
    assert flavor.run({}, lambda api: api.base_url) == server.url


@pytest.mark.parametrize("cls", [pywats.pyWATS, pywats.AsyncWATS])
def test_missing_configuration_names_what_is_missing(cls: type, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WATS_BASE_URL", "WATS_AUTH_TOKEN", "PYWATS_SERVER_URL", "PYWATS_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as info:
        cls()
    message = str(info.value)
    assert "base URL (pass base_url= or set WATS_BASE_URL or PYWATS_SERVER_URL)" in message
    assert "token (pass token= or set WATS_AUTH_TOKEN or PYWATS_API_TOKEN)" in message
    with pytest.raises(ConfigurationError, match="missing token"):
        cls(base_url="https://wats.example.com")


@pytest.mark.parametrize(
    ("url", "token", "message"),
    [
        ("wats.example.com", TOKEN, "absolute http:// or https:// URL"),
        ("ftp://wats.example.com", TOKEN, "absolute http:// or https:// URL"),
        ("https://user:pw@wats.example.com", TOKEN, "must not contain credentials"),
        (
            "https://wats.example.com/api",
            TOKEN,
            "ends with /api, which pywats adds itself: use 'https://wats.example.com'",
        ),
        ("https://wats.example.com/wats/API/", TOKEN, "use 'https://wats.example.com/wats'"),
        ("http://wats example.com", TOKEN, "space or '%' in its host name"),
        ("https://wats.example.com:99999", TOKEN, "port 99999; a port is 1 to 65535"),
        ("https://wats.example.com:0", TOKEN, "port 0"),
        ("https://wats.example.com", "not base64 at all!", "not valid base64"),
    ],
)
def test_malformed_configuration(url: str, token: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        pyWATS(base_url=url, token=token)
    assert token not in str(info.value) or token == TOKEN
    assert "pw@" not in str(info.value)


@pytest.mark.parametrize(
    ("status", "error", "advice"),
    [
        (401, AuthenticationError, "the server refused the API token: check the token"),
        (403, pywats.AuthorizationError, "ask a WATS administrator for the permission"),
    ],
)
def test_a_refusal_says_what_to_do_after_the_servers_words(
    server: LoopbackServer, flavor: Flavor, status: int, error: type[Exception], advice: str
) -> None:
    server.route("GET", VERSION, Reply(status=status, json={"Message": "Authorization has been denied"}))
    with pytest.raises(error) as info:
        flavor.run(kwargs(server), lambda api: api.get_version())
    text = str(info.value)
    assert text.startswith("get_version: Authorization has been denied") and advice in text
    assert TOKEN not in text and TOKEN not in repr(info.value)


def test_test_connection(server: LoopbackServer, flavor: Flavor) -> None:
    server.route("GET", VERSION, Reply(json="1"))
    assert flavor.run(kwargs(server), lambda api: api.test_connection()) is True
    server.route("GET", VERSION, Reply(status=401, json={"Message": "denied"}))
    assert flavor.run(kwargs(server), lambda api: api.test_connection()) is False
    assert (
        flavor.run({"base_url": dead_url(), "token": TOKEN, "retry_enabled": False}, lambda api: api.test_connection())
        is False
    )


# -- raw access, internal API ------------------------------------------------------------------


def test_raw_clients_share_auth_retry_and_errors(server: LoopbackServer) -> None:
    import wats_internal.api
    import wats_public.api

    server.route("GET", "/api/internal/Process/GetProcesses", Reply(status=503), Reply(json=[{"Code": 100}]))
    server.route("GET", VERSION, Reply(status=404, json={"Message": "gone"}))
    retry, sleep = fast_retry()
    with pyWATS(**kwargs(server, retry_config=retry)) as api:
        module = wats_internal.api.endpoint_module("GET", "/api/internal/Process/GetProcesses")
        with pytest.warns(pywats.InternalAPIWarning) as record:
            processes = module.sync(client=api.raw.internal)
        assert record[0].filename == __file__
        assert processes[0].code == 100
        assert len(sleep.delays) == 1
        request = server.requests[-1]
        assert request.headers["Authorization"] == f"Basic {TOKEN}"
        assert request.headers["Referer"] == server.url + "/"
        with pytest.raises(NotFoundError):
            wats_public.api.endpoint_module("GET", VERSION).sync(client=api.raw.public)


def test_raw_clients_report_retry_after_like_the_facade(server: LoopbackServer) -> None:
    import wats_public.api

    server.route("GET", VERSION, Reply(status=429, json={"Message": "slow down"}, headers={"Retry-After": "7"}))
    with pyWATS(**kwargs(server, retry_enabled=False)) as api:
        with pytest.raises(RateLimitError) as facade:
            api.get_version()
        with pytest.raises(RateLimitError) as raw:
            wats_public.api.endpoint_module("GET", VERSION).sync(client=api.raw.public)
    assert facade.value.retry_after == raw.value.retry_after == 7.0
    assert raw.value.operation == "raw" and raw.value.message == "slow down"


def test_a_stream_that_fails_while_its_body_is_read_raises_a_pywats_error(
    server: LoopbackServer, flavor: Flavor
) -> None:
    # each byte comes 0.3 s after the last: a read timeout of 0.1 s ends the download half-way
    server.route("GET", VERSION, Reply(body=b"0123456789", trickle=0.3))

    def body(api: Any) -> Any:
        kw = app_version.request_kwargs()
        if flavor.name == "sync":
            with api._context.stream(app_version, kw) as response:
                return b"".join(response.iter_bytes())

        async def read() -> bytes:
            async with api._context.stream(app_version, kw) as response:
                return b"".join([chunk async for chunk in response.aiter_bytes()])

        return read()

    with pytest.raises(pywats.TimeoutError) as info:
        flavor.run(kwargs(server, timeout=0.1, retry_enabled=False), body)
    assert info.value.operation == f"GET {VERSION}" and info.value.request is not None


def test_a_station_set_on_the_client_reaches_its_services(wats_simulator: Any, flavor: Flavor) -> None:
    from pywats import Station, StationConfig
    from pywats.tools.test_uut import TestUUT

    uut = TestUUT(part_number="WIDGET-001", serial_number="SN-STATION", revision="A", operator="me")
    uut.add_pass_fail_step("ok", True)

    def body(api: Any) -> Any:
        api.station = Station(config=StationConfig(station_name="EOL-3", location="Hall 9"))
        return api.report.submit_report(uut)

    rid = flavor.run({"base_url": wats_simulator.url, "token": wats_simulator.token}, body)
    stored = next(r for r in wats_simulator.store.collection("reports") if r["id"] == str(rid))
    assert (stored["machineName"], stored["location"]) == ("EOL-3", "Hall 9")


def test_a_service_reaches_another_through_its_context(server: LoopbackServer) -> None:
    from pywats.domains.process.service import ProcessService

    with pyWATS(**kwargs(server)) as api:
        assert api.production._context.service(ProcessService) is api.process
        with pytest.raises(LookupError, match="no service"):
            api.production._context.service(int)


# -- station, logging ---------------------------------------------------------------------------


def test_station(monkeypatch: pytest.MonkeyPatch, server: LoopbackServer) -> None:
    from pywats import Purpose, Station, StationConfig

    station = Station(config=StationConfig(station_name="ICT-01", location="Production Line A"))
    with pyWATS(**kwargs(server, station=station)) as api:
        assert api.station.name == "ICT-01" and api.station.location == "Production Line A"
    assert Purpose.TEST == 10 and StationConfig(station_name="x", purpose=10).purpose is Purpose.TEST
    for bad in ("", "   ", None):
        with pytest.raises(pywats.InvalidArgumentError, match="station_name"):
            StationConfig(station_name=bad)  # type: ignore[arg-type]
    monkeypatch.setenv("WATS_STATION_NAME", "FCT-07")
    with pyWATS(**kwargs(server)) as api:
        assert api.station.name == "FCT-07"


def test_enable_debug_logging_leaves_the_root_logger_alone() -> None:
    root_handlers = list(logging.getLogger().handlers)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pywats.enable_debug_logging()
        pywats.enable_debug_logging()
    pw = logging.getLogger("pywats")
    assert pw.level == logging.DEBUG
    assert sum(1 for h in pw.handlers if getattr(h, "_pywats_debug", False)) == 1
    assert logging.getLogger().handlers == root_handlers
    pw.handlers = [h for h in pw.handlers if not getattr(h, "_pywats_debug", False)]
    pw.setLevel(logging.NOTSET)


def test_unasync_output_is_current() -> None:
    from pywats._unasync import main

    assert main(["--check"]) == 0
