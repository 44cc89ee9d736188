"""``get_units_batch`` of 1,000 serial numbers vs a sequential loop, 20 ms injected latency (issue 12).

Prints times and the ratio; asserts nothing about time. Target: batch >= 8x faster than the
loop, no errors, in-flight requests bounded by ``max_concurrency`` (10).
Run: ``python -m tests.bench.bench_production``.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import quote

import httpx

from pywats import AsyncWATS, pyWATS
from pywats.simulator import Simulator

N = 1000
PART = "WIDGET-001"
DELAY = 0.02
LIMIT = 10


def main() -> None:
    serials = [f"BENCH-{i:05d}" for i in range(N)]
    with Simulator() as sim:
        headers = {"Authorization": f"Basic {sim.token}"}
        body = [{"serialNumber": sn, "partNumber": PART, "revision": "A"} for sn in serials]
        httpx.put(f"{sim.url}/api/Production/Units", json=body, headers=headers, timeout=60).raise_for_status()
        for sn in serials:
            sim.inject(f"/api/Production/Unit/{quote(sn, safe='')}/{PART}", delay=DELAY, times=None)

        with pyWATS(base_url=sim.url, token=sim.token) as api:
            t = time.perf_counter()
            looped = [api.production.get_unit(sn, PART) for sn in serials]
            loop_s = time.perf_counter() - t

            t = time.perf_counter()
            sync_batch = api.production.get_units_batch(serials, PART, max_concurrency=LIMIT)
            sync_s = time.perf_counter() - t

        async def run_async() -> list[object]:
            async with AsyncWATS(base_url=sim.url, token=sim.token) as aapi:
                return await aapi.production.get_units_batch(serials, PART, max_concurrency=LIMIT)

        t = time.perf_counter()
        async_batch = asyncio.run(run_async())
        async_s = time.perf_counter() - t

        for name, got in (("loop", looped), ("sync batch", sync_batch), ("async batch", async_batch)):
            missing = sum(1 for u in got if u is None)
            wrong = sum(1 for u, sn in zip(got, serials, strict=True) if u is not None and u.serial_number != sn)
            print(f"{name:12s} {len(got)} units, {missing} missing, {wrong} out of order")
        print(f"sequential loop  : {loop_s:7.2f} s ({N} x get_unit, {DELAY * 1000:.0f} ms injected each)")
        print(f"sync  batch ({LIMIT:2d}) : {sync_s:7.2f} s  -> {loop_s / sync_s:5.1f}x faster (target >= 8x)")
        print(f"async batch ({LIMIT:2d}) : {async_s:7.2f} s  -> {loop_s / async_s:5.1f}x faster (target >= 8x)")
        print(f"in flight at most {LIMIT} (max_concurrency; the ideal ratio is {LIMIT}x)")


if __name__ == "__main__":
    main()
