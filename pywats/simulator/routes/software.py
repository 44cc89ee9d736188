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
import binascii
import email.parser
import email.policy
import hashlib
import io
import json
import uuid
import zipfile
from datetime import timedelta
from typing import Any

from ..common import content_disposition, iso, now
from ..store import Store
from ..wire import DataError, Handler, Raw, Server, SimRequest, error

PACKAGES = "software_packages"
FILES = "software_files"
FOLDERS = "software_folders"
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


def _user(req: SimRequest) -> str:
    """The account the request authenticated as (the user part of its Basic token)."""
    auth = req.header("authorization")
    token = auth.partition(" ")[2]
    try:
        return base64.b64decode(token, validate=True).decode().split(":", 1)[0] or "unknown"
    except (binascii.Error, UnicodeDecodeError):
        return "unknown"


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
    items = data.get("softwarePackages")
    if items is None:
        return
    if not isinstance(items, list):
        raise DataError("'softwarePackages' in the simulator data must be a list")
    checked = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise DataError(f"software package #{i} in the simulator data needs a 'name' string")
        status = _status_name(item.get("status", "Draft"))
        if status is None:
            raise DataError(f"software package #{i} in the simulator data has an unknown status {item['status']!r}")
        version = item.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise DataError(f"software package #{i} in the simulator data has a bad version {version!r}")
        base = {k: None for k in _PACKAGE_FIELDS} | {"tags": [], "version": version}
        package = base | item | {"status": status}
        package["packageId"] = str(item.get("packageId") or _uid("package", f"{item['name']}:{version}"))
        checked.append(package)
    store.seed(PACKAGES, checked)
    store.seed(FILES, [])


# -- helpers ---------------------------------------------------------------------------------------


def _status_name(value: Any) -> str | None:
    if isinstance(value, str):
        return next((s for s in STATUSES if s.lower() == value.strip().lower()), None)
    return None


def _bad_status(value: Any) -> tuple[int, Any]:
    return error(400, f"'{value}' is not a valid status. Supported values: {', '.join(STATUSES)}.")


def _find(store: Store, package_id: str) -> dict[str, Any] | None:
    key = package_id.strip().lower()
    return next((p for p in store.collection(PACKAGES) if str(p["packageId"]).lower() == key), None)


def _not_found(package_id: str) -> tuple[int, Any]:
    return error(404, f"Software package '{package_id}' was not found.")


def _public(package: dict[str, Any]) -> dict[str, Any]:
    return {k: package.get(k) for k in _PACKAGE_FIELDS} | {k: v for k, v in package.items() if k not in _PACKAGE_FIELDS}


def _public_file(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in _FILE_FIELDS}


def _ordered(packages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(packages, key=lambda p: (str(p["name"]).lower(), p["version"]))


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
    if folder is not None and not any(str(f["id"]).lower() == str(folder).lower() for f in store.collection(FOLDERS)):
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
    name = params["name"].strip().lower()
    with sim.store.lock:
        found = [
            p for p in sim.store.collection(PACKAGES)
            if str(p["name"]).lower() == name and p["status"] == status
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
            and any(t.get("key") == tag and str(t.get("value") or "").lower() == value.lower() for t in p["tags"] or [])
        ]  # fmt: skip
        return 200, [_public(p) for p in _ordered(found)]


def _get_files(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        if package is None:
            return _not_found(params["id"])
        rows = [r for r in sim.store.collection(FILES) if r["packageId"] == package["packageId"]]
        rows.sort(key=lambda r: (r["packageFolderName"].lower(), r["name"].lower()))
        return 200, [_public_file(r) for r in rows]


def _get_folders(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return 200, [dict(f) for f in sim.store.collection(FOLDERS)]


def _post_package(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"].strip():
        return error(400, "The Name field is required.")
    user = _user(req)
    with sim.store.lock:
        problem = _check_fields(sim.store, body)
        if problem:
            return error(400, problem)
        packages = sim.store.collection(PACKAGES)
        name = body["name"].strip()
        versions = [p["version"] for p in packages if str(p["name"]).lower() == name.lower()]
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
    user = _user(req)
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        if package is None:
            return _not_found(params["id"])
        if body.get("packageId") is not None and str(body["packageId"]).lower() != str(package["packageId"]).lower():
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
        _move(package, status, _user(req))
        return 200, _public(package)


def _remove(store: Store, package: dict[str, Any]) -> tuple[int, Any]:
    if package["status"] not in ("Draft", "Revoked"):
        return error(400, f"Package is {package['status']}: only Draft or Revoked software packages can be deleted.")
    store.collection(PACKAGES).remove(package)
    files = store.collection(FILES)
    files[:] = [r for r in files if r["packageId"] != package["packageId"]]
    return 200, {}


def _delete_package(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        package = _find(sim.store, params["id"])
        return _not_found(params["id"]) if package is None else _remove(sim.store, package)


def _delete_by_name(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    name = params["name"].strip().lower()
    with sim.store.lock:
        package = next(
            (p for p in sim.store.collection(PACKAGES)
             if str(p["name"]).lower() == name and p["version"] == params["version"]),
            None,
        )  # fmt: skip
        if package is None:
            return error(404, f"Software package '{params['name']}' version {params['version']} was not found.")
        return _remove(sim.store, package)


def _zip_part(req: SimRequest) -> bytes | tuple[int, Any]:
    """The ``application/zip`` part of a ``multipart/form-data`` body, or the error answer."""
    content_type = req.header("content-type")
    if not content_type.lower().startswith("multipart/form-data"):
        return error(415, "The zip must be sent as multipart/form-data.")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + req.body
    )
    for part in message.iter_parts() if message.is_multipart() else ():
        if part.get_content_type() == "application/zip":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
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
            files[:] = [r for r in files if r["packageId"] != package["packageId"]]
        for member in members:
            folder, _, name = member.filename.strip("/").rpartition("/")
            same = (package["packageId"], folder, name)
            files[:] = [r for r in files if (r["packageId"], r["packageFolderName"], r["name"]) != same]
            row = _file_row(package["packageId"], folder, name, member.file_size, archive.read(member))
            row["packageFileId"] = str(uuid.uuid4())
            files.append(row)
        package["modified"], package["modifiedBy"] = iso(now()), _user(req)
        return 200, {}


def _file_attribute(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    wanted = params["attribute"].strip().lower()
    attribute = next((a for a in ATTRIBUTES if a.lower() == wanted), None)
    if attribute is None:
        return error(
            400, f"'{params['attribute']}' is not a valid attribute. Accepted values: {', '.join(ATTRIBUTES)}."
        )
    with sim.store.lock:
        key = params["id"].strip().lower()
        row = next((r for r in sim.store.collection(FILES) if r["packageFileId"].lower() == key), None)
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
        for row in sorted(rows, key=lambda r: (r["packageFolderName"].lower(), r["name"].lower())):
            node = root
            for part in [p for p in row["packageFolderName"].split("/") if p]:
                child = next((f for f in node["folders"] if f["Name"] == part), None)
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
        return 200, {
            "Id": package["packageId"],
            "Name": package["name"],
            "Version": package["version"],
            "Description": package.get("description"),
            "RootDirectory": package.get("rootDirectory"),
            # The documents type this model's Tags as text without saying its format: the tag list as JSON text.
            "Tags": json.dumps(package.get("tags") or []),
            "Modified": package.get("modified"),
            "Status": STATUSES.index(package["status"]),
            "VirtualFolderId": package.get("virtualFolderId"),
            "Priority": package.get("priority"),
            "rootfolder": root,
        }


def _download_file(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    key = str(params["repositoryFolderFileId"]).lower()
    with sim.store.lock:
        row = next((r for r in sim.store.collection(FILES) if r["packageFileId"].lower() == key), None)
        if row is None:
            return error(404, f"Software file '{params['repositoryFolderFileId']}' was not found.")
        return 200, Raw(
            row["content"],
            "application/octet-stream",
            {"Content-Disposition": content_disposition(row["name"])},
        )


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
}
