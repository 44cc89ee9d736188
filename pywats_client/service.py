"""The station service: watch folders → converters → persistent queue → WATS server.

It has no user interface of its own: the CLI starts it, and a GUI (or a script) talks to it only
through its control API (:mod:`pywats_client.control`) and the config file.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import random
import threading
import time
import traceback
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pywats
from pywats import PyWATSError, Station, StationConfig, pyWATS
from pywats.domains.report import UURReport, UUTReport

from .config import ClientConfig, mask_url_password
from .converters import Converter, ConverterInfo, discover, report_id_for
from .fsutil import atomic_write, move_unique
from .queue import QUEUE_SUFFIX, ReportQueue

__all__ = ["ClientService", "client_proxy", "proxy_for"]

log = logging.getLogger("pywats_client.service")

#: Next to each file in the error folder and each rejected report: why it failed.
REASON_SUFFIX = ".reason.txt"
#: Pending reports described one by one by :meth:`ClientService.pending` (each is a file read).
MAX_LISTED = 200

# Failures that say nothing about the report itself: keep it and try again after a back-off.
_TRANSIENT: tuple[type[BaseException], ...] = (
    pywats.ConnectionError,
    pywats.TimeoutError,
    pywats.ServerError,
    pywats.RateLimitError,
    pywats.AuthenticationError,
    pywats.AuthorizationError,
    pywats.InvalidResponseError,
    pywats.EmptyResponseError,
)

ClientFactory = Callable[[ClientConfig], pyWATS]


def proxy_for(config: ClientConfig) -> str | None:
    """The proxy URL requests to ``service_address`` go through, or None for a direct connection.

    ``manual``: ``proxy_url``. ``none``: None. ``system``: what the operating system says for that
    host: ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` and ``NO_PROXY`` (either case), and where no
    variable is set, the Windows registry or macOS settings (Python's ``urllib.request.getproxies``).
    """
    mode = config["proxy_mode"]
    if mode == "manual":
        config.check()
        return str(config["proxy_url"])
    if mode == "none" or not config["service_address"]:
        return None
    target = urlsplit(config["service_address"])
    host = target.hostname or ""
    if urllib.request.proxy_bypass(f"{host}:{target.port}" if target.port else host):
        return None
    proxies = urllib.request.getproxies()
    found = proxies.get(target.scheme) or proxies.get("all")
    if not found:
        return None
    return found if "://" in found else f"http://{found}"


def client_proxy(config: ClientConfig) -> str:
    """The ``proxy=`` a pyWATS client of this station is built with: :func:`proxy_for`, or "direct"
    (so the station's own setting, not its environment, decides)."""
    return proxy_for(config) or "direct"


def _default_client(config: ClientConfig) -> pyWATS:
    station = Station(
        config=StationConfig(
            station_name=config["station_name"] or None or _host(), location=config["location"] or None
        )
    )
    return pyWATS(
        base_url=config["service_address"],
        token=config["api_token"],
        station=station,
        timeout=config["timeout"],
        verify_ssl=config["verify_ssl"],
        proxy=client_proxy(config),
    )


def _host() -> str:
    import socket

    return socket.gethostname() or "pywats-client"


def _reason(path: Path) -> str:
    try:
        return path.with_name(path.name + REASON_SUFFIX).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "(no reason recorded)"


def _is_candidate(name: str) -> bool:
    # dot files and the usual partial-download names are files still being written
    return not name.startswith(".") and not name.endswith((".tmp", ".part", ".partial", ".crdownload"))


class ClientService:
    """Watches the configured folders, converts new files, queues and submits their reports.

    ``start()`` runs it in background threads; ``stop()`` ends them (a submission in flight is
    finished, nothing queued is lost); ``status()`` is what the control API serves.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        client_factory: ClientFactory = _default_client,
        on_start: Callable[[ClientConfig], None] | None = None,
    ) -> None:
        self.config = config
        self._client_factory = client_factory
        self._on_start = on_start
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._ready: collections.deque[str] = collections.deque()
        self._known: set[str] = set()
        self._in_flight = 0
        self._resume_at = 0.0
        self._failures_in_row = 0
        self.started_at: float | None = None
        self.state = "stopped"
        self.last_error: str | None = None
        self.counters = dict.fromkeys(
            (
                "files_converted",
                "files_failed",
                "reports_queued",
                "reports_submitted",
                "reports_rejected",
                "submit_failures",
            ),
            0,
        )
        self.converters: list[ConverterInfo] = []
        self.queue: ReportQueue | None = None

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Recover the queue left by a previous run, then start watching and submitting.

        ``on_start`` (given to the constructor) runs first, with the configuration about to be used:
        the runner applies the log level and proxy there, before any WATS client is created.
        """
        cfg = self.config
        cfg.check()
        if self._on_start is not None:
            self._on_start(cfg)
        proxy = proxy_for(cfg)
        log.info(
            "WATS server %s, %s", cfg["service_address"], f"proxy {mask_url_password(proxy)}" if proxy else "no proxy"
        )
        for folder in (*cfg.watch_paths, cfg.archive_path, cfg.error_path):
            folder.mkdir(parents=True, exist_ok=True)
        self.queue = ReportQueue(cfg.queue_path)
        self._remove_stale_temp_files(cfg.queue_path)
        self.converters = discover(cfg.converters_path, cfg["disabled_converters"])
        self._stop.clear()
        recovered = self._requeue_from_disk()
        if recovered:
            log.info("%d report(s) from a previous run are queued for submission", recovered)
        self._threads = [threading.Thread(target=self._scan_loop, name="pywats-client-scan", daemon=True)]
        for n in range(cfg["upload_workers"]):
            self._threads.append(
                threading.Thread(target=self._upload_loop, name=f"pywats-client-upload-{n}", daemon=True)
            )
        self.started_at = time.time()
        self.state = "running"
        for t in self._threads:
            t.start()
        enabled = [c.name for c in self.converters if c.enabled]
        log.info("watching %s with converters %s", ", ".join(map(str, cfg.watch_paths)), ", ".join(enabled))

    def stop(self, timeout: float | None = None) -> None:
        """Stop watching and submitting; waits for the threads (a submit in flight ends within its timeout)."""
        self.state = "stopping"
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        deadline = None if timeout is None else time.monotonic() + timeout
        for t in self._threads:
            t.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        self._threads = []
        self.state = "stopped"

    def restart(self, config: ClientConfig | None = None) -> None:
        """Take ``config`` (or re-read the file), stop, start again.

        A configuration that cannot be used raises :class:`ConfigError` before anything is stopped.
        """
        fresh = config or ClientConfig.load(self.config.path, environ=os.environ)
        fresh.check()
        self.stop()
        self.config = fresh
        self._ready.clear()
        self._known.clear()
        self.start()

    @property
    def running(self) -> bool:
        """True while the service runs."""
        return self.state == "running"

    def process_queue_now(self) -> int:
        """Pick up entries put in the queue folder from outside and end any back-off; returns the queue length."""
        added = self._requeue_from_disk()
        with self._lock:
            self._resume_at = 0.0
            self._lock.notify_all()
        log.info("queue processing requested (%d entries added from disk)", added)
        return self.queue_length()

    # -- status --------------------------------------------------------------------------------

    def queue_length(self) -> int:
        """How many reports wait in the queue."""
        return len(self.queue) if self.queue is not None else 0

    def queue_status(self) -> dict[str, Any]:
        """Pending, in-flight and rejected counts, and any back-off in progress."""
        with self._lock:
            backoff = max(0.0, self._resume_at - time.time())
            in_flight = self._in_flight
        return {
            "pending": self.queue_length(),
            "in_flight": in_flight,
            "rejected": self._queue().rejected_count(),
            "folder": str(self.config.queue_path),
            "backing_off_seconds": round(backoff, 3),
            "consecutive_failures": self._failures_in_row,
        }

    def status(self) -> dict[str, Any]:
        """The service's state, counters, configuration summary and last error."""
        cfg = self.config
        return {
            "state": self.state,
            "pid": os.getpid(),
            "started_at": self.started_at,
            "uptime_seconds": round(time.time() - self.started_at, 3) if self.started_at else 0.0,
            "station_name": cfg["station_name"],
            "service_address": cfg["service_address"],
            "watch_folders": [str(p) for p in cfg.watch_paths],
            "archive_folder": str(cfg.archive_path),
            "error_folder": str(cfg.error_path),
            "queue": self.queue_status(),
            "counters": dict(self.counters),
            "last_error": self.last_error,
        }

    # -- pending and failed items (what the control API lists, and retries) --------------------

    def pending(self, limit: int = MAX_LISTED) -> dict[str, Any]:
        """The queued reports, oldest first: ``{"total": n, "items": [...]}`` with at most ``limit`` described."""
        queue = self._queue()
        ids = list(queue.ids())
        items = []
        for rid in ids[:limit]:
            info = queue.describe(queue.folder / f"{rid}{QUEUE_SUFFIX}")
            if info:  # an entry sent (removed) while we looked is no longer pending
                items.append(info)
        return {"total": len(ids), "items": items}

    def failed(self) -> list[dict[str, Any]]:
        """Files that failed to convert (error folder) and reports the server refused (``queue/rejected``).

        Each item: ``kind`` (``"conversion"`` or ``"rejected"``), ``name`` (what ``retry_failed`` takes),
        ``reason``, ``failed_at`` (epoch seconds) and, for a refused report, ``report_id`` and ``source``.
        """
        queue = self._queue()
        out: list[dict[str, Any]] = []
        for kind, folder in (("conversion", self.config.error_path), ("rejected", queue.rejected_folder)):
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except FileNotFoundError:
                continue
            for entry in entries:
                if entry.name.startswith(".") or entry.name.endswith(REASON_SUFFIX):
                    continue
                try:
                    if not entry.is_file():
                        continue
                    failed_at = entry.stat().st_mtime
                except FileNotFoundError:
                    continue
                path = Path(entry.path)
                item: dict[str, Any] = {
                    "kind": kind,
                    "name": entry.name,
                    "reason": _reason(path),
                    "failed_at": failed_at,
                }
                if kind == "rejected":
                    info = queue.describe(path)
                    item["report_id"] = info.get("report_id", "")
                    item["source"] = info.get("source", "")
                out.append(item)
        return out

    def retry_failed(self, name: str, kind: str | None = None) -> dict[str, Any]:
        """Give one failed item another go: a file back into the (first) watch folder, a refused report
        back into the queue (submitted at once). Its reason file is removed.

        ``ValueError`` for a name that is not a plain file name, or is ambiguous without ``kind``;
        ``FileNotFoundError`` if no failed item has that name.
        """
        queue = self._queue()
        if not name or name != Path(name).name or name in (".", "..") or name.endswith(REASON_SUFFIX):
            raise ValueError(f"{name!r} is not the name of a failed item (GET /queue/failed lists them)")
        folders = {"conversion": self.config.error_path, "rejected": queue.rejected_folder}
        if kind is not None and kind not in folders:
            raise ValueError(f"kind must be conversion or rejected, not {kind!r}")
        found = [k for k in folders if (kind is None or k == kind) and (folders[k] / name).is_file()]
        if not found:
            raise FileNotFoundError(f"no failed item named {name!r}")
        if len(found) > 1:
            raise ValueError(f"{name!r} is both a failed conversion and a rejected report: say which kind")
        source = folders[found[0]] / name
        result: dict[str, Any] = {"kind": found[0], "name": name}
        if found[0] == "rejected":
            result["report_id"] = queue.restore(source)
            if self.queue is not None:  # a stopped service picks it up when it starts
                self._requeue_from_disk()
            with self._lock:
                self._resume_at = 0.0  # the user asked for it now: do not wait out a back-off
                self._lock.notify_all()
        else:
            result["moved_to"] = str(move_unique(source, self.config.watch_paths[0]))
        with contextlib.suppress(OSError):
            source.with_name(name + REASON_SUFFIX).unlink()
        log.info("retry of %s %s requested", found[0], name)
        return result

    def _queue(self) -> ReportQueue:
        # the queue folder exists once the service has started; before that, read it where the config says
        return self.queue if self.queue is not None else ReportQueue(self.config.queue_path)

    # -- watching and converting ---------------------------------------------------------------

    @staticmethod
    def _remove_stale_temp_files(folder: Path) -> None:
        # half-written entries of a crashed run: never renamed into place, so never confirmed as queued
        for p in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                p.unlink()

    def _scan_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.scan_once()
            except Exception as exc:  # a bad folder must not end the service
                self.last_error = f"scan failed: {exc}"
                log.exception("scan failed")
            self._stop.wait(self.config["poll_interval"])

    def scan_once(self) -> int:
        """Convert every settled file in the watch folders now; returns how many files were handled."""
        settle = self.config["settle_time"]
        handled = 0
        now = time.time()
        for folder in self.config.watch_paths:
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except FileNotFoundError:
                folder.mkdir(parents=True, exist_ok=True)
                continue
            for entry in entries:
                if self._stop.is_set():
                    return handled
                if not _is_candidate(entry.name):
                    continue
                try:
                    if not entry.is_file() or now - entry.stat().st_mtime < settle:
                        continue
                except FileNotFoundError:
                    continue
                self.handle_file(Path(entry.path))
                handled += 1
        return handled

    def _converter_for(self, path: Path) -> Converter | None:
        for info in self.converters:
            if info.enabled and info.converter is not None and info.converter.matches(path):
                return info.converter
        return None

    def handle_file(self, path: Path) -> None:
        """Convert one file, queue its reports durably, then archive it (or move it to the error folder)."""
        assert self.queue is not None
        converter = self._converter_for(path)
        if converter is None:
            self._fail(
                path,
                "no enabled converter reads files named like this "
                f"(enabled: {', '.join(c.name for c in self.converters if c.enabled) or 'none'})",
            )
            return
        try:
            content = path.read_bytes()
            result = converter.convert(path)
            reports: list[Any] = list(result) if isinstance(result, list | tuple) else [result]
            if not reports:
                raise ValueError("the converter returned no report")
            for i, report in enumerate(reports):
                if not isinstance(report, UUTReport | UURReport):
                    raise TypeError(f"the converter returned a {type(report).__name__}, not a UUTReport/UURReport")
                if not converter.assigns_ids:
                    report.id = report_id_for(path, content, i)
        except FileNotFoundError:
            return  # taken away while we looked: nothing to do
        except Exception as exc:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self._fail(path, f"converter {converter.name!r} failed: {detail}")
            return
        try:
            ids = self.queue.put_many(reports, source=str(path), converter=converter.name)
        except OSError as exc:
            # not the file's fault (disk full, permissions): leave it, the next scan tries again
            self.last_error = f"cannot queue reports of {path.name}: {exc}"
            log.error("%s", self.last_error)
            return
        try:
            move_unique(path, self.config.archive_path)
        except OSError as exc:
            # the reports are queued; the next scan converts the file again to the same ids (no duplicate)
            self.last_error = f"cannot archive {path.name}: {exc}"
            log.error("%s", self.last_error)
        self.counters["files_converted"] += 1
        self.counters["reports_queued"] += len(ids)
        log.info("%s: %d report(s) queued by %s", path.name, len(ids), converter.name)
        self._offer(ids)

    def _fail(self, path: Path, reason: str) -> None:
        try:
            note = (reason + "\n").encode()
            target = move_unique(
                path, self.config.error_path, lambda t: atomic_write(t.with_name(t.name + REASON_SUFFIX), note)
            )
        except FileNotFoundError:
            return
        except OSError as exc:
            self.last_error = f"cannot move {path.name} to the error folder: {exc}"
            log.error("%s", self.last_error)
            return
        self.counters["files_failed"] += 1
        log.warning("%s → %s: %s", path.name, target.parent, reason)

    # -- submitting ----------------------------------------------------------------------------

    def _offer(self, ids: list[str]) -> None:
        with self._lock:
            for rid in ids:
                if rid not in self._known:
                    self._known.add(rid)
                    self._ready.append(rid)
            self._lock.notify_all()

    def _requeue_from_disk(self) -> int:
        assert self.queue is not None
        with self._lock:
            fresh = [rid for rid in self.queue.ids() if rid not in self._known]
        self._offer(fresh)
        return len(fresh)

    def _next(self) -> str | None:
        with self._lock:
            while not self._stop.is_set():
                wait = self._resume_at - time.time()
                if wait > 0:
                    self._lock.wait(wait)
                    continue
                if self._ready:
                    self._in_flight += 1
                    return self._ready.popleft()
                self._lock.wait(1.0)
            return None

    def _upload_loop(self) -> None:
        try:
            client = self._client_factory(self.config)
        except Exception as exc:
            self.last_error = f"cannot create the WATS client: {exc}"
            log.error("%s", self.last_error)
            return
        try:
            while (rid := self._next()) is not None:
                try:
                    self._submit(client, rid)
                finally:
                    with self._lock:
                        self._in_flight -= 1
        finally:
            client.close()

    def _submit(self, client: pyWATS, rid: str) -> None:
        assert self.queue is not None
        try:
            entry = self.queue.get(rid)
            report = entry.to_report()
        except FileNotFoundError:
            with self._lock:
                self._known.discard(rid)
            return
        except Exception as exc:
            self._reject(rid, f"the queue entry cannot be read: {exc}")
            return
        try:
            client.report.submit_report(report)
        except _TRANSIENT as exc:
            self._retry_later(rid, exc)
            return
        except (PyWATSError, ValueError, TypeError) as exc:
            self._reject(rid, f"the server refused the report: {exc}")
            return
        self.queue.remove(rid)
        with self._lock:
            self._known.discard(rid)
            self._failures_in_row = 0
            self.counters["reports_submitted"] += 1
        log.debug("report %s submitted", rid)

    def _retry_later(self, rid: str, exc: BaseException) -> None:
        cfg = self.config
        with self._lock:
            self._ready.appendleft(rid)
            self.counters["submit_failures"] += 1
            if time.time() >= self._resume_at:  # the first failure of a wave sets the pause
                self._failures_in_row += 1
                delay = min(
                    cfg["retry_max_delay"], cfg["retry_initial_delay"] * 2 ** min(self._failures_in_row - 1, 30)
                )
                delay *= random.uniform(0.5, 1.0)  # jitter: many stations coming back at once spread out
                self._resume_at = time.time() + delay
                self.last_error = f"server unavailable ({type(exc).__name__}: {exc}); retrying in {delay:.1f} s"
                log.warning("%s", self.last_error)

    def _reject(self, rid: str, reason: str) -> None:
        assert self.queue is not None
        try:
            target = self.queue.reject(rid, reason)
        except FileNotFoundError:
            target = None
        with self._lock:
            self._known.discard(rid)
            self.counters["reports_rejected"] += 1
        self.last_error = f"report {rid} rejected: {reason}"
        log.error("%s (moved to %s)", self.last_error, target)
