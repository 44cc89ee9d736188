"""The Product domain: products, revisions, BOMs, groups, tags, vendors, categories, box builds."""

from . import models
from .models import *  # noqa: F403  (the domain's names are its modules' public names)

__all__ = [*models.__all__]
