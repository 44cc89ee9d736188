"""Running the service as a process: the pid file (and its lock), the runtime file, signals, the daemon."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from .config import ClientConfig
from .fsutil import atomic_write

__all__ = ["AlreadyRunning", "PidLock", "apply_process_settings", "read_runtime", "run_foreground"]

log = logging.getLogger("pywats_client")


class AlreadyRunning(RuntimeError):
    """Another service holds this configuration's pid file."""


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
            fh.seek(0)
            other = fh.read().strip()
            fh.close()
            raise AlreadyRunning(
                f"pywats-client is already running (pid {other or '?'}) for {self.path.parent}"
            ) from None
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

    with open(path, encoding="ascii") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return False


def read_runtime(config: ClientConfig) -> dict[str, Any] | None:
    """What a running service wrote about itself (pid, control API URL), or None if none is running."""
    if not pid_locked(config.pid_path):
        return None
    try:
        info: dict[str, Any] = json.loads(config.runtime_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    try:
        info.setdefault("pid", int(config.pid_path.read_text().strip()))
    except (OSError, ValueError):
        pass
    return info


_LOGGERS = ("pywats_client", "pywats")


def configure_logging(config: ClientConfig, log_file: str | None = None) -> None:
    target = log_file or config["log_file"]
    handler: logging.Handler = logging.FileHandler(target, encoding="utf-8") if target else logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
    set_log_level(config)


def set_log_level(config: ClientConfig) -> None:
    """``log_level`` for the client and the pyWATS library (DEBUG shows the library's HTTP requests and retries)."""
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(config["log_level"])


def apply_process_settings(config: ClientConfig) -> None:
    """What the service's process takes from the config at every (re)start (the log level).

    The proxy needs nothing here: each WATS client is built with it (:func:`pywats_client.service.proxy_for`).
    """
    set_log_level(config)


def run_foreground(
    config: ClientConfig, *, api: bool, api_host: str | None, api_port: int | None, ready: IO[str] | None = None
) -> int:
    """Run the service until SIGTERM/SIGINT or the control API's ``/stop``; returns the exit code."""
    from .control import ControlServer
    from .service import ClientService

    lock = PidLock(config.pid_path)
    lock.acquire()
    stop = threading.Event()
    service = ClientService(config, on_start=apply_process_settings)
    control: ControlServer | None = None
    try:
        service.start()
        runtime: dict[str, Any] = {
            "pid": os.getpid(),
            "started_at": time.time(),
            "api_url": None,
            "config": str(config.path),
        }
        if api:
            control = ControlServer(
                service, api_host or config["api_host"], config["api_port"] if api_port is None else api_port, stop.set
            )
            control.start()
            runtime["api_url"] = control.url
            log.info("control API on %s", control.url)
        atomic_write(config.runtime_path, json.dumps(runtime).encode())
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        if ready is not None:
            print(
                f"pywats-client running (pid {os.getpid()})" + (f", control API {control.url}" if control else ""),
                file=ready,
                flush=True,
            )
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


def daemonize(log_path: Path) -> bool:
    """Fork into the background (Unix); True in the daemon, False in the original process."""
    if os.fork() > 0:
        return False
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
    return True
