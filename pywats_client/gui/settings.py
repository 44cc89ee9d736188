"""What the GUI reads and writes in the station's config file (no Qt here).

The GUI edits the same file as ``pywats-client config``: the service's keys are validated by the same
rules (:func:`pywats_client.config.parse_value`), and the GUI's own keys (tab visibility, proxy,
serial-number handler, software) by the rules below. A save validates every changed key first and
then replaces the file atomically (mode 0600), so a bad value writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config import ALIASES, KEYS, ClientConfig, ConfigError, canonical_key, parse_value
from ..fsutil import atomic_write

__all__ = ["GUI_KEYS", "TAB_KEYS", "GuiSettings", "save_settings"]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError("must be true or false")


def _choice(*options: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in options:
            raise ConfigError(f"must be one of {', '.join(options)}")
        return text

    return parse


def _proxy_url(value: Any) -> str:
    text = str(value).strip()
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https", "socks5") or not parts.hostname:
        raise ConfigError("must be empty or a proxy URL such as http://proxy.example.com:8080")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ConfigError("has a port that is not a number") from None
    return text


def _text(value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ConfigError("must be text")
    return str(value).strip()


def _count(value: Any) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else -1
    except ValueError:
        number = -1
    if number < 0:
        raise ConfigError("must be a whole number, 0 or more")
    return number


#: Which tab each visibility key shows (Setup, General and Connection are always shown).
TAB_KEYS: dict[str, str] = {
    "show_location_tab": "Location",
    "show_converters_tab": "Converters",
    "show_sn_handler_tab": "SN Handler",
    "show_proxy_tab": "Proxy Settings",
    "show_software_tab": "Software",
}

#: The GUI's own keys: ``(parser, default)``. The service ignores them.
GUI_KEYS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    **{key: (_bool, True) for key in TAB_KEYS},
    "proxy_mode": (_choice("system", "none", "manual"), "system"),
    "proxy_url": (_proxy_url, ""),
    "sn_handler_mode": (_choice("manual", "auto_increment"), "manual"),
    "sn_prefix": (_text, ""),
    "sn_next_number": (_count, 1),
    "software_auto_update": (_bool, False),
    "software_folder": (_text, ""),
}


def _parse(key: str, value: Any) -> tuple[str, Any]:
    if key in GUI_KEYS:
        try:
            return key, GUI_KEYS[key][0](value)
        except ConfigError as exc:
            raise ConfigError(f"{key}: {value!r} {exc}") from None
    name = canonical_key(key)
    return name, parse_value(name, value)


class GuiSettings:
    """The config file as the GUI sees it: the service's configuration plus the GUI's keys."""

    def __init__(self, config: ClientConfig, gui: Mapping[str, Any]) -> None:
        self.config = config
        self.gui = dict(gui)

    @property
    def path(self) -> Path:
        return self.config.path

    @classmethod
    def load(cls, path: Path | None = None) -> GuiSettings:
        """Read ``path`` (the platform default if None); a GUI key with a bad value falls back to its default."""
        config = ClientConfig.load(path)
        raw = _read_raw(config.path)
        gui: dict[str, Any] = {}
        for key, (parse, default) in GUI_KEYS.items():
            try:
                gui[key] = parse(raw[key]) if key in raw else default
            except ConfigError:
                gui[key] = default  # a hand-edited typo must not keep the window from opening
        return cls(config, gui)

    def __getitem__(self, key: str) -> Any:
        return self.gui[key] if key in GUI_KEYS else self.config[key]

    def tab_visible(self, key: str) -> bool:
        return bool(self.gui[key])


def _read_raw(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration file {path}: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"the configuration file {path} must hold a JSON object")
    return raw


def save_settings(path: Path, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``changes`` (service or GUI keys, aliases allowed) and write them to ``path`` atomically.

    Every key is checked before anything is written: one bad value raises :class:`ConfigError`
    naming it and leaves the file as it was. Keys the file holds that nobody here knows are kept.
    Returns the stored values of the changed keys.
    """
    parsed = dict(_parse(str(key), value) for key, value in changes.items())
    config = ClientConfig.load(path)  # also checks the file as it is now
    raw = _read_raw(config.path)
    for name, value in parsed.items():
        if name in KEYS:
            config.set_value(name, value)
    known = set(KEYS) | set(ALIASES)
    doc = {k: v for k, v in raw.items() if k not in known}
    doc.update(config.to_dict(reveal=True))
    doc.update({k: v for k, v in parsed.items() if k in GUI_KEYS})
    atomic_write(config.path, (json.dumps(doc, indent=2) + "\n").encode(), mode=0o600)
    return parsed
