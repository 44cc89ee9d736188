"""Report documents that are not JSON: WSXF submitted and served as XML, attachments as a zip
archive and one by one (``GET /api/Report/Attachment``), sync and async, against the simulator."""

from __future__ import annotations

import base64
import io
import json
import uuid
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

import httpx
import pytest
from flavors import Flavor

import pywats
from pywats import ErrorMode, InvalidArgumentError, pyWATS
from pywats.domains.report import Attachment, CompOp, UURReport, UUTReport
from pywats.domains.report.async_service import _parse_text, _parse_zip
from pywats.simulator import Simulator
from pywats.simulator.routes.report import SEED_ATTACHMENT, SEED_UUR_ID, SEED_UUT_ID

NS = "{http://wats.virinco.com/schemas/WATS/Report/wsxf}"
# Written by hand from the WSXF description, not produced by the simulator, so that parsing is
# tested against the format and not only against the simulator's own rendering.
HAND_WSXF = """<?xml version="1.0" encoding="utf-8"?>
<Reports xmlns="http://wats.virinco.com/schemas/WATS/Report/wsxf">
  <Report ID="{rid}" type="UUT" PN="XML-PN" SN="XML-SN-1" Rev="C" Result="Failed"
          Start="2026-03-01T10:00:00.000+01:00" MachineName="XML-STATION" Location="Line X" Purpose="10">
    <Process Code="100" Name="ICT" />
    <UUT UserLoginName="xml-op" ExecTime="4.5" FixtureId="FX-9" />
    <MiscInfo Description="LotNumber">LOT-X</MiscInfo>
    <SubUnit PN="PCB-X" SN="XML-SN-1-PCB" Rev="B" PartType="PCBA" />
    <Step Id="1" Name="MainSequence Callback" StepType="SequenceCall" Status="Failed" Group="M">
      <SequenceCall Path="main.seq" Name="MainSequence" Version="2.0" />
      <Step Id="2" Name="5V" StepType="ET_NLT" Status="Failed" Group="M">
        <NumericLimit CompOp="GELE" Status="Failed" Unit="V" Value="5.4" LowLimit="4.9" HighLimit="5.1" />
      </Step>
      <Step Id="3" Name="LED" StepType="ET_PFT" Status="Passed" Group="M">
        <PassFail Status="Passed" />
      </Step>
      <Step Id="4" Name="FW" StepType="ET_SVT" Status="Passed" Group="M">
        <StringValue CompOp="CASESENSIT" Status="Passed" Value="1.0" Limit="1.0" />
      </Step>
      <Step Id="5" Name="Log" StepType="Label" Status="Done" Group="M">
        <Attachment Name="log.txt" ContentType="text/plain">{log}</Attachment>
      </Step>
    </Step>
  </Report>
</Reports>
"""


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def hand_wsxf(rid: uuid.UUID) -> str:
    return HAND_WSXF.format(rid=rid, log=base64.b64encode(b"line 1\nline 2\n").decode())


def auth(sim: Simulator) -> dict[str, str]:
    return {"Authorization": f"Basic {sim.token}"}


def without_nulls(value: Any) -> Any:
    """WSXF has no null: an attribute left out. Compare documents without their null keys."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def built_report(api: Any, sn: str) -> UUTReport:
    report: UUTReport = api.report.create_uut_report(
        operator="Jane", part_number="PCB-1", revision="C", serial_number=sn, operation_type=100
    )
    root = report.get_root_sequence_call()
    power = root.add_sequence_call("Power", file_name="power.seq", version="1.0")
    power.add_numeric_step("3V3", 3.31, CompOp.GELE, 3.2, 3.4, "V")
    root.add_pass_fail_step("POST", "Passed")
    root.add_string_step("FW", "2.1.5", "2.1.5", CompOp.CASESENSIT)
    report.add_misc_info("LotNumber", "LOT-7")
    report.add_attachment(Attachment.from_bytes("trace.bin", b"\x00\x01\xff", "application/octet-stream"))
    return report


# -- WSXF submit ------------------------------------------------------------------------------------------


def test_a_hand_written_wsxf_report_is_stored_as_wsjf(flavor: Flavor, wats_simulator: Simulator) -> None:
    rid = uuid.uuid4()

    def body(api: Any) -> Any:
        if isinstance(api, pyWATS):
            return api.report.submit_report_xml(hand_wsxf(rid)), api.report.get_report(rid)

        async def run() -> Any:
            got = await api.report.submit_report_xml(hand_wsxf(rid).encode())
            return got, await api.report.get_report(rid)

        return run()

    returned, report = flavor.run(kw(wats_simulator), body)
    assert returned == rid
    assert isinstance(report, UUTReport)
    assert (report.pn, report.sn, report.rev, report.result) == ("XML-PN", "XML-SN-1", "C", "F")
    assert (report.station_name, report.location, report.purpose, report.process_code) == (
        "XML-STATION",
        "Line X",
        "10",
        100,
    )
    doc = report.to_wsjf()
    assert doc["processName"] == "ICT" and doc["uut"]["execTime"] == 4.5 and doc["uut"]["fixtureId"] == "FX-9"
    assert doc["miscInfos"] == [{"description": "LotNumber", "text": "LOT-X"}]
    assert doc["subUnits"][0]["sn"] == "XML-SN-1-PCB"
    root = doc["root"]
    assert root["seqCall"] == {"path": "main.seq", "name": "MainSequence", "version": "2.0"}
    assert [s["name"] for s in root["steps"]] == ["5V", "LED", "FW", "Log"]
    assert root["steps"][0]["numericMeas"] == [
        {"compOp": "GELE", "status": "F", "unit": "V", "value": 5.4, "lowLimit": 4.9, "highLimit": 5.1}
    ]
    assert root["steps"][1]["booleanMeas"] == [{"status": "P"}]
    assert root["steps"][2]["stringMeas"][0]["limit"] == "1.0"  # strings stay strings
    assert root["steps"][3]["attachment"]["name"] == "log.txt"
    headers = pyWATS(**kw(wats_simulator)).report.get_headers_by_serial("XML-SN-1")
    assert [(h.uuid, h.result) for h in headers] == [(rid, "Failed")]


def test_wsjf_to_wsxf_and_back_keeps_header_and_step_tree(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        original = built_report(api, "SN-ROUND")
        first = api.report.submit_report(original)
        xml = api.report.get_report_xml(first)
        assert xml is not None
        copy_id = uuid.uuid4()
        assert api.report.submit_report_xml(xml.replace(str(first), str(copy_id))) == copy_id
        a, b = api.report.get_report(first), api.report.get_report(copy_id)
        assert a is not None and b is not None
        one, two = without_nulls(a.to_wsjf()), without_nulls(b.to_wsjf())
        for doc in (one, two):
            doc.pop("id")
        assert two == one
        assert api.report.download_attachment(copy_id, "trace.bin") == b"\x00\x01\xff"


def test_bad_wsxf_is_refused_with_the_servers_reason_and_nothing_is_stored(wats_simulator: Simulator) -> None:
    before = len(wats_simulator.store.collection("reports"))
    cases = {
        "<Reports><Report": "not well-formed XML",
        "<Other />": "root element must be <Reports>",
        '<Report ID="x" type="UUT" PN="P" SN="S"><Step Id="1" /></Report>': "must be a GUID",
        f'<Report ID="{uuid.uuid4()}" type="UUT" PN="P"><Step Id="1" /></Report>': "'SN' is required",
        f'<Report ID="{uuid.uuid4()}" type="XYZ" PN="P" SN="S" />': "must be UUT or UUR",
        f'<Report ID="{uuid.uuid4()}" type="UUT" PN="P" SN="S" />': "needs its root <Step>",
        f'<Report ID="{uuid.uuid4()}" type="UUT" PN="P" SN="S"><Step Id="one" /></Report>': "must be a number",
    }
    with pyWATS(**kw(wats_simulator)) as api:
        for document, reason in cases.items():
            with pytest.raises(pywats.ValidationError, match=reason) as caught:
                api.report.submit_report_xml(document)
            assert caught.value.status_code == 400
    raw = httpx.post(
        f"{wats_simulator.url}/api/Report/WSXF",
        content=b"<nope",
        headers={**auth(wats_simulator), "Content-Type": "application/xml"},
    )
    assert raw.status_code == 400 and "not well-formed" in raw.json()["Message"]
    assert len(wats_simulator.store.collection("reports")) == before


def test_bad_arguments_send_nothing(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match="document must be a WSXF document"):
            api.report.submit_report_xml("  \n")
        with pytest.raises(InvalidArgumentError, match="document must be a string or bytes"):
            api.report.submit_report_xml(UUTReport(pn="P", sn="S"))  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="exactly one"):
            api.report.get_attachment(SEED_UUT_ID)
        with pytest.raises(ValueError, match="exactly one"):
            api.report.get_attachment(SEED_UUT_ID, step_id=3, attachment_id=uuid.uuid4())
        with pytest.raises(ValueError, match="GUID"):
            api.report.get_attachment(SEED_UUT_ID, attachment_id="nope")
    assert wats_simulator.count("POST", "/api/Report/WSXF") == 0
    assert wats_simulator.count("GET", "/api/Report/Attachment") == 0


def test_wsxf_submit_is_never_retried_and_a_lost_call_names_the_report(wats_simulator: Simulator) -> None:
    rid = uuid.uuid4()
    wats_simulator.inject("/api/Report/WSXF", method="POST", status=503, times=1)
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(pywats.ServerError):
            api.report.submit_report_xml(hand_wsxf(rid))
        assert wats_simulator.count("POST", "/api/Report/WSXF") == 1
        wats_simulator.inject("/api/Report/WSXF", method="POST", drop=True, times=1)
        with pytest.raises(pywats.ConnectionError) as caught:
            api.report.submit_report_xml(hand_wsxf(rid))
        assert caught.value.details["report_id"] == str(rid) and str(rid) in str(caught.value)
        assert wats_simulator.count("POST", "/api/Report/WSXF") == 2
        assert api.report.submit_report_xml(hand_wsxf(rid)) == rid
        assert api.report.submit_report_xml(hand_wsxf(rid)) == rid  # the same id replaces
    assert sum(1 for r in wats_simulator.store.collection("reports") if r["id"] == str(rid)) == 1


# -- WSXF and zip served as themselves ----------------------------------------------------------------


def test_the_wsxf_answer_is_an_xml_document(flavor: Flavor, wats_simulator: Simulator) -> None:
    raw = httpx.get(f"{wats_simulator.url}/api/Report/Wsxf/{SEED_UUT_ID}", headers=auth(wats_simulator))
    assert raw.status_code == 200 and raw.headers["Content-Type"].startswith("application/xml")
    node = ET.fromstring(raw.content).find(f"{NS}Report")
    assert node is not None and node.get("ID") == SEED_UUT_ID and node.get("type") == "UUT"
    xml = flavor.run(kw(wats_simulator), lambda api: api.report.get_report_xml(SEED_UUT_ID))
    assert xml == raw.text
    uur = ET.fromstring(pyWATS(**kw(wats_simulator)).report.get_report_xml(SEED_UUR_ID) or "")
    assert uur.find(f"{NS}Report/{NS}UUR") is not None


def test_the_attachments_answer_is_a_zip_archive(flavor: Flavor, wats_simulator: Simulator) -> None:
    raw = httpx.get(f"{wats_simulator.url}/api/Report/Attachments/{SEED_UUT_ID}", headers=auth(wats_simulator))
    assert raw.status_code == 200 and raw.headers["Content-Type"] == "application/zip"
    assert f'filename="{SEED_UUT_ID}.zip"' in raw.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(raw.content)) as archive:
        assert archive.read(SEED_ATTACHMENT[0]) == SEED_ATTACHMENT[1]
    found = flavor.run(kw(wats_simulator), lambda api: api.report.get_attachments(SEED_UUT_ID))
    assert [(a.file_name, a.size, a.content) for a in found] == [
        (SEED_ATTACHMENT[0], len(SEED_ATTACHMENT[1]), SEED_ATTACHMENT[1])
    ]


def test_the_old_json_wrapped_forms_are_still_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", b"A")
    wrapped = httpx.Response(200, json=base64.b64encode(buffer.getvalue()).decode())
    assert [(a.file_name, a.content) for a in _parse_zip(wrapped)] == [("a.txt", b"A")]
    assert _parse_text(httpx.Response(200, content=json.dumps("<Reports />").encode())) == "<Reports />"
    assert _parse_text(httpx.Response(200, content=b"<Reports />")) == "<Reports />"


# -- one attachment: by step id (test reports) or attachment id (repair reports) ------------------------


def test_an_attachment_by_step_id(flavor: Flavor, wats_simulator: Simulator) -> None:
    found = flavor.run(kw(wats_simulator), lambda api: api.report.get_attachment(SEED_UUT_ID, step_id=3))
    assert found is not None
    assert (found.file_name, found.size, found.content, found.content_type) == (
        SEED_ATTACHMENT[0],
        len(SEED_ATTACHMENT[1]),
        SEED_ATTACHMENT[1],
        "image/png",
    )


def test_an_attachment_by_attachment_id_on_a_repair_report(flavor: Flavor, wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        uur = api.report.create_uur_from_part_and_process("WIDGET-001", "W-UUR-1", "A")
        assert isinstance(uur, UURReport)
        blob = uur.add_attachment(Attachment.from_bytes("photo é.jpg", b"\xff\xd8jpeg", "image/jpeg"))
        rid = api.report.submit_report(uur)
    assert blob.id is not None
    found = flavor.run(kw(wats_simulator), lambda api: api.report.get_attachment(rid, attachment_id=blob.id))
    assert found is not None
    assert (found.file_name, found.content, found.content_type) == ("photo é.jpg", b"\xff\xd8jpeg", "image/jpeg")


def test_a_missing_attachment_is_not_found_strict_and_none_lenient(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(pywats.NotFoundError, match="no attachment for step 2"):
            api.report.get_attachment(SEED_UUT_ID, step_id=2)  # a step without a file
        with pytest.raises(pywats.NotFoundError):
            api.report.get_attachment(uuid.uuid4(), step_id=3)
        with pytest.raises(pywats.NotFoundError):
            api.report.get_attachment(SEED_UUR_ID, attachment_id=uuid.uuid4())
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.report.get_attachment(SEED_UUT_ID, step_id=99) is None
    raw = httpx.get(
        f"{wats_simulator.url}/api/Report/Attachment", params={"reportId": SEED_UUT_ID}, headers=auth(wats_simulator)
    )
    assert raw.status_code == 400 and "attachmentId or stepId" in raw.json()["Message"]
