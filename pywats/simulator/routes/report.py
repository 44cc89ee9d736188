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
import copy
import io
import uuid
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from pywats._compat import UTC

from ..common import content_disposition, data_list, fold, iso, now, parse_time, same
from ..docs import served_surface
from ..schema import problem as schema_problem
from ..store import Store
from ..wire import DataError, Handler, Raw, Server, SimRequest, error
from ._odata import Entity, ODataError, apply_query
from ._wsxf import WsxfError, from_wsxf, to_wsxf

__all__ = [
    "REPORTS", "ROUTES", "check_filter", "header_of", "load", "result_letter", "seed", "select_uut_reports",
    "start_of", "uut_info",
]  # fmt: skip


REPORTS = "reports"
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
_TEXT = (
    "serialNumber partNumber reportType revision result batchNumber userName stationName location purpose "
    "processName comment swFilename swVersion fixtureId errorMessage causedUutFailure causedUutFailurePath"
).split()
_INTS = "timeStamp processCode testSocketIndex errorCode run receiveCount reportSize passedInRun".split()
# The header query's entity, as the server's ReportHeader declares it: at most 10000 a page, 10 by
# default, newest first, ordered only by the fields the server allows.
HEADER = Entity(
    "ReportHeader",
    {
        **dict.fromkeys(_TEXT, "string"),
        **dict.fromkeys(_INTS, "int"),
        "uuid": "guid",
        "referencedUut": "guid",
        "start": "datetime",
        "executionTime": "double",
        "measuresDeleted": "bool",
    },
    orderable=frozenset({"start", "uuid", "serialNumber", "timeStamp"}),
    default_orderby="start desc",
    default_top=10,
    max_top=10000,
    collections={
        **dict.fromkeys(
            ("subUnits", "uurSubUnits"),
            Entity("SubUnit", dict.fromkeys(("serialNumber", "partNumber", "revision", "partType"), "string")),
        ),
        **dict.fromkeys(
            ("miscInfo", "uurMiscInfo"), Entity("MiscInfo", dict.fromkeys(("description", "value"), "string"))
        ),
    },
)

# Seeded reports: ids fixed so that examples and tests can name them.
SEED_UUT_ID = "5e0c1a1e-0000-4000-8000-000000000001"
SEED_FAILED_UUT_ID = "5e0c1a1e-0000-4000-8000-000000000002"
SEED_UUR_ID = "5e0c1a1e-0000-4000-8000-000000000003"
SEED_ATTACHMENT = ("test_screenshot.png", b"\x89PNG\r\n\x1a\nsimulated screenshot")


def _seed_reports() -> list[dict[str, Any]]:
    moment = now().replace(microsecond=0)
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
            "start": iso(start),
            "startUTC": iso(start),
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
        "start": iso(moment - timedelta(hours=1)),
        "startUTC": iso(moment - timedelta(hours=1)),
        "uur": {"user": "sim", "processCode": 100, "refUUT": SEED_FAILED_UUT_ID},
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
        uut(SEED_FAILED_UUT_ID, "W12345", "F", moment - timedelta(hours=3)),
        uur,
        uut(SEED_UUT_ID, "W12345", "P", moment - timedelta(minutes=30)),
    ]


def seed() -> dict[str, list[dict[str, Any]]]:
    """A failed test, its repair and the passing retest of unit W12345 (WIDGET-001)."""
    return {REPORTS: _seed_reports()}


def load(data: dict[str, Any], store: Store) -> None:
    """``reports``: WSJF documents to start with (replacing the seeded ones)."""
    reports = data_list(data, "reports")
    if reports is None:
        return
    for i, report in enumerate(reports):
        problem = _invalid(report)
        if problem:
            raise DataError(f"report #{i} in the simulator data: {problem}")
    store.seed(REPORTS, [_stored(r) for r in reports])


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
    if start is not None and parse_time(str(start)) is None:
        return f"'start' is not a date and time: {start!r}"
    if not isinstance(report.get("processCode", 0), int | None):
        return "'processCode' must be an integer"
    if report["type"] == "T" and "root" in report and not isinstance(report["root"], dict | None):
        return "'root' must be a step object"
    # the submit operations document no body, but the documents define the report it reads
    try:
        return schema_problem(report, _WSJF_REPORT, _report_schemas(), exact_names=False)
    except RecursionError:
        return "steps nest too deep to read"


_WSJF_REPORT = {"$ref": "Virinco.WATS.Schemas.WSJF.Report"}


def _report_schemas() -> dict[str, Any]:
    """The schemas a submitted report is checked against (the snapshot read once per process)."""
    schemas: dict[str, Any] = served_surface("internal")["schemas"]
    return schemas


def _stored(report: dict[str, Any]) -> dict[str, Any]:
    stored = dict(report)
    if stored.get("start") is None:
        stored["start"] = iso(now())
    if stored.get("startUTC") is None:
        stored["startUTC"] = iso(start_of(stored))
    return stored


class _IdIndex:
    """Lower-cased report id → the stored report, so that a submit into a store of 10,000 reports
    does not walk them all.

    Only this module changes the collection, but ``Store.reset``/``seed`` and a user's own test code
    may replace its contents: the index is rebuilt whenever the list is not as it last saw it (its
    identity, length or last item differ). Use under the store's lock.
    """

    def __init__(self) -> None:
        self._ids: dict[str, dict[str, Any]] = {}
        self._seen: tuple[int, int, int] = (0, -1, 0)

    @staticmethod
    def _mark(reports: list[dict[str, Any]]) -> tuple[int, int, int]:
        return id(reports), len(reports), id(reports[-1]) if reports else 0

    def ids(self, reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        if self._mark(reports) != self._seen:
            self._ids = {fold(r.get("id")): r for r in reports}
            self._seen = self._mark(reports)
        return self._ids

    def put(self, reports: list[dict[str, Any]], report: dict[str, Any]) -> int:
        """Store ``report``, replacing one with its id; its number (the count of stored reports)."""
        ids = self.ids(reports)
        key = fold(report.get("id"))
        old = ids.get(key)
        if old is not None:  # a resubmit: rare, so the walk to remove the old one is fine
            reports[:] = [r for r in reports if r is not old]
        reports.append(report)
        ids[key] = report
        self._seen = self._mark(reports)
        return len(reports)


_INDEXES: WeakKeyDictionary[Store, _IdIndex] = WeakKeyDictionary()


def _index(store: Store) -> _IdIndex:
    with store.lock:
        return _INDEXES.setdefault(store, _IdIndex())


def _find(sim: Server, report_id: Any) -> dict[str, Any] | None:
    with sim.store.lock:
        return _index(sim.store).ids(sim.store.collection(REPORTS)).get(fold(report_id))


def _post_wsjf(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    if not req.body.strip():
        return error(400, "The request is invalid.", ModelState={"report": ["A report is required."]})
    report = req.json()
    if isinstance(report, dict) and "id" not in report:
        report["id"] = str(uuid.uuid4())  # the server assigns one
    return _store_report(sim, report)


def _store_report(sim: Server, report: Any) -> tuple[int, Any]:
    problem = _invalid(report)
    if problem:
        return error(400, f"The report could not be read: {problem}.")
    with sim.store.lock:
        number = _index(sim.store).put(sim.store.collection(REPORTS), _stored(report))
    rid = str(report["id"])
    return 200, {"ID": rid, "uuid": rid, "Report_ID": number}


def _on_report(answer: Callable[[dict[str, Any]], tuple[int, Any]]) -> Handler:
    """A handler answering ``answer(report)`` for the stored report ``{id}`` (under the store's lock), 404 if none."""

    def handle(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
        with sim.store.lock:
            found = _find(sim, params["id"])
            if found is None:
                return error(404, f"Report '{params['id']}' was not found.")
            return answer(found)

    return handle


def _wsjf(report: dict[str, Any]) -> tuple[int, Any]:
    return 200, copy.deepcopy(report)


# -- WSXF -----------------------------------------------------------------------------------------------


def _wsxf(report: dict[str, Any]) -> tuple[int, Any]:
    return 200, Raw(to_wsxf(report).encode("utf-8"), "application/xml; charset=utf-8")


def _post_wsxf(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
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


def _zipped_attachments(report: dict[str, Any]) -> tuple[int, Any]:
    files = _attachments(report)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    disposition = content_disposition(f"{report['id']}.zip")
    return 200, Raw(buffer.getvalue(), "application/zip", {"Content-Disposition": disposition})


def _get_attachment(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
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
            by_id = same(item.get("id"), attachment_id)
            if attachment_id is not None and holder is report and by_id:
                break
        else:
            wanted = f"step {step_id}" if step_id is not None else f"attachment '{attachment_id}'"
            return error(404, f"Report '{params['reportId']}' has no attachment for {wanted}.")
        name = _file_name(holder, item)
        content = base64.b64decode(item["data"])
        content_type = str(item.get("contentType") or "application/octet-stream")
    return 200, Raw(content, content_type, {"Content-Disposition": content_disposition(name)})


# -- header query ---------------------------------------------------------------------------------------


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


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
        "start": _utc(parse_time(start)),
        "revision": report.get("rev"),
        "result": _RESULTS.get(str(report.get("result")), report.get("result")),
        "batchNumber": info.get("batchSN"),
        "userName": info.get("user"),
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


def _units(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "serialNumber": u.get("sn"),
            "partNumber": u.get("pn"),
            "revision": u.get("rev"),
            "partType": u.get("partType"),
        }
        for u in report.get("subUnits") or []
        if isinstance(u, dict)
    ]


def _misc(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"description": m.get("description"), "value": m.get("text")}
        for m in report.get("miscInfos") or []
        if isinstance(m, dict)
    ]


def _with_collections(report: dict[str, Any], header: dict[str, Any]) -> dict[str, Any]:
    """The header as the filter sees it: with its sub-units and misc info (for ``subUnits/any(...)``)."""
    uut = report.get("type") == "T"
    units, misc = _units(report), _misc(report)
    return {
        **header,
        "subUnits": units if uut else [],
        "miscInfo": misc if uut else [],
        "uurSubUnits": [] if uut else units,
        "uurMiscInfo": [] if uut else misc,
    }


def _expanded(report: dict[str, Any], header: dict[str, Any], expand: set[str]) -> dict[str, Any]:
    uut = report.get("type") == "T"
    units, misc = _units(report), _misc(report)
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


def _query_header(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    options = {k.lower(): v[-1] for k, v in req.query.items()}
    expand: set[str] = set()
    for part in filter(None, (p.strip() for p in options.get("$expand", "").split(","))):
        key = _EXPANDABLE.get(part.casefold())
        if key is None:
            return error(400, str(ODataError(f"Could not find a property named '{part}' on type 'ReportHeader'.")))
        expand.add(key)
    with sim.store.lock:
        reports = list(sim.store.collection(REPORTS))
    headers = [_with_collections(r, header_of(r, i + 1)) for i, r in enumerate(reports)]
    report_of = {id(h): r for h, r in zip(headers, reports, strict=True)}
    try:
        page = apply_query(headers, req.query, HEADER)
    except ODataError as exc:
        return error(400, str(exc))
    out = []
    for row in page:
        header = {k: v for k, v in row.items() if k not in HEADER.collections}
        item = _expanded(report_of[id(row)], header, expand) if expand else header
        start = item.get("start")
        if isinstance(start, datetime):
            item["start"] = iso(start)
        out.append(item)
    return 200, out


def _by_misc_info(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    """``GET /api/Report/Query/HeaderByMiscInfo``: test reports whose misc info matches, newest first."""
    description, data = params.get("description"), params.get("data")
    code, serial = params.get("processCode"), params.get("serialNumber")
    with sim.store.lock:
        reports = [r for r in sim.store.collection(REPORTS) if isinstance(r, dict) and r.get("type") == "T"]
    found = []
    for r in reports:
        misc = _misc(r)
        hit = any(
            (description is None or _matches(m["description"], description))
            and (data is None or _matches(m["value"], data))
            for m in misc
        )
        if not hit or (code is not None and r.get("processCode") != code):
            continue
        if serial is not None and not _matches(r.get("sn"), serial):
            continue
        found.append(r)
    found.sort(key=start_of, reverse=True)
    return 200, [
        {
            "miscData": [{"description": m["description"], "data": m["value"]} for m in _misc(r)],
            "serialNumber": r.get("sn"),
            "partNumber": r.get("pn"),
            "start": iso(start_of(r)),
            "result": _RESULTS.get(str(r.get("result")), r.get("result")),
            "uuid": str(r.get("id")).lower(),
            "processCode": r.get("processCode"),
            "processName": r.get("processName"),
        }
        for r in found
    ]


def _certificate(report: dict[str, Any]) -> tuple[int, Any]:
    """A report's certificate: who, what, where, when and the result of the test it records."""
    info = uut_info(report) if report.get("type") == "T" else (report.get("uur") or {})
    return 200, {
        "reportId": str(report.get("id")).lower(),
        "reportType": report.get("type"),
        "serialNumber": report.get("sn"),
        "partNumber": report.get("pn"),
        "revision": report.get("rev"),
        "processCode": report.get("processCode"),
        "processName": report.get("processName"),
        "result": _RESULTS.get(str(report.get("result")), report.get("result")),
        "start": iso(start_of(report)),
        "stationName": report.get("machineName"),
        "location": report.get("location"),
        "operator": info.get("user") if isinstance(info, dict) else None,
    }


# -- what other domains read of the reports -------------------------------------------------------------

# The WATS filter (analytics, serial number history): its keys and the JSON types they take.
_FILTER_TYPES: dict[str, type | tuple[type, ...]] = {
    **{
        k: str
        for k in (
            "serialNumber partNumber revision batchNumber stationName testOperation status miscDescription "
            "miscValue productGroup level swFilename swVersion socket dimensions dateFrom dateTo"
        ).split()
    },
    **{k: int for k in "yield dateGrouping periodCount maxCount minCount topCount".split()},
    "includeCurrentPeriod": bool,
}
DEFAULT_DAYS = 30


def uut_info(report: dict[str, Any]) -> dict[str, Any]:
    """The report's ``uut`` header object (empty if it has none)."""
    info = report.get("uut")
    return info if isinstance(info, dict) else {}


def start_of(report: dict[str, Any]) -> datetime:
    """When the report's test started (UTC); a report without a start counts as just received,
    as the server stamps it."""
    return parse_time(report.get("startUTC")) or parse_time(report.get("start")) or now()


def result_letter(report: dict[str, Any]) -> str:
    """P, F, E or T (the first letter of ``Passed``/``Failed``/``Error``/``Terminated``), ``?`` if none."""
    text = str(report.get("result") or "").strip()
    return text[:1].upper() if text else "?"


def check_filter(body: Any) -> tuple[int, Any] | None:
    """The server's 400 answer for a WATS filter body it cannot bind, or None if it binds."""
    if not isinstance(body, dict):
        return error(400, "The request is invalid. The filter must be a JSON object.")
    for key, value in body.items():
        wanted = _FILTER_TYPES.get(key)
        if wanted is None or value is None:
            continue
        if (isinstance(value, bool) and wanted is int) or not isinstance(value, wanted):
            return error(400, f"The request is invalid. Error converting value {value!r} for '{key}'.")
        if key in ("dateFrom", "dateTo") and parse_time(value) is None:
            return error(400, f"The request is invalid. '{key}' is not a date: {value!r}.")
    return None


def _matches(value: Any, wanted: Any) -> bool:
    """WATS filters take several values separated by ``;`` and compare without case."""
    if wanted is None or wanted == "":
        return True
    options = {fold(w) for w in str(wanted).split(";") if w.strip()}
    return value is not None and fold(value) in options


def select_uut_reports(
    store: Store, f: dict[str, Any], *, default_days: int | None = DEFAULT_DAYS, kind: str = "T"
) -> list[dict[str, Any]]:
    """The UUT reports a WATS filter selects, oldest first; without dates, the last ``default_days``.

    ``kind="R"`` selects the repair (UUR) reports instead, by the same filter.
    """
    moment = now()
    start = parse_time(f.get("dateFrom"))
    end = parse_time(f.get("dateTo"))
    if start is None and f.get("periodCount"):
        try:
            start = moment - timedelta(days=int(f["periodCount"]))
        except OverflowError:  # more days than a date can go back: every report
            start = datetime.min.replace(tzinfo=UTC)
    if start is None and end is None and default_days is not None:
        start = moment - timedelta(days=default_days)
    status = str(f.get("status") or "*").strip()
    found = []
    for r in store.collection(REPORTS):
        if not isinstance(r, dict) or str(r.get("type") or "T").upper() != kind:
            continue
        when = start_of(r)
        if (start is not None and when < start) or (end is not None and when > end):
            continue
        operation = r.get("processName"), None if r.get("processCode") is None else str(r.get("processCode"))
        if not (
            _matches(r.get("pn"), f.get("partNumber"))
            and _matches(r.get("sn"), f.get("serialNumber"))
            and _matches(r.get("rev"), f.get("revision"))
            and _matches(r.get("machineName"), f.get("stationName"))
            and _matches(uut_info(r).get("batchSN"), f.get("batchNumber"))
            and (not f.get("testOperation") or any(_matches(o, f["testOperation"]) for o in operation))
            and (status in ("*", "", "all", "All") or _matches(result_letter(r), status[:1]))
        ):
            continue
        found.append(r)
    found.sort(key=start_of)
    return found


ROUTES: dict[str, Handler] = {
    "POST /api/Report/WSJF": _post_wsjf,
    "GET /api/Report/Wsjf/{id}": _on_report(_wsjf),
    "GET /api/Report/Wsxf/{id}": _on_report(_wsxf),
    "POST /api/Report/WSXF": _post_wsxf,
    "GET /api/Report/Attachment": _get_attachment,
    "GET /api/Report/Attachments/{id}": _on_report(_zipped_attachments),
    "GET /api/Report/Query/Header": _query_header,
    "GET /api/Report/Query/HeaderByMiscInfo": _by_misc_info,
    "GET /api/Report/Certificate/{id}": _on_report(_certificate),
}
