"""Facade overhead against raw httpx, measured side by side in one run (nox -s bench).

Prints ratios; it asserts nothing about time. Targets (issue 4): sync call <= 1.25x
httpx.Client.get().json(); async at 1 in flight <= 1.15x httpx.AsyncClient; async throughput
at 50 in flight >= 0.7x of at 4 in flight; `import pywats` <= 1.5x `import httpx` wall time,
peak RSS <= +8 MiB.
"""

from __future__ import annotations

import asyncio
import base64
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

import pywats

TOKEN = base64.b64encode(b"bench:bench").decode()
PATH = "/api/App/Version"


def best_rate(fn: Callable[[], float], rounds: int = 5) -> float:
    """Median of per-call seconds over rounds (fn returns seconds per call)."""
    return statistics.median(fn() for _ in range(rounds))


def sync_pair(url: str, n: int) -> tuple[float, float]:
    headers = {"Authorization": f"Basic {TOKEN}", "Accept": "application/json"}
    raw = httpx.Client(base_url=url, headers=headers)
    api = pywats.pyWATS(base_url=url, token=TOKEN)

    def raw_calls() -> float:
        t = time.perf_counter()
        for _ in range(n):
            raw.get(PATH).json()
        return (time.perf_counter() - t) / n

    def api_calls() -> float:
        t = time.perf_counter()
        for _ in range(n):
            api.get_version()
        return (time.perf_counter() - t) / n

    raw_calls(), api_calls()  # warm up
    results = [(raw_calls(), api_calls()) for _ in range(5)]
    raw.close(), api.close()
    return statistics.median(r for r, _ in results), statistics.median(a for _, a in results)


async def async_pair(url: str, n: int) -> tuple[float, float, float, float]:
    headers = {"Authorization": f"Basic {TOKEN}", "Accept": "application/json"}
    async with (
        httpx.AsyncClient(base_url=url, headers=headers) as raw,
        pywats.AsyncWATS(base_url=url, token=TOKEN) as api,
    ):

        async def raw_one() -> object:
            return (await raw.get(PATH)).json()

        async def sequential(call: Callable[[], object]) -> float:
            t = time.perf_counter()
            for _ in range(n):
                await call()  # type: ignore[misc]
            return (time.perf_counter() - t) / n

        async def concurrent(call: Callable[[], object], inflight: int) -> float:
            sem = asyncio.Semaphore(inflight)

            async def one() -> None:
                async with sem:
                    await call()  # type: ignore[misc]

            t = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(n)))
            return n / (time.perf_counter() - t)  # calls per second

        await sequential(raw_one), await sequential(api.get_version)
        seq = [(await sequential(raw_one), await sequential(api.get_version)) for _ in range(5)]
        await concurrent(api.get_version, 50)
        tput = [(await concurrent(api.get_version, 4), await concurrent(api.get_version, 50)) for _ in range(3)]
        raw_tput = [(await concurrent(raw_one, 4), await concurrent(raw_one, 50)) for _ in range(3)]
    return (
        statistics.median(r for r, _ in seq),
        statistics.median(a for _, a in seq),
        statistics.median(b / a for a, b in tput),
        statistics.median(b / a for a, b in raw_tput),
    )


def cache_hit_pair(n: int) -> tuple[float, float]:
    """A warm process lookup against a raw httpx round trip to the same simulator."""
    from pywats.simulator import Simulator

    with Simulator() as sim:
        raw = httpx.Client(base_url=sim.url, headers={"Authorization": f"Basic {sim.token}"})
        api = pywats.pyWATS(base_url=sim.url, token=sim.token)
        api.process.get_operation("ICT")

        def raw_calls() -> float:
            t = time.perf_counter()
            for _ in range(n):
                raw.get(PATH).json()
            return (time.perf_counter() - t) / n

        def hits() -> float:
            t = time.perf_counter()
            for _ in range(n * 20):
                api.process.get_operation("ICT")
            return (time.perf_counter() - t) / (n * 20)

        result = statistics.median(raw_calls() for _ in range(3)), statistics.median(hits() for _ in range(3))
        raw.close(), api.close()
    return result


def import_cost(module: str, rounds: int = 15) -> tuple[float, float]:
    # VmHWM, not ru_maxrss: the latter keeps the forking parent's high-water mark across exec
    code = (
        f"import time; t = time.perf_counter(); import {module}; d = time.perf_counter() - t;"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1];"
        "print(d, hwm)"
    )
    times, rss = [], []
    for _ in range(rounds):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        times.append(float(out[0]))
        rss.append(int(out[1]))
    return statistics.median(times), statistics.median(rss) / 1024


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
        n = 1000
        raw, api = sync_pair(url, n)
        print(
            f"sync   call: httpx {raw * 1e6:7.1f} us  pyWATS {api * 1e6:7.1f} us  "
            f"ratio {api / raw:.2f}x  (target <= 1.25x)"
        )
        araw, aapi, tput, raw_tput = asyncio.run(async_pair(url, n))
        print(
            f"async  call: httpx {araw * 1e6:7.1f} us  AsyncWATS {aapi * 1e6:7.1f} us  "
            f"ratio {aapi / araw:.2f}x  (target <= 1.15x)"
        )
        print(
            f"async  throughput 50 vs 4 in flight: AsyncWATS {tput:.2f}x  raw httpx {raw_tput:.2f}x  (target >= 0.7x)"
        )
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=10)
    raw_rt, hit = cache_hit_pair(500)
    print(
        f"process cache hit: {hit * 1e6:.2f} us vs raw httpx round trip {raw_rt * 1e6:.1f} us  "
        f"ratio {hit / raw_rt:.4f}x  (target <= 0.05x)"
    )
    hx_t, hx_rss = import_cost("httpx")
    pw_t, pw_rss = import_cost("pywats")
    print(f"import: httpx {hx_t * 1e3:.0f} ms  pywats {pw_t * 1e3:.0f} ms  ratio {pw_t / hx_t:.2f}x  (target <= 1.5x)")
    print(
        f"peak RSS: httpx {hx_rss:.1f} MiB  pywats {pw_rss:.1f} MiB  delta {pw_rss - hx_rss:+.1f} MiB  (target <= +8)"
    )


if __name__ == "__main__":
    main()
