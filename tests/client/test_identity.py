"""Which service is whose: the control API names its instance, the CLI acts only on its own config's
live service (never a dead pid, a reused pid or another instance on the same port)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pywats.simulator import Simulator
from pywats_client.config import ClientConfig
from pywats_client.control import INSTANCE_HEADER, ControlClient, WrongInstance
from pywats_client.runner import PidLock, find_service, process_start_time

from .helpers import SLOW_PLUGIN, configure, csv_text, drop, service, wait_for

pytestmark = pytest.mark.skipif(os.name == "nt", reason="process identity is tested with Unix signals here")


def _cli(cfg: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pywats_client", "--config", str(cfg), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_status_names_the_instance_and_every_answer_carries_it(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim, instance_name="Line 3", log_file=str(tmp_path / "svc.log"))
        with service(cfg) as svc:
            status = svc.status()
            inst = status["instance"]
            assert inst["config_path"] == str(cfg) and inst["station"] == "TEST-ST"
            assert inst["instance_name"] == "Line 3" and inst["pid"] == svc.proc.pid
            assert inst["started"].endswith("Z") and len(inst["id"]) >= 16
            wait_for(lambda: svc.status()["server"]["state"] == "reachable", 30, "the first health check")
            server = svc.status()["server"]
            assert "WATS" in server["detail"] and server["since"] and server["checked"]
            run = json.loads((tmp_path / "pywats_client.run.json").read_text())
            assert run["instance"] == inst["id"] and run["config"] == str(cfg)
            assert run["proc_start"] == process_start_time(svc.proc.pid)

            for path in ("/status", "/health", "/nothing"):  # errors too
                try:
                    with urllib.request.urlopen(svc.api.url + path, timeout=10) as resp:
                        header = resp.headers[INSTANCE_HEADER]
                except urllib.error.HTTPError as exc:
                    header = exc.headers[INSTANCE_HEADER]
                assert header == inst["id"], path
            with pytest.raises(WrongInstance, match="belongs to another service"):
                ControlClient(svc.api.url, instance="someone-else").request("GET", "/health")

            rid = svc.api.request("POST", "/test-report")["report_id"]
            wait_for(lambda: svc.api.request("GET", f"/reports/{rid}")["state"] == "sent", 30, "the test report")
            sent = svc.api.request("GET", f"/reports/{rid}")
            assert sent["sent_at"] and sent["reason"] is None
            with sim.store.lock:
                assert [r["id"] for r in sim.store.collection("reports") if r["pn"] == "PYWATS-CLIENT-TEST"] == [rid]

            lines = svc.api.request("GET", "/log?lines=3")
            assert lines["file"] == str(tmp_path / "svc.log") and len(lines["lines"]) == 3
            assert "control API" in "\n".join(svc.api.request("GET", "/log?lines=5000")["lines"])
            for bad in ("-1", "5001", "many"):
                with pytest.raises(Exception, match="HTTP 400 lines must be a whole number"):
                    svc.api.request("GET", f"/log?lines={bad}")


def test_two_instances_side_by_side_and_a_port_held_by_another(tmp_path: Path) -> None:
    with Simulator() as sim:
        # the guide's layout: one folder, one config file per instance
        a = configure(tmp_path, sim, name="config_station1.json", station_name="ST-1")
        b = configure(tmp_path, sim, name="config_station2.json", station_name="ST-2")
        with service(a) as svc_a:
            port = int(svc_a.api.url.rsplit(":", 1)[1])
            assert _cli(b, "config", "set", "api_port", str(port)).returncode == 0
            clash = _cli(b, "start", "--api")
            assert clash.returncode == 1
            assert f"port {port} is used by the pywats-client of {a}" in clash.stderr and "ST-1" in clash.stderr
            assert find_service(ClientConfig.load(b)) is None  # it did not stay half-started

            with service(b) as svc_b:  # own port (0: any): both run, each with its own data folder
                drop(tmp_path / "config_station2" / "watch", "b.csv", csv_text("B-1", part="PAIR"))
                wait_for(lambda: svc_b.status()["counters"]["reports_submitted"] == 1, 30, "B's report")
                assert svc_a.status()["counters"]["reports_submitted"] == 0
                shown_b = _cli(b, "status")
                assert f"(pid {svc_b.proc.pid})" in shown_b.stdout and str(b) in shown_b.stdout
                assert _cli(b, "stop").returncode == 0
                assert svc_b.proc.wait(30) == 0
            assert svc_a.proc.poll() is None  # B's stop stopped B only
            assert f"(pid {svc_a.proc.pid})" in _cli(a, "status").stdout


def test_a_live_unrelated_process_in_a_stale_run_file_is_never_signalled(tmp_path: Path) -> None:
    cfg = ClientConfig.load(tmp_path / "config.json")
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    lock = PidLock(cfg.pid_path)
    try:
        lock.acquire()  # a service is starting: it holds the lock, its run file is not written yet
        stale = {"pid": bystander.pid, "proc_start": "1", "config": str(cfg.path), "instance": "old", "api_url": None}
        cfg.runtime_path.write_text(json.dumps(stale))
        found = find_service(cfg)
        assert found is not None and found.state == "starting" and found.pid is None
        stopped = _cli(cfg.path, "stop", "--timeout", "1", timeout=30)
        assert stopped.returncode == 1 and "still starting" in stopped.stderr
        assert bystander.poll() is None  # the pid in the stale file was not signalled
    finally:
        lock.release()
        bystander.kill()
        bystander.wait()
    assert find_service(cfg) is None
    assert _cli(cfg.path, "status").returncode == 3


def test_kill_9_then_restart_cycles_with_a_slow_plugin(tmp_path: Path) -> None:
    """start --daemon / kill -9, a few times: start names the new pid, status and stop act on it.

    (tests/bench/bench_client.py kill runs 30 cycles.)"""
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        (tmp_path / "converters").mkdir()
        (tmp_path / "converters" / "slow.py").write_text(SLOW_PLUGIN)
        for cycle in range(2):
            started = _cli(cfg, "start", "--daemon", "--api", "--api-port", "0")
            assert started.returncode == 0, started.stderr
            pid = int(started.stdout.split("(pid ")[1].split(",")[0].split(")")[0])
            run = json.loads((tmp_path / "pywats_client.run.json").read_text())
            assert run["pid"] == pid and run["state"] == "running", cycle
            shown = _cli(cfg, "status")
            assert shown.returncode == 0 and f"(pid {pid})" in shown.stdout
            if cycle == 0:
                os.kill(pid, 9)
                wait_for(lambda: find_service(ClientConfig.load(cfg)) is None, 30, "the lock to go with the process")
                assert (tmp_path / "pywats_client.run.json").exists()  # the dead one's file stays behind
                status = _cli(cfg, "status")
                assert status.returncode == 3, status.stdout
        stopped = _cli(cfg, "stop")
        assert stopped.returncode == 0 and f"stopped (pid {pid})" in stopped.stdout
        assert find_service(ClientConfig.load(cfg)) is None
