"""The local HTTP control API (``start --api``): JSON over HTTP on 127.0.0.1 by default.

========  =================  ====================================================
GET       ``/``              API info and the endpoints
GET       ``/health``        ``{"status": "ok"}``
GET       ``/status``        service state, counters, queue
GET       ``/config``        the configuration (token masked)
POST      ``/config``        ``{"key": value, ...}``: validated, saved; applied by ``/restart``
GET       ``/converters``    converters found and whether they are enabled
GET       ``/queue``         queue status
GET       ``/queue/pending`` queued reports (id, source file, converter), oldest first
GET       ``/queue/failed``  files that failed to convert and reports the server refused, with reasons
POST      ``/queue/retry``   ``{"name": NAME[, "kind": "conversion"|"rejected"]}``: give one another go
POST      ``/queue/process`` submit now: end any back-off, pick up entries added by hand
POST      ``/start``         start the services if stopped
POST      ``/stop``          stop the service (the process exits)
POST      ``/restart``       re-read the configuration and restart the services
========  =================  ====================================================

Errors answer ``{"error": "..."}`` with 400 (bad request), 404 (unknown path or item) or 405.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .config import ClientConfig, ConfigError, canonical_key, parse_value
from .service import ClientService

__all__ = ["ControlClient", "ControlError", "ControlServer"]

log = logging.getLogger("pywats_client.control")

MAX_BODY = 1 << 20

ENDPOINTS = {
    "GET /": "API info and available endpoints",
    "GET /health": "health check",
    "GET /status": "service status",
    "GET /config": "configuration (token masked)",
    "POST /config": "update configuration (JSON object of key: value); applied by /restart",
    "GET /converters": "list converters",
    "GET /queue": "queue status",
    "GET /queue/pending": "queued reports (report_id, source, converter, queued_at), oldest first",
    "GET /queue/failed": "failed conversions and rejected reports with their reasons",
    "POST /queue/retry": 'retry one failed item: {"name": NAME, "kind": "conversion" or "rejected" (optional)}',
    "POST /queue/process": "trigger queue processing",
    "POST /start": "start services",
    "POST /stop": "stop the service",
    "POST /restart": "restart services with the saved configuration",
}


class _BadRequest(Exception):
    pass


class _NotFound(Exception):
    pass


class ControlServer:
    """Serves the control API for ``service`` on ``host:port`` (port 0: any free port).

    ``on_stop`` is called (in its own thread) when a client asks the service to stop.
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

    def dispatch(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        svc = self.service
        key = f"{method} {path.rstrip('/') or '/'}"
        if key == "GET /":
            return 200, {"name": "pywats-client control API", "endpoints": ENDPOINTS}
        if key == "GET /health":
            return 200, {"status": "ok", "state": svc.state}
        if key == "GET /status":
            return 200, svc.status()
        if key == "GET /config":
            return 200, svc.config.to_dict()
        if key == "POST /config":
            return 200, self._update_config(body)
        if key == "GET /converters":
            return 200, {"converters": [c.as_dict() for c in svc.converters]}
        if key == "GET /queue":
            return 200, svc.queue_status()
        if key == "GET /queue/pending":
            return 200, svc.pending()
        if key == "GET /queue/failed":
            return 200, {"items": svc.failed()}
        if key == "POST /queue/retry":
            return 200, self._retry(body)
        if key == "POST /queue/process":
            return 200, {"pending": svc.process_queue_now()}
        if key == "POST /start":
            if not svc.running:
                svc.start()
            return 200, {"state": svc.state}
        if key == "POST /stop":
            threading.Thread(target=self.on_stop, name="pywats-client-stop", daemon=True).start()
            return 200, {"state": "stopping"}
        if key == "POST /restart":
            try:
                svc.restart()
            except ConfigError as exc:  # raised before the running service was touched
                raise _BadRequest(f"not restarted: {exc}") from None
            return 200, {"state": svc.state}
        if any(k.split(" ", 1)[1] == (path.rstrip("/") or "/") for k in ENDPOINTS):
            return 405, {"error": f"{method} is not allowed on {path}"}
        return 404, {"error": f"no endpoint {path}; GET / lists them"}

    def _retry(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            raise _BadRequest('POST /queue/retry takes {"name": NAME} (a name from GET /queue/failed)')
        kind = body.get("kind")
        if kind is not None and not isinstance(kind, str):
            raise _BadRequest("kind must be conversion or rejected")
        try:
            return self.service.retry_failed(body["name"], kind)
        except FileNotFoundError as exc:
            raise _NotFound(str(exc)) from None
        except ValueError as exc:
            raise _BadRequest(str(exc)) from None

    def _update_config(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not body:
            raise _BadRequest("POST /config takes a JSON object of configuration keys and values")
        fresh = ClientConfig.load(self.service.config.path)
        changed = {}
        try:
            for key, value in body.items():
                name = canonical_key(str(key))
                changed[name] = parse_value(name, value)
        except ConfigError as exc:
            raise _BadRequest(str(exc)) from None
        for name, value in changed.items():
            fresh.set_value(name, value)
        fresh.save()  # all keys valid, or nothing written
        return {"saved": sorted(changed), "restart_required": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "pywats-client"

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("control API: " + format, *args)

            def _handle(self, method: str) -> None:
                status: int
                payload: Any
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                    if length > MAX_BODY:
                        raise _BadRequest(f"the body is larger than {MAX_BODY} bytes")
                    raw = self.rfile.read(length) if length else b""
                    try:
                        body = json.loads(raw) if raw.strip() else None
                    except json.JSONDecodeError as exc:
                        raise _BadRequest(f"the body is not JSON: {exc.msg}") from None
                    status, payload = server.dispatch(method, self.path.split("?", 1)[0], body)
                except _BadRequest as exc:
                    status, payload = 400, {"error": str(exc)}
                except _NotFound as exc:
                    status, payload = 404, {"error": str(exc)}
                except Exception as exc:
                    log.exception("control API %s %s failed", method, self.path)
                    status, payload = 500, {"error": f"{type(exc).__name__}: {exc}"}
                data = json.dumps(payload, indent=2).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        return Handler


class ControlError(Exception):
    """The control API could not be reached, or answered an error."""


class ControlClient:
    """A small client of the control API (what ``status``/``stop`` and a GUI use)."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error", "")
            except Exception:
                message = ""
            raise ControlError(f"{method} {path}: HTTP {exc.code} {message}".strip()) from None
        except (urllib.error.URLError, OSError) as exc:
            raise ControlError(f"cannot reach the control API at {self.url}: {exc}") from None
