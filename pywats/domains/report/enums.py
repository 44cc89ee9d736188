"""The small vocabularies of a WSJF report: step status, report result, comparison operators, flow types."""

from __future__ import annotations

from pywats._compat import StrEnum

from ..comparison import CompOp

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
