"""Which WATS operations each facade method calls: the one place spec-diff reads facade impact from.

``facade_operations()`` maps ``"<service>.<method>"`` (``"client"`` for methods on
pyWATS/AsyncWATS themselves) to the :class:`OperationUse` entries of that method: the operation
as the server documents it (``METHOD``, path template) and the optional query parameters the
method may send. Tests check every entry against the generated registries and against the
traffic the method really sends.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OperationUse", "facade_methods_by_operation", "facade_operations"]


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


_PROCESSES = OperationUse("GET", "/api/App/Processes")

_TABLE: dict[str, tuple[OperationUse, ...]] = {
    "client.get_version": (OperationUse("GET", "/api/App/Version"),),
    "client.test_connection": (OperationUse("GET", "/api/App/Version"),),
    "client.check_server_compatibility": (),  # reads the API documents, not an API operation
    "process.get_processes": (_PROCESSES,),
    "process.get_all_operations": (_PROCESSES,),
    "process.get_test_operations": (_PROCESSES,),
    "process.get_repair_operations": (_PROCESSES,),
    "process.get_wip_operations": (_PROCESSES,),
    "process.get_operation": (_PROCESSES,),
    "process.get_process": (_PROCESSES,),
    "process.get_process_by_code": (_PROCESSES,),
    "process.get_test_operation": (_PROCESSES,),
    "process.get_repair_operation": (_PROCESSES,),
    "process.get_wip_operation": (_PROCESSES,),
    "process.get_default_test_code": (_PROCESSES,),
    "process.refresh": (_PROCESSES,),
    "process.get_all_processes": (OperationUse("GET", "/api/internal/Process/GetProcesses"),),
}


def facade_operations() -> dict[str, tuple[OperationUse, ...]]:
    """``"service.method"`` → the operations that facade method calls."""
    return dict(_TABLE)


def facade_methods_by_operation() -> dict[str, list[str]]:
    """``"METHOD /path"`` (path lower-cased, as routing ignores case) → facade methods using it."""
    out: dict[str, list[str]] = {}
    for method_name, operations in sorted(facade_operations().items()):
        for use in operations:
            out.setdefault(use.key, []).append(method_name)
    return out
