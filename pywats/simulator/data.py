"""The simulator's data: reading a ``--data`` file / ``data=`` value, and the ``sim.data`` view.

The data format: a JSON object whose keys the route modules own (``version``: the string the
server reports; ``processes``: a list of processes in the public API's wire format, as
``GET /api/App/Processes`` answers, each needing ``code`` and ``name``), or a bare JSON list,
read as ``processes`` (so a saved ``GET /api/App/Processes`` answer loads as it is). A key left
out keeps that domain's seeded data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .routes import route_table
from .routes.process import ACTIVE, COLLECTION, INACTIVE, default_processes, internal_process, public_process
from .store import Store
from .wire import DataError

__all__ = ["ACTIVE", "INACTIVE", "DataSource", "SimulatorData", "default_processes", "read_data"]

DataSource = str | Path | dict[str, Any] | list[Any]


def read_data(source: DataSource) -> dict[str, Any]:
    """The data as a dict of route-module keys; a bare list is the ``processes`` list.

    Raises :class:`DataError` naming the file and the problem (missing, unreadable, not JSON).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise DataError(
                f"simulator data file '{path}' does not exist"
                if not path.exists()
                else f"simulator data '{path}' is not a file"
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"simulator data file '{path}' cannot be read: {exc}") from None
        try:
            source = json.loads(text)
        except ValueError as exc:
            raise DataError(f"simulator data file '{path}' is not JSON: {exc}") from None
    if isinstance(source, list):
        return {"processes": source}
    if not isinstance(source, dict):
        raise DataError(f"the simulator data must be a JSON object or a list of processes, not {type(source).__name__}")
    return source


class SimulatorData:
    """The processes and version a simulator serves: a view over its :class:`Store`.

    ``SimulatorData(source)`` builds its own store from the data (see the module docstring);
    ``sim.data`` is the view over the running simulator's store. ``reset()`` returns to the
    seeded state.
    """

    def __init__(self, source: DataSource | None = None, *, store: Store | None = None) -> None:
        self.store = (
            store if store is not None else route_table().build_store(None if source is None else read_data(source))
        )

    @property
    def processes(self) -> list[dict[str, Any]]:
        """The live process list (wire format plus ``processId`` and ``properties``)."""
        return self.store.collection(COLLECTION)

    @property
    def version(self) -> str:
        """The version ``GET /api/App/Version`` answers."""
        value: str = self.store.collection("app")[0]["version"]
        return value

    def reset(self) -> None:
        """Put the seeded data back."""
        self.store.reset()

    internal_process = staticmethod(internal_process)
    public_process = staticmethod(public_process)
