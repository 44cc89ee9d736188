"""Another import path for ``FlowType`` and ``GenericStep``."""

from ....enums import FlowType
from ....models import GenericStep

__all__ = ["FlowType", "GenericStep"]
