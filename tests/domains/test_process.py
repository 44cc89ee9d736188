"""The Process domain against the simulator, sync and async."""

from __future__ import annotations

import asyncio
import math
import threading
import time
import warnings
from datetime import datetime
from typing import Any

import pytest
from flavors import Flavor

import pywats
from pywats import AsyncWATS, InvalidArgumentError, ServerError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.process import ProcessCode, ProcessInfo, ProcessType
from pywats.simulator import Simulator, default_processes

PROCESSES = "/api/App/Processes"
_IDS = {p["code"]: p["processId"] for p in default_processes()}
# Example calls for the framework's traffic test (tests/test_bindings.py): method -> (args, kwargs).
FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_processes": ((), {}),
    "get_all_operations": ((), {}),
    "get_test_operations": ((), {}),
    "get_repair_operations": ((), {}),
    "get_wip_operations": ((), {}),
    "get_operation": (("ICT",), {}),
    "get_process": (("ICT",), {}),
    "get_process_by_code": ((100,), {}),
    "get_test_operation": (("ICT",), {}),
    "get_repair_operation": (("Rework",), {}),
    "get_wip_operation": (("Assembly",), {}),
    "get_default_test_code": ((), {}),
    "refresh": ((), {}),
    "clear_cache": ((), {}),
    "get_all_processes": ((), {}),
    "get_process_by_name": (("FCT",), {}),
    "process_exists": ((100,), {}),
    "is_valid_test_operation": ((100,), {}),
    "is_valid_repair_operation": ((500,), {}),
    "is_valid_wip_operation": ((600,), {}),
    "list_process_codes": ((), {}),
    "list_process_names": ((), {}),
    "get_default_test_operation": ((), {}),
    "get_default_repair_operation": ((), {}),
    "get_default_repair_code": ((), {}),
    "get_processes_detailed": ((), {}),
    "get_process_detailed": ((_IDS[100],), {}),
    "get_repair_operation_configs": ((), {}),
    "get_repair_operation_config": ((_IDS[500], 500), {}),
    "get_repair_categories": ((500,), {}),
    "get_repair_codes": ((500, "Component"), {}),
    "get_fail_codes": ((500,), {}),
}


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def gather(api: Any, *calls: Any) -> Any:
    """Run several service calls: in order for pyWATS, concurrently for AsyncWATS."""
    if isinstance(api, AsyncWATS):

        async def run() -> list[Any]:
            return list(await asyncio.gather(*(call() for call in calls)))

        return run()
    return [call() for call in calls]


def test_lookups_by_code_name_and_description(wats_simulator: Simulator, flavor: Flavor) -> None:
    p = lambda api: api.process  # noqa: E731
    results = flavor.run(
        kw(wats_simulator),
        lambda api: gather(
            api,
            lambda: p(api).get_operation(100),
            lambda: p(api).get_operation("100"),
            lambda: p(api).get_operation("ict"),
            lambda: p(api).get_operation(" In-Circuit Test "),
            lambda: p(api).get_test_operation("Functional Test"),
            lambda: p(api).get_test_operation("FCT"),
            lambda: p(api).get_test_operation("Rework"),
            lambda: p(api).get_repair_operation("Rework"),
            lambda: p(api).get_wip_operation("Assembly"),
            lambda: p(api).get_operation("INVALID"),
            lambda: p(api).get_process_by_code(500),
            lambda: p(api).get_process(600),
        ),
    )
    ict_a, ict_b, ict_c, ict_d, fct_a, fct_b, not_test, rework, assembly, missing, repair, wip = results
    assert ict_a == ict_b == ict_c == ict_d and ict_a.name == "ICT"
    assert fct_a == fct_b and fct_a.code == 200
    assert not_test is None and missing is None
    assert rework.process_type is ProcessType.REPAIR and rework.code == 510
    assert assembly.process_type is ProcessType.WIP is ProcessType.ASSEMBLY
    assert repair.name == "Repair" and wip.name == "Assembly"
    assert wats_simulator.count("GET", PROCESSES) == 1


def test_process_info_fields(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        ict = api.process.get_operation("ICT")
    assert isinstance(ict, ProcessInfo)
    assert ict.code == 100 and ict.id == 100 and isinstance(ict.code, int) and isinstance(ict.code, ProcessCode)
    assert ict.code.startswith("1") and not ict.code.startswith("T")
    assert (ict.name, ict.description, ict.process_type) == ("ICT", "In-Circuit Test", ProcessType.TEST)
    assert ict.is_test_operation and not ict.is_repair_operation and ict.process_index == 0 and ict.state == 1
    assert f"{ict.code:<6}|" == "100   |" and f"{ict.process_type}" == "TEST"
    with pytest.raises(Exception):  # noqa: B017 - frozen model
        ict.name = "x"  # type: ignore[misc]


def test_lookup_argument_errors(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match=r"code_or_name must be an int or a string, not 1\.5"):
            api.process.get_operation(1.5)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="a process code is a number"):
            api.process.get_process_by_code("ICT")


def test_lists(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        p = api.process
        return gather(
            api,
            p.get_all_operations,
            p.get_processes,
            p.get_test_operations,
            p.get_repair_operations,
            p.get_wip_operations,
            p.get_default_test_code,
        )

    everything, processes, tests, repairs, wips, default = flavor.run(kw(wats_simulator), body)
    assert everything == processes and len(everything) == 11  # the inactive "Legacy ICT" is not listed
    assert {p.name for p in tests} == {"ICT", "AOI", "FCT", "Burn-in", "FVT"}
    assert {p.code for p in repairs} == {500, 510, 520}
    assert {p.name for p in wips} == {"Assembly", "Box Build", "Packaging"}
    assert default == 100


def test_internal_get_all_processes(wats_simulator: Simulator, flavor: Flavor) -> None:
    with pytest.warns(pywats.InternalAPIWarning, match="get_all_processes") as record:
        processes = flavor.run(kw(wats_simulator), lambda api: api.process.get_all_processes())
    assert record[0].filename == __file__
    assert len(processes) == 12
    legacy = next(p for p in processes if p.code == 900)
    assert legacy.state == 0 and legacy.process_id is not None and legacy.process_type is ProcessType.TEST
    request = wats_simulator.requests[-1]
    assert request.path == "/api/internal/Process/GetProcesses" and "Referer" in request.headers
    from pywats.domains.process.async_service import AsyncProcessService
    from pywats.domains.process.service import ProcessService

    for cls in (ProcessService, AsyncProcessService):
        assert (cls.get_all_processes.__doc__ or "").startswith("⚠️ INTERNAL API")


def test_public_methods_do_not_warn(wats_simulator: Simulator) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pyWATS(**kw(wats_simulator)) as api:
            api.process.get_all_operations()
            api.process.get_operation("ICT")


# -- cache -----------------------------------------------------------------------------------


def test_refresh_interval_defaults_and_setter(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        before = api.process.refresh_interval
        api.process.refresh_interval = 600
        return before, api.process.refresh_interval

    assert flavor.run(kw(wats_simulator), body) == (300, 600)
    assert flavor.run(kw(wats_simulator, process_refresh_interval=42), lambda api: api.process.refresh_interval) == 42
    with pyWATS(**kw(wats_simulator)) as api:
        for bad in (-1, math.nan, math.inf, "600", True, 1e12):
            with pytest.raises(pywats.InvalidArgumentError, match="refresh_interval"):
                api.process.refresh_interval = bad
        assert api.process.refresh_interval == 300


def test_auto_refresh_after_the_interval(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator, process_refresh_interval=0.3)) as api:
        api.process.get_operation("ICT")
        first = api.process.last_refresh
        api.process.get_operation("FCT")
        assert wats_simulator.count("GET", PROCESSES) == 1
        time.sleep(0.35)
        api.process.get_operation("FCT")
        assert wats_simulator.count("GET", PROCESSES) == 2
        assert api.process.last_refresh is not None and first is not None and api.process.last_refresh > first


def test_refresh_clear_and_stats(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        p = api.process
        if isinstance(api, AsyncWATS):

            async def run() -> Any:
                assert p.last_refresh is None
                await p.get_operation("ICT")
                await p.get_operation("FCT")
                await p.refresh()
                await p.clear_cache()
                assert p.last_refresh is None
                await p.get_operation("ICT")
                return p.cache_stats, p.last_refresh

            return run()
        assert p.last_refresh is None
        p.get_operation("ICT")
        p.get_operation("FCT")
        p.refresh()
        p.clear_cache()
        assert p.last_refresh is None
        p.get_operation("ICT")
        return p.cache_stats, p.last_refresh

    stats, last = flavor.run(kw(wats_simulator), body)
    assert wats_simulator.count("GET", PROCESSES) == 3
    assert (stats["hits"], stats["misses"], stats["size"], stats["refreshes"]) == (1, 2, 11, 3)
    assert stats["hit_rate"] == pytest.approx(1 / 3)
    assert isinstance(last, datetime) and last.tzinfo is None
    assert (datetime.now() - last).total_seconds() < 5


def test_50_concurrent_cold_lookups_make_one_request_async(wats_simulator: Simulator) -> None:
    wats_simulator.inject(PROCESSES, delay=0.2)  # a slow server widens the race

    async def main() -> list[Any]:
        async with AsyncWATS(**kw(wats_simulator)) as api:
            return list(await asyncio.gather(*(api.process.get_operation("ICT") for _ in range(50))))

    results = asyncio.run(main())
    assert all(r is not None and r.code == 100 for r in results)
    assert wats_simulator.count("GET", PROCESSES) == 1


def test_50_threads_cold_lookups_make_one_request_sync(wats_simulator: Simulator) -> None:
    wats_simulator.inject(PROCESSES, delay=0.2)
    results: list[Any] = []
    with pyWATS(**kw(wats_simulator)) as api:
        barrier = threading.Barrier(50)

        def worker() -> None:
            barrier.wait()
            results.append(api.process.get_operation("ICT"))

        threads = [threading.Thread(target=worker) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(results) == 50 and all(r is not None and r.code == 100 for r in results)
    assert wats_simulator.count("GET", PROCESSES) == 1


def test_failed_refresh_serves_previous_data(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        p = api.process
        p.refresh_interval = 0

        async def run() -> Any:
            first = await p.get_operation("ICT")
            wats_simulator.inject(PROCESSES, status=503, times=None)
            second = await p.get_operation("ICT")
            third = await p.get_operation("FCT")
            return first, second, third, p.cache_stats

        if isinstance(api, AsyncWATS):
            return run()
        first = p.get_operation("ICT")
        wats_simulator.inject(PROCESSES, status=503, times=None)
        return first, p.get_operation("ICT"), p.get_operation("FCT"), p.cache_stats

    first, second, third, stats = flavor.run(kw(wats_simulator, retry_enabled=False), body)
    assert first == second and third.name == "FCT"
    assert "503" in stats["last_error"]
    # one failed refresh, then the 30 s back-off: the server is not hammered
    assert wats_simulator.count("GET", PROCESSES) == 2


@pytest.mark.parametrize("mode", [ErrorMode.STRICT, ErrorMode.LENIENT], ids=lambda m: m.name)
def test_cold_failure_raises_per_error_mode(wats_simulator: Simulator, flavor: Flavor, mode: ErrorMode) -> None:
    wats_simulator.inject(PROCESSES, status=500, times=None)
    with pytest.raises(ServerError):
        flavor.run(
            kw(wats_simulator, error_mode=mode, retry_enabled=False), lambda api: api.process.get_operation("ICT")
        )
    wats_simulator.reset()
    wats_simulator.inject(PROCESSES, status=404, times=None)
    args = kw(wats_simulator, error_mode=mode, retry_enabled=False)
    if mode is ErrorMode.STRICT:
        with pytest.raises(pywats.NotFoundError):
            flavor.run(args, lambda api: api.process.get_all_operations())
    else:
        assert flavor.run(args, lambda api: api.process.get_all_operations()) == []


def test_explicit_refresh_raises(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator, retry_enabled=False)) as api:
        api.process.get_operation("ICT")
        wats_simulator.inject(PROCESSES, status=502)
        with pytest.raises(ServerError):
            api.process.refresh()
        assert api.process.get_operation("ICT") is not None  # previous data kept


def test_schema_invalid_process_list_is_a_clear_error(wats_simulator: Simulator) -> None:
    wats_simulator.inject(PROCESSES, status=200, json=[{"code": "not-a-number", "name": "X"}])
    with pyWATS(**kw(wats_simulator)) as api, pytest.raises(pywats.InvalidResponseError, match="could not be read"):
        api.process.get_operation("ICT")


# -- outages: shared failures, the cache never wiped, errors naming the method called ------------


def fast_retry(attempts: int = 3) -> pywats.RetryConfig:
    return pywats.RetryConfig(max_attempts=attempts, base_delay=0.2, max_delay=0.2, jitter=False)


def test_cold_cache_outage_16_threads_share_one_failure(wats_simulator: Simulator) -> None:
    wats_simulator.inject(PROCESSES, status=503, times=None)
    errors: list[BaseException] = []
    with pyWATS(**kw(wats_simulator, retry_config=fast_retry())) as api:
        started = time.monotonic()

        def worker() -> None:
            try:
                api.process.get_test_operation("ICT")
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        elapsed = time.monotonic() - started
    assert len(errors) == 16 and all(isinstance(e, ServerError) for e in errors)
    assert {e.operation for e in errors if isinstance(e, ServerError)} == {"get_test_operation"}
    # one caller's retry cycle (3 attempts), shared: not 16 cycles in a row
    assert wats_simulator.count("GET", PROCESSES) <= 3
    assert elapsed < 16 * 0.4  # generous: 16 serial cycles would take at least 6.4 s


def test_cold_cache_outage_16_tasks_share_one_failure(wats_simulator: Simulator) -> None:
    wats_simulator.inject(PROCESSES, status=503, times=None)

    async def main() -> list[BaseException | Any]:
        async with AsyncWATS(**kw(wats_simulator, retry_config=fast_retry())) as api:
            return await asyncio.gather(*(api.process.get_operation("ICT") for _ in range(16)), return_exceptions=True)

    results = asyncio.run(main())
    assert len(results) == 16 and all(isinstance(r, ServerError) for r in results)
    assert {r.operation for r in results} == {"get_operation"}
    assert wats_simulator.count("GET", PROCESSES) <= 3


def test_stale_cache_outage_16_threads_get_the_stale_list(wats_simulator: Simulator) -> None:
    results: list[Any] = []
    with pyWATS(**kw(wats_simulator, retry_config=fast_retry())) as api:
        api.process.get_operation("ICT")
        api.process.refresh_interval = 0
        wats_simulator.inject(PROCESSES, status=503, times=None)

        def worker() -> None:
            results.append(api.process.get_operation("FCT"))

        threads = [threading.Thread(target=worker) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert len(results) == 16 and all(r is not None and r.name == "FCT" for r in results)
    assert wats_simulator.count("GET", PROCESSES) <= 1 + 3


@pytest.mark.parametrize("answer", [{"status": 404}, {"empty": True}, {"status": 200, "json": None}], ids=str)
def test_lenient_refresh_never_wipes_the_cache(wats_simulator: Simulator, answer: dict[str, Any]) -> None:
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT, retry_enabled=False)) as api:
        assert api.process.get_operation("ICT") is not None
        api.process.refresh_interval = 0
        if answer.get("json", 1) is None:
            wats_simulator.inject(PROCESSES, status=200, body=b"null", times=None)
        else:
            wats_simulator.inject(PROCESSES, times=None, **answer)
        assert api.process.get_operation("ICT") is not None  # old list kept
        assert len(api.process.get_processes()) > 5
        assert api.process.cache_stats["last_error"]
        assert wats_simulator.count("GET", PROCESSES) == 2  # then the back-off


def test_errors_name_the_method_the_user_called(wats_simulator: Simulator, flavor: Flavor) -> None:
    wats_simulator.inject(PROCESSES, status=500, times=None)
    for call, name in (
        (lambda api: api.process.get_test_operation("X"), "get_test_operation"),
        (lambda api: api.process.get_wip_operations(), "get_wip_operations"),
        (lambda api: api.process.refresh(), "refresh"),
    ):
        with pytest.raises(ServerError) as info:
            flavor.run(kw(wats_simulator, retry_enabled=False), call)
        assert info.value.operation == name
        assert name in str(info.value)
