# DO NOT EDIT — generated from pywats/domains/software/async_service.py by `python -m pywats._unasync`.
"""The Software service: packages, their status life cycle, files (zip upload), tags and virtual folders."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import httpx
from wats_internal.api.software import software_check_file as check_file_op
from wats_internal.api.software import software_delete_package_folder as folder_delete_op
from wats_internal.api.software import software_delete_package_folder_files as folder_files_delete_op
from wats_internal.api.software import software_file_get_internal_software_file_id as file_op
from wats_internal.api.software import software_get_available_packages as available_op
from wats_internal.api.software import software_get_package_download_history as downloads_op
from wats_internal.api.software import software_get_package_history as history_op
from wats_internal.api.software import software_get_revoked_packages as revoked_op
from wats_internal.api.software import software_get_software_entity_details as details_op
from wats_internal.api.software import software_is_connected as connected_op
from wats_internal.api.software import software_log as log_op
from wats_internal.api.software import software_post_package_folder as folder_create_op
from wats_internal.api.software import software_update_package_folder as folder_update_op
from wats_public.api.software import (
    software_delete_software_package as delete_op,
)
from wats_public.api.software import (
    software_delete_software_package_by_name as delete_by_name_op,
)
from wats_public.api.software import (
    software_get_software_files as files_op,
)
from wats_public.api.software import (
    software_get_software_package as package_op,
)
from wats_public.api.software import (
    software_get_software_package_by_name as by_name_op,
)
from wats_public.api.software import (
    software_get_software_packages as packages_op,
)
from wats_public.api.software import (
    software_get_software_packages_by_tag as by_tag_op,
)
from wats_public.api.software import (
    software_get_virtual_folders as folders_op,
)
from wats_public.api.software import (
    software_post_file_attribute as attribute_op,
)
from wats_public.api.software import (
    software_post_new_status as status_op,
)
from wats_public.api.software import (
    software_post_software_package as create_op,
)
from wats_public.api.software import (
    software_post_zip_to_package as zip_op,
)
from wats_public.api.software import (
    software_put_software_package as put_op,
)

from ..._sync.service import SyncService
from ...core.binding import uses
from ...core.exceptions import ErrorMode, InvalidArgumentError, NotFoundError, PyWATSError
from ...core.wire import (
    count,
    guid,
    ignore_body,
    invalid,
    json_body,
    one_of,
    parse_list,
    parse_model,
    positive,
    text,
    unset,
    unset_internal,
)
from .models import (
    FileAttribute,
    Package,
    PackageFile,
    PackageStatus,
    PackageTag,
    SoftwareEntity,
    SoftwareEntityType,
    VirtualFolder,
)

__all__ = ["SoftwareService"]

PackageId = str | UUID
Tags = Mapping[str, str] | Iterable[PackageTag] | None
ZipContent = bytes | bytearray | memoryview | IO[bytes] | str | Path
_ALL = (PackageStatus.DRAFT, PackageStatus.PENDING, PackageStatus.RELEASED, PackageStatus.REVOKED)
Ids = Iterable[str | UUID] | str | UUID
FolderData = SoftwareEntity | Mapping[str, Any]
_ROOT = UUID(int=0)  # the internal API's "no parent folder": the package's root
logger = logging.getLogger(__name__)


def _status(value: PackageStatus | str) -> PackageStatus:
    return one_of("status", value, PackageStatus)


def _id(package_id: PackageId, what: str = "package_id") -> str:
    """A package (or file) id: WATS ids are UUIDs, so anything else is refused before sending."""
    return str(guid(what, package_id, "a UUID (WATS package ids are UUIDs)"))


def _version(version: int | None) -> int | None:
    expected = "a positive integer (WATS numbers package versions 1, 2, 3...)"
    return None if version is None else positive("version", version, expected)


def _tags(tags: Tags) -> list[dict[str, Any]] | None:
    if tags is None:
        return None
    if isinstance(tags, Mapping):
        items = [PackageTag.model_validate({"tag": k, "value": v}) for k, v in tags.items()]
    else:
        items = list(tags)
    for item in items:
        if not isinstance(item, PackageTag) or not isinstance(item.tag, str) or not item.tag:
            raise invalid("tags", item, "a {name: value} dict or PackageTag items with a name")
    return [t.to_wire() for t in items]


def _folder_key(path: str) -> str:
    return "/".join(p.strip() for p in path.replace("\\", "/").split("/") if p.strip()).lower()


def _with_paths(folders: list[VirtualFolder], packages: list[Package]) -> list[VirtualFolder]:
    """Each folder's path from the root and its number of packages (the server gives neither)."""
    by_id = {f.id: f for f in folders if f.id is not None}
    for folder in folders:
        names: list[str] = []
        seen: set[UUID | None] = set()
        node: VirtualFolder | None = folder
        while node is not None and node.id not in seen:  # a cycle in bad data must not hang
            seen.add(node.id)
            names.append(node.name or "")
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        folder.path = "/".join(reversed(names))
        folder.package_count = sum(
            1 for p in packages if p.virtual_folder_id is not None and p.virtual_folder_id == folder.id
        )
    return folders


def _is_folder(candidate: VirtualFolder, folder: str | UUID) -> bool:
    if isinstance(folder, UUID):
        return candidate.id == folder
    return _folder_key(candidate.path) == _folder_key(folder) or str(candidate.id) == folder.strip().lower()


class SoftwareService(SyncService):
    """Software packages (``api.software``): versions, status, files, tags and virtual folders.

    A package's status follows WATS's rules: Draft → Pending, Pending → Draft or Released,
    Released → Revoked; only Draft or Revoked packages can be deleted, and only a Draft package's
    details can be edited. A missing package is ``NotFoundError`` in STRICT mode and None (or an
    empty list, or False) in LENIENT mode.
    """

    # -- queries ---------------------------------------------------------------------------------

    @uses(packages_op, files_op)
    def get_packages(self, status: PackageStatus | str | None = None, with_files: bool = False) -> list[Package]:
        """Every package (all versions), or those with this ``status``.

        ``with_files=True`` also fetches each package's file list (one request per package);
        otherwise ``files`` is None.
        """
        wanted = None if status is None else _status(status)
        found = self._call_parsed(packages_op, packages_op.request_kwargs(), parse_list(Package)) or []
        result = [p for p in found if wanted is None or p.status == wanted]
        if with_files:
            for package in result:
                self._load_files(package)
        return result

    def _load_files(self, package: Package) -> Package:
        if package.package_id is not None:
            key = str(package.package_id)
            kwargs = files_op.request_kwargs(id=key)
            files = self._call_parsed(
                files_op, kwargs, parse_list(PackageFile), resource_type="package", identifier=key
            )
            package.files = files or []
        return package

    @uses(package_op, files_op)
    def get_package(self, package_id: PackageId) -> Package | None:
        """The package with this id (a UUID), with its files."""
        key = _id(package_id)
        kwargs = package_op.request_kwargs(id=key)
        package = self._call_parsed(
            package_op, kwargs, parse_model(Package), resource_type="package", identifier=key
        )
        return None if package is None else self._load_files(package)

    @uses(files_op)
    def get_package_files(self, package_id: PackageId) -> list[PackageFile]:
        """The files of a package (names, folders and attributes; not the content)."""
        key = _id(package_id)
        kwargs = files_op.request_kwargs(id=key)
        files = self._call_parsed(
            files_op, kwargs, parse_list(PackageFile), resource_type="package", identifier=key
        )
        return files or []

    @uses(by_name_op, files_op, query=("version",))
    def get_package_by_name(
        self, name: str, status: PackageStatus | str | None = None, version: int | None = None
    ) -> Package | None:
        """The package called ``name``, with its files: the highest version, or ``version``.

        With ``status``, only packages in that status are considered; without, every status is
        asked (one request each) and the highest version wins.
        """
        text("name", name)
        wanted = _version(version)
        statuses = _ALL if status is None else (_status(status),)
        best: Package | None = None
        for each in statuses:
            kwargs = by_name_op.request_kwargs(name=name, status=each.value, version=unset(wanted))
            # a status without this package is not an error while others are still to be asked
            found = self._call_parsed(
                by_name_op, kwargs, parse_model(Package), error_mode=ErrorMode.LENIENT if status is None else None,
                resource_type="package", identifier=name,
            )  # fmt: skip
            if found is not None and (best is None or (found.version or 0) > (best.version or 0)):
                best = found
        if best is None:
            if status is None and self._context.error_mode is ErrorMode.STRICT:
                raise NotFoundError(
                    f"no software package named {name!r}" + (f" with version {wanted}" if wanted else ""),
                    operation="get_package_by_name",
                    resource_type="package",
                    identifier=name,
                )
            return None
        return self._load_files(best)

    @uses(by_name_op, files_op)
    def get_released_package(self, name: str) -> Package | None:
        """The highest released version of the package called ``name``, with its files."""
        kwargs = by_name_op.request_kwargs(name=text("name", name), status=PackageStatus.RELEASED.value)
        found = self._call_parsed(
            by_name_op, kwargs, parse_model(Package), resource_type="package", identifier=name
        )
        return None if found is None else self._load_files(found)

    @uses(by_tag_op)
    def get_packages_by_tag(
        self, tag: str, value: str, status: PackageStatus | str | None = None
    ) -> list[Package]:
        """Packages whose tag ``tag`` (case sensitive) has ``value`` (not case sensitive).

        Without ``status`` every status is asked, one request each.
        """
        if not isinstance(tag, str) or not tag or "=" in tag:
            raise InvalidArgumentError(f"tag must be a non-empty tag name without '=', not {tag!r}")
        if not isinstance(value, str):
            raise InvalidArgumentError(f"value must be a string, not {value!r}")
        statuses = _ALL if status is None else (_status(status),)
        result: list[Package] = []
        for each in statuses:
            kwargs = by_tag_op.request_kwargs(tag=f"{tag}={value}", status=each.value)
            result.extend(self._call_parsed(by_tag_op, kwargs, parse_list(Package)) or [])
        return result

    # -- virtual folders -------------------------------------------------------------------------

    @uses(folders_op, packages_op)
    def get_virtual_folders(self) -> list[VirtualFolder]:
        """Every virtual folder, with its ``path`` and ``package_count`` (from the package list)."""
        folders = self._call_parsed(folders_op, folders_op.request_kwargs(), parse_list(VirtualFolder)) or []
        packages = self._call_parsed(packages_op, packages_op.request_kwargs(), parse_list(Package)) or []
        return _with_paths(folders, packages)

    @uses(folders_op, packages_op)
    def get_packages_in_folder(self, folder: str | UUID) -> list[Package]:
        """The packages placed directly in a folder, named by path (``"Firmware/Stable"``, either
        slash, any case) or id. An unknown folder is ``NotFoundError`` (STRICT) or ``[]``."""
        if isinstance(folder, str) and not _folder_key(folder):
            raise InvalidArgumentError(f"folder must be a folder path or id, not {folder!r}")
        if not isinstance(folder, str | UUID):
            raise InvalidArgumentError(f"folder must be a folder path or id, not {folder!r}")
        folders = self._call_parsed(folders_op, folders_op.request_kwargs(), parse_list(VirtualFolder)) or []
        packages = self._call_parsed(packages_op, packages_op.request_kwargs(), parse_list(Package)) or []
        _with_paths(folders, packages)
        match = next((f for f in folders if _is_folder(f, folder)), None)
        if match is None:
            if self._context.error_mode is ErrorMode.STRICT:
                raise NotFoundError(
                    f"no virtual folder {str(folder)!r}",
                    operation="get_packages_in_folder",
                    resource_type="virtual folder",
                    identifier=str(folder),
                )
            return []
        return [p for p in packages if p.virtual_folder_id == match.id]

    # -- changes -------------------------------------------------------------------------------

    @uses(create_op)
    def create_package(
        self,
        name: str,
        description: str | None = None,
        tags: Tags = None,
        virtual_folder_id: str | UUID | None = None,
        install_on_root: bool | None = None,
        root_directory: str | None = None,
        priority: int | None = None,
        **fields: Any,
    ) -> Package | None:
        """Create a package in Draft; returns it as stored. A name that exists gets the next version.

        ``tags`` is a ``{name: value}`` dict or a list of :class:`PackageTag`. ``fields`` are
        further server fields (camelCase or snake_case). Never retried (a POST).
        """
        wire = Package.model_validate(
            {
                "name": text("name", name),
                "description": description,
                "virtual_folder_id": virtual_folder_id,
                "install_on_root": install_on_root,
                "root_directory": root_directory,
                "priority": priority,
                **fields,
            }
        ).to_wire()
        tag_list = _tags(tags)
        if tag_list is not None:
            wire["tags"] = tag_list
        return self._call_parsed(create_op, create_op.request_kwargs(body=wire), parse_model(Package))

    @uses(put_op)
    def update_package(self, package: Package) -> bool:
        """Save a package (overwrites it on the server). A Draft package takes every change; a
        Pending or Released one only status and tags (the server answers 400 otherwise)."""
        if not isinstance(package, Package):
            raise TypeError(f"update_package takes a Package, not {type(package).__name__}")
        if package.package_id is None:
            raise InvalidArgumentError("the package has no package_id: create it with create_package first")
        key = str(package.package_id)
        kwargs = put_op.request_kwargs(id=key, body=package.to_wire())
        result = self._call_parsed(
            put_op, kwargs, ignore_body, expect_data=False, resource_type="package", identifier=key
        )
        return bool(result)

    @uses(status_op)
    def set_package_status(self, package_id: PackageId, status: PackageStatus | str) -> Package | None:
        """Move a package to ``status``; returns the updated package.

        Allowed: Draft → Pending, Pending → Draft or Released, Released → Revoked; anything else
        is a ``ValidationError`` (400) from the server. Never retried (a POST).
        """
        key = _id(package_id)
        kwargs = status_op.request_kwargs(id=key, status=_status(status).value)
        return self._call_parsed(status_op, kwargs, parse_model(Package), resource_type="package", identifier=key)

    @uses(delete_op)
    def delete_package(self, package_id: PackageId) -> bool:
        """Delete a package; it must be Draft or Revoked (else ``ValidationError``). False (LENIENT) if none."""
        key = _id(package_id)
        kwargs = delete_op.request_kwargs(id=key)
        result = self._call_parsed(
            delete_op, kwargs, ignore_body, expect_data=False, resource_type="package", identifier=key
        )
        return bool(result)

    @uses(delete_by_name_op)
    def delete_package_by_name(self, name: str, version: int) -> bool:
        """Delete version ``version`` of the package called ``name`` (Draft or Revoked only)."""
        checked = _version(version)
        if checked is None:
            raise InvalidArgumentError("version is required to delete a package by name")
        kwargs = delete_by_name_op.request_kwargs(name=text("name", name), version=checked)
        result = self._call_parsed(
            delete_by_name_op, kwargs, ignore_body, expect_data=False, resource_type="package", identifier=name
        )
        return bool(result)

    # -- files ---------------------------------------------------------------------------------

    @uses(zip_op, query=("cleanInstall",))
    def upload_zip(
        self, package_id: PackageId, content: ZipContent, clean_install: bool = False, filename: str = "package.zip"
    ) -> bool:
        """Add the files of a zip archive to a Draft package (merged; ``clean_install=True``
        removes the package's files first). Never retried (a POST).

        ``content`` is the zip as bytes, a binary file object (streamed, not read whole) or a
        path. Every file in the zip must be inside a folder (``myFolder/myFile.txt``): the
        server refuses files at the root.
        """
        key = _id(package_id)
        opened: IO[bytes] | None = None
        if isinstance(content, str | Path):
            path = Path(content)
            if not path.is_file():
                raise InvalidArgumentError(f"no zip file at {str(path)!r}")
            opened = path.open("rb")
            source: bytes | IO[bytes] = opened
            filename = path.name if filename == "package.zip" else filename
        elif isinstance(content, bytes | bytearray | memoryview):
            source = bytes(content)
            if not zipfile.is_zipfile(io.BytesIO(source)):
                raise InvalidArgumentError("content is not a zip archive")
        elif hasattr(content, "read"):
            source = content
        else:
            raise TypeError(f"content must be zip bytes, a binary file or a path, not {type(content).__name__}")
        try:
            kwargs = zip_op.request_kwargs(id=key, clean_install=unset(True if clean_install else None))
            kwargs["files"] = {"file": (filename, source, "application/zip")}
            result = self._call_parsed(
                zip_op, kwargs, ignore_body, expect_data=False, resource_type="package", identifier=key
            )
        finally:
            if opened is not None:
                opened.close()
        return bool(result)

    @uses(attribute_op)
    def set_file_attribute(self, file_id: str | UUID, attribute: FileAttribute | str) -> bool:
        """Set what clients do with a package file (e.g. ``FileAttribute.EXECUTE_ONCE``).

        File ids come from :meth:`get_package_files` (``PackageFile.file_id``).
        """
        try:
            checked = FileAttribute(attribute)
        except ValueError:
            names = ", ".join(a.value for a in FileAttribute)
            raise InvalidArgumentError(f"attribute must be one of {names}, not {attribute!r}") from None
        key = _id(file_id, "file_id")
        kwargs = attribute_op.request_kwargs(id=key, attribute=checked.value)
        result = self._call_parsed(
            attribute_op, kwargs, ignore_body, expect_data=False, resource_type="file", identifier=key
        )
        return bool(result)

    @uses(attribute_op)
    def update_file_attribute(self, file_id: str | UUID, attributes: FileAttribute | str) -> bool:
        """pyWATS 0.x's name for :meth:`set_file_attribute`: one attribute (``attributes``) for the file."""
        return self.set_file_attribute(file_id, attributes)

    # -- the status life cycle, one method per move ----------------------------------------------

    @uses(status_op)
    def submit_for_review(self, package_id: PackageId) -> Package | None:
        """Draft → Pending; returns the updated package (``ValidationError`` from any other status)."""
        return self.set_package_status(package_id, PackageStatus.PENDING)

    @uses(status_op)
    def return_to_draft(self, package_id: PackageId) -> Package | None:
        """Pending → Draft; returns the updated package (``ValidationError`` from any other status)."""
        return self.set_package_status(package_id, PackageStatus.DRAFT)

    @uses(status_op)
    def release_package(self, package_id: PackageId) -> Package | None:
        """Pending → Released; returns the updated package (``ValidationError`` from any other status)."""
        return self.set_package_status(package_id, PackageStatus.RELEASED)

    @uses(status_op)
    def revoke_package(self, package_id: PackageId) -> Package | None:
        """Released → Revoked; returns the updated package (``ValidationError`` from any other status)."""
        return self.set_package_status(package_id, PackageStatus.REVOKED)

    # -- the internal API: what a station's software client asks ---------------------------------

    @uses(connected_op)
    def is_connected(self) -> bool:
        """⚠️ INTERNAL API: True if the server's software module answers. Never raises: a failure
        (no connection, a refused token, a server error) is False, logged at INFO."""
        try:
            answer = self._call_parsed(connected_op, connected_op.request_kwargs(), json_body, expect_data=False)
        except PyWATSError as exc:
            logger.info("software connection check failed: %s", exc)
            return False
        return answer is not False

    @uses(file_op)
    def get_file(self, file_id: str | UUID) -> SoftwareEntity | None:
        """⚠️ INTERNAL API: a package file's details (name, size, attributes, folder) by its id."""
        key = guid("file_id", file_id, "a UUID (a PackageFile.file_id)")
        kwargs = file_op.request_kwargs(id=key)
        return self._call_parsed(file_op, kwargs, _entity, resource_type="file", identifier=str(key))

    @uses(check_file_op)
    def check_file(
        self,
        package_id: PackageId,
        parent_folder_id: str | UUID | None,
        file_path: str,
        checksum: str,
        file_date_epoch: int | datetime,
    ) -> SoftwareEntity | None:
        """⚠️ INTERNAL API: the file the package holds at ``file_path`` (under the folder
        ``parent_folder_id``; None: the package's root), or None if it holds none.

        The entity's ``valid`` says whether ``checksum`` (SHA-1 or MD5, hex) is the stored
        file's, i.e. whether an upload can be skipped. ``file_date_epoch`` is the local file's
        modification time (seconds since 1970, or a datetime).
        """
        when = file_date_epoch
        if isinstance(when, datetime):
            when = int(when.timestamp())
        kwargs = check_file_op.request_kwargs(
            package_id=guid("package_id", package_id),
            parent_folder_id=_ROOT if parent_folder_id is None else guid("parent_folder_id", parent_folder_id),
            file_path=text("file_path", file_path),
            checksum=text("checksum", checksum).strip(),
            file_date_epoch=count("file_date_epoch", when),
        )
        return self._call_parsed(
            check_file_op, kwargs, _entity, expect_data=False, resource_type="package", identifier=str(package_id)
        )

    @uses(folder_create_op)
    def create_package_folder(self, package_id: PackageId, folder_data: FolderData) -> SoftwareEntity | None:
        """⚠️ INTERNAL API: add a folder to a Draft package; returns it with its id.

        ``folder_data`` is a :class:`SoftwareEntity` or a dict of its fields: ``name`` and, for a
        subfolder, ``parent_id`` (``parentId``).
        """
        entity = _entity_data(folder_data, "folder_data")
        text("folder_data.name", entity.name)
        key = guid("package_id", package_id)
        kwargs = folder_create_op.request_kwargs(body=_folder_wire(entity), package_id=key)
        return self._call_parsed(folder_create_op, kwargs, _entity, resource_type="package", identifier=str(key))

    @uses(folder_update_op)
    def update_package_folder(self, folder_data: FolderData) -> SoftwareEntity | None:
        """⚠️ INTERNAL API: rename a package folder (``name``) or move it (``parent_id``); its
        files move with it. ``folder_data`` names the folder by ``id``."""
        entity = _entity_data(folder_data, "folder_data")
        if entity.id is None:
            raise invalid("folder_data.id", None, "the folder's id (from create_package_folder)")
        if entity.name is not None:
            text("folder_data.name", entity.name)
        kwargs = folder_update_op.request_kwargs(body=_folder_wire(entity))
        return self._call_parsed(
            folder_update_op, kwargs, _entity, resource_type="package folder", identifier=str(entity.id)
        )

    @uses(folder_delete_op)
    def delete_package_folder(self, package_folder_id: str | UUID) -> bool:
        """⚠️ INTERNAL API: delete a folder of a Draft package, with its subfolders and files."""
        key = str(guid("package_folder_id", package_folder_id))
        kwargs = folder_delete_op.request_kwargs(package_folder_id=key)
        result = self._call_parsed(
            folder_delete_op, kwargs, ignore_body, expect_data=False, resource_type="package folder", identifier=key
        )
        return bool(result)

    @uses(folder_files_delete_op)
    def delete_package_folder_files(self, file_ids: Ids) -> bool:
        """⚠️ INTERNAL API: delete these files (``PackageFile.file_id``) from their Draft packages.

        Ids the server does not know are passed over; if it knows none, ``NotFoundError``.
        """
        keys = _id_list("file_ids", file_ids)
        if not keys:
            raise invalid("file_ids", file_ids, "one or more file ids")
        kwargs = folder_files_delete_op.request_kwargs(package_folder_file_ids=",".join(map(str, keys)))
        result = self._call_parsed(
            folder_files_delete_op, kwargs, ignore_body, expect_data=False, resource_type="file"
        )
        return bool(result)

    @uses(history_op, query=("status", "allVersions"))
    def get_package_history(
        self,
        tags: str | Mapping[str, str],
        status: PackageStatus | str | int | None = None,
        all_versions: bool | None = None,
    ) -> list[Package]:
        """⚠️ INTERNAL API: packages having every tag of ``tags`` (``"product=WIDGET-001,type=firmware"``
        or a dict), optionally in ``status``; the newest version of each name, or every version
        with ``all_versions=True``."""
        kwargs = history_op.request_kwargs(
            tags=_tag_text(tags),
            status=unset_internal(_history_status(status)),
            all_versions=unset_internal(all_versions),
        )
        return self._call_parsed(history_op, kwargs, _dashboard_packages, expect_data=False) or []

    @uses(downloads_op)
    def get_package_download_history(self, client_id: int) -> list[dict[str, Any]]:
        """⚠️ INTERNAL API: the downloads a client logged (:meth:`log_download`), newest first, as
        the server sends them (the documents give no shape)."""
        kwargs = downloads_op.request_kwargs(client_id=count("client_id", client_id))
        return self._call_parsed(downloads_op, kwargs, _records, expect_data=False) or []

    @uses(revoked_op, query=("includeRevokedOnly",))
    def get_revoked_packages(
        self, installed_packages: Ids, include_revoked_only: bool | None = None
    ) -> list[UUID]:
        """⚠️ INTERNAL API: which of the ``installed_packages`` (ids) have been revoked.

        ``include_revoked_only=True`` leaves out those whose name has a newer Released version
        (a station updating anyway need not remove them first).
        """
        keys = _id_list("installed_packages", installed_packages)
        if not keys:
            return []
        kwargs = revoked_op.request_kwargs(
            installed_packages=",".join(map(str, keys)), include_revoked_only=unset_internal(include_revoked_only)
        )
        return self._call_parsed(revoked_op, kwargs, _uuid_list, expect_data=False) or []

    @uses(available_op)
    def get_available_packages(self, installed_packages: Ids) -> list[Package]:
        """⚠️ INTERNAL API: for the ``installed_packages`` (ids), the newest Released version of
        each name that is newer than the one installed."""
        keys = _id_list("installed_packages", installed_packages)
        if not keys:
            return []
        kwargs = available_op.request_kwargs(installed_packages=",".join(map(str, keys)))
        return self._call_parsed(available_op, kwargs, _dashboard_packages, expect_data=False) or []

    @uses(details_op)
    def get_software_entity_details(self, package_id: PackageId) -> list[SoftwareEntity]:
        """⚠️ INTERNAL API: a package's folders and files, each with its id, parent and path
        (``information``): the ids the folder and file methods take."""
        key = guid("package_id", package_id)
        kwargs = details_op.request_kwargs(package_id=key)
        found = self._call_parsed(
            details_op, kwargs, _entities, expect_data=False, resource_type="package", identifier=str(key)
        )
        return found or []

    @uses(log_op)
    def log_download(self, package_id: PackageId, download_size: int) -> dict[str, Any] | None:
        """⚠️ INTERNAL API: record that this client downloaded the package (``download_size``
        bytes); returns the record as the server sends it (the documents give no shape)."""
        key = guid("package_id", package_id)
        kwargs = log_op.request_kwargs(package_id=key, download_size=count("download_size", download_size))
        return self._call_parsed(
            log_op, kwargs, _record, expect_data=False, resource_type="package", identifier=str(key)
        )


# -- the internal API's answers ----------------------------------------------------------------------


def _id_list(name: str, values: Ids) -> list[UUID]:
    """UUIDs given as one, a list, or comma-separated text."""
    items: list[Any]
    if isinstance(values, UUID):
        items = [values]
    elif isinstance(values, str):
        items = [v for v in values.split(",") if v.strip()]
    elif isinstance(values, Iterable) and not isinstance(values, bytes | bytearray | Mapping):
        items = list(values)
    else:
        raise invalid(name, values, "package ids (UUIDs): a list, or comma-separated text")
    return [guid(name, v, "package ids (UUIDs): a list, or comma-separated text") for v in items]


def _history_status(status: PackageStatus | str | int | None) -> int | None:
    """The internal API's status number (0 Draft, 1 Pending, 2 Released, 3 Revoked)."""
    expected = "a PackageStatus, its name, or 0-3 (Draft, Pending, Released, Revoked)"
    if status is None:
        return None
    if isinstance(status, bool):
        raise invalid("status", status, expected)
    if isinstance(status, int):
        if status not in range(len(_ALL)):
            raise invalid("status", status, expected)
        return status
    return _ALL.index(_status(status))


def _tag_text(tags: str | Mapping[str, str]) -> str:
    """Tags as the internal API filters by them: ``"tag=value"`` pairs, comma-separated."""
    if isinstance(tags, Mapping):
        pairs = list(tags.items())
        if not pairs or not all(isinstance(k, str) and k and isinstance(v, str) for k, v in pairs):
            raise invalid("tags", tags, "a {tag: value} dict of strings, or 'tag=value' text")
        return ",".join(f"{k}={v}" for k, v in pairs)
    text("tags", tags)
    if not all("=" in part for part in tags.replace(";", ",").split(",") if part.strip()):
        raise invalid("tags", tags, "'tag=value' pairs, comma-separated")
    return tags


def _entity_data(data: FolderData, name: str) -> SoftwareEntity:
    if isinstance(data, SoftwareEntity):
        return data.model_copy()
    if not isinstance(data, Mapping):
        raise invalid(name, data, "a SoftwareEntity or a dict of its fields (name, parentId...)")
    return SoftwareEntity.model_validate(dict(data))


def _folder_wire(entity: SoftwareEntity) -> dict[str, Any]:
    wire = entity.to_wire()
    wire.setdefault("type", int(SoftwareEntityType.FOLDER))
    return wire


def _entity(response: httpx.Response) -> SoftwareEntity | None:
    body = json_body(response)
    return None if body is None else SoftwareEntity.model_validate(body)


def _entities(response: httpx.Response) -> list[SoftwareEntity]:
    body = json_body(response)
    items = [] if body is None else body if isinstance(body, list) else [body]
    return [SoftwareEntity.model_validate(item) for item in items]


def _records(response: httpx.Response) -> list[dict[str, Any]]:
    body = json_body(response)
    items = [] if body is None else body if isinstance(body, list) else [body]
    if not all(isinstance(item, dict) for item in items):
        raise ValueError("expected download records (JSON objects)")
    return items


def _record(response: httpx.Response) -> dict[str, Any] | None:
    body = json_body(response)
    if body is not None and not isinstance(body, dict):
        raise ValueError(f"expected a JSON object, got {type(body).__name__}")
    return body


# the internal dashboard model's PascalCase names, as the public model spells them
_DASHBOARD_NAMES = {
    "PackageId": "packageId", "Name": "name", "Version": "version", "Description": "description",
    "RootDirectory": "rootDirectory", "Modified": "modified", "ModifiedBy": "modifiedBy", "Priority": "priority",
    "VirtualFolderId": "virtualFolderId", "Created": "created", "CreatedBy": "createdBy", "Released": "released",
    "ReleasedBy": "releasedBy", "Revoked": "revoked", "RevokedBy": "revokedBy",
}  # fmt: skip


def _from_dashboard(raw: Mapping[str, Any]) -> Package:
    """A package of the internal API (PascalCase, status as 0-3, tags as text) as a :class:`Package`."""
    data: dict[str, Any] = {_DASHBOARD_NAMES.get(k, k): v for k, v in raw.items() if k not in ("Status", "Tags")}
    status = raw.get("Status")
    if isinstance(status, int) and status in range(len(_ALL)):
        data["status"] = _ALL[status]
    tags = raw.get("Tags")
    try:
        parsed = json.loads(tags) if isinstance(tags, str) and tags.strip() else []
    except ValueError:
        parsed = None
    if isinstance(parsed, list) and all(isinstance(t, dict) for t in parsed):
        data["tags"] = parsed
    else:  # a format this client does not read: kept as sent
        data["tagsText"] = tags
    return Package.model_validate(data)


def _dashboard_packages(response: httpx.Response) -> list[Package]:
    body = json_body(response)
    if body is None:
        return []
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise ValueError("expected a JSON list of packages")
    return [_from_dashboard(item) for item in body]


def _uuid_list(response: httpx.Response) -> list[UUID]:
    body = json_body(response)
    return [UUID(str(item)) for item in body or []]
