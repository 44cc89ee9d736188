"""Serialisation of payloads and caches: JSON always, MessagePack when installed.

``Serializer(format="msgpack")`` without the optional ``msgpack`` package
(``pip install pywats-api[msgpack]``) warns once and uses JSON, so code written for it still runs.
Pydantic models, dates, UUIDs and enums are written as JSON would write them; a report is written
as its WSJF (only the keys it has, no added nulls).

Round trips: msgpack keeps non-string map keys (``{1: "a"}``) and integers of any size (beyond
64 bits as an extension type); JSON keeps integers of any size, and writes NaN and the infinities
as the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"`` (JSON has no such numbers), as pyWATS
sends them to the server. A payload that cannot be read raises
:class:`~pywats.InvalidArgumentError` saying why.
"""

from __future__ import annotations

import json
import time
import warnings
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from .arguments import checked, checked_methods
from .exceptions import InvalidArgumentError
from .jsonsafe import finite

__all__ = ["Serializer", "benchmark_serialization", "msgpack_available"]

FORMATS = ("json", "msgpack")
# A benchmark's round trips at most: more is a mistake that would run for hours.
MAX_ITERATIONS = 10_000_000


def msgpack_available() -> bool:
    """True if the optional ``msgpack`` package is installed."""
    try:
        import msgpack  # noqa: F401
    except ImportError:
        return False
    return True


# msgpack extension type of an integer beyond 64 bits, held as its decimal text
_BIG_INT = 1


def _plain(value: Any) -> Any:
    """A JSON-able stand-in for the values json/msgpack cannot write themselves."""
    wsjf = getattr(value, "to_wsjf", None)
    if callable(wsjf):  # a WSJF report or part of one: exactly its keys
        return wsjf()
    dump = getattr(value, "model_dump", None)
    if callable(dump):  # another pydantic model: server field names, JSON types
        return dump(mode="json", by_alias=True)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__} (a {type(value).__module__} object)")


def _packable(value: Any) -> Any:
    # msgpack's own integers stop at 64 bits; larger ones travel as an extension
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        import msgpack

        return msgpack.ExtType(_BIG_INT, str(value).encode("ascii"))
    return _plain(value)


def _unpack_ext(code: int, data: bytes) -> Any:
    import msgpack

    if code == _BIG_INT:
        return int(data.decode("ascii"))
    return msgpack.ExtType(code, data)


@checked_methods
class Serializer:
    """``serialize(data) -> bytes`` and ``deserialize(bytes)`` in ``format`` (``"json"`` or ``"msgpack"``)."""

    def __init__(self, format: str = "json") -> None:
        if format not in FORMATS:
            raise InvalidArgumentError(f"format must be one of {FORMATS}, not {format!r}")
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
        """``data`` as bytes in this serializer's format."""
        try:
            if self.format == "msgpack":
                return self._pack(data)
            try:
                text = json.dumps(data, default=_plain, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
            except ValueError:  # NaN or an infinity somewhere: written as their names
                text = json.dumps(finite(_jsonable(data)), separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        except (TypeError, OverflowError) as exc:
            raise InvalidArgumentError(f"data cannot be written as {self.format}: {exc}") from exc
        return text.encode("utf-8")

    @staticmethod
    def _pack(data: Any) -> bytes:
        import msgpack

        try:
            packed: bytes = msgpack.packb(data, default=_packable, use_bin_type=True)
        except OverflowError:  # msgpack does not hand a too large int to default: convert first
            packed = msgpack.packb(_big_ints(data), default=_packable, use_bin_type=True)
        return packed

    def deserialize(self, payload: bytes) -> Any:
        """The data ``payload`` holds, read in this serializer's format."""
        if not isinstance(payload, bytes | bytearray | memoryview | str):
            raise InvalidArgumentError(f"payload must be bytes, not {type(payload).__name__}")
        try:
            if self.format == "msgpack":
                import msgpack

                return msgpack.unpackb(payload, raw=False, strict_map_key=False, ext_hook=_unpack_ext)
            return json.loads(payload)
        except Exception as exc:  # each reader has its own error types; all mean the same here
            why = _reason(exc)
            start = bytes(payload[:16]) if not isinstance(payload, str) else payload[:16].encode()
            raise InvalidArgumentError(
                f"payload is not {self.format} written by Serializer ({why}); it starts with {start!r}"
            ) from exc

    def __repr__(self) -> str:
        return f"Serializer(format={self.format!r})"


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if name == "FormatError":
        return "a byte that begins no msgpack value"
    if name == "ExtraData":
        return "more bytes after the first value"
    if "exceeds max" in str(exc) or "incomplete" in str(exc):
        return "the payload ends before its value does"
    return str(exc) or name


def _jsonable(value: Any) -> Any:
    """``value`` with every object JSON cannot write replaced by its stand-in (see ``_plain``)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float):
        return value
    return _jsonable(_plain(value))


def _big_ints(value: Any) -> Any:
    if isinstance(value, dict):
        return {_big_ints(k): _big_ints(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_big_ints(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return _packable(value)
    return value


@checked
def benchmark_serialization(data: Any, iterations: int = 1000) -> dict[str, dict[str, float]]:
    """Round trips of ``data`` per second and payload size, for each available format.

    ``{"json": {"ops_per_sec": ..., "size_bytes": ..., "seconds": ...}, "msgpack": {...}}``
    (``msgpack`` only when installed).
    """
    from .wire import within  # core.wire loads the generated types: not at `import pywats`

    within("iterations", iterations, 1, MAX_ITERATIONS, whole=True)
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
