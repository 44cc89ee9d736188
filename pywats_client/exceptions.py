"""The station client's errors, where pyWATS 0.x code imports them from.

The pyWATS library's own errors (``PyWATSError`` and its kinds) import from ``pywats``.
"""

from .config import ConfigError
from .control import ControlError
from .converters import ConversionError
from .runner import AlreadyRunning

__all__ = ["AlreadyRunning", "ConfigError", "ControlError", "ConversionError"]
