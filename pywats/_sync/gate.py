# DO NOT EDIT — generated from pywats/_async/gate.py by `python -m pywats._unasync`.
"""The transport between the retry layer and httpx's pool: admits requests through a gate.

Each attempt holds one gate slot from the moment it enters the pool until its response is
closed (which is when httpcore hands the connection back), so the pool never has more requests
than connections. See ``pywats.core.gate`` for why.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from ..core.gate import SyncGate

__all__ = ["SyncGatedTransport"]


class _ReleasingStream(httpx.SyncByteStream):
    """A response body that gives the gate slot back when it is closed, however that happens."""

    def __init__(self, stream: httpx.SyncByteStream, gate: SyncGate) -> None:
        self._stream = stream
        self._gate: SyncGate | None = gate

    def __iter__(self) -> Iterator[bytes]:
        return self._stream.__iter__()

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            gate, self._gate = self._gate, None  # a response may be closed more than once
            if gate is not None:
                gate.release()


class SyncGatedTransport(httpx.BaseTransport):
    """Wraps httpx's transport: at most ``gate.size`` exchanges in its pool, the rest queue in the gate."""

    def __init__(self, inner: httpx.BaseTransport, gate: SyncGate) -> None:
        self._inner = inner
        self.gate = gate

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # A PoolTimeout leaves as it is: the retry layer never retries it (see
        # core.error_mapping.is_retryable_transport_error) and the httpx client above maps it.
        response = self.gate.send(self._inner, request)
        stream = response.stream
        if isinstance(stream, httpx.ByteStream):
            # A body already in memory (a mock or in-process transport): no connection is held,
            # and httpx never closes a response it finds already read, so the slot goes back now.
            self.gate.release()
            return response
        assert isinstance(stream, httpx.SyncByteStream)
        response.stream = _ReleasingStream(stream, self.gate)
        return response

    def close(self) -> None:
        self.gate.close()
        self._inner.close()
