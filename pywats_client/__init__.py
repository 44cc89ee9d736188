"""pyWATS station client (headless): watch folders, convert test output to WATS reports, submit them.

Run it with the ``pywats-client`` command (``pip install pywats-api[client-headless]``) or
``python -m pywats_client``. Library use::

    from pywats_client import ClientConfig, ClientService
    service = ClientService(ClientConfig.load())
    service.start()
"""

from .config import ClientConfig, ConfigError, default_config_path
from .converters import ConversionError, Converter, CsvConverter, WsjfConverter
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
    "default_config_path",
]
