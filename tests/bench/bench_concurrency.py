"""Throughput with thousands of requests in flight, and recovery after mass cancellation (nox -s bench).

Prints figures; asserts nothing about time. Targets (issue 9, items 10 and 11): AsyncWATS
throughput at 2000 in flight >= 0.7x of at 4 in flight, with every call succeeding; 20,000
cancelled in-flight calls leave the client able to serve 150 concurrent calls.
"""

from __future__ import annotations

import asyncio
import base64
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pywats

TOKEN = base64.b64encode(b"bench:bench").decode()
CALLS = 2000


async def throughput(api: pywats.AsyncWATS, inflight: int, n: int = CALLS) -> float:
    """Calls per second with ``inflight`` callers at a time; every call must succeed."""
    slots = asyncio.Semaphore(inflight)

    async def one() -> str | None:
        async with slots:
            return await api.get_version()

    started = time.perf_counter()
    results = await asyncio.gather(*(one() for _ in range(n)))
    elapsed = time.perf_counter() - started
    if results.count("24.1.0") != n:
        raise SystemExit(f"{n - results.count('24.1.0')} of {n} calls failed at {inflight} in flight")
    return n / elapsed


async def ratios(url: str) -> tuple[float, float, float]:
    async with pywats.AsyncWATS(base_url=url, token=TOKEN) as api:
        await throughput(api, CALLS)  # warm up: open the pool's connections
        pairs = [(await throughput(api, 4), await throughput(api, CALLS)) for _ in range(3)]
    low = statistics.median(a for a, _ in pairs)
    high = statistics.median(b for _, b in pairs)
    return low, high, statistics.median(b / a for a, b in pairs)


async def cancellations(url: str, rounds: int = 100, per_round: int = 200) -> tuple[int, float, float]:
    async with pywats.AsyncWATS(base_url=url, token=TOKEN, timeout=5) as api:
        started = time.perf_counter()
        cancelled = 0
        for i in range(rounds):
            tasks = [asyncio.create_task(api.get_version()) for _ in range(per_round)]
            for _ in range(i % 8):  # cancel at varied points of the exchange
                await asyncio.sleep(0)
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            cancelled += sum(isinstance(r, asyncio.CancelledError) for r in results)
        middle = time.perf_counter()
        versions = await asyncio.gather(*(api.get_version() for _ in range(150)))
        if versions != ["24.1.0"] * 150:
            raise SystemExit("calls after the cancellations failed")
        return cancelled, middle - started, time.perf_counter() - middle


def main() -> None:
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("serve.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        low, high, ratio = asyncio.run(ratios(url))
        print(
            f"async  throughput {CALLS} vs 4 in flight: {high:.0f}/s vs {low:.0f}/s  "
            f"ratio {ratio:.2f}x  (target >= 0.7x; all {CALLS} calls succeeded)"
        )
        cancelled, cancel_time, after_time = asyncio.run(cancellations(url))
        print(
            f"cancellation: {cancelled} cancelled calls in {cancel_time:.1f} s, "
            f"then 150 concurrent calls OK in {after_time:.2f} s"
        )
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
