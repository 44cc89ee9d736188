"""Every public name has a docstring: the API reference is rendered from them.

Public means what a user reaches: the names ``pywats`` exports, the services on the clients,
the modules the reference documents (their ``__all__``, else their names without a leading
underscore), and the public methods and properties those classes define themselves.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import pywats
import pywats.domains
from pywats import AsyncWATS, pyWATS

DOMAINS = sorted(m.name for m in pkgutil.iter_modules(pywats.domains.__path__) if m.ispkg)
MODULES = [
    "pywats",
    "pywats.core",
    "pywats.core.batch",
    "pywats.core.batching",
    "pywats.core.cache",
    "pywats.core.enums",
    "pywats.core.error_mapping",
    "pywats.core.exceptions",
    "pywats.core.logging",
    "pywats.core.pagination",
    "pywats.core.performance",
    "pywats.core.retry",
    "pywats.core.station",
    "pywats.core.sync_runner",
    "pywats.operations",
    "pywats.tools.test_uut",
    "pywats.simulator",
    "pywats.simulator.pytest_plugin",
    "pywats_client",
    *(f"pywats.domains.{d}" for d in DOMAINS),
    *(f"pywats.domains.{d}.models" for d in DOMAINS),
    "pywats.domains.analytics.enums",
    "pywats.domains.report.enums",
    "pywats.domains.report.headers",
]

# Members every class of these kinds has; they are documented where they are defined.
_FOREIGN = {"model_config", "model_fields", "model_computed_fields", "model_post_init"}


def _exported(module: ModuleType) -> Iterator[Any]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items() if not n.startswith("_") and _defined_in(v, module)]
    if module is pywats:
        names = [*names, *pywats._LAZY]
    for name in names:
        if not name.startswith("__"):
            yield getattr(module, name)


def _defined_in(value: Any, module: ModuleType) -> bool:
    return getattr(value, "__module__", None) == module.__name__


def _own_members(cls: type) -> Iterator[tuple[str, Any]]:
    """Members the class defines, and those it inherits from private pywats bases (documented nowhere else)."""
    private_bases = [
        base for base in cls.__mro__[1:] if base.__name__.startswith("_") and base.__module__.startswith("pywats")
    ]
    for owner in (cls, *private_bases):
        yield from _defined_members(owner)


def _defined_members(cls: type) -> Iterator[tuple[str, Any]]:
    for name, value in vars(cls).items():
        if name.startswith("_") or name in _FOREIGN:
            continue
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, property) or inspect.isfunction(value):
            yield f"{cls.__module__}.{cls.__qualname__}.{name}", value


def public_objects() -> dict[str, Any]:
    """Qualified name → object, for every public class, function, method and property."""
    found: dict[str, Any] = {}
    classes: list[type] = [pyWATS, AsyncWATS]
    for flavour in (pyWATS, AsyncWATS):
        for name in dir(flavour):
            slot = vars(flavour).get(name)
            if slot is not None and hasattr(slot, "service_class"):
                classes.append(slot.service_class())
    for module_name in MODULES:
        for value in _exported(importlib.import_module(module_name)):
            if inspect.isclass(value):
                classes.append(value)
            elif inspect.isfunction(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    for cls in dict.fromkeys(classes):
        if not cls.__module__.startswith(("pywats", "pywats_client")):
            continue  # a name re-exported from elsewhere is documented there
        found[f"{cls.__module__}.{cls.__qualname__}"] = cls
        found.update(_own_members(cls))
    return found


def _has_docstring(value: Any) -> bool:
    doc = value.__doc__ if not isinstance(value, property) else (value.fget.__doc__ if value.fget else None)
    if inspect.isclass(value):
        doc = value.__dict__.get("__doc__")
    return bool(doc and doc.strip())


PUBLIC = public_objects()


def test_the_public_api_is_found() -> None:
    assert len(PUBLIC) > 500
    assert "pywats._sync.client.pyWATS" in PUBLIC
    assert "pywats.domains.report.service.ReportService.submit_report" in PUBLIC


def test_every_public_name_has_a_docstring() -> None:
    missing = sorted(name for name, value in PUBLIC.items() if not _has_docstring(value))
    coverage = 100 * (len(PUBLIC) - len(missing)) / len(PUBLIC)
    print(f"docstring coverage of the public API: {coverage:.1f}% of {len(PUBLIC)} names")
    if missing:
        pytest.fail(f"{len(missing)} public names have no docstring:\n" + "\n".join(missing))
