"""What the parts of the service share and report: counters, the last error, the last failed file."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any

__all__ = ["COUNTERS", "Shared", "iso"]

COUNTERS = (
    "files_converted",
    "files_failed",
    "reports_queued",
    "reports_submitted",
    "reports_rejected",
    "submit_failures",
)


def iso(ts: float | None) -> str | None:
    """``ts`` (epoch seconds) as ISO 8601 UTC, or None."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Shared:
    """Counters, ``last_error`` and ``last_failed_file``, safe to update from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counters: dict[str, int] = dict.fromkeys(COUNTERS, 0)
        self.last_error: str | None = None
        self.last_failed_file: dict[str, Any] | None = None

    def count(self, name: str, n: int = 1) -> None:
        with self._lock:
            self.counters[name] += n

    def error(self, text: str) -> None:
        self.last_error = text

    def clear_error(self) -> None:
        self.last_error = None

    def file_failed(self, name: str, path: str, reason: str) -> None:
        with self._lock:
            self.counters["files_failed"] += 1
            self.last_failed_file = {"name": name, "path": path, "reason": reason, "at": iso(time.time())}
            self.last_error = f"{name} moved to the error folder: {reason}"

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counters)
