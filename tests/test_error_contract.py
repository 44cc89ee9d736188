"""The error contract's sharp edges: interrupted downloads, Ctrl-C in a batch, custom transports, report ids."""

from __future__ import annotations

import _thread
import asyncio
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import pywats
from pywats import AsyncWATS, pyWATS
from pywats.core.batch import batch_execute
from pywats.core.batching import batch_map
from tests.loopback import LoopbackServer, Reply

ASSET = str(uuid.uuid4())
MEGABYTE = bytes(range(256)) * 4096


@pytest.fixture
def loopback() -> Any:
    server = LoopbackServer().start()
    yield server
    server.stop()


def _download(url: str, target: Path, flavor: str) -> None:
    kw: dict[str, Any] = {"base_url": url, "token": "dTpw", "timeout": 1, "retry_enabled": False}
    with pytest.warns(pywats.InternalAPIWarning):
        if flavor == "sync":
            with pyWATS(**kw) as api:
                api.asset.download_blob_to(ASSET, "log.bin", target)
        else:

            async def main() -> None:
                async with AsyncWATS(**kw) as api:
                    await api.asset.download_blob_to(ASSET, "log.bin", target)

            asyncio.run(main())


@pytest.mark.parametrize("flavor", ["sync", "async"])
@pytest.mark.parametrize("reply", [Reply(body=MEGABYTE, cut_at=300_000), Reply(body=MEGABYTE, cut_at=300_000, stall=3)])
def test_an_interrupted_download_raises_a_pywats_error_and_leaves_no_file(
    loopback: LoopbackServer, tmp_path: Path, flavor: str, reply: Reply
) -> None:
    reply.headers = {"Content-Type": "application/octet-stream"}
    loopback.route("GET", "/api/internal/Blob/Asset", reply)
    target = tmp_path / "log.bin"
    with pytest.raises(pywats.PyWATSError):
        _download(loopback.url, target, flavor)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_a_complete_download_lands_whole(loopback: LoopbackServer, tmp_path: Path, flavor: str) -> None:
    loopback.route(
        "GET", "/api/internal/Blob/Asset", Reply(body=MEGABYTE, headers={"Content-Type": "application/octet-stream"})
    )
    target = tmp_path / "log.bin"
    _download(loopback.url, target, flavor)
    assert target.read_bytes() == MEGABYTE
    assert [p.name for p in tmp_path.iterdir()] == ["log.bin"]


def test_ctrl_c_stops_a_blocking_batch_within_one_items_time() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def slow(key: int) -> int:
        with lock:
            started.append(key)
        time.sleep(0.2)
        return key

    threading.Timer(0.3, _thread.interrupt_main).start()
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        batch_execute(list(range(40)), slow, max_workers=4)
    elapsed = time.monotonic() - t0
    time.sleep(0.5)  # items already running finish; none may start after the interrupt
    assert len(started) <= 12, f"{len(started)} of 40 items started after Ctrl-C at 0.3 s"
    assert elapsed < 1.5, f"the batch returned {elapsed:.2f} s after it started"


def test_batch_map_refuses_a_blocking_function_before_calling_it() -> None:
    calls: list[int] = []

    def blocking(key: int) -> int:
        calls.append(key)
        return key

    with pytest.raises(pywats.InvalidArgumentError, match="func"):
        asyncio.run(batch_map(items=[1, 2, 3], func=blocking))  # type: ignore[arg-type]
    assert calls == []


def _echo_version(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json="24.1.0")


def test_any_httpx_transport_serves_unlimited_calls_sync() -> None:
    with pyWATS(base_url="http://wats.test", token="dTpw", transport=httpx.MockTransport(_echo_version)) as api:
        for _ in range(10_000):
            assert api.get_version() == "24.1.0"


def test_any_httpx_transport_serves_unlimited_calls_async() -> None:
    async def main() -> None:
        transport = httpx.MockTransport(_echo_version)
        async with AsyncWATS(base_url="http://wats.test", token="dTpw", transport=transport) as api:
            for _ in range(10_000):
                assert await api.get_version() == "24.1.0"

    asyncio.run(main())


def test_respx_mocks_the_client() -> None:
    with respx.mock(base_url="http://wats.test", assert_all_called=True) as router:
        router.get("/api/App/Version").mock(return_value=httpx.Response(200, json="24.2.0"))
        with pyWATS(base_url="http://wats.test", token="dTpw") as api:
            for _ in range(300):
                assert api.get_version() == "24.2.0"


def test_a_report_id_is_fixed_on_the_users_object_before_the_first_send(loopback: LoopbackServer) -> None:
    from pywats.tools.test_uut import TestUUT

    loopback.route("POST", "/api/Report/WSJF", Reply(drop=True))
    uut = TestUUT(part_number="WIDGET-001", serial_number="SN-1", revision="A", id=None)
    with pyWATS(base_url=loopback.url, token="dTpw", timeout=2) as api, pytest.raises(pywats.ConnectionError) as caught:
        api.report.submit_report(uut)
    sent = loopback.requests[0].json()["id"]
    assert uut.id == sent == caught.value.details["report_id"]
