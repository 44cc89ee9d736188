"""``api.product.get_product()`` overhead against raw httpx, side by side in one run.

    python -m tests.bench.bench_product

The server is a loopback in its own process answering ``GET /api/Product/WIDGET-001`` with the
simulator's seeded WIDGET-001 (two revisions, two tags). Prints per-call times and ratios against
raw ``httpx`` (JSON only, and JSON plus the same pydantic model); asserts nothing about time.
"""

from __future__ import annotations

import asyncio
import base64
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

import pywats
from pywats.domains.product import Product

TOKEN = base64.b64encode(b"bench:bench").decode()
PART = "WIDGET-001"
PATH = f"/api/Product/{PART}"


def _product_json() -> str:
    from pywats.simulator import Simulator

    with Simulator() as sim:
        return httpx.get(f"{sim.url}{PATH}", headers={"Authorization": f"Basic {sim.token}"}).text


def _serve(body: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from loopback import LoopbackServer, Reply

    server = LoopbackServer()
    server.route("GET", PATH, Reply(json=json.loads(body)))
    server.start()
    print(server.url, flush=True)
    sys.stdin.read()  # until the parent closes our stdin


def _per_call(fn: Callable[[], object], n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


async def _per_call_async(fn: Callable[[], Awaitable[object]], n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        await fn()
    return (time.perf_counter() - t) / n


def sync_figures(url: str, n: int) -> tuple[float, float, float]:
    headers = {"Authorization": f"Basic {TOKEN}", "Accept": "application/json"}
    with httpx.Client(base_url=url, headers=headers) as raw, pywats.pyWATS(base_url=url, token=TOKEN) as api:
        calls = (
            lambda: raw.get(PATH).json(),
            lambda: Product.model_validate_json(raw.get(PATH).content),
            lambda: api.product.get_product(PART),
        )
        for call in calls:
            _per_call(call, 50)  # warm up
        rounds = [tuple(_per_call(c, n) for c in calls) for _ in range(5)]
    return tuple(statistics.median(r[i] for r in rounds) for i in range(3))  # type: ignore[return-value]


async def async_figures(url: str, n: int) -> tuple[float, float, float]:
    headers = {"Authorization": f"Basic {TOKEN}", "Accept": "application/json"}
    async with (
        httpx.AsyncClient(base_url=url, headers=headers) as raw,
        pywats.AsyncWATS(base_url=url, token=TOKEN) as api,
    ):

        async def raw_json() -> object:
            return (await raw.get(PATH)).json()

        async def raw_model() -> object:
            return Product.model_validate_json((await raw.get(PATH)).content)

        async def facade() -> object:
            return await api.product.get_product(PART)

        calls = (raw_json, raw_model, facade)
        for call in calls:
            await _per_call_async(call, 50)
        rounds = [tuple([await _per_call_async(c, n) for c in calls]) for _ in range(5)]
    return tuple(statistics.median(r[i] for r in rounds) for i in range(3))  # type: ignore[return-value]


def main() -> None:
    body = _product_json()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.bench_product", "--serve", body],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        n = 500
        for label, (raw, model, api) in (
            ("sync ", sync_figures(url, n)),
            ("async", asyncio.run(async_figures(url, n))),
        ):
            print(
                f"{label} get_product: httpx+json {raw * 1e6:7.1f} us  httpx+model {model * 1e6:7.1f} us  "
                f"facade {api * 1e6:7.1f} us  ratio vs json {api / raw:.2f}x  vs json+model {api / model:.2f}x"
            )
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        _serve(sys.argv[2])
    else:
        main()
