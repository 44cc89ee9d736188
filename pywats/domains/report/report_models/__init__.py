"""Import paths pyWATS 0.x code uses; the models live in ``pywats.domains.report``."""

from ..models import UURReport, UUTReport

__all__ = ["UURReport", "UUTReport"]
