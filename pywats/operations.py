"""Which WATS operations each facade method calls, derived from the methods' own declarations.

Nothing here is kept by hand: every public facade method declares the generated endpoints it
calls with :func:`pywats.core.binding.uses`, and this module collects those declarations from the
client and every registered domain service. Spec-diff reads facade impact from here.

``facade_operations()`` maps ``"<service>.<method>"`` (``"client"`` for methods on
pyWATS/AsyncWATS themselves) to the :class:`OperationUse` entries of that method: the operation
as the server documents it (``METHOD``, path template) and the optional query parameters the
method may send. Tests check every entry against the generated registries and against the
traffic the method really sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .core.binding import Binding, binding_of

__all__ = ["OperationUse", "facade_bindings", "facade_operations"]


@dataclass(frozen=True)
class OperationUse:
    """One WATS operation a facade method calls."""

    method: str
    path: str
    # Optional query parameters the method may send; required ones are always sent.
    query: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        """``"METHOD /path"`` with the path lower-cased, as ASP.NET routing ignores case."""
        return f"{self.method} {self.path.lower()}"


def _bound_methods(owner: type) -> Iterator[tuple[str, Binding]]:
    for name in sorted(dir(owner)):
        binding = binding_of(getattr(owner, name))
        if binding is not None and not name.startswith("_"):
            yield name, binding


def facade_bindings() -> dict[str, Binding]:
    """``"service.method"`` → the :class:`~pywats.core.binding.Binding` declared on that method.

    Read from the async flavour (the source; the blocking twin is generated from it).
    """
    from ._async.client import AsyncWATS
    from ._async.service import AsyncServiceSlot

    found = {f"client.{name}": binding for name, binding in _bound_methods(AsyncWATS)}
    for attr in sorted(vars(AsyncWATS)):
        slot = vars(AsyncWATS)[attr]
        if isinstance(slot, AsyncServiceSlot):
            for name, binding in _bound_methods(slot.service_class()):
                found[f"{attr}.{name}"] = binding
    return found


def facade_operations() -> dict[str, tuple[OperationUse, ...]]:
    """``"service.method"`` → the operations that facade method calls."""
    return {
        name: tuple(OperationUse(e.METHOD, e.PATH, binding.query) for e in binding.endpoints)
        for name, binding in facade_bindings().items()
    }
