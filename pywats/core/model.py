"""The base of the facade's pydantic models: a bad field given by a caller is an ``InvalidArgumentError``.

Building a model (``WATSFilter(days="x")``) or assigning a field of one that validates
assignments raises :class:`~pywats.InvalidArgumentError` naming the field path, like every other
bad argument. Reading the server's answers (``model_validate``) is not affected.
"""

from __future__ import annotations

from typing import Any

import pydantic

from .arguments import from_exception

__all__ = ["FacadeModel"]


class FacadeModel(pydantic.BaseModel):
    """``pydantic.BaseModel`` whose construction and assignment errors are pywats argument errors."""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise from_exception(type(self).__name__, exc) from None

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except pydantic.ValidationError as exc:
            raise from_exception(type(self).__name__, exc) from None
