"""Which WATS operations each facade method calls: the one place spec-diff reads facade impact from.

Keys are ``"<service>.<method>"`` (``"client"`` for methods on pyWATS/AsyncWATS themselves);
values are ``(METHOD, path template)`` exactly as the server documents them. Tests check every
entry against the generated registries and against the traffic the method really sends.
"""

from __future__ import annotations

__all__ = ["FACADE_OPERATIONS", "facade_methods_by_operation"]

_PROCESSES = ("GET", "/api/App/Processes")

FACADE_OPERATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "client.get_version": (("GET", "/api/App/Version"),),
    "client.test_connection": (("GET", "/api/App/Version"),),
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
    "process.get_all_processes": (("GET", "/api/internal/Process/GetProcesses"),),
}


def facade_methods_by_operation() -> dict[str, list[str]]:
    """``"METHOD /path"`` (path lower-cased, as routing ignores case) → facade methods using it."""
    out: dict[str, list[str]] = {}
    for method_name, operations in sorted(FACADE_OPERATIONS.items()):
        for method, path in operations:
            out.setdefault(f"{method} {path.lower()}", []).append(method_name)
    return out
