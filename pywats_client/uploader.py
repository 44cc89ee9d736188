"""The uploader: sends queued reports to the server, ``upload_workers`` at a time, and watches the server.

Exactly once: a report is in at most one worker's hands at a time, it leaves the queue only when
the server has confirmed it, and it is always sent under its own id (a resend after a crash
replaces the server's copy). The body sent is the queue entry's, byte for byte.

When a submission fails for a reason that is not the report's (no connection, timeout, 5xx, 429,
a refused token), sending pauses and the health probe asks the server for its version (a cheap
authenticated GET) with a short back-off capped at :data:`PROBE_MAX_DELAY`; sending resumes as soon
as the server answers. Each failed wave also sets a back-off (``retry_initial_delay`` doubling up to
``retry_max_delay``, the library's :meth:`pywats.RetryConfig.backoff`), which matters only when the
server answers the probe but keeps failing submissions. With nothing to send, the probe runs every
``health_interval`` seconds so the server's state is always known.
"""

from __future__ import annotations

import collections
import logging
import queue as queue_module
import threading
import time
from collections.abc import Callable
from typing import Any

import pywats
from pywats import PyWATSError, RetryConfig, pyWATS

from .config import ClientConfig
from .connection import REACHABLE, TOKEN_REFUSED, UNKNOWN, check_server, describe_failure, server_label
from .queue import QueueEntry, ReportQueue
from .state import Shared, iso

__all__ = ["PROBE_MAX_DELAY", "ClientFactory", "Uploader"]

log = logging.getLogger("pywats_client.uploader")

ClientFactory = Callable[[ClientConfig], pyWATS]

#: The longest wait between two probes of a server that is down (seconds): sending resumes at most
#: this long (plus one request) after it answers again.
PROBE_MAX_DELAY = 1.0
_PROBE_BACKOFF = RetryConfig(base_delay=0.1, max_delay=PROBE_MAX_DELAY, jitter=True)
#: Probe timeout: a server that does not answer within this is as good as down.
PROBE_TIMEOUT = 5.0

# Failures that say nothing about the report itself: keep it, pause, probe.
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
_REMEMBERED = 2000  # outcomes of recent reports kept for GET /reports/<id>


class Uploader:
    """Sends the reports of ``queue`` with ``upload_workers`` workers, each with its own client."""

    def __init__(self, config: ClientConfig, queue: ReportQueue, shared: Shared, client_factory: ClientFactory) -> None:
        self.config = config
        self.queue = queue
        self.shared = shared
        self._client_factory = client_factory
        self._server = server_label(config)
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._ready: collections.deque[str] = collections.deque()
        self._known: set[str] = set()
        self._in_flight: set[str] = set()
        self._done: collections.OrderedDict[str, tuple[str, float, str | None]] = collections.OrderedDict()
        self._backoff = RetryConfig(
            base_delay=config["retry_initial_delay"], max_delay=config["retry_max_delay"], jitter=True
        )
        self._resume_at = 0.0
        self._paused = False
        self._failures_in_row = 0
        self._probe_now = threading.Event()
        # confirmed reports whose queue files are still to be removed: one thread removes them, so a
        # slow file system (removals in one folder wait for each other) never holds up sending
        self._confirmed: queue_module.SimpleQueue[str | None] = queue_module.SimpleQueue()
        self._remover: threading.Thread | None = None
        # the server's state: what status shows
        self.server_state = UNKNOWN
        self.server_since: float | None = None
        self.server_checked: float | None = None
        self.server_detail: str | None = None

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._threads = [threading.Thread(target=self._health_loop, name="pywats-client-health", daemon=True)]
        self._remover = threading.Thread(target=self._remove_loop, name="pywats-client-remove", daemon=True)
        self._remover.start()
        for n in range(self.config["upload_workers"]):
            self._threads.append(threading.Thread(target=self._worker, name=f"pywats-client-upload-{n}", daemon=True))
        for t in self._threads:
            t.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._probe_now.set()
        with self._lock:
            self._lock.notify_all()
        deadline = None if timeout is None else time.monotonic() + timeout
        for t in self._threads:
            t.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        self._threads = []
        if self._remover is not None:
            self._confirmed.put(None)  # after the workers: every confirmed report is removed before we return
            self._remover.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            self._remover = None

    # -- what to send ------------------------------------------------------------------------

    def offer(self, ids: list[str]) -> None:
        probe = False
        with self._lock:
            for rid in ids:
                if rid not in self._known:
                    self._known.add(rid)
                    self._ready.append(rid)
            if self._ready and not self._paused and self.server_state not in (REACHABLE, UNKNOWN):
                # the last look found the server down: ask it first rather than fail a submission
                self._paused = probe = True
            self._lock.notify_all()
        if probe:
            self._probe_now.set()

    def requeue_from_disk(self) -> int:
        """Offer every entry of the queue folder not known yet; returns how many."""
        with self._lock:
            fresh = [rid for rid in self.queue.ids() if rid not in self._known]
        self.offer(fresh)
        return len(fresh)

    def send_now(self) -> None:
        """End any back-off and probe the server at once (someone asked for it)."""
        with self._lock:
            self._resume_at = 0.0
            self._lock.notify_all()
        self._probe_now.set()

    # -- status ------------------------------------------------------------------------------

    def in_flight(self) -> int:
        with self._lock:
            return len(self._in_flight)

    def backing_off(self) -> float:
        with self._lock:
            return max(0.0, self._resume_at - time.time())

    @property
    def consecutive_failures(self) -> int:
        return self._failures_in_row

    @property
    def paused(self) -> bool:
        return self._paused

    def server(self) -> dict[str, Any]:
        return {
            "state": self.server_state,
            "since": iso(self.server_since),
            "checked": iso(self.server_checked),
            "detail": self.server_detail,
        }

    def report_state(self, rid: str) -> dict[str, Any] | None:
        """Where report ``rid`` is: pending, in_flight, sent or refused; None if unknown."""
        with self._lock:
            if rid in self._in_flight:
                return {"report_id": rid, "state": "in_flight", "sent_at": None, "reason": None}
            done = self._done.get(rid)
        if done is not None:
            state, at, reason = done
            return {"report_id": rid, "state": state, "sent_at": iso(at) if state == "sent" else None, "reason": reason}
        if (self.queue.folder / f"{rid}.report.json").exists():
            return {"report_id": rid, "state": "pending", "sent_at": None, "reason": None}
        return None

    def _remember(self, rid: str, state: str, reason: str | None = None) -> None:
        with self._lock:
            self._done[rid] = (state, time.time(), reason)
            self._done.move_to_end(rid)
            while len(self._done) > _REMEMBERED:
                self._done.popitem(last=False)

    def _set_server(self, state: str, detail: str | None) -> None:
        now = time.time()
        if state != self.server_state:
            if state == REACHABLE and self.server_state != UNKNOWN:
                log.info("the WATS server answers again: %s", detail)
            elif state != REACHABLE:
                log.warning("WATS server %s: %s", state.replace("_", " "), detail)
            self.server_state = state
            self.server_since = now
        self.server_checked = now
        self.server_detail = detail

    # -- sending -----------------------------------------------------------------------------

    def _next(self) -> str | None:
        with self._lock:
            while not self._stop.is_set():
                if self._paused:
                    self._lock.wait(0.5)
                    continue
                wait = self._resume_at - time.time()
                if wait > 0:
                    self._lock.wait(wait)
                    continue
                if self._ready:
                    rid = self._ready.popleft()
                    self._in_flight.add(rid)
                    return rid
                self._lock.wait(1.0)
            return None

    def _worker(self) -> None:
        try:
            client = self._client_factory(self.config)
        except Exception as exc:
            self.shared.error(f"cannot create the WATS client: {exc}")
            log.error("%s", self.shared.last_error)
            return
        try:
            while (rid := self._next()) is not None:
                try:
                    self._submit(client, rid)
                finally:
                    with self._lock:
                        self._in_flight.discard(rid)
        finally:
            client.close()

    def _submit(self, client: pyWATS, rid: str) -> None:
        try:
            entry = self.queue.get(rid)
        except FileNotFoundError:
            with self._lock:
                self._known.discard(rid)
            return
        except Exception as exc:
            self._reject(rid, f"the queue entry cannot be read ({exc})")
            return
        try:
            self._send(client, entry)
        except _TRANSIENT as exc:
            self._retry_later(rid, exc)
            return
        except PyWATSError as exc:
            self._reject(rid, f"the server refused the report: {exc.message}")
            return
        except Exception as exc:
            self._reject(rid, f"the report could not be sent ({type(exc).__name__}: {exc})")
            return
        self._confirmed.put(rid)  # removed from the queue folder (and forgotten) by _remove_loop
        with self._lock:
            self._failures_in_row = 0
        self.shared.count("reports_submitted")
        self.shared.clear_error()
        self._remember(rid, "sent")
        if self.server_state != REACHABLE:
            self._set_server(REACHABLE, f"reports are accepted by {self._server}")
        else:
            self.server_checked = time.time()
        log.debug("report %s submitted", rid)

    def _remove_loop(self) -> None:
        while (rid := self._confirmed.get()) is not None:
            try:
                self.queue.remove(rid)
            except OSError as exc:  # it would be sent again (same id: replaced, not duplicated)
                log.error("report %s was sent but its queue file cannot be removed: %s", rid, exc)
            with self._lock:
                self._known.discard(rid)  # only now: until removed, a rescan must not offer it again

    @staticmethod
    def _send(client: pyWATS, entry: QueueEntry) -> None:
        if entry.format == "wsxf":
            client.report.submit_report_xml(entry.body())
            return
        from wats_public.api.report import report_post_wsjf

        # the raw client: the queued JSON goes out as it is, with the facade's auth, proxy and error mapping
        http = client.raw.public.get_httpx_client()
        http.request(
            **report_post_wsjf.request_kwargs(), content=entry.body(), headers={"Content-Type": "application/json"}
        )

    def _retry_later(self, rid: str, exc: BaseException) -> None:
        state, detail = describe_failure(exc, self._server)
        self.shared.count("submit_failures")
        with self._lock:
            self._ready.appendleft(rid)
            first_of_wave = not self._paused and time.time() >= self._resume_at
            if first_of_wave:
                self._failures_in_row += 1
                self._resume_at = time.time() + self._backoff.backoff(self._failures_in_row)
                self._paused = True
            self._lock.notify_all()
        if first_of_wave:
            self._set_server(state, detail)
            self.shared.error(f"sending paused: {detail}")
            self._probe_now.set()

    def _reject(self, rid: str, reason: str) -> None:
        try:
            target = self.queue.reject(rid, reason)
        except FileNotFoundError:
            target = None
        with self._lock:
            self._known.discard(rid)
        self.shared.count("reports_rejected")
        self._remember(rid, "refused", reason)
        self.shared.error(f"report {rid} refused: {reason}")
        log.error("report %s refused (moved to %s): %s", rid, target, reason)

    # -- the health probe --------------------------------------------------------------------

    def _health_loop(self) -> None:
        try:
            client = self._client_factory_probe()
        except Exception as exc:
            self._set_server(UNKNOWN, f"cannot create the WATS client: {exc}")
            return
        probes_failed = 0
        try:
            self._probe(client)
            while not self._stop.is_set():
                if self._paused:
                    if self.server_state == TOKEN_REFUSED:
                        # a wrong token is fixed by a person, not by time: do not hammer the login
                        wait = max(self.config["health_interval"] or 30.0, PROBE_MAX_DELAY)
                    else:
                        wait = _PROBE_BACKOFF.backoff(probes_failed + 1)
                else:
                    interval = self.config["health_interval"]
                    wait = (interval - (time.time() - (self.server_checked or 0))) if interval else 3600.0
                if wait > 0 and self._probe_now.wait(wait):
                    self._probe_now.clear()
                if self._stop.is_set():
                    return
                if not self._paused and not self.config["health_interval"]:
                    continue
                if not self._paused and (time.time() - (self.server_checked or 0)) < self.config["health_interval"]:
                    continue  # a submission just told us how the server is
                if self._probe(client):
                    probes_failed = 0
                else:
                    probes_failed += 1
        finally:
            client.close()

    def _client_factory_probe(self) -> pyWATS:
        # a probe that waits long for a silent server would delay noticing its return
        return self._client_factory(self.config.with_values(timeout=min(self.config["timeout"], PROBE_TIMEOUT)))

    def _probe(self, client: pyWATS) -> bool:
        check = check_server(client, self._server)
        self._set_server(check.state, check.detail)
        with self._lock:
            if check.ok:
                if self._paused:
                    self._paused = False
                    self._lock.notify_all()
            elif self._ready or self._in_flight:
                self._paused = True
        return check.ok
