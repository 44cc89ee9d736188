"""Manual Inspection (internal ``/api/internal/ManualInspection/*``): definitions, their relations,
XAML and string tests, and the inspection runs ("sequences") of units.

The documents give these operations no descriptions beyond their shapes, so the behaviour here
is a reading of those shapes, kept consistent with the rest of WATS's Production Manager (the
software packages' life cycle):

* A definition (``TestSequenceDefinition``) has a ``Status``: 0 Draft, 1 Pending, 2 Released,
  3 Revoked, moving Draft → Pending, Pending → Draft or Released, Released → Revoked
  (``PutDefinitionNew`` with another ``status``); anything else is a 400. Only Draft definitions
  take edits (details, XAML, string tests). Posting a name that exists makes its next version.
* ``GetDefinitionCopy`` answers an unsaved copy (new id, Draft, same name and relations);
  posting it saves the next version.
* Relations tie a definition to products (``EntityKey`` ``PartNumber``, ``EntityValue`` the part
  number, ``*`` for any). ``GetRelationConflicts`` names the other Released definitions with the
  same relation.
* ``GetSequences`` for a unit gives one run per Released definition related to its part number
  (or global), made on first ask with the definition's string-test steps. ``PutSequence``
  saves steps into the open run of their ``definitionId`` (``submit`` closes it: status 2).
  ``GetMiDetails`` takes a run's ``uuid``; ``GetInstancesCount`` counts a definition's runs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from ..common import data_item, fold, iso, load_each, now, same
from ..store import Store
from ..wire import DataError, Handler, Server, SimRequest, error

DEFINITIONS = "mi_definitions"
RELATIONS = "mi_relations"
SEQUENCES = "mi_sequences"
DRAFT, PENDING, RELEASED, REVOKED = 0, 1, 2, 3
_MOVES = {(DRAFT, PENDING), (PENDING, DRAFT), (PENDING, RELEASED), (RELEASED, REVOKED)}
_STATUS_NAMES = {DRAFT: "Draft", PENDING: "Pending", RELEASED: "Released", REVOKED: "Revoked"}
SEQ_OPEN, SEQ_SUBMITTED = 0, 2
_PRIVATE = ("_xaml", "_steps")
# the definition the seed data and the examples use
SEED_DEFINITION = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b"
SEED_DRAFT = "7a2d3c4b-5e6f-4a71-9b8c-0d1e2f3a4b5c"
SEED_PENDING = "9c4f5e6d-7a8b-4c93-9dae-2f3a4b5c6d7e"
SEED_RELATION = "8b3e4d5c-6f7a-4b82-8c9d-1e2f3a4b5c6d"
SEED_RUN = "0d5a6f7e-8b9c-4da4-8ebf-3a4b5c6d7e8f"


def default_xaml(name: str) -> str:
    safe = name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<Activity x:Class="{safe}" xmlns="http://schemas.microsoft.com/netfx/2009/xaml/activities" />'


def _definition(def_id: str, name: str, status: int, *, is_global: bool = False, version: int = 1) -> dict[str, Any]:
    stamp = iso(now())
    return {
        "TestSequenceDefinitionId": def_id,
        "Name": name,
        "Version": version,
        "Description": "",
        "Created": stamp,
        "CreatedBy": "admin",
        "Modified": stamp,
        "ModifiedBy": "admin",
        "Released": stamp if status >= RELEASED else None,
        "ReleasedBy": "admin" if status >= RELEASED else None,
        "Revoked": None,
        "RevokedBy": None,
        "Status": status,
        "IsGlobal": is_global,
        "OnFailGotoCleanup": False,
        "OnFailRequireSubmit": False,
        "OnFailRequireRepair": 0,
        "AddChildUnits": False,
        "_xaml": default_xaml(name),
        "_steps": [],
    }


def seed() -> dict[str, list[dict[str, Any]]]:
    visual = _definition(SEED_DEFINITION, "Visual inspection", RELEASED)
    visual["Description"] = "Look for scratches, missing screws and bent pins"
    visual["_steps"] = [
        {"definitionId": SEED_DEFINITION, "id": 1, "parentId": 0, "name": "Housing intact", "type": "PassFail"},
        {"definitionId": SEED_DEFINITION, "id": 2, "parentId": 0, "name": "Label text", "type": "StringValue"},
    ]
    draft = _definition(SEED_DRAFT, "Solder joint check", DRAFT)
    pending = _definition(SEED_PENDING, "Packaging check", PENDING)
    relation = {
        "TestSequenceRelationId": SEED_RELATION,
        "TestSequenceDefinitionId": SEED_DEFINITION,
        "EntitySchema": "Production",
        "EntityName": "Product",
        "EntityKey": "PartNumber",
        "EntityValue": "WIDGET-001",
        "Status": 0,
        "ProductName": "WIDGET-001",
    }
    run = {
        "uuid": SEED_RUN,
        "definitionId": SEED_DEFINITION,
        "name": visual["Name"],
        "version": 1,
        "status": SEQ_OPEN,
        "serialNumber": "SN-MI-001",
        "partNumber": "WIDGET-001",
        "revision": "A",
        "batchNumber": "",
        "stationName": None,
        "steps": [dict(s) for s in visual["_steps"]],
    }
    return {DEFINITIONS: [visual, draft, pending], RELATIONS: [relation], SEQUENCES: [run]}


def load(data: dict[str, Any], store: Store) -> None:
    """``manual_inspections``: definitions (``TestSequenceDefinition`` objects; ``Name`` required)."""
    load_each(data, "manual_inspections", store, DEFINITIONS, _loaded_definition)


def _loaded_definition(i: int, item: Any) -> dict[str, Any]:
    data_item("manual inspection", i, item, "Name")
    status = item.get("Status", DRAFT)
    if status not in _STATUS_NAMES:
        raise DataError(f"manual inspection #{i} has Status {status!r}; expected 0, 1, 2 or 3")
    base = _definition(str(item.get("TestSequenceDefinitionId") or uuid.uuid4()), item["Name"], status)
    return {**base, **item, "TestSequenceDefinitionId": base["TestSequenceDefinitionId"]}


def _public(definition: dict[str, Any], store: Store) -> dict[str, Any]:
    out = {k: v for k, v in definition.items() if k not in _PRIVATE}
    def_id = definition["TestSequenceDefinitionId"]
    out["Relations"] = [r for r in store.collection(RELATIONS) if r["TestSequenceDefinitionId"] == def_id]
    out["InstancesCount"] = sum(1 for s in store.collection(SEQUENCES) if s["definitionId"] == def_id)
    out["XAML"] = {"TestSequenceDefinitionId": def_id, "Definition": definition["_xaml"]}
    return out


def _entity(definition: dict[str, Any]) -> dict[str, Any]:
    """The Production Manager view of a definition (``ProductionManagerEntity``)."""
    return {
        "id": definition["TestSequenceDefinitionId"],
        "entityType": "ManualInspection",
        "name": definition["Name"],
        "description": definition.get("Description") or "",
        "status": definition["Status"],
        "version": definition["Version"],
        "created": definition.get("Created"),
        "createdBy": definition.get("CreatedBy"),
        "released": definition.get("Released"),
        "releasedBy": definition.get("ReleasedBy"),
        "revoked": definition.get("Revoked"),
        "revokedBy": definition.get("RevokedBy"),
        "modified": definition.get("Modified"),
        "modifiedBy": definition.get("ModifiedBy"),
        "isGlobal": definition.get("IsGlobal", False),
        "addChildUnits": definition.get("AddChildUnits", False),
        "onFailRequireSubmit": definition.get("OnFailRequireSubmit", False),
        "onFailRequireRepair": definition.get("OnFailRequireRepair", 0),
    }


def _find(store: Store, def_id: Any) -> dict[str, Any] | None:
    return next((d for d in store.collection(DEFINITIONS) if same(d["TestSequenceDefinitionId"], def_id)), None)


def _no_definition(def_id: Any) -> tuple[int, Any]:
    return error(404, f"Manual inspection definition {def_id} was not found.")


def _not_draft(definition: dict[str, Any]) -> tuple[int, Any]:
    status = _STATUS_NAMES.get(definition["Status"], definition["Status"])
    return error(
        400, f"Manual inspection definition '{definition['Name']}' is {status}; only Draft ones can be edited."
    )


def _body_object(req: SimRequest, what: str) -> dict[str, Any] | tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict):
        return error(400, f"The {what} must be a JSON object.")
    return body


# (server, the definition, where its id came from: the path/query parameters or the JSON body)
_OnDefinition = Callable[[Server, dict[str, Any], dict[str, Any]], tuple[int, Any]]


def _on_definition(key: str, *, body: str | None = None) -> Callable[[_OnDefinition], Handler]:
    """The handler runs under the store's lock with the definition whose id is ``key`` of the
    parameters (or, with ``body`` naming it, of the JSON object sent); an unknown id is a 404."""

    def wrap(handler: _OnDefinition) -> Handler:
        def route(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
            source = params if body is None else _body_object(req, body)
            if isinstance(source, tuple):
                return source
            with sim.store.lock:
                found = _find(sim.store, source.get(key))
                return _no_definition(source.get(key)) if found is None else handler(sim, found, source)

        return route

    return wrap


# -- definitions --------------------------------------------------------------------------------


def _list(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        wanted = params["isGlobalDefinitions"]
        items = [d for d in sim.store.collection(DEFINITIONS) if bool(d.get("IsGlobal")) == wanted]
        return 200, [_public(d, sim.store) for d in items]


@_on_definition("definitionId")
def _get(sim: Server, found: dict[str, Any], params: dict[str, Any]) -> tuple[int, Any]:
    return 200, _public(found, sim.store)


def _post(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = _body_object(req, "definition")
    if isinstance(body, tuple):
        return body
    name = body.get("Name")
    if not isinstance(name, str) or not name.strip():
        return error(400, "The definition needs a Name.")
    with sim.store.lock:
        definitions = sim.store.collection(DEFINITIONS)
        versions = [d["Version"] for d in definitions if same(d["Name"], name)]
        made = _definition(str(uuid.uuid4()), name.strip(), DRAFT, version=max(versions, default=0) + 1)
        for key in (
            "Description",
            "IsGlobal",
            "OnFailGotoCleanup",
            "OnFailRequireSubmit",
            "OnFailRequireRepair",
            "AddChildUnits",
            "LogOperator",
            "LogDescription",
            "VirtualFolderId",
        ):
            if body.get(key) is not None:
                made[key] = body[key]
        xaml = (body.get("XAML") or {}).get("Definition")
        made["_xaml"] = (
            xaml if isinstance(xaml, str) else (default_xaml(made["Name"]) if params.get("createDefaultXaml") else "")
        )
        definitions.append(made)
        for relation in body.get("Relations") or []:
            if isinstance(relation, dict):
                sim.store.collection(RELATIONS).append(
                    {
                        **relation,
                        "TestSequenceRelationId": str(uuid.uuid4()),
                        "TestSequenceDefinitionId": made["TestSequenceDefinitionId"],
                    }
                )
        if params.get("returnAsProductionManagerEntity"):
            return 200, _entity(made)
        return 200, _public(made, sim.store)


_ENTITY_FIELDS = {
    "name": "Name",
    "description": "Description",
    "isGlobal": "IsGlobal",
    "addChildUnits": "AddChildUnits",
    "onFailRequireSubmit": "OnFailRequireSubmit",
    "onFailRequireRepair": "OnFailRequireRepair",
    "logOperator": "LogOperator",
    "logDescription": "LogDescription",
}


@_on_definition("id", body="entity")
def _put(sim: Server, found: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    status = body.get("status", found["Status"])
    if status not in _STATUS_NAMES:
        return error(400, f"Unknown status {status!r}: expected 0 (Draft), 1 (Pending), 2 (Released) or 3 (Revoked).")
    stamp = iso(now())
    if status != found["Status"]:
        if (found["Status"], status) not in _MOVES:
            return error(
                400,
                f"A {_STATUS_NAMES[found['Status']]} definition cannot become {_STATUS_NAMES[status]}.",
            )
        found["Status"] = status
        if status == RELEASED:
            found["Released"], found["ReleasedBy"] = stamp, "admin"
        if status == REVOKED:
            found["Revoked"], found["RevokedBy"] = stamp, "admin"
    else:
        changes = {wire: body[key] for key, wire in _ENTITY_FIELDS.items() if key in body and body[key] is not None}
        changes = {k: v for k, v in changes.items() if found.get(k) != v}
        if changes and found["Status"] != DRAFT:
            return _not_draft(found)
        found.update(changes)
    found["Modified"], found["ModifiedBy"] = stamp, "admin"
    return 200, _public(found, sim.store)


@_on_definition("Id")
def _copy(sim: Server, found: dict[str, Any], params: dict[str, Any]) -> tuple[int, Any]:
    copy = _public(found, sim.store)
    copy.update(
        TestSequenceDefinitionId=str(uuid.uuid4()),
        Status=DRAFT,
        Released=None,
        ReleasedBy=None,
        Revoked=None,
        RevokedBy=None,
        InstancesCount=0,
    )
    copy["XAML"] = {"TestSequenceDefinitionId": copy["TestSequenceDefinitionId"], "Definition": found["_xaml"]}
    return 200, copy


@_on_definition("Id")
def _instances(sim: Server, found: dict[str, Any], params: dict[str, Any]) -> tuple[int, Any]:
    return 200, _public(found, sim.store)["InstancesCount"]


# -- XAML, WWF content, string tests, misc info ---------------------------------------------------


@_on_definition("definitionId")
def _get_xaml(sim: Server, found: dict[str, Any], params: dict[str, Any]) -> tuple[int, Any]:
    return 200, found["_xaml"]


def _put_xaml(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    xaml = req.json()
    if not isinstance(xaml, str) or not xaml.strip():
        return error(400, "The new definition XAML must be a non-empty JSON string.")
    with sim.store.lock:
        found = _find(sim.store, params["definitionId"])
        if found is None:
            return _no_definition(params["definitionId"])
        if found["Status"] != DRAFT:
            return _not_draft(found)
        found["_xaml"] = xaml
        found["Modified"], found["ModifiedBy"] = iso(now()), params.get("username") or "admin"
        return 200, _public(found, sim.store)


@_on_definition("Id")
def _wwf(sim: Server, found: dict[str, Any], params: dict[str, Any]) -> tuple[int, Any]:
    return 200, {
        "TestSequenceDefinitionId": found["TestSequenceDefinitionId"],
        "Name": found["Name"],
        "Version": found["Version"],
        "Content": found["_xaml"],
    }


def _string_test(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    step = _body_object(req, "step")
    if isinstance(step, tuple):
        return step
    if not isinstance(step.get("name"), str) or not step["name"].strip():
        return error(400, "The step needs a name.")
    with sim.store.lock:
        found = _find(sim.store, step.get("definitionId"))
        if found is None:
            return _no_definition(step.get("definitionId"))
        if found["Status"] != DRAFT:
            return _not_draft(found)
        steps = found["_steps"]
        saved = {**step, "definitionId": found["TestSequenceDefinitionId"], "type": step.get("type") or "StringValue"}
        existing = next((i for i, s in enumerate(steps) if step.get("id") and s["id"] == step["id"]), None)
        if existing is None:
            saved["id"] = max((s["id"] for s in steps), default=0) + 1
            saved.setdefault("parentId", 0)
            steps.append(saved)
        else:
            steps[existing] = saved
        return 200, saved


def _misc_info(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    info = _body_object(req, "misc info")
    if isinstance(info, tuple):
        return info
    pattern, value = info.get("regex") or "", info.get("value") or ""
    try:
        valid = re.fullmatch(pattern, value) is not None if pattern else True
    except re.error as exc:
        return error(400, f"The misc info regex {pattern!r} is not a valid regular expression: {exc}.")
    return 200, {**info, "isValid": valid}


# -- relations ------------------------------------------------------------------------------------


@_on_definition("Id")
def _relations(sim: Server, found: dict[str, Any], params: dict[str, Any]) -> tuple[int, Any]:
    return 200, _public(found, sim.store)["Relations"]


def _relation_key(relation: dict[str, Any]) -> tuple[str, ...]:
    return tuple(fold(relation.get(k) or "") for k in ("EntitySchema", "EntityName", "EntityKey", "EntityValue"))


@_on_definition("Id")
def _conflicts(sim: Server, found: dict[str, Any], params: dict[str, Any]) -> tuple[int, Any]:
    relations = sim.store.collection(RELATIONS)
    own = {_relation_key(r) for r in relations if r["TestSequenceDefinitionId"] == found["TestSequenceDefinitionId"]}
    out: dict[str, dict[str, Any]] = {}
    for relation in relations:
        other = _find(sim.store, relation["TestSequenceDefinitionId"])
        if other is not None and other is not found and other["Status"] == RELEASED and _relation_key(relation) in own:
            out[other["TestSequenceDefinitionId"]] = {
                "id": other["TestSequenceDefinitionId"],
                "name": other["Name"],
                "version": other["Version"],
            }
    return 200, list(out.values())


@_on_definition("TestSequenceDefinitionId", body="relation")
def _post_relation(sim: Server, found: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    if not body.get("EntityKey") or body.get("EntityValue") in (None, ""):
        return error(400, "A relation needs an EntityKey and an EntityValue.")
    made = {
        "Status": 0,
        **body,
        "TestSequenceRelationId": str(uuid.uuid4()),
        "TestSequenceDefinitionId": found["TestSequenceDefinitionId"],
    }
    sim.store.collection(RELATIONS).append(made)
    return 200, made


def _put_relation(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = _body_object(req, "relation")
    if isinstance(body, tuple):
        return body
    wanted = body.get("TestSequenceRelationId") or ""
    with sim.store.lock:
        found = next((r for r in sim.store.collection(RELATIONS) if same(r["TestSequenceRelationId"], wanted)), None)
        if found is None:
            return error(404, f"Manual inspection relation {body.get('TestSequenceRelationId')} was not found.")
        found.update({k: v for k, v in body.items() if k not in ("TestSequenceRelationId", "TestSequenceDefinitionId")})
        return 200, found


def _delete_relations(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    ids = req.json()
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return error(400, "The body must be a JSON array of relation ids.")
    wanted = {fold(i) for i in ids}
    with sim.store.lock:
        relations = sim.store.collection(RELATIONS)
        kept = [r for r in relations if fold(r["TestSequenceRelationId"]) not in wanted]
        deleted = len(relations) - len(kept)
        relations[:] = kept
        return 200, {"Deleted": deleted}


# -- inspection runs (sequences) ------------------------------------------------------------------


def _applies(store: Store, definition: dict[str, Any], part_number: str) -> bool:
    if definition["Status"] != RELEASED:
        return False
    if definition.get("IsGlobal"):
        return True
    return any(
        r["TestSequenceDefinitionId"] == definition["TestSequenceDefinitionId"]
        and same(r.get("EntityKey", ""), "partnumber")
        and (str(r.get("EntityValue", "")) == "*" or same(r.get("EntityValue", ""), part_number))
        for r in store.collection(RELATIONS)
    )


def _sequences(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    unit = {k: params[k] for k in ("serialNumber", "partNumber", "revision", "batchNumber")}
    with sim.store.lock:
        runs = sim.store.collection(SEQUENCES)
        for definition in sim.store.collection(DEFINITIONS):
            if not _applies(sim.store, definition, unit["partNumber"]):
                continue
            def_id = definition["TestSequenceDefinitionId"]
            if not any(s["definitionId"] == def_id and same(s["serialNumber"], unit["serialNumber"]) for s in runs):
                runs.append(
                    {
                        "uuid": str(uuid.uuid4()),
                        "definitionId": def_id,
                        "name": definition["Name"],
                        "version": definition["Version"],
                        "status": SEQ_OPEN,
                        **unit,
                        "stationName": params.get("stationName"),
                        "steps": [dict(s) for s in definition["_steps"]],
                    }
                )
        sn, pn = unit["serialNumber"], unit["partNumber"]
        mine = [s for s in runs if same(s["serialNumber"], sn) and same(s["partNumber"], pn)]
        if params.get("status") is not None:
            mine = [s for s in mine if s["status"] == params["status"]]
        return 200, mine


def _put_sequence(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    steps = req.json()
    if not isinstance(steps, list) or not steps or not all(isinstance(s, dict) for s in steps):
        return error(400, "The body must be a non-empty JSON array of steps.")
    def_ids = {fold(s.get("definitionId") or "") for s in steps}
    if len(def_ids) != 1:
        return error(400, "All steps must name the same definitionId.")
    def_id = def_ids.pop()
    with sim.store.lock:
        run = next(
            (
                s
                for s in reversed(sim.store.collection(SEQUENCES))
                if same(s["definitionId"], def_id) and s["status"] != SEQ_SUBMITTED
            ),
            None,
        )
        if run is None:
            return error(
                404, f"No open manual inspection of definition {def_id} (ask GetSequences for the unit first)."
            )
        by_id = {s["id"]: i for i, s in enumerate(run["steps"])}
        for step in steps:
            if step.get("id") in by_id:
                run["steps"][by_id[step["id"]]] = {**run["steps"][by_id[step["id"]]], **step}
            else:
                run["steps"].append(step)
        run["status"] = SEQ_SUBMITTED if params.get("submit") else 1
        return 200, (run if params.get("returnRootSequence") else None)


def _find_run(store: Store, run_id: Any) -> dict[str, Any] | None:
    return next((s for s in store.collection(SEQUENCES) if same(s["uuid"], run_id)), None)


def _delete_sequence(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        run = _find_run(sim.store, params["uuid"])
        if run is None:
            return error(404, f"Manual inspection run {params['uuid']} was not found.")
        sim.store.collection(SEQUENCES).remove(run)
        return 200, None


def _details(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        run = _find_run(sim.store, params["id"])
        if run is None:
            return error(404, f"Manual inspection run {params['id']} was not found.")
        definition = _find(sim.store, run["definitionId"])
        return 200, {**run, "definition": None if definition is None else _entity(definition)}


_MI = "/api/internal/ManualInspection"
ROUTES: dict[str, Handler] = {
    f"GET {_MI}/GetTestSequenceDefinitions": _list,
    f"GET {_MI}/GetTestSequenceDefinition": _get,
    f"POST {_MI}/PostDefinition": _post,
    f"PUT {_MI}/PutDefinitionNew": _put,
    f"GET {_MI}/GetDefinitionCopy/{{Id}}": _copy,
    f"GET {_MI}/GetInstancesCount/{{Id}}": _instances,
    f"GET {_MI}/GetTestSequenceDefinitionXaml": _get_xaml,
    f"PUT {_MI}/PutTestSequenceDefinitionXaml": _put_xaml,
    f"GET {_MI}/GetWatswwfContent/{{Id}}": _wwf,
    f"PUT {_MI}/PutStringTest": _string_test,
    f"PUT {_MI}/ValidateMiscInfo": _misc_info,
    f"GET {_MI}/GetRelations/{{Id}}": _relations,
    f"GET {_MI}/GetRelationConflicts/{{Id}}": _conflicts,
    f"GET {_MI}/GetRelationConflictsNew/{{Id}}": _conflicts,
    f"POST {_MI}/PostRelation": _post_relation,
    f"PUT {_MI}/PutRelation": _put_relation,
    f"PUT {_MI}/DeleteRelationNew": _delete_relations,
    f"GET {_MI}/GetSequences": _sequences,
    f"PUT {_MI}/PutSequence": _put_sequence,
    f"DELETE {_MI}/DeleteSequence": _delete_sequence,
    f"GET {_MI}/GetMiDetails/{{id}}": _details,
    f"GET {_MI}/GetMiDetailsNew/{{id}}": _details,
}
