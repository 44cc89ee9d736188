"""The performance utilities of seed 003: TTL cache, batching, batch_execute, pagination, Serializer."""

from __future__ import annotations

import asyncio
import threading
import time
import warnings
from typing import Any

import pytest

import pywats
from pywats.core import Paginator, apaginate, batch_execute, collect_failures, collect_successes, paginate
from pywats.core.batching import BatchError, ChunkedBatcher, batch_map
from pywats.core.cache import AsyncTTLCache, TTLCache
from pywats.core.performance import Serializer, benchmark_serialization
from pywats.core.sync_runner import run_sync


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- AsyncTTLCache -----------------------------------------------------------------------------


def test_ttl_cache_expiry_lru_and_stats() -> None:
    clock = Clock()

    async def main() -> None:
        cache = AsyncTTLCache[str](max_size=2, default_ttl=10.0, clock=clock)
        async with cache:
            await cache.set("a", "A")
            await cache.set("b", "B", ttl=1.0)
            assert await cache.get("a") == "A"  # a is now the most recently used
            clock.now += 2
            assert await cache.get("b") is None  # expired after its own ttl
            await cache.set("c", "C")
            await cache.set("d", "D")  # evicts a, the least recently used
            assert await cache.get("a") is None
            assert await cache.get("c") == "C" and await cache.get("d") == "D"
            assert len(cache) == 2
            stats = cache.stats
            assert (stats.hits, stats.misses, stats.evictions, stats.expirations) == (3, 2, 1, 1)
            assert stats.hit_rate == pytest.approx(3 / 5)
        assert len(cache) == 0  # leaving the context clears it

    asyncio.run(main())


def test_ttl_cache_rejects_bad_settings_and_is_generic_at_runtime() -> None:
    with pytest.raises(ValueError, match="max_size"):
        AsyncTTLCache[dict](max_size=0)  # type: ignore[type-arg]
    with pytest.raises(ValueError, match="ttl"):
        AsyncTTLCache[int](default_ttl=-1)
    cache = TTLCache[int](max_size=10, default_ttl=None)
    threads = [threading.Thread(target=lambda i=i: [cache.set(i * 100 + j, j) for j in range(100)]) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 10 and cache.stats.evictions == 790


def test_process_cache_stats_and_clear_cache_as_the_seed_shows(wats_simulator: Any) -> None:
    from pywats import AsyncWATS

    async def main() -> tuple[float, int]:
        async with AsyncWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
            await api.process.get_processes()
            await api.process.get_processes()
            rate = api.process.cache_stats["hit_rate"]
            await api.process.clear_cache()
            await api.process.get_processes()
            return rate, wats_simulator.count("GET", "/api/App/Processes")

    rate, requests = asyncio.run(main())
    assert rate == pytest.approx(0.5) and requests == 2


# -- batching ----------------------------------------------------------------------------------


def test_batch_map_bounds_concurrency_keeps_order_and_every_result() -> None:
    in_flight = 0
    peak = 0

    async def func(i: int) -> int:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.001)
        in_flight -= 1
        if i in (7, 300):
            raise ValueError(f"bad {i}")
        return i * 2

    async def main() -> None:
        assert await batch_map(items=range(5), func=func, batch_size=2, max_concurrent=3) == [0, 2, 4, 6, 8]
        with pytest.raises(BatchError) as info:
            await batch_map(items=(i for i in range(500)), func=func, batch_size=50, max_concurrent=10)
        assert [i for i, _ in info.value.errors] == [7, 300]
        assert info.value.results[8] == 16 and info.value.results[499] == 998 and info.value.results[7] is None

    asyncio.run(main())
    assert peak == 10


def test_chunked_batcher_sync_and_async_processors() -> None:
    seen: list[list[int]] = []

    async def processor(chunk: list[int]) -> list[int]:
        seen.append(chunk)
        await asyncio.sleep(0)
        return [x + 1 for x in chunk]

    async def main() -> None:
        async with ChunkedBatcher(processor=lambda c: processor(c), chunk_size=4, max_concurrent=2) as batcher:
            assert await batcher.process(range(10)) == list(range(1, 11))
        assert sorted(len(c) for c in seen) == [2, 4, 4]
        failing = ChunkedBatcher(processor=lambda c: 1 / 0 if 5 in c else c, chunk_size=5, max_concurrent=2)
        with pytest.raises(BatchError) as info:
            await failing.process(range(15))
        assert [i for i, _ in info.value.errors] == [1] and info.value.results[2] == [10, 11, 12, 13, 14]

    asyncio.run(main())


def test_batch_execute_keeps_every_outcome_in_key_order() -> None:
    def operation(key: str) -> str:
        if key == "PN-003":
            raise LookupError("no such product")
        time.sleep(0.01)
        return key.lower()

    results = batch_execute(keys=[f"PN-00{i}" for i in range(1, 6)], operation=operation, max_workers=5)
    assert [r.key for r in results] == ["PN-001", "PN-002", "PN-003", "PN-004", "PN-005"]
    assert collect_successes(results) == ["pn-001", "pn-002", "pn-004", "pn-005"]
    [(key, error)] = collect_failures(results)
    assert key == "PN-003" and isinstance(error, LookupError)
    with pytest.raises(ValueError, match="max_workers"):
        batch_execute(keys=[1], operation=str, max_workers=0)


# -- pagination ----------------------------------------------------------------------------------


class Page:
    def __init__(self, items: list[int], total: int) -> None:
        self.items, self.total_count = items, total


def make_api(total: int) -> tuple[Any, list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []

    def fetch_page(start_index: int, count: int) -> Page:
        calls.append((start_index, count))
        return Page(list(range(start_index, min(start_index + count, total + 1))), total)

    return fetch_page, calls


def test_paginate_is_lazy_and_stops_at_the_total() -> None:
    fetch, calls = make_api(120)
    items = paginate(fetch_page=fetch, get_items=lambda r: r.items, get_total=lambda r: r.total_count, page_size=50)
    assert next(items) == 1 and calls == [(1, 50)]  # only the first page so far
    assert len(list(items)) == 119 and calls == [(1, 50), (51, 50), (101, 50)]


def test_paginator_max_items_on_page_and_short_page_without_total() -> None:
    fetch, calls = make_api(1000)
    progress: list[tuple[int, int, int | None]] = []
    pager = Paginator(
        fetch, lambda r: r.items, lambda r: r.total_count, 30, max_items=70, on_page=lambda *a: progress.append(a)
    )
    assert list(pager) == list(range(1, 71))
    assert calls == [(1, 30), (31, 30), (61, 10)] and progress[-1] == (3, 70, 1000) and pager.pages == 3
    fetch, calls = make_api(45)
    assert len(list(paginate(fetch, lambda r: r.items, page_size=20))) == 45 and len(calls) == 3


def test_async_paginate() -> None:
    fetch, calls = make_api(25)

    async def afetch(start: int, count: int) -> Page:
        return fetch(start, count)

    async def main() -> list[int]:
        return [i async for i in apaginate(afetch, lambda r: r.items, lambda r: r.total_count, page_size=10)]

    assert asyncio.run(main()) == list(range(1, 26)) and len(calls) == 3


# -- Serializer ----------------------------------------------------------------------------------


def test_serializer_round_trips_and_msgpack_is_smaller() -> None:
    data = {"part_number": "WIDGET-001", "values": [1, 2, 3], "nested": {"ok": True, "x": 1.5}}
    for fmt in ("json", "msgpack"):
        s = Serializer(format=fmt)
        assert s.format == fmt and s.deserialize(s.serialize(data)) == data
    assert len(Serializer("msgpack").serialize(data)) < len(Serializer("json").serialize(data))
    results = benchmark_serialization(data, iterations=50)
    assert set(results) == {"json", "msgpack"} and all(r["ops_per_sec"] > 0 for r in results.values())
    with pytest.raises(ValueError, match="format"):
        Serializer(format="xml")


def test_serializer_falls_back_to_json_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "msgpack", None)  # import msgpack now raises ImportError
    with pytest.warns(RuntimeWarning, match="falls back to JSON"):
        s = Serializer(format="msgpack")
    assert s.format == "json" and s.deserialize(s.serialize({"a": 1})) == {"a": 1}
    assert set(benchmark_serialization({"a": 1}, iterations=5)) == {"json"}


def test_serializer_writes_models_dates_and_uuids() -> None:
    import datetime
    import uuid

    from pywats.domains.process import ProcessInfo

    p = ProcessInfo.model_validate({"code": 100, "name": "ICT", "isTestOperation": True})
    when = datetime.datetime(2026, 1, 2, 3, 4, 5)
    ident = uuid.UUID(int=5)
    out = Serializer("json").deserialize(Serializer("json").serialize({"p": p, "when": when, "id": ident}))
    assert out["p"]["code"] == 100 and out["when"] == "2026-01-02T03:04:05" and out["id"] == str(ident)


# -- run_sync ----------------------------------------------------------------------------------


def test_run_sync_outside_and_inside_a_running_loop() -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    assert run_sync(answer()) == 42

    async def inside() -> int:
        return run_sync(answer())  # a running loop in this thread: must not deadlock

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert asyncio.run(inside()) == 42


# -- core.wire: the domains' helper kit -------------------------------------------------------


def test_odata_params_spells_only_the_options_given() -> None:
    from pywats.core.wire import odata_params

    assert odata_params() == {}
    assert odata_params("a eq 1", 5, 0, "start desc", ["subUnits", "miscInfo"]) == {
        "filter_": "a eq 1",
        "top": 5,
        "skip": 0,
        "orderby": "start desc",
        "expand": "subUnits,miscInfo",
    }
    assert odata_params("  ", orderby="") == {}  # blank text is no option
    for bad in ({"top": -1}, {"skip": True}, {"filter": 3}, {"expand": [1]}):
        with pytest.raises(pywats.InvalidArgumentError, match=next(iter(bad))):
            odata_params(**bad)  # type: ignore[arg-type]


def test_argument_checks_name_the_argument_what_was_given_and_expected() -> None:
    from pywats.core.wire import count, guid, positive, text

    with pytest.raises(pywats.InvalidArgumentError, match=r"^serial must be a non-empty string, not ' '$"):
        text("serial", " ")
    with pytest.raises(ValueError, match=r"^n must be a non-negative integer, not True$"):
        count("n", True)
    with pytest.raises(pywats.InvalidArgumentError, match=r"^size must be a positive integer, not 0$"):
        positive("size", 0)
    with pytest.raises(pywats.InvalidArgumentError, match=r"^id must be a UUID, not 'x{76}\.\.\.$"):
        guid("id", "x" * 500)  # a long value is cut, never repeated whole
    assert positive("size", 3) == 3 and str(guid("id", " 6f1c9a6e-8d3e-4c43-9d5e-0a1b2c3d4e5f ")).startswith("6f1c")


def test_aliases_accept_either_spelling_but_not_both() -> None:
    async def call(**kw: Any) -> list[int]:
        return await batch_map(items=range(3), func=lambda i: asyncio.sleep(0, i), **kw)

    assert asyncio.run(call(max_concurrent=2)) == asyncio.run(call(max_workers=2)) == [0, 1, 2]
    with pytest.raises(pywats.InvalidArgumentError, match="max_concurrent is another name for max_workers"):
        asyncio.run(call(max_concurrent=2, max_workers=2))


def test_synonyms_read_and_write_their_target_and_a_missing_target_fails_at_definition() -> None:
    from pywats.core.model import FacadeModel, Synonym
    from pywats.domains.production.models import Unit
    from pywats.domains.report.models import UUTReport

    report = UUTReport(pn="PN-1", sn="SN-1", rev="A", process_code=10, station_name="st", location="l", purpose="p")
    assert (report.part_number, report.serial_number, report.revision) == ("PN-1", "SN-1", "A")
    with pytest.raises(AttributeError, match="part_number"):
        report.part_number = "PN-2"  # type: ignore[assignment]
    assert report.pn == "PN-1"
    report.operator = "alice"
    assert report.info is not None and report.info.user == "alice"

    unit = Unit(serialNumber="S", partNumber="P", unitPhase="Finalized")
    unit.location = "Bay 2"
    assert (unit.current_location, unit.current_phase, unit.status) == ("Bay 2", "Finalized", "Finalized")

    with pytest.raises((TypeError, RuntimeError)) as caught:  # a TypeError, wrapped in a RuntimeError before 3.12

        class Broken(FacadeModel):
            value: int = 0
            other = Synonym[int]("valu", "A misspelt target.")

    assert "'valu'" in f"{caught.value} {caught.value.__cause__}"
