"""Spec-diff: what changed between two versions of the WATS API, and which pywats methods it hits.

The comparison itself is :mod:`.compare`; this module adds the default facade table,
``pywats.operations.facade_operations()``, read from the methods' own declarations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .compare import BREAKING, NON_BREAKING, Change, DiffReport, FacadeTable, compare_surfaces, facade_index

__all__ = ["BREAKING", "NON_BREAKING", "Change", "DiffReport", "FacadeTable", "diff_surfaces", "facade_index"]


def diff_surfaces(
    old: Mapping[str, Mapping[str, Any]],
    new: Mapping[str, Mapping[str, Any]],
    facade: FacadeTable | None = None,
) -> DiffReport:
    """Diff per API (keys ``public``/``internal`` present on both sides).

    ``facade`` is the table of ``pywats.operations.facade_operations()`` (the default): which
    operations, and which optional query parameters, each pywats method uses.
    """
    if facade is None:
        from ..operations import facade_operations

        facade = facade_operations()
    return compare_surfaces(old, new, facade)
