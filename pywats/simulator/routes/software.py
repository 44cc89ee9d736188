"""The Software domain: packages, their status life cycle, files (zip upload), tags and virtual folders.

Packages are stored in the public API's wire format (camelCase). The rules are the ones the WATS
documents state: a new package of an existing name gets the next version, in Draft; status moves
Draft → Pending, Pending → Draft or Released, Released → Revoked (anything else is 400); only a
Draft package's details can be edited (Pending and Released take status and tags only); only
Draft or Revoked packages can be deleted. A zip upload (``multipart/form-data`` with an
``application/zip`` part) may not hold files at its root; its files go in the package's folders.
The internal package view lists each file with its SHA-1 checksum, and ``DownloadFile`` serves its bytes
(what a station's software client downloads).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import uuid
import zipfile
from datetime import timedelta
from typing import Any

from ..common import caller, content_disposition, data_item, fold, iso, load_each, multipart_files, now, same
from ..store import Store
from ..wire import DataError, Handler, Raw, Server, SimRequest, error

PACKAGES = "software_packages"
FILES = "software_files"
FOLDERS = "software_folders"
# the folders inside packages (the internal API's package folders); a file names its folder by path
PACKAGE_FOLDERS = "software_package_folders"
DOWNLOADS = "software_downloads"
CLIENTS = "software_clients"
# who a change is stamped with when the request's credential names no user
UNKNOWN_USER = "unknown"
_NS = uuid.UUID("5d0c7a8e-2b1f-4c3a-9e6d-7f8a9b0c1d2e")
STATUSES = ("Draft", "Pending", "Released", "Revoked")
# the moves the server allows; any other is refused with 400
TRANSITIONS = {"Draft": {"Pending"}, "Pending": {"Draft", "Released"}, "Released": {"Revoked"}, "Revoked": set()}
ATTRIBUTES = (
    "None", "ExecuteOnce", "ExecuteAlways", "TopLevelFile", "OverwriteNever", "OverwriteOnNewPackageVersion",
    "ExecuteOncePerVersion",
)  # fmt: skip
_PACKAGE_FIELDS = (
    "packageId", "name", "installOnRoot", "version", "description", "rootDirectory", "tags", "modified",
    "modifiedBy", "status", "priority", "virtualFolderId", "created", "createdBy", "released", "releasedBy",
    "revoked", "revokedBy",
)  # fmt: skip
# what a Draft package's PUT may change (status and tags are handled apart)
_EDITABLE = ("name", "installOnRoot", "description", "rootDirectory", "priority", "virtualFolderId")
_FILE_FIELDS = ("packageFileId", "name", "packageFolderName", "attributes", "Description")


def _uid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


# -- seed ------------------------------------------------------------------------------------------

# name, parent name
_SEED_FOLDERS = [("Firmware", None), ("Stable", "Firmware"), ("Beta", "Firmware"), ("Test Software", None)]
# name, version, status, folder, description, days ago, tags, files (folder/name)
_SEED_PACKAGES: list[tuple[str, int, str, str | None, str, int, dict[str, str], list[str]]] = [
    ("FirmwareUpdate", 1, "Revoked", "Stable", "Widget firmware 1.0", 400, {"product": "WIDGET-001"},
     ["Firmware/widget_fw.bin"]),
    ("FirmwareUpdate", 2, "Released", "Stable", "Widget firmware 2.0", 120,
     {"product": "WIDGET-001", "type": "firmware"}, ["Firmware/widget_fw.bin", "Firmware/install.bat"]),
    ("FirmwareUpdate", 3, "Draft", "Beta", "Widget firmware 2.1 (beta)", 10,
     {"product": "WIDGET-001", "type": "firmware"}, ["Firmware/widget_fw.bin"]),
    ("TestSequence", 1, "Released", "Test Software", "TestStand sequence for the widget", 60,
     {"product": "WIDGET-001", "type": "test-sequence"}, ["Sequences/widget_test.seq"]),
    ("CalibrationTool", 1, "Pending", None, "Gadget calibration utility", 20, {"product": "GADGET-002"}, []),
    ("DiagnosticsSuite", 1, "Draft", "Test Software", "Station diagnostics (work in progress)", 150, {}, []),
]  # fmt: skip


def _seed_folders() -> list[dict[str, Any]]:
    return [
        {
            "id": _uid("folder", name),
            "parentId": _uid("folder", parent) if parent else None,
            "name": name,
            "description": f"{name} packages",
        }
        for name, parent in _SEED_FOLDERS
    ]


def seed() -> dict[str, list[dict[str, Any]]]:
    """Folders Firmware (Stable, Beta) and Test Software; FirmwareUpdate v1-v3 and a few others."""
    moment = now()
    packages, files = [], []
    for name, version, status, folder, description, days, tags, paths in _SEED_PACKAGES:
        created = iso(moment - timedelta(days=days))
        package_id = _uid("package", f"{name}:{version}")
        package = {k: None for k in _PACKAGE_FIELDS} | {
            "packageId": package_id,
            "name": name,
            "version": version,
            "status": status,
            "description": description,
            "installOnRoot": False,
            "rootDirectory": "C:\\WATS\\Software",
            "priority": 0,
            "virtualFolderId": _uid("folder", folder) if folder else None,
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
            "created": created,
            "createdBy": "admin",
            "modified": created,
            "modifiedBy": "admin",
        }
        if status in ("Released", "Revoked"):
            package |= {"released": iso(moment - timedelta(days=days - 1)), "releasedBy": "admin"}
        if status == "Revoked":
            package |= {"revoked": iso(moment - timedelta(days=days // 2)), "revokedBy": "admin"}
        packages.append(package)
        for path in paths:
            folder_name, _, file_name = path.rpartition("/")
            files.append(_file_row(package_id, folder_name, file_name, 1024 * (len(path) + version)))
    return {FOLDERS: _seed_folders(), PACKAGES: packages, FILES: files}


def _file_row(package_id: str, folder: str, name: str, size: int, content: bytes | None = None) -> dict[str, Any]:
    if content is None:  # seeded files: stable bytes of the seeded size
        content = (f"{folder}/{name} of package {package_id}\n".encode() * (size // 16 + 1))[:size]
    return {
        "packageFileId": _uid("file", f"{package_id}/{folder}/{name}"),
        "packageId": package_id,
        "name": name,
        "packageFolderName": folder,
        "attributes": "None",
        "Description": None,
        "size": len(content),
        "content": content,
        # the internal API's file checksum (WATS uses SHA-1 or MD5, by its storage setting)
        "checksum": hashlib.sha1(content).hexdigest(),
    }


def load(data: dict[str, Any], store: Store) -> None:
    """``softwarePackages``: a list as ``GET /api/Software/Packages`` gives it (each needs a name)."""
    if load_each(data, "softwarePackages", store, PACKAGES, _loaded_package):
        store.seed(FILES, [])
        store.seed(PACKAGE_FOLDERS, [])


def _loaded_package(i: int, item: Any) -> dict[str, Any]:
    data_item("software package", i, item, "name")
    status = _status_name(item.get("status", "Draft"))
    if status is None:
        raise DataError(f"software package #{i} in the simulator data has an unknown status {item['status']!r}")
    version = item.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DataError(f"software package #{i} in the simulator data has a bad version {version!r}")
    base = {k: None for k in _PACKAGE_FIELDS} | {"tags": [], "version": version}
    package: dict[str, Any] = base | item | {"status": status}
    package["packageId"] = str(item.get("packageId") or _uid("package", f"{item['name']}:{version}"))
    return package


# -- helpers ---------------------------------------------------------------------------------------


def _status_name(value: Any) -> str | None:
    if isinstance(value, str):
        return next((s for s in STATUSES if same(s, value)), None)
    return None


def _bad_status(value: Any) -> tuple[int, Any]:
    return error(400, f"'{value}' is not a valid status. Supported values: {', '.join(STATUSES)}.")


def _find(store: Store, package_id: str) -> dict[str, Any] | None:
    return next((p for p in store.collection(PACKAGES) if same(p["packageId"], package_id)), None)


def _not_found(package_id: str) -> tuple[int, Any]:
    return error(404, f"Software package '{package_id}' was not found.")


def _public(package: dict[str, Any]) -> dict[str, Any]:
    return {k: package.get(k) for k in _PACKAGE_FIELDS} | {k: v for k, v in package.items() if k not in _PACKAGE_FIELDS}


def _public_file(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in _FILE_FIELDS}


def _ordered(packages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(packages, key=lambda p: (fold(p["name"]), p["version"]))


def _check_tags(tags: Any) -> str | None:
    """The problem with a body's tags, or None."""
    if tags is None:
        return None
    if not isinstance(tags, list):
        return 'Tags must be a list of {"key": ..., "value": ...} pairs.'
    for tag in tags:
        if not isinstance(tag, dict) or not isinstance(tag.get("key"), str) or not tag["key"].strip():
            return "Every tag needs a 'key'."
        if tag.get("value") is not None and not isinstance(tag["value"], str):
            return f"The value of tag '{tag['key']}' must be a string."
    return None


def _check_fields(store: Store, body: dict[str, Any]) -> str | None:
    folder = body.get("virtualFolderId")
    if folder is not None and not any(same(f["id"], folder) for f in store.collection(FOLDERS)):
        return f"Virtual folder '{folder}' does not exist."
    priority = body.get("priority")
    if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
        return f"The value '{priority}' is not valid for priority."
    for key in ("name", "description", "rootDirectory"):
        if body.get(key) is not None and not isinstance(body[key], str):
            return f"The value '{body[key]}' is not valid for {key}."
    if body.get("installOnRoot") is not None and not isinstance(body["installOnRoot"], bool):
        return f"The value '{body['installOnRoot']}' is not valid for installOnRoot."
    return _check_tags(body.get("tags"))


def _move(package: dict[str, Any], status: str, user: str) -> None:
    """Apply a status change the caller has checked against ``TRANSITIONS``, stamping who and when."""
    if status == package["status"]:
        return
    moment = iso(now())
    package["status"] = status
    if status == "Released":
        package["released"], package["releasedBy"] = moment, user
    elif status == "Revoked":
        package["revoked"], package["revokedBy"] = moment, user
    package["modified"], package["modifiedBy"] = moment, user


# -- handlers --------------------------------------------------------------------------------------


def _get_packages(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return 200, [_public(p) for p in _ordered(sim.store.collection(PACKAGES))]


def _get_package(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        return _not_found(params["id"]) if package is None else (200, _public(package))


def _get_by_name(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    status = _status_name(params["status"])
    if status is None:
        return _bad_status(params["status"])
    with sim.store.lock:
        found = [
            p for p in sim.store.collection(PACKAGES)
            if same(p["name"], params["name"]) and p["status"] == status
            and ("version" not in params or p["version"] == params["version"])
        ]  # fmt: skip
        if not found:
            version = f" version {params['version']}" if "version" in params else ""
            return error(404, f"No {status} software package named '{params['name']}'{version} was found.")
        return 200, _public(max(found, key=lambda p: p["version"]))


def _get_by_tag(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    status = _status_name(params["status"])
    if status is None:
        return _bad_status(params["status"])
    tag, sep, value = params["tag"].partition("=")
    if not sep or not tag:
        return error(400, f"'{params['tag']}' is not a valid tag filter. Use 'tagName=tagValue'.")
    with sim.store.lock:
        found = [
            p for p in sim.store.collection(PACKAGES)
            if p["status"] == status
            and any(t.get("key") == tag and same(t.get("value") or "", value) for t in p["tags"] or [])
        ]  # fmt: skip
        return 200, [_public(p) for p in _ordered(found)]


def _get_files(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        if package is None:
            return _not_found(params["id"])
        rows = [r for r in sim.store.collection(FILES) if r["packageId"] == package["packageId"]]
        rows.sort(key=lambda r: (fold(r["packageFolderName"]), fold(r["name"])))
        return 200, [_public_file(r) for r in rows]


def _get_folders(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return 200, [dict(f) for f in sim.store.collection(FOLDERS)]


def _post_package(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"].strip():
        return error(400, "The Name field is required.")
    user = caller(req, UNKNOWN_USER)
    with sim.store.lock:
        problem = _check_fields(sim.store, body)
        if problem:
            return error(400, problem)
        packages = sim.store.collection(PACKAGES)
        name = body["name"].strip()
        versions = [p["version"] for p in packages if same(p["name"], name)]
        moment = iso(now())
        package = {k: None for k in _PACKAGE_FIELDS} | {k: body[k] for k in _EDITABLE if k in body}
        package |= {
            "packageId": str(uuid.uuid4()),
            "name": name,
            "version": max(versions, default=0) + 1,
            "status": "Draft",
            "installOnRoot": bool(body.get("installOnRoot") or False),
            "priority": body.get("priority") or 0,
            "tags": [{"key": t["key"], "value": t.get("value")} for t in body.get("tags") or []],
            "created": moment,
            "createdBy": user,
            "modified": moment,
            "modifiedBy": user,
        }
        packages.append(package)
        return 200, _public(package)


def _put_package(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict):
        return error(400, "The package is required.")
    user = caller(req, UNKNOWN_USER)
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        if package is None:
            return _not_found(params["id"])
        if body.get("packageId") is not None and not same(body["packageId"], package["packageId"]):
            return error(400, "The packageId in the body does not match the id in the URL.")
        problem = _check_fields(sim.store, body)
        if problem:
            return error(400, problem)
        status = package["status"]
        if "status" in body and body["status"] is not None:
            status = _status_name(body["status"])
            if status is None:
                return _bad_status(body["status"])
        changes = {k: body[k] for k in _EDITABLE if k in body and body[k] != package.get(k)}
        if changes and package["status"] != "Draft":
            return error(
                400,
                f"Package is {package['status']}: only Status and Tags can be edited "
                f"(tried to change {', '.join(sorted(changes))}).",
            )
        if "name" in changes and not str(changes["name"]).strip():
            return error(400, "The Name field is required.")
        if status != package["status"] and status not in TRANSITIONS[package["status"]]:
            return error(400, _refusal(package["status"], status))
        package |= changes
        if "tags" in body and body["tags"] is not None:
            package["tags"] = [{"key": t["key"], "value": t.get("value")} for t in body["tags"]]
        package["modified"], package["modifiedBy"] = iso(now()), user
        _move(package, status, user)
        return 200, {}


def _refusal(current: str, status: str) -> str:
    return (
        f"Status cannot change from {current} to {status}. "
        "Allowed: Draft to Pending, Pending to Draft or Released, Released to Revoked."
    )


def _post_status(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    status = _status_name(params["status"])
    if status is None:
        return _bad_status(params["status"])
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        if package is None:
            return _not_found(params["id"])
        if status == package["status"] or status not in TRANSITIONS[package["status"]]:
            return error(400, _refusal(package["status"], status))
        _move(package, status, caller(req, UNKNOWN_USER))
        return 200, _public(package)


def _remove(store: Store, package: dict[str, Any]) -> tuple[int, Any]:
    if package["status"] not in ("Draft", "Revoked"):
        return error(400, f"Package is {package['status']}: only Draft or Revoked software packages can be deleted.")
    store.collection(PACKAGES).remove(package)
    _drop_contents(store, package["packageId"])
    return 200, {}


def _drop_contents(store: Store, package_id: str) -> None:
    """Remove a package's files and folders."""
    for name in (FILES, PACKAGE_FOLDERS):
        rows = store.collection(name)
        rows[:] = [r for r in rows if r["packageId"] != package_id]


def _delete_package(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        return _not_found(params["id"]) if package is None else _remove(sim.store, package)


def _delete_by_name(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        package = next(
            (p for p in sim.store.collection(PACKAGES)
             if same(p["name"], params["name"]) and p["version"] == params["version"]),
            None,
        )  # fmt: skip
        if package is None:
            return error(404, f"Software package '{params['name']}' version {params['version']} was not found.")
        return _remove(sim.store, package)


def _zip_part(req: SimRequest) -> bytes | tuple[int, Any]:
    """The ``application/zip`` part of a ``multipart/form-data`` body, or the error answer."""
    if not req.header("content-type").lower().startswith("multipart/form-data"):
        return error(415, "The zip must be sent as multipart/form-data.")
    for _name, content_type, payload in multipart_files(req) or ():
        if content_type == "application/zip":
            return payload
    return error(400, "The request has no file part with content type application/zip.")


def _upload_zip(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    data = _zip_part(req)
    if isinstance(data, tuple):
        return data
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile:
        return error(400, "The file is not a valid zip archive.")
    at_root = [m.filename for m in members if "/" not in m.filename.strip("/")]
    if at_root:
        return error(400, f"Zip cannot contain files on root; put them in a folder: {', '.join(at_root)}.")
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        if package is None:
            return _not_found(params["id"])
        if package["status"] != "Draft":
            return error(400, f"Package is {package['status']}: files can only be added to a Draft package.")
        files = sim.store.collection(FILES)
        if params.get("cleanInstall"):
            _drop_contents(sim.store, package["packageId"])
        for member in members:
            folder, _, name = member.filename.strip("/").rpartition("/")
            files[:] = [
                r for r in files
                if r["packageId"] != package["packageId"]
                or not (same(r["packageFolderName"], folder) and same(r["name"], name))
            ]  # fmt: skip
            row = _file_row(package["packageId"], folder, name, member.file_size, archive.read(member))
            row["packageFileId"], row["uploaded"] = str(uuid.uuid4()), iso(now())
            files.append(row)
        package["modified"], package["modifiedBy"] = iso(now()), caller(req, UNKNOWN_USER)
        return 200, {}


def _file_attribute(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    attribute = next((a for a in ATTRIBUTES if same(a, params["attribute"])), None)
    if attribute is None:
        return error(
            400, f"'{params['attribute']}' is not a valid attribute. Accepted values: {', '.join(ATTRIBUTES)}."
        )
    with sim.store.lock:
        row = _find_file(sim.store, params["id"])
        if row is None:
            return error(404, f"Software package file '{params['id']}' was not found.")
        row["attributes"] = attribute
        return 200, {}


def _attribute_flags(text: str) -> int:
    """A file's attributes as the internal model's number: one bit per attribute name, in the public order."""
    names = [n.strip() for n in str(text).split(",") if n.strip() and n.strip() != "None"]
    return sum(1 << (i - 1) for i, known in enumerate(ATTRIBUTES) if i and known in names)


def _internal_package(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    """The internal package model: the package with its folder tree, each file with its checksum and size."""
    with sim.store.lock:
        package = _find(sim.store, str(params["packageId"]))
        if package is None:
            return _not_found(str(params["packageId"]))
        root: dict[str, Any] = {"Name": "", "Modified": package.get("modified"), "folders": [], "files": []}
        rows = [r for r in sim.store.collection(FILES) if r["packageId"] == package["packageId"]]
        for row in sorted(rows, key=lambda r: (fold(r["packageFolderName"]), fold(r["name"]))):
            node = root
            for part in [p for p in row["packageFolderName"].split("/") if p]:
                child = next((f for f in node["folders"] if same(f["Name"], part)), None)
                if child is None:
                    child = {"Name": part, "Modified": package.get("modified"), "folders": [], "files": []}
                    node["folders"].append(child)
                node = child
            node["files"].append(
                {
                    "Id": row["packageFileId"],
                    "Attributes": 0 if row["attributes"] in (None, "None") else _attribute_flags(row["attributes"]),
                    "Name": row["name"],
                    "Version": 1,
                    "Description": row.get("Description"),
                    "Valid": True,
                    # a .NET byte[]: base64 in JSON
                    "Checksum": base64.b64encode(bytes.fromhex(row["checksum"])).decode(),
                    "FileSize": row["size"],
                }
            )
        fields = ("Name", "Version", "Description", "RootDirectory", "Tags", "Modified", "Status", "VirtualFolderId",
                  "Priority")  # fmt: skip
        return 200, {"Id": package["packageId"], **_pascal(package, *fields), "rootfolder": root}


def _pascal(package: dict[str, Any], *names: str) -> dict[str, Any]:
    """Package fields as the internal API's models spell them: PascalCase, the status as its number
    (0 Draft ... 3 Revoked) and the tags as text. The documents type Tags as text without saying its
    format: the tag list as JSON text."""
    special = {"Tags": json.dumps(package.get("tags") or []), "Status": STATUSES.index(package["status"])}
    return {n: special[n] if n in special else package.get(n[0].lower() + n[1:]) for n in names}


def _download_file(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        row = _find_file(sim.store, params["repositoryFolderFileId"])
        if row is None:
            return error(404, f"Software file '{params['repositoryFolderFileId']}' was not found.")
        return 200, Raw(
            row["content"],
            "application/octet-stream",
            {"Content-Disposition": content_disposition(row["name"])},
        )


# -- the internal API: package folders, file checks, client queries and the download log ----------------

EMPTY_ID = "00000000-0000-0000-0000-000000000000"
# SoftwareEntity.type: the documents give the numbers 0 and 1 for "a software file or folder", in that order
FILE_ENTITY, FOLDER_ENTITY = 0, 1


def folder_uid(package_id: str, path: str) -> str:
    """The id the simulator gives the folder at ``path`` (``"Firmware"``) that a package's files imply."""
    return _uid("package-folder", f"{package_id}/{fold(path)}")


def _split_path(text: str) -> list[str]:
    return [p.strip() for p in str(text).replace("\\", "/").split("/") if p.strip()]


def _folder_path(by_id: dict[str, dict[str, Any]], row: dict[str, Any]) -> str:
    names: list[str] = []
    node: dict[str, Any] | None = row
    while node is not None and len(names) <= len(by_id):  # bad data with a cycle must not hang
        names.append(node["name"])
        node = by_id.get(node["parentId"]) if node["parentId"] else None
    return "/".join(reversed(names))


def _package_folders(store: Store, package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The package's folders by folded path (:func:`fold`); the folders its files name are made to exist."""
    rows = store.collection(PACKAGE_FOLDERS)
    mine = {r["id"]: r for r in rows if r["packageId"] == package["packageId"]}
    by_path = {fold(_folder_path(mine, r)): r for r in mine.values()}
    for file in store.collection(FILES):
        if file["packageId"] != package["packageId"]:
            continue
        parent: str | None = None
        parts = _split_path(file["packageFolderName"])
        for depth, name in enumerate(parts, 1):
            key = fold("/".join(parts[:depth]))
            if key not in by_path:
                # stable ids for the folders files imply (a renamed folder keeps its id: then a fresh one)
                folder_id = folder_uid(package["packageId"], key)
                if any(r["id"] == folder_id for r in rows):
                    folder_id = str(uuid.uuid4())
                row = {"id": folder_id, "packageId": package["packageId"], "parentId": parent, "name": name,
                       "modified": package.get("modified")}  # fmt: skip
                rows.append(row)
                mine[row["id"]] = by_path[key] = row
            parent = by_path[key]["id"]
    return by_path


def _folder_entity(row: dict[str, Any], path: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": FOLDER_ENTITY,
        "parentId": row["parentId"] or EMPTY_ID,
        "name": row["name"],
        "lastModifiedDate": row.get("modified"),
        "information": path,
    }


def _file_entity(row: dict[str, Any], folder_id: str | None, modified: Any) -> dict[str, Any]:
    return {
        "id": row["packageFileId"],
        "type": FILE_ENTITY,
        "parentId": folder_id or EMPTY_ID,
        "name": row["name"],
        "repositoryVersion": 1,
        "fileSize": row["size"],
        "lastModifiedDate": row.get("uploaded") or modified,
        "uploadedDate": row.get("uploaded") or modified,
        "attributes": _attribute_flags(row["attributes"]),
        "repositoryFolderFileId": row["packageFileId"],
        "valid": True,
        "information": f"{row['packageFolderName']}/{row['name']}",
    }


def _file_entity_of(store: Store, row: dict[str, Any]) -> dict[str, Any]:
    package = _find(store, row["packageId"]) or {}
    folders = _package_folders(store, package) if package else {}
    folder = folders.get(fold(row["packageFolderName"]))
    return _file_entity(row, folder["id"] if folder else None, package.get("modified"))


def _find_file(store: Store, file_id: str) -> dict[str, Any] | None:
    return next((r for r in store.collection(FILES) if same(r["packageFileId"], file_id)), None)


def _file_missing(file_id: Any) -> tuple[int, Any]:
    return error(404, f"Software file '{file_id}' was not found.")


def _is_connected(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    return 200, True


def _get_file_entity(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        row = _find_file(sim.store, params["id"])
        return _file_missing(params["id"]) if row is None else (200, _file_entity_of(sim.store, row))


def _digests(content: bytes) -> set[str]:
    """The spellings of a file's checksum a client may send: SHA-1 or MD5, as hex or base64."""
    found = set()
    for digest in (hashlib.sha1(content).digest(), hashlib.md5(content, usedforsecurity=False).digest()):
        found |= {digest.hex(), fold(base64.b64encode(digest).decode())}
    return found


def _parent_folder(
    store: Store, package: dict[str, Any], folder_id: Any
) -> tuple[dict[str, Any] | None, tuple[int, Any] | None]:
    """The package folder ``folder_id`` names (None: the package's root), or the error answer."""
    if folder_id is None or str(folder_id).strip() in ("", EMPTY_ID):
        return None, None
    folders = _package_folders(store, package)
    row = next((r for r in folders.values() if same(r["id"], folder_id)), None)
    if row is None:
        return None, error(404, f"Package folder '{folder_id}' was not found in package '{package['packageId']}'.")
    return row, None


def _check_file(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    """The file at ``filePath`` under the parent folder, its ``valid`` saying whether ``checksum`` is its checksum."""
    with sim.store.lock:
        package = _find(sim.store, str(params["packageId"]))
        if package is None:
            return _not_found(str(params["packageId"]))
        parent, problem = _parent_folder(sim.store, package, params["parentFolderId"])
        if problem:
            return problem
        by_id = {r["id"]: r for r in sim.store.collection(PACKAGE_FOLDERS) if r["packageId"] == package["packageId"]}
        parts = ([_folder_path(by_id, parent)] if parent else []) + _split_path(params["filePath"])
        if not parts:
            return error(400, "filePath must name a file.")
        folder, name = "/".join(parts[:-1]), parts[-1]
        row = next(
            (r for r in sim.store.collection(FILES)
             if r["packageId"] == package["packageId"] and same(r["packageFolderName"], folder)
             and same(r["name"], name)),
            None,
        )  # fmt: skip
        if row is None:
            return 200, None
        entity = _file_entity_of(sim.store, row)
        entity["valid"] = fold(params["checksum"]) in _digests(row["content"])
        return 200, entity


def _draft(package: dict[str, Any]) -> tuple[int, Any] | None:
    if package["status"] != "Draft":
        return error(400, f"Package is {package['status']}: its folders and files can only change in Draft.")
    return None


def _folder_name(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or any(c in value for c in '/\\:*?"<>|'):
        return None
    return value.strip()


def _clash(by_path: dict[str, dict[str, Any]], parent_path: str, name: str, skip: str | None = None) -> bool:
    key = fold(f"{parent_path}/{name}".strip("/"))
    return key in by_path and by_path[key]["id"] != skip


def _post_package_folder(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict):
        return error(400, "The folder is required.")
    name = _folder_name(body.get("name"))
    if name is None:
        return error(400, f"'{body.get('name')}' is not a valid folder name.")
    if body.get("type") not in (None, FOLDER_ENTITY):
        return error(400, f"A package folder has type {FOLDER_ENTITY}, not {body['type']}.")
    with sim.store.lock:
        package = _find(sim.store, str(params["packageId"]))
        if package is None:
            return _not_found(str(params["packageId"]))
        refusal = _draft(package)
        if refusal:
            return refusal
        parent, problem = _parent_folder(sim.store, package, body.get("parentId"))
        if problem:
            return problem
        by_path = _package_folders(sim.store, package)
        by_id = {r["id"]: r for r in by_path.values()}
        parent_path = _folder_path(by_id, parent) if parent else ""
        if _clash(by_path, parent_path, name):
            return error(400, f"The folder '{parent_path}/{name}' already exists.".replace("'/", "'"))
        moment = iso(now())
        row = {"id": str(uuid.uuid4()), "packageId": package["packageId"], "parentId": parent["id"] if parent else None,
               "name": name, "modified": moment}  # fmt: skip
        sim.store.collection(PACKAGE_FOLDERS).append(row)
        package["modified"], package["modifiedBy"] = moment, caller(req, UNKNOWN_USER)
        return 200, _folder_entity(row, f"{parent_path}/{name}".strip("/"))


def _draft_folder(store: Store, folder_id: Any) -> tuple[dict[str, Any], dict[str, Any]] | tuple[int, Any]:
    """The package folder with this id and its package (which must be Draft), or the error answer."""
    for package in store.collection(PACKAGES):
        for row in _package_folders(store, package).values():
            if same(row["id"], folder_id):
                return _draft(package) or (row, package)
    return error(404, f"Package folder '{folder_id}' was not found.")


def _under(folder: str, path: str) -> bool:
    """Whether the folder path ``folder`` is ``path`` or inside it."""
    return same(folder, path) or fold(folder).startswith(f"{fold(path)}/")


def _update_package_folder(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict) or not body.get("id"):
        return error(400, "The folder's id is required.")
    with sim.store.lock:
        found = _draft_folder(sim.store, body["id"])
        if isinstance(found[0], int):
            return found
        row, package = found
        by_path = _package_folders(sim.store, package)
        by_id = {r["id"]: r for r in by_path.values()}
        old_path = _folder_path(by_id, row)
        name = row["name"] if body.get("name") is None else _folder_name(body["name"])
        if name is None:
            return error(400, f"'{body['name']}' is not a valid folder name.")
        parent = by_id.get(row["parentId"]) if row["parentId"] else None
        if "parentId" in body and body["parentId"] is not None:
            parent, problem = _parent_folder(sim.store, package, body["parentId"])
            if problem:
                return problem
        parent_path = _folder_path(by_id, parent) if parent else ""
        if parent is not None and (parent is row or _under(parent_path, old_path)):
            return error(400, "A folder cannot be moved into itself or into one of its subfolders.")
        if _clash(by_path, parent_path, name, skip=row["id"]):
            return error(400, f"The folder '{parent_path}/{name}' already exists.".replace("'/", "'"))
        new_path = f"{parent_path}/{name}".strip("/")
        row["name"], row["parentId"], row["modified"] = name, parent["id"] if parent else None, iso(now())
        for file in sim.store.collection(FILES):
            folder = file["packageFolderName"]
            if file["packageId"] == package["packageId"] and _under(folder, old_path):
                file["packageFolderName"] = new_path + folder[len(old_path) :]
        package["modified"], package["modifiedBy"] = row["modified"], caller(req, UNKNOWN_USER)
        return 200, _folder_entity(row, new_path)


def _delete_package_folder(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        found = _draft_folder(sim.store, params["packageFolderId"])
        if isinstance(found[0], int):
            return found
        row, package = found
        by_id = {r["id"]: r for r in _package_folders(sim.store, package).values()}
        path = _folder_path(by_id, row)
        folders = sim.store.collection(PACKAGE_FOLDERS)
        gone = {r["id"] for r in by_id.values() if _under(_folder_path(by_id, r), path)}
        folders[:] = [r for r in folders if r["id"] not in gone]
        files = sim.store.collection(FILES)
        files[:] = [
            f for f in files if f["packageId"] != package["packageId"] or not _under(f["packageFolderName"], path)
        ]
        package["modified"], package["modifiedBy"] = iso(now()), caller(req, UNKNOWN_USER)
        return 200, {}


def _id_list(text: str, name: str) -> list[str] | tuple[int, Any]:
    """A comma-separated list of GUIDs, or the error answer."""
    items = [p.strip() for p in str(text).split(",") if p.strip()]
    for item in items:
        try:
            uuid.UUID(item)
        except ValueError:
            return error(400, f"'{item}' in {name} is not a GUID.")
    return [fold(i) for i in items]


def _delete_package_folder_files(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    ids = _id_list(params["packageFolderFileIds"], "packageFolderFileIds")
    if isinstance(ids, tuple):
        return ids
    with sim.store.lock:
        files = sim.store.collection(FILES)
        doomed = [f for f in files if fold(f["packageFileId"]) in ids]
        if not doomed:
            return error(404, "None of the package files was found.")
        for file in doomed:
            package = _find(sim.store, file["packageId"])
            refusal = _draft(package) if package else None
            if refusal:
                return refusal
        files[:] = [f for f in files if f not in doomed]
        return 200, {}


def _dashboard(package: dict[str, Any]) -> dict[str, Any]:
    """A package in the internal API's dashboard model."""
    return _pascal(
        package, "PackageId", "Name", "Version", "Description", "RootDirectory", "Tags", "Modified", "ModifiedBy",
        "Status", "Priority", "VirtualFolderId", "Created", "CreatedBy", "Released", "ReleasedBy", "Revoked",
        "RevokedBy",
    )  # fmt: skip


def _tag_filter(text: str) -> list[tuple[str, str]] | None:
    pairs = []
    for item in str(text).replace(";", ",").split(","):
        if not item.strip():
            continue
        tag, sep, value = item.partition("=")
        if not sep or not tag.strip():
            return None
        pairs.append((tag.strip(), value.strip()))
    return pairs or None


def _package_history(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    """Packages having every ``tag=value`` of ``tags`` (and ``status``); the highest version of each name
    unless ``allVersions``."""
    pairs = _tag_filter(params["tags"])
    if pairs is None:
        return error(400, f"'{params['tags']}' is not a valid tag filter. Use 'tag=value', comma-separated.")
    status = params.get("status")
    if status is not None and status not in range(len(STATUSES)):
        return error(400, f"'{status}' is not a valid status: 0 Draft, 1 Pending, 2 Released, 3 Revoked.")
    with sim.store.lock:
        found = [
            p for p in sim.store.collection(PACKAGES)
            if (status is None or p["status"] == STATUSES[status])
            and all(any(t.get("key") == tag and same(t.get("value") or "", value)
                        for t in p["tags"] or []) for tag, value in pairs)
        ]  # fmt: skip
        if not params.get("allVersions"):
            best: dict[str, dict[str, Any]] = {}
            for p in found:
                key = fold(p["name"])
                if key not in best or p["version"] > best[key]["version"]:
                    best[key] = p
            found = list(best.values())
        return 200, [_dashboard(p) for p in _ordered(found)]


def _installed(sim: Server, text: str) -> list[dict[str, Any]] | tuple[int, Any]:
    ids = _id_list(text, "installedPackages")
    if isinstance(ids, tuple):
        return ids
    return [p for p in (_find(sim.store, i) for i in ids) if p is not None]


def _released_after(store: Store, package: dict[str, Any]) -> dict[str, Any] | None:
    """The highest Released version of the package's name above its version."""
    newer = [
        p for p in store.collection(PACKAGES)
        if same(p["name"], package["name"]) and p["status"] == "Released"
        and p["version"] > package["version"]
    ]  # fmt: skip
    return max(newer, key=lambda p: p["version"], default=None)


def _revoked_packages(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        installed = _installed(sim, params["installedPackages"])
        if isinstance(installed, tuple):
            return installed
        revoked = [p for p in installed if p["status"] == "Revoked"]
        if params.get("includeRevokedOnly"):
            revoked = [p for p in revoked if _released_after(sim.store, p) is None]
        return 200, [p["packageId"] for p in revoked]


def _available_packages(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        installed = _installed(sim, params["installedPackages"])
        if isinstance(installed, tuple):
            return installed
        newer: dict[str, dict[str, Any]] = {}
        for package in installed:
            found = _released_after(sim.store, package)
            if found is not None:
                newer[found["packageId"]] = found
        return 200, [_dashboard(p) for p in _ordered(list(newer.values()))]


def _entity_details(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    """The package's folders and files as software entities, by path."""
    with sim.store.lock:
        package = _find(sim.store, str(params["packageId"]))
        if package is None:
            return _not_found(str(params["packageId"]))
        by_path = _package_folders(sim.store, package)
        by_id = {r["id"]: r for r in by_path.values()}
        entities = [_folder_entity(r, _folder_path(by_id, r)) for r in by_path.values()]
        for row in sim.store.collection(FILES):
            if row["packageId"] == package["packageId"]:
                folder = by_path.get(fold(row["packageFolderName"]))
                entities.append(_file_entity(row, folder["id"] if folder else None, package.get("modified")))
        return 200, sorted(entities, key=lambda e: (fold(e["information"]), e["type"]))


def _client_id(store: Store, user: str) -> int:
    """The number the simulator gives the client (account) a request comes from."""
    clients = store.collection(CLIENTS)
    row = next((c for c in clients if same(c["user"], user)), None)
    if row is None:
        row = {"user": user, "clientId": len(clients) + 1}
        clients.append(row)
    return int(row["clientId"])


def _log_download(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    if params["downloadSize"] < 0:
        return error(400, f"downloadSize must be 0 or more, not {params['downloadSize']}.")
    user = caller(req, UNKNOWN_USER)
    with sim.store.lock:
        package = _find(sim.store, str(params["packageId"]))
        if package is None:
            return _not_found(str(params["packageId"]))
        log = sim.store.collection(DOWNLOADS)
        record = {
            "id": len(log) + 1,
            "clientId": _client_id(sim.store, user),
            "user": user,
            "packageId": package["packageId"],
            "packageName": package["name"],
            "packageVersion": package["version"],
            "downloadSize": params["downloadSize"],
            "downloaded": iso(now()),
        }
        log.append(record)
        return 200, dict(record)


def _download_history(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        records = [dict(r) for r in sim.store.collection(DOWNLOADS) if r["clientId"] == params["clientId"]]
        return 200, sorted(records, key=lambda r: r["id"], reverse=True)


ROUTES: dict[str, Handler] = {
    "GET /api/Software/Packages": _get_packages,
    "GET /api/Software/Package/{id}": _get_package,
    "POST /api/Software/Package": _post_package,
    "PUT /api/Software/Package/{id}": _put_package,
    "DELETE /api/Software/Package/{id}": _delete_package,
    "GET /api/Software/PackageByName": _get_by_name,
    "DELETE /api/Software/PackageByName": _delete_by_name,
    "GET /api/Software/PackagesByTag": _get_by_tag,
    "GET /api/Software/PackageFiles/{id}": _get_files,
    "GET /api/Software/VirtualFolders": _get_folders,
    "POST /api/Software/PackageStatus/{id}": _post_status,
    "POST /api/Software/Package/UploadZip/{id}": _upload_zip,
    "POST /api/Software/Package/FileAttribute/{id}": _file_attribute,
    "GET /api/internal/Software/Packages/{packageId}": _internal_package,
    "GET /api/internal/Software/DownloadFile": _download_file,
    "GET /api/internal/Software/isConnected": _is_connected,
    "GET /api/internal/Software/File/{id}": _get_file_entity,
    "GET /api/internal/Software/File": _get_file_entity,
    "GET /api/internal/Software/CheckFile": _check_file,
    "POST /api/internal/Software/PostPackageFolder": _post_package_folder,
    "POST /api/internal/Software/UpdatePackageFolder": _update_package_folder,
    "POST /api/internal/Software/DeletePackageFolder": _delete_package_folder,
    "POST /api/internal/Software/DeletePackageFolderFiles": _delete_package_folder_files,
    "GET /api/internal/Software/GetPackageHistory": _package_history,
    "GET /api/internal/Software/GetRevokedPackages": _revoked_packages,
    "GET /api/internal/Software/GetAvailablePackages": _available_packages,
    "GET /api/internal/Software/GetSoftwareEntityDetails": _entity_details,
    "GET /api/internal/Software/Log": _log_download,
    "GET /api/internal/Software/GetPackageDownloadHistory": _download_history,
}
