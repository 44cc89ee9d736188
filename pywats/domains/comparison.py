"""How a measured value is compared with its limits: the one comparison vocabulary of pyWATS.

Reports (``compOp`` of a measurement) and analytics (``CompOperator``, the same enum) share it.
The values are those of WSJF as the server writes them (``"GELE"``, ``"IgnoreCase"``).
"""

from __future__ import annotations

import math

from ..core.enums import LenientStrEnum

__all__ = ["CompOp", "CompOperator"]


class CompOp(LenientStrEnum):
    """How a measured value is compared with its limits (WSJF ``compOp``).

    Numeric: ``EQ NE GT GE LT LE`` compare with ``low_limit`` (``LT``/``LE`` with ``high_limit`` when
    only that is given), the two-letter pairs (``GELE`` = low ≤ value ≤ high, ``LTGT`` = outside)
    with both. ``LOG`` only records the value. Strings: ``CASESENSIT`` and ``IGNORECASE``.
    A member is also found by its name, in any case: ``CompOp("CASESENSIT")``, ``CompOp("gele")``.
    """

    EQ = "EQ"
    NE = "NE"
    GT = "GT"
    GE = "GE"
    LT = "LT"
    LE = "LE"
    GTLT = "GTLT"
    GTLE = "GTLE"
    GELT = "GELT"
    GELE = "GELE"
    LTGT = "LTGT"
    LTGE = "LTGE"
    LEGT = "LEGT"
    LEGE = "LEGE"
    LOG = "LOG"
    CASESENSIT = "CaseSensitive"
    IGNORECASE = "IgnoreCase"

    def get_limits_requirement(self) -> tuple[bool, bool]:
        """(needs a low limit, needs a high limit)."""
        if self in (CompOp.LOG, CompOp.CASESENSIT, CompOp.IGNORECASE):
            return (False, False)
        if len(self.value) == 4:
            return (True, True)
        return (True, False)

    def validate_limits(self, low: float | None, high: float | None) -> bool:
        """True if the limits this operator needs are given."""
        need_low, need_high = self.get_limits_requirement()
        if self in (CompOp.LT, CompOp.LE) and low is None:
            return high is not None
        return (not need_low or low is not None) and (not need_high or high is not None)

    def evaluate(
        self, value: float | str | None, low: float | str | None = None, high: float | str | None = None
    ) -> bool:
        """Whether ``value`` passes. ``LOG`` always passes; a missing value or limit fails."""
        if self is CompOp.LOG:
            return True
        if self is CompOp.CASESENSIT:
            return value is not None and str(value) == str(low if low is not None else high)
        if self is CompOp.IGNORECASE:
            return value is not None and str(value).casefold() == str(low if low is not None else high).casefold()
        try:
            v = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        if math.isnan(v):
            return False
        one = low if low is not None else high
        if len(self.value) == 2:
            if one is None:
                return False
            limit = float(one)
            return {
                "EQ": v == limit,
                "NE": v != limit,
                "GT": v > limit,
                "GE": v >= limit,
                "LT": v < limit,
                "LE": v <= limit,
            }[self.value]
        if low is None or high is None:
            return False
        lo, hi = float(low), float(high)
        first = v > lo if self.value[:2] == "GT" else v >= lo if self.value[:2] == "GE" else None
        if first is not None:  # inside the range
            return first and (v < hi if self.value[2:] == "LT" else v <= hi)
        # LTGT/LTGE/LEGT/LEGE: outside the range
        below = v < lo if self.value[:2] == "LT" else v <= lo
        above = v > hi if self.value[2:] == "GT" else v >= hi
        return below or above


# The name pyWATS 0.x's analytics API uses.
CompOperator = CompOp
