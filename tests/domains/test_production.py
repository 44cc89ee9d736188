"""The Production domain against the simulator, sync and async."""

from __future__ import annotations

import asyncio
import threading
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest
from flavors import Flavor
from test_production_parity import PARITY_CALLS

import pywats
from pywats import AsyncWATS, InvalidArgumentError, NotFoundError, ValidationError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.production import (
    ProductionBatch,
    Unit,
    UnitPhaseFlag,
    UnitVerificationGrade,
)
from pywats.simulator import Simulator

# Example calls for the framework's traffic test (tests/test_bindings.py): method -> (args, kwargs).
# A method whose operations depend on its arguments has a list of calls covering them all.
Call = tuple[tuple[Any, ...], dict[str, Any]]
FACADE_CALLS: dict[str, Call | list[Call]] = {
    "get_unit": [(("WIDGET-12345", "WIDGET-001"), {}), (("WIDGET-12345",), {})],
    "get_units_batch": [((["SN-001", "SN-002"], "WIDGET-001"), {}), ((["SN-001", ("SN-002", "WIDGET-001")],), {})],
    "get_units": ((), {"top": 5, "part_number": "WIDGET-001"}),
    "create_units": (([Unit(serial_number="NEW-1", part_number="WIDGET-001", part_revision="A")],), {}),
    "update_unit": ((Unit(serial_number="SN-001", part_number="WIDGET-001", current_location="Line 2"),), {}),
    "save_batches": (([ProductionBatch(batch_number="LOT-1", batch_size=10)],), {}),
    "verify_unit": (("WIDGET-12345", "WIDGET-001"), {}),
    "get_unit_grade": (("WIDGET-12345", "WIDGET-001"), {}),
    "is_unit_passing": (("WIDGET-12345", "WIDGET-001"), {}),
    "get_phases": ((), {}),
    "get_phase": ((16,), {}),
    "get_phase_id": (("Finalized",), {}),
    "set_unit_phase": (("SN-001", "WIDGET-001", "Finalized"), {}),
    "set_unit_process": (("SN-001", "WIDGET-001", "ICT"), {}),
    "get_all_unit_phases": ((), {}),
    "add_child_to_assembly": (("MAIN-0001", "MAIN-ASSEMBLY", "PCBA-0001", "PCBA-001"), {}),
    "remove_child_from_assembly": (("MAIN-0001", "MAIN-ASSEMBLY", "CABLE-0003", "CABLE-ASSY"), {}),
    "verify_assembly": (("MAIN-0001", "MAIN-ASSEMBLY"), {}),
    "get_serial_number_types": ((), {}),
    "allocate_serial_numbers": (("Production_SN", 2), {"ref_pn": "WIDGET-001"}),
    "get_serial_numbers_by_range": (("Production_SN", "PSN-000001", "PSN-000005"), {}),
    "get_serial_numbers_by_reference": (("Production_SN",), {"ref_pn": "WIDGET-001"}),
    "get_unit_changes": ((), {}),
    "acknowledge_unit_change": ((1,), {}),
    **PARITY_CALLS,  # the pyWATS 0.x methods (tests/domains/test_production_parity.py)
}


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


async def _value(x: Any) -> Any:
    return await x if asyncio.iscoroutine(x) else x


def test_unit_info_is_the_process_guides_name_for_unit() -> None:
    from pywats.domains.production.models import UnitInfo

    assert UnitInfo is Unit
    assert UnitInfo(serial_number="SN-1", part_number="PN").serial_number == "SN-1"


def test_get_unit_attaches_product_and_guide_names(flavor: Flavor, wats_simulator: Simulator) -> None:
    unit = flavor.run(kw(wats_simulator), lambda api: api.production.get_unit("WIDGET-12345", "WIDGET-001"))
    assert unit.serial_number == "WIDGET-12345" and unit.part_revision == "B"
    assert unit.current_phase == unit.status == "Under production"
    assert unit.current_process == 200
    assert unit.product is not None and unit.product.name == "Widget"
    assert unit.product_revision is not None and unit.product_revision.revision == "B"
    assert unit.location == "Line 1" and unit.created is not None


def test_unknown_unit_strict_and_lenient(flavor: Flavor, wats_simulator: Simulator) -> None:
    with pytest.raises(NotFoundError):
        flavor.run(kw(wats_simulator), lambda api: api.production.get_unit("NOPE", "WIDGET-001"))
    lenient = kw(wats_simulator, error_mode=ErrorMode.LENIENT)
    assert flavor.run(lenient, lambda api: api.production.get_unit("NOPE", "WIDGET-001")) is None


def test_create_then_get_and_update(flavor: Flavor, wats_simulator: Simulator) -> None:
    def body(api: Any) -> Any:
        return api.production.create_units(
            [Unit(serial_number="C-1", part_number="WIDGET-001", part_revision="A", lot_number="LOT-7")]
        )

    created = flavor.run(kw(wats_simulator), body)
    assert [u.serial_number for u in created] == ["C-1"] and created[0].batch_number == "LOT-7"
    unit = flavor.run(kw(wats_simulator), lambda api: api.production.get_unit("C-1", "WIDGET-001"))
    assert unit.batch_number == "LOT-7" and unit.status == "Under production"
    unit.location = "Test Station 3"
    unit.status = "Finalized"
    updated = flavor.run(kw(wats_simulator), lambda api: api.production.update_unit(unit))
    assert updated.location == "Test Station 3" and updated.unit_phase_id == int(UnitPhaseFlag.FINALIZED)
    again = flavor.run(kw(wats_simulator), lambda api: api.production.get_unit("C-1", "WIDGET-001"))
    assert again.current_phase == "Finalized" and again.current_location == "Test Station 3"


def test_a_units_product_must_exist(flavor: Flavor, wats_simulator: Simulator) -> None:
    bad = [
        Unit(serial_number="OK-1", part_number="WIDGET-001", part_revision="A"),
        Unit(serial_number="BAD-1", part_number="NO-SUCH-PRODUCT", part_revision="A"),
    ]
    with pytest.raises(ValidationError, match="NO-SUCH-PRODUCT"):
        flavor.run(kw(wats_simulator), lambda api: api.production.create_units(bad))
    # all or nothing: the valid unit of the refused request was not stored either
    lenient = kw(wats_simulator, error_mode=ErrorMode.LENIENT)
    assert flavor.run(lenient, lambda api: api.production.get_unit("OK-1", "WIDGET-001")) is None
    with pytest.raises(ValidationError, match="no revision Z"):
        flavor.run(
            kw(wats_simulator),
            lambda api: api.production.create_units(
                [Unit(serial_number="R", part_number="WIDGET-001", part_revision="Z")]
            ),
        )


def test_unknown_phase_text_is_refused_before_sending(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(ValueError, match="not a WATS unit phase"):
            api.production.create_units(
                [Unit(serial_number="P", part_number="WIDGET-001", part_revision="A", status="Shiny")]
            )
        with pytest.raises(ValueError, match="not a WATS unit phase"):
            api.production.set_unit_phase("SN-001", "WIDGET-001", "ICT - Passed")
    assert not wats_simulator.requests


def test_one_unit_or_batch_given_without_a_list_is_refused_by_name(wats_simulator: Simulator) -> None:
    """A model given alone iterates as its (field, value) pairs: the message must name the list argument."""
    unit = Unit(serial_number="ONE", part_number="WIDGET-001", part_revision="A")
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match=r"units must be a list of Units \(one unit: \[unit\]\)"):
            api.production.create_units(unit)  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match=r"batches must be a list of ProductionBatch"):
            api.production.save_batches(ProductionBatch(batch_number="B-1", batch_size=3))  # type: ignore[arg-type]
    assert not wats_simulator.requests


def test_a_write_answered_404_in_lenient_mode_does_not_read_as_done(wats_simulator: Simulator) -> None:
    """LENIENT turns a 404 into "nothing": an action is then False, not True, and no unit is stored."""
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        wats_simulator.inject("/api/Production/Units", method="PUT", status=404)
        unit = Unit(serial_number="LN-1", part_number="WIDGET-001", part_revision="A")
        assert api.production.create_units([unit]) == []
        wats_simulator.inject("/api/Production/SetUnitPhase", method="PUT", status=404)
        assert api.production.set_unit_phase("LN-1", "WIDGET-001", "Finalized") is False
        assert api.production.create_units([unit])[0].serial_number == "LN-1"  # answered: stored
        assert api.production.set_unit_phase("LN-1", "WIDGET-001", "Finalized") is True
    with pyWATS(**kw(wats_simulator)) as api:
        wats_simulator.inject("/api/Production/Units", method="PUT", status=404)
        with pytest.raises(NotFoundError):
            api.production.create_units([unit])


def test_verification_grades(flavor: Flavor, wats_simulator: Simulator) -> None:
    def body(api: Any) -> Any:
        p = api.production
        if isinstance(api, AsyncWATS):

            async def main() -> Any:
                return (
                    await p.verify_unit("WIDGET-12345", "WIDGET-001"),
                    await p.get_unit_grade("SN-002", "WIDGET-001"),
                    await p.is_unit_passing("SN-002", "WIDGET-001"),
                    await p.get_unit_grade("SN-003", "WIDGET-001"),
                )

            return main()
        return (
            p.verify_unit("WIDGET-12345", "WIDGET-001"),
            p.get_unit_grade("SN-002", "WIDGET-001"),
            p.is_unit_passing("SN-002", "WIDGET-001"),
            p.get_unit_grade("SN-003", "WIDGET-001"),
        )

    verification, failed, passing, untested = flavor.run(kw(wats_simulator), body)
    assert verification.grade is UnitVerificationGrade.PASSED and verification.is_passing
    assert verification.passed_step_count == 2 and verification.failed_step_count == 0
    assert verification.no_repairs is False and [r.process_code for r in verification.results] == [100, 200]
    assert failed is UnitVerificationGrade.FAILED and passing is False
    assert untested is UnitVerificationGrade.NOT_TESTED


def test_phases_and_process(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        p = api.production
        assert p.get_phase(16) == p.get_phase("finalized") == p.get_phase(UnitPhaseFlag.FINALIZED)
        assert p.get_phase("In Repair").unit_phase_id == 4  # type: ignore[union-attr]
        assert p.get_phase("nothing") is None and p.get_phase_id("Shipped") == 2048
        assert len(p.get_phases()) == 15 and not wats_simulator.requests
        assert p.set_unit_phase("SN-001", "WIDGET-001", UnitPhaseFlag.SCRAPPED, comment="dropped")
        assert p.get_unit("SN-001", "WIDGET-001").current_phase == "Scrapped"  # type: ignore[union-attr]
        assert p.set_unit_process("SN-001", "WIDGET-001", 200)
        assert p.get_unit("SN-001", "WIDGET-001").current_process == 200  # type: ignore[union-attr]
        with pytest.raises(ValueError, match="not a process"):
            p.set_unit_process("SN-001", "WIDGET-001", 10)
        with pytest.raises(NotFoundError):
            p.set_unit_phase("NOPE", "WIDGET-001", "Finalized")
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            internal = p.get_all_unit_phases()
        assert [r.category for r in record] == [pywats.InternalAPIWarning]
        assert {ph.name for ph in internal} == {ph.name for ph in p.get_phases()}


def test_unit_changes_follow_phase_changes_and_acknowledge(flavor: Flavor, wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        api.production.set_unit_phase("SN-003", "WIDGET-001", "Finalized")
    changes = flavor.run(kw(wats_simulator), lambda api: api.production.get_unit_changes("SN-003"))
    assert len(changes) == 1 and changes[0].new_unit_phase_id == 16 and changes[0].old_unit_phase_id == 2
    assert flavor.run(kw(wats_simulator), lambda api: api.production.acknowledge_unit_change(changes[0].id))
    left = flavor.run(kw(wats_simulator), lambda api: api.production.get_unit_changes(top=50))
    assert changes[0].id not in [c.id for c in left]
    with pytest.raises(NotFoundError):
        flavor.run(kw(wats_simulator), lambda api: api.production.acknowledge_unit_change(changes[0].id))


def test_assembly_follows_the_box_build(flavor: Flavor, wats_simulator: Simulator) -> None:
    prod = "MAIN-0001", "MAIN-ASSEMBLY"
    before = flavor.run(kw(wats_simulator), lambda api: api.production.verify_assembly(*prod))
    assert before["is_complete"] is False
    assert {m["part_number"]: m["missing"] for m in before["missing_children"]} == {
        "PCBA-001": 1,
        "PSU-MODULE": 1,
        "ENCLOSURE": 1,
        "CABLE-ASSY": 2,
    }
    assert flavor.run(
        kw(wats_simulator), lambda api: api.production.add_child_to_assembly(*prod, "PCBA-0001", "PCBA-001")
    )
    with pytest.raises(ValidationError, match="already has a parent"):
        flavor.run(kw(wats_simulator), lambda api: api.production.add_child_to_assembly(*prod, "PCBA-0001", "PCBA-001"))
    with pytest.raises(ValidationError, match="Finalized"):
        flavor.run(kw(wats_simulator), lambda api: api.production.add_child_to_assembly(*prod, "SN-001", "WIDGET-001"))
    with pytest.raises(ValidationError, match="not in the box build"):
        flavor.run(
            kw(wats_simulator), lambda api: api.production.add_child_to_assembly(*prod, "SN-12345", "WIDGET-001")
        )
    after = flavor.run(kw(wats_simulator), lambda api: api.production.verify_assembly(*prod))
    assert "PCBA-001" not in {m["part_number"] for m in after["missing_children"]}
    parent = flavor.run(kw(wats_simulator), lambda api: api.production.get_unit(*prod))
    assert sorted(u.serial_number for u in parent.sub_units) == ["CABLE-0003", "PCBA-0001"]
    assert flavor.run(
        kw(wats_simulator), lambda api: api.production.remove_child_from_assembly(*prod, "PCBA-0001", "PCBA-001")
    )
    with pytest.raises(ValidationError, match="not a child"):
        flavor.run(
            kw(wats_simulator), lambda api: api.production.remove_child_from_assembly(*prod, "PCBA-0001", "PCBA-001")
        )


def test_serial_numbers_types_allocation_range_reference(flavor: Flavor, wats_simulator: Simulator) -> None:
    types = flavor.run(kw(wats_simulator), lambda api: api.production.get_serial_number_types())
    assert {t.name for t in types} == {"Production_SN", "MAC"} and types[0].pattern
    first = flavor.run(
        kw(wats_simulator), lambda api: api.production.allocate_serial_numbers("Production_SN", 3, ref_pn="WIDGET-001")
    )
    second = flavor.run(kw(wats_simulator), lambda api: api.production.allocate_serial_numbers("Production_SN", 2))
    assert first == ["PSN-000001", "PSN-000002", "PSN-000003"] and second == ["PSN-000004", "PSN-000005"]
    listed = flavor.run(
        kw(wats_simulator),
        lambda api: api.production.get_serial_numbers_by_range("Production_SN", "PSN-000003", "PSN-000006"),
    )
    assert [(r["serialNumber"], r["taken"] is not None) for r in listed] == [
        ("PSN-000003", True),
        ("PSN-000004", True),
        ("PSN-000005", True),
        ("PSN-000006", False),
    ]
    by_ref = flavor.run(
        kw(wats_simulator),
        lambda api: api.production.get_serial_numbers_by_reference("Production_SN", ref_pn="WIDGET-001"),
    )
    assert [r["serialNumber"] for r in by_ref] == first
    with pytest.raises(NotFoundError):
        flavor.run(kw(wats_simulator), lambda api: api.production.allocate_serial_numbers("NoSuchType", 1))
    with pytest.raises(ValueError):
        flavor.run(kw(wats_simulator), lambda api: api.production.allocate_serial_numbers("Production_SN", 0))


def test_allocation_is_never_retried(wats_simulator: Simulator) -> None:
    wats_simulator.inject("/api/Production/SerialNumbers/Take", status=503, times=1)
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(pywats.ServerError):
            api.production.allocate_serial_numbers("Production_SN", 1)
    assert wats_simulator.count("POST", "/api/Production/SerialNumbers/Take") == 1


def test_50_concurrent_allocations_never_share_a_number(wats_simulator: Simulator) -> None:
    async def main() -> list[list[str]]:
        async with AsyncWATS(**kw(wats_simulator)) as api:
            return await asyncio.gather(
                *[api.production.allocate_serial_numbers("Production_SN", 3) for _ in range(50)]
            )

    batches = asyncio.run(main())
    numbers = [sn for batch in batches for sn in batch]
    assert len(numbers) == 150 and len(set(numbers)) == 150
    # and straight at the server from 50 threads, without the client in between
    got: list[str] = []
    lock = threading.Lock()

    def take() -> None:
        r = httpx.post(
            f"{wats_simulator.url}/api/Production/SerialNumbers/Take",
            params={"serialNumberType": "MAC", "quantity": 2},
            headers={"Authorization": f"Basic {wats_simulator.token}"},
        )
        with lock:
            got.extend(r.json().split())

    threads = [threading.Thread(target=take) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(got) == 100 and len(set(got)) == 100


def test_units_batch_order_missing_and_bounded(flavor: Flavor, wats_simulator: Simulator) -> None:
    for sn in ("SN-001", "SN-002", "NOPE", "SN-003"):  # slow answers, so calls overlap and finish out of order
        wats_simulator.inject(
            f"/api/Production/Unit/{sn}/WIDGET-001", delay=0.02 if sn != "SN-003" else 0.0, times=None
        )
    keys = ["SN-001", ("SN-002", "WIDGET-001"), "NOPE", "SN-003"] * 5

    units = flavor.run(
        kw(wats_simulator), lambda api: api.production.get_units_batch(keys, "WIDGET-001", max_concurrency=4)
    )
    expected = ["SN-001", "SN-002", None, "SN-003"] * 5
    assert [u.serial_number if u else None for u in units] == expected


def _internal_warnings(caught: list[warnings.WarningMessage]) -> int:
    return sum(1 for w in caught if w.category is pywats.InternalAPIWarning)


def test_units_batch_by_serial_alone_uses_the_internal_lookup(flavor: Flavor, wats_simulator: Simulator) -> None:
    created = [Unit(serial_number=f"B-{i}", part_number="PCBA-001", part_revision="A") for i in range(3)]
    flavor.run(kw(wats_simulator), lambda api: api.production.create_units(created))
    wats_simulator.requests.clear()
    keys = ["B-2", "NOPE", ("SN-001", "WIDGET-001"), "B-0"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        units = flavor.run(kw(wats_simulator), lambda api: api.production.get_units_batch(keys))
    assert [(u.serial_number, u.part_number) if u else None for u in units] == [
        ("B-2", "PCBA-001"),
        None,
        ("SN-001", "WIDGET-001"),
        ("B-0", "PCBA-001"),
    ]
    assert _internal_warnings(caught) == 1
    paths = sorted(r.path for r in wats_simulator.requests)
    assert paths.count("/api/internal/Production/GetUnit") == 3
    assert "/api/Production/Unit/SN-001/WIDGET-001" in paths


def test_units_batch_warns_only_when_it_uses_the_internal_lookup(flavor: Flavor, wats_simulator: Simulator) -> None:
    def batch(items: Any, part: str | None = None) -> Any:
        return lambda api: api.production.get_units_batch(items, part)

    cases: list[tuple[Any, str | None, int]] = [
        (["SN-001"], "WIDGET-001", 0),
        ([("SN-001", "WIDGET-001")], None, 0),
        (iter([("SN-001", "WIDGET-001")]), None, 0),  # an iterator: decided after reading it, once
        ((sn for sn in ["SN-001", "SN-002"]), None, 1),
        (["SN-001"], None, 1),
    ]
    for items, part, expected in cases:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            units = flavor.run(kw(wats_simulator), batch(items, part))
        assert all(u is not None and u.part_number == "WIDGET-001" for u in units), items
        assert _internal_warnings(caught) == expected, items
        # at the user's line: the call's, or for an iterator given to AsyncWATS, the line awaiting it
        library = str(Path(pywats.__file__).parent)
        assert not any(w.filename.startswith(library) for w in caught if w.category is pywats.InternalAPIWarning)


def test_units_batch_refuses_bad_input_before_sending(flavor: Flavor, wats_simulator: Simulator) -> None:
    wats_simulator.requests.clear()
    with pytest.raises(InvalidArgumentError, match="not one string"):
        flavor.run(kw(wats_simulator), lambda api: api.production.get_units_batch("SN-001"))
    with pytest.raises(ValueError, match="non-empty"):
        flavor.run(kw(wats_simulator), lambda api: api.production.get_units_batch(["SN-001", " "], "WIDGET-001"))
    with pytest.raises(InvalidArgumentError, match=r"a unit is a serial number or a \(serial, part\) pair, not int"):
        flavor.run(kw(wats_simulator), lambda api: api.production.get_units_batch([42]))
    assert not wats_simulator.requests


@pytest.mark.filterwarnings("ignore::pywats.InternalAPIWarning")  # asserted where it matters
def test_get_unit_by_serial_alone(flavor: Flavor, wats_simulator: Simulator) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        unit = flavor.run(kw(wats_simulator), lambda api: api.production.get_unit("SN-12345"))
        flavor.run(kw(wats_simulator), lambda api: api.production.get_unit("SN-12345", "WIDGET-001"))
    assert unit.part_number == "WIDGET-001" and unit.part_revision == "B" and unit.current_phase == "Finalized"
    assert _internal_warnings(caught) == 1
    with pytest.raises(NotFoundError):
        flavor.run(kw(wats_simulator), lambda api: api.production.get_unit("NOPE"))
    lenient = kw(wats_simulator, error_mode=ErrorMode.LENIENT)
    assert flavor.run(lenient, lambda api: api.production.get_unit("NOPE")) is None
    # a serial number two products use needs the part number
    twin = [Unit(serial_number="SN-001", part_number="PCBA-001", part_revision="A")]
    flavor.run(kw(wats_simulator), lambda api: api.production.create_units(twin))
    with pytest.raises(ValidationError, match="more than one product"):
        flavor.run(kw(wats_simulator), lambda api: api.production.get_unit("SN-001"))
    pairs = [("SN-001", "PCBA-001"), ("SN-001", "WIDGET-001")]
    both = flavor.run(kw(wats_simulator), lambda api: api.production.get_units_batch(pairs))
    assert [u.part_number for u in both] == ["PCBA-001", "WIDGET-001"]


def test_units_batch_in_flight_is_bounded(wats_simulator: Simulator) -> None:
    # get_units_batch runs on the core's bounded map: the bound is the one tested here
    from pywats.core.batch import AsyncBatch, SyncBatch

    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    async def call(i: int) -> int:
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        await asyncio.sleep(0.001)
        state["now"] -= 1
        return i * 2

    outcomes = asyncio.run(AsyncBatch.map_limited(call, list(range(100)), 7))
    assert [o.value for o in outcomes] == [i * 2 for i in range(100)]
    assert state["peak"] == 7

    def blocking(i: int) -> int:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        import time

        time.sleep(0.002)
        with lock:
            state["now"] -= 1
        return i

    state["peak"] = 0
    assert [o.value for o in SyncBatch.map_limited(blocking, list(range(30)), 3)] == list(range(30))
    assert 1 <= state["peak"] <= 3
    with pytest.raises(ValueError, match="max_concurrency"):
        asyncio.run(AsyncBatch.map_limited(call, [1], 0, name="max_concurrency"))


def test_batches_saved(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        assert api.production.save_batches(
            [ProductionBatch(batch_number="LOT-9", batch_size=5), {"batchNumber": "LOT-9", "batchSize": 6}]
        )
    assert [r for r in wats_simulator.requests if r.path == "/api/Production/Batches"]
    r = httpx.put(
        f"{wats_simulator.url}/api/Production/Batches",
        json=[{"batchSize": 1}],
        headers={"Authorization": f"Basic {wats_simulator.token}"},
    )
    assert r.status_code == 400 and "batchNumber" in r.json()["Message"]


def test_unknown_server_fields_are_kept() -> None:
    unit = Unit.model_validate({"serialNumber": "S", "partNumber": "P", "futureField": 7})
    assert unit.wire()["futureField"] == 7


def _submit_report(sim: Simulator, serial: str, part: str, result: str = "Passed") -> None:
    from pywats.tools.test_uut import TestUUT

    with pyWATS(base_url=sim.url, token=sim.token) as api:
        uut = TestUUT(part_number=part, serial_number=serial, revision="A", operator="op")
        uut.add_pass_fail_step("LED test", result == "Passed")
        api.report.submit_report(uut)


def test_get_units_lists_tested_units_newest_first(flavor: Flavor, wats_simulator: Simulator) -> None:
    for serial, part in (("U-1", "WIDGET-001"), ("U-2", "WIDGET-001"), ("U-1", "WIDGET-001"), ("P-1", "PCBA-001")):
        _submit_report(wats_simulator, serial, part)
    listed = flavor.run(kw(wats_simulator), lambda api: api.production.get_units())
    before = {(u.serial_number, u.part_number) for u in listed}
    assert {("U-1", "WIDGET-001"), ("U-2", "WIDGET-001"), ("P-1", "PCBA-001")} <= before
    # a unit created but never tested has no history: WATS lists it nowhere
    assert ("SN-003", "WIDGET-001") not in before
    widgets = flavor.run(kw(wats_simulator), lambda api: api.production.get_units(top=10, part_number="WIDGET-001"))
    mine = [u.serial_number for u in widgets if u.serial_number in ("U-1", "U-2")]
    assert mine == ["U-1", "U-2"]  # U-1 was tested last; listed once
    assert all(u.part_number == "WIDGET-001" for u in widgets)
    one = flavor.run(kw(wats_simulator), lambda api: api.production.get_units(top=1, part_number="WIDGET-001"))
    assert [u.serial_number for u in one] == ["U-1"]
    with pytest.raises(ValueError, match="positive integer"):
        flavor.run(kw(wats_simulator), lambda api: api.production.get_units(top=0))


def test_save_batches_answered_404_in_lenient_mode_is_false(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        wats_simulator.inject("/api/Production/Batches", method="PUT", status=404)
        assert api.production.save_batches([ProductionBatch(batch_number="LOT-404", batch_size=1)]) is False
        assert api.production.save_batches([ProductionBatch(batch_number="LOT-404", batch_size=1)]) is True


def test_a_failed_lookup_in_a_batch_keeps_the_others(wats_simulator: Simulator) -> None:
    """One unit's 500 raises, and the other units looked up come with the error."""
    with pyWATS(**kw(wats_simulator, retry_enabled=False)) as api:
        api.production.create_units(
            [Unit(serial_number=f"BT-{i}", part_number="WIDGET-001", part_revision="A") for i in range(6)]
        )
        wats_simulator.inject("/api/Production/Unit/BT-3/WIDGET-001", status=500, times=None)
        serials = [f"BT-{i}" for i in range(6)] + ["BT-NONE"]
        with pytest.raises(pywats.ServerError) as caught:
            api.production.get_units_batch(serials, "WIDGET-001")
    results = caught.value.details["results"]
    assert [u.serial_number if u else None for u in results] == ["BT-0", "BT-1", "BT-2", None, "BT-4", "BT-5", None]
    assert caught.value.details["failed"] == [3] and "BT-3/WIDGET-001" in str(caught.value)
