"""Standard-library names newer than Python 3.10, the oldest Python pywats supports, in one place.

Import them from here (``from pywats._compat import UTC, StrEnum``), never from where 3.11 put them:
``mypy`` checks the code as Python 3.10 (``python_version`` in pyproject.toml), so a direct import of a
3.11 name fails the lint, and CI runs the test suite on 3.10 as well.
"""

from __future__ import annotations

import sys
from datetime import timezone
from enum import Enum
from typing import Any

__all__ = ["UTC", "Self", "StrEnum", "tomllib"]

#: ``datetime.UTC`` (3.11) is this very object.
UTC = timezone.utc

if sys.version_info >= (3, 11):
    from enum import StrEnum
    from typing import Self

    import tomllib
else:
    import tomli as tomllib
    from typing_extensions import Self

    class StrEnum(str, Enum):
        """``enum.StrEnum`` of 3.11: members are strings, and ``str()``/``format()`` give the value.

        A plain ``(str, Enum)`` would print ``ClassName.MEMBER`` in ``str()`` and f-strings.
        """

        def __str__(self) -> str:
            return str.__str__(self)

        def __format__(self, format_spec: str) -> str:
            return str.__format__(str(self), format_spec)

        @staticmethod
        def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
            return name.lower()
