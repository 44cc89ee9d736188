"""pyWATS: Python client for the WATS manufacturing test-data server.

``pyWATS`` is the blocking client, ``AsyncWATS`` the asyncio one; both take the same arguments
and offer the same services. See README.md for a tour.
"""

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
