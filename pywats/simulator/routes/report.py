"""The Report domain: submitted WSJF reports, served back by id, listed by the OData header query.

Reports are stored in ``store.collection("reports")`` in WSJF wire form, exactly as submitted
(plus ``startUTC``, which the server derives), in processing order; a report submitted again
with the same ``id`` replaces the stored one (the server's behaviour that makes resubmitting safe).
Other domains (analytics) read this collection.

WSXF (XML) is accepted by ``POST /api/Report/WSXF`` and stored as the WSJF it describes (see
``_wsxf``), and served as ``application/xml``; the attachments of a report come as an
``application/zip`` archive, one of them (by step id, or a repair report's ``binaryData`` id) as
the file itself with its content type and a ``Content-Disposition`` naming it.
"""

from __future__ import annotations

import base64
import io
import uuid
import zipfile
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pywats._compat import UTC

from ..store import Store
from ..wire import DataError, Handler, Raw, SimRequest, error
from ._report_odata import ODataError, compile_filter, order_key, parse_datetime, parse_orderby
from ._wsxf import WsxfError, from_wsxf, to_wsxf

if TYPE_CHECKING:
    from ..server import Simulator

COLLECTION = "reports"
MAX_TOP = 10000
DEFAULT_TOP = 10
_RESULTS = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated", "D": "Done"}
_EXPANDABLE = {
    "subunits": "subUnits",
    "miscinfo": "miscInfo",
    "assets": "assets",
    "attachments": "attachments",
    "uursubunits": "uurSubUnits",
    "uurmiscinfo": "uurMiscInfo",
    "uurattachments": "uurAttachments",
}
HEADER_FIELDS = [
    "uuid", "serialNumber", "partNumber", "reportType", "start", "revision", "result", "batchNumber",
    "userName", "stationName", "location", "purpose", "measuresDeleted", "timeStamp", "processCode",
    "processName", "comment", "executionTime", "swFilename", "swVersion", "testSocketIndex", "fixtureId",
    "errorCode", "errorMessage", "run", "receiveCount", "reportSize", "causedUutFailure",
    "causedUutFailurePath", "passedInRun", "referencedUut",
]  # fmt: skip

# Seeded reports: ids fixed so that examples and tests can name them.
SEED_UUT_ID = "5e0c1a1e-0000-4000-8000-000000000001"
SEED_FAILED_UUT_ID = "5e0c1a1e-0000-4000-8000-000000000002"
SEED_UUR_ID = "5e0c1a1e-0000-4000-8000-000000000003"
SEED_ATTACHMENT = ("test_screenshot.png", b"\x89PNG\r\n\x1a\nsimulated screenshot")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _seed_reports() -> list[dict[str, Any]]:
    now = datetime.now(UTC).replace(microsecond=0)
    data = base64.b64encode(SEED_ATTACHMENT[1]).decode()

    def uut(rid: str, sn: str, result: str, start: datetime) -> dict[str, Any]:
        return {
            "type": "T",
            "id": rid,
            "pn": "WIDGET-001",
            "sn": sn,
            "rev": "A",
            "processCode": 100,
            "processName": "ICT",
            "result": result,
            "machineName": "SIM-STATION-01",
            "location": "Simulated line",
            "purpose": "10",
            "start": _iso(start),
            "startUTC": _iso(start),
            "uut": {"user": "sim", "execTime": 12.5, "fixtureId": "FX-1", "batchSN": None},
            "miscInfos": [{"description": "LotNumber", "text": "LOT-1", "numeric": None}],
            "subUnits": [{"pn": "PCB-7", "sn": f"{sn}-PCB", "rev": "B", "partType": "PCBA", "idx": 0}],
            "root": {
                "id": 1,
                "group": "M",
                "stepType": "SequenceCall",
                "name": "MainSequence Callback",
                "status": result,
                "seqCall": {"path": "main.seq", "name": "MainSequence", "version": "1.0.0"},
                "steps": [
                    {
                        "id": 2,
                        "group": "M",
                        "stepType": "ET_NLT",
                        "name": "Supply Voltage",
                        "status": result,
                        "numericMeas": [
                            {
                                "compOp": "GELE",
                                "name": None,
                                "status": result,
                                "unit": "V",
                                "value": 5.02 if result == "P" else 5.4,
                                "lowLimit": 4.9,
                                "highLimit": 5.1,
                            }
                        ],
                    },
                    {
                        "id": 3,
                        "group": "M",
                        "stepType": "Label",
                        "name": "Screenshot",
                        "status": "D",
                        "attachment": {"name": SEED_ATTACHMENT[0], "contentType": "image/png", "data": data},
                    },
                ],
            },
        }

    uur = {
        "type": "R",
        "id": SEED_UUR_ID,
        "pn": "WIDGET-001",
        "sn": "W12345",
        "rev": "A",
        "processCode": 500,
        "processName": "Repair",
        "result": "P",
        "machineName": "SIM-REPAIR-01",
        "location": "Simulated line",
        "purpose": "10",
        "start": _iso(now - timedelta(hours=1)),
        "startUTC": _iso(now - timedelta(hours=1)),
        "uur": {"userLoginName": "sim", "processCode": 100, "refUUT": SEED_FAILED_UUT_ID},
        "subUnits": [
            {
                "pn": "WIDGET-001",
                "sn": "W12345",
                "rev": "A",
                "idx": 0,
                "failures": [{"category": "Component", "code": "CAP_FAIL", "comRef": "C12"}],
            }
        ],
    }
    return [
        uut(SEED_FAILED_UUT_ID, "W12345", "F", now - timedelta(hours=3)),
        uur,
        uut(SEED_UUT_ID, "W12345", "P", now - timedelta(minutes=30)),
    ]


def seed() -> dict[str, list[dict[str, Any]]]:
    """A failed test, its repair and the passing retest of unit W12345 (WIDGET-001)."""
    return {COLLECTION: _seed_reports()}


def load(data: dict[str, Any], store: Store) -> None:
    """``reports``: WSJF documents to start with (replacing the seeded ones)."""
    if "reports" not in data:
        return
    reports = data["reports"]
    if not isinstance(reports, list):
        raise DataError("'reports' in the simulator data must be a list of WSJF reports")
    for i, report in enumerate(reports):
        problem = _invalid(report)
        if problem:
            raise DataError(f"report #{i} in the simulator data: {problem}")
    store.seed(COLLECTION, [_stored(r) for r in reports])


# -- submit -------------------------------------------------------------------------------------------


def _invalid(report: Any) -> str | None:
    """Why the server would refuse this WSJF document, or None."""
    if not isinstance(report, dict):
        return "a report must be a JSON object"
    if report.get("type") not in ("T", "R"):
        return f"'type' must be 'T' (UUT) or 'R' (UUR), not {report.get('type')!r}"
    for key, what in (("pn", "part number"), ("sn", "serial number")):
        value = report.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"the {what} ('{key}') is required"
    try:
        uuid.UUID(str(report.get("id")))
    except ValueError:
        return f"'id' must be a GUID, not {report.get('id')!r}"
    start = report.get("start")
    if start is not None:
        try:
            parse_datetime(str(start))
        except ValueError:
            return f"'start' is not a date and time: {start!r}"
    if not isinstance(report.get("processCode", 0), int | None):
        return "'processCode' must be an integer"
    if report["type"] == "T" and "root" in report and not isinstance(report["root"], dict | None):
        return "'root' must be a step object"
    return None


def _stored(report: dict[str, Any]) -> dict[str, Any]:
    stored = dict(report)
    if stored.get("start") is None:
        stored["start"] = _iso(datetime.now(UTC))
    if stored.get("startUTC") is None:
        stored["startUTC"] = _iso(parse_datetime(str(stored["start"])).astimezone(UTC))
    return stored


def _find(sim: Simulator, report_id: Any) -> dict[str, Any] | None:
    wanted = str(report_id).lower()
    return next((r for r in sim.store.collection(COLLECTION) if str(r.get("id")).lower() == wanted), None)


def _post_wsjf(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    if not req.body.strip():
        return error(400, "The request is invalid.", ModelState={"report": ["A report is required."]})
    report = req.json()
    if isinstance(report, dict) and "id" not in report:
        report["id"] = str(uuid.uuid4())  # the server assigns one
    return _store_report(sim, report)


def _store_report(sim: Simulator, report: Any) -> tuple[int, Any]:
    problem = _invalid(report)
    if problem:
        return error(400, f"The report could not be read: {problem}.")
    reports = sim.store.collection(COLLECTION)
    with sim.store.lock:
        reports[:] = [r for r in reports if str(r.get("id")).lower() != str(report["id"]).lower()]
        reports.append(_stored(report))
        number = len(reports)
    rid = str(report["id"])
    return 200, {"ID": rid, "uuid": rid, "Report_ID": number}


def _get_wsjf(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        found = _find(sim, params["id"])
        if found is None:
            return error(404, f"Report '{params['id']}' was not found.")
        return 200, found


# -- WSXF -----------------------------------------------------------------------------------------------


def _get_wsxf(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        found = _find(sim, params["id"])
        if found is None:
            return error(404, f"Report '{params['id']}' was not found.")
        document = to_wsxf(found)
    return 200, Raw(document.encode("utf-8"), "application/xml; charset=utf-8")


def _post_wsxf(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    if not req.body.strip():
        return error(400, "The request is invalid.", ModelState={"report": ["A report is required."]})
    try:
        report = from_wsxf(req.body)
    except WsxfError as exc:
        return error(400, f"The report could not be read: {exc}.")
    return _store_report(sim, report)


# -- attachments ----------------------------------------------------------------------------------------


def _files(report: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(holder, file) pairs in report order: a step and its ``attachment``, or the report and a ``binaryData``."""
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    stack = [report["root"]] if isinstance(report.get("root"), dict) else []
    while stack:
        step = stack.pop()
        att = step.get("attachment")
        if isinstance(att, dict) and att.get("data") is not None:
            found.append((step, att))
        stack.extend(reversed([s for s in step.get("steps") or [] if isinstance(s, dict)]))
    for blob in report.get("binaryData") or []:
        if isinstance(blob, dict) and blob.get("data") is not None:
            found.append((report, blob))
    return found


def _file_name(holder: dict[str, Any], item: dict[str, Any]) -> str:
    # Only the report itself has a "type" (steps have "stepType"): an unnamed step file is named by its step.
    if item.get("name"):
        return str(item["name"])
    return f"step{holder.get('id')}" if holder.get("type") is None else str(item.get("id"))


def _attachments(report: dict[str, Any]) -> list[tuple[str, bytes]]:
    return [(_file_name(h, f), base64.b64decode(f["data"])) for h, f in _files(report)]


def _get_attachments(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        found = _find(sim, params["id"])
        if found is None:
            return error(404, f"Report '{params['id']}' was not found.")
        files = _attachments(found)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    disposition = f'attachment; filename="{params["id"]}.zip"'
    return 200, Raw(buffer.getvalue(), "application/zip", {"Content-Disposition": disposition})


def _get_attachment(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    step_id, attachment_id = params.get("stepId"), params.get("attachmentId")
    if (step_id is None) == (attachment_id is None):
        return error(400, "Specify either attachmentId or stepId.")
    with sim.store.lock:
        report = _find(sim, params["reportId"])
        if report is None:
            return error(404, f"Report '{params['reportId']}' was not found.")
        for holder, item in _files(report):
            if step_id is not None and holder is not report and holder.get("id") == step_id:
                break
            by_id = str(item.get("id")).lower() == str(attachment_id).lower()
            if attachment_id is not None and holder is report and by_id:
                break
        else:
            wanted = f"step {step_id}" if step_id is not None else f"attachment '{attachment_id}'"
            return error(404, f"Report '{params['reportId']}' has no attachment for {wanted}.")
        name = _file_name(holder, item)
        content = base64.b64decode(item["data"])
        content_type = str(item.get("contentType") or "application/octet-stream")
    quoted = name.replace("\\", "_").replace('"', "_")
    return 200, Raw(content, content_type, {"Content-Disposition": f'attachment; filename="{quoted}"'})


# -- header query ---------------------------------------------------------------------------------------


def header_of(report: dict[str, Any], time_stamp: int) -> dict[str, Any]:
    """The header the query lists for a stored report (start as an aware UTC datetime)."""
    raw_info = report.get("uut") if report.get("type") == "T" else report.get("uur")
    info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    raw_root = report.get("root")
    root: dict[str, Any] = raw_root if isinstance(raw_root, dict) else {}
    raw_seq = root.get("seqCall")
    seq: dict[str, Any] = raw_seq if isinstance(raw_seq, dict) else {}
    start = report.get("startUTC") or report.get("start")
    return {
        "uuid": str(report.get("id")).lower(),
        "serialNumber": report.get("sn"),
        "partNumber": report.get("pn"),
        "reportType": report.get("type"),
        "start": parse_datetime(str(start)).astimezone(UTC) if start else None,
        "revision": report.get("rev"),
        "result": _RESULTS.get(str(report.get("result")), report.get("result")),
        "batchNumber": info.get("batchSN"),
        "userName": info.get("user") or info.get("userLoginName"),
        "stationName": report.get("machineName"),
        "location": report.get("location"),
        "purpose": report.get("purpose"),
        "timeStamp": time_stamp,
        "processCode": report.get("processCode"),
        "processName": report.get("processName"),
        "comment": info.get("comment"),
        "executionTime": info.get("execTime"),
        "swFilename": seq.get("path"),
        "swVersion": seq.get("version"),
        "testSocketIndex": info.get("testSocketIndex"),
        "fixtureId": info.get("fixtureId"),
        "errorCode": info.get("errorCode"),
        "errorMessage": info.get("errorMessage"),
        "referencedUut": info.get("refUUT"),
    }


def _expanded(report: dict[str, Any], header: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    uut = report.get("type") == "T"
    units = [
        {
            "serialNumber": u.get("sn"),
            "partNumber": u.get("pn"),
            "revision": u.get("rev"),
            "partType": u.get("partType"),
        }
        for u in report.get("subUnits") or []
        if isinstance(u, dict)
    ]
    misc = [
        {"description": m.get("description"), "value": m.get("text")}
        for m in report.get("miscInfos") or []
        if isinstance(m, dict)
    ]
    files = [{"name": name, "size": len(content)} for name, content in _attachments(report)]
    values = {
        "subUnits": units if uut else [],
        "miscInfo": misc if uut else [],
        "assets": list(report.get("assets") or []),
        "attachments": files if uut else [],
        "uurSubUnits": [] if uut else units,
        "uurMiscInfo": [] if uut else misc,
        "uurAttachments": [] if uut else files,
    }
    return {**header, **{key: values[key] for key in expand}}


def _int_option(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ODataError(f"The query specified in the URI is not valid. Invalid value '{raw}' for ${name}.") from None
    if value < 0:
        raise ODataError(f"The query specified in the URI is not valid. ${name} must not be negative.")
    return value


def _query_header(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    options = {k.lower(): v[-1] for k, v in req.query.items()}
    try:
        predicate = compile_filter(options["$filter"], HEADER_FIELDS) if options.get("$filter") else None
        top = _int_option(options["$top"], "top") if "$top" in options else DEFAULT_TOP
        if top > MAX_TOP:
            raise ODataError(
                f"The query specified in the URI is not valid. The limit of '{MAX_TOP}' for Top query has been "
                f"exceeded. The value from the incoming request is '{top}'."
            )
        skip = _int_option(options["$skip"], "skip") if "$skip" in options else 0
        order = parse_orderby(options["$orderby"]) if options.get("$orderby") else [("start", True)]
        expand: set[str] = set()
        for part in filter(None, (p.strip() for p in options.get("$expand", "").split(","))):
            key = _EXPANDABLE.get(part.casefold())
            if key is None:
                raise ODataError(
                    f"The query specified in the URI is not valid. Could not find a property named '{part}' "
                    "on type 'ReportHeader'."
                )
            expand.add(key)
        with sim.store.lock:
            reports = list(sim.store.collection(COLLECTION))
        rows = [(header_of(r, i + 1), r) for i, r in enumerate(reports)]
        if predicate is not None:
            rows = [(h, r) for h, r in rows if predicate(h)]
    except ODataError as exc:
        return error(400, str(exc))
    for prop, descending in reversed(order):
        rows.sort(key=lambda hr, p=prop: order_key(hr[0].get(p)), reverse=descending)  # type: ignore[misc]
    page = rows[skip : skip + top]
    out = []
    for header, report in page:
        item = _expanded(report, header, expand) if expand else dict(header)
        start = item.get("start")
        if isinstance(start, datetime):
            item["start"] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(item)
    return 200, out


ROUTES: dict[str, Handler] = {
    "POST /api/Report/WSJF": _post_wsjf,
    "GET /api/Report/Wsjf/{id}": _get_wsjf,
    "GET /api/Report/Wsxf/{id}": _get_wsxf,
    "POST /api/Report/WSXF": _post_wsxf,
    "GET /api/Report/Attachment": _get_attachment,
    "GET /api/Report/Attachments/{id}": _get_attachments,
    "GET /api/Report/Query/Header": _query_header,
}
