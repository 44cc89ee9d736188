"""The Asset domain: assets, asset types, hierarchy, counts, calibration, maintenance, log, files.

Assets are stored in the public API's wire format (camelCase); the parent's serial number is
derived when an asset is served, so re-parenting stays consistent. Every change that the server
logs (create, state, counts, calibration, maintenance, messages) adds an asset log record.
Files (``/api/internal/Blob/Asset``) are kept per asset; a download answers the file as ASP.NET
serialises a ``byte[]`` (a base64 JSON string), since the simulator core answers JSON only.
"""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timedelta
from typing import Any

from ..common import data_item, data_list, fold, found, iso, now, parse_time, same
from ..store import Store
from ..wire import DataError, Handler, Server, SimRequest, error
from ._odata import Entity, ODataError, apply_query

TYPES = "asset_types"
ASSETS = "assets"
LOG = "asset_log"
BLOBS = "asset_blobs"
_NS = uuid.UUID("0c6b1d52-7f3e-4d8e-9a0e-3f1f4b8c2d11")

# state: 0 Unknown, 1 In Operation, 2 In Transit, 3 In Maintenance, 4 In Calibration, 5 In Storage, 6 Scrapped
STATES = range(7)
# log record types
LOG_MESSAGE, LOG_CREATED, LOG_UPDATED, LOG_STATE, LOG_COUNT, LOG_RESET, LOG_CALIBRATION, LOG_MAINTENANCE = range(8)

_ASSET = Entity("Asset", {
    "assetId": "string", "parentAssetId": "string", "assetName": "string", "serialNumber": "string",
    "parentSerialNumber": "string", "partNumber": "string", "revision": "string", "typeId": "guid",
    "state": "int", "description": "string", "location": "string", "firstSeenDate": "datetime",
    "lastSeenDate": "datetime", "lastMaintenanceDate": "datetime", "nextMaintenanceDate": "datetime",
    "lastCalibrationDate": "datetime", "nextCalibrationDate": "datetime", "totalCount": "int",
    "runningCount": "int",
}, default_orderby="assetId", default_top=1000)  # fmt: skip
_TYPE = Entity("AssetType", {
    "typeId": "guid", "typeName": "string", "runningCountLimit": "int", "totalCountLimit": "int",
    "maintenanceInterval": "double", "calibrationInterval": "double", "warningThreshold": "double",
    "alarmThreshold": "double", "isReadonly": "bool", "icon": "string",
}, default_orderby="typeName", default_top=1000)  # fmt: skip
_LOG = Entity("AssetLog", {
    "logId": "int", "assetId": "string", "serialNumber": "string", "date": "datetime", "user": "string",
    "type": "int", "property": "string", "value": "string", "comment": "string",
}, default_top=1000)  # fmt: skip
_ASSET_FIELDS = set(_ASSET.fields) | {"tags"}
_TYPE_FIELDS = set(_TYPE.fields)


def _type_id(name: str) -> str:
    return str(uuid.uuid5(_NS, f"type:{name}"))


def _asset_id(serial: str) -> str:
    return str(uuid.uuid5(_NS, f"asset:{serial}"))


# name, calibration days, maintenance days, running limit, total limit
_SEED_TYPES = [
    ("Station", None, 90.0, 10000, 500000),
    ("Instrument", 365.0, 180.0, None, None),
    ("Multimeter (DMM)", 365.0, None, None, None),
    ("Fixture", None, 30.0, 5000, 100000),
    ("Software", None, None, None, None),
    ("Tool", 180.0, None, 2000, 20000),
]
# serial, name, type, parent serial, location, state, running, total, calibrated days ago, maintained days ago
_SEED_ASSETS: list[tuple[str, str, str, str | None, str, int, int, int, int | None, int | None]] = [
    ("ICT-STATION-01", "ICT Station 1", "Station", None, "Production Floor", 1, 2400, 120000, None, 20),
    ("DMM-001", "Keithley 2000 Multimeter", "Multimeter (DMM)", "ICT-STATION-01", "Lab A", 1, 0, 5300, 340, None),
    ("PSU-001", "Agilent E3631A Power Supply", "Instrument", "ICT-STATION-01", "Lab A", 1, 0, 800, 100, 30),
    (
        "FVT-STATION-05",
        "Final Verification Test Station 5",
        "Station",
        None,
        "Production Floor - Zone A",
        1,
        9600,
        410000,
        None,
        85,
    ),
    (
        "SCOPE-FVT05-01",
        "Rigol DS1054Z Oscilloscope",
        "Instrument",
        "FVT-STATION-05",
        "Production Floor - Zone A",
        1,
        0,
        900,
        380,
        None,
    ),
    (
        "FIX-FVT05-WIDGET",
        "Widget Test Fixture",
        "Fixture",
        "FVT-STATION-05",
        "Production Floor - Zone A",
        1,
        1200,
        30000,
        None,
        10,
    ),
    ("THERMAL-CHAMBER-01", "Thermal Chamber", "Tool", None, "Lab B", 3, 150, 4000, 150, 200),
    ("SCOPE-001", "Rigol DS1054Z", "Instrument", None, "Lab B", 1, 0, 150, 200, None),
    ("OLD-DMM-001", "Fluke 87 (retired)", "Multimeter (DMM)", None, "Storage", 5, 0, 42000, 900, None),
]
_FIXED_ID = {"DMM-002": "550e8400-e29b-41d4-a716-446655440000"}


def _seed_types() -> list[dict[str, Any]]:
    return [
        {
            "typeId": _type_id(name),
            "typeName": name,
            "calibrationInterval": cal,
            "maintenanceInterval": maint,
            "runningCountLimit": running,
            "totalCountLimit": total,
            "warningThreshold": 80.0,
            "alarmThreshold": 100.0,
            "isReadonly": False,
            "icon": None,
        }
        for name, cal, maint, running, total in _SEED_TYPES
    ]


def _seed_assets() -> list[dict[str, Any]]:
    moment = now()
    types = {t["typeName"]: t for t in _seed_types()}
    rows = [*_SEED_ASSETS, ("DMM-002", "HP 34401A Multimeter", "Multimeter (DMM)", None, "Lab B", 1, 0, 700, 30, None)]
    result = []
    for serial, name, type_name, parent, location, state, running, total, cal_ago, maint_ago in rows:
        kind = types[type_name]
        asset: dict[str, Any] = {
            "assetId": _FIXED_ID.get(serial, _asset_id(serial)),
            "parentAssetId": _FIXED_ID.get(parent, _asset_id(parent)) if parent else None,
            "assetName": name,
            "serialNumber": serial,
            "partNumber": None,
            "revision": None,
            "typeId": kind["typeId"],
            "state": state,
            "description": None,
            "location": location,
            "firstSeenDate": iso(moment - timedelta(days=1000)),
            "lastSeenDate": iso(moment - timedelta(days=1)),
            "lastMaintenanceDate": None,
            "nextMaintenanceDate": None,
            "lastCalibrationDate": None,
            "nextCalibrationDate": None,
            "totalCount": total,
            "runningCount": running,
            "tags": [],
        }
        if cal_ago is not None:
            _calibrated(asset, kind, moment - timedelta(days=cal_ago))
        if maint_ago is not None:
            _maintained(asset, kind, moment - timedelta(days=maint_ago))
        result.append(asset)
    return result


def seed() -> dict[str, list[dict[str, Any]]]:
    """Types (station, instrument, DMM, fixture, software, tool) and two stations with instruments."""
    manual = b'{"model": "34401A", "manual": "https://example.invalid/34401A.pdf"}'
    blob = {
        "assetId": _FIXED_ID["DMM-002"],
        "filename": "manual.json",
        "content": base64.b64encode(manual).decode(),
        "size": len(manual),
        "uploaded": iso(now() - timedelta(days=30)),
    }
    return {TYPES: _seed_types(), ASSETS: _seed_assets(), LOG: [], BLOBS: [blob]}


def load(data: dict[str, Any], store: Store) -> None:
    """``assetTypes`` and ``assets``: lists as ``GET /api/Asset/Types`` and ``GET /api/Asset`` give them."""
    types = data_list(data, "assetTypes")
    if types is not None:
        checked = []
        for i, t in enumerate(types):
            data_item("asset type", i, t, "typeName")
            checked.append({**{k: None for k in _TYPE_FIELDS}, "typeId": _type_id(t["typeName"]), **t})
        store.seed(TYPES, checked)
    assets = data_list(data, "assets")
    if assets is not None:
        known = {fold(t["typeId"]) for t in store.collection(TYPES)}
        checked = []
        for i, a in enumerate(assets):
            data_item("asset", i, a, "serialNumber")
            if fold(a.get("typeId", "")) not in known:
                raise DataError(f"asset #{i} in the simulator data has an unknown 'typeId' {a.get('typeId')!r}")
            base = {k: None for k in _ASSET_FIELDS} | {"assetId": _asset_id(a["serialNumber"]), "state": 1}
            checked.append(base | {"totalCount": 0, "runningCount": 0, "tags": []} | a)
        store.seed(ASSETS, checked)


# -- helpers ---------------------------------------------------------------------------------------


def _calibrated(asset: dict[str, Any], kind: dict[str, Any] | None, when: datetime) -> None:
    asset["lastCalibrationDate"] = iso(when)
    days = kind.get("calibrationInterval") if kind else None
    asset["nextCalibrationDate"] = iso(when + timedelta(days=days)) if days else None


def _maintained(asset: dict[str, Any], kind: dict[str, Any] | None, when: datetime) -> None:
    asset["lastMaintenanceDate"] = iso(when)
    days = kind.get("maintenanceInterval") if kind else None
    asset["nextMaintenanceDate"] = iso(when + timedelta(days=days)) if days else None


def _type_of(store: Store, asset: dict[str, Any]) -> dict[str, Any] | None:
    wanted = asset.get("typeId") or ""
    return next((t for t in store.collection(TYPES) if same(t["typeId"], wanted)), None)


def _find(store: Store, ident: str | None = None, serial: str | None = None) -> dict[str, Any] | None:
    for asset in store.collection(ASSETS):
        if ident is not None and same(asset["assetId"], ident):
            return asset
        if serial is not None and same(asset["serialNumber"], serial):
            return asset
    return None


def _target(sim: Server, params: dict[str, Any]) -> tuple[dict[str, Any] | None, tuple[int, Any] | None]:
    """The asset named by the ``id`` / ``serialNumber`` query parameters, or the server's error."""
    ident, serial = params.get("id"), params.get("serialNumber")
    if ident is None and serial is None:
        return None, error(400, "Specify the asset with either 'id' or 'serialNumber'.")
    asset = _find(sim.store, ident, serial)
    if asset is None:
        return None, error(404, f"Asset '{ident or serial}' was not found.")
    return asset, None


def _public(store: Store, asset: dict[str, Any]) -> dict[str, Any]:
    parent = _find(store, asset.get("parentAssetId")) if asset.get("parentAssetId") else None
    return {**asset, "parentSerialNumber": parent["serialNumber"] if parent else None}


def _log(store: Store, asset: dict[str, Any], kind: int, comment: str | None, prop: str | None = None,
         value: Any = None, user: str = "simulator") -> None:  # fmt: skip
    records = store.collection(LOG)
    records.append(
        {
            "logId": max((r["logId"] for r in records), default=0) + 1,
            "assetId": asset["assetId"],
            "serialNumber": asset["serialNumber"],
            "date": iso(now()),
            "user": user,
            "type": kind,
            "property": prop,
            "value": None if value is None else str(value),
            "comment": comment,
        }
    )


def _fraction(threshold: Any, default: float) -> float:
    if not isinstance(threshold, int | float):
        return default
    return threshold / 100.0 if threshold > 1.0 else float(threshold)


def status_of(store: Store, asset: dict[str, Any]) -> dict[str, Any]:
    """The asset's alarm status: 0 OK, 1 warning, 2 alarm, from its type's limits and due dates."""
    kind = _type_of(store, asset) or {}
    warn, alarm = _fraction(kind.get("warningThreshold"), 0.8), _fraction(kind.get("alarmThreshold"), 1.0)
    ratios = []
    for count, limit in (("runningCount", "runningCountLimit"), ("totalCount", "totalCountLimit")):
        if kind.get(limit):
            ratios.append((asset.get(count) or 0) / kind[limit])
    moment = now()
    level, reasons = 0, list[str]()
    percentage = round(max(ratios) * 100, 1) if ratios else None
    if ratios and max(ratios) >= alarm:
        level, reasons = 2, [*reasons, "count limit exceeded"]
    elif ratios and max(ratios) >= warn:
        level, reasons = max(level, 1), [*reasons, "count limit nearly reached"]
    due = {}
    for what, key, interval in (
        ("calibration", "nextCalibrationDate", "calibrationInterval"),
        ("maintenance", "nextMaintenanceDate", "maintenanceInterval"),
    ):
        when = parse_time(asset.get(key))
        days = kind.get(interval) or 0
        due[what] = False
        if when is None:
            continue
        if when <= moment:
            level, due[what] = 2, True
            reasons.append(f"{what} overdue")
        elif days and (when - moment) <= timedelta(days=days * (1 - warn)):
            level, due[what] = max(level, 1), True
            reasons.append(f"{what} due soon")
    return {
        "assetId": asset["assetId"],
        "serialNumber": asset["serialNumber"],
        "state": asset["state"],
        "alarmState": level,
        "message": "; ".join(reasons) or "OK",
        "runningCount": asset.get("runningCount"),
        "runningCountLimit": kind.get("runningCountLimit"),
        "totalCount": asset.get("totalCount"),
        "totalCountLimit": kind.get("totalCountLimit"),
        "countPercentage": percentage,
        "lastCalibrationDate": asset.get("lastCalibrationDate"),
        "nextCalibrationDate": asset.get("nextCalibrationDate"),
        "calibrationDue": due["calibration"],
        "lastMaintenanceDate": asset.get("lastMaintenanceDate"),
        "nextMaintenanceDate": asset.get("nextMaintenanceDate"),
        "maintenanceDue": due["maintenance"],
    }


def _query(req: SimRequest, items: list[dict[str, Any]], entity: Entity) -> tuple[int, Any]:
    try:
        return 200, apply_query(items, req.query, entity)
    except ODataError as exc:
        return error(400, str(exc))


# -- handlers --------------------------------------------------------------------------------------


def _get_assets(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        items = [_public(sim.store, a) for a in sim.store.collection(ASSETS)]
    return _query(req, items, _ASSET)


def _get_asset(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    # /api/Asset/{assetId} and /api/Asset/{serialNumber} share one URL: an id first, then a serial.
    key = params.get("assetId") or params.get("serialNumber")
    with sim.store.lock:
        asset = _find(sim.store, key) or _find(sim.store, serial=key)
        if asset is None:
            return error(404, f"Asset '{key}' was not found.")
        return 200, _public(sim.store, asset)


def _check_asset_body(sim: Server, body: Any) -> str | None:
    if not isinstance(body, dict):
        return "The asset must be a JSON object."
    serial = body.get("serialNumber")
    if not isinstance(serial, str) or not serial.strip():
        return "The SerialNumber field is required."
    try:
        type_id = str(uuid.UUID(str(body.get("typeId"))))
    except ValueError:
        return "The TypeId field is required and must be a GUID."
    if not any(same(t["typeId"], type_id) for t in sim.store.collection(TYPES)):
        return f"Asset type '{type_id}' does not exist."
    state = body.get("state")
    if state is not None and state not in STATES:
        return f"The value '{state}' is not valid for State."
    return None


def _put_asset(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    with sim.store.lock:
        problem = _check_asset_body(sim, body)
        if problem:
            return error(400, problem)
        existing = _find(sim.store, body.get("assetId")) if body.get("assetId") else None
        existing = existing or _find(sim.store, serial=body["serialNumber"])
        if body.get("assetId") and existing and not same(existing["assetId"], body["assetId"]):
            return error(409, f"An asset with serial number '{body['serialNumber']}' already exists.")
        parent = None
        if body.get("parentAssetId"):
            parent = _find(sim.store, body["parentAssetId"])
        elif body.get("parentSerialNumber"):
            parent = _find(sim.store, serial=body["parentSerialNumber"])
        if (body.get("parentAssetId") or body.get("parentSerialNumber")) and parent is None:
            wanted = body.get("parentAssetId") or body.get("parentSerialNumber")
            return error(400, f"Parent asset '{wanted}' was not found.")
        # counts and calibration/maintenance dates change only through their own operations
        protected = {"runningCount", "totalCount", "lastCalibrationDate", "nextCalibrationDate",
                     "lastMaintenanceDate", "nextMaintenanceDate", "firstSeenDate", "lastSeenDate", "assetId",
                     "parentSerialNumber", "parentAssetId", "assetChildren", "assetType", "assetLog"}  # fmt: skip
        changes = {k: v for k, v in body.items() if k not in protected}
        if existing is None:
            asset = {k: None for k in _ASSET_FIELDS} | {"tags": [], "state": 1}
            asset |= {"assetId": body.get("assetId") or str(uuid.uuid4()), "totalCount": 0, "runningCount": 0,
                      "firstSeenDate": iso(now())}  # fmt: skip
            asset |= changes
            if parent is not None and parent["assetId"] == asset["assetId"]:
                return error(400, "An asset cannot be its own parent.")
            asset["parentAssetId"] = parent["assetId"] if parent else None
            sim.store.collection(ASSETS).append(asset)
            _log(sim.store, asset, LOG_CREATED, "Asset created")
        else:
            asset = existing
            if parent is not None and parent["assetId"] == asset["assetId"]:
                return error(400, "An asset cannot be its own parent.")
            asset |= changes
            if "parentAssetId" in body or "parentSerialNumber" in body:
                asset["parentAssetId"] = parent["assetId"] if parent else None
            _log(sim.store, asset, LOG_UPDATED, "Asset updated")
        return 200, _public(sim.store, asset)


def _delete_asset(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        asset, problem = _target(sim, params)
        if asset is None:
            return problem  # type: ignore[return-value]
        assets = sim.store.collection(ASSETS)
        for child in assets:  # children move up to the deleted asset's parent, as the server does
            if child.get("parentAssetId") == asset["assetId"]:
                child["parentAssetId"] = asset.get("parentAssetId")
        assets.remove(asset)
        log = sim.store.collection(LOG)
        log[:] = [r for r in log if r["assetId"] != asset["assetId"]]
        blobs = sim.store.collection(BLOBS)
        blobs[:] = [b for b in blobs if b["assetId"] != asset["assetId"]]
        return 200, {}


def _get_types(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        items = [dict(t) for t in sim.store.collection(TYPES)]
    return _query(req, items, _TYPE)


def _put_type(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("typeName"), str) or not body["typeName"].strip():
        return error(400, "The TypeName field is required.")
    for key in ("runningCountLimit", "totalCountLimit"):
        if body.get(key) is not None and (not isinstance(body[key], int) or body[key] < 0):
            return error(400, f"The value '{body[key]}' is not valid for {key}.")
    for key in ("calibrationInterval", "maintenanceInterval", "warningThreshold", "alarmThreshold"):
        if body.get(key) is not None and (not isinstance(body[key], int | float) or body[key] < 0):
            return error(400, f"The value '{body[key]}' is not valid for {key}.")
    with sim.store.lock:
        types = sim.store.collection(TYPES)
        found = None
        if body.get("typeId"):
            found = next((t for t in types if same(t["typeId"], body["typeId"])), None)
        clash = next((t for t in types if same(t["typeName"], body["typeName"]) and t is not found), None)
        if clash is not None:
            return error(409, f"An asset type named '{body['typeName']}' already exists.")
        known = {k: v for k, v in body.items() if k in _TYPE_FIELDS}
        if found is None:
            found = {k: None for k in _TYPE_FIELDS} | {"isReadonly": False} | known
            found["typeId"] = str(body.get("typeId") or uuid.uuid4())
            types.append(found)
        else:
            found |= known
        return 200, dict(found)


def _subassets(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    level = params.get("level", 0)
    with sim.store.lock:
        asset, problem = _target(sim, params)
        if asset is None:
            return problem  # type: ignore[return-value]
        result: list[dict[str, Any]] = []
        frontier, depth = [asset["assetId"]], 0
        while frontier and (level <= 0 or depth < level):
            depth += 1
            children = [a for a in sim.store.collection(ASSETS) if a.get("parentAssetId") in frontier]
            result.extend(_public(sim.store, c) for c in children)
            frontier = [c["assetId"] for c in children]
        return 200, result


def _status(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        asset, problem = _target(sim, params)
        if asset is None:
            return problem  # type: ignore[return-value]
        return 200, status_of(sim.store, asset)


def _put_state(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    state = params["state"]
    if state not in STATES:
        return error(400, f"The value '{state}' is not valid for state (0-6).")
    with sim.store.lock:
        asset, problem = _target(sim, params)
        if asset is None:
            return problem  # type: ignore[return-value]
        asset["state"] = state
        _log(sim.store, asset, LOG_STATE, None, "State", state)
        return 200, {}


def _increment(store: Store, asset: dict[str, Any], by: int, children: bool) -> None:
    asset["runningCount"] = (asset.get("runningCount") or 0) + by
    asset["totalCount"] = (asset.get("totalCount") or 0) + by
    asset["lastSeenDate"] = iso(now())
    _log(store, asset, LOG_COUNT, None, "TotalCount", asset["totalCount"])
    if children:
        for child in [a for a in store.collection(ASSETS) if a.get("parentAssetId") == asset["assetId"]]:
            _increment(store, child, by, True)


def _put_count(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        asset, problem = _target(sim, params)
        if asset is None:
            return problem  # type: ignore[return-value]
        if "totalCount" in params:
            by = params["totalCount"] - (asset.get("totalCount") or 0)
            if by < 0:
                return error(400, "The new total count cannot be lower than the current total count.")
        else:
            by = params.get("incrementBy", 1)
            if by < 0:
                return error(400, "'incrementBy' cannot be negative.")
        _increment(sim.store, asset, by, bool(params.get("incrementChildren")))
        return 200, {}


def _reset_running(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        asset, problem = _target(sim, params)
        if asset is None:
            return problem  # type: ignore[return-value]
        asset["runningCount"] = 0
        _log(sim.store, asset, LOG_RESET, params.get("comment"), "RunningCount", 0)
        return 200, {}


def _dated(kind: str) -> Handler:
    def handler(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
        when = parse_time(params.get("dateTime")) or now()
        with sim.store.lock:
            asset, problem = _target(sim, params)
            if asset is None:
                return problem  # type: ignore[return-value]
            if kind == "calibration":
                _calibrated(asset, _type_of(sim.store, asset), when)
                _log(sim.store, asset, LOG_CALIBRATION, params.get("comment"), "LastCalibrationDate", iso(when))
            else:
                _maintained(asset, _type_of(sim.store, asset), when)
                _log(sim.store, asset, LOG_MAINTENANCE, params.get("comment"), "LastMaintenanceDate", iso(when))
            return 200, {}

    return handler


def _message(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("content"), str) or not body["content"].strip():
        return error(400, "The message content is required.")
    with sim.store.lock:
        asset, problem = _target(sim, params)
        if asset is None:
            return problem  # type: ignore[return-value]
        _log(sim.store, asset, LOG_MESSAGE, body["content"])
        return 200, {}


def _get_log(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        items = [dict(r) for r in sim.store.collection(LOG)]
    items.sort(key=lambda r: (r["date"], r["logId"]), reverse=True)
    return _query(req, items, _LOG)


# -- internal: the asset entity (counts and dates editable) and files ------------------------------

_ENTITY = {
    "id": "assetId", "parentId": "parentAssetId", "name": "assetName", "location": "location",
    "serialNumber": "serialNumber", "description": "description", "typeId": "typeId", "partNumber": "partNumber",
    "revision": "revision", "state": "state", "firstSeenDate": "firstSeenDate", "lastSeenDate": "lastSeenDate",
    "runningCount": "runningCount", "totalCount": "totalCount", "lastCalibrationDate": "lastCalibrationDate",
    "lastMaintenanceDate": "lastMaintenanceDate", "nextCalibrationDate": "nextCalibrationDate",
    "nextMaintenanceDate": "nextMaintenanceDate",
}  # fmt: skip


def _entity(asset: dict[str, Any]) -> dict[str, Any]:
    return {k: asset.get(v) for k, v in _ENTITY.items()} | {"entityType": "Asset", "status": 0}


def _get_entity(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return found(_find(sim.store, params["id"]), "Asset", params["id"], _entity)


def _put_entity(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict) or not body.get("id"):
        return error(400, "The asset entity needs its 'id'.")
    if params.get("isNew"):
        return error(501, "The WATS simulator creates assets through PUT /api/Asset only.")
    for key in ("runningCount", "totalCount"):
        if body.get(key) is not None and (not isinstance(body[key], int) or body[key] < 0):
            return error(400, f"The value '{body[key]}' is not valid for {key}.")
    dates = {}
    for key in ("lastCalibrationDate", "nextCalibrationDate", "lastMaintenanceDate", "nextMaintenanceDate"):
        if body.get(key) is not None:
            moment = parse_time(str(body[key]))
            if moment is None:
                return error(400, f"The value '{body[key]}' is not valid for {key}.")
            dates[key] = iso(moment)
    with sim.store.lock:
        asset = _find(sim.store, body["id"])
        if asset is None:
            return error(404, f"Asset '{body['id']}' was not found.")
        for key, field in _ENTITY.items():
            if key in body and key not in ("id", "parentId", "typeId") and key not in dates:
                if key in ("runningCount", "totalCount") and body[key] is None:
                    continue
                asset[field] = body[key]
        asset.update(dates)
        for key in ("runningCount", "totalCount", *dates):
            if key in body:
                _log(sim.store, asset, LOG_UPDATED, None, key[0].upper() + key[1:], asset[_ENTITY[key]])
        return 200, _entity(asset)


def _blob_asset(sim: Server, asset_id: str) -> dict[str, Any] | None:
    return _find(sim.store, asset_id)


def _post_blob(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    name = params["filename"].strip()
    if not name or "/" in name or "\\" in name:
        return error(400, f"'{params['filename']}' is not a valid file name.")
    with sim.store.lock:
        asset = _blob_asset(sim, params["assetId"])
        if asset is None:
            return error(404, f"Asset '{params['assetId']}' was not found.")
        blobs = sim.store.collection(BLOBS)
        blobs[:] = [b for b in blobs if not (b["assetId"] == asset["assetId"] and b["filename"] == name)]
        blobs.append(
            {
                "assetId": asset["assetId"],
                "filename": name,
                "content": base64.b64encode(req.body).decode(),
                "size": len(req.body),
                "uploaded": iso(now()),
            }
        )
        return 200, {}


def _list_blobs(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        asset = _blob_asset(sim, params["assetId"])
        if asset is None:
            return error(404, f"Asset '{params['assetId']}' was not found.")
        return 200, [b["filename"] for b in sim.store.collection(BLOBS) if b["assetId"] == asset["assetId"]]


def _get_blob(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        asset = _blob_asset(sim, params["assetId"])
        found = None
        if asset is not None:
            found = next(
                (b for b in sim.store.collection(BLOBS)
                 if b["assetId"] == asset["assetId"] and b["filename"] == params["filename"]),
                None,
            )  # fmt: skip
        if found is None:
            return error(404, f"File '{params['filename']}' was not found for asset '{params['assetId']}'.")
        return 200, found["content"]


def _delete_blobs(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    names = req.json()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return error(400, "The body must be an array of file names.")
    with sim.store.lock:
        asset = _blob_asset(sim, params["assetId"])
        if asset is None:
            return error(404, f"Asset '{params['assetId']}' was not found.")
        blobs = sim.store.collection(BLOBS)
        blobs[:] = [b for b in blobs if not (b["assetId"] == asset["assetId"] and b["filename"] in names)]
        return 200, {}


ROUTES: dict[str, Handler] = {
    "GET /api/Asset": _get_assets,
    "PUT /api/Asset": _put_asset,
    "DELETE /api/Asset": _delete_asset,
    "GET /api/Asset/{assetId}": _get_asset,
    "GET /api/Asset/{serialNumber}": _get_asset,
    "GET /api/Asset/Types": _get_types,
    "PUT /api/Asset/Types": _put_type,
    "GET /api/Asset/SubAssets": _subassets,
    "GET /api/Asset/Status": _status,
    "PUT /api/Asset/State": _put_state,
    "PUT /api/Asset/Count": _put_count,
    "POST /api/Asset/ResetRunningCount": _reset_running,
    "POST /api/Asset/Calibration": _dated("calibration"),
    "POST /api/Asset/Maintenance": _dated("maintenance"),
    "POST /api/Asset/Message": _message,
    "GET /api/Asset/Log": _get_log,
    "GET /api/internal/Asset/{id}": _get_entity,
    "PUT /api/internal/Asset": _put_entity,
    "POST /api/internal/Blob/Asset": _post_blob,
    "GET /api/internal/Blob/Asset": _get_blob,
    "GET /api/internal/Blob/Asset/List/{assetId}": _list_blobs,
    "DELETE /api/internal/Blob/Assets": _delete_blobs,
}
