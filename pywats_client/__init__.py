"""pyWATS station client (headless): watch folders, convert test output to WATS reports, submit them.

Run it with the ``pywats-client`` command (``pip install pywats-api[client-headless]``) or
``python -m pywats_client``. Library use::

    from pywats_client import ClientConfig, ClientService
    service = ClientService(ClientConfig.load())
    service.start()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import ClientConfig, ConfigError, default_config_path
    from .connection import make_client
    from .converters import ConversionError, Converter, CsvConverter, WsjfConverter, WsxfConverter
    from .queue import ReportQueue
    from .service import ClientService

__all__ = [
    "ClientConfig",
    "ClientService",
    "ConfigError",
    "ConversionError",
    "Converter",
    "CsvConverter",
    "ReportQueue",
    "WsjfConverter",
    "WsxfConverter",
    "default_config_path",
    "make_client",
]

# where each name lives: imported on first use, so `pywats-client status` does not load the report models
_HOME = {
    "ClientConfig": "config",
    "ConfigError": "config",
    "default_config_path": "config",
    "make_client": "connection",
    "ConversionError": "converters",
    "Converter": "converters",
    "CsvConverter": "converters",
    "WsjfConverter": "converters",
    "WsxfConverter": "converters",
    "ReportQueue": "queue",
    "ClientService": "service",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'pywats_client' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
