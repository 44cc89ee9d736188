"""The control API and the status/stop commands, end to end against a running service process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pywats.simulator import Simulator
from pywats_client.control import ControlError

from .helpers import configure, csv_text, drop, service, stored_serials, wait_for


def test_control_api_and_cli_end_to_end(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        cli = [sys.executable, "-m", "pywats_client", "--config", str(cfg)]
        with service(cfg) as svc:
            api = svc.api
            assert "GET /status" in api.request("GET", "/")["endpoints"]
            assert api.request("GET", "/health")["status"] == "ok"
            config = api.request("GET", "/config")
            assert config["station_name"] == "TEST-ST" and sim.token not in json.dumps(config)
            names = [c["name"] for c in api.request("GET", "/converters")["converters"]]
            assert names == ["wsjf", "wsxf", "csv"]

            drop(tmp_path / "watch", "one.csv", csv_text("API-1", part="API"))
            wait_for(lambda: stored_serials(sim, "API") == ["API-1"], 30, "the report")
            # the server stores it before its answer reaches the service
            wait_for(lambda: api.request("GET", "/status")["counters"]["reports_submitted"] == 1, 30, "the count")
            status = api.request("GET", "/status")
            assert status["state"] == "running" and status["counters"]["reports_submitted"] == 1
            # a confirmed report's queue file is removed by the uploader's remover thread, just after
            wait_for(lambda: api.request("GET", "/queue")["pending"] == 0, 10, "the queue file's removal")
            assert api.request("POST", "/queue/process")["pending"] == 0

            before = cfg.read_bytes()
            with pytest.raises(ControlError, match="HTTP 400 unknown configuration key 'colour'"):
                api.request("POST", "/config", {"station_name": "NEW", "colour": "red"})
            assert cfg.read_bytes() == before  # all or nothing
            with pytest.raises(ControlError, match="HTTP 400"):
                api.request("POST", "/config", ["not", "an", "object"])
            saved = api.request("POST", "/config", {"station_name": "NEW-STATION"})
            assert saved == {"saved": ["station_name"], "applied": [], "restart_required": ["station_name"]}
            assert json.loads(cfg.read_text())["station_name"] == "NEW-STATION"
            assert api.request("POST", "/restart")["state"] == "running"
            assert api.request("GET", "/status")["station_name"] == "NEW-STATION"
            with pytest.raises(ControlError, match="HTTP 404"):
                api.request("GET", "/nothing")
            with pytest.raises(ControlError, match="HTTP 405"):
                api.request("GET", "/stop")

            shown = subprocess.run([*cli, "status"], capture_output=True, text=True, timeout=30)
            assert shown.returncode == 0, shown.stderr
            assert f"is running (pid {svc.proc.pid})" in shown.stdout and "queue: 0 pending" in shown.stdout
            as_json = json.loads(subprocess.run([*cli, "status", "--format", "json"], capture_output=True,
                                                text=True, timeout=30).stdout)  # fmt: skip
            assert as_json["counters"]["reports_submitted"] == 1

            again = subprocess.run([*cli, "start"], capture_output=True, text=True, timeout=30)
            assert again.returncode == 1 and "already running" in again.stderr

            stopped = subprocess.run([*cli, "stop"], capture_output=True, text=True, timeout=90)
            assert stopped.returncode == 0 and "stopped" in stopped.stdout
            assert svc.proc.wait(30) == 0
        after = subprocess.run([*cli, "status"], capture_output=True, text=True, timeout=30)
        assert after.returncode == 3 and "not running" in after.stdout
        again = subprocess.run([*cli, "stop"], capture_output=True, text=True, timeout=30)
        assert again.returncode == 3 and "not running" in again.stdout


def test_stop_without_the_control_api_uses_the_pid_file(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        cli = [sys.executable, "-m", "pywats_client", "--config", str(cfg)]
        log = open(tmp_path / "svc.log", "wb")
        proc = subprocess.Popen([*cli, "start"], stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: (tmp_path / "pywats_client.run.json").exists(), 30, "the service")
            shown = subprocess.run([*cli, "status"], capture_output=True, text=True, timeout=30)
            assert shown.returncode == 0 and "control API not enabled" in shown.stdout
            stopped = subprocess.run([*cli, "stop"], capture_output=True, text=True, timeout=90)
            assert stopped.returncode == 0, stopped.stderr
            assert proc.wait(30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
            log.close()
