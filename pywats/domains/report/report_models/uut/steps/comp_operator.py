"""Another import path for ``CompOp``."""

from ....enums import CompOp

__all__ = ["CompOp"]
