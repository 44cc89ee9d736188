"""What every domain service shares: the call path (its context), and the slot that registers it.

A domain registers on the client with one line::

    product: AsyncServiceSlot[AsyncProductService] = AsyncServiceSlot("product", "AsyncProductService")

The service is imported and built on first use (``import pywats`` stays free of pydantic models).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar, overload

from ..core.binding import Binding, Endpoint, OperationUse, binding_of
from ..core.exceptions import ErrorMode
from .context import AsyncServiceContext

__all__ = ["AsyncService", "AsyncServiceContext", "AsyncServiceSlot", "facade_bindings_of", "facade_uses_of"]

T = TypeVar("T")
S = TypeVar("S", bound="AsyncService")
# unasync rewrites whole-string names too: the blocking twin reads "service" and "<Name>Service".
_SERVICE_MODULE = "async_service"


class AsyncService:
    """Base of the domain services: ``self._call(endpoint, endpoint.request_kwargs(...))``.

    ``OPTIONS`` names the client keyword arguments the domain takes, with their defaults; a
    domain's options reach only that domain (``self.options``), never the global settings.
    """

    OPTIONS: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, context: AsyncServiceContext, options: Mapping[str, Any]) -> None:
        self._context = context
        self.options = {name: options.get(name, default) for name, default in self.OPTIONS.items()}
        # Perform one operation and read its body with ``parse`` (e.g. into the facade's models).
        self._call_parsed = context.call
        # ``async with self._stream(endpoint, kwargs) as response:`` reads a large body in chunks.
        self._stream = context.stream

    async def _call(
        self,
        endpoint: Endpoint[T],
        kwargs: dict[str, Any],
        *,
        expect_data: bool = True,
        resource_type: str | None = None,
        identifier: Any = None,
        error_mode: ErrorMode | None = None,
    ) -> T | None:
        """Perform one operation and parse its body with the endpoint's own (generated) parser."""
        return await self._call_parsed(
            endpoint,
            kwargs,
            endpoint.parse_response,
            expect_data=expect_data,
            resource_type=resource_type,
            identifier=identifier,
            error_mode=error_mode,
        )


class AsyncServiceSlot(Generic[S]):
    """Class attribute of the client giving the domain service, built on first use.

    ``AsyncServiceSlot("product", "AsyncProductService")`` serves
    ``pywats.domains.product.async_service.AsyncProductService``; the blocking client's twin
    serves ``pywats.domains.product.service.ProductService``.
    """

    def __init__(self, domain: str, class_name: str) -> None:
        self.domain = domain
        self.qualified_name = f"pywats.domains.{domain}.{_SERVICE_MODULE}.{class_name}"
        self.class_name = class_name
        self._lock = threading.Lock()

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr = name

    def service_class(self) -> type[S]:
        module = importlib.import_module(f"pywats.domains.{self.domain}.{_SERVICE_MODULE}")
        cls: type[S] = getattr(module, self.class_name)
        return cls

    @overload
    def __get__(self, obj: None, owner: type) -> AsyncServiceSlot[S]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> S: ...
    def __get__(self, obj: Any, owner: type) -> AsyncServiceSlot[S] | S:
        # obj is the client: it keeps its services in ``_services`` and hands each the same context.
        if obj is None:
            return self
        services = obj._services
        found = services.get(self.attr)
        if found is None:
            with self._lock:
                found = services.get(self.attr)
                if found is None:
                    found = self.service_class()(obj._context, obj._domain_options)
                    services[self.attr] = found
        return found  # type: ignore[no-any-return]

    @staticmethod
    def instance(client: Any, cls: type[S]) -> S:
        """``client``'s instance of the service class ``cls`` (found by the slot that serves it)."""
        name = f"{cls.__module__}.{cls.__qualname__}"
        for klass in type(client).__mro__:
            for attr, slot in vars(klass).items():
                if isinstance(slot, AsyncServiceSlot) and slot.qualified_name == name:
                    found: S = getattr(client, attr)
                    return found
        raise LookupError(f"{type(client).__name__} has no service {name}")


def _bound_methods(owner: type) -> Iterator[tuple[str, Binding]]:
    for name in sorted(dir(owner)):
        binding = binding_of(getattr(owner, name))
        if binding is not None and not name.startswith("_"):
            yield name, binding


def facade_bindings_of(client: type) -> dict[str, Binding]:
    """``"service.method"`` → the :class:`~pywats.core.binding.Binding` declared on that method of
    the client class ``client`` (``"client.<method>"``) or of a service it serves."""
    found = {f"client.{name}": binding for name, binding in _bound_methods(client)}
    # the nearest class's attribute wins, as attribute lookup does
    slots = {attr: value for klass in reversed(client.__mro__) for attr, value in vars(klass).items()}
    for attr, slot in sorted(slots.items()):
        if isinstance(slot, AsyncServiceSlot):
            for name, binding in _bound_methods(slot.service_class()):
                found[f"{attr}.{name}"] = binding
    return found


def facade_uses_of(client: type) -> dict[str, tuple[OperationUse, ...]]:
    """``"service.method"`` → the operations that method of the client class ``client`` calls."""
    return {name: binding.operations for name, binding in facade_bindings_of(client).items()}
