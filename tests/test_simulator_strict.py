"""The simulator held to the server's documents: request bodies and parameters checked (400 with
the server's error shape), and in strict mode its own answers checked (500, logged, and a failed
test through the pytest plugin)."""

from __future__ import annotations

import logging
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from pywats.simulator import Simulator
from pywats.simulator.wire import SimRequest


def _client(sim: Simulator) -> httpx.Client:
    return httpx.Client(base_url=sim.url, headers={"Authorization": f"Basic {sim.token}"}, timeout=30)


@pytest.mark.parametrize(
    ("method", "path", "body", "where"),
    [
        ("PUT", "/api/Asset", {"assetName": "x", "typeId": "6f7b1c2e-0000-4000-8000-000000000001"}, "serialNumber"),
        ("PUT", "/api/Asset", {"serialNumber": "S", "typeId": "not-a-guid"}, "typeId must be a GUID"),
        ("PUT", "/api/Asset/Types", {"typeName": "T", "runningCountLimit": "many"}, "runningCountLimit"),
        ("PUT", "/api/Production/Units", [{"serialNumber": 5, "partNumber": "P"}], "[0].serialNumber"),
        ("PUT", "/api/Production/Units", {"serialNumber": "S"}, "must be an array"),
    ],
)
def test_a_body_off_the_documents_is_a_400_naming_the_property(
    wats_simulator: Simulator, method: str, path: str, body: Any, where: str
) -> None:
    with _client(wats_simulator) as http:
        answer = http.request(method, path, json=body)
    assert answer.status_code == 400
    assert answer.json()["Message"].startswith("The request is invalid.") and where in answer.json()["Message"]
    assert where.split(" ")[0] in answer.json()["ModelState"]["body"][0]


def _wsjf(value: Any) -> dict[str, Any]:
    step = {"stepType": "ET_NLT", "name": "n", "status": "P", "numericMeas": [{"value": value, "compOp": "LOG"}]}
    return {
        "type": "T", "id": str(uuid.uuid4()), "pn": "P", "sn": f"SN-{value}", "processCode": 10, "result": "P",
        "root": {"stepType": "SequenceCall", "name": "M", "status": "P", "steps": [step]},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("NaN", None), ("-Infinity", None), ("1.5E+3", None), (2.5, None),  # as a .NET server reads a double
        ("abc", "root.steps[0].numericMeas[0].value must be a number, not 'abc'"),
        (True, "root.steps[0].numericMeas[0].value must be a number, not True"),
    ],
)  # fmt: skip
def test_a_wsjf_report_is_held_to_the_wsjf_definitions(wats_simulator: Simulator, value: Any, refused: str) -> None:
    with _client(wats_simulator) as http:
        answer = http.post("/api/Report/WSJF", json=_wsjf(value))
        stored = http.get("/api/Report/Query/Header", params={"$filter": f"serialNumber eq 'SN-{value}'"}).json()
    if refused is None:
        assert answer.status_code == 200, answer.text
        assert len(stored) == 1
    else:
        assert answer.status_code == 400 and refused in answer.json()["Message"]
        assert stored == []  # nothing kept


def test_property_names_of_a_body_match_without_case(wats_simulator: Simulator) -> None:
    with _client(wats_simulator) as http:
        answer = http.put("/api/Asset/Types", json={"TYPENAME": 5})
    assert answer.status_code == 400 and "TYPENAME must be a string" in answer.json()["Message"]


@pytest.mark.parametrize(
    ("method", "path", "params", "detail"),
    [
        ("GET", "/api/Production/Units/Changes", {"maxCount": "lots"}, "The value 'lots' is not valid for parameter"),
        ("GET", "/api/Production/Units/Changes", {}, "required parameter 'maxCount'"),
        ("GET", "/api/Report/Attachment", {"reportId": "not-a-guid"}, "parameter 'reportId'"),
        ("GET", "/api/Report/Attachment", {"stepId": "2"}, "required parameter 'reportId'"),
        ("PUT", "/api/Asset/State", {"state": "1.5", "id": "x"}, "parameter 'state'"),
        ("GET", "/api/App/RelatedRepairHistory", {"partNumber": "P"}, "required parameter 'revision'"),
    ],
)
def test_a_query_parameter_missing_or_of_the_wrong_type_is_a_400(
    wats_simulator: Simulator, method: str, path: str, params: dict[str, str], detail: str
) -> None:
    called: list[dict[str, Any]] = []
    wats_simulator._handlers[f"{method} {path}"] = lambda sim, req, bound: called.append(bound) or (200, None)
    with _client(wats_simulator) as http:
        answer = http.request(method, path, params=params)
    assert answer.status_code == 400, answer.text
    assert answer.json()["Message"] == "The request is invalid." and detail in answer.json()["MessageDetail"]
    assert called == []  # refused before the handler ran


def test_a_body_the_handler_cannot_read_is_a_415_not_a_500(wats_simulator: Simulator) -> None:
    with _client(wats_simulator) as http:
        answer = http.post("/api/App/DynamicYield", content=b"a=1", headers={"Content-Type": "text/plain"})
    assert answer.status_code == 415 and "text/plain" in answer.json()["Message"]


def _off_schema(sim: Any, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    return 200, [{"newUnitPhaseId": "not a number"}]


def test_strict_mode_refuses_an_answer_off_the_documents(caplog: pytest.LogCaptureFixture) -> None:
    with Simulator(strict=True) as sim, _client(sim) as http:
        sim._handlers["GET /api/Production/Units/Changes"] = _off_schema
        with caplog.at_level(logging.ERROR, logger="pywats.simulator"):
            answer = http.get("/api/Production/Units/Changes", params={"maxCount": 1})
        fine = http.get("/api/App/Version")
    assert answer.status_code == 500
    reason = answer.json()["ExceptionMessage"]
    assert reason.startswith("GET /api/Production/Units/Changes answered 200 off the API documents")
    assert sim.violations == [reason] and reason in caplog.text
    assert fine.status_code == 200 and len(sim.violations) == 1
    sim.violations.clear()  # provoked on purpose: the plugin would fail this test otherwise


def test_strict_can_be_turned_off() -> None:
    with Simulator(strict=False) as sim, _client(sim) as http:
        sim._handlers["GET /api/Production/Units/Changes"] = _off_schema
        answer = http.get("/api/Production/Units/Changes", params={"maxCount": 1})
    assert answer.status_code == 200 and not sim.violations


def test_in_a_test_session_simulators_are_strict_by_default() -> None:
    with Simulator() as sim:
        assert sim.strict


_OFF = "import httpx\ndef off(sim, req, params):\n    return 200, [{'newUnitPhaseId': 'x'}]\n"


def _pytest_on(tmp_path: Path, name: str, source: str) -> subprocess.CompletedProcess[str]:
    """Run pytest in a subprocess on one test file (``_OFF`` + ``source``)."""
    test = tmp_path / name
    test.write_text(_OFF + source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )


def test_the_pytest_fixture_fails_a_test_the_simulator_answered_off_the_documents(tmp_path: Path) -> None:
    run = _pytest_on(
        tmp_path,
        "test_off.py",
        "def test_it(wats_simulator):\n"
        "    wats_simulator._handlers['GET /api/Production/Units/Changes'] = off\n"
        "    httpx.get(wats_simulator.url + '/api/Production/Units/Changes?maxCount=1',\n"
        "              headers={'Authorization': 'Basic ' + wats_simulator.token})\n",
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "off the API documents" in run.stdout and "newUnitPhaseId" in run.stdout


def test_a_test_whose_own_simulator_answered_off_the_documents_fails(tmp_path: Path) -> None:
    # made in the test, not the fixture, and the client swallows the 500: the plugin still fails it
    run = _pytest_on(
        tmp_path,
        "test_own.py",
        "from pywats.simulator import Simulator\n"
        "def test_it():\n"
        "    with Simulator() as sim:\n"
        "        sim._handlers['GET /api/Production/Units/Changes'] = off\n"
        "        httpx.get(sim.url + '/api/Production/Units/Changes?maxCount=1',\n"
        "                  headers={'Authorization': 'Basic ' + sim.token})\n"
        "def test_clean():\n"
        "    with Simulator() as sim:\n"
        "        assert httpx.get(sim.url + '/api/App/Version',\n"
        "                         headers={'Authorization': 'Basic ' + sim.token}).status_code == 200\n",
    )
    assert run.returncode == 1, run.stdout + run.stderr
    # reported at teardown, as pytest reports a fixture's failure: an error of test_it alone
    assert "2 passed, 1 error" in run.stdout and "ERROR test_own.py::test_it" in run.stdout
    assert "off the API documents" in run.stdout and "newUnitPhaseId" in run.stdout


def test_an_ini_option_turns_the_off_documents_check_off_and_keeps_the_fixture(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nwats_simulator_fail_off_documents = false\n", encoding="utf-8")
    run = _pytest_on(
        tmp_path,
        "test_opt_out.py",
        "from pywats.simulator import Simulator\n"
        "def test_fixture(wats_simulator):\n"
        "    wats_simulator._handlers['GET /api/Production/Units/Changes'] = off\n"
        "    answer = httpx.get(wats_simulator.url + '/api/Production/Units/Changes?maxCount=1',\n"
        "                       headers={'Authorization': 'Basic ' + wats_simulator.token})\n"
        "    assert answer.status_code == 500 and wats_simulator.violations\n"
        "def test_own():\n"
        "    with Simulator() as sim:\n"
        "        sim._handlers['GET /api/Production/Units/Changes'] = off\n"
        "        httpx.get(sim.url + '/api/Production/Units/Changes?maxCount=1',\n"
        "                  headers={'Authorization': 'Basic ' + sim.token})\n"
        "        assert sim.strict and sim.violations\n",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout and "error" not in run.stdout
