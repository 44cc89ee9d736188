"""What the commands of ``pywats-client`` share: the exit code for "not running", the error a
command cannot get past, the configuration a command names, and the running service's state."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from .config import ClientConfig, config_location

__all__ = ["NOT_RUNNING", "CliError", "config_source", "load_config", "service_status"]

# Exit code of ``status``/``stop`` when no service runs for this configuration.
NOT_RUNNING = 3


class CliError(Exception):
    """A command that cannot be done; printed as ``error: ...`` with exit code 1."""


def load_config(args: argparse.Namespace, *, environ: bool = False, lenient: bool = False) -> ClientConfig:
    """The configuration ``args`` names (``--config``), else the default one."""
    # absolute now, from the directory the command was given in: a daemon changes to / later
    path = Path(args.config).expanduser().absolute() if getattr(args, "config", None) else None
    return ClientConfig.load(path, environ=os.environ if environ else None, lenient=lenient)


def config_source(args: argparse.Namespace) -> str:
    """Where the configuration's path came from, for messages (``"from --config"``...)."""
    if getattr(args, "config", None):
        return "from --config"
    return config_location()[1]


def service_status(config: ClientConfig) -> tuple[Any, dict[str, Any] | None, str | None]:
    """(the running service or None, its /status or None, why the control API gave none)."""
    from .control import ControlClient, ControlError
    from .runner import find_service

    found = find_service(config)
    if found is None or found.state != "running" or not found.api_url:
        return found, None, None
    try:
        return found, ControlClient(found.api_url, instance=found.instance).request("GET", "/status"), None
    except ControlError as exc:
        return found, None, str(exc)
