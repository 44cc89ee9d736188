"""An embedded WATS server on 127.0.0.1, speaking the WATS wire format.

Written from the wire format alone: it imports nothing of the pyWATS facade (core, domains),
so a bug in the client's models cannot be mirrored here. Every request is checked against the
API surface snapshot (the documented paths, methods and parameters), so a request the real
server would reject is rejected here too, with the same kind of ASP.NET error body.
"""

from __future__ import annotations

import base64
import dataclasses
import errno
import functools
import json
import logging
import re
import secrets
import socket
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

from .common import parse_time
from .data import DataSource, SimulatorData, read_data
from .docs import DOCUMENT_PATHS, document_bytes, served_surface
from .routes import route_table
from .schema import LIST_ANSWERS, problem
from .store import Store
from .wire import Raw, SimRequest, UnreadableBody, error

__all__ = ["Fault", "SimRequest", "Simulator"]

CONTROL_PREFIX = "/_simulator/"
_log = logging.getLogger("pywats.simulator")


@dataclass
class Fault:
    """An injected failure for requests to ``path`` (case-insensitive; ``method`` None = any).

    ``status`` answers with that status (and ``json``/``body``), ``retry_after`` adds the
    header, ``delay`` waits first, ``drop`` closes the connection without answering, ``empty``
    answers 200 with no body. Applies ``times`` times (None: until removed; 0: never).
    Bad field values raise ``ValueError`` naming the field.
    """

    path: str
    method: str | None = None
    status: int | None = None
    json: Any = None
    body: bytes | None = None
    retry_after: str | None = None
    delay: float = 0.0
    drop: bool = False
    empty: bool = False
    times: int | None = 1

    def __post_init__(self) -> None:
        checks: list[tuple[str, bool, str]] = [
            ("path", isinstance(self.path, str) and self.path.startswith("/"), "a path starting with '/'"),
            ("method", self.method is None or isinstance(self.method, str), "an HTTP method or null"),
            ("status", self.status is None or (_is_int(self.status) and 100 <= self.status <= 599), "100-599"),
            ("body", self.body is None or isinstance(self.body, (bytes, str)), "bytes or a string"),
            ("retry_after", self.retry_after is None or isinstance(self.retry_after, str), "a string"),
            (
                "delay",
                isinstance(self.delay, (int, float)) and not isinstance(self.delay, bool) and self.delay >= 0,
                "a number >= 0",
            ),
            ("drop", isinstance(self.drop, bool), "true or false"),
            ("empty", isinstance(self.empty, bool), "true or false"),
            ("times", self.times is None or (_is_int(self.times) and self.times >= 0), "an integer >= 0 or null"),
        ]
        for name, ok, wanted in checks:
            if not ok:
                raise ValueError(f"fault field {name!r} must be {wanted}, not {getattr(self, name)!r}")
        if isinstance(self.body, str):  # JSON (the control endpoint) has no bytes
            self.body = self.body.encode()

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request of ``method`` to ``path``."""
        return self.path.lower() == path.lower() and (self.method is None or self.method.upper() == method)


_FAULT_FIELDS = {f.name for f in dataclasses.fields(Fault)}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_token(token: str) -> None:
    """A WATS token is base64 of ``username:password``; the message never shows the token."""
    if not token:
        raise ValueError("the simulator token must be base64 of 'username:password' (it is empty)")
    try:
        decoded = base64.b64decode(token.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, UnicodeError):
        raise ValueError("the simulator token must be base64 of 'username:password' (it is not base64)") from None
    user, colon, _password = decoded.partition(":")
    if not colon or not user:
        raise ValueError("the simulator token must be base64 of 'username:password' (no 'username:' in it)")


@dataclass
class _Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    names: list[str]
    spec: dict[str, Any]
    internal: bool
    definitions: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


@dataclass
class _Response:
    status: int
    payload: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


# -- parameter checks, as ASP.NET model binding does them ----------------------------------


def _convert(value: str, spec: dict[str, Any]) -> Any:
    kind, fmt = spec.get("type"), spec.get("format")
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        if value.lower() not in ("true", "false"):
            raise ValueError(value)
        return value.lower() == "true"
    if kind == "string" and fmt == "uuid":
        return uuid.UUID(value)
    if kind == "string" and fmt == "date-time":
        moment = parse_time(value)
        if moment is None:
            raise ValueError(value)
        return moment
    return value


def _is_json(headers: dict[str, str]) -> bool:
    """A body is checked as JSON unless the request says it is something else (XML, a file)."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    media = content_type.split(";")[0].strip().lower()
    return not media or media == "application/json" or media.endswith("+json") or media == "text/json"


def _bind(route: _Route, query: dict[str, list[str]], path_values: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    """Typed parameters, or an error text naming the first parameter the server would reject."""
    lowered = {k.lower(): v for k, v in query.items()}
    bound: dict[str, Any] = {}
    for param in route.spec.get("parameters", []):
        name, where = param["name"], param["in"]
        if where == "path":
            raw: list[str] | None = [path_values[name]]
        elif where == "query":
            raw = lowered.get(name.lower())
        else:
            continue
        if raw == [""] and param.get("type", "string") == "string" and param.get("format") is None:
            bound[name] = ""  # ASP.NET binds a blank string value as given (or null): not "missing"
            continue
        if not raw or raw == [""]:
            if param.get("required"):
                return {}, f"The parameters dictionary does not contain an entry for required parameter '{name}'."
            continue
        try:
            if param.get("type") == "array":
                bound[name] = [_convert(v, param.get("items", {})) for v in raw]
            else:
                bound[name] = _convert(raw[-1], param)
        except ValueError:
            return {}, f"The value '{raw[-1]}' is not valid for parameter '{name}' ({param.get('type')})."
    return bound, None


def _refused_body(route: _Route, req: SimRequest) -> tuple[int, Any] | None:
    """The 400 answer for a body the operation does not take (missing, not JSON, off its schema)."""
    body_spec = route.spec.get("body") or {}
    if body_spec.get("required") and not req.body.strip():
        return error(400, "The request is invalid.", ModelState={"body": ["A value is required."]})
    if not req.body.strip() or not _is_json(req.headers):
        return None
    try:
        value = req.json()
    except ValueError:
        return error(400, "The request is invalid.", ModelState={"body": ["Invalid JSON."]})
    schema = body_spec.get("schema")
    found = problem(value, schema, route.definitions, exact_names=False) if schema else None
    if found is not None:
        return error(400, f"The request is invalid. {found}.", ModelState={"body": [found]})
    return None


# -- the server ----------------------------------------------------------------------------------


@functools.cache
def _compile_routes() -> tuple[_Route, ...]:
    """The documented routes (read once per process: every simulator serves the same API)."""
    routes = []
    for key in ("public", "internal"):
        surface = served_surface(key)
        for op_key, spec in surface["operations"].items():
            method, template = op_key.split(" ", 1)
            names = re.findall(r"{([^}]+)}", template)
            regex = "".join(
                "([^/]+)" if part.startswith("{") else re.escape(part) for part in re.split(r"({[^}]+})", template)
            )
            routes.append(
                _Route(
                    method,
                    template,
                    re.compile(f"^{regex}/?$", re.IGNORECASE),
                    names,
                    spec,
                    key == "internal",
                    surface["schemas"],
                )
            )
    return tuple(routes)


class _BrokenBody(Exception):
    """The request body ended before its length or its last chunk: the client broke off."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up (timeout tests, dropped connections) is not a server error


class _Connections:
    """The open client connections, so that ``stop()`` can close the idle keep-alive ones too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    def add(self, conn: socket.socket) -> None:
        with self._lock:
            self._open.add(conn)

    def discard(self, conn: socket.socket) -> None:
        with self._lock:
            self._open.discard(conn)

    def close_all(self) -> None:
        with self._lock:
            conns, self._open = list(self._open), set()
        for conn in conns:
            try:
                # shutdown, not close: the handler thread owns the socket; this wakes its read
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already gone


class Simulator:
    """A WATS server on 127.0.0.1 for tests, demos and offline development.

    ``Simulator().start()`` (or ``with Simulator() as sim:``) serves at ``sim.url``; clients
    authenticate with ``sim.token``. ``inject()`` adds faults, ``requests`` records traffic,
    ``reset()`` restores the seeded data. ``data`` may be a JSON file path, a dict or a bare
    process list (format: :mod:`pywats.simulator.data`); ``store`` holds the served data.

    ``strict=True`` (default: ``Simulator.default_strict``, which the pytest plugin turns on for
    the test session) checks every JSON answer against the response schema the API documents give
    for that operation and status: an answer off the documents becomes a 500 naming the reason,
    is logged as an error (logger ``pywats.simulator``) and kept in ``violations`` (the pytest
    plugin fails the test). Request bodies are always checked against the documents (a 400).

    ``token`` must be base64 of ``username:password``. ``max_requests`` bounds the request
    log (oldest dropped first); a connection idle for ``idle_timeout`` seconds is closed.
    It also serves the API documents (``GET /swagger/docs/v1`` and ``/swagger/docs/internal``),
    built from the surface snapshot, so spec-diff's ``check --server`` works against it.
    """

    default_strict = False
    # While a test runs, the pytest plugin sets this list and every simulator made is added to
    # it, so an answer off the documents fails the test whichever way the simulator was made.
    _made_in_test: ClassVar[list[Simulator] | None] = None

    def __init__(
        self,
        *,
        data: DataSource | None = None,
        token: str | None = None,
        port: int = 0,
        require_referer: bool = True,
        max_requests: int = 10_000,
        idle_timeout: float = 30.0,
        strict: bool | None = None,
    ) -> None:
        if not _is_int(port) or not 0 <= port <= 65535:
            raise ValueError(f"port must be an integer from 0 to 65535 (0: any free port), not {port!r}")
        if not _is_int(max_requests) or max_requests < 1:
            raise ValueError(f"max_requests must be a positive integer, not {max_requests!r}")
        if not idle_timeout > 0:
            raise ValueError(f"idle_timeout must be > 0 seconds, not {idle_timeout!r}")
        if token is not None:
            _check_token(token)
        table = route_table()
        self._routes = _compile_routes()
        documented = {f"{r.method} {r.template}" for r in self._routes}
        for key, owner in table.owners.items():
            if key not in documented:
                raise RuntimeError(f"routes/{owner}.py registers {key!r}, which the API documents do not have")
        self._handlers = dict(table.handlers)  # per simulator: a test may swap one handler
        self.store: Store = table.build_store(None if data is None else read_data(data))
        self.data = SimulatorData(store=self.store)
        self.token = (
            token if token is not None else base64.b64encode(f"simulator:{secrets.token_urlsafe(12)}".encode()).decode()
        )
        self.require_referer = require_referer
        self.strict = Simulator.default_strict if strict is None else strict
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.requests: deque[SimRequest] = deque(maxlen=max_requests)
        self.idle_timeout = idle_timeout
        self._lock = threading.Lock()
        self._connections = _Connections()
        try:
            self._httpd = _HTTPServer(("127.0.0.1", port), self._handler_class())
        except OSError as exc:
            in_use = exc.errno in (errno.EADDRINUSE, errno.EACCES)
            raise OSError(
                exc.errno, f"cannot listen on 127.0.0.1:{port}: {'port in use' if in_use else exc.strerror}"
            ) from exc
        self._thread: threading.Thread | None = None
        if Simulator._made_in_test is not None:
            Simulator._made_in_test.append(self)

    # -- lifetime ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The simulator's base URL, ``http://127.0.0.1:<port>``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Simulator:
        """Start serving (if not yet) and return the simulator."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="wats-simulator", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close every client connection, idle keep-alive ones included."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()
        # Otherwise a handler thread blocked on a pooled connection answers its next request.
        self._connections.close_all()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test controls -------------------------------------------------------------------

    def inject(self, path: str, **kwargs: Any) -> Fault:
        """Add a :class:`Fault` for ``path`` (see its fields for ``kwargs``)."""
        fault = Fault(path=path, **kwargs)
        with self._lock:
            self.faults.append(fault)
        return fault

    def reset(self) -> None:
        """Seeded data back, faults and recorded requests cleared."""
        with self._lock:
            self.data.reset()
            self.faults.clear()
            self.requests.clear()

    def count(self, method: str, path: str) -> int:
        """How many recorded requests were ``method path`` (path compared case-insensitively)."""
        with self._lock:
            return sum(1 for r in self.requests if r.method == method and r.path.lower() == path.lower())

    # -- request handling ----------------------------------------------------------------

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times == 0:
                    continue
                if fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self.faults.remove(fault)
                    return fault
        return None

    def _authorised(self, headers: dict[str, str]) -> bool:
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _, credential = value.partition(" ")
        return scheme.lower() == "basic" and secrets.compare_digest(credential.strip(), self.token)

    def _control(self, method: str, path: str, req: SimRequest) -> tuple[int, Any]:
        action = path[len(CONTROL_PREFIX) :].strip("/")
        if method == "POST" and action == "reset":
            self.reset()
            return 200, {"reset": True}
        if method == "POST" and action == "faults":
            try:
                spec = req.json()
            except ValueError:
                return error(400, "the fault must be a JSON object (see Fault), and the body is not JSON")
            if not isinstance(spec, dict):
                return error(400, f"the fault must be a JSON object (see Fault), not {type(spec).__name__}")
            unknown = sorted(set(spec) - _FAULT_FIELDS)
            if unknown:
                return error(400, f"unknown fault field(s) {unknown}; known: {sorted(_FAULT_FIELDS)}")
            if "path" not in spec:
                return error(400, "the fault needs a 'path'")
            try:
                self.inject(**spec)
            except ValueError as exc:
                return error(400, str(exc))
            with self._lock:
                return 200, {"faults": len(self.faults)}
        if method == "GET" and action == "requests":
            with self._lock:
                return 200, [{"method": r.method, "path": r.path} for r in self.requests]
        return error(404, f"unknown simulator control {method} {path}")

    def respond(self, req: SimRequest) -> _Response:
        """The response to one request (also usable without sockets)."""
        method, path = req.method, req.path
        if not self._authorised(req.headers):
            return self._json(*error(401, "Authorization has been denied for this request."))
        if path.startswith(CONTROL_PREFIX):
            return self._json(*self._control(method, path, req))
        with self._lock:
            self.requests.append(req)
        fault = self._take_fault(method, path)
        if fault is not None:
            response = self._fault_response(fault)
            if response is not None:
                return response
        document = self._document(req)
        if document is not None:
            return document
        try:
            route, (status, body) = self._dispatch(req)
        except UnreadableBody as exc:
            media = str(exc).split(";")[0].strip()
            return self._json(
                *error(415, f"The request entity's media type '{media}' is not supported for this resource.")
            )
        except Exception as exc:  # a handler bug: answer as ASP.NET does instead of hanging up
            return self._json(*error(500, "An error has occurred.", ExceptionMessage=f"{type(exc).__name__}: {exc}"))
        if self.strict and route is not None:
            reason = self._off_schema(route, status, body)
            if reason is not None:
                message = f"{route.key} answered {status} off the API documents: {reason}"
                _log.error("strict simulator: %s", message)
                with self._lock:
                    self.violations.append(message)
                return self._json(*error(500, "The simulator's answer does not match the API documents.",
                                         ExceptionMessage=message))  # fmt: skip
        return self._json(status, body)

    @staticmethod
    def _off_schema(route: _Route, status: int, body: Any) -> str | None:
        """Why this answer is not what the documents say the operation answers, or None."""
        if isinstance(body, Raw):
            return None  # a file, a zip or XML: the documents describe JSON only
        responses = route.spec.get("responses", {})
        if str(status) not in responses:
            return None if status >= 300 or not responses else f"status {status} is not documented"
        schema = responses[str(status)]
        if schema is None:
            return None
        if route.key in LIST_ANSWERS:
            schema = {"type": "array", "items": schema}
        return problem(json.loads(json.dumps(body)), schema, route.definitions)

    def _fault_response(self, fault: Fault) -> _Response | None:
        if fault.drop:
            return _Response(0, drop=True, delay=fault.delay)
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        if fault.empty:
            return _Response(200, b"", headers, fault.delay)
        if fault.status is not None:
            if fault.body is not None:
                payload = fault.body
            else:
                payload = json.dumps(
                    fault.json if fault.json is not None else {"Message": f"Injected {fault.status}"}
                ).encode()
            return _Response(fault.status, payload, headers, fault.delay)
        if fault.delay:
            time.sleep(fault.delay)  # a slow but otherwise normal answer
        return None

    def _document(self, req: SimRequest) -> _Response | None:
        """The API document the WATS server serves at this path, if it is one."""
        key = next((k for p, k in DOCUMENT_PATHS.items() if p.lower() == req.path.rstrip("/").lower()), None)
        if key is None:
            return None
        if req.method not in ("GET", "HEAD"):
            return self._json(*error(405, f"The requested resource does not support http method '{req.method}'."))
        if key == "internal" and self.require_referer and not req.header("referer"):
            return self._json(*error(400, "Internal API requests must send a Referer header."))
        return _Response(200, document_bytes(key))

    def _dispatch(self, req: SimRequest) -> tuple[_Route | None, tuple[int, Any]]:
        """The route that served the request (None if none did) and its ``(status, body)``."""
        candidates = [(r, m) for r in self._routes if (m := r.pattern.match(req.path))]
        if not candidates:
            return None, error(404, f"No HTTP resource was found that matches the request URI '{req.path}'.")
        allowed = [(r, m) for r, m in candidates if r.method == req.method]
        if not allowed:
            return None, error(405, f"The requested resource does not support http method '{req.method}'.")
        unbound = None
        for route, match in allowed:
            values = {name: unquote(v) for name, v in zip(route.names, match.groups(), strict=True)}
            params, unbound = _bind(route, req.query, values)
            if unbound is not None:
                continue
            if route.internal and self.require_referer and not req.header("referer"):
                return None, error(400, "Internal API requests must send a Referer header.")
            refused = _refused_body(route, req)
            if refused is not None:
                return None, refused
            handler = self._handlers.get(route.key)
            if handler is None:
                return None, error(501, f"The WATS simulator does not implement {route.key}.")
            return route, handler(self, req, params)
        return None, error(400, "The request is invalid.", MessageDetail=unbound)

    @staticmethod
    def _json(status: int, body: Any) -> _Response:
        if isinstance(body, Raw):
            return _Response(status, body.payload, {"Content-Type": body.content_type, **(body.headers or {})})
        return _Response(status, json.dumps(body).encode())

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "WATS-Simulator"

            def log_message(self, *args: object) -> None:
                pass

            # Read by StreamRequestHandler.setup: a keep-alive connection idle this long is closed.
            timeout = sim.idle_timeout

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sim._connections.add(self.connection)

            def finish(self) -> None:
                sim._connections.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass  # the client or stop() closed the connection first

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                try:
                    body = self._read_body()
                except _BrokenBody:
                    # The client stopped before its body was complete: there is no request to
                    # answer, and a partial upload must not be taken for a whole one.
                    self.close_connection = True
                    return
                req = SimRequest(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    dict(self.headers.items()),
                    body,
                )
                response = sim.respond(req)
                if response.delay:
                    time.sleep(response.delay)
                if response.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(response.status)
                if not any(k.lower() == "content-type" for k in response.headers):
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(response.payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.payload)

            def _read_body(self) -> bytes:
                """The whole body (``Content-Length`` or chunked); :class:`_BrokenBody` if it ends early."""
                if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
                    return self._read_chunked()
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if len(body) < length:
                    raise _BrokenBody
                return body

            def _line(self) -> bytes:
                line = self.rfile.readline(65537)
                if not line.endswith(b"\n"):
                    raise _BrokenBody  # the connection ended inside the chunk framing
                return line

            def _read_chunked(self) -> bytes:
                """A body sent with ``Transfer-Encoding: chunked`` (a streamed upload of unknown length)."""
                parts: list[bytes] = []
                while True:
                    try:
                        size = int(self._line().split(b";", 1)[0].strip(), 16)
                    except ValueError:
                        raise _BrokenBody from None
                    if size == 0:
                        while self._line() not in (b"\r\n", b"\n"):
                            pass  # trailers
                        return b"".join(parts)
                    chunk = self.rfile.read(size)
                    if len(chunk) < size:
                        raise _BrokenBody
                    parts.append(chunk)
                    self._line()  # the CRLF after each chunk

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

        return Handler
