"""The embedded WATS simulator: wire format, spec checks, faults, data, CLI, independence."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pywats.simulator import Simulator

ROOT = Path(__file__).resolve().parents[1]


def client(sim: Simulator, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=sim.url, headers={"Authorization": f"Basic {sim.token}", **headers})


def test_auth(wats_simulator: Simulator) -> None:
    assert httpx.get(wats_simulator.url + "/api/App/Version").status_code == 401
    bad = httpx.get(wats_simulator.url + "/api/App/Version", headers={"Authorization": "Basic d3Jvbmc="})
    assert bad.status_code == 401 and bad.json() == {"Message": "Authorization has been denied for this request."}
    with client(wats_simulator) as c:
        assert c.get("/api/App/Version").json() == "24.2.0-simulator"


def test_public_processes_wire_format_and_filters(wats_simulator: Simulator) -> None:
    with client(wats_simulator) as c:
        everything = c.get("/api/App/Processes").json()
        assert set(everything[0]) == {
            "code",
            "name",
            "description",
            "isTestOperation",
            "isRepairOperation",
            "isWipOperation",
            "processIndex",
            "state",
        }
        assert len(everything) == 11
        repairs = c.get("/api/App/Processes", params={"includeRepairOperations": "true"}).json()
        assert {p["code"] for p in repairs} == {500, 510, 520}
        tests = c.get(
            "/api/App/Processes", params={"includeTestOperations": "True", "includeInactiveProcesses": "true"}
        ).json()
        assert 900 in {p["code"] for p in tests} and all(p["isTestOperation"] for p in tests)


def test_internal_processes_wire_format(wats_simulator: Simulator) -> None:
    with client(wats_simulator, Referer=wats_simulator.url + "/") as c:
        processes = c.get("/api/internal/Process/GetProcesses").json()
        assert set(processes[0]) == {
            "Code",
            "ProcessID",
            "Name",
            "Description",
            "ProcessIndex",
            "State",
            "Properties",
            "IsTestOperation",
            "IsWIPOperation",
            "IsRepairOperation",
        }
        one = c.get(f"/api/internal/Process/GetProcess/{processes[3]['ProcessID']}").json()
        assert one == processes[3]
        missing = c.get("/api/internal/Process/GetProcess/00000000-0000-0000-0000-000000000000")
        assert missing.status_code == 404
        # "Internal" spelled with a capital I is the same route (ASP.NET routing ignores case)
        assert c.get("/api/Internal/Process/GetProcesses").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status", "text"),
    [
        ("GET", "/api/NoSuchThing", 404, "No HTTP resource was found"),
        ("DELETE", "/api/App/Version", 405, "does not support http method 'DELETE'"),
        ("GET", "/api/App/Processes?includeTestOperations=maybe", 400, "includeTestOperations"),
        ("GET", "/api/internal/Process/GetProcess/not-a-guid", 400, "parameter 'id'"),
        (
            "GET",
            "/api/internal/Process/GetRepairOperation/00000000-0000-0000-0000-000000000000?processCode=x",
            400,
            "processCode",
        ),
        ("PUT", "/api/internal/Process/PutProcess", 400, "The request is invalid"),
        ("GET", "/api/App/TopFailed", 400, "The request is invalid"),
        (
            "GET",
            "/api/internal/App/GetAvailableSystemLanguages",
            501,
            "does not implement GET /api/internal/App/GetAvailableSystemLanguages",
        ),
    ],
)
def test_requests_are_checked_against_the_spec(
    wats_simulator: Simulator, method: str, path: str, status: int, text: str
) -> None:
    with client(wats_simulator, Referer="x") as c:
        response = c.request(method, path)
    assert response.status_code == status
    assert text in json.dumps(response.json())


def test_internal_calls_need_a_referer(wats_simulator: Simulator) -> None:
    with client(wats_simulator) as c:
        response = c.get("/api/internal/Process/GetProcesses")
    assert response.status_code == 400 and "Referer" in response.json()["Message"]


def test_faults(wats_simulator: Simulator) -> None:
    sim = wats_simulator
    sim.inject("/api/App/Version", status=503, retry_after="7", times=2)
    sim.inject("/api/app/version", empty=True)
    with client(sim) as c:
        first = c.get("/api/App/Version")
        assert first.status_code == 503 and first.headers["Retry-After"] == "7"
        assert c.get("/api/App/Version").status_code == 503
        empty = c.get("/api/App/Version")
        assert empty.status_code == 200 and empty.content == b""
        assert c.get("/api/App/Version").json() == "24.2.0-simulator"
        sim.inject("/api/App/Version", delay=0.3)
        started = time.monotonic()
        assert c.get("/api/App/Version").status_code == 200
        assert time.monotonic() - started >= 0.3
        sim.inject("/api/App/Version", drop=True)
        with pytest.raises(httpx.TransportError):
            c.get("/api/App/Version")
    assert sim.count("GET", "/api/App/Version") == 6


def test_control_endpoints_and_reset(wats_simulator: Simulator) -> None:
    with client(wats_simulator) as c:
        assert c.post("/_simulator/faults", json={"path": "/api/App/Version", "status": 500}).status_code == 200
        assert c.get("/api/App/Version").status_code == 500
        assert c.get("/_simulator/requests").json() == [{"method": "GET", "path": "/api/App/Version"}]
        wats_simulator.data.processes.clear()
        assert c.post("/_simulator/reset").status_code == 200
        assert len(c.get("/api/App/Processes").json()) == 11
        assert wats_simulator.faults == []


def test_data_from_a_json_file(tmp_path: Path) -> None:
    data = {"version": "23.1", "processes": [{"code": 42, "name": "Smoke", "isTestOperation": True}]}
    path = tmp_path / "wats.json"
    path.write_text(json.dumps(data))
    with Simulator(data=path) as sim, client(sim) as c:
        assert c.get("/api/App/Version").json() == "23.1"
        assert [p["name"] for p in c.get("/api/App/Processes").json()] == ["Smoke"]
    with pytest.raises(ValueError, match="lacks"):
        Simulator(data={"processes": [{"name": "no code"}]})


def test_command_line_prints_url_and_token() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pywats.simulator", "--token", "dG9rOnRvaw=="], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        assert proc.stdout.readline().strip() == f"export WATS_BASE_URL={url}"
        assert proc.stdout.readline().strip() == "export WATS_AUTH_TOKEN=dG9rOnRvaw=="
        response = httpx.get(url + "/api/App/Version", headers={"Authorization": "Basic dG9rOnRvaw=="})
        assert response.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_simulator_imports_nothing_of_the_facade() -> None:
    forbidden = ("pywats.core", "pywats.domains", "pywats._async", "pywats._sync", "pywats.exceptions")
    for path in (ROOT / "pywats" / "simulator").rglob("*.py"):
        # the package a relative import starts from: pywats.simulator, pywats.simulator.routes, ...
        package = list(path.relative_to(ROOT).parent.parts)
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                names = [".".join([*base, *([node.module] if node.module else [])])]
                names += [f"{names[0]}.{a.name}" for a in node.names]  # from .. import core
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                assert not name.startswith(forbidden), f"{path.name} imports {name}"


def test_non_json_bodies_pass_to_the_handler_and_blank_strings_bind() -> None:
    import httpx

    with Simulator() as sim:
        headers = {"Authorization": f"Basic {sim.token}"}
        with httpx.Client(base_url=sim.url, headers=headers) as http:
            # an XML body is the handler's to read, not a JSON syntax error of the core
            xml = http.put("/api/Product/BOM", content=b"<BOM/>", headers={"Content-Type": "application/xml"})
            assert "Invalid JSON" not in xml.text
            bad = http.put("/api/Product/BOM", content=b"<BOM/>", headers={"Content-Type": "application/json"})
            assert bad.status_code == 400 and "Invalid JSON" in bad.text
            # a required string given blank is bound as "" (ASP.NET does not call it missing)
            blank = http.get("/api/BarcodeIdentifiers/IdentifyBarcode", params={"code": ""})
            missing = http.get("/api/BarcodeIdentifiers/IdentifyBarcode")
    assert "does not contain an entry" not in blank.text
    assert missing.status_code == 400 and "does not contain an entry" in missing.text


def test_raw_answers_and_chunked_uploads() -> None:
    import httpx

    from pywats.simulator import Raw
    from pywats.simulator.wire import SimRequest

    seen: list[bytes] = []

    def echo(sim: Simulator, req: SimRequest, params: dict[str, object]) -> tuple[int, object]:
        seen.append(req.body)
        return 200, Raw(b"PK\x03\x04zipbytes", "application/zip", {"Content-Disposition": "attachment"})

    with Simulator() as sim:
        sim._handlers["PUT /api/Product/BOM"] = echo
        headers = {"Authorization": f"Basic {sim.token}", "Content-Type": "application/octet-stream"}
        with httpx.Client(base_url=sim.url, headers=headers) as http:
            response = http.put("/api/Product/BOM", content=iter([b"abc", b"", b"defg"]))  # no length: chunked
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert seen == [b"abcdefg"]
    assert response.content == b"PK\x03\x04zipbytes"
    assert response.headers["Content-Type"] == "application/zip" and response.headers["Content-Disposition"]


def test_stored_reports_are_found_by_id_after_resubmits_resets_and_direct_edits(wats_simulator: Simulator) -> None:
    # The report store keeps an id index for speed; whatever changes the list, ids still resolve.
    def wsjf(rid: str, sn: str) -> dict[str, object]:
        return {"type": "T", "id": rid, "pn": "IDX-1", "sn": sn, "rev": "A", "processCode": 10, "result": "P"}

    ids = [f"00000000-0000-4000-8000-{i:012d}" for i in range(3)]
    reports = wats_simulator.store.collection("reports")
    seeded = len(reports)
    with client(wats_simulator) as c:
        for i, rid in enumerate(ids):
            assert c.post("/api/Report/WSJF", json=wsjf(rid, f"SN{i}")).status_code == 200
        answer = c.post("/api/Report/WSJF", json=wsjf(ids[0].upper(), "SN0-again")).json()
        assert answer["Report_ID"] == seeded + 3  # replaced, not added
        assert [r["sn"] for r in reports[-3:]] == ["SN1", "SN2", "SN0-again"]
        assert c.get(f"/api/Report/Wsjf/{ids[0]}").json()["sn"] == "SN0-again"
        del reports[-1]  # a test's own edit of the store
        assert c.get(f"/api/Report/Wsjf/{ids[0]}").status_code == 404
        assert c.post("/api/Report/WSJF", json=wsjf(ids[1], "SN1-again")).json()["Report_ID"] == seeded + 2
        assert c.post("/_simulator/reset").status_code == 200
        assert all(c.get(f"/api/Report/Wsjf/{rid}").status_code == 404 for rid in ids)
        assert c.post("/api/Report/WSJF", json=wsjf(ids[2], "SN2")).json()["Report_ID"] == seeded + 1
