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

from .core.binding import Binding, OperationUse

__all__ = ["OperationUse", "facade_bindings", "facade_operations"]


def facade_bindings() -> dict[str, Binding]:
    """``"service.method"`` → the :class:`~pywats.core.binding.Binding` declared on that method.

    Read from the async flavour (the source; the blocking twin is generated from it).
    """
    from ._async.client import AsyncWATS
    from ._async.service import facade_bindings_of

    return facade_bindings_of(AsyncWATS)


def facade_operations() -> dict[str, tuple[OperationUse, ...]]:
    """``"service.method"`` → the operations that facade method calls."""
    from ._async.client import AsyncWATS
    from ._async.service import facade_uses_of

    return facade_uses_of(AsyncWATS)
