"""The RootCause domain: tickets, their history, views and the server's assignee rules.

Tickets are stored in the wire format plus ``followers`` (user names, not on the wire). As the
real server does, answers leave ``assignee`` out (a known issue of the server), yet an
update that carries no assignee unassigns the ticket, and an unassigned ticket must be OPEN.
The caller is the user name of the Basic credential; every caller may see all tickets and archive
(the "Manage All Tickets" permission).
"""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timedelta
from typing import Any

from ..common import (
    caller,
    content_disposition,
    data_item,
    fold,
    found,
    iso,
    load_each,
    multipart_files,
    not_found,
    now,
    same,
)
from ..store import Store
from ..wire import DataError, Handler, Raw, Server, SimRequest, error

TICKETS = "rootcause_tickets"
ATTACHMENTS = "rootcause_attachments"  # {"attachmentId", "filename", "contentType", "data" (base64)}
OPEN, IN_PROGRESS, ON_HOLD, SOLVED, CLOSED, ARCHIVED = 1, 2, 4, 8, 16, 32
STATUSES = (OPEN, IN_PROGRESS, ON_HOLD, SOLVED, CLOSED, ARCHIVED)
PRIORITIES = (0, 1, 2)
ASSIGNED, FOLLOWING, ALL = 0, 1, 2
CONTENT, PROPERTIES = 0, 2
_NS = uuid.UUID("0b6f8a52-7d0e-4f4e-9c1e-5d1a2f3b4c5d")
_STATUS_NAMES = {OPEN: "Open", IN_PROGRESS: "In progress", ON_HOLD: "On hold", SOLVED: "Solved", CLOSED: "Closed"}
_STATUS_NAMES[ARCHIVED] = "Archived"
_PRIORITY_NAMES = {0: "Low", 1: "Medium", 2: "High"}
_EDITABLE = ("subject", "status", "priority", "team", "origin", "progress", "reportUuid", "tags")
_INTERNAL = ("assignee", "followers")
DEFAULT_USER = "simulator"

# number, subject, status, priority, assignee, owner, days old, tags, comments
_SEED: list[tuple[Any, ...]] = [
    (
        12340,
        "ICT fixture calibration drift on WIDGET-001",
        OPEN,
        2,
        DEFAULT_USER,
        "anna",
        75,
        [("PartNumber", "WIDGET-001"), ("calibration", None)],
        ["Fixture 3 reads 2% high since the last service."],
    ),
    (
        12341,
        "FCT timeout on station FCT-02",
        IN_PROGRESS,
        1,
        DEFAULT_USER,
        "bob",
        12,
        [("Station", "FCT-02")],
        ["Tests time out after 30 s on every third unit."],
    ),
    (12342, "AOI false calls on solder joints", OPEN, 0, None, "anna", 3, [], ["Many false calls on QFN pads."]),
    (
        12343,
        "Burn-in oven temperature alarm",
        ON_HOLD,
        2,
        "bob",
        DEFAULT_USER,
        20,
        [("Station", "BURNIN-1")],
        ["Oven 1 alarms at 85 C; waiting for the vendor."],
    ),
    (
        12344,
        "Calibration certificate expired for DMM-7",
        SOLVED,
        1,
        DEFAULT_USER,
        "carol",
        45,
        [("calibration", "DMM-7")],
        ["Certificate renewed."],
    ),
    (
        12345,
        "ICT opens on connector J5 (WIDGET-001)",
        IN_PROGRESS,
        2,
        DEFAULT_USER,
        "anna",
        40,
        [("PartNumber", "WIDGET-001"), ("ICT", None)],
        ["Opens on J5 pins 3-4 on 5% of boards.", "Suspect the press-fit tooling; checking."],
    ),
    (12346, "Label printer misprints serials", CLOSED, 0, "carol", "carol", 90, [], ["Ribbon replaced."]),
    (
        12347,
        "UUT:SN-0001 failed FVT twice",
        OPEN,
        1,
        "bob",
        DEFAULT_USER,
        2,
        [("SerialNumber", "SN-0001")],
        ["Failed FVT on both runs at the current test."],
    ),
]


def _update(content: str, user: str, when: datetime, kind: int = CONTENT) -> dict[str, Any]:
    return {
        "updateId": str(uuid.uuid4()),
        "updateUtc": iso(when),
        "updateUser": user,
        "content": content,
        "updateType": kind,
        "attachments": [],
    }


def default_tickets() -> list[dict[str, Any]]:
    """The seeded tickets (relative to now, so the aging examples find old ones)."""
    moment = now()
    tickets = []
    for number, subject, status, priority, assignee, owner, age, tags, comments in _SEED:
        created = moment - timedelta(days=age)
        history = [_update(text, owner, created + timedelta(hours=i)) for i, text in enumerate(comments)]
        tickets.append(
            {
                "ticketId": str(uuid.uuid5(_NS, str(number))),
                "ticketNumber": number,
                "progress": None,
                "owner": owner,
                "assignee": assignee,
                "subject": subject,
                "status": status,
                "priority": priority,
                "reportUuid": None,
                "createdUtc": iso(created),
                "updatedUtc": history[-1]["updateUtc"] if history else iso(created),
                "team": None,
                "origin": "WATS",
                "tags": [{"key": k, "value": v, "change": 0} for k, v in tags],
                "history": history,
                "followers": [owner],
            }
        )
    return tickets


# A photo on the last comment of ticket 12345, so that examples can fetch an attachment.
SEED_ATTACHMENT_ID = "a77ac4e0-0000-4000-8000-000000012345"
SEED_ATTACHMENT = ("j5-pins.jpg", "image/jpeg", b"\xff\xd8\xff\xe0simulated photo of J5")


def seed() -> dict[str, list[dict[str, Any]]]:
    tickets = default_tickets()
    j5 = next(t for t in tickets if t["ticketNumber"] == 12345)
    j5["history"][-1]["attachments"] = [{"attachmentId": SEED_ATTACHMENT_ID, "filename": SEED_ATTACHMENT[0]}]
    photo = {
        "attachmentId": SEED_ATTACHMENT_ID,
        "filename": SEED_ATTACHMENT[0],
        "contentType": SEED_ATTACHMENT[1],
        "data": base64.b64encode(SEED_ATTACHMENT[2]).decode("ascii"),
    }
    return {TICKETS: tickets, ATTACHMENTS: [photo]}


def load(data: dict[str, Any], store: Store) -> None:
    """``rootcause_tickets``: a list of tickets in the wire format (``assignee`` included)."""
    load_each(data, "rootcause_tickets", store, TICKETS, _loaded_ticket)


def _loaded_ticket(i: int, t: Any) -> dict[str, Any]:
    where = f"ticket #{i} in the simulator data"
    data_item("ticket", i, t, "subject")
    if t.get("status", OPEN) not in STATUSES or t.get("priority", 1) not in PRIORITIES:
        raise DataError(f"{where} has an unknown status or priority")
    number = t.get("ticketNumber", i + 1)
    ticket = {
        "ticketId": str(uuid.uuid5(_NS, str(number))),
        "ticketNumber": number,
        "status": OPEN,
        "priority": 1,
        "owner": DEFAULT_USER,
        "assignee": None,
        "createdUtc": iso(now()),
        "tags": [],
        "history": [],
        **t,
    }
    ticket["updatedUtc"] = ticket.get("updatedUtc") or ticket["createdUtc"]
    ticket.setdefault("followers", [ticket["owner"]])
    return ticket


def public_ticket(t: dict[str, Any]) -> dict[str, Any]:
    """A ticket as the server answers it: without the assignee (the server's known issue)."""
    out = {k: v for k, v in t.items() if k not in _INTERNAL}
    out["assignee"] = None
    return out


def _find(store: Store, ticket_id: Any) -> dict[str, Any] | None:
    return next((t for t in store.collection(TICKETS) if same(t["ticketId"], ticket_id)), None)


def _visible(t: dict[str, Any], view: int, user: str) -> bool:
    if view == ALL:
        return True
    if view == ASSIGNED:
        return same(t.get("assignee") or "", user)
    return any(same(f, user) for f in t.get("followers", []))


def _matches(t: dict[str, Any], search: str | None) -> bool:
    if not search:
        return True
    needle = search.casefold()
    texts = [t.get("subject") or ""]
    for tag in t.get("tags") or []:
        texts += [str(tag.get("key") or ""), str(tag.get("value") or "")]
    return any(needle in text.casefold() for text in texts)


def _get_tickets(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    flags, view = params["status"], params["view"]
    if not 0 < flags <= sum(STATUSES):
        return error(400, f"The status '{flags}' is not valid.")
    if view not in (ASSIGNED, FOLLOWING, ALL):
        return error(400, f"The view '{view}' is not valid.")
    user = caller(req, DEFAULT_USER)
    with sim.store.lock:
        found = [
            public_ticket(t)
            for t in sim.store.collection(TICKETS)
            if t["status"] & flags and _visible(t, view, user) and _matches(t, params.get("searchString"))
        ]
    return 200, sorted(found, key=lambda t: t["ticketNumber"])


def _get_ticket(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return found(_find(sim.store, params["ticketId"]), "Ticket", params["ticketId"], public_ticket)


def _ticket_body(req: SimRequest, *, creating: bool) -> dict[str, Any] | tuple[int, Any]:
    """The ticket ``req`` sends, or the 400 answer saying what is wrong with it."""
    body = req.json()
    problem = _check(body, creating=creating)
    return error(400, problem) if problem else body


def _check(body: Any, *, creating: bool) -> str | None:
    """What is wrong with a ticket body, if anything."""
    if not isinstance(body, dict):
        return "The ticket must be a JSON object."
    if creating and not (isinstance(body.get("subject"), str) and body["subject"].strip()):
        return "A ticket must have a subject."
    if "subject" in body and body["subject"] is not None and not isinstance(body["subject"], str):
        return "The subject must be a string."
    if body.get("status") is not None and body["status"] not in STATUSES:
        return f"The status '{body['status']}' is not valid."
    if body.get("priority") is not None and body["priority"] not in PRIORITIES:
        return f"The priority '{body['priority']}' is not valid."
    if body.get("assignee") is not None and not isinstance(body["assignee"], str):
        return "The assignee must be a user name."
    tags = body.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(x, dict) and x.get("key") for x in tags)):
        return "Tags must be a list of {key, value}."
    update = body.get("update")
    if update is not None and not (isinstance(update, dict) and isinstance(update.get("content", ""), str | None)):
        return "The update must be an object with a text content."
    return None


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    said = []
    if old.get("status") != new.get("status"):
        said.append(f"Status: {_STATUS_NAMES[old['status']]} -> {_STATUS_NAMES[new['status']]}")
    if old.get("priority") != new.get("priority"):
        said.append(f"Priority: {_PRIORITY_NAMES[old['priority']]} -> {_PRIORITY_NAMES[new['priority']]}")
    if (old.get("assignee") or None) != (new.get("assignee") or None):
        said.append(f"Assignee: {old.get('assignee') or '(none)'} -> {new.get('assignee') or '(none)'}")
    if old.get("subject") != new.get("subject"):
        said.append(f"Subject: {new.get('subject')}")
    return said


def _post_ticket(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = _ticket_body(req, creating=True)
    if isinstance(body, tuple):
        return body
    user, moment = caller(req, DEFAULT_USER), now()
    status = body.get("status") or OPEN
    assignee = body.get("assignee") or None
    if assignee is None and status != OPEN:
        return error(400, "Unassigned tickets must have status 'new'.")
    with sim.store.lock:
        tickets = sim.store.collection(TICKETS)
        number = max((t["ticketNumber"] for t in tickets), default=0) + 1
        update = body.get("update") or {}
        history = [_update(update["content"], user, moment)] if update.get("content") else []
        ticket = {
            "ticketId": str(uuid.uuid4()),
            "ticketNumber": number,
            "progress": body.get("progress"),
            "owner": user,
            "assignee": assignee,
            "subject": body["subject"].strip(),
            "status": status,
            "priority": body["priority"] if body.get("priority") is not None else 1,
            "reportUuid": body.get("reportUuid"),
            "createdUtc": iso(moment),
            "updatedUtc": iso(moment),
            "team": body.get("team"),
            "origin": body.get("origin") or "API",
            "tags": [{"key": x["key"], "value": x.get("value"), "change": 0} for x in body.get("tags") or []],
            "history": history,
            "followers": [user] + ([assignee] if assignee and not same(assignee, user) else []),
        }
        tickets.append(ticket)
        return 200, public_ticket(ticket)


def _update_files(store: Store, given: Any) -> list[dict[str, Any]] | str:
    """An update's ``attachments``, each naming an uploaded attachment; or why they are refused."""
    if not given:
        return []
    if not isinstance(given, list):
        return "'attachments' must be a list."
    known = {fold(a["attachmentId"]): a for a in store.collection(ATTACHMENTS)}
    files = []
    for item in given:
        key = fold(item.get("attachmentId") if isinstance(item, dict) else "")
        if key not in known:
            return f"Attachment '{key}' was not uploaded (POST /api/RootCause/Attachment first)."
        files.append({"attachmentId": key, "filename": item.get("filename") or known[key]["filename"]})
    return files


def _put_ticket(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = _ticket_body(req, creating=False)
    if isinstance(body, tuple):
        return body
    if not body.get("ticketId"):
        return error(400, "The ticket to update must have a ticketId.")
    user, moment = caller(req, DEFAULT_USER), now()
    with sim.store.lock:
        ticket = _find(sim.store, body["ticketId"])
        if ticket is None:
            return not_found("Ticket", body["ticketId"])
        if ticket["status"] == ARCHIVED:
            return error(400, "Archived tickets cannot be changed.")
        new = dict(ticket)
        for name in _EDITABLE:
            if body.get(name) is not None:
                new[name] = body[name]
        # what the server does with the assignee it did not send: no assignee means unassigned
        new["assignee"] = body.get("assignee") or None
        if new["assignee"] is None and new["status"] != OPEN:
            return error(400, "Unassigned tickets must have status 'new'.")
        if new["status"] == ARCHIVED:
            return error(400, "Use ArchiveTickets to archive a ticket.")
        history = list(ticket.get("history") or [])
        said = _changes(ticket, new)
        if said:
            history.append(_update("; ".join(said), user, moment, PROPERTIES))
        update = body.get("update") or {}
        files = _update_files(sim.store, update.get("attachments"))
        if isinstance(files, str):
            return error(400, files)
        if update.get("content") or files:
            history.append({**_update(update.get("content") or "", user, moment), "attachments": files})
        new["history"] = history
        new["updatedUtc"] = iso(moment)
        if new["assignee"] and not any(same(f, new["assignee"]) for f in new["followers"]):
            new["followers"] = [*new["followers"], new["assignee"]]
        ticket.clear()
        ticket.update(new)
        return 200, public_ticket(ticket)


def _archive(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    ids = req.json()
    if not isinstance(ids, list) or not ids:
        return error(400, "Give the ids of the tickets to archive.")
    with sim.store.lock:
        found = []
        for ticket_id in ids:
            ticket = _find(sim.store, ticket_id)
            if ticket is None:
                return not_found("Ticket", ticket_id)
            if ticket["status"] != SOLVED:
                return error(400, f"Only Solved tickets can be archived; ticket {ticket['ticketNumber']} is not.")
            found.append(ticket)
        for ticket in found:
            ticket["status"] = ARCHIVED
            ticket["updatedUtc"] = iso(now())
        return 200, public_ticket(found[-1])


def _post_attachment(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    parts = multipart_files(req)
    if parts is None:
        return error(415, "The attachment must be sent as multipart/form-data.")
    found = next(((n, t, c) for n, t, c in parts if n), None)
    if found is None:
        return error(400, "The request has no file part (a part with a filename).")
    name, content_type, content = found
    attachment_id = str(uuid.uuid4())
    item = {
        "attachmentId": attachment_id,
        "filename": name,
        "contentType": content_type,
        "data": base64.b64encode(content).decode("ascii"),
    }
    with sim.store.lock:
        sim.store.collection(ATTACHMENTS).append(item)
    return 200, attachment_id


def _get_attachment(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    wanted = params["attachmentId"]
    with sim.store.lock:
        item = next((a for a in sim.store.collection(ATTACHMENTS) if same(a["attachmentId"], wanted)), None)
        if item is None:
            return not_found("Attachment", params["attachmentId"])
        content, content_type = base64.b64decode(item["data"]), str(item["contentType"])
    file_name = params.get("fileName")
    headers = {"Content-Disposition": content_disposition(str(file_name))} if file_name else {}
    return 200, Raw(content, content_type, headers)


ROUTES: dict[str, Handler] = {
    "GET /api/RootCause/Tickets": _get_tickets,
    "GET /api/RootCause/Ticket": _get_ticket,
    "POST /api/RootCause/Ticket": _post_ticket,
    "PUT /api/RootCause/Ticket": _put_ticket,
    "POST /api/RootCause/ArchiveTickets": _archive,
    "POST /api/RootCause/Attachment": _post_attachment,
    "GET /api/RootCause/Attachment": _get_attachment,
}
