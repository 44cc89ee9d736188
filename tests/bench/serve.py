"""A loopback WATS-like server in its own process, for benchmarks: prints its URL, serves until killed."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loopback import LoopbackServer, Reply

if __name__ == "__main__":
    server = LoopbackServer()
    server.route("GET", "/api/App/Version", Reply(json="24.1.0"))
    server.start()
    print(server.url, flush=True)
    sys.stdin.read()  # until the parent closes our stdin
