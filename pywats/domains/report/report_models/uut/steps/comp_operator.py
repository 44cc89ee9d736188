"""``CompOp`` where the report guide imports it from."""

from ....enums import CompOp

__all__ = ["CompOp"]
