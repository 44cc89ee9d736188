"""What route modules and the core server share: the request, the handler type, error bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import Simulator

__all__ = ["DataError", "Handler", "Raw", "SimRequest", "error"]


@dataclass
class SimRequest:
    """One request as the simulator saw it (path without the query, headers as sent)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON (the core has already rejected a JSON-typed body that is not JSON)."""
        return json.loads(self.body)


@dataclass(frozen=True)
class Raw:
    """A handler's body sent as these bytes, not as JSON: a file, a zip, an XML document."""

    payload: bytes
    content_type: str = "application/octet-stream"
    headers: dict[str, str] | None = None


Handler = Callable[["Simulator", SimRequest, dict[str, Any]], tuple[int, Any]]
"""A route handler: the simulator, the request and the bound, typed parameters give
``(status, body)``: anything ``json.dumps`` takes, or :class:`Raw` bytes with their content type."""


class DataError(ValueError):
    """The simulator's ``data`` (a ``--data`` file or ``data=`` dict) is not what it accepts."""


def error(status: int, message: str, **extra: Any) -> tuple[int, Any]:
    """An ASP.NET-style error answer: ``(status, {"Message": message, **extra})``."""
    return status, {"Message": message, **extra}
