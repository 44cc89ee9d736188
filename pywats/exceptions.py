"""``pywats.exceptions``: the same names as ``pywats.core.exceptions`` (both spellings are in use)."""

from .core.exceptions import *  # noqa: F403
from .core.exceptions import __all__  # noqa: F401
