"""The Report domain against the simulator, sync and async: build, submit, read back, query, attachments."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from flavors import Flavor

import pywats
from pywats import AsyncWATS, ErrorMode, Purpose, Station, StationConfig, pyWATS
from pywats._compat import UTC
from pywats.domains.report import (
    CompOp,
    FlowType,
    GenericStep,
    MultiNumericStep,
    NumericStep,
    PassFailStep,
    ReportHeaderValidationError,
    ReportType,
    SequenceCall,
    StringValueStep,
    UURReport,
    UUTReport,
    allow_problematic_characters,
    load_report,
)
from pywats.simulator import Simulator
from pywats.simulator.routes.report import SEED_ATTACHMENT, SEED_UUR_ID, SEED_UUT_ID
from pywats.tools.test_uut import TestUUT

GUIDES = Path(os.environ.get("WATS_GUIDES_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "guides"))
EXAMPLE = GUIDES / "wsjf_uut_example.json"

SEED_ATTACHMENT_STEP = 3  # the seeded passing UUT's "Screenshot" step holds SEED_ATTACHMENT
MINIMAL_WSXF = (
    '<Reports xmlns="http://wats.virinco.com/schemas/WATS/Report/wsxf">'
    '<Report ID="5e0c1a1e-0000-4000-8000-0000000000aa" type="UUT" PN="PN-1" SN="SN-1" Rev="A" Result="Passed">'
    '<Process Code="100" /><Step Id="1" Name="Main" StepType="SequenceCall" Status="Passed" /></Report></Reports>'
)

# Example calls for the framework's traffic test (tests/test_bindings.py): method -> (args, kwargs).
FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "create_uut_report": (("op", "PN-1", "A", "SN-1", 100), {}),
    "create_uur_report": ((UUTReport(pn="PN-1", sn="SN-1", process_code=100),), {}),
    "create_uur_from_part_and_process": (("PN-1", "SN-1"), {}),
    "submit_report": ((UUTReport(pn="PN-1", sn="SN-1", process_code=100),), {}),
    "submit_uut": ((UUTReport(pn="PN-1", sn="SN-1", process_code=100),), {}),
    "submit_uur": ((UURReport(pn="PN-1", sn="SN-1", process_code=500),), {}),
    "submit_uut_report": ((UUTReport(pn="PN-1", sn="SN-1", process_code=100),), {}),
    "submit_report_xml": ((MINIMAL_WSXF,), {}),
    "get_report": ((SEED_UUT_ID,), {"detail_level": 7, "include_chartdata": True, "include_attachments": True}),
    "get_uut_report": ((SEED_UUT_ID,), {}),
    "get_uur_report": ((SEED_UUR_ID,), {}),
    "get_report_xml": ((SEED_UUT_ID,), {"detail_level": 7}),
    "query_headers": (
        (ReportType.UUT, "partNumber eq 'WIDGET-001'"),
        {"top": 5, "skip": 0, "orderby": "start desc", "expand": ["subUnits"]},
    ),
    "query_uut_headers": ((), {}),
    "query_uur_headers": ((), {}),
    "get_headers_by_serial": (("W12345",), {}),
    "get_headers_by_part_number": (("WIDGET-001",), {}),
    "get_headers_by_date_range": ((date(2026, 1, 1), datetime(2030, 1, 1, tzinfo=UTC)), {}),
    "get_recent_headers": ((), {}),
    "get_todays_headers": ((), {}),
    "get_attachments": ((SEED_UUT_ID,), {}),
    "download_attachment": ((SEED_UUT_ID, SEED_ATTACHMENT[0]), {}),
    "get_attachment": ((SEED_UUT_ID,), {"step_id": SEED_ATTACHMENT_STEP}),
    "submit": ((UUTReport(pn="PN-1", sn="SN-1", process_code=100),), {}),
    "create_uur_from_uut": ((UUTReport(pn="PN-1", sn="SN-1", process_code=100), "op", "fixed"), {}),
    "get_all_attachments": ((SEED_UUT_ID,), {}),
    "get_certificate": ((SEED_UUT_ID,), {}),
    "query_headers_with_subunits": ((ReportType.UUT, "partNumber eq 'WIDGET-001'"), {"top": 5}),
    "query_headers_by_subunit_part_number": (("PCBA-001",), {"top": 5}),
    "query_headers_by_subunit_serial": (("PCBA-1",), {"top": 5}),
    "query_headers_by_misc_info": (("Firmware", "1.0"), {"top": 5}),
}


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def call(api: Any, fn: Any) -> Any:
    """Run ``fn(api)`` where it may return an awaitable (async flavour) and return its result."""
    return fn(api)


def build_report(api: Any, sn: str = "SN-100", fail: bool = False) -> UUTReport:
    report: UUTReport = api.report.create_uut_report(
        operator="Jane", part_number="PCB-1", revision="C", serial_number=sn, operation_type=100
    )
    root = report.get_root_sequence_call()
    power = root.add_sequence_call("Power", file_name="power.seq", version="1.0")
    power.add_numeric_step("3V3", 3.31, CompOp.GELE, 3.2, 3.4, "V")
    power.add_numeric_step("5V", 5.6 if fail else 5.0, CompOp.GELE, 4.9, 5.1, "V")
    root.add_pass_fail_step("POST", "Passed")
    root.add_string_step("FW", "2.1.5", "2.1.5", CompOp.CASESENSIT)
    multi = root.add_multiple_numeric_limit_test("Rails")
    multi.add_measurement("12V", 12.05, "V", CompOp.GELE, 11.5, 12.5)
    multi.add_measurement("-12V", -12.0, "V", CompOp.GELE, -12.5, -11.5)
    root.add_generic_step(FlowType.Label, "done")
    report.add_misc_info("LotNumber", "LOT-7")
    return report


# -- models: lossless ----------------------------------------------------------------------------------


def test_the_wsjf_example_loads_and_dumps_unchanged() -> None:
    if not EXAMPLE.is_file():
        pytest.skip(f"{EXAMPLE} missing (set WATS_GUIDES_DIR)") if not os.environ.get("CI") else pytest.fail(
            "no example"
        )
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    report = load_report(document)
    assert isinstance(report, UUTReport)
    assert report.to_wsjf() == document
    assert json.loads(report.to_json()) == document
    kinds = {type(s).__name__ for s in report.get_all_steps()}
    assert {
        "SequenceCall",
        "NumericStep",
        "MultiNumericStep",
        "PassFailStep",
        "StringValueStep",
        "GenericStep",
    } <= kinds
    assert report.info is not None and report.info.fixture_id == "290473  #84"


def test_unknown_step_types_and_keys_survive() -> None:
    document: dict[str, Any] = {
        "type": "T", "id": str(uuid.uuid4()), "pn": "P", "sn": "S", "futureHeader": {"x": [1, 2]},
        "uut": {"user": "u", "newInfo": 3},
        "root": {"id": 1, "stepType": "SequenceCall", "steps": [
            {"id": 2, "stepType": "QuantumStep", "status": "P", "qubits": [0.5, 0.25], "name": "q"},
            {"id": 3, "stepType": "ET_NLT", "numericMeas": [{"compOp": "GELE", "value": "NaN", "extra": True}]},
            {"id": 4, "stepType": "CallExecutable", "callExe": {"exitCode": 0, "more": "x"}},
            {"id": 5, "stepType": "MessagePopup", "messagePopup": {"response": "ok", "button": 1}},
            {"id": 6, "stepType": "WATS_XYGMNLT",
             "chart": {"chartType": "Line", "series": [{"xdata": "1;2", "ydata": "3;4"}]}},
            {"id": 7, "stepType": "ET_MSVT", "stringMeas": [{"value": "a"}, {"value": "b"}]},
            {"id": 8, "stepType": "ET_MPFT", "booleanMeas": [{"status": "P"}, {"status": "F"}]},
        ]},
    }  # fmt: skip
    report = load_report(document)
    assert report.to_wsjf() == document
    steps = report.get_all_steps()  # type: ignore[union-attr]
    names = [type(s).__name__ for s in steps]
    assert names == [
        "SequenceCall", "GenericStep", "NumericStep", "CallExeStep", "MessagePopupStep", "ChartStep",
        "MultiStringStep", "MultiBooleanStep",
    ]  # fmt: skip
    assert steps[1].model_extra == {"qubits": [0.5, 0.25]}


def test_a_uur_document_round_trips() -> None:
    document: dict[str, Any] = {
        "type": "R", "id": str(uuid.uuid4()), "pn": "P", "sn": "S", "processCode": 500, "result": "P",
        "uur": {"user": "tech", "processCode": 100, "refUUT": str(uuid.uuid4()), "x": 1},
        "subUnits": [{"pn": "P", "sn": "S", "idx": 0, "failures": [{"category": "C", "code": "X", "comRef": "R1"}]}],
        "binaryData": [{"name": "photo.jpg", "contentType": "image/jpeg", "data": "AAE=", "id": str(uuid.uuid4())}],
    }  # fmt: skip
    report = load_report(json.dumps(document))
    assert isinstance(report, UURReport)
    assert report.to_wsjf() == document
    assert report.test_process_code == 100 and report.get_all_failures()[0].com_ref == "R1"


def test_built_reports_round_trip_and_compute_their_status() -> None:
    with pyWATS(base_url="http://127.0.0.1:9", token="dTpw") as api:
        report = build_report(api, fail=True)
    report.finalize()
    assert report.result == "F"
    root = report.get_root_sequence_call()
    assert root.status == "F" and isinstance(root.steps[0], SequenceCall) and root.steps[0].status == "F"  # type: ignore[index]
    assert [s.id for s in report.get_all_steps()] == list(range(1, len(report.get_all_steps()) + 1))
    again = load_report(report.to_wsjf())
    assert again.to_wsjf() == report.to_wsjf()
    assert [type(s) for s in again.get_all_steps()] == [type(s) for s in report.get_all_steps()]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("comp", "value", "low", "high", "passed"),
    [
        (CompOp.GELE, 5.0, 4.9, 5.1, True), (CompOp.GELE, 5.2, 4.9, 5.1, False), (CompOp.GT, 75, 70, None, True),
        (CompOp.GT, 70, 70, None, False), (CompOp.LT, 5, None, 10, True), (CompOp.LT, 11, None, 10, False),
        (CompOp.EQ, 100, 100, None, True), (CompOp.NE, 0, 1, None, True), (CompOp.NE, 1, 1, None, False),
        (CompOp.LOG, 1e9, None, None, True), (CompOp.GTLT, 4.9, 4.9, 5.1, False), (CompOp.LTGT, 6, 4.9, 5.1, True),
        (CompOp.LEGE, 5.0, 4.9, 5.1, False),
    ],
)  # fmt: skip
def test_numeric_steps_get_their_status_from_the_limits(
    comp: CompOp, value: float, low: float | None, high: float | None, passed: bool
) -> None:
    step = SequenceCall(steps=[]).add_numeric_step("x", value, comp, low, high, "V")
    assert step.status == ("P" if passed else "F")
    assert step.numeric_meas is not None and step.numeric_meas[0].comp_op == comp.value


def test_missing_limits_and_bad_identifiers_are_refused() -> None:
    with pytest.raises(ValueError, match="comp_op GELE needs low_limit and high_limit"):
        SequenceCall(steps=[]).add_numeric_step("x", 1.0, CompOp.GELE, 1.0, None)
    with pytest.raises(ReportHeaderValidationError):
        UUTReport(pn="PART/001", sn="SN-1")
    with allow_problematic_characters(), pytest.warns(UserWarning):
        assert UUTReport(pn="PART/001", sn="SN-1").pn == "PART/001"
    assert UUTReport(pn="SUPPRESS:PART/001", sn="SN-1").pn == "PART/001"


def test_test_uut_builds_fluently_and_refuses_an_empty_part_number() -> None:
    uut = TestUUT(part_number="WIDGET-001", serial_number="SN-1", revision="A", operator="John", purpose=Purpose.TEST)
    assert uut.purpose == "10" and uut.operator == "John"
    uut.add_sequence_call("Power").add_numeric_step("5V", 5.0, CompOp.GELE, 4.9, 5.1, "V")
    assert isinstance(uut.add_pass_fail_step("LED", True), PassFailStep)
    assert uut.status == "P"
    uut.add_numeric_step("Temp", 90.0, CompOp.LE, None, 85.0, "degC")
    assert uut.status == "F" and not uut.passed
    with pytest.raises(pywats.ValidationError, match="part number"):
        TestUUT(part_number="", serial_number="SN-12345", revision="A")
    with pytest.raises(pywats.ValidationError, match="serial number"):
        TestUUT(part_number="P", serial_number="  ")
    with pytest.raises(pywats.InvalidArgumentError, match=r"part_number must be a string, not b'P' \(bytes\)"):
        TestUUT(part_number=b"P", serial_number="SN-1")  # type: ignore[arg-type]  # not "must not be empty"


# -- service -----------------------------------------------------------------------------------------------


def test_submit_then_get_returns_the_same_report(flavor: Flavor, wats_simulator: Simulator) -> None:
    station = Station(config=StationConfig(station_name="ICT-01", location="Line A"))

    def body(api: Any) -> Any:
        report = build_report(api)
        assert report.station_name == "ICT-01" and report.location == "Line A"

        async def run_async() -> Any:
            rid = await api.report.submit_report(report)
            return report, rid, await api.report.get_report(rid)

        if isinstance(api, AsyncWATS):
            return run_async()
        rid = api.report.submit_report(report)
        return report, rid, api.report.get_report(rid)

    report, rid, back = flavor.run(kw(wats_simulator, station=station), body)
    assert rid == uuid.UUID(str(report.id))
    assert isinstance(back, UUTReport)
    sent = report.to_wsjf()
    got = back.to_wsjf()
    assert got.pop("startUTC")
    assert got == sent
    stored = wats_simulator.store.collection("reports")
    assert any(r["id"] == str(rid) and r["sn"] == "SN-100" for r in stored)


def test_test_uut_takes_the_station_from_the_client(flavor: Flavor, wats_simulator: Simulator) -> None:
    station = Station(config=StationConfig(station_name="FCT-9", location="Hall 2"))
    uut = TestUUT(part_number="WIDGET-001", serial_number="SN-7", revision="A", operator="me")
    uut.add_pass_fail_step("ok", True)
    rid = flavor.run(kw(wats_simulator, station=station), lambda api: api.report.submit_report(uut))
    stored = next(r for r in wats_simulator.store.collection("reports") if r["id"] == str(rid))
    assert (stored["machineName"], stored["location"], stored["result"]) == ("FCT-9", "Hall 2", "P")


def test_an_empty_part_number_sends_nothing(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(pywats.ValidationError):
            api.report.create_uut_report("op", "", "A", "SN", 100)
        report = UUTReport(sn="SN-1", process_code=100)
        with pytest.raises(pywats.ValidationError):
            api.report.submit_report(report)
    assert not wats_simulator.requests


def test_the_server_refuses_a_bad_report_with_its_message(wats_simulator: Simulator) -> None:
    response = httpx.post(
        f"{wats_simulator.url}/api/Report/WSJF",
        json={"type": "X", "pn": "P", "sn": "S"},
        headers={"Authorization": f"Basic {wats_simulator.token}"},
    )
    assert response.status_code == 400 and "'type' must be" in response.json()["Message"]


def test_a_lost_connection_after_sending_names_the_report(wats_simulator: Simulator) -> None:
    wats_simulator.inject("/api/Report/WSJF", method="POST", drop=True, times=1)
    with pyWATS(**kw(wats_simulator)) as api:
        report = build_report(api, sn="SN-LOST")
        with pytest.raises(pywats.ConnectionError) as caught:
            api.report.submit_report(report)
        rid = caught.value.details["report_id"]
        assert rid == str(report.id) and rid in str(caught.value)
        assert wats_simulator.count("POST", "/api/Report/WSJF") == 1  # never retried
        with pytest.raises(pywats.NotFoundError):
            api.report.get_report(rid)
        assert api.report.submit_report(report) == uuid.UUID(rid)
        assert api.report.submit_report(report) == uuid.UUID(rid)  # resubmitting replaces
    assert sum(1 for r in wats_simulator.store.collection("reports") if r["id"] == rid) == 1


def test_every_failed_submit_names_the_report_and_says_when_it_may_be_stored(wats_simulator: Simulator) -> None:
    """An unreadable answer, an empty one or a gateway's 502 after the report was sent may hide a stored report."""
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    maybe_stored: list[tuple[type[pywats.PyWATSError], dict[str, Any]]] = [
        (pywats.InvalidResponseError, {"status": 200, "body": b'{"ID": "5e0c'}),
        (pywats.EmptyResponseError, {"empty": True}),
        (pywats.ServerError, {"status": 502, "body": html}),
    ]
    with pyWATS(**kw(wats_simulator, retry_enabled=False)) as api:
        for kind, fault in maybe_stored:
            wats_simulator.inject("/api/Report/WSJF", method="POST", **fault)
            report = build_report(api, sn="SN-UNSURE")
            with pytest.raises(kind) as caught:
                api.report.submit_report(report)
            assert caught.value.details["report_id"] == str(report.id)
            assert f"get_report('{report.id}')" in str(caught.value)
        wats_simulator.inject("/api/Report/WSJF", method="POST", status=403, json={"Message": "no"})
        report = build_report(api, sn="SN-REFUSED")
        with pytest.raises(pywats.AuthorizationError) as refused:
            api.report.submit_report(report)
        assert refused.value.details["report_id"] == str(report.id) and "may have reached" not in str(refused.value)
        wats_simulator.inject("/api/Report/WSXF", method="POST", status=200, body=b"<html>login</html>")
        with pytest.raises(pywats.InvalidResponseError) as xml:
            api.report.submit_report_xml(MINIMAL_WSXF)
        assert xml.value.details["report_id"] == "5e0c1a1e-0000-4000-8000-0000000000aa"


def test_a_submit_not_confirmed_raises_in_lenient_mode_too(wats_simulator: Simulator) -> None:
    """LENIENT turns "not found" and empty reads into None; a submit answered so was not stored or
    not confirmed, and None would read as done."""
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        wats_simulator.inject("/api/Report/WSJF", method="POST", status=404, json={"Message": "No HTTP resource"})
        report = build_report(api, sn="SN-LENIENT")
        with pytest.raises(pywats.NotFoundError) as missing:
            api.report.submit_report(report)
        assert missing.value.details["report_id"] == str(report.id)
        wats_simulator.inject("/api/Report/WSJF", method="POST", empty=True)
        with pytest.raises(pywats.EmptyResponseError, match="returned no report \\(report"):
            api.report.submit_report(report)
        wats_simulator.inject("/api/Report/WSXF", method="POST", status=404)
        with pytest.raises(pywats.NotFoundError):
            api.report.submit_report_xml(MINIMAL_WSXF)
        assert api.report.submit_report(report) == uuid.UUID(str(report.id))  # a plain submit still works
        assert api.report.get_report(uuid.uuid4()) is None  # reads stay lenient


def test_unknown_reports_strict_and_lenient(wats_simulator: Simulator) -> None:
    missing = uuid.uuid4()
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(pywats.NotFoundError):
            api.report.get_report(missing)
        with pytest.raises(pywats.InvalidArgumentError, match="report_id must be a report id"):
            api.report.get_report("nope")
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.report.get_report(missing) is None
        assert api.report.get_attachments(missing) == []
        assert api.report.download_attachment(SEED_UUT_ID, "nothing.bin") is None


def test_bad_report_arguments_are_argument_errors_naming_them(wats_simulator: Simulator) -> None:
    """Refused before sending, as the one bad-argument type naming the argument."""
    with pyWATS(**kw(wats_simulator)) as api:
        cases: list[tuple[str, Any]] = [
            ("report_id", lambda: api.report.get_report(None)),
            ("report_id", lambda: api.report.get_attachments(12345)),
            ("top", lambda: api.report.query_uut_headers(top=-1)),
            ("top", lambda: api.report.get_recent_headers(top=10**30)),
            ("skip", lambda: api.report.query_headers(skip=-5)),
            ("document", lambda: api.report.submit_report_xml(" ")),
            ("part_number", lambda: api.report.create_uut_report("op", "../x", "A", "SN-1", 100)),
            ("serial_number", lambda: api.report.create_uur_from_part_and_process("PN-1", "SN?1")),
        ]
        for argument, attempt in cases:
            with pytest.raises(pywats.InvalidArgumentError) as caught:
                attempt()
            assert caught.value.details["argument"] == argument and argument in str(caught.value)
        with pytest.raises(pywats.InvalidArgumentError, match="user_id"):
            api.scim.get_user(None)  # type: ignore[arg-type]
    assert not wats_simulator.requests


def test_a_builder_error_names_the_method_the_user_called() -> None:
    """add_pass_fail_step forwards to add_boolean_step: the message must not name a method never called."""
    uut = TestUUT(part_number="PCB-1", serial_number="SN-1", revision="A")
    calls = [
        ("add_pass_fail_step", lambda: uut.add_pass_fail_step("LED", "yes")),
        ("add_numeric_limit_step", lambda: uut.add_numeric_limit_step("5V", "abc", "V", 4.9, 5.1)),
        ("add_pass_fail_step", lambda: uut.add_sequence_call("Power").add_pass_fail_step("LED", 7)),
    ]
    for called, attempt in calls:
        with pytest.raises(pywats.InvalidArgumentError) as caught:
            attempt()
        assert caught.value.operation == called and str(caught.value).startswith(f"{called}: ")


def _wire_time(text: str) -> datetime:
    # Python 3.10's fromisoformat does not read a "Z" suffix
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_naive_start_is_sent_as_the_stations_local_time(wats_simulator: Simulator) -> None:
    """datetime.now()-style times carry the local offset on the wire, as the default start does."""
    local = datetime(2026, 1, 5, 10, 0, 0)
    uut = TestUUT(part_number="PCB-1", serial_number="SN-LOCAL", revision="A", operator="o", start=local)
    step = uut.add_pass_fail_step("p", True)
    step.start = local + timedelta(seconds=3)
    document = uut.to_wsjf()
    sent = _wire_time(document["start"])
    assert sent.tzinfo is not None and sent == local.astimezone()
    assert _wire_time(document["root"]["steps"][0]["start"]) == (local + timedelta(seconds=3)).astimezone()
    with pyWATS(**kw(wats_simulator)) as api:
        api.report.submit_report(uut)
        (header,) = api.report.query_uut_headers("serialNumber eq 'SN-LOCAL'")
    assert header.start == local.astimezone()
    text = UUTReport.model_validate({"type": "T", "start": "2026-01-05T10:00:00"}).to_wsjf()["start"]
    assert text == "2026-01-05T10:00:00"  # text read from the wire goes back as it came
    for end in (datetime.min, datetime.max):  # no local offset exists there: sent as it is, no error
        sent_end = TestUUT(part_number="P", serial_number="S", start=end).to_wsjf()["start"]
        assert sent_end.startswith(end.isoformat()[:10])


def test_uur_from_a_failed_uut(flavor: Flavor, wats_simulator: Simulator) -> None:
    def body(api: Any) -> Any:
        uut = build_report(api, sn="SN-F", fail=True)
        uur = api.report.create_uur_report(uut, repair_process_code=500, operator="Tech")
        uur.get_main_unit().add_failure("Component", "CAP_FAIL", "C15 open", com_ref="C15")

        async def run_async() -> Any:
            await api.report.submit_report(uut)
            return uut, uur, await api.report.get_report(await api.report.submit_report(uur))

        if isinstance(api, AsyncWATS):
            return run_async()
        api.report.submit_report(uut)
        return uut, uur, api.report.get_report(api.report.submit_report(uur))

    uut, _uur, back = flavor.run(kw(wats_simulator), body)
    assert uut.result == "F"
    assert isinstance(back, UURReport)
    assert back.info is not None and str(back.info.ref_uut) == str(uut.id) and back.info.process_code == 100
    assert back.process_code == 500 and back.get_all_failures()[0].com_ref == "C15"


def test_the_guides_submit_spellings_store_the_report(flavor: Flavor, wats_simulator: Simulator) -> None:
    """submit_uut / submit_uur (object-model guides) and submit_uut_report (Process guide) are
    submit_report under another name: each stores its report, got back by the id it returns."""

    def body(api: Any) -> Any:
        uut = build_report(api, sn="SN-ALIAS", fail=True)
        uur = api.report.create_uur_report(uut, operator="Tech")
        again = build_report(api, sn="SN-ALIAS-2")
        calls = [(api.report.submit_uut, uut), (api.report.submit_uur, uur), (api.report.submit_uut_report, again)]

        async def run_async() -> Any:
            ids = [await call(report) for call, report in calls]
            return [await api.report.get_report(i) for i in ids]

        if isinstance(api, AsyncWATS):
            return run_async()
        return [api.report.get_report(call(report)) for call, report in calls]

    back = flavor.run(kw(wats_simulator), body)
    assert [(type(r).__name__, r.sn) for r in back] == [
        ("UUTReport", "SN-ALIAS"),
        ("UURReport", "SN-ALIAS"),
        ("UUTReport", "SN-ALIAS-2"),
    ]
    assert [r.method for r in wats_simulator.requests if r.path == "/api/Report/WSJF"].count("POST") == 3


def test_header_queries(flavor: Flavor, wats_simulator: Simulator) -> None:
    def body(api: Any) -> Any:
        reports = [build_report(api, sn=f"Q-{i}", fail=i % 2 == 1) for i in range(6)]
        for i, r in enumerate(reports):
            r.start = (datetime(2026, 1, 10, tzinfo=UTC) + timedelta(hours=i)).isoformat()
        calls = [
            lambda: api.report.query_uut_headers("startswith(serialNumber, 'Q-') and result eq 'Failed'", top=100),
            lambda: api.report.query_uut_headers("serialNumber in ('Q-1', 'Q-2') or serialNumber eq 'Q-5'"),
            lambda: api.report.query_headers(
                None,
                "contains(serialNumber, 'q-') and not (result eq 'Passed')",
                top=2,
                skip=1,
                orderby="serialNumber desc",
            ),
            lambda: api.report.query_uut_headers("start ge 2026-01-10T02:00:00Z and start lt 2026-01-10T04:00:00Z"),
            lambda: api.report.query_uur_headers(),
            lambda: api.report.get_headers_by_serial("Q-3"),
            lambda: api.report.query_uut_headers("serialNumber eq 'Q-0'", expand=["subUnits", "miscInfo"]),
        ]  # fmt: skip

        async def run_async() -> Any:
            for r in reports:
                await api.report.submit_report(r)
            return [await c() for c in calls]

        if isinstance(api, AsyncWATS):
            return run_async()
        for r in reports:
            api.report.submit_report(r)
        return [c() for c in calls]

    failed, listed, paged, ranged, repairs, by_serial, expanded = flavor.run(kw(wats_simulator), body)
    assert sorted(h.serial_number for h in failed) == ["Q-1", "Q-3", "Q-5"]
    assert all(h.status == "Failed" and h.report_type == "T" for h in failed)
    assert sorted(h.serial_number for h in listed) == ["Q-1", "Q-2", "Q-5"]
    assert [h.serial_number for h in paged] == ["Q-3", "Q-1"]
    assert sorted(h.serial_number for h in ranged) == ["Q-2", "Q-3"]
    assert [h.uuid for h in repairs] == [uuid.UUID(SEED_UUR_ID)]
    assert [h.serial_number for h in by_serial] == ["Q-3"] and by_serial[0].start_utc.tzinfo is not None
    assert expanded[0].misc_info[0].description == "LotNumber" and expanded[0].sub_units == []


def test_default_page_order_and_top_limit(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        for i in range(12):
            r = api.report.create_uut_report("op", "PN-T", "A", f"T-{i:02}", 100)
            r.start = (datetime(2026, 2, 1, tzinfo=UTC) + timedelta(minutes=i)).isoformat()
            api.report.submit_report(r)
        default = api.report.query_headers(odata_filter="partNumber eq 'PN-T'")
        assert [h.serial_number for h in default] == [f"T-{i:02}" for i in range(11, 1, -1)]  # 10, newest first
        with pytest.raises(pywats.InvalidArgumentError, match="top must be"):
            api.report.query_headers(top=10001)
    response = httpx.get(
        f"{wats_simulator.url}/api/Report/Query/Header",
        params={"$top": "10001"},
        headers={"Authorization": f"Basic {wats_simulator.token}"},
    )
    assert response.status_code == 400 and "10000" in response.json()["Message"]


@pytest.mark.parametrize(
    ("odata", "message"),
    [
        ("status eq 'Failed'", "Could not find a property named 'status'"),
        ("serialNumber eq", "Expression expected"),
        ("serialNumber eq 'x' and", "Expression expected"),
        ("start eq 'yesterday'", "incompatible types"),
        ("year(start) eq 2026", "unknown function"),
        ("processCode add 1 eq 2", "not supported"),
        ("serialNumber eq 'x' )", "not valid"),
    ],
)
def test_bad_odata_is_a_400_with_the_servers_kind_of_message(
    wats_simulator: Simulator, odata: str, message: str
) -> None:
    with pyWATS(**kw(wats_simulator)) as api, pytest.raises(pywats.ValidationError, match=message) as caught:
        api.report.query_headers(odata_filter=odata)
    assert caught.value.status_code == 400


def test_orderby_only_on_documented_fields(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        assert len(api.report.query_headers(orderby="timeStamp asc, uuid")) == 3
        with pytest.raises(pywats.ValidationError, match="Order by 'partNumber' is not allowed"):
            api.report.query_headers(orderby="partNumber")


def test_quotes_in_helper_values_are_escaped(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        r = api.report.create_uut_report("op", "PN-Q", "A", "O'Brien-1", 100)
        api.report.submit_report(r)
        assert [h.serial_number for h in api.report.get_headers_by_serial("O'Brien-1")] == ["O'Brien-1"]


def test_attachments_round_trip(flavor: Flavor, wats_simulator: Simulator) -> None:
    def body(api: Any) -> Any:
        report = build_report(api, sn="SN-ATT")
        report.add_attachment(pywats.domains.report.Attachment.from_bytes("log.txt", b"hello\x00world", "text/plain"))

        async def run_async() -> Any:
            rid = await api.report.submit_report(report)
            return await api.report.get_attachments(rid), await api.report.download_attachment(rid, "log.txt")

        if isinstance(api, AsyncWATS):
            return run_async()
        rid = api.report.submit_report(report)
        return api.report.get_attachments(rid), api.report.download_attachment(rid, "log.txt")

    listed, content = flavor.run(kw(wats_simulator), body)
    assert [(a.file_name, a.size) for a in listed] == [("log.txt", 11)]
    assert content == b"hello\x00world"


def test_download_of_a_missing_attachment_is_not_found(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        assert api.report.download_attachment(SEED_UUT_ID, SEED_ATTACHMENT[0]) == SEED_ATTACHMENT[1]
        with pytest.raises(pywats.NotFoundError, match="no attachment"):
            api.report.download_attachment(SEED_UUT_ID, "other.png")


def test_wsxf_of_a_submitted_report(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        report = build_report(api, sn="SN-XML")
        rid = api.report.submit_report(report)
        xml = api.report.get_report_xml(rid)
    assert xml is not None and xml.startswith("<?xml")
    import xml.etree.ElementTree as ET

    tree = ET.fromstring(xml)
    ns = "{http://wats.virinco.com/schemas/WATS/Report/wsxf}"
    node = tree.find(f"{ns}Report")
    assert node is not None and node.get("SN") == "SN-XML" and node.get("ID") == str(rid)
    assert any(s.get("Name") == "3V3" for s in tree.iter(f"{ns}Step"))


def test_concurrent_async_submits(wats_simulator: Simulator) -> None:
    async def main() -> list[Any]:
        async with AsyncWATS(**kw(wats_simulator)) as api:
            reports = [build_report(api, sn=f"C-{i}") for i in range(8)]
            ids = await asyncio.gather(*(api.report.submit_report(r) for r in reports))
            headers = await asyncio.gather(*(api.report.get_headers_by_serial(f"C-{i}") for i in range(8)))
            return [ids, headers]

    ids, headers = asyncio.run(main())
    assert len(set(ids)) == 8
    assert [[h.uuid for h in hs] for hs in headers] == [[i] for i in ids]


def test_step_kinds_built_in_python() -> None:
    root = SequenceCall(steps=[])
    assert isinstance(root.add_numeric_limit_step("a", 1.0, "V", 0.0, 2.0, "Passed"), NumericStep)
    assert isinstance(root.add_multiple_numeric_limit_test("m"), MultiNumericStep)
    assert isinstance(root.add_string_step("s", "x", comp_op=CompOp.LOG), StringValueStep)
    assert isinstance(root.add_generic_step(FlowType.Goto, "g"), GenericStep)
    chart = pywats.domains.report.Chart.create_xy_chart("IV", [0, 1], [0, 2])
    assert root.add_chart_step("c", chart).charts[0].series[0].ydata == "0.0;2.0"  # type: ignore[index]
    assert root.add_call_exe_step("e", exit_code=3).status == "F"
    assert root.add_message_popup_step("p", "yes").message_popup == {"response": "yes", "button": 1}
    mb = root.add_multiple_pass_fail_test("mb")
    mb.add_measurement("a", True)
    mb.add_measurement("b", False)
    assert mb.status == "F"
    ms = root.add_multiple_string_value_test("ms")
    ms.add_measurement("Model", "X1", CompOp.CASESENSIT, "X1")
    assert ms.status == "P"
    assert root.calculate_totals()["total"] == 9


def test_a_timeout_after_sending_names_the_report_that_did_arrive(wats_simulator: Simulator) -> None:
    wats_simulator.inject("/api/Report/WSJF", method="POST", delay=1.0, times=1)
    with pyWATS(**kw(wats_simulator, timeout=0.3)) as api:
        report = build_report(api, sn="SN-SLOW")
        with pytest.raises(pywats.TimeoutError) as caught:
            api.report.submit_report(report)
        rid = caught.value.details["report_id"]
        assert rid == str(report.id)
    with pyWATS(**kw(wats_simulator)) as api:
        deadline = datetime.now() + timedelta(seconds=10)
        found = None
        while found is None and datetime.now() < deadline:  # the slow answer still stores the report
            if wats_simulator.store.collection("reports")[-1]["id"] == rid:
                found = api.report.get_report(rid)
            else:
                time.sleep(0.05)
        assert isinstance(found, UUTReport) and found.sn == "SN-SLOW"
    assert wats_simulator.count("POST", "/api/Report/WSJF") == 1


def test_the_guides_field_spellings_build_the_same_report() -> None:
    from pywats.domains.report.models import UUTReport

    report = UUTReport(
        serial_number="SN12345", part_number="WIDGET-001", revision="A", operation_type_code=200, station="FCT-01"
    )
    assert (report.sn, report.pn, report.rev, report.process_code, report.station_name) == (
        "SN12345",
        "WIDGET-001",
        "A",
        200,
        "FCT-01",
    )
    wire = report.model_dump(by_alias=True, exclude_none=True)
    assert wire["sn"] == "SN12345" and wire["processCode"] == 200 and wire["machineName"] == "FCT-01"
    assert not {"serial_number", "part_number", "operation_type_code", "station"} & wire.keys()


def test_comparison_operators_are_found_by_value_or_name_in_any_case() -> None:
    from pywats import CompOperator

    assert CompOperator is CompOp
    # the analytics guide's names and WSJF's values both work, as the server matches them
    assert CompOp("CASESENSIT") is CompOp("CaseSensitive") is CompOp.CASESENSIT
    assert CompOp("gele") is CompOp.GELE
    assert CompOp(" ignore_case ") is CompOp.IGNORECASE
    with pytest.raises(ValueError, match="BETWEEN"):
        CompOp("BETWEEN")
    uut = UUTReport(pn="PN-1", sn="SN-1", rev="A", process_code=10, station_name="S", location="L", purpose="P")
    step = uut.get_root_sequence_call().add_string_step("FW", "2.1.5", "2.1.5", "casesensit")
    assert step.string_meas is not None and step.string_meas[0].comp_op == "CaseSensitive"
