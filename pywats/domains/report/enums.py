"""The small vocabularies of a WSJF report: step status, report result, comparison operators, flow types."""

from __future__ import annotations

import math

from pywats._compat import StrEnum

__all__ = ["CompOp", "FlowType", "ReportResult", "ReportType", "StepGroup", "StepStatus", "status_code"]


class StepStatus(StrEnum):
    """A step's (or measurement's) status as WSJF spells it: one letter."""

    Passed = "P"
    Failed = "F"
    Done = "D"
    Skipped = "S"
    Error = "E"
    Terminated = "T"
    Running = "R"


class ReportResult(StrEnum):
    """A report's overall result (``result`` in WSJF)."""

    Passed = "P"
    Failed = "F"
    Done = "D"
    Error = "E"
    Terminated = "T"


class ReportType(StrEnum):
    """Which reports a header query returns: the server's ``reportType`` (T = UUT, R = UUR)."""

    UUT = "T"
    UUR = "R"


class StepGroup(StrEnum):
    """The TestStand step group a step ran in."""

    Setup = "S"
    Main = "M"
    Cleanup = "C"


_STATUS_WORDS = {m.name.casefold(): m.value for m in StepStatus} | {
    "pass": "P",
    "fail": "F",
    "skip": "S",
}


def status_code(status: str | bool | None) -> str | None:
    """``"Passed"``, ``"passed"``, ``"P"`` or ``True`` → ``"P"``; unknown words pass through unchanged."""
    if status is None:
        return None
    if isinstance(status, bool):
        return "P" if status else "F"
    text = str(status)
    if len(text) == 1:
        return text.upper()
    return _STATUS_WORDS.get(text.casefold(), text)


class CompOp(StrEnum):
    """How a measured value is compared with its limits (WSJF ``compOp``).

    Numeric: ``EQ NE GT GE LT LE`` compare with ``low_limit`` (``LT``/``LE`` with ``high_limit`` when
    only that is given), the two-letter pairs (``GELE`` = low ≤ value ≤ high, ``LTGT`` = outside)
    with both. ``LOG`` only records the value. Strings: ``CASESENSIT`` and ``IGNORECASE``.
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


class FlowType(StrEnum):
    """``stepType`` of steps that measure nothing: actions, labels, flow control, waits."""

    Action = "Action"
    Label = "Label"
    Statement = "Statement"
    Goto = "Goto"
    Wait = "NI_Wait"
    If = "NI_Flow_If"
    ElseIf = "NI_Flow_ElseIf"
    Else = "NI_Flow_Else"
    End = "NI_Flow_End"
    For = "NI_Flow_For"
    ForEach = "NI_Flow_ForEach"
    While = "NI_Flow_While"
    DoWhile = "NI_Flow_DoWhile"
    Break = "NI_Flow_Break"
    Continue = "NI_Flow_Continue"
    Select = "NI_Flow_Select"
    Case = "NI_Flow_Case"
    Default = "NI_Flow_Default"
    Loop = "NI_Flow_Loop"
