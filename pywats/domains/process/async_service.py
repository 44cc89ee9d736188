"""``AsyncProcessService``: the asyncio process service (``AsyncWATS().process``)."""

from ..._async.process import AsyncProcessService

__all__ = ["AsyncProcessService"]
