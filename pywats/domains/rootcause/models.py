"""RootCause (ticket) models.

The server speaks integers for a ticket's status (flags 1..32), priority (0..2) and the view
(0..2); people compare them by name (``ticket.status == "OPEN"``). The enums here are string
enums with those names, and the server's number in ``.wire``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID

from pydantic import (
    AliasChoices,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
)
from pydantic_core import core_schema

from pywats._compat import UTC, StrEnum

from ...core.model import FacadeModel, Synonym

__all__ = [
    "Ticket",
    "TicketAttachment",
    "TicketPriority",
    "TicketStatus",
    "TicketTag",
    "TicketUpdate",
    "TicketView",
    "UpdateType",
]


E = TypeVar("E", bound="_Numbered")


class _Numbered(StrEnum):
    # a string enum whose members the server sends as numbers (``_NUMBERS`` below)

    @property
    def wire(self) -> int:
        """The server's number (for a status: its flag) for this member."""
        return _NUMBERS[type(self)][self]

    @classmethod
    def from_wire(cls: type[E], value: Any) -> E:
        """The member the server's number (or a member's name) stands for."""
        found: E = _enum_from_wire(cls, value, {v: k for k, v in _NUMBERS[cls].items()})
        return found


class TicketStatus(_Numbered):
    """A ticket's status. The server sends a flag; several combine with ``|`` in queries."""

    OPEN = "OPEN"
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"
    SOLVED = "SOLVED"
    RESOLVED = "SOLVED"  # another name for SOLVED
    CLOSED = "CLOSED"
    ARCHIVED = "ARCHIVED"


class TicketPriority(_Numbered):
    """A ticket's priority; WATS has three levels (``NORMAL`` is the server's "medium")."""

    LOW = "LOW"
    NORMAL = "NORMAL"
    MEDIUM = "NORMAL"
    HIGH = "HIGH"


class TicketView(_Numbered):
    """Which tickets a query sees: assigned to the caller, followed by the caller, or all."""

    ASSIGNED = "ASSIGNED"
    FOLLOWING = "FOLLOWING"
    ALL = "ALL"


class UpdateType(_Numbered):
    """What a history entry records (the server's ``updateType``: 0..3)."""

    CONTENT = "CONTENT"
    PROGRESS = "PROGRESS"
    PROPERTIES = "PROPERTIES"
    NOTIFICATION = "NOTIFICATION"


_STATUS_FLAGS = {
    TicketStatus.OPEN: 1,
    TicketStatus.IN_PROGRESS: 2,
    TicketStatus.ON_HOLD: 4,
    TicketStatus.SOLVED: 8,
    TicketStatus.CLOSED: 16,
    TicketStatus.ARCHIVED: 32,
}
_PRIORITY_NUMBERS = {TicketPriority.LOW: 0, TicketPriority.NORMAL: 1, TicketPriority.HIGH: 2}
_VIEW_NUMBERS = {TicketView.ASSIGNED: 0, TicketView.FOLLOWING: 1, TicketView.ALL: 2}
_UPDATE_TYPES = [UpdateType.CONTENT, UpdateType.PROGRESS, UpdateType.PROPERTIES, UpdateType.NOTIFICATION]
_NUMBERS: dict[type[_Numbered], dict[Any, int]] = {
    TicketStatus: _STATUS_FLAGS,
    TicketPriority: _PRIORITY_NUMBERS,
    TicketView: _VIEW_NUMBERS,
    UpdateType: {kind: number for number, kind in enumerate(_UPDATE_TYPES)},
}


def _enum_from_wire(cls: Any, value: Any, by_number: dict[int, Any]) -> Any:
    """A member from the server's number, or from a member's name or value (user input)."""
    if isinstance(value, cls):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value in by_number:
            return by_number[value]
        raise ValueError(f"{value} is not a known {cls.__name__} number ({sorted(by_number)})")
    if isinstance(value, str):
        text = value.strip().upper().replace(" ", "_")
        if text in cls.__members__:
            return cls.__members__[text]
        if text.isdigit():
            return _enum_from_wire(cls, int(text), by_number)
    raise ValueError(f"{value!r} is not a {cls.__name__}; one of {sorted(set(cls.__members__.values()))}")


def _update_type(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(_UPDATE_TYPES):
        return _UPDATE_TYPES[value]
    return value


Status = Annotated[TicketStatus, BeforeValidator(TicketStatus.from_wire), PlainSerializer(lambda s: s.wire)]
Priority = Annotated[TicketPriority, BeforeValidator(TicketPriority.from_wire), PlainSerializer(lambda p: p.wire)]
Kind = Annotated[UpdateType, BeforeValidator(_update_type), PlainSerializer(lambda k: k.wire)]


def _wire_name(name: str) -> Any:
    """A field the server spells ``name`` (the attribute is its snake_case form)."""
    return Field(default=None, validation_alias=AliasChoices(name), serialization_alias=name)


class TicketTag(str):
    """A tag: reads as its text (``"key"`` or ``"key: value"``), keeps ``key`` and ``value``.

    Tags are strings so ``", ".join(ticket.tags)`` works; the server's key/value pair
    (and its ``change`` marker) round-trips unchanged on update.
    """

    key: str
    value: str | None
    change: int | None

    def __new__(cls, key: str, value: str | None = None, change: int | None = None) -> TicketTag:
        tag = super().__new__(cls, f"{key}: {value}" if value else key)
        tag.key, tag.value, tag.change = key, value, change
        return tag

    @classmethod
    def _of(cls, data: Any) -> TicketTag:
        if isinstance(data, TicketTag):
            return data
        if isinstance(data, str):
            return cls(data)
        if isinstance(data, dict) and isinstance(data.get("key"), str):
            return cls(data["key"], data.get("value"), data.get("change"))
        raise ValueError(f"a tag is a string or {{'key': ..., 'value': ...}}, not {data!r}")

    def to_wire(self) -> dict[str, Any]:
        """The tag as the server expects it."""
        wire: dict[str, Any] = {"key": self.key, "value": self.value}
        if self.change is not None:
            wire["change"] = self.change
        return wire

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._of, serialization=core_schema.plain_serializer_function_ser_schema(cls.to_wire)
        )


class _Wire(FacadeModel):
    # Unknown server fields are kept (extra="allow") and sent back on update, so nothing is lost.
    model_config = ConfigDict(populate_by_name=True, extra="allow", validate_assignment=True)


class TicketAttachment(_Wire):
    """A file attached to a ticket update."""

    attachment_id: UUID | None = _wire_name("attachmentId")
    filename: str | None = None


class TicketUpdate(_Wire):
    """One entry of a ticket's history: a comment, or a change of its properties."""

    update_id: UUID | None = _wire_name("updateId")
    update_utc: datetime | None = _wire_name("updateUtc")
    update_user: str | None = _wire_name("updateUser")
    content: str | None = None
    update_type: Kind | None = _wire_name("updateType")
    attachments: list[TicketAttachment] | None = None

    date_time = Synonym[datetime | None]("update_utc", "When the update was made (``update_utc``).")
    description = Synonym[str | None]("content", "What the update says (``content``).")


class Ticket(_Wire):
    """A RootCause ticket.

    ``ticket_id`` (a GUID) identifies it to the server; ``id`` is its ``ticket_number``, the
    ``#123`` users see. ``description`` is the text of its first comment and
    ``created_date_time`` its creation as a naive local time (comparable with
    ``datetime.now()``). ``assignee`` is whatever the server sent, which is often nothing (see
    the README): the service fills it in from the calls that set it.
    """

    ticket_id: UUID | None = _wire_name("ticketId")
    ticket_number: int | None = _wire_name("ticketNumber")
    subject: str | None = None
    status: Status | None = None
    priority: Priority | None = None
    assignee: str | None = None
    owner: str | None = None
    team: str | None = None
    origin: str | None = None
    progress: str | None = None
    report_uuid: UUID | None = _wire_name("reportUuid")
    created_utc: datetime | None = _wire_name("createdUtc")
    updated_utc: datetime | None = _wire_name("updatedUtc")
    tags: list[TicketTag] | None = None
    history: list[TicketUpdate] | None = None
    update: TicketUpdate | None = None

    id = Synonym[int | None]("ticket_number", "The ticket's number (``ticket_number``).")
    assigned_to = Synonym[str | None]("assignee", "The assignee (``assignee``).")

    @property
    def updates(self) -> list[TicketUpdate]:
        """The ticket's history, oldest first."""
        return list(self.history or [])

    @property
    def description(self) -> str | None:
        """The text of the ticket's first comment, if any."""
        for update in self.updates:
            if update.update_type is UpdateType.CONTENT and update.content:
                return update.content
        return None

    @property
    def created_date_time(self) -> datetime | None:
        """Creation time as a naive local ``datetime`` (comparable with ``datetime.now()``)."""
        return _local(self.created_utc)

    @property
    def updated_date_time(self) -> datetime | None:
        """Last update as a naive local ``datetime``."""
        return _local(self.updated_utc)


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # the server's UTC without an offset
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().replace(tzinfo=None)
