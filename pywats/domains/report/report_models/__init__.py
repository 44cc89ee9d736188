"""Import paths the report guide and pyWATS 0.x code use; the models live in ``pywats.domains.report``."""

from ..models import UURReport, UUTReport

__all__ = ["UURReport", "UUTReport"]
