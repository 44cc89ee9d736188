"""Enum bases shared by the domains."""

from __future__ import annotations

from typing import Any

from .._compat import StrEnum

__all__ = ["LenientStrEnum"]


def _folded(text: str) -> str:
    return text.strip().replace("_", "").casefold()


class LenientStrEnum(StrEnum):
    """A string enum whose members are also found by their name, in any case.

    The WATS server matches these words without regard to case, and users write them as the
    documents do (``"CASESENSIT"``, ``"released"``): a member is found by its value or its name
    (aliases included), case, surrounding blanks and underscores ignored. Anything else is the
    usual ``ValueError``.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        wanted = _folded(value)
        return next((m for n, m in cls.__members__.items() if wanted in (_folded(m.value), _folded(n))), None)
