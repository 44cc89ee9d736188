"""The product domain's enumerations where pyWATS 0.x code imports them from."""

from .models import ProductState

__all__ = ["ProductState"]
