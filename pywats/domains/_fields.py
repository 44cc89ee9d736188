"""Field helpers shared by the domain models: server field names, and server times (read as
naive local times, sent with an explicit offset)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field, PlainSerializer

__all__ = ["LocalTime", "SentLocalTime", "local_naive", "wire_field"]


def wire_field(name: str, *also: str, default: Any = None) -> Any:
    """A field the server names ``name`` (read and sent so), also read from the spellings ``also``."""
    return Field(default=default, alias=name, validation_alias=AliasChoices(name, *also))


def local_naive(value: Any) -> Any:
    """Server times (UTC, ``...Z``) as naive local times, comparable with ``datetime.now()``."""
    if isinstance(value, str) and value:
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def _wire_time(value: datetime | None) -> str | None:
    # naive values are local time (what the models hold); the server wants an explicit offset
    return None if value is None else value.astimezone().isoformat()


# A time the models only read (dumped as pydantic dumps a naive datetime).
LocalTime = Annotated[datetime | None, BeforeValidator(local_naive)]
# A time the models also send back to the server.
SentLocalTime = Annotated[
    datetime | None, BeforeValidator(local_naive), PlainSerializer(_wire_time, return_type=str | None)
]
