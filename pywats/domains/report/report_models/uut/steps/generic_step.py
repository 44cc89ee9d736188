"""``FlowType`` and ``GenericStep`` where the report guide imports them from."""

from ....enums import FlowType
from ....models import GenericStep

__all__ = ["FlowType", "GenericStep"]
