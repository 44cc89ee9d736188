"""What route modules and the core server share: the request, the handler type, error bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .store import Store

__all__ = ["DataError", "Handler", "Raw", "Server", "SimRequest", "UnreadableBody", "error"]


class Server(Protocol):
    """What a handler may use of the server serving it: the data. Handlers hold domain behaviour
    only (the core has done auth, routing and parameter binding), so they see nothing else."""

    @property
    def store(self) -> Store: ...


@dataclass
class SimRequest:
    """One request as the simulator saw it (path without the query, headers as sent)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        """The value of header ``name`` (HTTP header names are case-insensitive), ``""`` if not sent."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), "")

    def json(self) -> Any:
        """The body parsed as JSON (the core has already rejected a JSON-typed body that is not JSON).

        Raises :class:`UnreadableBody` for a body sent as another media type that is not JSON: the
        core answers 415, as ASP.NET does when no formatter reads the body.
        """
        try:
            return json.loads(self.body)
        except ValueError:
            raise UnreadableBody(self.header("content-type") or "application/octet-stream") from None


@dataclass(frozen=True)
class Raw:
    """A handler's body sent as these bytes, not as JSON: a file, a zip, an XML document."""

    payload: bytes
    content_type: str = "application/octet-stream"
    headers: dict[str, str] | None = None


Handler = Callable[[Server, SimRequest, dict[str, Any]], tuple[int, Any]]
"""A route handler: the server, the request and the bound, typed parameters give
``(status, body)``: anything ``json.dumps`` takes, or :class:`Raw` bytes with their content type."""


class UnreadableBody(ValueError):
    """A handler asked for the JSON of a body sent as something else; ``str()`` is its media type."""


class DataError(ValueError):
    """The simulator's ``data`` (a ``--data`` file or ``data=`` dict) is not what it accepts."""


def error(status: int, message: str, **extra: Any) -> tuple[int, Any]:
    """An ASP.NET-style error answer: ``(status, {"Message": message, **extra})``."""
    return status, {"Message": message, **extra}
