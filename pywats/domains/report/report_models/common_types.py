"""``StepStatus`` and ``ReportStatus`` where pyWATS 0.x code imports them from.

``ReportStatus`` is :class:`~pywats.domains.report.ReportResult` (a report's overall result, WSJF's
``result``), under the name that package used.
"""

from ..enums import ReportResult, StepStatus

ReportStatus = ReportResult

__all__ = ["ReportStatus", "StepStatus"]
