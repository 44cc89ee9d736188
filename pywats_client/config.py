"""The station client's configuration: one JSON file, validated key by key, written atomically.

Location: ``%APPDATA%\\pyWATS_Client\\config.json`` on Windows, ``~/.config/pywats_client/config.json``
elsewhere (``$XDG_CONFIG_HOME`` is honoured); when that file does not exist but
``~/.pywats_client/config.json`` does (the Docker recipe's location), that one is used.
``--config PATH`` or ``PYWATS_CLIENT_CONFIG`` override both. Environment variables ``PYWATS_<KEY>``
(for example ``PYWATS_SERVICE_ADDRESS``, ``PYWATS_API_TOKEN``) override the file when the service reads it.

Instances: each config file is one instance. ``config.json`` keeps its data (queue, watch, archive,
errors, pid, run and log files) in its own folder; any other ``NAME.json`` in ``<folder>/NAME/``, so
``config_station1.json`` and ``config_station2.json`` side by side never share a queue or a pid file.

Paths: a relative path typed on the command line (``--config``, ``config set``) is taken from the
current directory and stored absolute; a relative path in the file itself (hand-edited, or sent to
the control API) is relative to the config file's folder. The service and the daemon resolve them
the same way, whatever their working directory.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .fsutil import atomic_write

__all__ = [
    "ALIASES",
    "GUI_ONLY_KEYS",
    "KEYS",
    "LIVE_KEYS",
    "PATH_KEYS",
    "ClientConfig",
    "ConfigError",
    "config_location",
    "default_config_path",
    "mask_token",
    "mask_url_password",
]


class ConfigError(ValueError):
    """A configuration key or value that cannot be used; the message says which and why."""


def platform_config_path() -> Path:
    """The platform's config location (before ``PYWATS_CLIENT_CONFIG`` and the home-folder fallback)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / "pyWATS_Client" / "config.json"
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "pywats_client" / "config.json"


def config_location() -> tuple[Path, str]:
    """Which config file is used without ``--config``, and why (what ``config show`` says)."""
    override = os.environ.get("PYWATS_CLIENT_CONFIG")
    if override:
        return Path(override).absolute(), "from PYWATS_CLIENT_CONFIG"
    platform = platform_config_path()
    home = Path.home() / ".pywats_client" / "config.json"
    if not platform.exists() and home.exists():
        return home, f"{platform} does not exist; using {home}"
    return platform, "the platform's default location"


def default_config_path() -> Path:
    """Where the config file lives (see :func:`config_location`)."""
    return config_location()[0]


def mask_token(token: str | None) -> str:
    """A token as it may be shown: its first 4 characters at most, never the whole secret."""
    if not token:
        return ""
    if len(token) < 12:
        return "****"
    return f"{token[:4]}****"


def mask_url_password(url: str) -> str:
    """``url`` with the password of its ``user:password@`` part (a proxy's credentials) shown as ``****``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:****@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


# -- value parsers: each takes what a user typed (or what JSON held) and returns the stored value ------


def _url(value: Any) -> str:
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("must be an http:// or https:// URL with a host, e.g. https://wats.example.com")
    if parts.username or parts.password:
        raise ConfigError("must not carry credentials: put them in api_token")
    return text.rstrip("/")


def _text(value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ConfigError("must be text")
    return str(value).strip()


def _name(value: Any) -> str:
    text = _text(value)
    if not text:
        raise ConfigError("must not be empty")
    return text


def _token(value: Any) -> str:
    text = _text(value)
    if any(c.isspace() for c in text):
        raise ConfigError("must not contain spaces (base64 of username:password)")
    return text


_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _level(value: Any) -> str:
    text = _text(value).upper()
    if text not in _LEVELS:
        raise ConfigError(f"must be one of {', '.join(_LEVELS)}")
    return text


def _number(low: float, high: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"must be a number from {low:g} to {high:g}") from None
        if isinstance(value, bool) or not low <= number <= high:
            raise ConfigError(f"must be a number from {low:g} to {high:g}")
        return number

    return parse


def _integer(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise ConfigError(f"must be a whole number from {low} to {high}")
        return number

    return parse


def _path(value: Any) -> str:
    text = _text(value)
    return str(Path(text).expanduser()) if text else ""


def _folder(value: Any) -> str:
    """One folder of a list. A comma followed by another absolute path is a list typed with the wrong
    separator: taken as one folder, the folders meant would never be watched."""
    text = _path(value)
    pieces = text.split(",")
    if len(pieces) > 1 and any(os.path.isabs(p.strip()) for p in pieces[1:]):
        raise ConfigError(
            f"looks like {len(pieces)} folders separated by commas; separate them with {os.pathsep!r} "
            "(or give a JSON list)"
        )
    return text


_ACTIONS = ("archive", "delete", "keep")


def _from_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"is not a JSON {what}: {exc.msg}") from None


def _post_actions(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            value = _from_json(text, "object")
        else:
            pairs = [p.strip() for p in text.split(",") if p.strip()]
            if any("=" not in p for p in pairs):
                raise ConfigError("must be CONVERTER=ACTION pairs separated by commas, e.g. csv=delete,wsjf=keep")
            value = dict(p.split("=", 1) for p in pairs)
    if not isinstance(value, dict):
        raise ConfigError("must map converter names to archive, delete or keep")
    out: dict[str, str] = {}
    for name, action in value.items():
        key, act = str(name).strip().lower(), str(action).strip().lower()
        if not key:
            raise ConfigError("has an empty converter name")
        if act not in _ACTIONS:
            raise ConfigError(f"{name}: the action must be archive, delete or keep, not {action!r}")
        out[key] = act
    return out


def _list(item: Callable[[Any], str]) -> Callable[[Any], list[str]]:
    def parse(value: Any) -> list[str]:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                value = _from_json(text, "list")
            else:
                value = [p for p in text.split(os.pathsep)] if text else []
        if not isinstance(value, list):
            raise ConfigError(f"must be a list (JSON, or items separated by {os.pathsep!r})")
        return [item(v) for v in value if str(v).strip()]

    return parse


def _tags(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [p for p in _text(value).split(";")]
    tags = []
    for item in items:
        key, sep, tag_value = _text(item).partition("=")
        if not key.strip() and not tag_value.strip():
            continue
        if not sep or not key.strip():
            raise ConfigError(f"must be key=value tags separated by ';' ({item!r} is not key=value)")
        tags.append(f"{key.strip()}={tag_value.strip()}")
    return tags


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
        text = _text(value).lower()
        if text not in options:
            raise ConfigError(f"must be one of {', '.join(options)}")
        return text

    return parse


def _proxy_url(value: Any) -> str:
    text = _text(value)
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("must be empty or a proxy URL such as http://proxy.example.com:8080")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ConfigError("has a port that is not a number") from None
    return text.rstrip("/")


def _count(value: Any) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else -1
    except ValueError:
        number = -1
    if number < 0:
        raise ConfigError("must be a whole number, 0 or more")
    return number


#: Who reads a key: the service (it changes what the service does), or only the GUI (stored for it).
SERVICE = "service"
GUI = "gui"


@dataclass(frozen=True)
class _Key:
    parse: Callable[[Any], Any]
    default: Any
    doc: str
    used_by: str = SERVICE


KEYS: dict[str, _Key] = {
    "service_address": _Key(_url, "", "WATS server URL (alias: server_url)"),
    "api_token": _Key(_token, "", "base64 of username:password; shown masked"),
    "station_name": _Key(_name, "", "station name stamped on reports that carry none"),
    "location": _Key(_text, "", "station location stamped on reports that carry none"),
    "log_level": _Key(_level, "INFO", "DEBUG, INFO, WARNING, ERROR or CRITICAL"),
    "log_file": _Key(_path, "", "log file (empty: stderr; a daemon logs to pywats_client.log)"),
    "watch_folders": _Key(
        _list(_folder),
        [],
        "folders the service watches, separated by ':' (';' on Windows) or a JSON list (empty: <data>/watch)",
    ),
    "archive_folder": _Key(_path, "", "where converted source files go (empty: <data>/archive)"),
    "error_folder": _Key(_path, "", "where files that fail go, with a reason file (empty: <data>/errors)"),
    "queue_folder": _Key(_path, "", "the persistent report queue (empty: <data>/queue)"),
    "converters_folder": _Key(_path, "", "folder of converter plugins, *.py (empty: <data>/converters)"),
    "disabled_converters": _Key(_list(_name), [], "converters not used (converters enable/disable NAME)"),
    "poll_interval": _Key(_number(0.01, 3600), 1.0, "seconds between scans of the watch folders"),
    "settle_time": _Key(_number(0, 3600), 1.0, "a file must be unchanged this long before it is converted"),
    "max_file_mb": _Key(_number(0.001, 100_000), 50.0, "larger files go to the error folder unread (MB)"),
    "post_actions": _Key(
        _post_actions, {}, "what happens to a converted file, per converter: archive (default), delete or keep"
    ),
    "upload_workers": _Key(_integer(1, 64), 16, "reports submitted concurrently"),
    "retry_initial_delay": _Key(
        _number(0.01, 3600), 1.0, "back-off (s) after submissions fail while the server answers its probe; doubles"
    ),
    "retry_max_delay": _Key(_number(0.01, 86400), 60.0, "longest such back-off (s)"),
    "health_interval": _Key(_number(0, 86400), 30.0, "seconds between checks of the server while idle (0: none)"),
    "timeout": _Key(_number(0.1, 3600), 30.0, "seconds per request to the server"),
    "verify_ssl": _Key(_bool, True, "verify the server's TLS certificate"),
    "api_host": _Key(_name, "127.0.0.1", "address the control API binds to"),
    "api_port": _Key(_integer(1, 65535), 8765, "port of the control API (start --api)"),
    "proxy_mode": _Key(
        _choice("system", "none", "manual"),
        "system",
        "system: HTTPS_PROXY/HTTP_PROXY/NO_PROXY as set; none: no proxy; manual: proxy_url",
    ),
    "proxy_url": _Key(_proxy_url, "", "the proxy for proxy_mode manual, e.g. http://proxy.example.com:8080"),
    # -- the SN handler (pywats_client.sn_pool) and the software client (pywats_client.software_update) --
    "sn_handler_mode": _Key(
        _choice("manual", "auto_increment", "server"),
        "manual",
        "serial numbers for test programs: manual (none), auto_increment (prefix + counter), server (sn_type)",
    ),
    "sn_type": _Key(_text, "", "server mode: the WATS serial number type to take numbers of"),
    "sn_block_size": _Key(_integer(1, 10_000), 20, "server mode: how many numbers one request takes"),
    "sn_low_water": _Key(_integer(0, 10_000), 5, "server mode: take the next block when fewer are left"),
    "sn_prefix": _Key(_text, "", "auto_increment: the prefix of counted serial numbers"),
    "sn_next_number": _Key(_count, 1, "auto_increment: the next number (raising it moves the counter on)"),
    "software_auto_update": _Key(_bool, False, "install released software packages meant for this station"),
    "software_folder": _Key(_path, "", "where software packages go (empty: <data>/software)"),
    "software_tags": _Key(
        _tags, [], "key=value tags (separated by ;) a package must carry to be for this station (empty: station=NAME)"
    ),
    "software_poll_interval": _Key(_number(10, 86400), 300.0, "seconds between checks for new packages"),
    # -- stored for the GUI only: the service does not read these ---------------------------------
    "show_location_tab": _Key(_bool, True, "GUI: show the Location tab", GUI),
    "show_converters_tab": _Key(_bool, True, "GUI: show the Converters tab", GUI),
    "show_sn_handler_tab": _Key(_bool, True, "GUI: show the SN Handler tab", GUI),
    "show_proxy_tab": _Key(_bool, True, "GUI: show the Proxy Settings tab", GUI),
    "show_software_tab": _Key(_bool, True, "GUI: show the Software tab", GUI),
    "instance_id": _Key(_text, "", "GUI: this client instance's id (several config files, one each)", GUI),
    "instance_name": _Key(_text, "", "GUI: this client instance's display name", GUI),
    "start_minimized": _Key(_bool, False, "GUI: open the window minimized", GUI),
    "minimize_to_tray": _Key(_bool, True, "GUI: minimize to the system tray", GUI),
    "auto_connect": _Key(_bool, True, "GUI: connect to the service when the window opens", GUI),
}

#: The keys only the GUI reads (tab visibility, window behaviour).
GUI_ONLY_KEYS = frozenset(k for k, spec in KEYS.items() if spec.used_by == GUI)

ALIASES = {"server_url": "service_address", "token": "api_token"}

SECRET_KEYS = frozenset({"api_token"})

#: Keys holding paths (a list of them for watch_folders): relative ones are resolved (module docstring).
PATH_KEYS = frozenset(
    {
        "log_file",
        "watch_folders",
        "archive_folder",
        "error_folder",
        "queue_folder",
        "converters_folder",
        "software_folder",
    }
)

#: Keys the running service applies at once when they change (POST /config); other service keys need a restart.
LIVE_KEYS = frozenset({"log_level"})


def canonical_key(key: str) -> str:
    """The stored name of ``key`` (aliases resolved); :class:`ConfigError` naming the known keys if unknown."""
    name = ALIASES.get(key.strip().lower(), key.strip().lower())
    if name not in KEYS:
        known = ", ".join(sorted([*KEYS, *ALIASES]))
        raise ConfigError(f"unknown configuration key {key!r}; known keys: {known}")
    return name


def parse_value(key: str, value: Any) -> Any:
    """``value`` checked and converted for ``key`` (canonical); :class:`ConfigError` saying why not."""
    try:
        return KEYS[key].parse(value)
    except ConfigError as exc:
        shown = "****" if key in SECRET_KEYS else repr(value)
        raise ConfigError(f"{key}: {shown} {exc}") from None


class ClientConfig(Mapping[str, Any]):
    """The configuration read from ``path``: every known key, defaults filled in.

    Keys the file holds that this version does not know are kept and written back unchanged. A bad
    value of a GUI-only key does not stop the service: its default is used, :attr:`warnings` says so,
    and the value in the file is kept until the key is set again.
    """

    def __init__(
        self,
        path: Path,
        values: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        invalid: dict[str, Any] | None = None,
        warnings: list[str] | None = None,
    ):
        self.path = Path(path)
        self._values: dict[str, Any] = {k: spec.default for k, spec in KEYS.items()}
        self._extra: dict[str, Any] = dict(extra or {})
        self._invalid: dict[str, Any] = dict(invalid or {})
        #: What was wrong with GUI-only keys in the file (their defaults are used instead).
        self.warnings: list[str] = list(warnings or [])
        for key, value in (values or {}).items():
            self._values[key] = value

    # -- reading ---------------------------------------------------------------------------------

    @classmethod
    def load(
        cls, path: Path | None = None, *, environ: Mapping[str, str] | None = None, lenient: bool = False
    ) -> ClientConfig:
        """Read ``path`` (the platform default if None); a missing file gives the defaults.

        With ``environ``, ``PYWATS_<KEY>`` variables there override the file (the service passes
        ``os.environ``; the ``config`` commands do not, so they show and edit the file itself).
        ``lenient`` treats a bad value of any key as one of a GUI-only key (default used, kept in the
        file, :meth:`problems` says why): what ``config set`` and the GUI need to repair a file.
        """
        path = (Path(path).expanduser() if path is not None else default_config_path()).absolute()
        raw: dict[str, Any] = {}
        if path.exists():
            try:
                raw = json.loads(path.read_text(encoding="utf-8") or "{}")
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ConfigError(f"cannot read the configuration file {path}: {exc}") from None
            if not isinstance(raw, dict):
                raise ConfigError(f"the configuration file {path} must hold a JSON object")
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        invalid: dict[str, Any] = {}
        warnings: list[str] = []
        for key, value in raw.items():
            name = ALIASES.get(key, key)
            if name not in KEYS:
                extra[key] = value
                continue
            try:
                values[name] = cls._checked(path, name, value)
            except ConfigError as exc:
                if name not in GUI_ONLY_KEYS and not lenient:
                    raise
                # a hand-edited typo in a window setting must not keep the service (or the window) from starting
                invalid[name] = value
                warnings.append(f"{exc}; using {KEYS[name].default!r}")
        for name in KEYS:
            env = (environ or {}).get(f"PYWATS_{name.upper()}")
            if env is not None:
                values[name] = parse_value(name, env)
                invalid.pop(name, None)
        return cls(path, values, extra, invalid, warnings)

    @staticmethod
    def _checked(path: Path, key: str, value: Any) -> Any:
        if value in ("", None) and key not in ("log_level", "api_host", "api_port"):
            return KEYS[key].default
        try:
            return parse_value(key, value)
        except ConfigError as exc:
            raise ConfigError(f"in {path}: {exc}") from None

    def problems(self) -> dict[str, str]:
        """Each key whose value in the file cannot be used (its default is used), with the reason."""
        out = {}
        for key, value in self._invalid.items():
            try:
                parse_value(key, value)
            except ConfigError as exc:
                out[key] = str(exc)
        return out

    def __getitem__(self, key: str) -> Any:
        return self._values[canonical_key(key)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def get_value(self, key: str) -> Any:
        """The value of ``key`` (an alias is fine); :class:`ConfigError` if the key is unknown."""
        return self._values[canonical_key(key)]

    def set_value(self, key: str, value: Any, *, base: Path | None = None) -> Any:
        """Validate and set ``key`` (not yet saved); returns the stored value.

        ``base``: the folder a relative path in ``value`` is relative to (the CLI passes the current
        directory, so what is stored is absolute); without it a relative path is stored as given and
        means relative to the config file's folder.
        """
        name = canonical_key(key)
        parsed = parse_value(name, value)
        if base is not None and name in PATH_KEYS:
            if isinstance(parsed, list):
                parsed = [str(Path(base, p)) if p else p for p in parsed]
            elif parsed:
                parsed = str(Path(base, parsed))
        self._values[name] = parsed
        self._invalid.pop(name, None)
        return self._values[name]

    def with_values(self, **values: Any) -> ClientConfig:
        """A copy with ``values`` set (validated), for one use; the file is not touched."""
        copy = ClientConfig(self.path, dict(self._values), self._extra, self._invalid, self.warnings)
        for key, value in values.items():
            copy.set_value(key, value)
        return copy

    def post_action(self, converter: str) -> str:
        """What happens to a file once ``converter``'s reports are queued: archive, delete or keep."""
        actions: dict[str, str] = self._values["post_actions"]
        return actions.get(converter.lower()) or actions.get("*") or "archive"

    def to_dict(self, *, reveal: bool = False) -> dict[str, Any]:
        """The values, token masked unless ``reveal`` (only for writing the file)."""
        out = dict(self._values)
        if not reveal:
            for key in SECRET_KEYS:
                out[key] = mask_token(out[key])
            out["proxy_url"] = mask_url_password(out["proxy_url"])
        return out

    def save(self) -> None:
        """Write the file atomically, readable by its owner only (it holds the token)."""
        doc = {**self._extra, **self.to_dict(reveal=True), **self._invalid}
        atomic_write(self.path, (json.dumps(doc, indent=2) + "\n").encode(), mode=0o600)

    # -- derived -----------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        """Where this instance's unset folders, pid, run and log files live: the config file's folder
        for ``config.json``, ``<folder>/NAME`` for any other ``NAME.json``."""
        if self.path.stem.lower() == "config":
            return self.path.parent
        return self.path.parent / self.path.stem

    def resolve(self, value: str) -> Path:
        """A path from this config: absolute as it is, otherwise relative to the config file's folder."""
        return self.path.parent / Path(value).expanduser()

    def _folder(self, key: str, default: str) -> Path:
        value = self._values[key]
        return self.resolve(value) if value else self.data_dir / default

    @property
    def watch_paths(self) -> list[Path]:
        """The folders the service watches (``watch_folders``, else ``watch/`` next to the config file)."""
        return [self.resolve(p) for p in self._values["watch_folders"]] or [self.data_dir / "watch"]

    @property
    def log_path(self) -> Path | None:
        """The configured log file (None: the foreground service logs to stderr)."""
        return self.resolve(self._values["log_file"]) if self._values["log_file"] else None

    @property
    def daemon_log_path(self) -> Path:
        """Where a daemon logs: ``log_file``, else ``pywats_client.log`` in the data folder."""
        return self.log_path or self.data_dir / "pywats_client.log"

    @property
    def archive_path(self) -> Path:
        """Where converted source files go (``archive_folder``, else ``archive/`` next to the config file)."""
        return self._folder("archive_folder", "archive")

    @property
    def error_path(self) -> Path:
        """Where files that failed go (``error_folder``, else ``errors/`` next to the config file)."""
        return self._folder("error_folder", "errors")

    @property
    def queue_path(self) -> Path:
        """The persistent report queue (``queue_folder``, else ``queue/`` next to the config file)."""
        return self._folder("queue_folder", "queue")

    @property
    def converters_path(self) -> Path:
        """The folder of converter plugins (``converters_folder``, else ``converters/`` next to the config file)."""
        return self._folder("converters_folder", "converters")

    @property
    def pid_path(self) -> Path:
        """The file holding the running service's process id."""
        return self.data_dir / "pywats_client.pid"

    @property
    def runtime_path(self) -> Path:
        """Where a running service says how to reach it (pid and control API address)."""
        return self.data_dir / "pywats_client.run.json"

    def missing(self) -> list[str]:
        """Keys the service cannot run without that are not set."""
        return [k for k in ("service_address", "api_token") if not self._values[k]]

    def check(self) -> None:
        """:class:`ConfigError` for keys that are valid one by one but not together."""
        if self._values["proxy_mode"] == "manual" and not self._values["proxy_url"]:
            raise ConfigError("proxy_mode is manual but proxy_url is empty: set proxy_url, or proxy_mode system")
        if self._values["retry_initial_delay"] > self._values["retry_max_delay"]:
            raise ConfigError(
                f"retry_initial_delay ({self._values['retry_initial_delay']:g} s) is longer than retry_max_delay "
                f"({self._values['retry_max_delay']:g} s): lower the first or raise the second"
            )
