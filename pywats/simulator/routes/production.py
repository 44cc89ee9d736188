"""Simulated Production endpoints: units, phases, processes, verification, assemblies, serial numbers.

State, in wire format: ``units`` (keyed by serial and part number; each unit's product and
revision must exist in the Product module's ``products``), ``unit_results`` (per-process test
results the verification grades), ``unit_changes`` (waiting to be acknowledged),
``serial_number_types`` (pools with a prefix and a number range), ``serial_numbers`` (the
numbers taken so far, never handed out twice) and ``production_batches``. Assemblies are checked
against the Product module's box build (``product_relations``). Never imports the facade.
"""

from __future__ import annotations

import copy
from typing import Any

from ..common import data_list, iso, now, same
from ..store import Store
from ..wire import DataError, Handler, Server, SimRequest, error
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


def _missing(serial: str, part: str | None) -> Result:
    return error(404, f"Unit {serial}{'/' + part if part else ''} was not found.")


# -- units -----------------------------------------------------------------------------------------


def _get_unit(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    serial, part = params["serialNumber"], params["partNumber"]
    with sim.store.lock:
        unit = _unit(sim, serial, part)
        if not isinstance(unit, dict):
            return _missing(serial, part)
        return 200, _unit_out(sim, unit)


def _get_unit_internal(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    """The internal lookup: the part number is optional, as long as the serial number is unambiguous."""
    serial, part = params["serialNumber"], (params.get("partNumber") or "").strip() or None
    if not serial.strip():
        return error(400, "serialNumber is required.")
    with sim.store.lock:
        unit = _unit(sim, serial, part)
        if isinstance(unit, str):
            return error(400, unit)
        if unit is None:
            return _missing(serial, part)
        return 200, _unit_out(sim, unit)


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
        units = sim.store.collection(UNITS)
        for item in body:
            unit = _unit(sim, item["serialNumber"], item["partNumber"])
            known = {k: v for k, v in item.items() if k in _UNIT_FIELDS and k != "parentSerialNumber"}
            if isinstance(unit, dict):
                old_phase, old_rev = unit.get("unitPhaseId"), unit.get("revision")
                unit.update({k: v for k, v in known.items() if v is not None})
                if unit.get("unitPhaseId") != old_phase or not same(unit.get("revision"), old_rev):
                    _change(sim, unit, old_phase, phase=unit.get("unitPhaseId"), revision=unit.get("revision"))
            else:
                unit = {k: None for k in _UNIT_FIELDS} | known
                unit["serialDate"] = unit.get("serialDate") or iso(now())
                unit["unitPhaseId"] = unit.get("unitPhaseId") or UNDER_PRODUCTION
                units.append(unit)
            stored.append(_unit_out(sim, unit))
        return 200, stored


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
        unit["processCode"] = str(process["code"])
        return 200, True


def _get_verification(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    serial, part = params["serialNumber"], params.get("partNumber")
    with sim.store.lock:
        unit = _unit(sim, serial, part)
        if isinstance(unit, str):
            return error(400, unit)
        if unit is None:
            return _missing(serial, part)
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


def _add_child(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    ps, cs, cp = params["parentSerialNumber"], params["childSerialNumber"], params["childPartNumber"]
    with sim.store.lock:
        parent, child, missing = _parent_and_child(sim, params)
        if missing is not None:
            return missing
        if child.get("parentSerialNumber"):
            return error(400, f"Unit {cs} already has a parent ({child['parentSerialNumber']}).")
        if child.get("unitPhaseId") != FINALIZED:
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
        child["parentSerialNumber"] = None
        child.pop("parentPartNumber", None)
        _change(sim, child, parent="")
        return 200, True


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


def _sn_type(sim: Server, name: str) -> dict[str, Any] | None:
    return next((t for t in sim.store.collection(_SN_TYPES) if same(t["name"], name)), None)


def _sn(t: dict[str, Any], n: int) -> str:
    return f"{t['prefix']}{n:0{t['digits']}d}"


def _get_sn_types(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    with sim.store.lock:
        return 200, [
            {
                "name": t["name"],
                "description": t.get("description"),
                "format": t["format"],
                "regEx": t.get("regEx"),
                "identifier": t.get("identifier", 0),
                "identifierName": ["SerialNumber", "MacAddress", "Imei"][t.get("identifier", 0)],
            }
            for t in sim.store.collection(_SN_TYPES)
        ]


def _take_serials(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    name, quantity = params["serialNumberType"], params["quantity"]
    fmt = str(params.get("format") or "CSV").upper()
    if quantity < 1:
        return error(400, "quantity must be at least 1.")
    if fmt not in ("CSV", "XML"):
        return error(400, f"format must be XML or CSV, not {fmt}.")
    with sim.store.lock:  # one allocation at a time: a number is handed out once only
        t = _sn_type(sim, name)
        if t is None:
            return error(404, f"Serial number type {name} was not found.")
        first = t["next"]
        last = min(t["last"], first + quantity - 1)
        if first > t["last"]:
            return error(400, f"Serial number type {name} has no free serial numbers.")
        taken = [_sn(t, n) for n in range(first, last + 1)]
        t["next"] = last + 1
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


def _number(t: dict[str, Any], sn: str) -> int | None:
    if not sn.casefold().startswith(t["prefix"].casefold()):
        return None
    digits = sn[len(t["prefix"]) :]
    return int(digits) if digits.isdigit() else None


def _by_range(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    with sim.store.lock:
        t = _sn_type(sim, params["serialNumberType"])
        if t is None:
            return error(404, f"Serial number type {params['serialNumberType']} was not found.")
        start, end = _number(t, params["startAddress"]), _number(t, params["endAddress"])
        if start is None or end is None or start > end:
            return error(
                400, f"{params['startAddress']}..{params['endAddress']} is not a range of {t['name']} numbers."
            )
        if end - start >= _RANGE_LIMIT:
            return error(400, f"A range holds at most {_RANGE_LIMIT} serial numbers.")
        taken = {r["serialNumber"]: r for r in sim.store.collection(_SERIALS) if same(r["serialNumberType"], t["name"])}
        out = []
        for n in range(max(start, t["first"]), min(end, t["last"]) + 1):
            sn = _sn(t, n)
            record = taken.get(sn)
            out.append(
                copy.deepcopy(record) if record else {"serialNumberType": t["name"], "serialNumber": sn, "taken": None}
            )
        return 200, out


def _by_reference(sim: Server, req: SimRequest, params: dict[str, Any]) -> Result:
    ref_sn, ref_pn = params.get("refSN"), params.get("refPN")
    if ref_sn is None and ref_pn is None:
        return error(400, "Either refSN or refPN is required.")
    with sim.store.lock:
        t = _sn_type(sim, params["serialNumberType"])
        if t is None:
            return error(404, f"Serial number type {params['serialNumberType']} was not found.")
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
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item[k] for k in _KEYS):
            raise DataError(f"unit #{i} in the simulator data must be an object with 'serialNumber' and 'partNumber'")
        loaded.append({k: None for k in _UNIT_FIELDS} | {"unitPhaseId": UNDER_PRODUCTION} | item)
    store.seed(UNITS, loaded)
    store.seed(_RESULTS, [])
    store.seed(_CHANGES, [])


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
            "first": 1,
            "last": 999_999,
            "next": 1,
        },
        {
            "name": "MAC",
            "description": "Ethernet MAC addresses",
            "format": "0050C2{0:000000}",
            "regEx": r"^0050C2\d{6}$",
            "identifier": 1,
            "prefix": "0050C2",
            "digits": 6,
            "first": 0,
            "last": 4095,
            "next": 0,
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
    return {
        UNITS: units,
        _RESULTS: results,
        _CHANGES: changes,
        _COUNTERS: [{"name": "unitChange", "next": 2}],
        _SN_TYPES: types,
        _SERIALS: [],
        _BATCHES: [],
    }
