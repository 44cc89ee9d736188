"""How the GUI reaches the service: its control API over HTTP, and the folders its config names (no Qt here).

Nothing of the service runs in the GUI's process, so closing or restarting the GUI never touches it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ClientConfig
from ..fsutil import move_unique

__all__ = ["FailedFile", "ServiceLink", "ServiceUnavailable", "Snapshot"]

_REPORT_SUFFIX = ".report.json"
_REASON_SUFFIX = ".reason.txt"
#: Pending entries described one by one (each is a file read); the rest are only counted.
MAX_LISTED = 200


class ServiceUnavailable(Exception):
    """The control API did not answer (the service is not running, or runs without ``--api``)."""


@dataclass(frozen=True)
class FailedFile:
    """A file the service gave up on: ``kind`` is ``"conversion"`` (errors folder) or ``"rejected"`` (server)."""

    kind: str
    path: Path
    reason: str


@dataclass
class Snapshot:
    """One refresh of everything the window shows about the service."""

    connected: bool
    error: str = ""
    status: dict[str, Any] | None = None
    converters: list[dict[str, Any]] | None = None
    pending: list[tuple[str, str]] | None = None  # (report id, source file)
    failed: list[FailedFile] | None = None


class ServiceLink:
    """The control API of the service configured by ``config`` (found through its runtime file)."""

    def __init__(self, config: ClientConfig, timeout: float = 3.0) -> None:
        self.config = config
        self.timeout = timeout

    def api_url(self) -> str:
        """The running service's control API, or where the config says it would be."""
        try:
            info = json.loads(self.config.runtime_path.read_text(encoding="utf-8"))
            if isinstance(info, dict) and isinstance(info.get("api_url"), str):
                return str(info["api_url"]).rstrip("/")
        except (OSError, ValueError):
            pass
        return f"http://{self.config['api_host']}:{self.config['api_port']}"

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """One control API call; :class:`ServiceUnavailable` if unreachable, ``RuntimeError`` for an error answer."""
        url = self.api_url()
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                message = str(json.loads(exc.read()).get("error", ""))
            except Exception:
                message = ""
            raise RuntimeError(f"{method} {path}: HTTP {exc.code} {message}".strip()) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServiceUnavailable(f"the service does not answer at {url} ({reason})") from None

    # -- what the window shows ----------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Status, converters and queue; never raises (a service that is down gives ``connected=False``)."""
        snap = Snapshot(connected=False)
        try:
            snap.status = self.request("GET", "/status")
            snap.converters = list(self.request("GET", "/converters").get("converters", []))
            snap.connected = True
        except (ServiceUnavailable, RuntimeError) as exc:
            snap.error = str(exc)
        snap.pending = self.pending()
        snap.failed = self.failed()
        return snap

    def pending(self) -> list[tuple[str, str]]:
        folder = self.config.queue_path
        try:
            names = sorted(p for p in os.listdir(folder) if p.endswith(_REPORT_SUFFIX) and not p.startswith("."))
        except OSError:
            return []
        out = []
        for name in names[:MAX_LISTED]:
            source = ""
            try:
                source = str(json.loads((folder / name).read_text(encoding="utf-8")).get("source", ""))
            except (OSError, ValueError, AttributeError):
                pass  # sent (removed) or being written while we looked
            out.append((name[: -len(_REPORT_SUFFIX)], source))
        return out

    def failed(self) -> list[FailedFile]:
        """Files that failed to convert (errors folder) and reports the server refused, with their reasons."""
        out: list[FailedFile] = []
        for kind, folder in (("conversion", self.config.error_path), ("rejected", self.config.queue_path / "rejected")):
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                continue
            for name in names:
                if name.endswith(_REASON_SUFFIX) or name.startswith("."):
                    continue
                path = folder / name
                try:
                    reason = (folder / (name + _REASON_SUFFIX)).read_text(encoding="utf-8").strip()
                except OSError:
                    reason = "(no reason recorded)"
                out.append(FailedFile(kind, path, reason))
        return out

    def retry(self, item: FailedFile) -> Path:
        """Give a failed file another go; returns where it went.

        A file that failed to convert goes back into the (first) watch folder; a refused report goes
        back into the queue under its own name (its id), and the service is asked to pick it up.
        """
        reason = item.path.with_name(item.path.name + _REASON_SUFFIX)
        if item.kind == "rejected":
            target = self.config.queue_path / item.path.name
            os.replace(item.path, target)
        else:
            target = move_unique(item.path, self.config.watch_paths[0])
        try:
            reason.unlink()
        except OSError:
            pass
        if item.kind == "rejected":
            try:
                self.request("POST", "/queue/process")
            except (ServiceUnavailable, RuntimeError):
                pass  # a stopped service picks the entry up when it starts
        return target

    def start_service(self) -> None:
        """Start the service in the background with its control API (it outlives the GUI)."""
        cmd = [sys.executable, "-m", "pywats_client", "--config", str(self.config.path), "start", "--api"]
        log = self.config.data_dir / "pywats_client.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        if os.name == "nt":
            flags = getattr(subprocess, "DETACHED_PROCESS", 0) | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
            with open(log, "ab") as out:
                subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, creationflags=flags)
        else:
            # files, not pipes: the daemon inherits them, and a pipe it holds open would never reach EOF
            with tempfile.TemporaryFile() as err:
                done = subprocess.run([*cmd, "--daemon"], stdout=subprocess.DEVNULL, stderr=err, timeout=60)
                if done.returncode != 0:
                    err.seek(0)
                    raise RuntimeError(err.read().decode(errors="replace").strip() or "the service did not start")


