"""JSON the server (and any RFC 8259 reader) can read: NaN and ±infinity as named strings.

JSON has no token for NaN or infinity. pyWATS writes them as the strings ``"NaN"``,
``"Infinity"`` and ``"-Infinity"``: the named floating-point literals .NET's JSON readers take for
a ``double`` (the WSJF documents type measurements as ``number``/``double``). Integers are never
turned into floats, however large.
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["NON_FINITE", "finite", "non_finite_name", "number_text"]

NON_FINITE = ("NaN", "Infinity", "-Infinity")
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # ASCII digits only, as .NET reads


def number_text(text: str) -> bool:
    """Whether a .NET JSON reader takes the string ``text`` for a ``double``: one of
    :data:`NON_FINITE` or a number written as text (``"1.5"``, ``" 1.2E+3"``)."""
    return text in NON_FINITE or _NUMBER_TEXT.fullmatch(text.strip()) is not None


def non_finite_name(value: float) -> str:
    """``"NaN"``, ``"Infinity"`` or ``"-Infinity"`` for a float that is not finite."""
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def finite(value: Any) -> Any:
    """``value`` (dicts, lists, tuples, scalars) with every non-finite float replaced by its name.

    Returns ``value`` itself when there is nothing to replace, so the common case copies nothing.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else non_finite_name(value)
    if isinstance(value, dict):
        changed = {k: finite(v) for k, v in value.items()}
        return changed if any(changed[k] is not v for k, v in value.items()) else value
    if isinstance(value, list | tuple):
        items = [finite(v) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value
