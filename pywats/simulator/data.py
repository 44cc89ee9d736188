"""The simulator's data: reading a ``--data`` file / ``data=`` value, and the ``sim.data`` view.

The data format: a JSON object whose keys the route modules own (each module's ``load``
documents its keys), or a bare JSON list, read as the key one module declares with
``DATA_LIST_KEY`` (the process list, so that a saved ``GET /api/App/Processes`` answer loads as
it is). A key left out keeps that domain's seeded data. This module knows no domain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .routes import route_table
from .store import Store
from .wire import DataError

__all__ = ["DataSource", "SimulatorData", "read_data"]

DataSource = str | Path | dict[str, Any] | list[Any]


def read_data(source: DataSource) -> dict[str, Any]:
    """The data as a dict of route-module keys; a bare list is the value of the key a module declared
    with ``DATA_LIST_KEY``.

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
    list_key = route_table().list_key
    if isinstance(source, list) and list_key is not None:
        return {list_key: source}
    if not isinstance(source, dict):
        raise DataError(
            f"the simulator data must be a JSON object or a list of {list_key}, not {type(source).__name__}"
        )
    return source


class SimulatorData:
    """The data a simulator serves: a view over its :class:`Store`.

    ``SimulatorData(source)`` builds its own store from the data (see the module docstring);
    ``sim.data`` is the view over the running simulator's store. Each route module may name
    read-only views of its data (``VIEWS``), read as attributes: ``sim.data.processes``,
    ``sim.data.version``. ``reset()`` returns to the seeded state.
    """

    def __init__(self, source: DataSource | None = None, *, store: Store | None = None) -> None:
        self.store = (
            store if store is not None else route_table().build_store(None if source is None else read_data(source))
        )

    def collection(self, name: str) -> list[dict[str, Any]]:
        """The live collection ``name`` (as ``store.collection``)."""
        return self.store.collection(name)

    def __getattr__(self, name: str) -> Any:
        view = route_table().views.get(name)
        if view is None:
            raise AttributeError(f"the simulator data has no view {name!r}; views: {sorted(route_table().views)}")
        return view(self.store)

    def reset(self) -> None:
        """Put the seeded data back."""
        self.store.reset()
