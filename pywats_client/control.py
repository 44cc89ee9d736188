"""The local HTTP control API (``start --api``): JSON over HTTP on 127.0.0.1 by default.

=========  ====================  ================================================================
GET        ``/``                 API info and the endpoints
GET        ``/health``           ``{"status": "ok"}``
GET        ``/status``           service state, ``instance``, ``server``, counters, queue, last error
GET        ``/config``           the configuration (token masked)
POST       ``/config``           ``{"key": value, ...}``: validated, saved; ``log_level`` applies at once
GET        ``/converters``       converters found and whether they are enabled
GET        ``/log?lines=N``      the last N lines of the service's log (default 200, at most 5000)
GET        ``/queue``            queue status
GET        ``/queue/pending``    queued reports (id, source file, converter), oldest first
GET        ``/queue/failed``     files that failed to convert and reports the server refused, with reasons
POST       ``/queue/retry``      ``{"name": NAME[, "kind": "conversion"|"rejected"]}``: give one another go
POST       ``/queue/process``    submit now: end any back-off, probe the server, pick up entries added by hand
POST       ``/test-report``      queue a small test report; answers ``{"report_id": ...}``
GET        ``/reports/{id}``     where a report is: pending, in_flight, sent or refused
POST       ``/start``            start the services if stopped
POST       ``/stop``             stop the service (the process exits)
POST       ``/restart``          re-read the configuration and restart the services
=========  ====================  ================================================================

Every answer carries ``X-Pywats-Instance: <instance id>`` (the ``instance.id`` of ``GET /status``),
so a client can tell this service from another one on the same port. Errors answer
``{"error": "..."}`` with 400 (bad request), 404 (unknown path or item), 405 or 409.

Other modules add routes with :func:`register_routes` (before the server starts).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .config import GUI_ONLY_KEYS, LIVE_KEYS, ClientConfig, ConfigError, canonical_key, parse_value
from .logs import recent_log_lines, set_log_level

if TYPE_CHECKING:  # the CLI's status and stop use ControlClient without loading the service
    from .service import ClientService

__all__ = [
    "INSTANCE_HEADER",
    "TRACE",
    "ApiError",
    "ApiRequest",
    "ControlClient",
    "ControlError",
    "ControlServer",
    "WrongInstance",
    "register_routes",
    "tail",
]

log = logging.getLogger("pywats_client.control")

MAX_BODY = 1 << 20
INSTANCE_HEADER = "X-Pywats-Instance"
#: Below DEBUG: one line per control API request (a GUI polls every second).
TRACE = 5
MAX_LOG_LINES = 5000


class ApiError(Exception):
    """Answer ``status`` with ``{"error": message}`` (raise it from a route handler)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class ApiRequest:
    """One request, as a route handler sees it."""

    service: ClientService
    method: str
    path: str
    body: Any = None
    query: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    server: ControlServer | None = None


#: A route handler: the answer's JSON (status 200), or ``(status, JSON)``; raise :class:`ApiError` to refuse.
Handler = Callable[[ApiRequest], Any]

_EXTRA_ROUTES: dict[str, tuple[Handler, str]] = {}


def register_routes(routes: Mapping[str, Handler], docs: Mapping[str, str] | None = None) -> None:
    """Add routes to every control server: keys ``"METHOD /path"``; ``{name}`` matches one path
    segment (``"GET /serial-numbers/{pool}"`` → ``request.params["pool"]``). ``docs`` describes them
    for ``GET /``. A route registered again replaces the earlier one."""
    for key, handler in routes.items():
        method, _, path = key.partition(" ")
        if not method.isupper() or not path.startswith("/"):
            raise ValueError(f"route {key!r}: expected 'METHOD /path'")
        _EXTRA_ROUTES[key] = (handler, (docs or {}).get(key, ""))


def _template(path: str) -> re.Pattern[str]:
    parts = re.split(r"({[A-Za-z_][A-Za-z0-9_]*})", path.rstrip("/") or "/")
    regex = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


def tail(path: Path, lines: int) -> list[str]:
    """The last ``lines`` lines of a text file (read from the end, so a big log costs little)."""
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        end = fh.tell()
        data = b""
        block = 64 * 1024
        while end > 0 and data.count(b"\n") <= lines:
            start = max(0, end - block)
            fh.seek(start)
            data = fh.read(end - start) + data
            end = start
    text = data.decode("utf-8", errors="replace").splitlines()
    return text[-lines:] if lines else []


# -- the built-in routes ---------------------------------------------------------------------------


def _info(req: ApiRequest) -> Any:
    endpoints = dict(ENDPOINTS)
    endpoints.update({k: doc for k, (_, doc) in _EXTRA_ROUTES.items()})
    return {"name": "pywats-client control API", "instance": req.service.instance_id, "endpoints": endpoints}


def _status(req: ApiRequest) -> Any:
    return req.service.status()


def _health(req: ApiRequest) -> Any:
    return {"status": "ok", "state": req.service.state, "instance": req.service.instance_id}


def _get_config(req: ApiRequest) -> Any:
    return req.service.config.to_dict()


def _post_config(req: ApiRequest) -> Any:
    body = req.body
    if not isinstance(body, dict) or not body:
        raise ApiError(400, "POST /config takes a JSON object of configuration keys and values")
    svc = req.service
    fresh = ClientConfig.load(svc.config.path)
    changed = {}
    try:
        for key, value in body.items():
            name = canonical_key(str(key))
            changed[name] = parse_value(name, value)
    except ConfigError as exc:
        raise ApiError(400, str(exc)) from None
    for name, value in changed.items():
        fresh.set_value(name, value)
    fresh.save()  # all keys valid, or nothing written
    applied, restart = [], []
    for name in sorted(changed):
        if name in LIVE_KEYS:
            svc.config.set_value(name, changed[name])
            if name == "log_level":
                set_log_level(svc.config)
            applied.append(name)
        elif name in GUI_ONLY_KEYS:
            applied.append(name)  # the GUI reads it from the file
        else:
            restart.append(name)
    if applied:
        log.info(
            "configuration applied: %s", ", ".join(f"{k}={changed[k]!r}" for k in applied if k in LIVE_KEYS) or "-"
        )
    return {"saved": sorted(changed), "applied": applied, "restart_required": restart}


def _converters(req: ApiRequest) -> Any:
    return {"converters": [c.as_dict() for c in req.service.converters]}


def _log(req: ApiRequest) -> Any:
    raw = req.query.get("lines", "200")
    try:
        n = int(raw)
    except ValueError:
        raise ApiError(400, f"lines must be a whole number from 0 to {MAX_LOG_LINES}, not {raw!r}") from None
    if not 0 <= n <= MAX_LOG_LINES:
        raise ApiError(400, f"lines must be a whole number from 0 to {MAX_LOG_LINES}, not {n}")
    path = req.service.log_path
    if path is not None:
        try:
            return {"lines": tail(path, n), "file": str(path)}
        except FileNotFoundError:
            return {"lines": [], "file": str(path)}
    return {"lines": recent_log_lines(n), "file": None}


def _queue(req: ApiRequest) -> Any:
    return req.service.queue_status()


def _pending(req: ApiRequest) -> Any:
    return req.service.pending()


def _failed(req: ApiRequest) -> Any:
    return {"items": req.service.failed()}


def _retry(req: ApiRequest) -> Any:
    body = req.body
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        raise ApiError(400, 'POST /queue/retry takes {"name": NAME} (a name from GET /queue/failed)')
    kind = body.get("kind")
    if kind is not None and not isinstance(kind, str):
        raise ApiError(400, "kind must be conversion or rejected")
    try:
        return req.service.retry_failed(body["name"], kind)
    except FileNotFoundError as exc:
        raise ApiError(404, str(exc)) from None
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None


def _process(req: ApiRequest) -> Any:
    return {"pending": req.service.process_queue_now()}


def _test_report(req: ApiRequest) -> Any:
    try:
        return {"report_id": req.service.queue_test_report()}
    except RuntimeError as exc:
        raise ApiError(409, str(exc)) from None


def _report(req: ApiRequest) -> Any:
    try:
        found = req.service.report_state(req.params["id"])
    except ValueError:
        raise ApiError(400, f"{req.params['id']!r} is not a report id (a GUID)") from None
    if found is None:
        raise ApiError(404, f"no report {req.params['id']} is known to this service")
    return found


def _start(req: ApiRequest) -> Any:
    if not req.service.running:
        req.service.start()
    return {"state": req.service.state}


def _stop(req: ApiRequest) -> Any:
    if req.server is not None:
        threading.Thread(target=req.server.on_stop, name="pywats-client-stop", daemon=True).start()
    return {"state": "stopping"}


def _restart(req: ApiRequest) -> Any:
    try:
        req.service.restart()
    except ConfigError as exc:  # raised before the running service was touched
        raise ApiError(400, f"not restarted: {exc}") from None
    return {"state": req.service.state}


ENDPOINTS = {
    "GET /": "API info and available endpoints",
    "GET /health": "health check",
    "GET /status": "service status: instance, server state, queue, counters, last error",
    "GET /config": "configuration (token masked)",
    "POST /config": "update configuration (JSON object of key: value); says what applied and what needs /restart",
    "GET /converters": "list converters",
    "GET /log": "the last lines of the service log (?lines=N, default 200, at most 5000)",
    "GET /queue": "queue status",
    "GET /queue/pending": "queued reports (report_id, source, converter, queued_at), oldest first",
    "GET /queue/failed": "failed conversions and rejected reports with their reasons",
    "POST /queue/retry": 'retry one failed item: {"name": NAME, "kind": "conversion" or "rejected" (optional)}',
    "POST /queue/process": "trigger queue processing",
    "POST /test-report": "queue a small test report; answers its report_id",
    "GET /reports/{id}": "state of a report: pending, in_flight, sent or refused",
    "POST /start": "start services",
    "POST /stop": "stop the service",
    "POST /restart": "restart services with the saved configuration",
}

_ROUTES: dict[str, Handler] = {
    "GET /": _info,
    "GET /health": _health,
    "GET /status": _status,
    "GET /config": _get_config,
    "POST /config": _post_config,
    "GET /converters": _converters,
    "GET /log": _log,
    "GET /queue": _queue,
    "GET /queue/pending": _pending,
    "GET /queue/failed": _failed,
    "POST /queue/retry": _retry,
    "POST /queue/process": _process,
    "POST /test-report": _test_report,
    "GET /reports/{id}": _report,
    "POST /start": _start,
    "POST /stop": _stop,
    "POST /restart": _restart,
}


def _routes() -> list[tuple[str, re.Pattern[str], Handler]]:
    table = {**_ROUTES, **{k: h for k, (h, _) in _EXTRA_ROUTES.items()}}
    return [(k.split(" ", 1)[0], _template(k.split(" ", 1)[1]), h) for k, h in table.items()]


class ControlServer:
    """Serves the control API for ``service`` on ``host:port`` (port 0: any free port).

    ``on_stop`` is called (in its own thread) when a client asks the service to stop. A port in use
    raises ``OSError`` (errno EADDRINUSE): :func:`pywats_client.runner.run_foreground` says by whom.
    """

    def __init__(self, service: ClientService, host: str, port: int, on_stop: Callable[[], None]) -> None:
        self.service = service
        self.on_stop = on_stop
        self._httpd = ThreadingHTTPServer((host, port), self._handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="pywats-client-control", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()

    # -- dispatch --------------------------------------------------------------------------------

    def dispatch(self, method: str, target: str, body: Any) -> tuple[int, Any]:
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        allowed = False
        for route_method, pattern, handler in _routes():
            match = pattern.match(path)
            if match is None:
                continue
            if route_method != method:
                allowed = True
                continue
            req = ApiRequest(self.service, method, path, body, query, match.groupdict(), self)
            try:
                answer = handler(req)
            except ApiError as exc:
                return exc.status, {"error": exc.message}
            if isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], int):
                return answer[0], answer[1]
            return 200, answer
        if allowed:
            return 405, {"error": f"{method} is not allowed on {path}"}
        return 404, {"error": f"no endpoint {path}; GET / lists them"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "pywats-client"

            def log_message(self, format: str, *args: Any) -> None:
                log.log(TRACE, "control API: " + format, *args)

            def _handle(self, method: str) -> None:
                status: int
                payload: Any
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                    if length > MAX_BODY:
                        raise ApiError(400, f"the body is larger than {MAX_BODY} bytes")
                    raw = self.rfile.read(length) if length else b""
                    try:
                        body = json.loads(raw) if raw.strip() else None
                    except json.JSONDecodeError as exc:
                        raise ApiError(400, f"the body is not JSON: {exc.msg}") from None
                    status, payload = server.dispatch(method, self.path, body)
                except ApiError as exc:
                    status, payload = exc.status, {"error": exc.message}
                except Exception as exc:
                    log.exception("control API %s %s failed", method, self.path)
                    status, payload = 500, {"error": f"{type(exc).__name__}: {exc}"}
                data = json.dumps(payload, indent=2).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header(INSTANCE_HEADER, server.service.instance_id)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PUT(self) -> None:
                self._handle("PUT")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

        return Handler


class ControlError(Exception):
    """The control API could not be reached, or answered an error."""


class WrongInstance(ControlError):
    """The control API answering is another instance's, not the one expected."""


class ControlClient:
    """A small client of the control API (what ``status``/``stop`` and a GUI use).

    With ``instance``, every answer must carry that instance id (:class:`WrongInstance` otherwise):
    a service that took over the port is never mistaken for ours.
    """

    def __init__(self, url: str, timeout: float = 5.0, *, instance: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.instance = instance
        #: The instance id the last answer carried.
        self.last_instance: str | None = None

    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                self._check(resp.headers.get(INSTANCE_HEADER))
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            self._check(exc.headers.get(INSTANCE_HEADER) if exc.headers else None)
            try:
                message = json.loads(exc.read()).get("error", "")
            except Exception:
                message = ""
            raise ControlError(f"{method} {path}: HTTP {exc.code} {message}".strip()) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ControlError(f"cannot reach the control API at {self.url}: {reason}") from None

    def _check(self, answered: str | None) -> None:
        self.last_instance = answered
        if self.instance is not None and answered != self.instance:
            raise WrongInstance(
                f"the control API at {self.url} belongs to another service "
                f"(instance {answered or 'unknown'}, expected {self.instance})"
            )
