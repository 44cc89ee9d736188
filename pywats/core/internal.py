"""The warning for facade methods that use internal WATS endpoints (declared with ``core.binding.uses``)."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from wats_internal.errors import InternalAPIWarning

__all__ = ["BANNER", "InternalAPIWarning", "warn_internal"]

BANNER = "⚠️ INTERNAL API"
F = TypeVar("F", bound=Callable[..., Any])

_OWN_DIRS = tuple(
    os.path.dirname(p) + os.sep for p in (os.path.dirname(__file__), sys.modules["wats_internal"].__file__ or "")
)


def _user_stacklevel() -> int:
    """Stack level of the first frame outside pywats and the generated packages."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_OWN_DIRS):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn_internal(what: str) -> None:
    """Emit :class:`InternalAPIWarning` for ``what``, attributed to the user's line."""
    warnings.warn(
        f"{what} uses an internal WATS API endpoint; it is unversioned and may change with any server upgrade",
        InternalAPIWarning,
        stacklevel=_user_stacklevel(),
    )
