"""``ProcessService``: the blocking process service (``pyWATS().process``)."""

from ..._sync.process import ProcessService

__all__ = ["ProcessService"]
