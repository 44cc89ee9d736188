"""Simulated Production endpoints: units, phases, processes, verification, assemblies, serial numbers.

State, in wire format: ``units`` (keyed by serial and part number; each unit's product and
revision must exist in the Product module's ``products``), ``unit_results`` (per-process test
results the verification grades), ``unit_changes`` (waiting to be acknowledged),
``serial_number_types`` (pools with a prefix and a number range), ``serial_numbers`` (the
numbers taken so far, never handed out twice), ``serial_numbers_reserved`` (numbers a station
reserved, until freed), ``unit_state_history`` (every phase or process a unit went through, kept
after its change is acknowledged), ``production_sites`` and ``production_batches``. A serial number
type holds ``ranges`` of stored numbers (seeded, generated or uploaded), each number in them free,
reserved or taken. Assemblies are checked against the Product module's box build
(``product_relations``). Never imports the facade.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape as xml_escape

from ..common import data_item, data_list, fold, iso, multipart_files, now, parse_time, same
from ..store import Store
from ..wire import Handler, Raw, Server, SimRequest, error
from .process import find_process
from .product import box_build, find_product, find_revision, revision_by_id, revision_id
from .report import check_filter, result_letter, select_uut_reports, start_of, uut_info

__all__ = ["PHASES", "ROUTES", "UNITS", "load", "seed"]

Result = tuple[int, Any]
FINALIZED = 16
UNDER_PRODUCTION = 2
# id, code, name, description: the phases the SetUnitPhase documentation lists.
PHASES = [
    (1, "Unknown", "Unknown", "Unknown unit phase"),
    (2, "UnderProduction", "Under production", "Unit is under production"),
    (4, "ProductionRepair", "Production repair", "Unit is being repaired"),
    (8, "ServiceRepair", "Service repair", "Unit is being repaired for service (RMA)"),
    (16, "Finalized", "Finalized", "Unit is finalized"),
    (32, "Scrapped", "Scrapped", "Unit is scrapped"),
    (64, "ExtendedTest", "Extended test", "Unit is under extended test"),
    (128, "Customization", "Customization", "Unit is under customization"),
    (256, "Repaired", "Repaired", "Unit has been repaired"),
    (512, "Missing", "Missing", "Unit is marked as missing"),
    (1024, "InStorage", "In storage", "Unit is in store (warehouse)"),
    (2048, "Shipped", "Shipped", "Unit is shipped (out of factory)"),
    (4098, "UnderProductionQueued", "Under production - queued", "Unit is under production in a queue"),
    (4100, "ProductionRepairQueued", "Production repair - queued", "Unit is waiting for production repair"),
    (4104, "ServiceRepairQueued", "Service repair - queued", "Unit is waiting for service repair (RMA)"),
]
_PHASE_NAMES = {pid: name for pid, _, name, _ in PHASES}
_UNIT_FIELDS = (
    "serialNumber",
    "partNumber",
    "revision",
    "parentSerialNumber",
    "batchNumber",
    "serialDate",
    "currentLocation",
    "xmlData",
    "unitPhaseId",
    "processCode",
)
_RANGE_LIMIT = 10_000
_KEYS = ("serialNumber", "partNumber")
UNITS = "units"
_RESULTS = "unit_results"
_CHANGES = "unit_changes"
_COUNTERS = "production_counters"
_SN_TYPES = "serial_number_types"
_SERIALS = "serial_numbers"
_BATCHES = "production_batches"
_HISTORY = "unit_state_history"
_RESERVED = "serial_numbers_reserved"
_SITES = "production_sites"


def _unit(sim: Server, serial: str, part: str | None) -> dict[str, Any] | str | None:
    """The unit, None if there is none, or an error text if ``part`` is missing and the serial is ambiguous."""
    found = [
        u
        for u in sim.store.collection(UNITS)
        if same(u["serialNumber"], serial) and (part is None or same(u["partNumber"], part))
    ]
    if len(found) > 1:
        return f"Serial number {serial} is used by more than one product; give the part number."
    return found[0] if found else None


def _children(sim: Server, unit: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        u
        for u in sim.store.collection(UNITS)
        if u.get("parentSerialNumber") is not None
        and same(u["parentSerialNumber"], unit["serialNumber"])
        and same(u.get("parentPartNumber", ""), unit["partNumber"])
    ]


def _unit_out(sim: Server, unit: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    out = {k: copy.deepcopy(unit.get(k)) for k in _UNIT_FIELDS}
    out["unitPhase"] = _PHASE_NAMES.get(unit.get("unitPhaseId") or 1)
    out["tags"] = []
    product = find_product(sim.store, unit["partNumber"])
    if product is not None:
        out["product"] = {
            k: product.get(k) for k in ("productId", "partNumber", "name", "description", "nonSerial", "state")
        }
        rev = find_revision(product, unit.get("revision"))
        if rev is not None:
            out["productRevision"] = {
                "productRevisionId": rev["productRevisionId"],
                "productId": product["productId"],
                "revision": rev["revision"],
                "name": rev.get("name"),
                "description": rev.get("description"),
                "state": rev.get("state", 1),
            }
    out["subUnits"] = [_unit_out(sim, c, depth + 1) for c in _children(sim, unit)] if depth < 10 else []
    return out


def _change(sim: Server, unit: dict[str, Any], old_phase: Any = None, **new: Any) -> None:
    counters = sim.store.collection(_COUNTERS)
    if not counters:
        counters.append({"name": "unitChange", "next": 1})
    change_id = counters[0]["next"]
    counters[0]["next"] += 1
    sim.store.collection(_CHANGES).append(
        {
            "id": change_id,
            "unitSerialNumber": unit["serialNumber"],
            "newParentSerialNumber": new.get("parent"),
            "newPartNumber": new.get("part", unit["partNumber"]),
            "newRevision": new.get("revision"),
            "newUnitPhaseId": new.get("phase"),
            "oldUnitPhaseId": old_phase,
            "changed": iso(now()),
        }
    )


def _record_state(sim: Server, unit: dict[str, Any], when: str | None = None) -> None:
    """Append the unit's phase and process to its state history (kept after changes are acknowledged)."""
    sim.store.collection(_HISTORY).append(_state_entry(unit, when or iso(now())))


def _brief(unit: dict[str, Any]) -> dict[str, Any]:
    """The unit's keys, revision and phase."""
    return {
        "serialNumber": unit["serialNumber"],
        "partNumber": unit["partNumber"],
        "revision": unit.get("revision"),
        "unitPhaseId": unit.get("unitPhaseId"),
        "unitPhase": _PHASE_NAMES.get(unit.get("unitPhaseId") or 1),
    }


def _state_entry(unit: dict[str, Any], when: str) -> dict[str, Any]:
    return _brief(unit) | {"processCode": unit.get("processCode"), "changed": when}


def _missing(serial: str, part: str | None) -> Result:
    return error(404, f"Unit {serial}{'/' + part if part else ''} was not found.")


def _on_unit(answer: Callable[[Server, dict[str, Any], dict[str, Any]], Result]) -> Handler:
    """The handler answering ``answer(sim, unit, params)`` for the unit the query's ``serialNumber``
    and ``partNumber`` name (404 if there is none), under the store's lock."""

    def handler(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
        return _answer_unit(sim, params["serialNumber"], params["partNumber"], lambda unit: answer(sim, unit, params))

    return handler


def _answer_unit(sim: Server, serial: str, part: str | None, answer: Callable[[dict[str, Any]], Result]) -> Result:
    """``answer(unit)`` for the unit ``serial`` (and ``part``) name, under the store's lock: 404 if
    there is none, 400 if ``part`` is missing and the serial number is ambiguous."""
    with sim.store.lock:
        unit = _unit(sim, serial, part)
        if isinstance(unit, str):
            return error(400, unit)
        if unit is None:
            return _missing(serial, part)
        return answer(unit)


# -- units -----------------------------------------------------------------------------------------


@_on_unit
def _get_unit(sim: Server, unit: dict[str, Any], params: dict[str, Any]) -> Result:
    return 200, _unit_out(sim, unit)


def _get_unit_internal(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """The internal lookup: the part number is optional, as long as the serial number is unambiguous."""
    serial, part = params["serialNumber"], (params.get("partNumber") or "").strip() or None
    if not serial.strip():
        return error(400, "serialNumber is required.")
    return _answer_unit(sim, serial, part, lambda unit: (200, _unit_out(sim, unit)))


@_on_unit
def _get_unit_info(sim: Server, unit: dict[str, Any], params: dict[str, Any]) -> Result:
    """The unit without its sub-units: its fields, product, parent, child count and last state change."""
    out = _unit_out(sim, unit, depth=10)
    del out["subUnits"]
    out["parentPartNumber"] = unit.get("parentPartNumber")
    out["childCount"] = len(_children(sim, unit))
    states = [h for h in sim.store.collection(_HISTORY) if _same_unit(h, unit)]
    out["lastChanged"] = states[-1]["changed"] if states else unit.get("serialDate")
    return 200, out


def _same_unit(entry: dict[str, Any], unit: dict[str, Any]) -> bool:
    return same(entry["serialNumber"], unit["serialNumber"]) and same(entry["partNumber"], unit["partNumber"])


def _node(sim: Server, unit: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    children = _children(sim, unit) if depth < 10 else []
    return _brief(unit) | {"children": [_node(sim, c, depth + 1) for c in children]}


@_on_unit
def _get_unit_hierarchy(sim: Server, unit: dict[str, Any], params: dict[str, Any]) -> Result:
    """The unit's tree of child units (all levels) and its chain of parents, nearest first."""
    tree = _node(sim, unit)
    parents: list[dict[str, Any]] = []
    up: Any = unit
    while len(parents) < 10:
        above = up.get("parentSerialNumber")
        up = _unit(sim, above, up.get("parentPartNumber")) if above else None
        if not isinstance(up, dict):
            break
        parents.append({k: up.get(k) for k in ("serialNumber", "partNumber", "revision")})
    tree["parents"] = parents
    return 200, tree


@_on_unit
def _get_unit_state_history(sim: Server, unit: dict[str, Any], params: dict[str, Any]) -> Result:
    """Every phase and process the unit has been in, oldest first."""
    return 200, [copy.deepcopy(h) for h in sim.store.collection(_HISTORY) if _same_unit(h, unit)]


@_on_unit
def _get_unit_contents(sim: Server, unit: dict[str, Any], params: dict[str, Any]) -> Result:
    """The box build of ``partNumber``/``revision``, each line with the unit's child units that fill it."""
    template = box_build(sim.store, unit["partNumber"], params["revision"])
    if template is None:
        return error(400, f"Product {unit['partNumber']} has no revision {params['revision']}.")
    children = _children(sim, unit)
    lines: list[dict[str, Any]] = []
    placed: set[int] = set()
    for line in template:
        owner = revision_by_id(sim.store, line["ProductRevisionId"])
        if owner is None:
            continue
        pn, rev = owner[0]["partNumber"], owner[1]["revision"]
        fitted = [c for c in children if same(c["partNumber"], pn) and same(c.get("revision"), rev)]
        placed.update(id(c) for c in fitted)
        lines.append(
            {
                "partNumber": pn,
                "revision": rev,
                "quantity": line.get("Quantity", 1),
                "units": [{"serialNumber": c["serialNumber"], "unitPhaseId": c.get("unitPhaseId")} for c in fitted],
            }
        )
    others = [
        {"serialNumber": c["serialNumber"], "partNumber": c["partNumber"], "revision": c.get("revision")}
        for c in children
        if id(c) not in placed
    ]
    return 200, {
        "serialNumber": unit["serialNumber"],
        "partNumber": unit["partNumber"],
        "revision": params["revision"],
        "contents": lines,
        "notInBoxBuild": others,
    }


def _get_sites(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    with sim.store.lock:
        return 200, copy.deepcopy(sim.store.collection(_SITES))


def _is_connected(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    return 200, True


def _serial_number_history(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """One row per UUT report the filter selects, newest first, at most ``topCount``.

    WATS builds this history from test reports, so a unit that was never tested is not in it;
    a unit the Production module knows also carries its current phase.
    """
    body = req.json()
    bad = check_filter(body)
    if bad is not None:
        return bad
    top = body.get("topCount")
    if top is not None and top < 0:
        return error(400, "The request is invalid. 'topCount' must not be negative.")
    with sim.store.lock:
        reports = list(reversed(select_uut_reports(sim.store, body, default_days=None)))
        if top:
            reports = reports[:top]
        rows = []
        for r in reports:
            row = {
                "serialNumber": r.get("sn"),
                "partNumber": r.get("pn"),
                "revision": r.get("rev"),
                "batchNumber": uut_info(r).get("batchSN"),
                "processCode": None if r.get("processCode") is None else str(r.get("processCode")),
                "processName": r.get("processName"),
                "stationName": r.get("machineName"),
                "result": result_letter(r),
                "start": iso(start_of(r)),
                "reportId": r.get("id"),
            }
            unit = _unit(sim, str(row["serialNumber"]), str(row["partNumber"]))
            if isinstance(unit, dict):
                row["unitPhaseId"] = unit.get("unitPhaseId")
                row["unitPhase"] = _PHASE_NAMES.get(unit.get("unitPhaseId") or 1)
            rows.append(row)
        return 200, rows


def _check_unit(sim: Server, i: int, item: Any) -> str | None:
    if not isinstance(item, dict):
        return f"Unit #{i} must be a JSON object."
    for key in ("serialNumber", "partNumber"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            return f"Unit #{i}: {key} is required."
    product = find_product(sim.store, item["partNumber"])
    if product is None:
        return f"Unit {item['serialNumber']}: product {item['partNumber']} does not exist."
    existing = _unit(sim, item["serialNumber"], item["partNumber"])
    revision = item.get("revision")
    if revision is None and not isinstance(existing, dict):
        return f"Unit {item['serialNumber']}: revision is required for a new unit."
    if revision is not None and find_revision(product, revision) is None:
        return f"Unit {item['serialNumber']}: product {item['partNumber']} has no revision {revision}."
    phase = item.get("unitPhaseId")
    if phase is not None and phase not in _PHASE_NAMES:
        return f"Unit {item['serialNumber']}: {phase!r} is not a unit phase."
    return None


def _put_units(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    body = req.json()
    if not isinstance(body, list):
        return error(400, "The request body must be a list of units.")
    with sim.store.lock:
        for i, item in enumerate(body):  # all or nothing: check every unit first
            problem = _check_unit(sim, i, item)
            if problem:
                return error(400, problem)
        stored = []
        for item in body:
            unit = _unit(sim, item["serialNumber"], item["partNumber"])
            known = {k: v for k, v in item.items() if k in _UNIT_FIELDS and k != "parentSerialNumber"}
            if isinstance(unit, dict):
                old_phase, old_rev, old_process = unit.get("unitPhaseId"), unit.get("revision"), unit.get("processCode")
                unit.update({k: v for k, v in known.items() if v is not None})
                if unit.get("unitPhaseId") != old_phase or not same(unit.get("revision"), old_rev):
                    _change(sim, unit, old_phase, phase=unit.get("unitPhaseId"), revision=unit.get("revision"))
                if unit.get("unitPhaseId") != old_phase or unit.get("processCode") != old_process:
                    _record_state(sim, unit)
            else:
                unit = _new_unit(sim, known)
            stored.append(_unit_out(sim, unit))
        return 200, stored


def _new_unit(sim: Server, known: dict[str, Any]) -> dict[str, Any]:
    """Store a new unit (checked already) and start its state history."""
    unit = {k: None for k in _UNIT_FIELDS} | known
    unit["serialDate"] = unit.get("serialDate") or iso(now())
    unit["unitPhaseId"] = unit.get("unitPhaseId") or UNDER_PRODUCTION
    sim.store.collection(UNITS).append(unit)
    _record_state(sim, unit)
    return unit


def _create_unit(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """The internal create: one new unit from query parameters; an existing unit is refused."""
    item = {
        "serialNumber": params["serialNumber"],
        "partNumber": params["partNumber"],
        "revision": params["revision"],
        "batchNumber": params.get("batchNumber"),
        "unitPhaseId": params.get("unitPhase"),
    }
    with sim.store.lock:
        if isinstance(_unit(sim, item["serialNumber"], item["partNumber"]), dict):
            return error(400, f"Unit {item['serialNumber']}/{item['partNumber']} already exists.")
        problem = _check_unit(sim, 0, item)
        if problem:
            return error(400, problem)
        unit = _new_unit(sim, {k: v for k, v in item.items() if v is not None})
        return 200, _unit_out(sim, unit)


def _put_batches(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    body = req.json()
    if not isinstance(body, list):
        return error(400, "The request body must be a list of batches.")
    for i, item in enumerate(body):
        if not isinstance(item, dict) or not isinstance(item.get("batchNumber"), str) or not item["batchNumber"]:
            return error(400, f"Batch #{i}: batchNumber is required.")
        size = item.get("batchSize")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
            return error(400, f"Batch {item['batchNumber']}: batchSize must be a non-negative integer.")
    with sim.store.lock:
        batches = sim.store.collection(_BATCHES)
        for item in body:
            current = next((b for b in batches if same(b["batchNumber"], item["batchNumber"])), None)
            if current is None:
                batches.append({"batchNumber": item["batchNumber"], "batchSize": item.get("batchSize")})
            else:
                current["batchSize"] = item.get("batchSize")
        return 200, copy.deepcopy(batches)


# -- phases, processes, verification ---------------------------------------------------------------


def _set_phase(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    serial, part, phase = params["serialNumber"], params["partNumber"], params["phase"]
    if phase not in _PHASE_NAMES:
        return error(400, f"{phase} is not a unit phase.")
    with sim.store.lock:
        unit = _unit(sim, serial, part)
        if not isinstance(unit, dict):
            return _missing(serial, part)
        old = unit.get("unitPhaseId")
        if old != phase:
            unit["unitPhaseId"] = phase
            _change(sim, unit, old, phase=phase)
            _record_state(sim, unit)
        return 200, True


def _set_process(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    serial, part, name = params["serialNumber"], params["partNumber"], params["processName"]
    with sim.store.lock:
        process = find_process(sim.store, name)
        if process is None:
            return error(400, f"Process '{name}' does not exist.")
        unit = _unit(sim, serial, part)
        if not isinstance(unit, dict):
            return _missing(serial, part)
        if unit.get("processCode") != str(process["code"]):
            unit["processCode"] = str(process["code"])
            _record_state(sim, unit)
        return 200, True


def _get_verification(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    return _answer_unit(sim, params["serialNumber"], params.get("partNumber"), lambda unit: _verification(sim, unit))


def _verification(sim: Server, unit: dict[str, Any]) -> Result:
    results = [
        {k: v for k, v in r.items() if k not in ("serialNumber", "partNumber")}
        for r in sim.store.collection(_RESULTS)
        if same(r["serialNumber"], unit["serialNumber"]) and same(r["partNumber"], unit["partNumber"])
    ]
    results.sort(key=lambda r: r.get("processIndex") or 0)
    statuses = [r.get("status") for r in results]
    if not results:
        status = "NotTested"
    elif any(s == "Failed" for s in statuses):
        status = "Failed"
    elif all(s == "Passed" for s in statuses):
        status = "Passed"
    else:
        status = "Incomplete"
    indexes = [r.get("processIndex") or 0 for r in results]
    return 200, {
        "status": status,
        "grade": status,
        "allProcessesExecutedInCorrectOrder": indexes == sorted(indexes),
        "allProcessesPassedFirstRun": bool(results) and all(r.get("nonPassedCount", 0) == 0 for r in results),
        "allProcessesPassedAnyRun": bool(results)
        and all(r.get("totalCount", 0) > r.get("nonPassedCount", 0) for r in results),
        "allProcessesPassedLastRun": status == "Passed",
        "noRepairs": all(r.get("repairCount", 0) == 0 for r in results),
        "results": results,
    }


def _get_unit_phases(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    return 200, [{"UnitPhaseId": i, "Code": c, "Name": n, "Description": d} for i, c, n, d in PHASES]


# -- assembly --------------------------------------------------------------------------------------


def _parent_and_child(sim: Server, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], Result | None]:
    """The parent and child units an assembly call names, and the 404 answer if one is missing."""
    ps, pp = params["parentSerialNumber"], params["parentPartNumber"]
    cs, cp = params["childSerialNumber"], params["childPartNumber"]
    parent, child = _unit(sim, ps, pp), _unit(sim, cs, cp)
    if not isinstance(parent, dict):
        return {}, {}, _missing(ps, pp)
    if not isinstance(child, dict):
        return {}, {}, _missing(cs, cp)
    return parent, child, None


def _internal_names(params: dict[str, Any]) -> dict[str, Any]:
    """The internal assembly operations' parameters under the public operations' names."""
    names = {"serialNumber": "parentSerialNumber", "partNumber": "parentPartNumber"}
    names |= {"ParentSerialNumber": "parentSerialNumber", "ParentPartNumber": "parentPartNumber"}
    return {names.get(k, k): v for k, v in params.items()}


def _add_child(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    return _attach(sim, params, check_phase=True)


def _add_child_internal(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """The internal add: as the public one, the child's phase checked unless ``checkPhase`` is false."""
    return _attach(sim, _internal_names(params), check_phase=params.get("checkPhase") is not False)


def _attach(sim: Server, params: dict[str, Any], *, check_phase: bool) -> Result:
    ps, cs, cp = params["parentSerialNumber"], params["childSerialNumber"], params["childPartNumber"]
    with sim.store.lock:
        parent, child, missing = _parent_and_child(sim, params)
        if missing is not None:
            return missing
        if child.get("parentSerialNumber"):
            return error(400, f"Unit {cs} already has a parent ({child['parentSerialNumber']}).")
        if check_phase and child.get("unitPhaseId") != FINALIZED:
            return error(400, f"Unit {cs} must be in phase Finalized to be added to an assembly.")
        ancestor: dict[str, Any] | str | None = parent
        while isinstance(ancestor, dict):
            if ancestor is child:
                return error(400, f"Adding {cs} to {ps} would create a loop of parent/child relations.")
            up = ancestor.get("parentSerialNumber")
            ancestor = _unit(sim, up, ancestor.get("parentPartNumber")) if up else None
        template = box_build(sim.store, params["checkPartNumber"], params["checkRevision"])
        if template is None:
            return error(400, f"Product {params['checkPartNumber']} revision {params['checkRevision']} does not exist.")
        child_rev = revision_id(sim.store, child["partNumber"], child.get("revision"))
        line = next((r for r in template if same(r["ProductRevisionId"], child_rev)), None)
        if line is None:
            return error(
                400,
                f"{cp} revision {child.get('revision')} is not in the box build of "
                f"{params['checkPartNumber']} revision {params['checkRevision']}.",
            )
        attached = [
            c
            for c in _children(sim, parent)
            if same(revision_id(sim.store, c["partNumber"], c.get("revision")), child_rev)
        ]
        if len(attached) >= line.get("Quantity", 1):
            return error(400, f"The box build allows {line.get('Quantity', 1)} of {cp}; all are attached.")
        child["parentSerialNumber"] = parent["serialNumber"]
        child["parentPartNumber"] = parent["partNumber"]
        _change(sim, child, parent=parent["serialNumber"])
        return 200, True


def _remove_child(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    ps, cs = params["parentSerialNumber"], params["childSerialNumber"]
    with sim.store.lock:
        parent, child, missing = _parent_and_child(sim, params)
        if missing is not None:
            return missing
        if not any(c is child for c in _children(sim, parent)):
            return error(400, f"Unit {cs} is not a child of {ps}.")
        _detach(sim, child)
        return 200, True


def _remove_child_internal(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    return _remove_child(sim, req, _internal_names(params))


def _detach(sim: Server, child: dict[str, Any]) -> None:
    child["parentSerialNumber"] = None
    child.pop("parentPartNumber", None)
    _change(sim, child, parent="")


@_on_unit
def _remove_all_children(sim: Server, parent: dict[str, Any], params: dict[str, Any]) -> Result:
    """Detach every direct child of the unit; answers how many were detached."""
    children = _children(sim, parent)
    for child in children:
        _detach(sim, child)
    return 200, len(children)


def _check_children_internal(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    return _check_children(sim, req, _internal_names(params))


def _check_children(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    ps, pp = params["parentSerialNumber"], params["parentPartNumber"]
    with sim.store.lock:
        parent = _unit(sim, ps, pp)
        if not isinstance(parent, dict):
            return _missing(ps, pp)
        template = box_build(sim.store, parent["partNumber"], parent.get("revision")) or []
        children = _children(sim, parent)
        missing, messages = [], []
        for line in template:
            owner = revision_by_id(sim.store, line["ProductRevisionId"])
            if owner is None:
                continue
            found = (owner[0]["partNumber"], owner[1]["revision"])
            ok = [
                c
                for c in children
                if same(c["partNumber"], found[0])
                and same(c.get("revision"), found[1])
                and c.get("unitPhaseId") == FINALIZED
            ]
            quantity = line.get("Quantity", 1)
            if len(ok) < quantity:
                missing.append(
                    {"partNumber": found[0], "revision": found[1], "quantity": quantity, "missing": quantity - len(ok)}
                )
        for c in children:
            if c.get("unitPhaseId") != FINALIZED:
                messages.append(f"Child unit {c['serialNumber']} is not finalized.")
        return 200, {
            "isValid": not missing and not messages,
            "missingChildren": missing,
            "children": [
                {"serialNumber": c["serialNumber"], "partNumber": c["partNumber"], "revision": c.get("revision")}
                for c in children
            ],
            "messages": messages,
        }


# -- serial numbers --------------------------------------------------------------------------------

TAKEN, RESERVED, FREE = "Taken", "Reserved", "Free"


def _sn_type(sim: Server, name: str) -> dict[str, Any] | None:
    return next((t for t in sim.store.collection(_SN_TYPES) if same(t["name"], name)), None)


def _type_or_404(sim: Server, name: str) -> dict[str, Any] | Result:
    found = _sn_type(sim, name)
    return found if found is not None else error(404, f"Serial number type {name} was not found.")


def _sn(t: dict[str, Any], n: int) -> str:
    return f"{t['prefix']}{n:0{t['digits']}d}"


def _number(t: dict[str, Any], sn: str) -> int | None:
    """The number of serial number ``sn`` of type ``t``, None if ``sn`` is not in the type's format."""
    key, prefix = fold(sn), fold(t["prefix"])
    if not key.startswith(prefix):
        return None
    digits = key[len(prefix) :]
    return int(digits) if digits.isdigit() and len(digits) == t["digits"] else None


def _used(sim: Server, t: dict[str, Any]) -> dict[int, tuple[str, dict[str, Any]]]:
    """The type's numbers that are not free: number -> (Taken or Reserved, its record)."""
    used: dict[int, tuple[str, dict[str, Any]]] = {}
    for state, collection in ((RESERVED, _RESERVED), (TAKEN, _SERIALS)):
        for record in sim.store.collection(collection):
            n = _number(t, record["serialNumber"]) if same(record["serialNumberType"], t["name"]) else None
            if n is not None:
                used[n] = (state, record)
    return used


def _window(
    t: dict[str, Any], start: int, end: int, since: datetime | None = None, until: datetime | None = None
) -> list[tuple[int, int, dict[str, Any]]]:
    """The stored numbers from ``start`` to ``end`` as (first, last, range) pieces, of the ranges
    generated between ``since`` and ``until``."""
    pieces = []
    for r in sorted(t["ranges"], key=lambda r: r["first"]):
        made = parse_time(r["generated"])
        if made is not None and ((since and made < since) or (until and made > until)):
            continue
        lo, hi = max(start, r["first"]), min(end, r["last"])
        if lo <= hi:
            pieces.append((lo, hi, r))
    return pieces


def _addresses(t: dict[str, Any], first: str | None, last: str | None) -> Result:
    """The numbers of a start and end address (each optional: the type's whole span), or the 400 answer."""
    start = 0 if first is None else _number(t, first)
    end = 10 ** t["digits"] - 1 if last is None else _number(t, last)
    if start is None or end is None or start > end:
        return error(400, f"{first}..{last} is not a range of {t['name']} numbers.")
    return start, end


def _entries(sim: Server, t: dict[str, Any], pieces: list[tuple[int, int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each stored number of the pieces with its state (free, reserved or taken) and when it was made."""
    used = _used(sim, t)
    out = []
    for lo, hi, r in pieces:
        for n in range(lo, hi + 1):
            state, record = used.get(n, (FREE, {}))
            out.append(
                {
                    "serialNumberType": t["name"],
                    "serialNumber": _sn(t, n),
                    "state": state,
                    "generated": r["generated"],
                    "taken": record.get("taken"),
                    "reserved": record.get("reserved"),
                    "refSN": record.get("refSN"),
                    "refPN": record.get("refPN"),
                    "stationName": record.get("stationName"),
                }
            )
    return out


def _selection(
    sim: Server, params: dict[str, Any], since: str | None = None, until: str | None = None
) -> tuple[Any, Any]:
    """(type, pieces) a query names with its addresses and dates (the parameters named ``since`` and
    ``until``), or the error answer (its first item a status, not a type)."""
    t = _type_or_404(sim, params["serialNumberType"])
    if isinstance(t, tuple):
        return t
    span = _addresses(t, params.get("startAddress"), params.get("endAddress"))
    if isinstance(span[1], dict):
        return span
    dates = [params.get(key) if key else None for key in (since, until)]
    return t, _window(t, span[0], span[1], *dates)


def _listing(
    sim: Server, params: dict[str, Any], since: str | None = None, until: str | None = None
) -> tuple[Any, Any]:
    """:func:`_selection`, refused (400) when it holds more numbers than one answer lists."""
    found = _selection(sim, params, since, until)
    if isinstance(found[0], dict) and sum(hi - lo + 1 for lo, hi, _ in found[1]) > _RANGE_LIMIT:
        return error(400, f"At most {_RANGE_LIMIT} serial numbers at once; narrow the addresses or dates.")
    return found


def _get_sn_types(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    with sim.store.lock:
        return 200, [
            {
                "name": t["name"],
                "description": t.get("description"),
                "format": t["format"],
                "regEx": t.get("regEx"),
                "identifier": t.get("identifier", 0),
                "identifierName": _IDENTIFIERS[t.get("identifier", 0)],
            }
            for t in sim.store.collection(_SN_TYPES)
        ]


_IDENTIFIERS = ["SerialNumber", "MacAddress", "Imei"]


def _take_serials(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    name, quantity = params["serialNumberType"], params["quantity"]
    fmt = str(params.get("format") or "CSV").upper()
    if quantity < 1:
        return error(400, "quantity must be at least 1.")
    if fmt not in ("CSV", "XML"):
        return error(400, f"format must be XML or CSV, not {fmt}.")
    with sim.store.lock:  # one allocation at a time: a number is handed out once only
        t = _type_or_404(sim, name)
        if isinstance(t, tuple):
            return t
        used = _used(sim, t)
        numbers: list[int] = []
        for r in sorted(t["ranges"], key=lambda r: r["first"]):
            n = r["first"]
            while n <= r["last"] and len(numbers) < quantity:
                if n not in used:
                    numbers.append(n)
                n += 1
        if not numbers:
            return error(400, f"Serial number type {name} has no free serial numbers.")
        taken = [_sn(t, n) for n in numbers]
        when = iso(now())
        sim.store.collection(_SERIALS).extend(
            {
                "serialNumberType": t["name"],
                "serialNumber": sn,
                "refSN": params.get("refSN"),
                "refPN": params.get("refPN"),
                "stationName": params.get("stationName"),
                "taken": when,
            }
            for sn in taken
        )
    if fmt == "XML":
        return 200, "<SerialNumbers>" + "".join(
            f"<SerialNumber>{sn}</SerialNumber>" for sn in taken
        ) + "</SerialNumbers>"
    return 200, "\n".join(taken) + "\n"


def _by_range(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    with sim.store.lock:
        found = _listing(sim, params)
        if not isinstance(found[0], dict):
            return found
        t, pieces = found
        used = _used(sim, t)
        out = []
        for lo, hi, _ in pieces:
            for n in range(lo, hi + 1):
                record = used.get(n, ("", None))[1]
                out.append(
                    copy.deepcopy(record)
                    if record
                    else {"serialNumberType": t["name"], "serialNumber": _sn(t, n), "taken": None}
                )
        return 200, out


def _find_serials(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """Every stored number in the range (generated between the dates, if given), with its state."""
    with sim.store.lock:
        found = _listing(sim, params, "startDate", "endDate")
        return (200, _entries(sim, *found)) if isinstance(found[0], dict) else found


def _count_serials(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """How many numbers the export with these addresses and dates would hold."""
    with sim.store.lock:
        found = _selection(sim, params, "fromDate", "toDate")
        if not isinstance(found[0], dict):
            return found
        return 200, sum(hi - lo + 1 for lo, hi, _ in found[1])


_CSV_HEADER = ("SerialNumber", "State", "Generated", "Taken", "RefSN", "RefPN", "StationName")


def _export_serials(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    fmt = params["format"].upper()
    if fmt not in ("CSV", "XML"):
        return error(400, f"format must be XML or CSV, not {params['format']}.")
    with sim.store.lock:
        found = _listing(sim, params, "startDate", "endDate")
        if not isinstance(found[0], dict):
            return found
        t, pieces = found
        entries = _entries(sim, t, pieces)
    keys = ("serialNumber", "state", "generated", "taken", "refSN", "refPN", "stationName")
    if fmt == "CSV":
        rows = [",".join(_CSV_HEADER)] + [",".join(str(e[k] or "") for k in keys) for e in entries]
        return 200, Raw("\n".join(rows).encode() + b"\n", "text/csv")
    items = "".join(
        f'<SerialNumber state="{e["state"]}">{xml_escape(e["serialNumber"])}</SerialNumber>' for e in entries
    )
    xml = f'<SerialNumbers type="{xml_escape(t["name"])}">{items}</SerialNumbers>'
    return 200, Raw(xml.encode(), "application/xml")


def _uploaded(content: bytes, fmt: str) -> list[str] | str:
    """The serial numbers of an uploaded CSV (first column, a header row allowed) or XML file, or what is wrong."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "The file is not UTF-8 text."
    if fmt == "XML":
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError as exc:
            return f"The file is not XML: {exc}."
        return [(e.text or "").strip() for e in root.iter() if e.tag == "SerialNumber"]
    cells = [line.split(",")[0].strip().strip('"') for line in text.splitlines() if line.strip()]
    return cells[1:] if cells and same(cells[0], "SerialNumber") else cells


def _upload_serials(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """Add the uploaded numbers to the type as free numbers (ones it holds already are skipped);
    all or nothing: one number off the type's format refuses the file. Answers how many were added."""
    fmt = params["format"].upper()
    if fmt not in ("CSV", "XML"):
        return error(400, f"format must be XML or CSV, not {params['format']}.")
    parts = multipart_files(req)
    if parts is None:
        return error(415, "The file must be sent as multipart/form-data.")
    if not parts:
        return error(400, "The request has no file part.")
    numbers = _uploaded(parts[0][2], fmt)
    if isinstance(numbers, str):
        return error(400, numbers)
    with sim.store.lock:
        t = _type_or_404(sim, params["serialNumberType"])
        if isinstance(t, tuple):
            return t
        wanted = []
        for sn in numbers:
            n = _number(t, sn)
            if n is None:
                return error(400, f"{sn!r} is not a {t['name']} serial number (format {t['format']}).")
            wanted.append(n)
        new = sorted({n for n in wanted if not _window(t, n, n)})
        when = iso(now())
        for n in new:
            last = t["ranges"][-1] if t["ranges"] else None
            if last is not None and last["last"] == n - 1 and last["generated"] == when:
                last["last"] = n
            else:
                t["ranges"].append({"first": n, "last": n, "generated": when})
        return 200, len(new)


def _field(item: dict[str, Any], name: str) -> Any:
    """A property of a request body item, its name matched without case (as the server binds it)."""
    return next((v for k, v in item.items() if same(k, name)), None)


def _free_serials(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """Free the reserved numbers in each range (taken ones stay taken); answers how many were freed."""
    body = req.json()
    if not isinstance(body, list):
        return error(400, "The request body must be a list of serial number ranges.")
    with sim.store.lock:
        spans = []
        for i, item in enumerate(body):  # all or nothing: check every range first
            if not isinstance(item, dict) or not isinstance(_field(item, "type"), str):
                return error(400, f"Range #{i}: type is required.")
            t = _type_or_404(sim, _field(item, "type"))
            if isinstance(t, tuple):
                return t
            span = _addresses(t, _field(item, "startAddress"), _field(item, "endAddress"))
            if isinstance(span[1], dict):
                return span
            spans.append((t, span))
        reserved = sim.store.collection(_RESERVED)
        before = len(reserved)
        for t, (lo, hi) in spans:
            reserved[:] = [
                r
                for r in reserved
                if not (same(r["serialNumberType"], t["name"]) and lo <= (_number(t, r["serialNumber"]) or -1) <= hi)
            ]
        return 200, before - len(reserved)


def _range_stats(sim: Server, t: dict[str, Any], first: int, last: int) -> dict[str, int]:
    states = [state for n, (state, _) in _used(sim, t).items() if first <= n <= last]
    total, taken, reserved = last - first + 1, states.count(TAKEN), states.count(RESERVED)
    return {"total": total, "free": total - taken - reserved, "taken": taken, "reserved": reserved}


def _types_named(sim: Server, name: str | None) -> list[dict[str, Any]] | Result:
    if name is None:
        return list(sim.store.collection(_SN_TYPES))
    t = _type_or_404(sim, name)
    return [t] if isinstance(t, dict) else t


def _get_ranges(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """The stored ranges of one type (or all), each with how many numbers are free, reserved and taken."""
    with sim.store.lock:
        types = _types_named(sim, params.get("serialNumberType"))
        if isinstance(types, tuple):
            return types
        out = []
        for t in types:
            identifier = t.get("identifier", 0)
            for r in sorted(t["ranges"], key=lambda r: r["first"]):
                out.append(
                    {"type": t["name"], "identifier": identifier, "identifierName": _IDENTIFIERS[identifier]}
                    | {"startAddress": _sn(t, r["first"]), "endAddress": _sn(t, r["last"])}
                    | _range_stats(sim, t, r["first"], r["last"])
                )
        return 200, out


def _get_stats(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """Totals of one type (or of all types): numbers stored, free, reserved and taken, and ranges."""
    with sim.store.lock:
        types = _types_named(sim, params.get("serialNumberType"))
        if isinstance(types, tuple):
            return types
        totals = {"total": 0, "free": 0, "taken": 0, "reserved": 0}
        ranges = 0
        for t in types:
            for r in t["ranges"]:
                ranges += 1
                for key, value in _range_stats(sim, t, r["first"], r["last"]).items():
                    totals[key] += value
        return 200, {"serialNumberType": params.get("serialNumberType"), "ranges": ranges} | totals


def _by_reference(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    ref_sn, ref_pn = params.get("refSN"), params.get("refPN")
    if ref_sn is None and ref_pn is None:
        return error(400, "Either refSN or refPN is required.")
    with sim.store.lock:
        t = _type_or_404(sim, params["serialNumberType"])
        if isinstance(t, tuple):
            return t
        return 200, [
            copy.deepcopy(r)
            for r in sim.store.collection(_SERIALS)
            if same(r["serialNumberType"], t["name"])
            and (ref_sn is None or same(r.get("refSN") or "", ref_sn))
            and (ref_pn is None or same(r.get("refPN") or "", ref_pn))
        ]


# -- unit changes ----------------------------------------------------------------------------------


def _get_changes(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    top = params["maxCount"]
    if top < 0:
        return error(400, "maxCount must not be negative.")
    with sim.store.lock:
        return 200, copy.deepcopy(sorted(sim.store.collection(_CHANGES), key=lambda c: c["id"])[:top])


def _delete_change(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    with sim.store.lock:
        changes = sim.store.collection(_CHANGES)
        found = next((c for c in changes if c["id"] == params["id"]), None)
        if found is None:
            return error(404, f"Unit change {params['id']} was not found.")
        changes.remove(found)
        return 200, True


ROUTES: dict[str, Handler] = {
    "GET /api/Production/Unit/{serialNumber}/{partNumber}": _get_unit,
    "GET /api/internal/Production/GetUnit": _get_unit_internal,
    "PUT /api/Production/Units": _put_units,
    "POST /api/App/SerialNumberHistory": _serial_number_history,
    "PUT /api/Production/Batches": _put_batches,
    "PUT /api/Production/SetUnitPhase": _set_phase,
    "PUT /api/Production/SetUnitProcess": _set_process,
    "GET /api/Production/UnitVerification": _get_verification,
    "GET /api/internal/Mes/GetUnitPhases": _get_unit_phases,
    "POST /api/Production/AddChildUnit": _add_child,
    "POST /api/Production/RemoveChildUnit": _remove_child,
    "GET /api/Production/CheckChildUnits": _check_children,
    "GET /api/Production/SerialNumbers/Types": _get_sn_types,
    "POST /api/Production/SerialNumbers/Take": _take_serials,
    "GET /api/Production/SerialNumbers/ByRange": _by_range,
    "GET /api/Production/SerialNumbers/ByReference": _by_reference,
    "GET /api/Production/Units/Changes": _get_changes,
    "DELETE /api/Production/Units/Changes/{id}": _delete_change,
    "POST /api/internal/Production/CreateUnit": _create_unit,
    "GET /api/internal/Production/GetUnitInfo": _get_unit_info,
    "GET /api/internal/Production/GetUnitHierarchy": _get_unit_hierarchy,
    "GET /api/internal/Production/GetUnitStateHistory": _get_unit_state_history,
    "GET /api/internal/Production/GetUnitContents": _get_unit_contents,
    "POST /api/internal/Production/AddChildUnit": _add_child_internal,
    "POST /api/internal/Production/RemoveChildUnit": _remove_child_internal,
    "POST /api/internal/Production/RemoveAllChildUnits": _remove_all_children,
    "GET /api/internal/Production/CheckChildUnits": _check_children_internal,
    "GET /api/internal/Production/GetSites": _get_sites,
    "GET /api/internal/Production/isConnected": _is_connected,
    "GET /api/Production/SerialNumbers": _export_serials,
    "PUT /api/Production/SerialNumbers": _upload_serials,
    "GET /api/internal/Production/SerialNumbers": _find_serials,
    "GET /api/internal/Production/SerialNumbers/Count": _count_serials,
    "PUT /api/internal/Production/SerialNumbers/Free": _free_serials,
    "GET /api/internal/Production/SerialNumbers/Ranges": _get_ranges,
    "GET /api/internal/Production/SerialNumbers/Statistics": _get_stats,
}


# -- seed ------------------------------------------------------------------------------------------

# serial, part, revision, phase, process code, results ((code, name, index, status, total, failed, repairs))
_UNITS: list[tuple[str, str, str, int, str | None, list[tuple[int, str, int, str, int, int, int]]]] = [
    (
        "WIDGET-12345",
        "WIDGET-001",
        "B",
        UNDER_PRODUCTION,
        "200",
        [(100, "ICT", 0, "Passed", 1, 0, 0), (200, "FCT", 2, "Passed", 2, 1, 1)],
    ),
    ("SN-001", "WIDGET-001", "A", UNDER_PRODUCTION, "100", [(100, "ICT", 0, "Passed", 1, 0, 0)]),
    ("SN-002", "WIDGET-001", "A", UNDER_PRODUCTION, "100", [(100, "ICT", 0, "Failed", 1, 1, 0)]),
    ("SN-003", "WIDGET-001", "A", UNDER_PRODUCTION, None, []),
    ("SN-12345", "WIDGET-001", "B", FINALIZED, None, [(100, "ICT", 0, "Passed", 1, 0, 0)]),
    ("PCBA-0001", "PCBA-001", "A", FINALIZED, None, [(100, "ICT", 0, "Passed", 1, 0, 0)]),
    ("PSU-0001", "PSU-MODULE", "B", FINALIZED, None, []),
    ("CABLE-0001", "CABLE-ASSY", "C", FINALIZED, None, []),
    ("CABLE-0002", "CABLE-ASSY", "C", FINALIZED, None, []),
    ("CABLE-0003", "CABLE-ASSY", "C", FINALIZED, None, []),
    ("MAIN-0001", "MAIN-ASSEMBLY", "A", UNDER_PRODUCTION, "610", []),
]


def load(data: dict[str, Any], store: Store) -> None:
    """``units``: the units to start with (replacing the seeded ones), each an object with
    ``serialNumber`` and ``partNumber`` (the product and any ``revision`` as the Product module has them)."""
    units = data_list(data, UNITS)
    if units is None:
        return
    loaded = []
    for i, item in enumerate(units):
        data_item("unit", i, item, *_KEYS)
        loaded.append({k: None for k in _UNIT_FIELDS} | {"unitPhaseId": UNDER_PRODUCTION} | item)
    store.seed(UNITS, loaded)
    store.seed(_RESULTS, [])
    store.seed(_CHANGES, [])
    store.seed(_HISTORY, [_state_entry(u, str(u.get("serialDate") or "2025-01-06T08:00:00Z")) for u in loaded])


def seed() -> dict[str, list[dict[str, Any]]]:
    """Units of the Product module's catalogue, their test results and two serial number pools."""
    date = "2025-01-06T08:00:00Z"
    units = [
        {
            "serialNumber": sn,
            "partNumber": pn,
            "revision": rev,
            "parentSerialNumber": None,
            "batchNumber": "LOT-2025-W01",
            "serialDate": date,
            "currentLocation": "Line 1",
            "xmlData": None,
            "unitPhaseId": phase,
            "processCode": process,
        }
        for sn, pn, rev, phase, process, _ in _UNITS
    ]
    results = [
        {
            "serialNumber": sn,
            "partNumber": pn,
            "processCode": code,
            "processName": name,
            "processIndex": index,
            "status": status,
            "startUtc": date,
            "stationName": "Station-1",
            "totalCount": total,
            "nonPassedCount": failed,
            "repairCount": repairs,
        }
        for sn, pn, _, _, _, rows in _UNITS
        for code, name, index, status, total, failed, repairs in rows
    ]
    types = [
        {
            "name": "Production_SN",
            "description": "Unit serial numbers",
            "format": "PSN-{0:000000}",
            "regEx": r"^PSN-\d{6}$",
            "identifier": 0,
            "prefix": "PSN-",
            "digits": 6,
            "ranges": [{"first": 1, "last": 999_999, "generated": date}],
        },
        {
            "name": "MAC",
            "description": "Ethernet MAC addresses",
            "format": "0050C2{0:000000}",
            "regEx": r"^0050C2\d{6}$",
            "identifier": 1,
            "prefix": "0050C2",
            "digits": 6,
            "ranges": [{"first": 0, "last": 4095, "generated": date}],
        },
    ]
    # CABLE-0003 is already in MAIN-0001 (its box build takes three cables).
    cable = next(u for u in units if u["serialNumber"] == "CABLE-0003")
    cable["parentSerialNumber"], cable["parentPartNumber"] = "MAIN-0001", "MAIN-ASSEMBLY"
    changes = [
        {
            "id": 1,
            "unitSerialNumber": "WIDGET-12345",
            "newParentSerialNumber": None,
            "newPartNumber": "WIDGET-001",
            "newRevision": "B",
            "newUnitPhaseId": UNDER_PRODUCTION,
            "oldUnitPhaseId": 1,
            "changed": date,
        }
    ]
    # A station reserved ten MAC addresses (0050C2000100-0050C2000109) it has not used yet.
    reserved = [
        {
            "serialNumberType": "MAC",
            "serialNumber": f"0050C2{n:06d}",
            "stationName": "Station-1",
            "reserved": "2025-01-06T09:00:00Z",
        }
        for n in range(100, 110)
    ]
    sites = [
        {"siteId": 1, "code": "OSL", "name": "Oslo factory", "description": "Main production site"},
        {"siteId": 2, "code": "RMA", "name": "Service centre", "description": "Returns and service repair"},
    ]
    return {
        UNITS: units,
        _RESULTS: results,
        _CHANGES: changes,
        _COUNTERS: [{"name": "unitChange", "next": 2}],
        _HISTORY: [_state_entry(u, date) for u in units],
        _SN_TYPES: types,
        _SERIALS: [],
        _RESERVED: reserved,
        _SITES: sites,
        _BATCHES: [],
    }
