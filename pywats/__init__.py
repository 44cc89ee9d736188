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
