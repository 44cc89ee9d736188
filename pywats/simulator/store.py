"""A small in-memory resource store: named collections of wire-format dicts."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["Store"]


class Store:
    """Thread-safe collections of wire-format dicts, each a list created on first use.

    ``seed(name, items)`` sets a collection's seeded state (and its contents); ``reset()``
    brings every collection back to its seeded state as a deep copy, in place, so lists a
    caller holds stay live. Handlers that read or change more than one collection, or
    read-modify-write one, hold ``with store.lock:`` (re-entrant) for the whole step.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._seeded: dict[str, list[dict[str, Any]]] = {}
        self._live: dict[str, list[dict[str, Any]]] = {}

    def collection(self, name: str) -> list[dict[str, Any]]:
        """The live list called ``name`` (an empty one on first use)."""
        with self.lock:
            if name not in self._live:
                self._seeded.setdefault(name, [])
                self._live[name] = copy.deepcopy(self._seeded[name])
            return self._live[name]

    def seed(self, name: str, items: Iterable[dict[str, Any]]) -> None:
        """Make ``items`` the seeded state of ``name`` and its current contents."""
        with self.lock:
            self._seeded[name] = copy.deepcopy(list(items))
            self.collection(name)[:] = copy.deepcopy(self._seeded[name])

    def reset(self) -> None:
        """Every collection back to its seeded state (collections created since become empty)."""
        with self.lock:
            for name, live in self._live.items():
                live[:] = copy.deepcopy(self._seeded.get(name, []))

    def names(self) -> list[str]:
        """The names of the collections that exist."""
        with self.lock:
            return sorted(self._live)
