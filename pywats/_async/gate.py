"""The transport between the retry layer and httpx's pool: admits requests through a gate.

Each attempt holds one gate slot from the moment it enters the pool until its response is
closed (which is when httpcore hands the connection back), so the pool never has more requests
than connections. See ``pywats.core.gate`` for why.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from ..core.gate import AsyncGate

__all__ = ["AsyncGatedTransport"]


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body that gives the gate slot back when it is closed, however that happens."""

    def __init__(self, stream: httpx.AsyncByteStream, gate: AsyncGate) -> None:
        self._stream = stream
        self._gate: AsyncGate | None = gate

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            gate, self._gate = self._gate, None  # a response may be closed more than once
            if gate is not None:
                gate.release()


class AsyncGatedTransport(httpx.AsyncBaseTransport):
    """Wraps httpx's transport: at most ``gate.size`` exchanges in its pool, the rest queue in the gate."""

    def __init__(self, inner: httpx.AsyncBaseTransport, gate: AsyncGate) -> None:
        self._inner = inner
        self.gate = gate

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # A PoolTimeout leaves as it is: the retry layer never retries it (see
        # core.error_mapping.is_retryable_transport_error) and the httpx client above maps it.
        response = await self.gate.send(self._inner, request)
        stream = response.stream
        if isinstance(stream, httpx.ByteStream):
            # A body already in memory (a mock or in-process transport): no connection is held,
            # and httpx never closes a response it finds already read, so the slot goes back now.
            self.gate.release()
            return response
        assert isinstance(stream, httpx.AsyncByteStream)
        response.stream = _ReleasingStream(stream, self.gate)
        return response

    async def aclose(self) -> None:
        await self.gate.close()
        await self._inner.aclose()
