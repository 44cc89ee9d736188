"""Report domain figures (nox -s bench): prints them, asserts nothing about time.

- load + dump of a 10,000-step UUT report, as a ratio to ``json.loads`` + ``json.dumps`` of the
  same document (target: at most 8x);
- submit throughput (reports/s) against the simulator, sync and async (8 in flight);
- parsing 10,000 report headers (the header query's body) into ``ReportHeader`` models.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import pywats
from pywats.domains.report import CompOp, UUTReport, load_report
from pywats.domains.report.async_service import _HEADERS
from pywats.simulator import Simulator


def median_seconds(fn: Callable[[], object], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def big_report(steps: int = 10_000) -> dict[str, Any]:
    """A UUT report of ``steps`` steps in sequences of 50, mixing every measuring step kind."""
    report = UUTReport(pn="BENCH-1", sn="SN-1", rev="A", process_code=100, station_name="BENCH", purpose="10")
    root = report.get_root_sequence_call()
    made = 0
    while made < steps:
        seq = root.add_sequence_call(f"Group {made // 50}", file_name="bench.seq", version="1.0")
        made += 1
        for i in range(min(49, steps - made)):
            kind = i % 5
            if kind == 0:
                seq.add_numeric_step(f"V{i}", 5.0 + i / 1000, CompOp.GELE, 4.5, 5.5, "V")
            elif kind == 1:
                seq.add_pass_fail_step(f"PF{i}", "Passed")
            elif kind == 2:
                seq.add_string_step(f"S{i}", "1.2.3", "1.2.3", CompOp.IGNORECASE)
            elif kind == 3:
                m = seq.add_multiple_numeric_limit_test(f"M{i}")
                m.add_measurement("a", 1.0, "A", CompOp.LT, None, 2.0)
                m.add_measurement("b", 2.0, "A", CompOp.GT, 1.0)
            else:
                seq.add_generic_step("Action", f"A{i}")
            made += 1
    report.finalize()
    return report.to_wsjf()


def load_dump(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    stdlib = median_seconds(lambda: json.dumps(json.loads(text)))
    ours = median_seconds(lambda: load_report(text).to_json())
    steps = len(load_report(text).get_all_steps())  # type: ignore[union-attr]
    print(f"load+dump of a {steps}-step UUT report ({len(text) / 1e6:.1f} MB):")
    print(f"  json.loads+json.dumps  {stdlib * 1000:8.1f} ms")
    print(f"  load_report+to_json    {ours * 1000:8.1f} ms   ratio {ours / stdlib:.2f}x (target <= 8x)")


def headers(n: int = 10_000) -> None:
    rows = [
        {
            "uuid": str(uuid.uuid4()),
            "serialNumber": f"SN-{i}",
            "partNumber": "WIDGET-001",
            "reportType": "T",
            "start": "2026-01-30T10:49:36Z",
            "revision": "A",
            "result": "Passed",
            "userName": "op",
            "stationName": "ST-1",
            "location": "Line",
            "purpose": "10",
            "timeStamp": i,
            "processCode": 100,
            "processName": "ICT",
            "executionTime": 12.5,
        }
        for i in range(n)
    ]
    body = json.dumps(rows).encode()
    stdlib = median_seconds(lambda: json.loads(body))
    ours = median_seconds(lambda: _HEADERS.validate_json(body))
    print(f"parsing {n} report headers ({len(body) / 1e6:.1f} MB):")
    print(f"  json.loads             {stdlib * 1000:8.1f} ms")
    print(f"  ReportHeader models    {ours * 1000:8.1f} ms   ratio {ours / stdlib:.2f}x   {n / ours:,.0f} headers/s")


def submit_throughput(n: int = 200) -> None:
    with Simulator() as sim:
        with pywats.pyWATS(base_url=sim.url, token=sim.token) as api:
            reports = [small_report(api, i) for i in range(n)]
            t = time.perf_counter()
            for r in reports:
                api.report.submit_report(r)
            sync_rate = n / (time.perf_counter() - t)

        async def run() -> float:
            async with pywats.AsyncWATS(base_url=sim.url, token=sim.token) as api:
                reports = [small_report(api, i) for i in range(n)]
                gate = asyncio.Semaphore(8)

                async def one(r: UUTReport) -> None:
                    async with gate:
                        await api.report.submit_report(r)

                t = time.perf_counter()
                await asyncio.gather(*(one(r) for r in reports))
                return n / (time.perf_counter() - t)

        async_rate = asyncio.run(run())
    print(f"submit throughput against the simulator ({n} reports of 21 steps each):")
    print(f"  pyWATS                 {sync_rate:8.0f} reports/s")
    print(f"  AsyncWATS, 8 in flight {async_rate:8.0f} reports/s")


def small_report(api: Any, i: int) -> UUTReport:
    report: UUTReport = api.report.create_uut_report("bench", "WIDGET-001", "A", f"SN-{i}", 100)
    root = report.get_root_sequence_call()
    for j in range(20):
        root.add_numeric_step(f"V{j}", 5.0, CompOp.GELE, 4.5, 5.5, "V")
    return report


def main() -> None:
    load_dump(big_report())
    headers()
    submit_throughput()


if __name__ == "__main__":
    main()
