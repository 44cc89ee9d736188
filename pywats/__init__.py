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
    InvalidArgumentError,
    InvalidResponseError,
    NoDocumentedOperationError,
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
    "InvalidArgumentError",
    "InvalidResponseError",
    "NoDocumentedOperationError",
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

# Names of domain models users import from ``pywats`` itself (as the guides do). They load on
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
