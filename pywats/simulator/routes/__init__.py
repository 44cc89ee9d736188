"""The simulator's route modules: one per WATS domain, found here at start-up.

Adding a domain to the simulator
--------------------------------
Add ONE file, ``pywats/simulator/routes/<domain>.py``; no shared simulator file changes.
It defines:

* ``ROUTES: dict[str, Handler]`` keyed exactly as the API surface spells the operation,
  ``"METHOD /documented/path/{template}"`` (see ``spec/surface/public.json`` and
  ``internal.json``). A key the surface does not document, or a key another module already
  registered, stops the simulator at start-up with an error naming the module(s).
  A handler is ``handler(sim, req, params) -> (status, body)``: ``params`` holds the path and
  query parameters already bound and typed as the documents say, ``req.json()`` the body
  (already checked to be JSON), ``sim.store`` the :class:`~pywats.simulator.store.Store`;
  ``body`` is anything ``json.dumps`` takes. ``error(status, message)`` from
  :mod:`pywats.simulator.wire` gives the server's ``{"Message": ...}`` error body.
  The core has already checked auth, the Referer of internal calls, the method and the
  parameters, and applied injected faults: handlers hold domain behaviour only.
* optionally ``seed() -> dict[str, list[dict]]``: the collections this domain starts with,
  in wire format (``reset()`` returns to them).
* optionally ``load(data, store) -> None``: take the keys of the user's ``--data`` file /
  ``data=`` dict that this domain owns, validate them (raise
  :class:`~pywats.simulator.wire.DataError` with a message naming the key and item) and
  ``store.seed(...)`` them. Read keys with ``data[key]``, ``data.get(key)`` or ``key in data``:
  a key that no module reads is reported to the user as unknown.
* optionally ``VIEWS: dict[str, Callable[[Store], Any]]``: read-only views of its data that
  ``sim.data.<name>`` gives (``processes``, ``version``), and ``DATA_LIST_KEY``: the data key a
  ``--data`` file holding a bare JSON list is read as (one module at most).
* collection names as module constants (``REPORTS``, ``PRODUCTS``, ...) and public functions
  for what another domain may read of its data (``report.select_uut_reports``,
  ``product.find_product``, ...): a module never reads another's collection by a bare string
  nor imports another's private helpers.
* the handlers as private functions (``_get_unit``), listed in ``ROUTES``.

Never import the pyWATS facade (``pywats.core``, ``pywats.domains``, ``pywats._async``,
``pywats._sync``): the simulator speaks the wire format so that a facade bug cannot hide.
Test the module in ``tests/test_simulator_<domain>.py`` with plain ``httpx`` and with the facade.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..store import Store
from ..wire import DataError, Handler, error

__all__ = ["DataError", "Handler", "RouteTable", "error", "route_table"]

Loader = Callable[[dict[str, Any], Store], None]
View = Callable[[Store], Any]
Seeder = Callable[[], dict[str, list[dict[str, Any]]]]


@dataclass(frozen=True)
class RouteTable:
    """Everything the route modules contribute, in module-name order."""

    handlers: dict[str, Handler]
    owners: dict[str, str]
    seeders: tuple[Seeder, ...]
    loaders: tuple[Loader, ...]
    views: dict[str, View]
    list_key: str | None

    def build_store(self, data: dict[str, Any] | None = None) -> Store:
        """A store holding every module's seed, then the user's ``data`` (if any) on top."""
        store = Store()
        for seeder in self.seeders:
            for name, items in seeder().items():
                store.seed(name, items)
        if data is not None:
            if not isinstance(data, dict):
                raise DataError(f"the simulator data must be a JSON object, not {type(data).__name__}")
            tracked = _ReadTracker(data)
            for loader in self.loaders:
                loader(tracked, store)
            unknown = sorted(set(data) - tracked.read)
            if unknown:
                raise DataError(f"the simulator data has unknown key(s) {unknown}: no route module reads them")
        return store


class _ReadTracker(dict[str, Any]):
    """The user's data, remembering which keys the loaders looked at (the rest are typos)."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)


def _modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]


@functools.cache
def route_table() -> RouteTable:
    """The merged route table of every module in this package (built once per process).

    Raises ``RuntimeError`` naming both modules when two register the same operation.
    """
    handlers: dict[str, Handler] = {}
    owners: dict[str, str] = {}
    seeders: list[Seeder] = []
    loaders: list[Loader] = []
    views: dict[str, View] = {}
    list_key: str | None = None
    for module in _modules():
        short = module.__name__.rsplit(".", 1)[-1]
        for key, handler in getattr(module, "ROUTES", {}).items():
            if key in owners:
                raise RuntimeError(
                    f"simulator route {key!r} is registered by both routes/{owners[key]}.py and routes/{short}.py"
                )
            handlers[key] = handler
            owners[key] = short
        if hasattr(module, "seed"):
            seeders.append(module.seed)
        if hasattr(module, "load"):
            loaders.append(module.load)
        views.update(getattr(module, "VIEWS", {}))
        list_key = getattr(module, "DATA_LIST_KEY", list_key)
    return RouteTable(handlers, owners, tuple(seeders), tuple(loaders), views, list_key)
