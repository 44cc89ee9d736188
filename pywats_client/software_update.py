"""Software distribution: with ``software_auto_update`` on, the service installs the packages meant for this station.

Every ``software_poll_interval`` seconds the service asks ``api.software`` for *released* packages
carrying all of this station's tags (``software_tags``, ``key=value`` each; none set means
``station=<station_name>``), and installs the highest version of each package name it does not have
yet into ``software_folder`` (default: ``software`` beside the config file) as ``NAME/vVERSION/``.

A package appears only when complete and verified: its files are downloaded into a hidden folder
beside the target, each is checked against the checksum and size the server lists (SHA-1 or MD5, as
the server keeps them), and the folder is then renamed into place in one step. A failed download
leaves no partial package; one package that fails does not stop the others. The file list and the
download use the server's internal API (``/api/internal/Software/Packages/{id}`` and
``/api/internal/Software/DownloadFile``), the only place WATS offers them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pywats import PyWATSError, pyWATS
from pywats.domains.software import Package, PackageStatus

from .config import ClientConfig
from .connection import make_client
from .control import ApiError, ApiRequest, register_routes
from .fsutil import atomic_write, fsync_dir
from .service import ClientService, register_component

__all__ = ["SoftwareError", "SoftwareService", "SoftwareSettings", "SoftwareUpdater", "parse_tags"]

log = logging.getLogger("pywats_client.software")

STATE_FILE = ".installed.json"
_PACKAGE_TREE = "/api/internal/Software/Packages/{packageId}"
_DOWNLOAD = "/api/internal/Software/DownloadFile"


class SoftwareError(RuntimeError):
    """A package that cannot be installed; the message names it and says why."""


def parse_tags(items: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """``["line=L1", "type=firmware"]`` as ``[("line", "L1"), ("type", "firmware")]``; ValueError naming a bad one."""
    tags = []
    for item in items:
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise ValueError(f"software tag {item!r} is not key=value")
        tags.append((key.strip(), value.strip()))
    return tags


@dataclass(frozen=True)
class SoftwareSettings:
    """What the software client does, from the Software settings."""

    auto_update: bool
    folder: Path
    tags: list[tuple[str, str]] = field(default_factory=list)
    poll_interval: float = 300.0

    @classmethod
    def from_config(cls, config: ClientConfig) -> SoftwareSettings:
        tags = parse_tags(list(config["software_tags"])) or [("station", str(config["station_name"]))]
        return cls(
            auto_update=bool(config["software_auto_update"]),
            folder=Path(config["software_folder"] or config.data_dir / "software"),
            tags=tags,
            poll_interval=float(config["software_poll_interval"]),
        )


def _safe_name(name: str) -> str:
    """A package name as one folder name (no separators, no leading dots)."""
    cleaned = re.sub(r"[^\w.\- ]+", "_", name).strip(" .")
    return cleaned or "package"


def _files(tree: dict[str, Any]) -> Iterator[tuple[PurePosixPath, dict[str, Any]]]:
    """Each file of an internal package tree with its path inside the package; refuses paths that leave it."""

    def walk(folder: dict[str, Any], parts: tuple[str, ...]) -> Iterator[tuple[PurePosixPath, dict[str, Any]]]:
        for item in folder.get("files") or []:
            yield PurePosixPath(*parts, str(item.get("Name", ""))), item
        for child in folder.get("folders") or []:
            yield from walk(child, (*parts, str(child.get("Name", ""))))

    for path, item in walk(tree.get("rootfolder") or {}, ()):
        if not path.parts or any(p in ("", ".", "..") or "\\" in p or ":" in p for p in path.parts):
            raise SoftwareError(f"the server lists a file at {str(path)!r}: not a plain path inside the package")
        yield path, item


def _hex_checksum(text: str) -> str:
    """The checksum as hex: the documents type it as bytes (base64 in JSON); hex is accepted too."""
    text = text.strip()
    if len(text) in (32, 40, 64) and all(c in "0123456789abcdefABCDEF" for c in text):
        return text.lower()
    try:
        return base64.b64decode(text, validate=True).hex()
    except (ValueError, binascii.Error):
        return text


def _hasher(checksum: str) -> Any:
    length = len(checksum)
    if length == 40:
        return hashlib.sha1()
    if length == 32:
        return hashlib.md5()
    if length == 64:
        return hashlib.sha256()
    raise SoftwareError(f"the server's checksum {checksum!r} is neither SHA-1, MD5 nor SHA-256")


class SoftwareUpdater:
    """Finds, downloads and installs this station's software packages (thread-safe; one per station)."""

    def __init__(self, settings: SoftwareSettings, client_factory: Callable[[], pyWATS]) -> None:
        self.settings = settings
        self._client_factory = client_factory
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.available: list[dict[str, Any]] = []
        self.checked_at: float | None = None
        self.last_error: str | None = None

    @classmethod
    def for_config(cls, config: ClientConfig, client_factory: Callable[[ClientConfig], pyWATS]) -> SoftwareUpdater:
        return cls(SoftwareSettings.from_config(config), lambda: client_factory(config))

    # -- what is installed ---------------------------------------------------------------------

    @property
    def state_path(self) -> Path:
        return self.settings.folder / STATE_FILE

    def installed(self) -> list[dict[str, Any]]:
        """The packages installed here, as recorded when each was complete (newest version first per name)."""
        try:
            doc = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        items = doc.get("installed") if isinstance(doc, dict) else None
        found = [i for i in items or [] if isinstance(i, dict) and Path(str(i.get("path", ""))).is_dir()]
        return sorted(found, key=lambda i: (str(i.get("name", "")).lower(), -int(i.get("version") or 0)))

    def _record(self, entry: dict[str, Any]) -> None:
        items = [i for i in self.installed() if (i.get("name"), i.get("version")) != (entry["name"], entry["version"])]
        items.append(entry)
        atomic_write(self.state_path, (json.dumps({"installed": items}, indent=1) + "\n").encode())

    def _is_installed(self, name: str, version: int) -> bool:
        return any(i.get("name") == name and i.get("version") == version for i in self.installed())

    # -- checking and installing ---------------------------------------------------------------

    def _wanted(self, api: pyWATS) -> list[Package]:
        """The highest released version of each package carrying all of this station's tags."""
        (first_key, first_value), *rest = self.settings.tags
        found = api.software.get_packages_by_tag(first_key, first_value, status=PackageStatus.RELEASED)
        best: dict[str, Package] = {}
        for package in found:
            if package.status != PackageStatus.RELEASED or not package.name or package.version is None:
                continue
            if any((package.tag_value(k) or "") != v for k, v in rest):
                continue
            current = best.get(package.name)
            if current is None or (current.version or 0) < package.version:
                best[package.name] = package
        return sorted(best.values(), key=lambda p: str(p.name).lower())

    def check_now(self) -> list[dict[str, Any]]:
        """Ask the server now and install what is missing; returns the packages installed by this check.

        A server that cannot be asked is ``last_error`` (nothing raised: the service tries again later).
        """
        with self._lock:
            done: list[dict[str, Any]] = []
            errors: list[str] = []
            try:
                with self._client_factory() as api:
                    wanted = self._wanted(api)
                    self.available = [
                        {
                            "name": p.name,
                            "version": p.version,
                            "status": str(p.status.value if p.status else ""),
                            "package_id": str(p.package_id),
                            "installed": self._is_installed(str(p.name), int(p.version or 0)),
                        }
                        for p in wanted
                    ]
                    for package in wanted:
                        if self._is_installed(str(package.name), int(package.version or 0)):
                            continue
                        try:
                            done.append(self._install(api, package))
                        except (SoftwareError, PyWATSError, OSError) as exc:
                            what = f"{package.name} v{package.version}"
                            errors.append(str(exc) if isinstance(exc, SoftwareError) else f"{what}: {exc}")
                            log.error("software package %s v%s not installed: %s", package.name, package.version, exc)
            except PyWATSError as exc:
                errors.append(f"the server could not be asked for packages: {exc}")
                log.warning("%s", errors[-1])
            for item in self.available:
                item["installed"] = self._is_installed(str(item["name"]), int(item["version"] or 0))
            self.checked_at = time.time()
            self.last_error = "; ".join(errors) or None
            return done

    def _install(self, api: pyWATS, package: Package) -> dict[str, Any]:
        name, version = str(package.name), int(package.version or 0)
        base = self.settings.folder / _safe_name(name)
        target = base / f"v{version}"
        partial = base / f".v{version}.partial-{os.getpid()}"
        http = api.raw.internal.get_httpx_client()
        tree = http.request("GET", _PACKAGE_TREE.replace("{packageId}", str(package.package_id))).json()
        files = list(_files(tree if isinstance(tree, dict) else {}))
        if partial.exists():
            shutil.rmtree(partial)
        partial.mkdir(parents=True)
        try:
            for path, item in files:
                self._download(http, partial / Path(*path.parts), item, f"{name} v{version}")
            fsync_dir(partial)
            if target.exists():  # recorded nowhere (an interrupted install): replace it with the verified one
                shutil.rmtree(target)
            os.replace(partial, target)
            fsync_dir(base)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        entry = {
            "name": name,
            "version": version,
            "package_id": str(package.package_id),
            "path": str(target),
            "files": len(files),
            "installed_at": time.time(),
        }
        self._record(entry)
        log.info("software package %s v%d installed in %s (%d files)", name, version, target, len(files))
        return entry

    @staticmethod
    def _download(http: Any, path: Path, item: dict[str, Any], what: str) -> None:
        checksum = _hex_checksum(str(item.get("Checksum") or ""))
        if not checksum:
            raise SoftwareError(f"{what}: the server lists no checksum for {path.name}, so it cannot be verified")
        digest = _hasher(checksum)
        size = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        query = {"repositoryFolderFileId": str(item.get("Id"))}
        with open(path, "wb") as out, http.stream("GET", _DOWNLOAD, params=query) as resp:
            for chunk in resp.iter_bytes():
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        expected_size = item.get("FileSize")
        if digest.hexdigest() != checksum:
            raise SoftwareError(f"{what}: {path.name} does not match its checksum (download damaged or changed)")
        if isinstance(expected_size, int) and expected_size != size:
            raise SoftwareError(f"{what}: {path.name} is {size} bytes, the server lists {expected_size}")

    # -- background ----------------------------------------------------------------------------

    def start(self) -> None:
        """Check now and then every ``poll_interval`` seconds, in a background thread (only with auto update on)."""
        if not self.settings.auto_update or (self._thread is not None and self._thread.is_alive()):
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="pywats-client-software", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.check_now()
            except Exception as exc:  # the loop must outlive anything one check runs into
                self.last_error = f"software check failed: {exc}"
                log.exception("software check failed")
            self._stop.wait(self.settings.poll_interval)

    def stop(self, timeout: float | None = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def state(self) -> dict[str, Any]:
        """What ``GET /software`` serves: the settings, what is installed, what the server offers this station."""
        installed = self.installed()
        return {
            "auto_update": self.settings.auto_update,
            "folder": str(self.settings.folder),
            "tags": [f"{k}={v}" for k, v in self.settings.tags],
            "poll_interval": self.settings.poll_interval,
            "installed": installed,
            "available": list(self.available),
            "checked_at": self.checked_at,
            "last_error": self.last_error,
        }


COMPONENT = "software_update"


class SoftwareService:
    """The software client as a part of the service: checks in the background while the service runs."""

    def __init__(self, config: ClientConfig, client_factory: Callable[[ClientConfig], pyWATS]) -> None:
        self.updater = SoftwareUpdater.for_config(config, client_factory)

    def start(self) -> None:
        self.updater.start()

    def stop(self) -> None:
        self.updater.stop()


def _updater_of(req: ApiRequest) -> SoftwareUpdater:
    part = req.service.components.get(COMPONENT)
    if not isinstance(part, SoftwareService):
        why = req.service.component_errors.get(COMPONENT) or f"the service is {req.service.state}"
        raise ApiError(503, f"the software client is not running ({why})")
    return part.updater


def _create(service: ClientService) -> SoftwareService:
    return SoftwareService(service.config, make_client)


register_component(COMPONENT, _create)
register_routes(
    {
        "GET /software": lambda req: _updater_of(req).state(),
        "POST /software/check": lambda req: {"installed": _updater_of(req).check_now()},
    },
    {
        "GET /software": "software packages: installed here and available for this station",
        "POST /software/check": "ask the server for this station's packages now and install what is missing",
    },
)
