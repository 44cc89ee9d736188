"""The report models where pyWATS 0.x code imports them from (``from pywats.models import UUTReport``).

They live in :mod:`pywats.domains.report`; ``pywats`` itself exports them too.
"""

from .domains.report.models import UURReport, UUTReport

__all__ = ["UURReport", "UUTReport"]
