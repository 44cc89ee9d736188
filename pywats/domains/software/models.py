"""Software models: packages, their files and tags, virtual folders, and the package status."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field

from ...core.enums import LenientStrEnum
from ...core.model import FacadeModel, Synonym
from .._fields import LocalTime

__all__ = [
    "FileAttribute",
    "Package",
    "PackageFile",
    "PackageStatus",
    "PackageTag",
    "SoftwareEntity",
    "SoftwareEntityType",
    "VirtualFolder",
]


class PackageStatus(LenientStrEnum):
    """A package's place in its life cycle, spelled as the server spells it.

    WATS allows Draft → Pending, Pending → Draft or Released, Released → Revoked. Two other
    names are accepted: ``DEVELOPMENT`` is ``DRAFT`` and ``OBSOLETE`` is ``REVOKED``.
    """

    DRAFT = "Draft"
    PENDING = "Pending"
    RELEASED = "Released"
    REVOKED = "Revoked"
    DEVELOPMENT = "Draft"
    OBSOLETE = "Revoked"


class FileAttribute(LenientStrEnum):
    """What a client does with a package file (``POST /api/Software/Package/FileAttribute/{id}``)."""

    NONE = "None"
    EXECUTE_ONCE = "ExecuteOnce"
    EXECUTE_ALWAYS = "ExecuteAlways"
    TOP_LEVEL_FILE = "TopLevelFile"
    OVERWRITE_NEVER = "OverwriteNever"
    OVERWRITE_ON_NEW_PACKAGE_VERSION = "OverwriteOnNewPackageVersion"
    EXECUTE_ONCE_PER_VERSION = "ExecuteOncePerVersion"


class _Wire(FacadeModel):
    # unknown server fields are kept (extra="allow"), so a newer server loses nothing
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class PackageTag(_Wire):
    """One tag of a package: ``tag`` (the server's ``key``) and ``value``."""

    tag: str | None = Field(default=None, alias="key")
    value: str | None = None


class PackageFile(_Wire):
    """A file of a package (``GET /api/Software/PackageFiles/{id}``; the content is not included).

    WATS's public API reports no size, MIME type or checksum: ``file_size``, ``file_type`` and
    ``md5_checksum`` are None unless a server sends them.
    """

    file_id: str | None = Field(default=None, alias="packageFileId")
    file_name: str | None = Field(default=None, alias="name")
    folder: str | None = Field(default=None, alias="packageFolderName")
    attributes: str | None = None
    description: str | None = Field(default=None, alias="Description")
    file_size: int | None = Field(default=None, alias="fileSize")
    file_type: str | None = Field(default=None, alias="fileType")
    md5_checksum: str | None = Field(default=None, alias="md5Checksum")

    id = Synonym[str | None]("file_id", "The file's id (what :meth:`set_file_attribute` takes).")


class Package(_Wire):
    """A software package: one version of a named, versioned distribution.

    ``version`` is the server's integer (1, 2, 3...: each new package of a name gets the next).
    Times are naive local datetimes. ``files`` is None when not fetched: the single-package
    lookups fetch them, the list methods only with ``with_files=True``.
    """

    package_id: UUID | None = Field(default=None, alias="packageId")
    name: str | None = None
    version: int | None = None
    status: PackageStatus | None = None
    description: str | None = None
    install_on_root: bool | None = Field(default=None, alias="installOnRoot")
    root_directory: str | None = Field(default=None, alias="rootDirectory")
    priority: int | None = None
    virtual_folder_id: UUID | None = Field(default=None, alias="virtualFolderId")
    tags: list[PackageTag] = Field(default_factory=list)
    created: LocalTime = None
    created_by: str | None = Field(default=None, alias="createdBy")
    modified: LocalTime = None
    modified_by: str | None = Field(default=None, alias="modifiedBy")
    released: LocalTime = None
    released_by: str | None = Field(default=None, alias="releasedBy")
    revoked: LocalTime = None
    revoked_by: str | None = Field(default=None, alias="revokedBy")
    files: list[PackageFile] | None = Field(default=None, exclude=True)

    id = Synonym[UUID | None]("package_id", "The package id (``package_id``).")
    created_date_time = Synonym[datetime | None](
        "created", "When the package was created; another name for ``created``."
    )

    def tag_value(self, tag: str) -> str | None:
        """The value of the tag named ``tag`` (names are case sensitive, as on the server)."""
        return next((t.value for t in self.tags if t.tag == tag), None)

    def to_wire(self) -> dict[str, Any]:
        """The package as the server reads it (camelCase, times in UTC, files left out)."""
        wire = super().to_wire()
        for key in ("created", "modified", "released", "revoked"):
            moment = getattr(self, key)
            if moment is not None:
                wire[key] = moment.astimezone().isoformat()
        return wire


class VirtualFolder(_Wire):
    """A virtual folder (``GET /api/Software/VirtualFolders``) with the facade's derived fields.

    ``path`` joins the names from the root (``"Firmware/Stable"``); ``package_count`` counts the
    packages placed directly in this folder.
    """

    id: UUID | None = None
    parent_id: UUID | None = Field(default=None, alias="parentId")
    name: str | None = None
    description: str | None = None
    path: str = ""
    package_count: int = 0


class SoftwareEntityType(IntEnum):
    """What a :class:`SoftwareEntity` is. The documents number the kinds 0 and 1 for "a software
    file or folder", in that order, without naming them."""

    FILE = 0
    FOLDER = 1


class SoftwareEntity(_Wire):
    """A file or folder inside a package, as the internal software API describes one.

    Folders come from :meth:`~pywats.domains.software.service.SoftwareService.create_package_folder`
    and the package's files; ``parent_id`` is the folder's parent (the all-zero UUID at the top).
    ``entity["name"]`` (field or server name) reads like the dicts pyWATS 0.x returned.
    """

    id: UUID | None = None
    # a kind a newer server adds stays its number
    type: SoftwareEntityType | int | None = Field(default=None, union_mode="left_to_right")
    parent_id: UUID | None = Field(default=None, alias="parentId")
    name: str | None = None
    file_version: str | None = Field(default=None, alias="fileVersion")
    repository_version: int | None = Field(default=None, alias="repositoryVersion")
    file_size: int | None = Field(default=None, alias="fileSize")
    last_modified_date: LocalTime = Field(default=None, alias="lastModifiedDate")
    uploaded_date: LocalTime = Field(default=None, alias="uploadedDate")
    attributes: int | None = None
    repository_folder_file_id: UUID | None = Field(default=None, alias="repositoryFolderFileId")
    valid: bool | None = None
    information: str | None = None

    @property
    def is_folder(self) -> bool:
        """True for a folder."""
        return self.type == SoftwareEntityType.FOLDER

    def __getitem__(self, key: str) -> Any:
        for name, field in type(self).model_fields.items():
            if key in (name, field.alias):
                return getattr(self, name)
        if self.model_extra and key in self.model_extra:
            return self.model_extra[key]
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """``entity.get("name")``: the value of a field (or server field), else ``default``."""
        try:
            return self[key]
        except KeyError:
            return default

    def to_wire(self) -> dict[str, Any]:
        """The entity as the server reads it (camelCase, times with their offset)."""
        wire = super().to_wire()
        for key, moment in (("lastModifiedDate", self.last_modified_date), ("uploadedDate", self.uploaded_date)):
            if moment is not None:
                wire[key] = moment.astimezone().isoformat()
        return wire
