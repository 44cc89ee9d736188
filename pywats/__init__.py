"""pyWATS: Python client for the WATS manufacturing test-data server.

``pyWATS`` is the blocking client, ``AsyncWATS`` the asyncio one; both take the same arguments
and offer the same services. See README.md for a tour.
"""

import importlib
from typing import Any

from ._async.client import AsyncWATS
from ._sync.client import pyWATS
from .core.exceptions import (
    AuthenticationError,
    AuthorizationError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    ConnectionError,
    EmptyResponseError,
    ErrorMode,
    InvalidResponseError,
    NotFoundError,
    PyWATSError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    TimeoutError,
    ValidationError,
)
from .core.internal import InternalAPIWarning
from .core.logging import enable_debug_logging
from .core.retry import RetryConfig
from .core.station import Purpose, Station, StationConfig
from .version import __version__

# Names served from their domain on first use, so ``import pywats`` loads no pydantic models.
_LAZY = {
    name: "pywats.domains.analytics"
    for name in (
        "KPI AggregatedMeasurement AlarmLog AlarmType CompOperator Dimension DimensionBuilder MeasurementPath "
        "RepairDimension RepairKPI RunFilter SortDirection StatusFilter StepPath StepType UnitFlowFilter "
        "UnitFlowResult WATSFilter YieldResult"
    ).split()
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pywats' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

# The SCIM guide imports its models from ``pywats``; they load on first use, so ``import pywats``
# stays free of pydantic models.
_LAZY = {
    name: "pywats.domains.scim.models"
    for name in (
        "ScimListResponse",
        "ScimPatchOperation",
        "ScimPatchRequest",
        "ScimToken",
        "ScimUser",
        "ScimUserEmail",
        "ScimUserName",
    )
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pywats' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "AsyncWATS",
    "AuthenticationError",
    "AuthorizationError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ConnectionError",
    "EmptyResponseError",
    "ErrorMode",
    "InternalAPIWarning",
    "InvalidResponseError",
    "NotFoundError",
    "Purpose",
    "PyWATSError",
    "RateLimitError",
    "ResponseTooLargeError",
    "RetryConfig",
    "ServerError",
    "Station",
    "StationConfig",
    "TimeoutError",
    "ValidationError",
    "__version__",
    "enable_debug_logging",
    "pyWATS",
]

# Report models are imported on first use, so that ``import pywats`` stays free of pydantic models.
_REPORT_EXPORTS = ("Attachment", "UURReport", "UUTReport", "allow_problematic_characters")


def __getattr__(name: str) -> object:
    if name in _REPORT_EXPORTS:
        from .domains.report import models

        return getattr(models, name)
    raise AttributeError(f"module 'pywats' has no attribute {name!r}")
