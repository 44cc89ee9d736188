"""How the GUI reaches the service: its control API over HTTP, and nothing else (no Qt here).

The GUI never reads or moves the service's folders itself: pending, failed and rejected items and
retries all go through the control API, so the service stays the only owner of its queue. Nothing
of the service runs in the GUI's process, so closing or restarting the GUI never touches it.

A control API that answers for another configuration (two stations sharing ``api_port``) is not
this station's service: :meth:`ServiceLink.snapshot` reports it as ``foreign`` and every command
that changes a service checks the instance first.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ClientConfig

__all__ = ["FailedFile", "ForeignService", "ServiceLink", "ServiceSilent", "ServiceUnavailable", "Snapshot"]


class ServiceUnavailable(Exception):
    """The control API did not answer (the service is not running, or runs without ``--api``)."""


class ServiceSilent(ServiceUnavailable):
    """Something accepted the connection at the control API's address but did not answer in time (a busy service)."""


class ForeignService(RuntimeError):
    """The control API at this station's address serves another configuration."""


@dataclass(frozen=True)
class FailedFile:
    """A file the service gave up on, as ``GET /queue/failed`` lists it.

    ``kind`` is ``"conversion"`` (no converter could read it) or ``"rejected"`` (the server refused the
    report); ``name`` is what ``POST /queue/retry`` takes; ``source`` is the station's file a refused
    report came from.
    """

    kind: str
    name: str
    reason: str
    source: str = ""
    report_id: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)

    @property
    def shown_name(self) -> str:
        """What an operator recognises: the station's file (for a refused report, the file it came from)."""
        return Path(self.source).name if self.source else self.name


#: The parts of a snapshot that cost a request each; the status is always read.
PARTS = ("converters", "queue", "log", "serial_numbers", "software")


@dataclass
class Snapshot:
    """One refresh of what the window shows about the service (parts not asked for stay None)."""

    connected: bool
    error: str = ""
    status: dict[str, Any] | None = None
    converters: list[dict[str, Any]] | None = None
    pending: list[tuple[str, str]] | None = None  # (report id, source file)
    failed: list[FailedFile] | None = None
    log: list[str] | None = None
    serial_numbers: dict[str, Any] | None = None
    software: dict[str, Any] | None = None
    #: the ``instance`` a control API at our address gave when it serves another configuration
    foreign: dict[str, Any] | None = None
    #: not connected, yet something answered at the control API's address (with an error)
    answered: bool = False
    #: not connected: something accepted the connection but did not answer within the link's timeout
    silent: bool = False
    errors: dict[str, str] = field(default_factory=dict)


def _same_path(a: str, b: Path) -> bool:
    try:
        return Path(a).expanduser().resolve() == b.expanduser().resolve()
    except (OSError, ValueError):
        return False


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
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise ServiceSilent(f"the service at {url} did not answer within {self.timeout:g} s") from None
            raise ServiceUnavailable(f"the service does not answer at {url} ({reason})") from None
        except (http.client.HTTPException, ValueError):
            # not HTTP, or not JSON: another program listens on the control API's port
            raise RuntimeError(
                f"{method} {path}: what answers at {url} is not the service's control API (no JSON answer); "
                "another program may be using that port"
            ) from None

    # -- which service answers -------------------------------------------------------------------

    def foreign_instance(self, status: dict[str, Any]) -> dict[str, Any] | None:
        """The ``instance`` of ``status`` if it names another config file than ours, else None."""
        instance = status.get("instance")
        if not isinstance(instance, dict) or not isinstance(instance.get("config_path"), str):
            return None  # a service that does not say which it is: nothing to compare
        return None if _same_path(instance["config_path"], self.config.path) else instance

    @staticmethod
    def describe(instance: dict[str, Any]) -> str:
        who = instance.get("instance_name") or instance.get("station") or "another station"
        return f"{who} (config {instance.get('config_path', '?')}, pid {instance.get('pid', '?')})"

    def ours(self) -> dict[str, Any]:
        """``GET /status`` of our own service; :class:`ForeignService` if another configuration's answers."""
        status: dict[str, Any] = self.request("GET", "/status")
        other = self.foreign_instance(status)
        if other is not None:
            raise ForeignService(
                f"the control API at {self.api_url()} belongs to {self.describe(other)}, not this station"
            )
        return status

    def command(self, method: str, path: str, body: Any = None) -> Any:
        """A request that changes the service, sent only after checking it is this station's."""
        self.ours()
        return self.request(method, path, body)

    # -- what the window shows ----------------------------------------------------------------

    def snapshot(self, parts: frozenset[str] | set[str] = frozenset(PARTS)) -> Snapshot:
        """The status plus the ``parts`` asked for; never raises (a service that is down gives ``connected=False``).

        A part the service does not offer (an older service) is left None with its error in ``errors``.
        """
        try:
            status = self.request("GET", "/status")
        except ServiceSilent as exc:
            return Snapshot(connected=False, error=str(exc), silent=True)
        except ServiceUnavailable as exc:
            return Snapshot(connected=False, error=str(exc))
        except RuntimeError as exc:
            return Snapshot(connected=False, error=str(exc), answered=True)
        other = self.foreign_instance(status) if isinstance(status, dict) else None
        if other is not None:
            return Snapshot(
                connected=False,
                error=f"the control API at {self.api_url()} belongs to {self.describe(other)}",
                foreign=other,
            )
        snap = Snapshot(connected=True, status=status)

        def read(part: str) -> None:
            if part == "converters":
                snap.converters = list(self.request("GET", "/converters").get("converters", []))
            elif part == "queue":
                snap.pending, snap.failed = self.pending(), self.failed()
            elif part == "log":
                snap.log = self.log_tail()
            elif part == "serial_numbers":
                snap.serial_numbers = self.request("GET", "/serial-numbers")
            elif part == "software":
                snap.software = self.request("GET", "/software")

        for part in PARTS:
            if part in parts:
                try:
                    read(part)
                except ServiceUnavailable as exc:
                    return Snapshot(connected=False, error=str(exc))
                except RuntimeError as exc:
                    snap.errors[part] = str(exc)
        return snap

    def pending(self) -> list[tuple[str, str]]:
        """The queued reports as (report id, source file), from ``GET /queue/pending``."""
        answer = self.request("GET", "/queue/pending")
        return [(str(i.get("report_id", "")), str(i.get("source", ""))) for i in answer.get("items", [])]

    def failed(self) -> list[FailedFile]:
        """Files that failed to convert and reports the server refused, with their reasons (``GET /queue/failed``)."""
        answer = self.request("GET", "/queue/failed")
        return [
            FailedFile(
                str(i.get("kind", "")),
                str(i.get("name", "")),
                str(i.get("reason", "")),
                str(i.get("source") or ""),
                str(i.get("report_id") or ""),
            )
            for i in answer.get("items", [])
        ]

    def log_tail(self, lines: int = 300) -> list[str]:
        """The last ``lines`` lines of the service's log (``GET /log``)."""
        answer = self.request("GET", f"/log?lines={int(lines)}")
        return [str(line) for line in answer.get("lines", [])]

    def retry(self, item: FailedFile) -> dict[str, Any]:
        """Ask the service to give a failed item another go (``POST /queue/retry``); returns its answer."""
        result: dict[str, Any] = self.command("POST", "/queue/retry", {"name": item.name, "kind": item.kind})
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
