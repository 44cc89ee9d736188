"""Station client figures, each with a real ``pywats-client`` process against the simulator.

    python -m tests.bench.bench_client [throughput [N] | backlog [N] | recovery [N] | kill [N] | mixed [N] | all]

- ``throughput``: files dropped into a watched folder → reports confirmed (default 1,000 CSV files),
  and the queue's own cost per report (durable write with fsync + read + remove), in-process;
- ``backlog``: N reports already queued (default 10,000), 20 ms injected server latency, drained with
  one upload worker and with the default number: reports/s of each;
- ``recovery``: the server stopped while reports wait, then started again: seconds until the first
  report arrives (N rounds, default 5) with no ``POST /queue/process``;
- ``kill``: N ``start --daemon`` / ``kill -9`` cycles (default 30) with a converter plugin that sleeps
  2 s at import, files dropped in every cycle: start names the new pid, status and stop act on it,
  every report arrives exactly once;
- ``mixed``: a folder of N files (default 1,000) interleaving good reports with 16 kinds of bad files.

No asserts on time: the figures depend on the machine. Failures of behaviour are reported as FAIL.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from pywats.domains.report import UUTReport
from pywats.simulator import Simulator
from pywats_client.config import ClientConfig
from pywats_client.queue import ReportQueue
from pywats_client.runner import find_service
from pywats_client.watcher import prepare
from tests.client.helpers import SLOW_PLUGIN, configure, csv_text, drop, service, stored_serials, wait_for
from tests.client.mixed import build

WSJF = "/api/Report/WSJF"


def _cli(cfg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pywats_client", "--config", str(cfg), *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


def throughput(n: int) -> None:
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
    queue_overhead(min(n, 500))


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
            queue.get(rid).body()
            queue.remove(rid)
        take = time.perf_counter() - t0
    print(
        f"queue overhead per report: put (write + fsync file + fsync dir) {put / n * 1e3:.3f} ms, "
        f"read + remove {take / n * 1e3:.3f} ms, total {(put + take) / n * 1e3:.3f} ms ({n} reports)"
    )


def _fill_queue(cfg: Path, n: int, part: str) -> None:
    config = ClientConfig.load(cfg)
    queue = ReportQueue(config.queue_path)
    template = UUTReport(pn=part, sn="X", rev="A", process_code=10)
    template.get_root_sequence_call().add_numeric_step("5V", 5.0, "GELE", 4.9, 5.1, "V")
    batch = []
    for i in range(n):
        r = template.model_copy(deep=True)
        r.sn, r.id = f"{part}-{i:05d}", str(uuid.uuid4())
        batch.append(prepare(r, config))
        if len(batch) == 500:
            queue.put_many(batch, source="bench", converter="bench")
            batch = []
    if batch:
        queue.put_many(batch, source="bench", converter="bench")


def _drained(sim: Simulator, part: str, n: int, timeout: float) -> None:
    # polled twice a second: each look walks the simulator's store under its lock, which the
    # simulator's own inserts need too (a fast poll would slow the very thing being measured)
    deadline = time.monotonic() + timeout
    while len(stored_serials(sim, part)) < n:
        if time.monotonic() > deadline:
            raise AssertionError(f"the backlog did not drain within {timeout:g} s")
        time.sleep(0.5)


def backlog(n: int, latency: float = 0.02) -> None:
    rates = {}
    default = ClientConfig.load(Path("/nonexistent/config.json"))["upload_workers"]
    extra = [int(w) for w in os.environ.get("BENCH_WORKERS", "").split(",") if w.strip()]
    for workers in sorted({1, default, *extra}):
        with tempfile.TemporaryDirectory() as tmp, Simulator(max_requests=2 * n + 1000) as sim:
            folder = Path(tmp)
            cfg = configure(folder, sim, upload_workers=workers, log_level="WARNING")
            part = f"BACKLOG{workers}"
            _fill_queue(cfg, n, part)
            sim.inject(WSJF, delay=latency, times=None)
            with service(cfg):  # timed from the moment the service runs
                t0 = time.perf_counter()
                _drained(sim, part, n, 3600)
                elapsed = time.perf_counter() - t0
            counts = Counter(stored_serials(sim, part))
            ok = len(counts) == n and set(counts.values()) == {1} and sim.count("POST", WSJF) == n
            rates[workers] = n / elapsed
            print(
                f"backlog: {n} queued reports, {latency * 1e3:.0f} ms latency, upload_workers={workers}: "
                f"{elapsed:.1f} s = {n / elapsed:.0f} reports/s; each sent exactly once: {'yes' if ok else 'FAIL'}"
            )
    for workers, rate in rates.items():
        if workers != 1:
            print(f"backlog speed-up with upload_workers={workers}: {rate / rates[1]:.1f}x")


def recovery(rounds: int) -> None:
    times = []
    for r in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            sim = Simulator().start()
            port, token = int(sim.url.rsplit(":", 1)[1]), sim.token
            cfg = configure(folder, sim, retry_initial_delay=1, retry_max_delay=60, health_interval=30)
            (folder / "watch").mkdir()
            with service(cfg) as svc:
                wait_for(lambda s=svc: s.status()["server"]["state"] == "reachable", 30, "reachable")  # type: ignore[misc]
                sim.stop()
                for i in range(5):
                    drop(folder / "watch", f"r{i}.csv", csv_text(f"REC-{r}-{i}", part="REC"))
                wait_for(lambda s=svc: s.status()["counters"]["files_converted"] == 5, 30, "queued")  # type: ignore[misc]
                time.sleep(8 + r)  # down long enough for a blind back-off to have grown
                with Simulator(port=port, token=token) as back:
                    t0 = time.perf_counter()
                    wait_for(lambda b=back: len(stored_serials(b, "REC")) >= 1, 60, "the first report")  # type: ignore[misc]
                    first = time.perf_counter() - t0
                    wait_for(lambda b=back: len(stored_serials(b, "REC")) >= 5, 60, "all reports")  # type: ignore[misc]
                    status = svc.status()
            times.append(first)
            print(
                f"recovery round {r + 1}: first report {first:.2f} s after the server came back; "
                f"server state {status['server']['state']}, last_error {status['last_error']!r}"
            )
    print(
        f"recovery: min {min(times):.2f} s, median {statistics.median(times):.2f} s, max {max(times):.2f} s "
        f"({rounds} rounds)"
    )


def kill_cycles(cycles: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, Simulator(max_requests=50_000) as sim:
        folder = Path(tmp)
        cfg = configure(folder, sim)
        (folder / "converters").mkdir()
        (folder / "converters" / "slow.py").write_text(SLOW_PLUGIN)
        watch = folder / "watch"
        watch.mkdir()
        sim.inject(WSJF, delay=0.01, times=None)
        problems: list[str] = []
        expected = []
        t_start = time.perf_counter()
        for c in range(cycles):
            for i in range(10):
                sn = f"K-{c:02d}-{i}"
                drop(watch, f"k{c:02d}{i}.csv", csv_text(sn, part="KILL"))
                expected.append(sn)
            started = _cli(cfg, "start", "--daemon", "--api", "--api-port", "0")
            if started.returncode != 0:
                problems.append(f"cycle {c}: start failed: {started.stderr.strip()}")
                continue
            pid = int(started.stdout.split("(pid ")[1].split(",")[0].split(")")[0])
            run = json.loads(ClientConfig.load(cfg).runtime_path.read_text())
            if run["pid"] != pid:
                problems.append(f"cycle {c}: start said pid {pid}, the run file {run['pid']}")
            shown = _cli(cfg, "status")
            if f"(pid {pid})" not in shown.stdout:
                problems.append(f"cycle {c}: status did not name pid {pid}: {shown.stdout.strip()}")
            time.sleep(0.2 * (c % 5))  # kill at different points: converting, sending, idle
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while find_service(ClientConfig.load(cfg)) is not None and time.monotonic() < deadline:
                time.sleep(0.05)
            after = _cli(cfg, "status")
            if after.returncode != 3:
                problems.append(f"cycle {c}: status after kill -9: {after.stdout.strip()}")
        started = _cli(cfg, "start", "--daemon", "--api", "--api-port", "0")
        wait_for(lambda: len(set(stored_serials(sim, "KILL"))) >= len(expected), 300, "every report")
        stopped = _cli(cfg, "stop")
        if stopped.returncode != 0:
            problems.append(f"final stop: {stopped.stderr.strip()}")
        counts = Counter(stored_serials(sim, "KILL"))
        lost = sorted(set(expected) - set(counts))
        dup = sorted(k for k, v in counts.items() if v > 1)
        elapsed = time.perf_counter() - t_start
        print(
            f"kill: {cycles} start --daemon / kill -9 cycles with a plugin sleeping 2 s at import, "
            f"{len(expected)} reports: {len(problems)} identity problems, {len(lost)} lost, "
            f"{len(dup)} stored twice (the server replaces a resubmission by id; "
            f"{sim.count('POST', WSJF) - len(expected)} resubmissions); {elapsed:.0f} s"
        )
        for p in problems:
            print("  FAIL", p)


def mixed(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, Simulator(max_requests=50_000) as sim:
        folder = Path(tmp)
        cfg = configure(folder, sim, settle_time=0.2)
        watch = folder / "watch"
        spec = build(watch, folder / "converters", n, "MIXED")
        files = len(list(watch.iterdir()))
        t0 = time.perf_counter()
        with service(cfg) as svc:
            wait_for(lambda: len(stored_serials(sim, "MIXED")) >= len(spec.good), 600, "the good reports")
            wait_for(lambda: not list(watch.iterdir()), 120, "an empty watch folder")
            elapsed = time.perf_counter() - t0
            status = svc.status()
            log = svc.log_path.read_text()
        counts = Counter(stored_serials(sim, "MIXED"))
        errors = folder / "errors"
        misplaced = [b for b in spec.bad if not os.path.lexists(errors / b)]
        no_reason = [b for b in spec.bad if not (errors / f"{b}.reason.txt").exists()]
        once = sorted(counts) == sorted(spec.good) and set(counts.values()) == {1}
        print(
            f"mixed folder: {files} files ({len(spec.good)} good, {len(spec.bad)} bad of {len(spec.kinds)} kinds, "
            f"{len(spec.vanishing)} deleted mid-read) handled in {elapsed:.1f} s: every good report once: "
            f"{'yes' if once else 'FAIL'}; bad files in errors/ with a reason: "
            f"{len(spec.bad) - len(set(misplaced) | set(no_reason))}/{len(spec.bad)}; "
            f"tracebacks in the log: {log.count('Traceback')}; status last_failed_file: "
            f"{status['last_failed_file']['name'] if status['last_failed_file'] else None}"
        )
        print(f"  kinds: {', '.join(sorted(spec.kinds))}")


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "throughput"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else None
    jobs = {
        "throughput": lambda: throughput(n or 1000),
        "backlog": lambda: backlog(n or 10_000),
        "recovery": lambda: recovery(n or 5),
        "kill": lambda: kill_cycles(n or 30),
        "mixed": lambda: mixed(n or 1000),
    }
    if what.isdigit():  # the old form: bench_client N
        throughput(int(what))
        return
    for name in jobs if what == "all" else [what]:
        jobs[name]()


if __name__ == "__main__":
    main()
