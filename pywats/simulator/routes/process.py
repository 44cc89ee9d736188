"""The Process domain: the process list, public (``/api/App/Processes``) and internal.

Processes are stored in the public API's wire format (camelCase) plus ``processId`` and
``properties``, which only the internal API shows.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..common import data_item, data_list, same
from ..store import Store
from ..wire import DataError, Handler, Server, SimRequest, error

__all__ = [
    "ACTIVE", "INACTIVE", "PROCESSES", "REPAIR_TYPES", "ROUTES", "default_processes", "default_repair_type",
    "find_process", "load", "process_names", "seed",
]  # fmt: skip

ACTIVE = 1
INACTIVE = 0
PROCESSES = "processes"
# Each repair operation's set-up (the internal ``RepairType``: its fail-code tree), by process code.
REPAIR_TYPES = "repair_types"
# A --data file that is a bare list is a saved GET /api/App/Processes answer.
DATA_LIST_KEY = PROCESSES
VIEWS = {PROCESSES: lambda store: store.collection(PROCESSES)}
_NS = uuid.UUID("6f1c1f3e-8d1c-4c53-9a51-0b5e3b1f7a10")
_FLAGS = ("isTestOperation", "isRepairOperation", "isWipOperation")
_FIELDS = {"code", "name", "description", *_FLAGS, "processIndex", "state", "processId", "properties"}

# code, name, description, test, repair, wip, state
_SEED = [
    (100, "ICT", "In-Circuit Test", True, False, False, ACTIVE),
    (110, "AOI", "Automated Optical Inspection", True, False, False, ACTIVE),
    (200, "FCT", "Functional Test", True, False, False, ACTIVE),
    (250, "Burn-in", "Burn-in stress test", True, False, False, ACTIVE),
    (300, "FVT", "Final Verification Test", True, False, False, ACTIVE),
    (500, "Repair", "Repair", False, True, False, ACTIVE),
    (510, "Rework", "Rework after a failed test", False, True, False, ACTIVE),
    (520, "Debug", "Debug and fault finding", False, True, False, ACTIVE),
    (600, "Assembly", "PCBA assembly", False, False, True, ACTIVE),
    (610, "Box Build", "Final box build", False, False, True, ACTIVE),
    (700, "Packaging", "Packing and labelling", False, False, True, ACTIVE),
    (900, "Legacy ICT", "Retired in-circuit test program", True, False, False, INACTIVE),
]


def default_processes() -> list[dict[str, Any]]:
    """The seeded processes, in the public API's wire format plus ``processId``."""
    return [
        {
            "code": code,
            "name": name,
            "description": description,
            "isTestOperation": test,
            "isRepairOperation": repair,
            "isWipOperation": wip,
            "processIndex": index,
            "state": state,
            "processId": str(uuid.uuid5(_NS, str(code))),
            "properties": None,
        }
        for index, (code, name, description, test, repair, wip, state) in enumerate(_SEED)
    ]


# The fail-code tree every seeded repair operation starts with: category, then its fail codes.
# Repair reports name a failure by these descriptions (``"Component"``, ``"CAP_FAIL"``).
_FAIL_CODES = [
    ("Component", ["CAP_FAIL", "RES_FAIL", "IC_FAIL", "Cracked", "Missing", "Wrong part"]),
    ("Assembly", ["SOLDER_DEFECT", "Cold solder joint", "Solder bridge", "Misaligned"]),
    ("Process", ["Programming error", "Calibration error"]),
    ("No fault found", ["NFF"]),
]


def _fail_code(code: int, path: str, description: str, order: int, selectable: bool) -> dict[str, Any]:
    return {
        "GUID": str(uuid.uuid5(_NS, f"{code}/{path}")),
        "Selectable": selectable,
        "Description": description,
        "SortOrder": order,
        "FailureType": 0,
        "Status": ACTIVE,
        "Failcodes": [],
    }


def default_repair_type(code: int, description: str | None) -> dict[str, Any]:
    """The ``RepairType`` of a seeded repair operation: the usual categories and fail codes."""
    categories = []
    for i, (category, codes) in enumerate(_FAIL_CODES):
        node = _fail_code(code, category, category, i, False)
        node["Failcodes"] = [_fail_code(code, f"{category}/{c}", c, j, True) for j, c in enumerate(codes)]
        categories.append(node)
    return {
        "Description": description or "",
        "UUTRequired": 1,
        "CompRefMask": None,
        "CompRefMaskDescription": None,
        "BomConstraint": None,
        "BOMRequired": 0,
        "VendorRequired": 0,
        "Categories": categories,
        "MiscInfos": [],
    }


def seed() -> dict[str, list[dict[str, Any]]]:
    """The realistic default set: tests, repairs, WIP operations and one inactive test; each
    repair operation with a fail-code tree."""
    processes = default_processes()
    repair_types = [
        {"code": p["code"], "repairType": default_repair_type(p["code"], p["description"])}
        for p in processes
        if p["isRepairOperation"]
    ]
    return {PROCESSES: processes, REPAIR_TYPES: repair_types}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def normalise_process(i: int, p: Any) -> dict[str, Any]:
    """Process #``i`` of user data checked and completed with the server's defaults."""
    where = f"process #{i} in the simulator data"
    data_item("process", i, p)
    missing = {"code", "name"} - p.keys()
    if missing:
        raise DataError(f"{where} lacks {sorted(missing)}")
    unknown = sorted(p.keys() - _FIELDS)
    if unknown:
        raise DataError(f"{where} has unknown field(s) {unknown}; known: {sorted(_FIELDS)}")
    if not _is_int(p["code"]):
        raise DataError(f"{where}: 'code' must be an integer, not {p['code']!r}")
    if not isinstance(p["name"], str) or not p["name"]:
        raise DataError(f"{where}: 'name' must be a non-empty string, not {p['name']!r}")
    if p.get("description") is not None and not isinstance(p["description"], str):
        raise DataError(f"{where}: 'description' must be a string or null, not {p['description']!r}")
    for flag in _FLAGS:
        if flag in p and not isinstance(p[flag], bool):
            raise DataError(f"{where}: '{flag}' must be true or false, not {p[flag]!r}")
    for number in ("processIndex", "state"):
        if number in p and not _is_int(p[number]):
            raise DataError(f"{where}: '{number}' must be an integer, not {p[number]!r}")
    if "processId" in p:
        try:
            uuid.UUID(str(p["processId"]))
        except ValueError:
            raise DataError(f"{where}: 'processId' must be a GUID, not {p['processId']!r}") from None
    result = dict(p)
    result.setdefault("processId", str(uuid.uuid5(_NS, str(p["code"]))))
    result.setdefault("state", ACTIVE)
    result.setdefault("processIndex", i)
    for flag in _FLAGS:
        result.setdefault(flag, False)
    result.setdefault("description", None)
    result.setdefault("properties", None)
    return result


def normalise_processes(processes: list[Any]) -> list[dict[str, Any]]:
    """A user's process list checked and completed (codes must be unique, as on the server)."""
    result = [normalise_process(i, p) for i, p in enumerate(processes)]
    seen: dict[int, int] = {}
    for i, p in enumerate(result):
        if p["code"] in seen:
            raise DataError(
                f"process #{i} in the simulator data repeats code {p['code']} of process #{seen[p['code']]}"
            )
        seen[p["code"]] = i
    return result


def load(data: dict[str, Any], store: Store) -> None:
    """``processes``: a list of processes as ``GET /api/App/Processes`` gives them."""
    items = data_list(data, "processes")
    if items is not None:
        processes = normalise_processes(items)
        store.seed(PROCESSES, processes)
        store.seed(
            REPAIR_TYPES,
            [
                {"code": p["code"], "repairType": default_repair_type(p["code"], p["description"])}
                for p in processes
                if p["isRepairOperation"]
            ],
        )


def find_process(store: Store, name: str) -> dict[str, Any] | None:
    """The process called ``name`` (compared as the server does), or None."""
    return next((p for p in store.collection(PROCESSES) if same(p["name"], name)), None)


def process_names(store: Store) -> dict[Any, Any]:
    """Each process's name by its code."""
    return {p.get("code"): p.get("name") for p in store.collection(PROCESSES) if isinstance(p, dict)}


def internal_process(p: dict[str, Any]) -> dict[str, Any]:
    """A process as the internal API's ``Process`` model (PascalCase)."""
    return {
        "Code": p["code"],
        "ProcessID": p["processId"],
        "Name": p["name"],
        "Description": p["description"],
        "ProcessIndex": p["processIndex"],
        "State": p["state"],
        "Properties": p["properties"],
        "IsTestOperation": p["isTestOperation"],
        "IsWIPOperation": p["isWipOperation"],
        "IsRepairOperation": p["isRepairOperation"],
    }


def public_process(p: dict[str, Any]) -> dict[str, Any]:
    """A process as the public API's ``Process`` model (camelCase, no id or properties)."""
    return {k: v for k, v in p.items() if k not in ("processId", "properties")}


def _truthy(params: dict[str, Any], name: str) -> bool | None:
    value = params.get(name)
    return None if value is None else bool(value)


def _app_processes(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    flags = {
        "isTestOperation": _truthy(params, "includeTestOperations"),
        "isRepairOperation": _truthy(params, "includeRepairOperations"),
        "isWipOperation": _truthy(params, "includeWipOperations"),
    }
    # Unfiltered, the server lists the active processes marked as test, repair or WIP operations.
    wanted = {k for k, v in flags.items() if v} if any(v is not None for v in flags.values()) else set(flags)
    inactive = bool(params.get("includeInactiveProcesses"))
    with sim.store.lock:
        return 200, [
            public_process(p)
            for p in sim.store.collection(PROCESSES)
            if any(p[k] for k in wanted) and (inactive or p["state"] == ACTIVE)
        ]


def _internal_processes(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return 200, [internal_process(p) for p in sim.store.collection(PROCESSES)]


def _internal_process(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    wanted = str(params["id"])
    with sim.store.lock:
        for p in sim.store.collection(PROCESSES):
            if same(p["processId"], wanted):
                return 200, internal_process(p)
    return error(404, f"Process '{wanted}' was not found.")


def _repair_type(sim: Server, p: dict[str, Any]) -> dict[str, Any]:
    """A repair process's ``RepairType``; one never set up has no fail codes yet."""
    stored = next((r for r in sim.store.collection(REPAIR_TYPES) if r.get("code") == p["code"]), None)
    if stored is not None:
        return dict(stored["repairType"])
    return {"Description": p["description"] or "", "UUTRequired": 1, "Categories": [], "MiscInfos": []}


def _repair_operations(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return 200, {
            str(p["code"]): _repair_type(sim, p)
            for p in sim.store.collection(PROCESSES)
            if p["isRepairOperation"] and p["state"] == ACTIVE
        }


def _repair_operation(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    wanted, code = str(params["id"]), params.get("processCode")
    with sim.store.lock:
        for p in sim.store.collection(PROCESSES):
            if same(p["processId"], wanted) and p["isRepairOperation"] and code in (None, p["code"]):
                return 200, _repair_type(sim, p)
    if code is not None:
        return error(404, f"Repair operation {code} of process '{wanted}' was not found.")
    return error(404, f"Process '{wanted}' is not a repair operation.")


ROUTES: dict[str, Handler] = {
    "GET /api/internal/Process/GetRepairOperations": _repair_operations,
    "GET /api/internal/Process/GetRepairOperation/{id}": _repair_operation,
    "GET /api/App/Processes": _app_processes,
    "GET /api/internal/Process/GetProcesses": _internal_processes,
    "GET /api/internal/Process/GetProcess/{id}": _internal_process,
}
