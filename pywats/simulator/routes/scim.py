"""The SCIM domain: provisioning token and SCIM 2.0 users (list with paging and a userName filter,
get by id or user name, create, PatchOp ``replace``, delete).

Users are stored as SCIM resources. As WATS documents it, PATCH accepts only ``replace`` on the
paths ``fullName`` (the display name), ``givenName``, ``familyName``, ``email``, ``roles``,
``active``, ``levels`` and ``productGroups``; anything else is a 400.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ..common import data_item, found, iso, load_each, not_found, now, same
from ..store import Store
from ..wire import Handler, Server, SimRequest, error
from ._odata import Entity, ODataError, compile_filter

USERS = "scim_users"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
_STRINGS = ("fullName", "givenName", "familyName", "email", "roles")
_MULTI = ("levels", "productGroups")
PATHS = (*_STRINGS, "active", *_MULTI)
ROLES = ("Administrator", "Operator", "Engineer", "Viewer")
_MAX_TOKEN_DAYS = 36_500  # a longer duration has no expiry date the server can write
_NS = uuid.UUID("3d0c9b7e-2a41-4f0b-8e7e-6f4a1c2d3e4f")
# user name, given, family, active; the first has a fixed id, so that examples can name it
_SEED = [
    ("a1b2c3d4-e5f6-7890-abcd-ef1234567890", "ada.lovelace@example.com", "Ada", "Lovelace", True),
    *(
        (str(uuid.uuid5(_NS, f"user{i}")), f"operator{i:02d}@example.com", "Operator", f"{i:02d}", i % 5 != 0)
        for i in range(1, 12)
    ),
]


def _user(user_id: str, user_name: str, given: str | None, family: str | None, active: bool) -> dict[str, Any]:
    full = " ".join(p for p in (given, family) if p) or user_name
    moment = iso(now())
    return {
        "schemas": [USER_SCHEMA],
        "id": user_id,
        "userName": user_name,
        "displayName": full,
        "active": active,
        "externalId": None,
        "name": {"formatted": full, "givenName": given, "familyName": family},
        "emails": [{"value": user_name, "type": "work", "primary": True}] if "@" in user_name else [],
        "roles": ["Operator"],
        "meta": {
            "resourceType": "User",
            "created": moment,
            "lastModified": moment,
            "location": f"/api/SCIM/v2/Users/{user_id}",
        },
    }


def seed() -> dict[str, list[dict[str, Any]]]:
    return {USERS: [_user(*row) for row in _SEED]}


def load(data: dict[str, Any], store: Store) -> None:
    """``scim_users``: a list of SCIM user resources (``userName`` required, ``id`` a GUID or generated)."""
    load_each(data, "scim_users", store, USERS, _loaded_user)


def _loaded_user(i: int, u: Any) -> dict[str, Any]:
    data_item("SCIM user", i, u, "userName")
    name = u.get("name") or {}
    base = _user(str(u.get("id") or uuid.uuid4()), u["userName"], name.get("givenName"), name.get("familyName"), True)
    return {**base, **u, "id": base["id"]}


def _by(store: Store, key: str, value: str) -> dict[str, Any] | None:
    return next((u for u in store.collection(USERS) if same(u.get(key) or "", value)), None)


def _token(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    days = params.get("duration")
    days = 90 if days is None else days
    if not 1 <= days <= _MAX_TOKEN_DAYS:
        return error(400, f"The duration must be from 1 to {_MAX_TOKEN_DAYS} days.")
    expires = now() + timedelta(days=days)

    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    jwt = ".".join(
        (
            part({"alg": "HS256", "typ": "JWT"}),
            part({"aud": "scim", "exp": int(expires.timestamp())}),
            secrets.token_urlsafe(32),
        )
    )
    return 200, {"token": jwt, "expiresUtc": iso(expires), "durationDays": days}


# The SCIM filters the server takes: comparisons of these attributes (RFC 7644 3.4.2.2), text
# compared without case; evaluated by the simulator's one filter evaluator.
_FILTERABLE = Entity("User", dict.fromkeys(("userName", "externalId", "displayName"), "string"))
_SCIM_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _scim_filter(text: str) -> Callable[[dict[str, Any]], Any]:
    """The SCIM filter as a predicate (its ``"..."`` literals read as the evaluator's ``'...'``)."""
    odata = _SCIM_STRING.sub(lambda m: "'" + m.group(1).replace('\\"', '"').replace("'", "''") + "'", text)
    return compile_filter(odata, _FILTERABLE)


def _list(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    start = params.get("startIndex") or 1
    count = params.get("count")
    if start < 1:
        start = 1  # RFC 7644 3.4.2.4: a startIndex below 1 is read as 1
    if count is not None and count < 0:
        count = 0
    with sim.store.lock:
        users = list(sim.store.collection(USERS))
    text = params.get("filter")
    if text:
        try:
            predicate = _scim_filter(text)
        except ODataError:
            return error(
                400, f"The filter '{text}' is not supported; use userName eq \"...\".", scimType="invalidFilter"
            )
        users = [u for u in users if predicate(u)]
    page = users[start - 1 :] if count is None else users[start - 1 : start - 1 + count]
    return 200, {
        "schemas": [LIST_SCHEMA],
        "totalResults": len(users),
        "itemsPerPage": len(page),
        "startIndex": start,
        "Resources": page,
    }


def _get(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return found(_by(sim.store, "id", str(params["id"])), "User", params["id"])


def _get_by_name(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return found(_by(sim.store, "userName", params["userName"]), "User", params["userName"])


def _create(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("userName"), str) or not body["userName"].strip():
        return error(400, "A user must have a userName.")
    if body.get("active") is not None and not isinstance(body["active"], bool):
        return error(400, "active must be true or false.")
    name: dict[str, Any] = body["name"] if isinstance(body.get("name"), dict) else {}
    with sim.store.lock:
        if _by(sim.store, "userName", body["userName"]):
            return error(409, f"A user named '{body['userName']}' already exists.", scimType="uniqueness")
        user = _user(str(uuid.uuid4()), body["userName"].strip(), name.get("givenName"), name.get("familyName"), True)
        for key in ("displayName", "externalId", "emails"):
            if body.get(key) is not None:
                user[key] = body[key]
        if body.get("displayName"):
            user["name"]["formatted"] = body["displayName"]
        if body.get("active") is not None:
            user["active"] = body["active"]
        sim.store.collection(USERS).append(user)
        return 200, user


def _apply(user: dict[str, Any], path: str, value: Any) -> str | None:
    """Apply one replace; what is wrong with it, if anything."""
    if path == "active":
        if not isinstance(value, bool):
            return "active must be a boolean."
        user["active"] = value
        return None
    if not isinstance(value, str):
        return f"{path} must be a string."
    if path == "fullName":
        user["displayName"] = user["name"]["formatted"] = value
    elif path in ("givenName", "familyName"):
        user["name"][path] = value
    elif path == "email":
        user["emails"] = [{"value": value, "type": "work", "primary": True}]
    elif path == "roles":
        if value not in ROLES:
            return f"The role '{value}' was not found."
        user["roles"] = [value]
    else:  # levels, productGroups: add restrictions only
        user[path] = sorted(set(user.get(path) or []) | {v for v in value.split(";") if v})
    return None


def _patch(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    ops = body.get("Operations") if isinstance(body, dict) else None
    if (
        not isinstance(body, dict)
        or PATCH_SCHEMA not in (body.get("schemas") or [])
        or not isinstance(ops, list)
        or not ops
    ):
        return error(400, "The body must be a SCIM PatchOp with schemas and Operations.")
    with sim.store.lock:
        user = _by(sim.store, "id", params["id"])
        if user is None:
            return not_found("User", params["id"])
        changed = json.loads(json.dumps(user))
        for op in ops:
            if not isinstance(op, dict) or not same(op.get("op", ""), "replace"):
                return error(400, "Only the 'replace' operation is supported.", scimType="invalidSyntax")
            if op.get("path") not in PATHS:
                return error(
                    400,
                    f"The path '{op.get('path')}' is not supported; use one of {list(PATHS)}.",
                    scimType="invalidPath",
                )
            problem = _apply(changed, op["path"], op.get("value"))
            if problem:
                return error(400, problem, scimType="invalidValue")
        changed["meta"]["lastModified"] = iso(now())
        user.clear()
        user.update(changed)
        return 200, user


def _delete(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        users = sim.store.collection(USERS)
        user = _by(sim.store, "id", params["id"])
        if user is None:
            return not_found("User", params["id"])
        users.remove(user)
        return 200, {}


ROUTES: dict[str, Handler] = {
    "GET /api/SCIM/v2/Token": _token,
    "GET /api/SCIM/v2/Users": _list,
    "POST /api/SCIM/v2/Users": _create,
    "GET /api/SCIM/v2/Users/{id}": _get,
    "GET /api/SCIM/v2/Users/userName={userName}": _get_by_name,
    "PATCH /api/SCIM/v2/Users/{id}": _patch,
    "DELETE /api/SCIM/v2/Users/{id}": _delete,
}
