"""The pyWATS 0.x names of the Report service against the simulator, sync and async."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flavors import Flavor, drive, v

from pywats import InvalidArgumentError, NotFoundError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.report import ReportType, UURReport, UUTReport
from pywats.domains.report.models import Attachment
from pywats.simulator import Simulator
from pywats.simulator.routes._odata import Entity, ODataError, compile_filter


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def _unit(api: Any, sn: str, board_sn: str, *, firmware: str = "2.1.0") -> UUTReport:
    report: UUTReport = api.report.create_uut_report("Jane", "WIDGET-001", "A", sn, 100)
    report.add_sub_unit("PCBA-77", board_sn, "C", "PCBA")
    report.add_misc_info("Firmware", firmware)
    return report


def test_submit_takes_reports_and_wsjf_documents(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        report = _unit(api, "SN-SUB-1", "B-1")
        first = await v(api.report.submit(report))
        document = _unit(api, "SN-SUB-2", "B-2").to_wsjf()
        second = await v(api.report.submit(document))
        return first, second, await v(api.report.get_report(first)), await v(api.report.get_report(second))

    first, second, one, two = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert isinstance(first, uuid.UUID) and isinstance(second, uuid.UUID) and first != second
    assert one.sn == "SN-SUB-1" and two.sn == "SN-SUB-2" and two.sub_units[0].sn == "B-2"


def test_create_uur_from_uut_links_and_notes(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        uut = _unit(api, "SN-R-1", "B-9")
        uut.id = str(uuid.uuid4())
        uur = api.report.create_uur_from_uut(uut, "Tom", "replaced C12")
        assert isinstance(uur, UURReport)
        assert (uur.pn, uur.sn, uur.rev, uur.process_code) == ("WIDGET-001", "SN-R-1", "A", 500)
        assert uur.info.ref_uut == uut.id and uur.info.process_code == 100
        assert uur.info.user == "Tom" and uur.info.comment == "replaced C12"
        rework = api.report.create_uur_from_uut(uut, repair_process_code=510)
        assert rework.process_code == 510 and rework.info.comment is None
        with pytest.raises(InvalidArgumentError, match="uut_report"):
            api.report.create_uur_from_uut({"pn": "X"})  # type: ignore[arg-type]
    assert not wats_simulator.requests


def test_all_attachments_and_certificate(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        report = _unit(api, "SN-CERT-1", "B-3")
        report.add_attachment(Attachment.from_bytes("scope.csv", b"t,v\n0,1\n", "text/csv"))
        rid = await v(api.report.submit(report))
        with pytest.raises(NotFoundError):
            await v(api.report.get_certificate(uuid.uuid4()))
        return rid, await v(api.report.get_all_attachments(rid)), await v(api.report.get_certificate(rid))

    rid, files, certificate = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert [(f.file_name, f.content) for f in files] == [("scope.csv", b"t,v\n0,1\n")]
    assert certificate["reportId"] == str(rid) and certificate["serialNumber"] == "SN-CERT-1"
    assert certificate["result"] == "Passed" and certificate["operator"] == "Jane"


def test_queries_by_subunit(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        for sn, board in (("SN-Q-1", "BRD-1"), ("SN-Q-2", "BRD-2"), ("SN-Q-3", "brd-1")):
            await v(api.report.submit(_unit(api, sn, board)))
        uur = api.report.create_uur_from_part_and_process("WIDGET-001", "SN-Q-9")
        uur.add_sub_unit("PCBA-77", "BRD-REP", "C")
        await v(api.report.submit(uur))
        r = api.report
        return (
            await v(r.query_headers_by_subunit_part_number("pcba-77")),
            await v(r.query_headers_by_subunit_part_number("PCBA-77", top=1)),
            await v(r.query_headers_by_subunit_serial("BRD-1")),
            await v(r.query_headers_by_subunit_serial("BRD-REP")),
            await v(r.query_headers_by_subunit_serial("BRD-REP", ReportType.UUR)),
            await v(r.query_headers_with_subunits(ReportType.UUT, "serialNumber eq 'SN-Q-2'")),
            await v(r.query_headers_with_subunits(ReportType.UUR, "serialNumber eq 'SN-Q-9'")),
        )

    by_pn, top1, by_sn, uut_only, repair, with_units, repair_units = flavor.run(
        kw(wats_simulator), drive(flavor, steps)
    )
    assert [h.serial_number for h in by_pn] == ["SN-Q-3", "SN-Q-2", "SN-Q-1"]  # newest first
    assert [h.serial_number for h in top1] == ["SN-Q-3"]
    assert sorted(h.serial_number for h in by_sn) == ["SN-Q-1", "SN-Q-3"]  # text compares without case
    assert all(h.sub_units and h.sub_units[0].part_number == "PCBA-77" for h in by_pn)
    assert uut_only == []
    assert [h.serial_number for h in repair] == ["SN-Q-9"] and repair[0].report_type == "R"
    assert [u.serial_number for u in with_units[0].sub_units] == ["BRD-2"]
    assert "BRD-REP" in [u.serial_number for u in repair_units[0].sub_units]


def test_query_by_misc_info(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        for sn, firmware in (("SN-M-1", "2.1.0"), ("SN-M-2", "2.2.0"), ("SN-M-3", "2.1.0")):
            await v(api.report.submit(_unit(api, sn, f"B-{sn}", firmware=firmware)))
        r = api.report
        return (
            await v(r.query_headers_by_misc_info("Firmware", "2.1.0")),
            await v(r.query_headers_by_misc_info("firmware")),
            await v(r.query_headers_by_misc_info("Firmware", "2.1.0", top=1)),
            await v(r.query_headers_by_misc_info("Firmware", "9.9")),
        )

    exact, any_value, top1, none = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert [h.serial_number for h in exact] == ["SN-M-3", "SN-M-1"]
    assert {"SN-M-1", "SN-M-2", "SN-M-3"} <= {h.serial_number for h in any_value}
    assert [h.serial_number for h in top1] == ["SN-M-3"] and none == []
    assert exact[0].misc_info[0].description == "Firmware" and exact[0].misc_info[0].value == "2.1.0"
    assert exact[0].report_type == "T" and exact[0].process_code == 100


def test_bad_arguments_send_nothing(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match="subunit_part_number"):
            api.report.query_headers_by_subunit_part_number("")
        with pytest.raises(InvalidArgumentError, match="subunit_serial_number"):
            api.report.query_headers_by_subunit_serial("  ")
        with pytest.raises(InvalidArgumentError, match="top"):
            api.report.query_headers_by_misc_info("Firmware", top=-1)
        with pytest.raises(InvalidArgumentError, match="description"):
            api.report.query_headers_by_misc_info("")
    assert not wats_simulator.requests
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.report.get_certificate(uuid.uuid4()) is None


def test_the_simulators_filter_takes_any_and_all_lambdas() -> None:
    item = Entity("SubUnit", {"partNumber": "string", "qty": "int"})
    entity = Entity("Header", {"serialNumber": "string"}, collections={"subUnits": item})
    rows = [
        {"serialNumber": "A", "subUnits": [{"partNumber": "X", "qty": 1}, {"partNumber": "Y", "qty": 5}]},
        {"serialNumber": "B", "subUnits": [{"partNumber": "x", "qty": 3}]},
        {"serialNumber": "C", "subUnits": []},
    ]

    def hits(text: str) -> list[str]:
        predicate = compile_filter(text, entity)
        return [r["serialNumber"] for r in rows if predicate(r)]

    assert hits("subUnits/any(s: s/partNumber eq 'X')") == ["A", "B"]
    assert hits("subUnits/any(s: s/qty gt 2 and s/partNumber eq 'y')") == ["A"]
    assert hits("subUnits/all(s: s/qty ge 3)") == ["B", "C"]  # all() of nothing holds, as in OData
    assert hits("serialNumber ne 'B' and not subUnits/any(u: contains(u/partNumber, 'y'))") == ["C"]
    for bad, message in (
        ("parts/any(s: s/partNumber eq 'X')", "property named 'parts'"),
        ("subUnits/any(s: s/color eq 'X')", "property named 'color' on type 'SubUnit'"),
        ("subUnits/count(s: s/qty eq 1)", "'any' or 'all' expected"),
    ):
        with pytest.raises(ODataError, match=message):
            compile_filter(bad, entity)
