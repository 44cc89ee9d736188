"""A cold process cache during an outage (issue 9, item 5), measured (nox -s bench). Prints figures.

The simulator answers 503 for ever; ``max_attempts=3`` with 0.5 s between attempts. One caller
alone takes one retry cycle; 16 threads (and 16 tasks) share that one cycle's failure, and the
server sees ``max_attempts`` requests, not 16 times that. A stale cache whose refresh fails gives
every caller the stale list after the same single cycle.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pywats
from pywats import AsyncWATS, pyWATS
from pywats.simulator import Simulator

PROCESSES = "/api/App/Processes"
RETRY = pywats.RetryConfig(max_attempts=3, base_delay=0.5, max_delay=0.5, jitter=False)


def in_threads(api: pyWATS, n: int, name: str) -> list[object]:
    out: list[object] = []

    def worker() -> None:
        try:
            out.append(api.process.get_operation(name))
        except pywats.PyWATSError as exc:
            out.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def main() -> None:
    with Simulator() as sim:
        sim.inject(PROCESSES, status=503, times=None)
        with pyWATS(base_url=sim.url, token=sim.token, retry_config=RETRY) as api:
            started = time.monotonic()
            in_threads(api, 1, "ICT")
            print(f"one caller, cold cache: fails after {time.monotonic() - started:.2f} s")
        sim.requests.clear()
        with pyWATS(base_url=sim.url, token=sim.token, retry_config=RETRY) as api:
            started = time.monotonic()
            results = in_threads(api, 16, "ICT")
            failed = sum(isinstance(r, pywats.ServerError) for r in results)
            print(
                f"16 threads, cold cache: {failed}/16 failed after {time.monotonic() - started:.2f} s; "
                f"server saw {sim.count('GET', PROCESSES)} requests (max_attempts={RETRY.max_attempts})"
            )
        sim.requests.clear()

        async def tasks() -> tuple[float, list[object]]:
            async with AsyncWATS(base_url=sim.url, token=sim.token, retry_config=RETRY) as api:
                started = time.monotonic()
                got = await asyncio.gather(
                    *(api.process.get_operation("ICT") for _ in range(16)), return_exceptions=True
                )
                return time.monotonic() - started, list(got)

        elapsed, results = asyncio.run(tasks())
        failed = sum(isinstance(r, pywats.ServerError) for r in results)
        print(
            f"16 tasks, cold cache: {failed}/16 failed after {elapsed:.2f} s; "
            f"server saw {sim.count('GET', PROCESSES)} requests"
        )
        sim.reset()
        with pyWATS(base_url=sim.url, token=sim.token, retry_config=RETRY) as api:
            api.process.get_operation("ICT")
            api.process.refresh_interval = 0
            sim.inject(PROCESSES, status=503, times=None)
            sim.requests.clear()
            started = time.monotonic()
            results = in_threads(api, 16, "FCT")
            stale = sum(getattr(r, "name", None) == "FCT" for r in results)
            print(
                f"16 threads, stale cache: {stale}/16 got the stale list after {time.monotonic() - started:.2f} s; "
                f"server saw {sim.count('GET', PROCESSES)} requests"
            )


if __name__ == "__main__":
    main()
