"""A small scriptable HTTP server on 127.0.0.1 for tests over real sockets.

Routes answer with queued responses (the last one repeats), so a test can script
"503, 503, then 200" for retry tests, delays for timeouts, or dropped connections.
Every request is recorded with its headers and body.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    trickle: float = 0.0  # seconds between body bytes (each within any read timeout)
    endless: bool = False  # a body of no stated length, sent until the client hangs up
    cut_at: int | None = None  # announce the whole body, send this many bytes, (stall, then) hang up
    stall: float = 0.0  # with cut_at: seconds to wait before hanging up


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Server(ThreadingHTTPServer):
    # The default 5 drops SYNs under 50 concurrent clients (1 s, 3 s, 7 s... retransmits).
    request_queue_size = 1024

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up mid-response (timeouts, drops) are expected here


class LoopbackServer:
    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        self.requests: list[Recorded] = []
        self.connections = 0
        self.body_bytes_sent = 0  # by `endless` replies
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                # headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with server._lock:
                    server.connections += 1

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                rec = Recorded(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
                reply = server._next(self.command, parts.path)
                with server._lock:
                    server.requests.append(rec)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = (
                    reply.body
                    if reply.body is not None
                    else (json.dumps(reply.json).encode() if reply.json is not None else b"")
                )
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                if reply.endless:
                    self._send_endless()
                    return
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command == "HEAD":
                    return
                if reply.cut_at is not None:
                    self.wfile.write(payload[: reply.cut_at])
                    self.wfile.flush()
                    time.sleep(reply.stall)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if reply.trickle:
                    for i in range(len(payload)):
                        self.wfile.write(payload[i : i + 1])
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                else:
                    self.wfile.write(payload)

            def _send_endless(self) -> None:
                # No Content-Length: the body ends when the connection closes (HTTP/1.1, 3.3.3).
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                chunk = b"x" * 65536
                try:
                    for _ in range(16384):  # 1 GiB at most, should a client never hang up
                        self.wfile.write(chunk)
                        with server._lock:
                            server.body_bytes_sent += len(chunk)
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, path: str, *replies: Reply) -> None:
        with self._lock:
            self._routes[(method.upper(), path)] = deque(replies)

    def _next(self, method: str, path: str) -> Reply:
        with self._lock:
            queue = self._routes.get((method, path))
            if not queue:
                return Reply(status=404, json={"Message": f"No HTTP resource was found that matches {path}"})
            return queue.popleft() if len(queue) > 1 else queue[0]

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def dead_url() -> str:
    """A loopback URL where nothing listens (the port was bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
