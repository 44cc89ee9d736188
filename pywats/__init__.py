"""pyWATS: Python client for the WATS manufacturing test-data server.

``pyWATS`` is the blocking client, ``AsyncWATS`` the asyncio one; both take the same arguments
and offer the same services. See README.md for a tour.
"""

import importlib
from typing import Any

from ._async.client import AsyncWATS
from ._sync.client import pyWATS
from .core import exceptions as _exceptions
from .core.exceptions import *  # noqa: F403  (the error types, exported as that module lists them)
from .core.internal import InternalAPIWarning
from .core.logging import enable_debug_logging
from .core.retry import RetryConfig
from .core.station import Purpose, Station, StationConfig
from .version import __version__

__all__ = [
    "AsyncWATS",
    "InternalAPIWarning",
    "Purpose",
    "RetryConfig",
    "Station",
    "StationConfig",
    "__version__",
    "enable_debug_logging",
    "pyWATS",
]
__all__ += _exceptions.__all__

# Names of domain models users import from ``pywats`` itself (as pyWATS 0.x code does). They load on
# first use, so ``import pywats`` stays free of pydantic models.
_LAZY_EXPORTS = {
    "pywats.domains.analytics": (
        "KPI AggregatedMeasurement AlarmLog AlarmType CompOperator Dimension DimensionBuilder MeasurementPath "
        "RepairDimension RepairKPI RunFilter SortDirection StatusFilter StepPath StepType UnitFlowFilter "
        "UnitFlowResult WATSFilter YieldResult"
    ),
    "pywats.domains.report.models": "Attachment UURReport UUTReport allow_problematic_characters",
    "pywats.domains.scim.models": (
        "ScimListResponse ScimPatchOperation ScimPatchRequest ScimToken ScimUser ScimUserEmail ScimUserName"
    ),
}
_LAZY = {name: module for module, names in _LAZY_EXPORTS.items() for name in names.split()}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pywats' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
