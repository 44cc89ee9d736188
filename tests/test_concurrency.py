"""Concurrency at scale and cancellation safety, over real sockets on 127.0.0.1 (issue 9, items 10 and 11).

Every test is bounded: fixed counts and a generous outer time limit that only proves "does not
hang"; nothing asserts on speed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from loopback import LoopbackServer, Reply, dead_url

from pywats import AsyncWATS, ConnectionError, RetryConfig, ServerError, TimeoutError, pyWATS
from pywats.core.gate import AsyncGate, SyncGate

TOKEN = base64.b64encode(b"operator:s3cret").decode()
VERSION = "/api/App/Version"


@contextlib.contextmanager
def server_process(*command: str) -> Iterator[str]:
    """A server in its own process (100 server threads in ours would starve the client of the GIL).

    ``command`` prints the server's URL as the first word or last word of its first line.
    """
    proc = subprocess.Popen(
        [sys.executable, *command], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        yield next(word for word in line if word.startswith("http://"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def loopback_process(delay: float) -> contextlib.AbstractContextManager[str]:
    script = (
        "import sys, time; from loopback import LoopbackServer, Reply; s = LoopbackServer();"
        f"s.route('GET', {VERSION!r}, Reply(json='24.1.0', delay={delay})); s.start();"
        "print(s.url, flush=True); time.sleep(3600)"
    )
    return server_process("-c", script)


def gate_of(api: AsyncWATS | pyWATS) -> AsyncGate | SyncGate:
    gate: AsyncGate | SyncGate = api._transport._inner.gate  # type: ignore[attr-defined]
    return gate


# -- the gate itself --------------------------------------------------------------------------------


def test_gate_rejects_zero_size() -> None:
    with pytest.raises(ValueError, match="at least one slot"):
        AsyncGate(0)
    with pytest.raises(ValueError, match="at least one slot"):
        SyncGate(0)


def test_async_gate_admits_in_arrival_order_and_skips_cancelled_waiters() -> None:
    async def main() -> list[int]:
        gate = AsyncGate(1)
        await gate.acquire()
        order: list[int] = []

        async def waiter(i: int) -> None:
            await gate.acquire()
            order.append(i)
            gate.release()

        tasks = [asyncio.create_task(waiter(i)) for i in range(6)]
        await asyncio.sleep(0)
        tasks[2].cancel()
        tasks[4].cancel()
        gate.release()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 10)
        assert gate.in_use == 0
        return order

    assert asyncio.run(main()) == [0, 1, 3, 5]


def test_async_gate_passes_on_a_slot_handed_to_a_waiter_cancelled_before_it_ran() -> None:
    async def main() -> None:
        gate = AsyncGate(1)
        await gate.acquire()
        first = asyncio.create_task(gate.acquire())
        second = asyncio.create_task(gate.acquire())
        await asyncio.sleep(0)
        gate.release()  # hands the slot to `first`...
        first.cancel()  # ...which is cancelled before it could take it
        await asyncio.wait_for(second, 10)  # hangs if the slot were lost with `first`
        assert first.cancelled()
        assert gate.in_use == 1

    asyncio.run(main())


def test_failed_exchanges_give_their_slots_back_async(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(status=503, json={"Message": "busy"}))

    async def main() -> list[object]:
        results: list[object] = []
        for url in (dead_url(), server.url):  # refused connections, then retried and failed statuses
            async with AsyncWATS(base_url=url, token=TOKEN, retry_config=RetryConfig(base_delay=0.0)) as api:
                results += await asyncio.gather(*(api.get_version() for _ in range(150)), return_exceptions=True)
                gate = gate_of(api)
                assert isinstance(gate, AsyncGate)
                assert gate.in_use == 0
        return results

    results = asyncio.run(asyncio.wait_for(main(), 120))
    assert [type(r) for r in results] == [ConnectionError] * 150 + [ServerError] * 150


def test_failed_exchanges_give_their_slots_back_sync(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(status=503, json={"Message": "busy"}))
    errors: list[type[BaseException]] = []

    def calls() -> None:
        for url in (dead_url(), server.url):
            with pyWATS(base_url=url, token=TOKEN, retry_config=RetryConfig(base_delay=0.0)) as api:
                for _ in range(150):  # one leaked slot per call would block the 101st for ever
                    try:
                        api.get_version()
                    except Exception as exc:  # collected and checked below
                        errors.append(type(exc))

    worker = threading.Thread(target=calls, daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive()
    assert errors == [ConnectionError] * 150 + [ServerError] * 150


# -- item 10: thousands in flight -----------------------------------------------------------------


def test_2000_concurrent_get_version_on_one_async_client_all_succeed() -> None:
    async def main(url: str) -> list[str | None]:
        async with AsyncWATS(base_url=url, token=TOKEN) as api:
            return await asyncio.gather(*(api.get_version() for _ in range(2000)))

    with server_process("-m", "pywats.simulator", "--token", TOKEN) as url:
        versions = asyncio.run(asyncio.wait_for(main(url), 240))
    assert len(versions) == 2000
    assert len(set(versions)) == 1
    assert versions[0]


@pytest.mark.parametrize("flavor", ["async", "sync"])
def test_requests_queued_behind_a_busy_pool_do_not_hit_the_pool_timeout(flavor: str) -> None:
    # 100 connections, each answer takes 0.4 s, 600 requests: the last ones wait at least 2 s for
    # a connection, longer than the 1.5 s pool timeout. Waiting before the pool is not a pool
    # timeout. (The attempt deadline, 30 s, counts from leaving the queue; it is generous because
    # this thread-per-connection test server answers reused async keep-alive connections unevenly:
    # seconds, not 0.4 s, with plain httpx too.)
    # The connect allowance is wide because a busy 2-core machine can leave SYNs unanswered for
    # tens of seconds; only the pool timeout is under test here.
    count = 600
    timeout = httpx.Timeout(30, connect=100, pool=1.5)
    with loopback_process(delay=0.4) as url:
        kwargs = {"base_url": url, "token": TOKEN, "retry_enabled": False}
        if flavor == "async":

            async def main() -> list[str | None]:
                async with AsyncWATS(**kwargs) as api:  # type: ignore[arg-type]
                    api._http.timeout = timeout
                    return await asyncio.gather(*(api.get_version() for _ in range(count)))

            versions = asyncio.run(asyncio.wait_for(main(), 240))
        else:
            with pyWATS(**kwargs) as api, ThreadPoolExecutor(max_workers=count) as pool:  # type: ignore[arg-type]
                api._http.timeout = timeout
                futures = [pool.submit(api.get_version) for _ in range(count)]
                versions = [f.result(timeout=240) for f in futures]
                assert gate_of(api).size == 100
    assert versions == ["24.1.0"] * count


@pytest.mark.parametrize("flavor", ["async", "sync"])
def test_a_pool_timeout_is_raised_at_once_not_retried(server: LoopbackServer, flavor: str) -> None:
    # A pool smaller than the gate (a user's own transport) can still run out: that is local
    # trouble, so the request fails with a clear error instead of retrying into the same pool.
    server.route("GET", VERSION, Reply(json="24.1.0", delay=1.0))
    retry = RetryConfig(max_attempts=5, base_delay=0.0, jitter=False)
    limits = httpx.Limits(max_connections=1)
    if flavor == "async":

        async def main() -> list[object]:
            api = AsyncWATS(
                base_url=server.url,
                token=TOKEN,
                retry_config=retry,
                transport=httpx.AsyncHTTPTransport(limits=limits),
            )
            async with api:
                api._http.timeout = httpx.Timeout(5, pool=0.3)  # a short pool wait, a patient read
                return await asyncio.gather(api.get_version(), api.get_version(), return_exceptions=True)

        results = asyncio.run(main())
    else:
        api = pyWATS(base_url=server.url, token=TOKEN, retry_config=retry, transport=httpx.HTTPTransport(limits=limits))
        api._http.timeout = httpx.Timeout(5, pool=0.3)
        with api, ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(api.get_version) for _ in range(2)]
            results = []
            for f in futures:
                try:
                    results.append(f.result(timeout=60))
                except Exception as exc:  # collected and checked below
                    results.append(exc)
    errors = [r for r in results if isinstance(r, Exception)]
    assert results.count("24.1.0") == 1, results
    assert len(errors) == 1 and isinstance(errors[0], TimeoutError), results
    assert "local pool" in str(errors[0])
    assert isinstance(errors[0].cause, httpx.PoolTimeout)
    assert retry.stats["total_retries"] == 0
    assert len(server.requests) == 1


# -- item 11: cancellation ---------------------------------------------------------------------------


def test_20000_cancelled_calls_leak_no_pool_slots(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(json="24.1.0"))
    rounds, per_round = 100, 200
    rng = random.Random(11)

    async def main() -> tuple[int, list[str | None], int]:
        # A short timeout makes a dead pool fail fast (PoolTimeout after 5 s) instead of hanging.
        async with AsyncWATS(base_url=server.url, token=TOKEN, timeout=5) as api:
            cancelled = 0
            for _ in range(rounds):
                tasks = [asyncio.create_task(api.get_version()) for _ in range(per_round)]
                # Cancel at varied points: queued, acquiring a connection, connecting, mid-exchange.
                for _ in range(rng.randrange(8)):
                    await asyncio.sleep(0)
                if rng.random() < 0.5:
                    await asyncio.sleep(rng.random() * 0.003)
                for task in tasks:
                    task.cancel()
                for result in await asyncio.gather(*tasks, return_exceptions=True):
                    cancelled += isinstance(result, asyncio.CancelledError)
            sent_while_cancelling = len(server.requests)
            versions = await asyncio.gather(*(api.get_version() for _ in range(150)))
            return cancelled, versions, sent_while_cancelling

    cancelled, versions, sent = asyncio.run(asyncio.wait_for(main(), 300))
    assert cancelled >= 19_000  # a few finish before their cancel lands; the rest were cancelled
    assert sent > 0  # some cancellations caught requests already on the wire, not only queued ones
    assert versions == ["24.1.0"] * 150


def test_cancelled_callers_free_their_slots_once_the_exchanges_end(server: LoopbackServer) -> None:
    # The answers take 3 s, far longer than reaching the cancel on a loaded 2-core machine, so the
    # 100 exchanges are still on the wire when `held` is sampled.
    server.route("GET", VERSION, Reply(json="24.1.0", delay=3.0))

    async def main() -> tuple[int, int, str | None]:
        async with AsyncWATS(base_url=server.url, token=TOKEN) as api:
            gate = gate_of(api)
            assert isinstance(gate, AsyncGate)
            tasks = [asyncio.create_task(api.get_version()) for _ in range(150)]
            while len(server.requests) < 100:  # the first 100 are on the wire, 50 wait in the gate
                await asyncio.sleep(0.01)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            held = gate.in_use  # the 100 exchanges still run, the 50 queued never start
            while gate.in_use:
                await asyncio.sleep(0.01)
            return held, len(server.requests), await api.get_version()

    held, sent, version = asyncio.run(asyncio.wait_for(main(), 60))
    assert held == 100
    assert sent == 100
    assert version == "24.1.0"


def test_closing_the_client_stops_orphaned_exchanges(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(json="24.1.0", delay=5.0))

    async def main() -> int:
        api = AsyncWATS(base_url=server.url, token=TOKEN)
        task = asyncio.create_task(api.get_version())
        while not server.requests:
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        gate = gate_of(api)
        assert isinstance(gate, AsyncGate)
        held = gate.in_use
        await api.close()  # must not wait out the 5 s answer
        return held - gate.in_use

    assert asyncio.run(asyncio.wait_for(main(), 30)) == 1


def test_sync_client_shares_one_gate_across_threads(server: LoopbackServer) -> None:
    server.route("GET", VERSION, Reply(json="24.1.0", delay=0.05))
    peak = 0
    lock = threading.Lock()
    with pyWATS(base_url=server.url, token=TOKEN) as api:
        gate = gate_of(api)
        assert isinstance(gate, SyncGate)
        original = gate.acquire
        inside = 0

        def counting_acquire() -> None:
            nonlocal inside, peak
            original()
            with lock:
                inside += 1
                peak = max(peak, inside)

        original_release = gate.release

        def counting_release() -> None:
            nonlocal inside
            with lock:
                inside -= 1
            original_release()

        gate.acquire = counting_acquire  # type: ignore[method-assign]
        gate.release = counting_release  # type: ignore[method-assign]
        with ThreadPoolExecutor(max_workers=150) as pool:
            versions = list(pool.map(lambda _: api.get_version(), range(300), timeout=120))
    assert versions == ["24.1.0"] * 300
    assert 1 <= peak <= 100
    assert inside == 0


def test_one_async_client_serves_successive_asyncio_runs(server: LoopbackServer) -> None:
    """A script's ``asyncio.run(a(api)); asyncio.run(b(api))``: the first loop's pooled connection
    died with it; the next loop must neither reuse nor close it (``RuntimeError: Event loop is closed``)."""
    server.route("GET", VERSION, Reply(json="24.1.0"))
    api = AsyncWATS(base_url=server.url, token=TOKEN)
    versions = [asyncio.run(api.get_version()) for _ in range(4)]
    gate = gate_of(api)
    assert isinstance(gate, AsyncGate) and gate.in_use == 0
    asyncio.run(api.close())
    assert versions == ["24.1.0"] * 4
    assert server.connections == 4  # a new connection for each loop
