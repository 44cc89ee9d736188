"""Writing OData ``$filter`` literals safely."""

from __future__ import annotations

__all__ = ["odata_string"]


def odata_string(value: str) -> str:
    """``value`` as an OData string literal: quoted, with ``'`` doubled (``O'Brien`` → ``'O''Brien'``)."""
    return "'" + str(value).replace("'", "''") + "'"
