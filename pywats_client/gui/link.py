"""How the GUI reaches the service: its control API over HTTP, and nothing else (no Qt here).

The GUI never reads or moves the service's folders itself: pending, failed and rejected items and
retries all go through the control API, so the service stays the only owner of its queue. Nothing
of the service runs in the GUI's process, so closing or restarting the GUI never touches it.
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
from typing import Any

from ..config import ClientConfig

__all__ = ["FailedFile", "ServiceLink", "ServiceUnavailable", "Snapshot"]


class ServiceUnavailable(Exception):
    """The control API did not answer (the service is not running, or runs without ``--api``)."""


@dataclass(frozen=True)
class FailedFile:
    """A file the service gave up on, as ``GET /queue/failed`` lists it.

    ``kind`` is ``"conversion"`` (no converter could read it) or ``"rejected"`` (the server refused the report).
    """

    kind: str
    name: str
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
        try:
            return Snapshot(
                connected=True,
                status=self.request("GET", "/status"),
                converters=list(self.request("GET", "/converters").get("converters", [])),
                pending=self.pending(),
                failed=self.failed(),
            )
        except (ServiceUnavailable, RuntimeError) as exc:
            return Snapshot(connected=False, error=str(exc))

    def pending(self) -> list[tuple[str, str]]:
        """The queued reports as (report id, source file), from ``GET /queue/pending``."""
        answer = self.request("GET", "/queue/pending")
        return [(str(i.get("report_id", "")), str(i.get("source", ""))) for i in answer.get("items", [])]

    def failed(self) -> list[FailedFile]:
        """Files that failed to convert and reports the server refused, with their reasons (``GET /queue/failed``)."""
        answer = self.request("GET", "/queue/failed")
        return [
            FailedFile(str(i.get("kind", "")), str(i.get("name", "")), str(i.get("reason", "")))
            for i in answer.get("items", [])
        ]

    def retry(self, item: FailedFile) -> dict[str, Any]:
        """Ask the service to give a failed item another go (``POST /queue/retry``); returns its answer."""
        result: dict[str, Any] = self.request("POST", "/queue/retry", {"name": item.name, "kind": item.kind})
        return result

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
