"""The Manual Inspection domain (internal API) against the simulator, sync and async."""

from __future__ import annotations

import uuid
import warnings
from typing import Any

import httpx
import pytest
from flavors import Flavor, drive, v

from pywats import InternalAPIWarning, InvalidArgumentError, NotFoundError, ValidationError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.manual_inspection import (
    InspectionDefinition,
    InspectionRelation,
    InspectionStatus,
    InspectionStep,
    MiscInfo,
)
from pywats.simulator import Simulator
from pywats.simulator.routes.manual_inspection import (
    SEED_DEFINITION,
    SEED_DRAFT,
    SEED_PENDING,
    SEED_RELATION,
    SEED_RUN,
)

pytestmark = pytest.mark.filterwarnings("ignore::pywats.InternalAPIWarning")

FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "list_definitions": ((), {"is_global": False}),
    "get_definition": ((SEED_DEFINITION,), {}),
    "create_definition": (("Cable routing",), {"description": "Check cable ties", "add_child_units": True}),
    "update_definition": ((InspectionDefinition(definition_id=SEED_DRAFT, name="Solder joints", description="x"),), {}),
    "copy_definition": ((SEED_DEFINITION,), {}),
    "get_instances_count": ((SEED_DEFINITION,), {}),
    "list_relations": ((SEED_DEFINITION,), {}),
    "get_relation_conflicts": ((SEED_DEFINITION,), {}),
    "create_relation": ((SEED_DRAFT, "Production", "Product", "PartNumber", "WIDGET-002"), {}),
    "update_relation": ((InspectionRelation(relation_id=SEED_RELATION, entity_value="WIDGET-009"),), {}),
    "delete_relation": (([SEED_RELATION],), {}),
    "list_sequences": (("SN-MI-002", "WIDGET-001", "A", ""), {"status": 0, "station_name": "MI-01"}),
    "update_sequence": (([InspectionStep(definition_id=SEED_DEFINITION, step_id=1, result=1)],), {"submit": True}),
    "delete_sequence": ((SEED_RUN,), {}),
    "get_mi_details": ((SEED_RUN,), {}),
    "get_xaml": ((SEED_DEFINITION,), {}),
    "put_xaml": ((SEED_DRAFT, "<Activity />"), {"username": "ada"}),
    "get_wwf_content": ((SEED_DEFINITION,), {}),
    "validate_misc_info": ((MiscInfo(name="Lot", regex=r"L\d{4}", value="L1234"),), {}),
    "put_string_test": ((InspectionStep(definition_id=SEED_DRAFT, name="Label text"),), {}),
    "create_inspection": (("Final look",), {}),
    "get_inspection": ((SEED_DEFINITION,), {}),
    "release_inspection": ((SEED_PENDING,), {}),
    "move_to_pending": ((SEED_DRAFT,), {}),
    "move_to_draft": ((SEED_PENDING,), {}),
    "revoke_inspection": ((SEED_DEFINITION,), {}),
    "copy_inspection": ((SEED_DEFINITION,), {}),
}


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def test_definition_life_cycle(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        mi = api.manual_inspection
        made = await v(mi.create_inspection("Cable routing", "Check the cable ties"))
        first = made.status
        made.description = "Check the cable ties and labels"
        edited = await v(mi.update_definition(made))
        pending = await v(mi.move_to_pending(made.id))
        with pytest.raises(ValidationError):  # not Draft any more
            await v(mi.put_xaml(made.id, "<Activity />"))
        back = await v(mi.move_to_draft(made.id))
        await v(mi.move_to_pending(made.id))
        released = await v(mi.release_inspection(made.id))
        with pytest.raises(ValidationError):  # Released → Draft is not a move WATS allows
            await v(mi.move_to_draft(made.id))
        revoked = await v(mi.revoke_inspection(made.id))
        fetched = await v(mi.get_inspection(made.id))
        return made, first, edited, pending, back, released, revoked, fetched

    made, first, edited, pending, back, released, revoked, fetched = flavor.run(
        kw(wats_simulator), drive(flavor, steps)
    )
    assert isinstance(made, InspectionDefinition) and made.name == "Cable routing" and made.version == 1
    assert first is InspectionStatus.DRAFT
    assert edited.description == "Check the cable ties and labels"
    assert pending.status is InspectionStatus.PENDING and back.status is InspectionStatus.DRAFT
    assert released.status is InspectionStatus.RELEASED and released.released is not None
    assert revoked.status is InspectionStatus.REVOKED and revoked.revoked is not None
    assert fetched.status is InspectionStatus.REVOKED and fetched.description == "Check the cable ties and labels"


def test_create_lists_and_versions(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        mi = api.manual_inspection
        one = await v(mi.create_definition("Torque marks", is_global=True, on_fail_require_repair=True))
        two = await v(mi.create_definition("Torque marks", is_global=True))
        global_ = await v(mi.list_definitions(is_global=True))
        product = await v(mi.list_definitions())
        xaml = await v(mi.get_xaml(one.id))
        return one, two, global_, product, xaml

    one, two, global_, product, xaml = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert (one.version, two.version) == (1, 2) and one.id != two.id
    assert one.on_fail_require_repair == 1 and one.is_global is True
    assert {d.id for d in global_} == {one.id, two.id}
    assert {str(d.id) for d in product} == {SEED_DEFINITION, SEED_DRAFT, SEED_PENDING}
    assert xaml and "Torque marks" in xaml  # the server's default XAML


def test_copy_inspection_saves_the_next_version_with_relations(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        mi = api.manual_inspection
        unsaved = await v(mi.copy_definition(SEED_DEFINITION))
        before = await v(mi.list_definitions())
        saved = await v(mi.copy_inspection(SEED_DEFINITION))
        relations = await v(mi.list_relations(saved.id))
        xaml = await v(mi.get_xaml(saved.id))
        original_xaml = await v(mi.get_xaml(SEED_DEFINITION))
        conflicts = await v(mi.get_relation_conflicts(saved.id))
        await v(mi.move_to_pending(saved.id))
        await v(mi.release_inspection(saved.id))
        conflicts_after = await v(mi.get_relation_conflicts(saved.id))
        return unsaved, before, saved, relations, xaml, original_xaml, conflicts, conflicts_after

    unsaved, before, saved, relations, xaml, original_xaml, conflicts, conflicts_after = flavor.run(
        kw(wats_simulator), drive(flavor, steps)
    )
    assert unsaved.status is InspectionStatus.DRAFT and str(unsaved.id) != SEED_DEFINITION
    assert unsaved.id not in {d.id for d in before}  # a copy is not saved until posted
    assert saved.name == "Visual inspection" and saved.version == 2 and saved.status is InspectionStatus.DRAFT
    assert [(r.entity_key, r.entity_value) for r in relations] == [("PartNumber", "WIDGET-001")]
    assert xaml == original_xaml
    # the released original has the same relation: a conflict for the copy
    assert [str(c.definition_id) for c in conflicts] == [SEED_DEFINITION]
    assert [c.version for c in conflicts_after] == [1]


def test_relations(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        mi = api.manual_inspection
        made = await v(mi.create_relation(SEED_DRAFT, entity_value="WIDGET-002"))
        made.entity_value = "WIDGET-003"
        updated = await v(mi.update_relation(made))
        listed = await v(mi.list_relations(SEED_DRAFT))
        deleted = await v(mi.delete_relation([made.relation_id, uuid.uuid4()]))
        after = await v(mi.list_relations(SEED_DRAFT))
        return made, updated, listed, deleted, after

    made, updated, listed, deleted, after = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert made.relation_id is not None and str(made.definition_id) == SEED_DRAFT
    assert updated.entity_value == "WIDGET-003"
    assert [r.entity_value for r in listed] == ["WIDGET-003"]
    assert deleted == 1  # the unknown id is skipped, the known one deleted
    assert after == []


def test_runs_of_a_unit(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        mi = api.manual_inspection
        none = await v(mi.list_sequences("SN-9", "OTHER-PART"))
        runs = await v(mi.list_sequences("SN-9", "WIDGET-001", "A", station_name="MI-01"))
        done = await v(
            mi.update_sequence([InspectionStep(definition_id=SEED_DEFINITION, step_id=1, result=1)], submit=False)
        )
        details = await v(mi.get_mi_details(runs[0].run_id))
        count = await v(mi.get_instances_count(SEED_DEFINITION))
        await v(mi.delete_sequence(runs[0].run_id))
        with pytest.raises(NotFoundError):
            await v(mi.delete_sequence(runs[0].run_id))
        count_after = await v(mi.get_instances_count(SEED_DEFINITION))
        return none, runs, done, details, count, count_after

    none, runs, done, details, count, count_after = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert none == []
    assert [(str(r.definition_id), r.serial_number, r.station_name) for r in runs] == [
        (SEED_DEFINITION, "SN-9", "MI-01")
    ]
    assert [s.name for s in runs[0].steps] == ["Housing intact", "Label text"]
    assert done.serial_number in {"SN-9", "SN-MI-001"} and done.steps[0].result == 1
    assert details["definition"]["name"] == "Visual inspection"
    assert count == 2 and count_after == 1  # the seeded run and SN-9's


def test_string_tests_misc_info_and_wwf(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        mi = api.manual_inspection
        step = await v(mi.put_string_test(InspectionStep(definition_id=SEED_DRAFT, name="Label text")))
        step.name = "Label text (exact)"
        replaced = await v(mi.put_string_test(step))
        good = await v(mi.validate_misc_info(MiscInfo(name="Lot", regex=r"L\d{4}", value="L1234")))
        bad = await v(mi.validate_misc_info(MiscInfo(name="Lot", regex=r"L\d{4}", value="X1")))
        await v(mi.put_xaml(SEED_DRAFT, "<Activity x:Class='Solder' />", username="ada"))
        wwf = await v(mi.get_wwf_content(SEED_DRAFT))
        with pytest.raises(ValidationError):  # the released seed takes no edits
            await v(mi.put_string_test(InspectionStep(definition_id=SEED_DEFINITION, name="More")))
        return step, replaced, good, bad, wwf

    step, replaced, good, bad, wwf = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert step.step_id == 1 and replaced.step_id == 1 and replaced.name == "Label text (exact)"
    assert good.is_valid is True and bad.is_valid is False
    assert wwf["Content"] == "<Activity x:Class='Solder' />"


def test_requests_carry_the_models_wire_json(wats_simulator: Simulator) -> None:
    # each body is the model's own JSON (to_wire), sent as it is: a field the facade does not
    # know and the server's time spelling reach the server unchanged
    step = InspectionStep(definition_id=SEED_DRAFT, name="Label text", description="Read it", futureField=[1, "x"])
    run_step = InspectionStep(definition_id=SEED_DEFINITION, step_id=1, result=1, comment="ok")
    with pyWATS(**kw(wats_simulator)) as api:
        mi = api.manual_inspection
        original = mi.copy_definition(SEED_DEFINITION)
        wats_simulator.requests.clear()
        mi.put_string_test(step)
        mi.update_sequence([run_step])
        mi.copy_inspection(SEED_DEFINITION)
    sent = {r.path.rsplit("/", 1)[-1]: r.json() for r in wats_simulator.requests if r.body}
    assert sent["PutStringTest"] == step.to_wire() and sent["PutStringTest"]["futureField"] == [1, "x"]
    assert sent["PutSequence"] == [run_step.to_wire()]
    assert original is not None and original.created is not None
    # each copy has new ids (its own and its XAML's); the rest is the copy as read
    expected = {k: v for k, v in original.to_wire().items() if k not in ("TestSequenceDefinitionId", "XAML")}
    assert {k: v for k, v in sent["PostDefinition"].items() if k in expected} == expected


def test_not_found_and_lenient(wats_simulator: Simulator) -> None:
    missing = str(uuid.uuid4())
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(NotFoundError):
            api.manual_inspection.get_definition(missing)
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.manual_inspection.get_definition(missing) is None


def test_bad_arguments_are_refused_before_sending(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        mi = api.manual_inspection
        for call, name in [
            (lambda: mi.get_definition("not-a-guid"), "definition_id"),
            (lambda: mi.create_definition(""), "name"),
            (lambda: mi.create_definition("x", is_global="yes"), "is_global"),
            (lambda: mi.create_definition("x", on_fail_require_repair=-1), "on_fail_require_repair"),
            (lambda: mi.delete_relation([]), "relation_ids"),
            (lambda: mi.list_sequences("SN", "PN", status=7), "status"),
            (lambda: mi.update_sequence([]), "steps"),
            (lambda: mi.put_string_test(InspectionStep(name="x")), "definition_id"),
            (lambda: mi.update_definition(InspectionDefinition(name="unsaved")), "definition"),
        ]:
            with pytest.raises(InvalidArgumentError, match=name):
                call()
    assert not wats_simulator.requests


def test_every_call_warns_internal(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        api.manual_inspection.list_definitions()
    assert any(issubclass(w.category, InternalAPIWarning) and w.filename == __file__ for w in caught)


def test_simulator_speaks_the_wire_format(wats_simulator: Simulator) -> None:
    # plain httpx: the Production Manager entity view, and status moves checked by the server
    headers = {"Authorization": f"Basic {wats_simulator.token}", "Referer": wats_simulator.url}
    with httpx.Client(base_url=wats_simulator.url, headers=headers) as http:
        made = http.post(
            "/api/internal/ManualInspection/PostDefinition",
            params={"returnAsProductionManagerEntity": "true"},
            json={"Name": "Wire check"},
        )
        assert made.status_code == 200 and made.json()["status"] == 0 and made.json()["name"] == "Wire check"
        jump = http.put("/api/internal/ManualInspection/PutDefinitionNew", json={"id": made.json()["id"], "status": 2})
        assert jump.status_code == 400 and "Draft" in jump.json()["Message"]
