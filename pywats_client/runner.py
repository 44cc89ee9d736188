"""Running the service as a process: the pid lock, the run file, identity checks, signals, the daemon.

Identity: the pid file is locked for the life of the service (the OS drops the lock when the
process dies, even by ``kill -9``). Once it holds the lock, the service writes the run file
atomically: pid, the process's start time (as the OS counts it), config path, an instance token
and, once it listens, the control API's URL. A run file is believed only while the lock is held,
its pid is alive *and* that pid's start time is the one written (so a reused pid is never taken
for the service), and the control API is believed only when it answers with that instance token.
:func:`find_service` applies those rules for ``start``, ``status``, ``stop`` and the GUI.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .config import ClientConfig
from .fsutil import atomic_write
from .logs import set_log_level

__all__ = [
    "AlreadyRunning",
    "PidLock",
    "RunningService",
    "StartFailed",
    "apply_process_settings",
    "find_service",
    "process_start_time",
    "read_runtime",
    "run_foreground",
]

log = logging.getLogger("pywats_client")


class AlreadyRunning(RuntimeError):
    """Another service holds this configuration's pid file."""


class StartFailed(RuntimeError):
    """The service cannot start; the message says why and what to do."""


class PidLock:
    """An exclusive lock on the pid file, released by the OS when the process dies (even by ``kill -9``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="ascii")  # held for the process's life
        try:
            if os.name == "nt":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise AlreadyRunning(f"pywats-client is already running for {self.path.parent}") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            try:
                self.path.unlink()
            except OSError:
                pass
            self._fh.close()
            self._fh = None


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists."""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_start_time(pid: int) -> str | None:
    """When process ``pid`` started, as the OS counts it (Linux: clock ticks since boot), or None
    where it cannot be read. Two processes that shared a pid never share this."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = data.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None  # field 22, counted after "pid (comm)"


def pid_locked(path: Path) -> bool:
    """Whether a live service holds the lock on ``path`` (a pid file left by a crash is not locked)."""
    if not path.exists():
        return False
    if os.name == "nt":
        try:
            pid = int(path.read_text().strip() or 0)
        except (OSError, ValueError):
            return False
        return pid_alive(pid)
    import fcntl

    try:
        fh = open(path, encoding="ascii")
    except FileNotFoundError:
        return False
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return False


@dataclass
class RunningService:
    """This config's service as found on disk and checked (see the module docstring).

    ``state``: ``"running"`` (pid, start time and, if it serves one, its control API check out) or
    ``"starting"`` (the lock is held but the run file is not this process's yet, e.g. while a converter
    plugin imports). ``pid`` is None while starting.
    """

    state: str
    pid: int | None = None
    instance: str | None = None
    api_url: str | None = None
    config: str | None = None
    started_at: float | None = None
    run_state: str | None = None
    proc_start: str | None = None

    def alive(self) -> bool:
        """Whether that very process still exists (same pid and start time)."""
        if self.pid is None:
            return False
        return pid_alive(self.pid) and self.proc_start == process_start_time(self.pid)


def _read_run_file(config: ClientConfig) -> dict[str, Any]:
    try:
        info = json.loads(config.runtime_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def find_service(config: ClientConfig) -> RunningService | None:
    """This config's live service, or None if none runs (never a dead or foreign process)."""
    if not pid_locked(config.pid_path):
        return None
    info = _read_run_file(config)
    try:
        pid = int(info.get("pid") or 0)
    except (TypeError, ValueError):
        pid = 0
    found = RunningService(
        "starting" if info.get("state") == "starting" else "running",
        pid,
        info.get("instance"),
        info.get("api_url"),
        info.get("config"),
        info.get("started_at"),
        info.get("state"),
        info.get("proc_start"),
    )
    if pid <= 0 or not found.alive():
        # the lock is held, but the run file is a dead predecessor's: ours is being written
        return RunningService("starting")
    return found


def read_runtime(config: ClientConfig) -> dict[str, Any] | None:
    """What a running service wrote about itself (pid, control API URL), or None if none is running."""
    found = find_service(config)
    if found is None:
        return None
    return {
        "state": found.state,
        "pid": found.pid,
        "api_url": found.api_url,
        "instance": found.instance,
        "config": found.config,
    }


def apply_process_settings(config: ClientConfig) -> None:
    """What the service's process takes from the config at every (re)start (the log level).

    The proxy needs nothing here: each WATS client is built with it (:func:`pywats_client.connection.make_client`).
    """
    set_log_level(config)


# -- running ---------------------------------------------------------------------------------------


def _who_holds(host: str, port: int) -> str:
    """Who listens on host:port, in words: another pywats-client (named) or another program."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    try:
        with urllib.request.urlopen(f"http://{shown}:{port}/status", timeout=2) as resp:
            if not resp.headers.get("X-Pywats-Instance"):
                raise ValueError
            info = json.loads(resp.read()).get("instance", {})
    except Exception:
        return f"port {port} is in use by another program"
    name = f" '{info['instance_name']}'" if info.get("instance_name") else ""
    return (
        f"port {port} is used by the pywats-client{name} of {info.get('config_path')} "
        f"(station {info.get('station')}, pid {info.get('pid')})"
    )


def _write_run_file(config: ClientConfig, run: dict[str, Any]) -> None:
    atomic_write(config.runtime_path, json.dumps(run).encode())


Ready = Callable[[dict[str, Any]], None]


def run_foreground(
    config: ClientConfig,
    *,
    api: bool,
    api_host: str | None,
    api_port: int | None,
    ready: Ready | None = None,
    log_path: Path | None = None,
) -> int:
    """Run the service until SIGTERM/SIGINT or the control API's ``/stop``; returns the exit code.

    ``ready`` is called with ``{"pid", "api_url", "instance"}`` once the service runs. Raises
    :class:`AlreadyRunning` or :class:`StartFailed` (port in use, a configuration that cannot be used).
    """
    from .control import ControlServer
    from .service import ClientService, load_extensions

    lock = PidLock(config.pid_path)
    try:
        lock.acquire()
    except AlreadyRunning:
        other = find_service(config)
        pid = f" (pid {other.pid})" if other is not None and other.pid else ""
        raise AlreadyRunning(f"pywats-client is already running for {config.path}{pid}") from None
    stop = threading.Event()
    service = ClientService(config, on_start=apply_process_settings)
    service.log_path = log_path
    control: ControlServer | None = None
    run: dict[str, Any] = {
        "pid": os.getpid(),
        "proc_start": process_start_time(os.getpid()),
        "started_at": time.time(),
        "config": str(config.path),
        "instance": service.instance_id,
        "api_url": None,
        "state": "starting",
    }
    try:
        _write_run_file(config, run)  # right after the lock: never a predecessor's file for long
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        if api:
            host = api_host or config["api_host"]
            port = config["api_port"] if api_port is None else api_port
            try:
                control = ControlServer(service, host, port, stop.set)
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                    raise StartFailed(
                        f"{_who_holds(host, port)}; give this instance its own port: "
                        f"pywats-client --config {config.path} config set api_port N (or start --api-port N)"
                    ) from None
                raise StartFailed(f"the control API cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        load_extensions()
        service.start()
        if control is not None:
            control.start()
            run["api_url"] = control.url
            log.info("control API on %s", control.url)
        run["state"] = "running"
        _write_run_file(config, run)
        if ready is not None:
            ready({"pid": os.getpid(), "api_url": run["api_url"], "instance": service.instance_id})
        while not stop.wait(0.5):
            pass
        log.info("stopping")
    finally:
        service.stop(timeout=60)
        if control is not None:
            control.close()
        try:
            config.runtime_path.unlink()
        except OSError:
            pass
        lock.release()
    return 0


def daemonize(log_path: Path) -> tuple[bool, int]:
    """Fork into the background (Unix). Returns ``(True, fd)`` in the daemon, where ``fd`` is the
    write end of a pipe to the original process; ``(False, fd)`` in the original, ``fd`` its read end."""
    read_fd, write_fd = os.pipe()
    if os.fork() > 0:
        os.close(write_fd)
        return False, read_fd
    os.close(read_fd)
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    os.chdir("/")
    os.umask(0o022)
    sys.stdout.flush()
    sys.stderr.flush()
    with open(os.devnull, "rb") as null:
        os.dup2(null.fileno(), sys.stdin.fileno())
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as out:
        os.dup2(out.fileno(), sys.stdout.fileno())
        os.dup2(out.fileno(), sys.stderr.fileno())
    return True, write_fd


def wait_for_daemon(read_fd: int, timeout: float) -> dict[str, Any]:
    """What the daemon said on its pipe: ``{"pid", "api_url", ...}``, or ``{"error": ...}``."""
    import select

    data = b""
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return {"error": f"the daemon did not report within {timeout:g} s"}
            readable, _, _ = select.select([read_fd], [], [], left)
            if not readable:
                continue
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(read_fd)
    for line in data.decode(errors="replace").splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict):
            return message
    return {"error": "the daemon exited while starting"}
