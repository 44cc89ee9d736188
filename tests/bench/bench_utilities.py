"""Seed 003's performance utilities, measured (nox -s bench). Prints figures; asserts nothing about time.

- ``batch_map`` of 1,000 facade calls with ``max_concurrent=10`` against a simulator that answers
  after 20 ms, against a sequential loop (issue 13 target: >= 8x);
- ``AsyncTTLCache`` hit cost in microseconds;
- ``Serializer`` json vs msgpack, size and round trips per second, on a real WSJF report
  (``$WATS_GUIDES_DIR/wsjf_uut_example.json``, default ``../shared/guides``).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

from pywats import AsyncWATS
from pywats.core.batching import batch_map
from pywats.core.cache import AsyncTTLCache
from pywats.core.performance import Serializer, msgpack_available
from pywats.simulator import Simulator

CALLS = 1000
LATENCY = 0.02
ROOT = Path(__file__).resolve().parents[2]


async def batch_vs_sequential(sim: Simulator) -> None:
    sim.inject("/api/App/Version", delay=LATENCY, times=None)
    async with AsyncWATS(base_url=sim.url, token=sim.token) as api:
        in_flight = peak = 0

        async def call(_: int) -> str | None:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await api.get_version()
            finally:
                in_flight -= 1

        started = time.perf_counter()
        sequential = [await call(i) for i in range(CALLS)]
        seq = time.perf_counter() - started
        peak = 0
        started = time.perf_counter()
        batched = await batch_map(items=range(CALLS), func=call, batch_size=100, max_concurrent=10)
        bat = time.perf_counter() - started
    errors = sum(v is None for v in batched)
    print(
        f"batch_map, {CALLS} calls at {LATENCY * 1000:.0f} ms: sequential {seq:.2f} s, batch_map {bat:.2f} s "
        f"-> {seq / bat:.1f}x faster (target >= 8x); errors {errors}, peak in flight {peak}, "
        f"same answers: {sequential == batched}"
    )


async def cache_hit_cost() -> None:
    cache = AsyncTTLCache[str](max_size=1000, default_ttl=300.0)
    async with cache:
        for i in range(1000):
            await cache.set(f"k{i}", "v")
        n = 200_000
        started = time.perf_counter()
        for i in range(n):
            await cache.get(f"k{i % 1000}")
        per = (time.perf_counter() - started) / n
    print(f"AsyncTTLCache hit: {per * 1e6:.2f} µs per get (hit rate {cache.stats.hit_rate:.1%})")


def serializer_on_a_report() -> None:
    path = Path(os.environ.get("WATS_GUIDES_DIR", ROOT.parent / "shared" / "guides")) / "wsjf_uut_example.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    for fmt in ("json", "msgpack"):
        if fmt == "msgpack" and not msgpack_available():
            print("msgpack not installed (pip install pywats-api[msgpack])")
            continue
        s = Serializer(fmt)
        payload = s.serialize(report)
        n = 300
        started = time.perf_counter()
        for _ in range(n):
            s.deserialize(s.serialize(report))
        rate = n / (time.perf_counter() - started)
        print(f"Serializer({fmt!r}) on {path.name}: {len(payload):,} bytes, {rate:,.0f} round trips/s")


def main() -> None:
    with Simulator() as sim:
        asyncio.run(batch_vs_sequential(sim))
    asyncio.run(cache_hit_cost())
    serializer_on_a_report()


if __name__ == "__main__":
    main()
