"""Station client throughput: files dropped into a watched folder → reports confirmed by the simulator.

    python -m tests.bench.bench_client [N]

Prints reports/s end to end (a real ``pywats-client start`` process, default 1,000 CSV files) and the
queue's own cost per report (durable write with fsync + read + remove), measured in-process.
No asserts on time: the figures depend on the machine and its disk.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pywats.domains.report import UUTReport
from pywats.simulator import Simulator
from pywats_client.queue import ReportQueue
from tests.client.helpers import configure, csv_text, drop, service, stored_serials, wait_for


def end_to_end(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, Simulator(max_requests=max(10_000, 2 * n)) as sim:
        folder = Path(tmp)
        cfg = configure(folder, sim)
        watch = folder / "watch"
        watch.mkdir()
        with service(cfg):
            t0 = time.perf_counter()
            for i in range(n):
                drop(watch, f"b{i:05d}.csv", csv_text(f"BENCH-{i:05d}", part="BENCH"))
            dropped = time.perf_counter() - t0
            wait_for(lambda: len(stored_serials(sim, "BENCH")) >= n, 600, "every report")
            elapsed = time.perf_counter() - t0
        print(
            f"end to end: {n} files → {n} reports confirmed in {elapsed:.2f} s "
            f"= {n / elapsed:.0f} reports/s (dropping the files took {dropped:.2f} s)"
        )


def queue_overhead(n: int) -> None:
    report = UUTReport(pn="BENCH", sn="SN", rev="A", process_code=10, result="P")
    report.get_root_sequence_call().add_numeric_step("5V", 5.0, "GELE", 4.9, 5.1, "V")
    with tempfile.TemporaryDirectory() as tmp:
        queue = ReportQueue(Path(tmp))
        reports = []
        for i in range(n):
            r = report.model_copy(deep=True)
            r.id = f"00000000-0000-4000-8000-{i:012d}"
            reports.append(r)
        t0 = time.perf_counter()
        for r in reports:
            queue.put_many([r], source="bench", converter="bench")
        put = time.perf_counter() - t0
        t0 = time.perf_counter()
        for rid in list(queue.ids()):
            queue.get(rid).to_report()
            queue.remove(rid)
        take = time.perf_counter() - t0
    print(
        f"queue overhead per report: put (write + fsync file + fsync dir) {put / n * 1e3:.3f} ms, "
        f"read + parse + remove {take / n * 1e3:.3f} ms, total {(put + take) / n * 1e3:.3f} ms ({n} reports)"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    end_to_end(n)
    queue_overhead(min(n, 500))


if __name__ == "__main__":
    main()
