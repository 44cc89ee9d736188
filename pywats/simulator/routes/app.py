"""The App domain's server-wide answers: the server version."""

from __future__ import annotations

from typing import Any

from ..store import Store
from ..wire import DataError, Handler, Server, SimRequest

DEFAULT_VERSION = "24.2.0-simulator"
APP = "app"


def version(store: Store) -> str:
    """The version the server reports."""
    value: str = store.collection(APP)[0]["version"]
    return value


VIEWS = {"version": version}


def seed() -> dict[str, list[dict[str, Any]]]:
    """One ``app`` record holding the version the server reports."""
    return {APP: [{"version": DEFAULT_VERSION}]}


def load(data: dict[str, Any], store: Store) -> None:
    """``version``: the string ``GET /api/App/Version`` answers."""
    if "version" in data:
        value = data["version"]
        if not isinstance(value, str) or not value:
            raise DataError(f"'version' in the simulator data must be a non-empty string, not {value!r}")
        store.seed(APP, [{"version": value}])


def _version(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    return 200, version(sim.store)


ROUTES: dict[str, Handler] = {
    "GET /api/App/Version": _version,
}
