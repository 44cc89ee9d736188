"""The domain framework: every facade method's one declaration (``core.binding.uses``) is true.

- every declared operation exists in the generated registries;
- calling each method against the simulator sends exactly the declared operations, and no
  optional query parameter it did not declare (each domain's test module gives example calls
  in ``FACADE_CALLS``; a method without one fails here, so a new method cannot skip this);
- internal endpoints ⇔ ``⚠️ INTERNAL API`` docstring ⇔ ``InternalAPIWarning`` at the caller's line.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import wats_internal.api
import wats_public.api
from wats_internal.api.process import process_get_processes
from wats_public.api.app import app_version

import pywats
from pywats import AsyncWATS, pyWATS
from pywats._async.service import AsyncServiceSlot
from pywats.core.binding import binding_of, uses
from pywats.core.internal import BANNER
from pywats.operations import facade_bindings, facade_operations
from pywats.simulator import Simulator
from pywats.spec.surface import load_surface

DOMAIN_TESTS = Path(__file__).resolve().parent / "domains"
# Methods on the client itself: example arguments (none needed).
CLIENT_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_version": ((), {}),
    "test_connection": ((), {}),
}
NOT_AN_OPERATION = {"client.check_server_compatibility"}  # reads the API documents
# pyWATS 0.x methods for which WATS documents no operation: they raise PyWATSError and send nothing.
NO_DOCUMENTED_OPERATION = {
    "production.get_batches",
    "analytics.set_unit_flow_visibility",
    "analytics.show_operations",
    "analytics.hide_operations",
    "analytics.expand_operations",
}


def slots() -> dict[str, AsyncServiceSlot[Any]]:
    return {k: v for k, v in vars(AsyncWATS).items() if isinstance(v, AsyncServiceSlot)}


Call = tuple[tuple[Any, ...], dict[str, Any]]


def facade_calls() -> dict[str, Call | list[Call]]:
    """``"service.method"`` → example (args, kwargs), or a list of them for a method whose
    operations depend on its arguments, from ``tests/domains/test_<service>.py``."""
    calls: dict[str, Call | list[Call]] = {f"client.{k}": v for k, v in CLIENT_CALLS.items()}
    if str(DOMAIN_TESTS) not in sys.path:  # domain test modules import their helpers from there
        sys.path.insert(0, str(DOMAIN_TESTS))
    for attr in slots():
        path = DOMAIN_TESTS / f"test_{attr}.py"
        assert path.is_file(), f"domain {attr!r} has no tests/domains/test_{attr}.py"
        spec = importlib.util.spec_from_file_location(f"_calls_{attr}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, call in module.FACADE_CALLS.items():
            calls[f"{attr}.{name}"] = call
    return calls


def test_every_declared_operation_exists() -> None:
    registries = {**wats_public.api.OPERATIONS, **wats_internal.api.OPERATIONS}
    for method_name, operations in facade_operations().items():
        for use in operations:
            assert (use.method, use.path) in registries, (method_name, use)


def test_every_public_service_method_is_declared() -> None:
    for attr, slot in slots().items():
        for cls in (slot.service_class(), getattr(pyWATS, attr).service_class()):
            for name, member in inspect.getmembers(cls, inspect.isfunction):
                if not name.startswith("_"):
                    assert binding_of(member) is not None, f"{cls.__name__}.{name} has no @uses declaration"


def test_banner_if_and_only_if_internal() -> None:
    bindings = facade_bindings()
    assert bindings, "no facade methods found"
    for name, binding in bindings.items():
        service, method = name.split(".")
        owner: Any = AsyncWATS if service == "client" else slots()[service].service_class()
        doc = inspect.getdoc(getattr(owner, method)) or ""
        assert doc.startswith(BANNER) == binding.internal, name


def required_query(method: str, path: str) -> set[str]:
    for key in ("public", "internal"):
        op = load_surface(key)["operations"].get(f"{method} {path}")
        if op is not None:
            return {p["name"].lower() for p in op["parameters"] if p["in"] == "query" and p.get("required")}
    raise AssertionError(f"{method} {path} is not documented")


def test_declared_operations_match_the_traffic(wats_simulator: Simulator) -> None:
    calls = facade_calls()
    declared = facade_operations()
    missing = sorted(set(declared) - set(calls) - NOT_AN_OPERATION)
    assert not missing, f"no example call in FACADE_CALLS for {missing}"
    for name, uses_ in declared.items():
        if name in NOT_AN_OPERATION:
            continue
        examples = calls[name] if isinstance(calls[name], list) else [calls[name]]
        service, method = name.split(".")
        wats_simulator.reset()
        with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
            target = api if service == "client" else getattr(api, service)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pywats.InternalAPIWarning)
                for args, kwargs in examples:
                    if name in NO_DOCUMENTED_OPERATION:
                        with pytest.raises(pywats.PyWATSError, match="no operation"):
                            getattr(target, method)(*args, **kwargs)
                    else:
                        getattr(target, method)(*args, **kwargs)
        if not uses_:
            assert not wats_simulator.requests, f"{name} declares no operation but sent requests"
            continue
        assert wats_simulator.requests, f"{name} sent nothing"
        used = set()
        for request in wats_simulator.requests:
            use = next((u for u in uses_ if u.method == request.method and _matches(u.path, request.path)), None)
            assert use is not None, f"{name} sent undeclared {request.method} {request.path}"
            used.add(use)
            allowed = {q.lower() for q in use.query} | required_query(use.method, use.path)
            undeclared = {q.lower() for q in request.query} - allowed
            assert not undeclared, f"{name} sent undeclared optional query parameters {undeclared}"
        assert used == set(uses_), f"{name} declares operations its example call did not send"


def _matches(template: str, path: str) -> bool:
    import re

    pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in re.split(r"({[^}]+})", template))
    return re.fullmatch(pattern, path, re.IGNORECASE) is not None


# -- the declaration itself ------------------------------------------------------------------------


def test_internal_declaration_requires_the_banner() -> None:
    with pytest.raises(TypeError, match="must start with"):

        @uses(process_get_processes)
        def undocumented() -> None:
            """Does things."""


def test_internal_declaration_warns_at_the_callers_line_sync_and_async() -> None:
    @uses(process_get_processes)
    def documented() -> int:
        """⚠️ INTERNAL API: uses /api/internal/Process/GetProcesses."""
        return 1

    @uses(process_get_processes)
    async def documented_async() -> int:
        """⚠️ INTERNAL API: uses /api/internal/Process/GetProcesses."""
        return 2

    @uses(app_version)
    def public() -> int:
        """Not internal."""
        return 3

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        assert documented() == 1
        coro = documented_async()  # the warning belongs to this line, not to whoever awaits
        assert asyncio.run(coro) == 2
        assert public() == 3
    assert [r.category for r in record] == [pywats.InternalAPIWarning] * 2
    assert {r.filename for r in record} == {__file__}
    assert binding_of(documented) is not None and binding_of(documented).internal  # type: ignore[union-attr]
    assert binding_of(public) is not None and not binding_of(public).internal  # type: ignore[union-attr]


def test_sync_twins_are_declared_like_their_sources() -> None:
    for attr, slot in slots().items():
        async_cls, sync_cls = slot.service_class(), getattr(pyWATS, attr).service_class()
        for name, member in inspect.getmembers(async_cls, inspect.isfunction):
            binding = binding_of(member)
            if binding is not None:
                twin = binding_of(getattr(sync_cls, name))
                assert twin == binding, f"{sync_cls.__name__}.{name}"


def test_unasync_covers_every_domain_twin() -> None:
    from pywats import _unasync

    found = {
        (s.relative_to(_unasync.PACKAGE).as_posix(), d.relative_to(_unasync.PACKAGE).as_posix())
        for s, d in _unasync.pairs()
    }
    assert ("domains/process/async_service.py", "domains/process/service.py") in found
    assert ("_async/service.py", "_sync/service.py") in found
    for src, dest in _unasync.pairs():
        assert dest.read_text(encoding="utf-8") == _unasync.render(src), dest


def test_conditionally_internal_methods_warn_only_when_they_reach_the_internal_endpoint() -> None:
    @uses(app_version, process_get_processes, internal_if=lambda everything=False: everything)
    def lookup(everything: bool = False) -> bool:
        """⚠️ INTERNAL API when ``everything`` is true (``GET /api/internal/Process/GetProcesses``)."""
        return everything

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        lookup()
        lookup(everything=False)
        lookup(everything=True)
    assert [r.category for r in record] == [pywats.InternalAPIWarning]
    assert record[0].filename == __file__
