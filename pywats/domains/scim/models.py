"""SCIM (RFC 7644) user-provisioning models: snake_case attributes, SCIM's camelCase on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AliasChoices, ConfigDict, Field

from ...core.model import FacadeModel

__all__ = [
    "PATCH_SCHEMA",
    "USER_SCHEMA",
    "ScimListResponse",
    "ScimPatchOperation",
    "ScimPatchRequest",
    "ScimToken",
    "ScimUser",
    "ScimUserEmail",
    "ScimUserName",
]

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def _wire_name(name: str, *more: str, default: Any = None, repr: bool = True) -> Any:
    """A field the server spells ``name`` (also read as ``more``)."""
    return Field(default=default, validation_alias=AliasChoices(name, *more), serialization_alias=name, repr=repr)


class _Scim(FacadeModel):
    # Unknown fields (enterprise extensions, WATS additions) are kept and sent back.
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ScimUserName(_Scim):
    """A user's name parts."""

    formatted: str | None = None
    given_name: str | None = _wire_name("givenName")
    family_name: str | None = _wire_name("familyName")


class ScimUserEmail(_Scim):
    """One e-mail address of a user."""

    value: str | None = None
    type: str | None = None
    primary: bool | None = None


class ScimUser(_Scim):
    """A SCIM user resource; ``id`` is the server's GUID, ``user_name`` usually an e-mail address."""

    schemas: list[str] = Field(default_factory=lambda: [USER_SCHEMA])
    id: str | None = None
    user_name: str | None = _wire_name("userName")
    display_name: str | None = _wire_name("displayName")
    active: bool | None = None
    external_id: str | None = _wire_name("externalId")
    name: ScimUserName | None = None
    emails: list[ScimUserEmail] | None = None
    meta: dict[str, Any] | None = None


class ScimToken(_Scim):
    """A provisioning token (a JWT) for Azure AD, and when it expires."""

    # a credential: never in a repr, a log line or a traceback's locals
    token: str | None = _wire_name("token", "Token", repr=False)
    expires_utc: datetime | None = _wire_name("expiresUtc", "ExpiresUtc", "expires")
    duration_days: int | None = _wire_name("durationDays", "DurationDays", "duration")


class ScimPatchOperation(_Scim):
    """One PATCH operation; WATS supports ``replace`` only."""

    op: str = "replace"
    path: str
    value: Any = None


class ScimPatchRequest(_Scim):
    """A SCIM PatchOp request body."""

    schemas: list[str] = Field(default_factory=lambda: [PATCH_SCHEMA])
    operations: list[ScimPatchOperation] = _wire_name("Operations", "operations", default=[])


class ScimListResponse(_Scim):
    """One page of users: ``resources`` from ``start_index`` (1-based), of ``total_results``."""

    schemas: list[str] = Field(default_factory=lambda: [LIST_SCHEMA])
    total_results: int | None = _wire_name("totalResults")
    items_per_page: int | None = _wire_name("itemsPerPage")
    start_index: int | None = _wire_name("startIndex")
    resources: list[ScimUser] | None = _wire_name("Resources", "resources")
