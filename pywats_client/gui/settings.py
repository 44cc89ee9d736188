"""What the GUI reads and writes in the station's config file (no Qt here).

The GUI edits the same file, with the same key table (:data:`pywats_client.config.KEYS`), as
``pywats-client config``: every key it shows, its own (tab visibility, SN handler, software) and the
service's, is validated by one set of rules. A save validates every changed key first and then
replaces the file atomically (mode 0600), so a bad value writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config import GUI_ONLY_KEYS, ClientConfig, canonical_key, parse_value

__all__ = ["GUI_KEYS", "TAB_KEYS", "GuiSettings", "save_settings"]

#: Which tab each visibility key shows (Setup, General and Connection are always shown).
TAB_KEYS: dict[str, str] = {
    "show_location_tab": "Location",
    "show_converters_tab": "Converters",
    "show_sn_handler_tab": "SN Handler",
    "show_proxy_tab": "Proxy Settings",
    "show_software_tab": "Software",
}

#: The keys only the GUI reads (kept under this name for code written against earlier versions).
GUI_KEYS = GUI_ONLY_KEYS


class GuiSettings:
    """The config file as the GUI sees it (one :class:`ClientConfig`, every key of the table)."""

    def __init__(self, config: ClientConfig) -> None:
        self.config = config

    @property
    def path(self) -> Path:
        return self.config.path

    @classmethod
    def load(cls, path: Path | None = None) -> GuiSettings:
        """Read ``path`` (the platform default if None); a GUI-only key with a bad value reads as its default."""
        return cls(ClientConfig.load(path))

    def __getitem__(self, key: str) -> Any:
        return self.config[key]

    def tab_visible(self, key: str) -> bool:
        return bool(self.config[key])


def save_settings(path: Path, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``changes`` (any key of the table, aliases allowed) and write them to ``path`` atomically.

    Every key is checked before anything is written: one bad value raises :class:`ConfigError`
    naming it and leaves the file as it was. Keys the file holds that nobody here knows are kept.
    Returns the stored values of the changed keys.
    """
    parsed: dict[str, Any] = {}
    for key, value in changes.items():
        name = canonical_key(str(key))
        parsed[name] = parse_value(name, value)
    config = ClientConfig.load(path)  # also checks the file as it is now
    for name, value in parsed.items():
        config.set_value(name, value)
    config.save()
    return parsed
