"""The Report domain: WSJF test (UUT) and repair (UUR) reports, submitting and querying them."""

# pyWATS 0.x code imports the analytics filter from here.
from ..analytics.models import WATSFilter
from . import enums, headers, models
from .enums import *  # noqa: F403  (the domain's names are its modules' public names)
from .headers import *  # noqa: F403  (the domain's names are its modules' public names)
from .models import *  # noqa: F403  (the domain's names are its modules' public names)

__all__ = [*enums.__all__, *headers.__all__, *models.__all__, "WATSFilter"]
