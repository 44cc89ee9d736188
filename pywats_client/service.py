"""The station service: watch folders → converters → persistent queue → WATS server.

It has no user interface of its own: the CLI starts it, and a GUI (or a script) talks to it only
through its control API (:mod:`pywats_client.control`) and the config file. Its parts:

- :class:`~pywats_client.watcher.Watcher` scans, converts and queues;
- :class:`~pywats_client.uploader.Uploader` sends, backs off, and watches the server's health;
- :class:`~pywats_client.failed.FailedItems` lists and retries what failed;
- background components registered with :func:`register_component` start and stop with it
  (the GUI's serial-number pool and software updates plug in there).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from pywats.domains.report import UUTReport

from .config import ClientConfig, ConfigError, mask_url_password
from .connection import client_proxy, make_client, proxy_for, station_name
from .converters import ConverterInfo, discover
from .failed import MAX_LISTED, FailedItems, pending
from .fsutil import unwritable
from .queue import ReportQueue
from .state import Shared, iso
from .uploader import ClientFactory, Uploader
from .watcher import REASON_SUFFIX, Watcher, prepare

__all__ = [
    "EXTENSIONS",
    "REASON_SUFFIX",
    "ClientService",
    "Component",
    "check_folders",
    "client_proxy",
    "load_extensions",
    "make_client",
    "proxy_for",
    "register_component",
]

log = logging.getLogger("pywats_client.service")

#: Modules of this package that plug routes and components into the service when they exist
#: (each calls :func:`pywats_client.control.register_routes` / :func:`register_component` on import).
EXTENSIONS = ("pywats_client.sn_pool", "pywats_client.software_update")


class Component(Protocol):
    """A background part of the service: started after the service's own threads, stopped before them."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


_COMPONENTS: list[tuple[str, Callable[[ClientService], Component]]] = []


def register_component(name: str, factory: Callable[[ClientService], Component]) -> None:
    """Have every service build ``factory(service)`` and start/stop it with itself (once per name)."""
    _COMPONENTS[:] = [(n, f) for n, f in _COMPONENTS if n != name]
    _COMPONENTS.append((name, factory))


def load_extensions() -> list[str]:
    """Import the :data:`EXTENSIONS` that exist (a missing one is skipped); returns those loaded."""
    loaded = []
    for name in EXTENSIONS:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                log.error("extension %s cannot be loaded: %s", name, exc)
            continue
        except Exception as exc:
            log.error("extension %s cannot be loaded: %s", name, exc)
            continue
        loaded.append(name)
    return loaded


class ClientService:
    """Watches the configured folders, converts new files, queues and submits their reports.

    ``start()`` runs it in background threads; ``stop()`` ends them (a submission in flight is
    finished, nothing queued is lost); ``status()`` is what the control API serves.
    ``instance_id`` identifies this run of the service (the control API sends it with every answer).
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        client_factory: ClientFactory = make_client,
        on_start: Callable[[ClientConfig], None] | None = None,
        instance_id: str | None = None,
    ) -> None:
        self.config = config
        self._client_factory = client_factory
        self._on_start = on_start
        self.instance_id = instance_id or secrets.token_hex(12)
        self.started_at: float | None = None
        self.created_at = time.time()
        self.state = "stopped"
        self.shared = Shared()
        self.converters: list[ConverterInfo] = []
        self.queue: ReportQueue | None = None
        self.watcher: Watcher | None = None
        self.uploader: Uploader | None = None
        self.components: dict[str, Component] = {}
        self.component_errors: dict[str, str] = {}
        #: The service's log file (set by the runner), served by ``GET /log``.
        self.log_path: Path | None = None
        self._life = threading.RLock()

    # -- the state the components share ------------------------------------------------------

    @property
    def counters(self) -> dict[str, int]:
        """Files converted and failed, reports queued, submitted and rejected, so far."""
        return self.shared.snapshot()

    @property
    def last_error(self) -> str | None:
        """The last error the service met, or None once sending works again."""
        return self.shared.last_error

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Recover the queue left by a previous run, then start watching and submitting.

        ``on_start`` (given to the constructor) runs first, with the configuration about to be used:
        the runner applies the log level there, before any WATS client is created.
        """
        with self._life:
            cfg = self.config
            cfg.check()
            check_folders(cfg)
            if self._on_start is not None:
                self._on_start(cfg)
            proxy = proxy_for(cfg)
            log.info(
                "WATS server %s, %s",
                cfg["service_address"],
                f"proxy {mask_url_password(proxy)}" if proxy else "no proxy",
            )
            queue = self.queue = ReportQueue(cfg.queue_path)
            _remove_stale_temp_files(cfg.queue_path)
            self.converters = discover(cfg.converters_path, cfg["disabled_converters"])
            uploader = self.uploader = Uploader(cfg, queue, self.shared, self._client_factory)
            self.watcher = Watcher(cfg, queue, self.converters, self.shared, uploader.offer)
            recovered = uploader.requeue_from_disk()
            if recovered:
                log.info("%d report(s) from a previous run are queued for submission", recovered)
            self.started_at = time.time()
            uploader.start()
            self.watcher.start()
            self.state = "running"
            self._start_components()
            enabled = [c.name for c in self.converters if c.enabled]
            log.info("watching %s with converters %s", ", ".join(map(str, cfg.watch_paths)), ", ".join(enabled))

    def stop(self, timeout: float | None = None) -> None:
        """Stop watching and submitting; waits for the threads (a submit in flight ends within its timeout)."""
        with self._life:
            self.state = "stopping"
            self._stop_components()
            deadline = None if timeout is None else time.monotonic() + timeout
            if self.watcher is not None:
                self.watcher.stop(timeout)
            if self.uploader is not None:
                self.uploader.stop(None if deadline is None else max(0.0, deadline - time.monotonic()))
            self.state = "stopped"

    def restart(self, config: ClientConfig | None = None) -> None:
        """Take ``config`` (or re-read the file), stop, start again.

        A configuration that cannot be used raises :class:`ConfigError` before anything is stopped.
        """
        fresh = config or ClientConfig.load(self.config.path, environ=os.environ)
        fresh.check()
        check_folders(fresh)
        with self._life:
            self.stop()
            self.config = fresh
            self.start()

    @property
    def running(self) -> bool:
        """True while the service runs."""
        return self.state == "running"

    def _start_components(self) -> None:
        self.components, self.component_errors = {}, {}
        for name, factory in list(_COMPONENTS):
            try:
                component = factory(self)
                component.start()
            except Exception as exc:  # one broken extension must not keep the station from sending
                self.component_errors[name] = f"{type(exc).__name__}: {exc}"
                log.error("component %s did not start: %s", name, exc)
                continue
            self.components[name] = component

    def _stop_components(self) -> None:
        for name, component in reversed(list(self.components.items())):
            try:
                component.stop()
            except Exception as exc:
                log.error("component %s did not stop cleanly: %s", name, exc)
        self.components = {}

    # -- the queue -----------------------------------------------------------------------------

    def process_queue_now(self) -> int:
        """Pick up entries put in the queue folder from outside, end any back-off, probe the server;
        returns the queue length."""
        added = 0
        if self.uploader is not None:
            added = self.uploader.requeue_from_disk()
            self.uploader.send_now()
        log.info("queue processing requested (%d entries added from disk)", added)
        return self.queue_length()

    def queue_test_report(self) -> str:
        """Queue a small test report through the normal queue; returns its id (see :meth:`report_state`)."""
        uploader = self._running_uploader()
        report = UUTReport(
            pn="PYWATS-CLIENT-TEST",
            sn=f"TEST-{station_name(self.config)}-{time.strftime('%Y%m%d-%H%M%S')}",
            rev="1",
            process_code=10,
            result="P",
        )
        report.id = str(uuid.uuid4())
        report.get_root_sequence_call().add_pass_fail_step("pywats-client test report", True)
        ids = self._queue().put_many([prepare(report, self.config)], source="test report", converter="test-report")
        self.shared.count("reports_queued")
        uploader.offer(ids)
        log.info("test report %s queued", ids[0])
        return ids[0]

    def report_state(self, report_id: str) -> dict[str, Any] | None:
        """``{"report_id", "state", "sent_at", "reason"}`` of a report this service queued, or None."""
        rid = str(uuid.UUID(report_id))
        if self.uploader is not None:
            found = self.uploader.report_state(rid)
            if found is not None:
                return found
        queue = self._queue()
        if (queue.rejected_folder / f"{rid}.report.json").exists():
            note = queue.rejected_folder / f"{rid}.report.json{REASON_SUFFIX}"
            with contextlib.suppress(OSError):
                return {"report_id": rid, "state": "refused", "sent_at": None, "reason": note.read_text().strip()}
        return None

    def _running_uploader(self) -> Uploader:
        if self.uploader is None or not self.running:
            raise RuntimeError("the service is not running")
        return self.uploader

    def queue_length(self) -> int:
        """How many reports wait in the queue."""
        return len(self.queue) if self.queue is not None else 0

    def queue_status(self) -> dict[str, Any]:
        """Pending, in-flight and rejected counts, and any back-off in progress."""
        up = self.uploader
        return {
            "pending": self.queue_length(),
            "in_flight": up.in_flight() if up else 0,
            "rejected": self._queue().rejected_count(),
            "folder": str(self.config.queue_path),
            "paused": up.paused if up else False,
            "backing_off_seconds": round(up.backing_off(), 3) if up else 0.0,
            "consecutive_failures": up.consecutive_failures if up else 0,
            "upload_workers": self.config["upload_workers"],
        }

    # -- status --------------------------------------------------------------------------------

    def instance(self) -> dict[str, Any]:
        """Which service this is: what a CLI or GUI checks before treating it as its own."""
        cfg = self.config
        return {
            "id": self.instance_id,
            "config_path": str(cfg.path),
            "station": station_name(cfg),
            "instance_name": cfg["instance_name"] or None,
            "pid": os.getpid(),
            "started": iso(self.started_at or self.created_at),
        }

    def server(self) -> dict[str, Any]:
        """Whether the server is reachable, since when, and when it was last checked."""
        if self.uploader is None:
            return {"state": "unknown", "since": None, "checked": None, "detail": None}
        return self.uploader.server()

    def status(self) -> dict[str, Any]:
        """The service's state, counters, configuration summary and last error."""
        cfg = self.config
        return {
            "state": self.state,
            "pid": os.getpid(),
            "instance": self.instance(),
            "server": self.server(),
            "started_at": self.started_at,
            "uptime_seconds": round(time.time() - self.started_at, 3) if self.started_at else 0.0,
            "station_name": cfg["station_name"],
            "service_address": cfg["service_address"],
            "watch_folders": [str(p) for p in cfg.watch_paths],
            "archive_folder": str(cfg.archive_path),
            "error_folder": str(cfg.error_path),
            "queue": self.queue_status(),
            "watch": self.watcher.waiting() if self.watcher else {"cannot_move": 0, "open_for_writing": 0},
            "counters": self.counters,
            "last_error": self.shared.last_error,
            "last_failed_file": self.shared.last_failed_file,
            "components": {
                **{name: "running" for name in self.components},
                **{name: f"failed: {err}" for name, err in self.component_errors.items()},
            },
        }

    # -- pending and failed items (what the control API lists, and retries) --------------------

    def pending(self, limit: int = MAX_LISTED) -> dict[str, Any]:
        """The queued reports, oldest first: ``{"total": n, "items": [...]}`` with at most ``limit`` described."""
        return pending(self._queue(), limit)

    def failed(self) -> list[dict[str, Any]]:
        """Files that failed to convert and reports the server refused (see :meth:`FailedItems.list`)."""
        return self._failed().list()

    def retry_failed(self, name: str, kind: str | None = None) -> dict[str, Any]:
        """Give one failed item another go (see :meth:`FailedItems.retry`); a refused report is sent at once."""
        return self._failed().retry(name, kind)

    def _failed(self) -> FailedItems:
        return FailedItems(self.config, self._queue(), self._restored)

    def _restored(self, report_id: str) -> None:
        if self.uploader is not None:  # a stopped service picks it up when it starts
            self.uploader.requeue_from_disk()
            self.uploader.send_now()

    def _queue(self) -> ReportQueue:
        # the queue folder exists once the service has started; before that, read it where the config says
        return self.queue if self.queue is not None else ReportQueue(self.config.queue_path)

    # -- watching (kept for scripts and tests that drive one scan) ------------------------------

    def scan_once(self) -> int:
        """Handle every settled file in the watch folders now; returns how many files were handled."""
        if self.watcher is None:
            raise RuntimeError("start the service first")
        return self.watcher.scan_once()

    def handle_file(self, path: Path) -> bool:
        """Convert and queue one file now, as the watcher would; True if it was taken."""
        if self.watcher is None:
            raise RuntimeError("start the service first")
        return self.watcher.handle_file(path)


def check_folders(config: ClientConfig) -> None:
    """Create the service's folders; :class:`ConfigError` naming the key if one cannot be used.

    A watch folder need only be readable (with ``post_actions`` keep, a read-only share is fine);
    the others must take new files.
    """
    folders = [("watch_folders", p) for p in config.watch_paths] + [
        ("archive_folder", config.archive_path),
        ("error_folder", config.error_path),
        ("queue_folder", config.queue_path),
    ]
    for key, folder in folders:
        if key == "watch_folders":
            try:
                folder.mkdir(parents=True, exist_ok=True)
                why = None
            except OSError as exc:
                why = exc.strerror or str(exc)
        else:
            why = unwritable(folder)
        if why is not None:
            raise ConfigError(
                f"{key}: the service cannot use {folder} ({why}); give the service's user write access "
                f"to it, or choose another folder: pywats-client --config {config.path} config set {key} PATH"
            )


def _remove_stale_temp_files(folder: Path) -> None:
    # half-written entries of a crashed run: never renamed into place, so never confirmed as queued
    for p in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            p.unlink()
