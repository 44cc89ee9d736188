"""What the GUI reads and writes in the station's config file (no Qt here).

The GUI edits the same file, with the same key table (:data:`pywats_client.config.KEYS`), as
``pywats-client config``: every key it shows, its own (tab visibility, window behaviour) and the
service's, is validated by one set of rules. A save validates every changed key first and then
replaces the file atomically (mode 0600), so a bad value writes nothing.

Unlike the service, the window opens whatever the file holds: a value that does not pass its rule
is kept aside (:attr:`GuiSettings.problems`), its default is shown in its place, and the tab that
edits it says what is wrong. A file that is not JSON at all gives the defaults and
:attr:`GuiSettings.file_error`; saving then keeps the unreadable file as ``NAME.unreadable``.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config import SECRET_KEYS, ClientConfig, ConfigError, canonical_key, parse_value

__all__ = ["TAB_KEYS", "GuiSettings", "load_lenient", "save_settings"]

#: Which tab each visibility key shows (Setup, General and Connection are always shown).
TAB_KEYS: dict[str, str] = {
    "show_location_tab": "Location",
    "show_converters_tab": "Converters",
    "show_sn_handler_tab": "SN Handler",
    "show_proxy_tab": "Proxy Settings",
    "show_software_tab": "Software",
}

UNREADABLE_SUFFIX = ".unreadable"


def _file_error(path: Path) -> str:
    """Why the file as a whole cannot be read ("" if it can, or does not exist)."""
    if not path.exists():
        return ""
    try:
        raw = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot read {path}: {exc}"
    except json.JSONDecodeError as exc:
        return f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    if not isinstance(raw, dict):
        return f"{path} must hold a JSON object ({{...}}), not a {type(raw).__name__}"
    return ""


def load_lenient(path: Path) -> tuple[ClientConfig, dict[str, str], str]:
    """``path`` as the window shows it: (config with defaults in place of bad values, problems, file error).

    ``problems`` maps each key whose value fails its rule to the reason; the value itself stays
    in the file until that key is saved again.
    """
    file_error = _file_error(path)
    if file_error:
        return ClientConfig(path), {}, file_error
    config = ClientConfig.load(path, lenient=True)
    return config, config.problems(), ""


def _as_written(path: Path, problems: Mapping[str, str]) -> dict[str, Any]:
    """The values of the ``problems`` keys as ``path`` holds them (under any of their names); never a secret's."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    found: dict[str, Any] = {}
    for key, value in raw.items() if isinstance(raw, dict) else ():
        try:
            name = canonical_key(str(key))
        except ConfigError:
            continue  # a key nobody here knows is kept in the file, not shown
        if name in problems and name not in SECRET_KEYS:
            found[name] = value
    return found


class GuiSettings:
    """The config file as the GUI sees it (one :class:`ClientConfig`, every key of the table)."""

    def __init__(self, config: ClientConfig, problems: dict[str, str] | None = None, file_error: str = "") -> None:
        self.config = config
        #: key -> why the value in the file cannot be used (its default is used instead)
        self.problems: dict[str, str] = dict(problems or {})
        #: why the file as a whole cannot be read ("" if it can)
        self.file_error = file_error
        #: key -> the unusable value as the file holds it (for a text field to show, so it can be corrected)
        self.bad_values: dict[str, Any] = _as_written(config.path, self.problems) if self.problems else {}

    @property
    def path(self) -> Path:
        return self.config.path

    @classmethod
    def load(cls, path: Path | None = None) -> GuiSettings:
        """Read ``path`` (the platform default if None); never raises for what the file holds."""
        from ..config import default_config_path

        config, problems, file_error = load_lenient(Path(path) if path is not None else default_config_path())
        return cls(config, problems, file_error)

    def __getitem__(self, key: str) -> Any:
        return self.config[key]

    def tab_visible(self, key: str) -> bool:
        return bool(self.config[key])


def save_settings(path: Path, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``changes`` (any key of the table, aliases allowed) and write them to ``path`` atomically.

    Every key is checked before anything is written: one bad value raises :class:`ConfigError`
    naming it and leaves the file as it was. Keys the file holds that nobody here knows are kept,
    and so are bad values of keys not being changed (a save never hides them). A file that is not
    JSON is kept beside the new one as ``NAME.unreadable``. Returns the stored values of the changed keys.
    """
    parsed: dict[str, Any] = {}
    for key, value in changes.items():
        name = canonical_key(str(key))
        parsed[name] = parse_value(name, value)
    config, _, file_error = load_lenient(Path(path))
    for name, value in parsed.items():
        config.set_value(name, value)
    if file_error and Path(path).exists():
        with contextlib.suppress(OSError):
            shutil.copyfile(path, Path(str(path) + UNREADABLE_SUFFIX))
    config.save()
    return parsed
