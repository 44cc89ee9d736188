"""The App domain's server-wide answers: the server version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..store import Store
from ..wire import DataError, Handler, SimRequest

if TYPE_CHECKING:
    from ..server import Simulator

DEFAULT_VERSION = "24.2.0-simulator"


def seed() -> dict[str, list[dict[str, Any]]]:
    """One ``app`` record holding the version the server reports."""
    return {"app": [{"version": DEFAULT_VERSION}]}


def load(data: dict[str, Any], store: Store) -> None:
    """``version``: the string ``GET /api/App/Version`` answers."""
    if "version" in data:
        version = data["version"]
        if not isinstance(version, str) or not version:
            raise DataError(f"'version' in the simulator data must be a non-empty string, not {version!r}")
        store.seed("app", [{"version": version}])


def _version(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    return 200, sim.store.collection("app")[0]["version"]


ROUTES: dict[str, Handler] = {
    "GET /api/App/Version": _version,
}
