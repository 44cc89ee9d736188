"""``ClientConfig`` where pyWATS 0.x code imports it from; it lives in :mod:`pywats_client.config`."""

from ..config import ClientConfig, ConfigError, default_config_path

__all__ = ["ClientConfig", "ConfigError", "default_config_path"]
