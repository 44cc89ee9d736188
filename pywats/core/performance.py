"""Serialisation of payloads and caches: JSON always, MessagePack when installed.

``Serializer(format="msgpack")`` without the optional ``msgpack`` package
(``pip install pywats-api[msgpack]``) warns once and uses JSON, so code written for it still runs.
Pydantic models, dates, UUIDs and enums are written as JSON would write them.
"""

from __future__ import annotations

import json
import time
import warnings
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

__all__ = ["Serializer", "benchmark_serialization", "msgpack_available"]

FORMATS = ("json", "msgpack")


def msgpack_available() -> bool:
    try:
        import msgpack  # noqa: F401
    except ImportError:
        return False
    return True


def _plain(value: Any) -> Any:
    """A JSON-able stand-in for the values json/msgpack cannot write themselves."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):  # a pydantic model: server field names, JSON types
        return dump(mode="json", by_alias=True)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


class Serializer:
    """``serialize(data) -> bytes`` and ``deserialize(bytes)`` in ``format`` (``"json"`` or ``"msgpack"``)."""

    def __init__(self, format: str = "json") -> None:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
        self.requested = format
        if format == "msgpack" and not msgpack_available():
            warnings.warn(
                "msgpack is not installed (pip install pywats-api[msgpack]); Serializer falls back to JSON",
                RuntimeWarning,
                stacklevel=2,
            )
            format = "json"
        self.format = format

    def serialize(self, data: Any) -> bytes:
        if self.format == "msgpack":
            import msgpack

            packed: bytes = msgpack.packb(data, default=_plain, use_bin_type=True)
            return packed
        return json.dumps(data, default=_plain, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def deserialize(self, payload: bytes) -> Any:
        if self.format == "msgpack":
            import msgpack

            return msgpack.unpackb(payload, raw=False)
        return json.loads(payload)

    def __repr__(self) -> str:
        return f"Serializer(format={self.format!r})"


def benchmark_serialization(data: Any, iterations: int = 1000) -> dict[str, dict[str, float]]:
    """Round trips of ``data`` per second and payload size, for each available format.

    ``{"json": {"ops_per_sec": ..., "size_bytes": ..., "seconds": ...}, "msgpack": {...}}``
    (``msgpack`` only when installed).
    """
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 1:
        raise ValueError(f"iterations must be a positive integer, not {iterations!r}")
    results: dict[str, dict[str, float]] = {}
    for fmt in FORMATS:
        if fmt == "msgpack" and not msgpack_available():
            continue
        serializer = Serializer(fmt)
        payload = serializer.serialize(data)
        started = time.perf_counter()
        for _ in range(iterations):
            serializer.deserialize(serializer.serialize(data))
        elapsed = max(time.perf_counter() - started, 1e-9)
        results[fmt] = {"ops_per_sec": iterations / elapsed, "size_bytes": float(len(payload)), "seconds": elapsed}
    return results
