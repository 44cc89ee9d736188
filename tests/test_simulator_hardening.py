"""Simulator hardening (issue 9, items 16-19): outages, API documents, limits, CLI mistakes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import pywats
from pywats import pyWATS
from pywats.simulator import Simulator
from pywats.simulator.docs import document_bytes
from pywats.simulator.wire import SimRequest
from pywats.spec.diff import diff_surfaces
from pywats.spec.inputs import surfaces_from_documents
from pywats.spec.sources import SourceDocument
from pywats.spec.surface import load_surface

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "dXNlcjpwdw=="  # user:pw


def client(sim: Simulator, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=sim.url, headers={"Authorization": f"Basic {sim.token}", **headers})


# -- 16: stop() is an outage ------------------------------------------------------------------


def test_stop_closes_pooled_connections_so_clients_see_the_outage() -> None:
    sim = Simulator().start()
    try:
        with pyWATS(base_url=sim.url, token=sim.token, retry_enabled=False, timeout=5) as api:
            assert api.get_version() == "24.2.0-simulator"  # leaves a keep-alive connection in the pool
            sim.stop()
            with pytest.raises(pywats.ConnectionError):
                api.get_version()
    finally:
        sim.stop()


def test_stop_closes_an_idle_raw_keep_alive_connection() -> None:
    sim = Simulator().start()
    host, port = sim.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(f"GET /api/App/Version HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {sim.token}\r\n\r\n".encode())
        answer = b""
        while not answer.endswith(b'"24.2.0-simulator"'):  # the whole answer: status line to body
            answer += conn.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200")
        sim.stop()
        assert conn.recv(4096) == b""  # closed by the server, not left to a handler thread


# -- 17: the API documents ----------------------------------------------------------------------


def test_served_documents_read_back_as_the_snapshot() -> None:
    docs = {key: SourceDocument(key, "simulator", document_bytes(key)) for key in ("public", "internal")}
    surfaces = surfaces_from_documents(docs)
    snapshot = {key: load_surface(key) for key in ("public", "internal")}
    assert surfaces == snapshot
    report = diff_surfaces(snapshot, surfaces)
    assert report.exit_code == 0 and report.changes == []


def test_documents_are_served_with_auth_and_internal_needs_a_referer(wats_simulator: Simulator) -> None:
    with client(wats_simulator) as c:
        public = c.get("/swagger/docs/v1")
        assert public.status_code == 200 and public.json()["swagger"] == "2.0"
        assert "/api/App/Processes" in public.json()["paths"]
        assert c.get("/swagger/docs/internal").status_code == 400
        internal = c.get("/swagger/docs/internal", headers={"Referer": wats_simulator.url + "/"})
        assert "/api/internal/Process/GetProcesses" in internal.json()["paths"]
        assert c.post("/swagger/docs/v1").status_code == 405
    assert httpx.get(wats_simulator.url + "/swagger/docs/v1").status_code == 401


def test_check_server_compatibility_against_the_simulator(wats_simulator: Simulator) -> None:
    with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
        report = api.check_server_compatibility()
    assert report.exit_code == 0, report.to_text()
    assert wats_simulator.count("GET", "/swagger/docs/internal") == 1


def test_spec_check_command_against_the_simulator(wats_simulator: Simulator) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pywats.spec", "check", "--server", wats_simulator.url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"WATS_AUTH_TOKEN": wats_simulator.token, "PATH": ""},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no API changes" in result.stdout


# -- 18: limits and bad control input ------------------------------------------------------------


def test_request_log_is_bounded() -> None:
    with Simulator(max_requests=3) as sim, client(sim) as c:
        for flags in ("a", "b", "c", "d", "e"):
            c.get("/api/App/Version", params={"x": flags})
        assert len(sim.requests) == 3
        assert [r.query["x"] for r in sim.requests] == [["c"], ["d"], ["e"]]
    with pytest.raises(ValueError, match="max_requests"):
        Simulator(max_requests=0)


def test_idle_connections_time_out() -> None:
    with Simulator(idle_timeout=0.2) as sim:
        host, port = sim.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            started = time.monotonic()
            assert conn.recv(4096) == b""  # the server hung up on a silent client
            assert time.monotonic() - started < 9  # generous: proves it does not wait forever


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not list"),
        (b'{"path": "/api/App/Version", "statsu": 500}', "unknown fault field(s) ['statsu']"),
        (b'{"status": 500}', "needs a 'path'"),
        (b'{"path": "/api/App/Version", "status": "500"}', "'status' must be 100-599"),
        (b'{"path": "/api/App/Version", "times": -1}', "'times' must be an integer >= 0"),
        (b'{"path": "/api/App/Version", "delay": "slow"}', "'delay' must be a number"),
    ],
)
def test_malformed_control_requests_get_400(wats_simulator: Simulator, body: bytes, text: str) -> None:
    with client(wats_simulator) as c:
        response = c.post("/_simulator/faults", content=body)
    assert response.status_code == 400
    assert text in response.json()["Message"]
    assert wats_simulator.faults == []


def test_a_fault_with_times_0_never_fires(wats_simulator: Simulator) -> None:
    wats_simulator.inject("/api/App/Version", status=503, times=0)
    with client(wats_simulator) as c:
        assert c.post("/_simulator/faults", json={"path": "/api/App/Version", "status": 500, "times": 0}).is_success
        assert [c.get("/api/App/Version").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.parametrize("token", ["not base64!", "bm9jb2xvbg==", "OnB3", ""])
def test_tokens_are_validated_and_never_echoed(token: str) -> None:
    with pytest.raises(ValueError, match="base64 of 'username:password'") as info:
        Simulator(token=token)
    assert not token or token not in str(info.value)


def test_a_handler_error_is_a_500_not_a_hang_up(wats_simulator: Simulator) -> None:
    def broken(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
        raise KeyError("oops")

    wats_simulator._handlers = {**wats_simulator._handlers, "GET /api/App/Version": broken}
    with client(wats_simulator) as c:
        response = c.get("/api/App/Version")
    assert response.status_code == 500 and "KeyError" in response.json()["ExceptionMessage"]


# -- 19: command-line mistakes and the --data format ---------------------------------------------


def run_simulator(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pywats.simulator", *args], capture_output=True, text=True, timeout=60)


def test_cli_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_simulator("--port", str(port))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and f"127.0.0.1:{port}: port in use" in result.stderr


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("--port", "65536"), "port must be from 0 to 65535"),
        (("--port", "http"), "port must be a number"),
        (("--data", "{tmp}/missing.json"), "missing.json' does not exist"),
        (("--data", "{tmp}"), "is not a file"),
        (("--data", "{tmp}/broken.json"), "broken.json' is not JSON"),
        (("--data", "{tmp}/badcode.json"), "badcode.json: process #0 in the simulator data: 'code' must be an integer"),
        (("--data", "{tmp}/typo.json"), "unknown key(s) ['proceses']"),
        (("--data", "{tmp}/scalar.json"), "must be a JSON object or a list of processes"),
        (("--token", "hunter2"), "token must be base64"),
    ],
)
def test_cli_mistakes_give_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], text: str) -> None:
    _write(tmp_path, "broken.json", "{processes: [")
    _write(tmp_path, "badcode.json", json.dumps({"processes": [{"code": "100", "name": "ICT"}]}))
    _write(tmp_path, "typo.json", json.dumps({"proceses": []}))
    _write(tmp_path, "scalar.json", "42")
    result = run_simulator(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert text in result.stderr and "hunter2" not in result.stderr


def test_data_accepts_the_servers_own_process_list(wats_simulator: Simulator, tmp_path: Path) -> None:
    with client(wats_simulator) as c:
        served = c.get("/api/App/Processes", params={"includeInactiveProcesses": "true"}).json()
    saved = _write(tmp_path, "processes.json", json.dumps(served))
    with Simulator(data=saved) as copy, client(copy) as c:
        again = c.get("/api/App/Processes", params={"includeInactiveProcesses": "true"}).json()
        assert again == served


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"processes": {"code": 1}}, "'processes' in the simulator data must be a list"),
        ({"processes": ["ICT"]}, "process #0 in the simulator data must be a JSON object"),
        ({"processes": [{"code": 1, "name": "A", "isTest": True}]}, "unknown field(s) ['isTest']"),
        (
            {"processes": [{"code": 1, "name": "A", "isTestOperation": "yes"}]},
            "'isTestOperation' must be true or false",
        ),
        (
            {"processes": [{"code": 1, "name": "A"}, {"code": 1, "name": "B"}]},
            "process #1 in the simulator data repeats code 1",
        ),
        ({"processes": [{"code": 1, "name": "A", "processId": "x"}]}, "'processId' must be a GUID"),
        ({"version": 24}, "'version' in the simulator data must be a non-empty string"),
        # every domain words a bad item alike: what it is, its index, what it must hold
        (
            {"assets": [{"serialNumber": "  "}]},
            "asset #0 in the simulator data must be a JSON object with 'serialNumber'",
        ),
        (
            {"units": [{"serialNumber": "SN-1"}]},
            "unit #0 in the simulator data must be a JSON object with 'serialNumber' and 'partNumber' as text",
        ),
        ({"softwarePackages": [7]}, "software package #0 in the simulator data must be a JSON object with 'name'"),
        ({"scim_users": [{"userName": 5}]}, "SCIM user #0 in the simulator data must be a JSON object with 'userName'"),
        ({"alarmLogs": ["x"]}, "alarm log #0 in the simulator data must be a JSON object, not 'x'"),
    ],
)
def test_data_validation_names_the_problem(data: dict[str, Any], text: str) -> None:
    with pytest.raises(pywats.simulator.DataError) as info:
        Simulator(data=data)
    assert text in str(info.value)
