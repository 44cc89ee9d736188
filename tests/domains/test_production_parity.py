"""The pyWATS 0.x production methods against the simulator, sync and async: what each changes is
seen through the other calls, refusals are the documented errors."""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flavors import Flavor, drive, v

import pywats
from pywats import InvalidArgumentError, NotFoundError, PyWATSError, ValidationError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.production import ProductionBatch, SerialNumberRange, UnitPhaseFlag
from pywats.simulator import Simulator

pytestmark = pytest.mark.filterwarnings("ignore::pywats.InternalAPIWarning")

_SINCE = datetime(2025, 1, 1, tzinfo=timezone.utc)
_UNTIL = datetime(2025, 12, 31, tzinfo=timezone.utc)
# Example calls of the methods added here, for the framework's traffic test (tests/test_bindings.py,
# through FACADE_CALLS of test_production.py) and the hostile-input walk.
PARITY_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_phase_by_name": (("Finalized",), {}),
    "get_unit_history": (("WIDGET-12345", "WIDGET-001"), {}),
    "delete_unit_change": ((1,), {}),
    "remove_all_children_from_assembly": (("MAIN-0001", "MAIN-ASSEMBLY"), {}),
    "find_serial_numbers_in_range": (("Production_SN", "PSN-000001", "PSN-000003"), {}),
    "find_serial_numbers_by_reference": (("Production_SN",), {"reference_part": "WIDGET-001"}),
    "import_serial_numbers": ((b"0050C2010000\n0050C2010001\n", "text/csv", "MAC"), {}),
    "export_serial_numbers": (
        ("MAC",),
        {"start_address": "0050C2000098", "end_address": "0050C2000102", "start_date": _SINCE, "end_date": _UNTIL},
    ),
    "is_connected": ((), {}),
    "get_sites": ((), {}),
    "get_unit_info": (("MAIN-0001", "MAIN-ASSEMBLY"), {}),
    "get_unit_hierarchy": (("MAIN-0001", "MAIN-ASSEMBLY"), {}),
    "get_unit_state_history": (("SN-001", "WIDGET-001"), {}),
    "get_unit_contents": (("MAIN-0001", "MAIN-ASSEMBLY", "A"), {}),
    "create_unit": (("NEW-77", "WIDGET-001", "A"), {"batch_number": "LOT-1", "unit_phase": "Finalized"}),
    "add_child_unit_validated": (
        ("MAIN-0001", "MAIN-ASSEMBLY", "PCBA-0001", "PCBA-001", "MAIN-ASSEMBLY", "A"),
        {"culture_code": "en-US", "check_phase": True},
    ),
    "remove_child_unit_localized": (
        ("MAIN-0001", "MAIN-ASSEMBLY", "CABLE-0003", "CABLE-ASSY"),
        {"culture_code": "nb-NO"},
    ),
    "remove_all_child_units": (("MAIN-0001", "MAIN-ASSEMBLY"), {"culture_code": "en-US"}),
    "validate_child_units": (("MAIN-0001", "MAIN-ASSEMBLY"), {}),
    "find_serial_numbers": (("MAC", "0050C2000098", "0050C2000102"), {"start_date": _SINCE, "end_date": _UNTIL}),
    "get_serial_number_count": (
        ("MAC",),
        {"start_address": "0050C2000000", "end_address": "0050C2000099", "from_date": _SINCE, "to_date": _UNTIL},
    ),
    "free_serial_numbers": (([{"type": "MAC", "startAddress": "0050C2000100", "endAddress": "0050C2000101"}],), {}),
    "get_serial_number_ranges": ((), {"serial_number_type": "MAC"}),
    "get_serial_number_statistics": ((), {"serial_number_type": "MAC"}),
    "get_batches": ((), {}),  # raises: WATS documents no operation to list batches
    "create_batch": ((ProductionBatch(batch_number="LOT-9", batch_size=5),), {}),
    "update_batch": (({"batchNumber": "LOT-9", "batchSize": 6},), {}),
}


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


# -- units ---------------------------------------------------------------------------------------


def test_create_unit_shows_in_state_history_info_and_changes(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.production
        made = await v(p.create_unit("PAR-1", "WIDGET-001", "A", batch_number="LOT-P", unit_phase="In storage"))
        with pytest.raises(ValidationError, match="already exists"):
            await v(p.create_unit("PAR-1", "WIDGET-001", "A"))
        await v(p.set_unit_phase("PAR-1", "WIDGET-001", UnitPhaseFlag.SHIPPED))
        history = await v(p.get_unit_state_history("PAR-1", "WIDGET-001"))
        info = await v(p.get_unit_info("PAR-1", "WIDGET-001"))
        changes = await v(p.get_unit_history("PAR-1", "WIDGET-001"))
        acknowledged = [await v(p.delete_unit_change(c.id)) for c in changes]
        after = await v(p.get_unit_history("PAR-1", "WIDGET-001"))
        still = await v(p.get_unit_state_history("PAR-1", "WIDGET-001"))
        return made, history, info, changes, acknowledged, after, still

    made, history, info, changes, acknowledged, after, still = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert made.serial_number == "PAR-1" and made.batch_number == "LOT-P"
    assert made.unit_phase_id == int(UnitPhaseFlag.IN_STORAGE)
    assert [h["unitPhase"] for h in history] == ["In storage", "Shipped"]
    assert info["batchNumber"] == "LOT-P" and info["unitPhase"] == "Shipped" and info["childCount"] == 0
    assert [(c.serial_number, c.new_unit_phase_id, c.old_unit_phase_id) for c in changes] == [
        ("PAR-1", int(UnitPhaseFlag.SHIPPED), int(UnitPhaseFlag.IN_STORAGE))
    ]
    assert acknowledged == [True] and after == []
    assert still == history  # acknowledging a change does not shorten the state history


def test_create_unit_checks_the_phase_before_sending_and_the_server_checks_the_product(
    wats_simulator: Simulator,
) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match="not a WATS unit phase"):
            api.production.create_unit("PAR-2", "WIDGET-001", "A", unit_phase="Shiny")
        assert not wats_simulator.requests
        with pytest.raises(ValidationError, match="no revision Z"):
            api.production.create_unit("PAR-2", "WIDGET-001", "Z")
        with pytest.raises(NotFoundError):
            api.production.get_unit_info("PAR-2", "WIDGET-001")  # the refused unit was not stored
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.production.get_unit_info("PAR-2", "WIDGET-001") is None
        assert api.production.get_unit_hierarchy("PAR-2", "WIDGET-001") is None


# -- assemblies ----------------------------------------------------------------------------------


def test_internal_assembly_calls(flavor: Flavor, wats_simulator: Simulator) -> None:
    main = ("MAIN-0001", "MAIN-ASSEMBLY")

    async def steps(api: Any) -> Any:
        p = api.production
        await v(p.create_unit("PCBA-0009", "PCBA-001", "A"))  # under production, not finalized
        with pytest.raises(ValidationError, match="Finalized"):
            await v(p.add_child_unit_validated(*main, "PCBA-0009", "PCBA-001", "MAIN-ASSEMBLY", "A"))
        added = await v(
            p.add_child_unit_validated(*main, "PCBA-0009", "PCBA-001", "MAIN-ASSEMBLY", "A", check_phase=False)
        )
        tree = await v(p.get_unit_hierarchy(*main))
        child_tree = await v(p.get_unit_hierarchy("PCBA-0009", "PCBA-001"))
        contents = await v(p.get_unit_contents(*main, "A"))
        check = await v(p.validate_child_units(*main, culture_code="nb-NO"))
        removed = await v(p.remove_child_unit_localized(*main, "PCBA-0009", "PCBA-001", culture_code="nb-NO"))
        with pytest.raises(ValidationError, match="not a child"):
            await v(p.remove_child_unit_localized(*main, "PCBA-0009", "PCBA-001"))
        all_removed = await v(p.remove_all_child_units(*main))
        empty = await v(p.get_unit_hierarchy(*main))
        cable = await v(p.get_unit("CABLE-0003", "CABLE-ASSY"))
        return added, tree, child_tree, contents, check, removed, all_removed, empty, cable

    added, tree, child_tree, contents, check, removed, all_removed, empty, cable = flavor.run(
        kw(wats_simulator), drive(flavor, steps)
    )
    assert added is True and removed is True and all_removed is True
    assert sorted(c["serialNumber"] for c in tree["children"]) == ["CABLE-0003", "PCBA-0009"]
    assert [p["serialNumber"] for p in child_tree["parents"]] == ["MAIN-0001"]
    lines = {line["partNumber"]: [u["serialNumber"] for u in line["units"]] for line in contents["contents"]}
    assert lines["PCBA-001"] == ["PCBA-0009"] and lines["CABLE-ASSY"] == ["CABLE-0003"]
    assert check["is_complete"] is False and any("PCBA-0009" in m for m in check["messages"])
    assert empty["children"] == [] and cable.parent_serial_number is None


def test_remove_all_children_uses_public_operations_only(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.production
        await v(p.add_child_to_assembly("MAIN-0001", "MAIN-ASSEMBLY", "PCBA-0001", "PCBA-001"))
        wats_simulator.requests.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("error", pywats.InternalAPIWarning)
            done = await v(p.remove_all_children_from_assembly("MAIN-0001", "MAIN-ASSEMBLY"))
        sent = [r.path for r in wats_simulator.requests]
        parent = await v(p.get_unit("MAIN-0001", "MAIN-ASSEMBLY"))
        return done, sent, parent

    done, sent, parent = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert done is True and parent.sub_units == []
    assert sent.count("/api/Production/RemoveChildUnit") == 2 and not any("/internal/" in s for s in sent)


# -- serial numbers ------------------------------------------------------------------------------


def test_free_reserved_numbers_taken_ones_stay_taken(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.production
        before = await v(p.get_serial_number_statistics("MAC"))
        taken = await v(p.allocate_serial_numbers("MAC", 2))
        freed = await v(
            p.free_serial_numbers(
                [
                    SerialNumberRange(
                        serial_number_type="MAC", start_address="0050C2000100", end_address="0050C2000104"
                    ),
                    {"type": "MAC", "start_address": "0050C2000000", "end_address": "0050C2000001"},
                ]
            )
        )
        after = await v(p.get_serial_number_statistics("MAC"))
        states = await v(p.find_serial_numbers("MAC", "0050C2000000", "0050C2000001"))
        states += await v(p.find_serial_numbers("MAC", "0050C2000104", "0050C2000105"))
        ranges = await v(p.get_serial_number_ranges("MAC"))
        return before, taken, freed, after, states, ranges

    before, taken, freed, after, states, ranges = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert (before["reserved"], before["taken"], before["total"]) == (10, 0, 4096)
    assert taken == ["0050C2000000", "0050C2000001"] and freed is True
    assert (after["reserved"], after["taken"], after["free"]) == (5, 2, 4096 - 7)
    assert [(s["serialNumber"], s["state"]) for s in states] == [
        ("0050C2000000", "Taken"),
        ("0050C2000001", "Taken"),
        ("0050C2000104", "Free"),
        ("0050C2000105", "Reserved"),
    ]
    assert [(r.start_address, r.end_address, r.reserved, r.taken) for r in ranges] == [
        ("0050C2000000", "0050C2004095", 5, 2)
    ]


def test_free_checks_every_range_before_sending(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        for bad in ([], [{"type": "MAC", "startAddress": "0050C2000100"}], "MAC", [("MAC", "a", "b")]):
            with pytest.raises(InvalidArgumentError, match="ranges"):
                api.production.free_serial_numbers(bad)
        assert not wats_simulator.requests
        with pytest.raises(NotFoundError):
            api.production.free_serial_numbers([{"type": "NOPE", "startAddress": "1", "endAddress": "2"}])
        assert api.production.get_serial_number_statistics("MAC")["reserved"] == 10


def test_import_export_and_count(flavor: Flavor, wats_simulator: Simulator) -> None:
    new = ["0050C2020000", "0050C2020001", "0050C2020002"]

    async def steps(api: Any) -> Any:
        p = api.production
        csv = "SerialNumber\n" + "\n".join(new[:2]) + "\n"
        await v(p.import_serial_numbers(csv, "text/csv", "MAC"))
        xml = f"<SerialNumbers><SerialNumber>{new[2]}</SerialNumber></SerialNumbers>"
        await v(p.import_serial_numbers(xml.encode(), "application/xml", serial_number_type="MAC"))
        with pytest.raises(ValidationError, match="not a MAC serial number"):
            await v(p.import_serial_numbers("0050C2030000\nPSN-000001\n", "CSV", "MAC"))
        ranges = await v(p.get_serial_number_ranges("MAC"))
        count = await v(p.get_serial_number_count("MAC", start_address="0050C2020000", end_address="0050C2029999"))
        exported = await v(p.export_serial_numbers("MAC", start_address="0050C2020000", end_address="0050C2029999"))
        as_xml = await v(p.export_serial_numbers("MAC", None, "xml", start_address=new[0], end_address=new[0]))
        old = await v(p.get_serial_number_count("MAC", to_date=datetime(2025, 6, 1, tzinfo=timezone.utc)))
        recent = await v(p.get_serial_number_count("MAC", from_date=datetime.now(timezone.utc) - timedelta(hours=1)))
        taken = await v(p.allocate_serial_numbers("MAC", 1))
        return ranges, count, exported, as_xml, old, recent, taken

    ranges, count, exported, as_xml, old, recent, taken = flavor.run(kw(wats_simulator), drive(flavor, steps))
    # each upload is a range of its own (generated at its own time)
    assert [(r.start_address, r.end_address, r.free) for r in ranges][1:] == [
        ("0050C2020000", "0050C2020001", 2),
        ("0050C2020002", "0050C2020002", 1),
    ]
    lines = exported.decode().splitlines()
    assert count == 3 and lines[0].startswith("SerialNumber,State") and [x.split(",")[0] for x in lines[1:]] == new
    assert b'state="Free">0050C2020000<' in as_xml
    assert (old, recent) == (4096, 3)  # the seeded range was generated in 2025, the uploaded ones now
    assert taken == ["0050C2000000"]  # numbers are still taken in order, the refused file added nothing


def test_import_and_export_refuse_what_they_cannot_do(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        p = api.production
        with pytest.raises(InvalidArgumentError, match="serial_number_type"):
            p.import_serial_numbers(b"0050C2020000\n")
        with pytest.raises(InvalidArgumentError, match="content_type"):
            p.import_serial_numbers(b"0050C2020000\n", "application/json", "MAC")
        with pytest.raises(InvalidArgumentError, match="state"):
            p.export_serial_numbers("MAC", state="Free")
        assert not wats_simulator.requests
        with pytest.raises(ValidationError, match="At most"):  # a million numbers at once: count first, narrow
            p.export_serial_numbers("Production_SN")
        assert p.get_serial_number_count("Production_SN") == 999_999


def test_old_names_answer_as_the_new_ones(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.production
        await v(p.allocate_serial_numbers("Production_SN", count=2, reference_sn="BOARD-1"))  # 0.x spellings
        return (
            await v(p.find_serial_numbers_in_range("Production_SN", "PSN-000001", "PSN-000003")),
            await v(p.get_serial_numbers_by_range("Production_SN", "PSN-000001", "PSN-000003")),
            await v(p.find_serial_numbers_by_reference("Production_SN", reference_serial="BOARD-1")),
            await v(p.get_phase_by_name("under PRODUCTION")),
            await v(p.get_phase_by_name("no such phase")),
        )

    in_range, by_range, by_reference, phase, none = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert in_range == by_range and [r["taken"] is not None for r in in_range] == [True, True, False]
    assert [r["serialNumber"] for r in by_reference] == ["PSN-000001", "PSN-000002"]
    assert phase is not None and phase.unit_phase_id == int(UnitPhaseFlag.UNDER_PRODUCTION) and none is None


# -- batches, the module itself ------------------------------------------------------------------


def test_batches_are_written_and_cannot_be_listed(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.production
        made = await v(p.create_batch({"batchNumber": "LOT-P1", "batchSize": 10}))
        changed = await v(p.update_batch(ProductionBatch(batch_number="LOT-P1", batch_size=12)))
        sent = len(wats_simulator.requests)
        with pytest.raises(PyWATSError, match="no operation to list production batches") as caught:
            await v(p.get_batches())
        return made, changed, sent, caught.value

    made, changed, sent, refused = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert made.batch_size == 10 and changed.batch_size == 12
    assert refused.operation == "get_batches" and len(wats_simulator.requests) == sent == 2
    with wats_simulator.store.lock:  # WATS has no read of batches: the simulator's store is the witness
        stored = [dict(b) for b in wats_simulator.store.collection("production_batches")]
    assert stored == [{"batchNumber": "LOT-P1", "batchSize": 12}]


def test_connected_and_sites_warn_as_internal(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        connected = api.production.is_connected()
        sites = api.production.get_sites()
        api.production.get_unit_history("SN-001", "WIDGET-001")  # public: no warning
    assert connected is True and {s["name"] for s in sites} == {"Oslo factory", "Service centre"}
    assert [w.category for w in caught] == [pywats.InternalAPIWarning] * 2
    assert {w.filename for w in caught} == {__file__}
