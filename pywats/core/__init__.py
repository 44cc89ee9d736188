"""Core building blocks shared by the sync and async facades, and utilities for user code.

``batch_execute``/``collect_successes``/``collect_failures`` (many blocking calls on a thread
pool), ``paginate``/``Paginator`` (lazy paging) are importable from here;
``pywats.core.cache``, ``pywats.core.batching``, ``pywats.core.performance`` and
``pywats.core.sync_runner`` hold the rest. Imports are lazy: ``import pywats`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batch import BatchResult, batch_execute, collect_failures, collect_successes
    from .exceptions import ErrorMode
    from .pagination import AsyncPaginator, Paginator, apaginate, paginate
    from .station import Station

__all__ = [
    "AsyncPaginator",
    "BatchResult",
    "ErrorMode",
    "Paginator",
    "Station",
    "apaginate",
    "batch_execute",
    "collect_failures",
    "collect_successes",
    "paginate",
]

_HOME = {
    "BatchResult": "batch",
    "batch_execute": "batch",
    "collect_failures": "batch",
    "collect_successes": "batch",
    "AsyncPaginator": "pagination",
    "Paginator": "pagination",
    "apaginate": "pagination",
    "paginate": "pagination",
    # where pyWATS 0.x code imports them from
    "ErrorMode": "exceptions",
    "Station": "station",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'pywats.core' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
