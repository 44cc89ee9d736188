"""The service as a real process against the simulator: nothing lost, nothing sent twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pywats.simulator import Simulator

from .helpers import configure, csv_text, drop, service, stored_serials, wait_for

WSJF = "/api/Report/WSJF"


def _all_arrived(sim: Simulator, part: str, n: int) -> bool:
    return len(stored_serials(sim, part)) >= n


def test_hundreds_of_files_arrive_exactly_once(tmp_path: Path) -> None:
    N = 300  # the 1,000-file run: python -m tests.bench.bench_client throughput
    with Simulator(max_requests=50_000) as sim:
        cfg = configure(tmp_path, sim)
        watch = tmp_path / "watch"
        watch.mkdir()
        with service(cfg) as svc:
            for i in range(N):
                drop(watch, f"r{i:04d}.csv", csv_text(f"SN-{i:04d}", part="THOUSAND"))
            wait_for(lambda: _all_arrived(sim, "THOUSAND", N), 150, "every report on the server")
            wait_for(lambda: svc.status()["queue"]["pending"] == 0, 30, "an empty queue")
            status = svc.status()
        serials = stored_serials(sim, "THOUSAND")
        assert sorted(serials) == [f"SN-{i:04d}" for i in range(N)]  # each once
        assert sim.count("POST", WSJF) == N  # and each sent once: no resubmission happened
        assert status["counters"]["reports_submitted"] == N
        assert len(list((tmp_path / "archive").iterdir())) == N  # archived, not deleted
        assert list(watch.iterdir()) == []
        assert [p for p in (tmp_path / "queue").iterdir() if p.is_file()] == []


def test_server_down_for_a_while_then_everything_arrives(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        watch = tmp_path / "watch"
        watch.mkdir()
        outage = sim.inject(WSJF, status=503, times=None)
        with service(cfg) as svc:
            for i in range(40):
                drop(watch, f"o{i:02d}.csv", csv_text(f"OUT-{i:02d}", part="OUTAGE"))
            wait_for(lambda: svc.status()["counters"]["files_converted"] == 40, 30, "the files converted")
            wait_for(lambda: svc.status()["counters"]["submit_failures"] >= 3, 30, "failed submissions")
            during = svc.status()
            assert stored_serials(sim, "OUTAGE") == []
            assert during["queue"]["pending"] == 40  # all safe on disk while the server is down
            assert "503" in (during["last_error"] or "") or "unavailable" in (during["last_error"] or "")
            with sim._lock:
                sim.faults.remove(outage)
            wait_for(lambda: _all_arrived(sim, "OUTAGE", 40), 60, "the reports after the outage")
            wait_for(lambda: svc.status()["queue"]["pending"] == 0, 30, "an empty queue")
        assert sorted(stored_serials(sim, "OUTAGE")) == [f"OUT-{i:02d}" for i in range(40)]


def test_outage_by_stopping_the_server_then_sending_resumes_by_itself(tmp_path: Path) -> None:
    sim = Simulator().start()
    port = int(sim.url.rsplit(":", 1)[1])
    cfg = configure(tmp_path, sim, health_interval=0.2)
    watch = tmp_path / "watch"
    watch.mkdir()
    with service(cfg) as svc:
        wait_for(lambda: svc.status()["server"]["state"] == "reachable", 30, "the first health check")
        sim.stop()
        wait_for(lambda: svc.status()["server"]["state"] == "unreachable", 30, "the idle check to see the outage")
        down = svc.status()["server"]
        assert "cannot connect" in down["detail"] and down["since"] and down["checked"]
        for i in range(10):
            drop(watch, f"d{i}.csv", csv_text(f"DOWN-{i}", part="DOWN"))
        wait_for(lambda: svc.status()["counters"]["files_converted"] == 10, 30, "the files converted")
        status = svc.status()
        assert status["queue"]["pending"] == 10 and status["queue"]["paused"]
        with Simulator(port=port, token=sim.token) as back:  # no POST /queue/process: the probe notices
            wait_for(lambda: _all_arrived(back, "DOWN", 10), 60, "the reports once the server is back")
            assert sorted(stored_serials(back, "DOWN")) == [f"DOWN-{i}" for i in range(10)]
            assert back.count("GET", "/api/App/Version") >= 1  # found back by the probe
            wait_for(lambda: svc.status()["queue"]["pending"] == 0, 30, "an empty queue")
            after = svc.status()
            assert after["server"]["state"] == "reachable" and after["last_error"] is None


def test_kill_9_mid_run_then_restart_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    n = 300
    with Simulator(max_requests=50_000) as sim:
        cfg = configure(tmp_path, sim)
        watch = tmp_path / "watch"
        watch.mkdir()
        sim.inject(WSJF, delay=0.01, times=None)  # slow enough that the kill lands mid-run
        for i in range(n):
            drop(watch, f"k{i:03d}.csv", csv_text(f"KILL-{i:03d}", part="KILLED"))
        with service(cfg) as svc:
            wait_for(lambda: len(stored_serials(sim, "KILLED")) >= 40, 60, "some reports on the server")
            svc.kill9()
        arrived_before = len(stored_serials(sim, "KILLED"))
        left = len(list(watch.iterdir())) + len([p for p in (tmp_path / "queue").iterdir() if p.is_file()])
        assert arrived_before < n and left > 0, "the kill came too late to test anything"
        with service(cfg) as svc:  # the stale pid file of the killed process does not block the restart
            wait_for(lambda: _all_arrived(sim, "KILLED", n), 120, "every report after the restart")
            wait_for(lambda: svc.status()["queue"]["pending"] == 0, 30, "an empty queue")
        counts = Counter(stored_serials(sim, "KILLED"))
        assert sorted(counts) == [f"KILL-{i:03d}" for i in range(n)]  # nothing lost
        assert set(counts.values()) == {1}  # nothing duplicated
        assert len(list((tmp_path / "archive").iterdir())) == n


def test_malformed_files_go_to_the_error_folder_with_reasons_and_block_nothing(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        watch = tmp_path / "watch"
        watch.mkdir()
        bad = {
            "broken.json": "{not json",
            "nopart.json": json.dumps({"type": "T", "sn": "X"}),
            "steps.csv": "part_number,P\nserial_number,S\n\nstep,type,value\nV,numeric,abc\n",
            "notes.txt": "no converter reads this",
        }
        for name, text in bad.items():
            drop(watch, name, text)
        drop(watch, "good.csv", csv_text("GOOD-1", part="MIXED"))
        with service(cfg) as svc:
            wait_for(lambda: _all_arrived(sim, "MIXED", 1), 30, "the good report")
            wait_for(lambda: svc.status()["counters"]["files_failed"] == 4, 30, "the bad files handled")
        errors = tmp_path / "errors"
        for name in bad:
            assert (errors / name).exists()
        reasons = {name: (errors / f"{name}.reason.txt").read_text() for name in bad}
        assert "not valid JSON" in reasons["broken.json"]
        assert "part number" in reasons["nopart.json"]
        assert "'abc' is not a number" in reasons["steps.csv"]
        assert "no enabled converter" in reasons["notes.txt"]
        assert list(watch.iterdir()) == []


def test_a_report_the_server_refuses_is_set_aside_with_the_reason(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        watch = tmp_path / "watch"
        watch.mkdir()
        sim.inject(WSJF, status=400, json={"Message": "The report is invalid."}, times=1)
        drop(watch, "first.csv", csv_text("REJ-1", part="REJECTS"))
        with service(cfg) as svc:
            wait_for(lambda: svc.status()["counters"]["reports_rejected"] == 1, 30, "the rejection")
            drop(watch, "second.csv", csv_text("REJ-2", part="REJECTS"))
            wait_for(lambda: _all_arrived(sim, "REJECTS", 1), 30, "the next report")  # the queue is not blocked
            rid = next((tmp_path / "queue" / "rejected").glob("*.report.json")).name.split(".")[0]
            refused = svc.api.request("GET", f"/reports/{rid}")
            assert refused["state"] == "refused" and "The report is invalid." in refused["reason"]
            assert refused["sent_at"] is None
        rejected = tmp_path / "queue" / "rejected"
        reason = next(rejected.glob("*.reason.txt")).read_text()
        assert "The report is invalid." in reason
        assert len(list(rejected.glob("*.report.json"))) == 1


def test_python_dash_m_and_the_console_script_agree(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "pywats_client", "--help"], capture_output=True, text=True, check=True)
    assert "test-connection" in out.stdout and "converters" in out.stdout
    script = Path(sys.executable).with_name("pywats-client")
    if os.name != "nt":
        assert script.exists()
        cfg = tmp_path / "c.json"
        done = subprocess.run([str(script), "--config", str(cfg), "status"], capture_output=True, text=True)
        assert done.returncode == 3 and "not running" in done.stdout


@pytest.mark.skipif(os.name == "nt", reason="--daemon is Unix only (it says so on Windows)")
def test_daemon_start_status_stop(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        cli = [sys.executable, "-m", "pywats_client", "--config", str(cfg)]
        started = subprocess.run(
            [*cli, "start", "--daemon", "--api", "--api-port", "0"], capture_output=True, text=True, timeout=60
        )
        assert started.returncode == 0, started.stderr
        assert "started in the background" in started.stdout
        try:
            drop(tmp_path / "watch", "d.csv", csv_text("DAEMON-1", part="DAEMON"))
            wait_for(lambda: _all_arrived(sim, "DAEMON", 1), 30, "the daemon's report")
            status = subprocess.run([*cli, "status"], capture_output=True, text=True, timeout=30)
            assert status.returncode == 0 and "is running" in status.stdout and "reports_submitted=1" in status.stdout
        finally:
            stopped = subprocess.run([*cli, "stop"], capture_output=True, text=True, timeout=90)
        assert stopped.returncode == 0, stopped.stderr
        assert "stopped" in stopped.stdout
        after = subprocess.run([*cli, "status"], capture_output=True, text=True, timeout=30)
        assert after.returncode == 3 and "not running" in after.stdout
        assert "report(s) queued by csv" in (tmp_path / "pywats_client.log").read_text()


def test_a_refused_token_is_named_and_sending_resumes_once_it_is_fixed(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim, api_token="d3Jvbmc6dG9rZW4xMjM0")
        watch = tmp_path / "watch"
        watch.mkdir()
        with service(cfg) as svc:
            wait_for(lambda: svc.status()["server"]["state"] == "token_refused", 30, "the token refused")
            assert "api_token" in svc.status()["server"]["detail"]
            drop(watch, "t.csv", csv_text("TOK-1", part="TOKEN"))
            wait_for(lambda: svc.status()["counters"]["files_converted"] == 1, 30, "the file queued")
            assert svc.status()["queue"]["pending"] == 1 and stored_serials(sim, "TOKEN") == []
            answer = svc.api.request("POST", "/config", {"api_token": sim.token})
            assert answer["restart_required"] == ["api_token"]
            svc.api.request("POST", "/restart")
            wait_for(lambda: stored_serials(sim, "TOKEN") == ["TOK-1"], 30, "the report with the right token")
            wait_for(lambda: svc.status()["server"]["state"] == "reachable", 30, "the server reachable")
