"""The Software service: packages, their status life cycle, files (zip upload), tags and virtual folders."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any
from uuid import UUID

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

from ..._async.service import AsyncService
from ...core.binding import uses
from ...core.exceptions import ErrorMode, InvalidArgumentError, NotFoundError
from ...core.wire import guid, ignore_body, invalid, one_of, parse_list, parse_model, positive, text, unset
from .models import FileAttribute, Package, PackageFile, PackageStatus, PackageTag, VirtualFolder

__all__ = ["AsyncSoftwareService"]

PackageId = str | UUID
Tags = Mapping[str, str] | Iterable[PackageTag] | None
ZipContent = bytes | bytearray | memoryview | IO[bytes] | str | Path
_ALL = (PackageStatus.DRAFT, PackageStatus.PENDING, PackageStatus.RELEASED, PackageStatus.REVOKED)


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
    return [t.model_dump(by_alias=True, exclude_none=True) for t in items]


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


class AsyncSoftwareService(AsyncService):
    """Software packages (``api.software``): versions, status, files, tags and virtual folders.

    A package's status follows WATS's rules: Draft → Pending, Pending → Draft or Released,
    Released → Revoked; only Draft or Revoked packages can be deleted, and only a Draft package's
    details can be edited. A missing package is ``NotFoundError`` in STRICT mode and None (or an
    empty list, or False) in LENIENT mode.
    """

    # -- queries ---------------------------------------------------------------------------------

    @uses(packages_op, files_op)
    async def get_packages(self, status: PackageStatus | str | None = None, with_files: bool = False) -> list[Package]:
        """Every package (all versions), or those with this ``status``.

        ``with_files=True`` also fetches each package's file list (one request per package);
        otherwise ``files`` is None.
        """
        wanted = None if status is None else _status(status)
        found = await self._call_parsed(packages_op, packages_op.request_kwargs(), parse_list(Package)) or []
        result = [p for p in found if wanted is None or p.status == wanted]
        if with_files:
            for package in result:
                await self._load_files(package)
        return result

    async def _load_files(self, package: Package) -> Package:
        if package.package_id is not None:
            key = str(package.package_id)
            kwargs = files_op.request_kwargs(id=key)
            files = await self._call_parsed(
                files_op, kwargs, parse_list(PackageFile), resource_type="package", identifier=key
            )
            package.files = files or []
        return package

    @uses(package_op, files_op)
    async def get_package(self, package_id: PackageId) -> Package | None:
        """The package with this id (a UUID), with its files."""
        key = _id(package_id)
        kwargs = package_op.request_kwargs(id=key)
        package = await self._call_parsed(
            package_op, kwargs, parse_model(Package), resource_type="package", identifier=key
        )
        return None if package is None else await self._load_files(package)

    @uses(files_op)
    async def get_package_files(self, package_id: PackageId) -> list[PackageFile]:
        """The files of a package (names, folders and attributes; not the content)."""
        key = _id(package_id)
        kwargs = files_op.request_kwargs(id=key)
        files = await self._call_parsed(
            files_op, kwargs, parse_list(PackageFile), resource_type="package", identifier=key
        )
        return files or []

    @uses(by_name_op, files_op, query=("version",))
    async def get_package_by_name(
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
            found = await self._call_parsed(
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
                    status_code=404,
                )
            return None
        return await self._load_files(best)

    @uses(by_name_op, files_op)
    async def get_released_package(self, name: str) -> Package | None:
        """The highest released version of the package called ``name``, with its files."""
        kwargs = by_name_op.request_kwargs(name=text("name", name), status=PackageStatus.RELEASED.value)
        found = await self._call_parsed(
            by_name_op, kwargs, parse_model(Package), resource_type="package", identifier=name
        )
        return None if found is None else await self._load_files(found)

    @uses(by_tag_op)
    async def get_packages_by_tag(
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
            result.extend(await self._call_parsed(by_tag_op, kwargs, parse_list(Package)) or [])
        return result

    # -- virtual folders -------------------------------------------------------------------------

    @uses(folders_op, packages_op)
    async def get_virtual_folders(self) -> list[VirtualFolder]:
        """Every virtual folder, with its ``path`` and ``package_count`` (from the package list)."""
        folders = await self._call_parsed(folders_op, folders_op.request_kwargs(), parse_list(VirtualFolder)) or []
        packages = await self._call_parsed(packages_op, packages_op.request_kwargs(), parse_list(Package)) or []
        return _with_paths(folders, packages)

    @uses(folders_op, packages_op)
    async def get_packages_in_folder(self, folder: str | UUID) -> list[Package]:
        """The packages placed directly in a folder, named by path (``"Firmware/Stable"``, either
        slash, any case) or id. An unknown folder is ``NotFoundError`` (STRICT) or ``[]``."""
        if isinstance(folder, str) and not _folder_key(folder):
            raise InvalidArgumentError(f"folder must be a folder path or id, not {folder!r}")
        if not isinstance(folder, str | UUID):
            raise InvalidArgumentError(f"folder must be a folder path or id, not {folder!r}")
        folders = await self._call_parsed(folders_op, folders_op.request_kwargs(), parse_list(VirtualFolder)) or []
        packages = await self._call_parsed(packages_op, packages_op.request_kwargs(), parse_list(Package)) or []
        _with_paths(folders, packages)
        match = next((f for f in folders if _is_folder(f, folder)), None)
        if match is None:
            if self._context.error_mode is ErrorMode.STRICT:
                raise NotFoundError(
                    f"no virtual folder {str(folder)!r}",
                    operation="get_packages_in_folder",
                    resource_type="virtual folder",
                    identifier=str(folder),
                    status_code=404,
                )
            return []
        return [p for p in packages if p.virtual_folder_id == match.id]

    # -- changes -------------------------------------------------------------------------------

    @uses(create_op)
    async def create_package(
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
        return await self._call_parsed(create_op, create_op.request_kwargs(body=wire), parse_model(Package))

    @uses(put_op)
    async def update_package(self, package: Package) -> bool:
        """Save a package (overwrites it on the server). A Draft package takes every change; a
        Pending or Released one only status and tags (the server answers 400 otherwise)."""
        if not isinstance(package, Package):
            raise TypeError(f"update_package takes a Package, not {type(package).__name__}")
        if package.package_id is None:
            raise InvalidArgumentError("the package has no package_id: create it with create_package first")
        key = str(package.package_id)
        kwargs = put_op.request_kwargs(id=key, body=package.to_wire())
        result = await self._call_parsed(
            put_op, kwargs, ignore_body, expect_data=False, resource_type="package", identifier=key
        )
        return bool(result)

    @uses(status_op)
    async def set_package_status(self, package_id: PackageId, status: PackageStatus | str) -> Package | None:
        """Move a package to ``status``; returns the updated package.

        Allowed: Draft → Pending, Pending → Draft or Released, Released → Revoked; anything else
        is a ``ValidationError`` (400) from the server. Never retried (a POST).
        """
        key = _id(package_id)
        kwargs = status_op.request_kwargs(id=key, status=_status(status).value)
        return await self._call_parsed(status_op, kwargs, parse_model(Package), resource_type="package", identifier=key)

    @uses(delete_op)
    async def delete_package(self, package_id: PackageId) -> bool:
        """Delete a package; it must be Draft or Revoked (else ``ValidationError``). False (LENIENT) if none."""
        key = _id(package_id)
        kwargs = delete_op.request_kwargs(id=key)
        result = await self._call_parsed(
            delete_op, kwargs, ignore_body, expect_data=False, resource_type="package", identifier=key
        )
        return bool(result)

    @uses(delete_by_name_op)
    async def delete_package_by_name(self, name: str, version: int) -> bool:
        """Delete version ``version`` of the package called ``name`` (Draft or Revoked only)."""
        checked = _version(version)
        if checked is None:
            raise InvalidArgumentError("version is required to delete a package by name")
        kwargs = delete_by_name_op.request_kwargs(name=text("name", name), version=checked)
        result = await self._call_parsed(
            delete_by_name_op, kwargs, ignore_body, expect_data=False, resource_type="package", identifier=name
        )
        return bool(result)

    # -- files ---------------------------------------------------------------------------------

    @uses(zip_op, query=("cleanInstall",))
    async def upload_zip(
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
            result = await self._call_parsed(
                zip_op, kwargs, ignore_body, expect_data=False, resource_type="package", identifier=key
            )
        finally:
            if opened is not None:
                opened.close()
        return bool(result)

    @uses(attribute_op)
    async def set_file_attribute(self, file_id: str | UUID, attribute: FileAttribute | str) -> bool:
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
        result = await self._call_parsed(
            attribute_op, kwargs, ignore_body, expect_data=False, resource_type="file", identifier=key
        )
        return bool(result)
