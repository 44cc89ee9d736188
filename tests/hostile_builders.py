"""Hostile arguments for the builders and utilities users call directly, derived from their signatures.

The domain walk (``tests/hostile.py``) covers the services; this one covers what runs without a
server or around it: ``TestUUT`` and the report models' builders, ``load_report``,
``Serializer``, ``WATSFilter``, ``Station``/``StationConfig``/``api.stations``, ``RetryConfig``,
the ``pyWATS``/``AsyncWATS`` constructors, ``batch_map``/``batch_execute``/``ChunkedBatcher``,
the TTL caches, ``paginate``, ``ResponseCache`` and ``pywats_client.io``.

Each callable has an example call (``EXAMPLES``, by name; a public method without one fails
the walk, so a new builder must be added); one parameter at a time is replaced by each hostile
value, and each callable also gets an unknown keyword. An outcome is one of:

- ``ok``: accepted, and what it built still acts (each target's ``after`` check: a report is
  finalised, passes ``check_wire``, round-trips through ``load_report`` and is stored by the
  simulator; a cached value is served; a page iterates; a client makes a call...);
- ``refused``: :class:`pywats.InvalidArgumentError` naming the argument (or, for an unknown
  keyword, naming the keyword).

Anything else is an escape: another exception type, an ``InvalidArgumentError`` that does not
name the argument, or a value accepted that breaks afterwards. Runnable alone to list the
escapes: ``python -m tests.hostile_builders [name-prefix]``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

import pywats
from pywats import AsyncWATS, RetryConfig, Station, StationConfig, pyWATS
from pywats.core.batch import batch_execute, collect_failures, collect_successes
from pywats.core.batching import ChunkedBatcher, batch_map
from pywats.core.cache import AsyncTTLCache, TTLCache
from pywats.core.pagination import apaginate, paginate
from pywats.core.performance import Serializer, benchmark_serialization
from pywats.core.response_cache import ResponseCache
from pywats.domains.analytics.models import WATSFilter
from pywats.domains.report.models import (
    Attachment,
    BinaryData,
    Chart,
    MultiBooleanStep,
    MultiNumericStep,
    MultiStringStep,
    SequenceCall,
    UURFailure,
    UURReport,
    UURSubUnit,
    load_report,
)
from pywats.simulator import Simulator
from pywats.tools.test_uut import TestUUT
from pywats_client.io import load_attachment, save_attachment

from .hostile import HOSTILE as DOMAIN_HOSTILE

# The domain walk's values, and what builders meet besides: the other infinity, a very long
# text, a number written as text, zero, and a plain float.
HOSTILE: list[tuple[str, Any]] = [
    *DOMAIN_HOSTILE,
    ("-inf", -math.inf),
    ("long-text", "x" * 100_000),
    ("numeric-text", "10"),
    ("zero", 0),
    ("float", 1.5),
]
UNKNOWN_KEYWORD = "bogus_keyword"


@dataclass
class Target:
    """One callable: ``make()`` gives a fresh ``(callable, subject)``; ``after(result, subject)``
    checks that an accepted call left something that works (raising if not)."""

    name: str
    make: Callable[[], tuple[Callable[..., Any], Any]]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    after: Callable[[Any, Any], None] | None = None
    # parameters only given by keyword through **kwargs (WATSFilter's fields, TestUUT's report fields)
    keywords: tuple[str, ...] = ()


@dataclass
class Outcome:
    target: str
    parameter: str
    value: str
    error: BaseException | None
    broke_later: BaseException | None = None

    @property
    def refused(self) -> bool:
        return isinstance(self.error, pywats.InvalidArgumentError) and _names(self.error, self.parameter)

    @property
    def escaped(self) -> bool:
        return self.broke_later is not None or (self.error is not None and not self.refused)

    def __str__(self) -> str:
        if self.broke_later is not None:
            kind, exc = "accepted, then " + type(self.broke_later).__name__, self.broke_later
        elif self.error is not None:
            kind, exc = type(self.error).__name__, self.error
        else:
            return f"{self.target}({self.parameter}={self.value}): ok"
        text = str(exc)[:140].replace("\n", " ")
        return f"{self.target}({self.parameter}={self.value}): {kind} {text}"


def _names(error: BaseException, parameter: str) -> bool:
    details = getattr(error, "details", None) or {}
    if details.get("argument") == parameter:
        return True
    fields = details.get("fields") or []
    if any(str(f).split(".")[0] == parameter for f in fields):
        return True
    text = str(error)
    return parameter in text


# -- what "still acts" means ---------------------------------------------------------------------

_SIM: list[tuple[Simulator, pyWATS]] = []


def _submit(report: Any) -> None:
    if _SIM:
        _, api = _SIM[0]
        report_id = api.report.submit_report(report)
        if report_id is None:
            raise AssertionError("the simulator stored no report")


def _report_acts(result: Any, subject: Any) -> None:
    """The report under construction finalises, passes check_wire, round-trips and is stored."""
    report = subject
    report.finalize()
    report.check_wire()
    document = report.to_wsjf()
    again = load_report(json.dumps(document)).to_wsjf()
    if again != document:
        raise AssertionError("the report does not round-trip through load_report")
    _submit(report)


def _serializer_acts(result: Any, subject: Any) -> None:
    if isinstance(result, Serializer):
        subject = result
    if isinstance(subject, Serializer):
        subject.deserialize(subject.serialize({"a": [1, 2.5, "x"]}))


def _round_trips(result: Any, subject: Any) -> None:
    if isinstance(result, bytes):
        subject.deserialize(result)


def _filter_acts(result: Any, subject: Any) -> None:
    json.dumps(result.to_wire())


def _station_acts(result: Any, subject: Any) -> None:
    station = result if isinstance(result, Station) else Station(config=result)
    if not isinstance(station.name, str) or not station.name.strip():
        raise AssertionError(f"station name {station.name!r}")
    if not isinstance(station.location, str | None):
        raise AssertionError(f"station location {station.location!r}")
    report = TestUUT(part_number="PN-1", serial_number="SN-1", purpose=station.purpose)
    report.station_name, report.location = station.name, station.location
    _report_acts(None, report)


def _retry_acts(result: Any, subject: Any) -> None:
    config = result if isinstance(result, RetryConfig) else subject
    for n in (1, 2, 10):
        delay = config.backoff(n)
        if not (isinstance(delay, float | int) and math.isfinite(delay) and delay >= 0):
            raise AssertionError(f"backoff({n}) is {delay!r}")
    config.decide("GET", 1, 0.0, status=503)


def _client_acts(result: Any, subject: Any) -> None:
    api = subject
    try:
        if isinstance(api, AsyncWATS):

            async def call() -> None:
                async with api:
                    await api.get_version()

            asyncio.run(call())
        else:
            with api:
                api.get_version()
    except pywats.PyWATSError:
        pass  # a token the server refuses, a proxy that is not there: the client said so


def _cache_acts(result: Any, subject: Any) -> None:
    cache = subject
    if isinstance(cache, AsyncTTLCache):

        async def use() -> Any:
            await cache.set("k", "v", ttl=60)
            return await cache.get("k")

        got = asyncio.run(use())
    else:
        cache.set("k", "v", ttl=60)
        got = cache.get("k")
    if got != "v":
        raise AssertionError(f"a value just set is not served (got {got!r})")


def _set_served(result: Any, subject: Any) -> None:
    """After ``set(key, value, ttl)`` was accepted: the value is served (a ttl below a second aside)."""
    cache, key, value = subject
    got = cache.get(key) if isinstance(cache, TTLCache) else asyncio.run(cache.get(key))
    if got is not value and got != value:
        raise AssertionError(f"set was accepted but get gives {got!r}")


def _list_of(n: int) -> Callable[[Any, Any], None]:
    def check(result: Any, subject: Any) -> None:
        items = list(result) if not hasattr(result, "__aiter__") else asyncio.run(_alist(result))
        if len(items) > n:
            raise AssertionError(f"{len(items)} items, at most {n} expected")

    return check


async def _alist(iterator: Any) -> list[Any]:
    return [item async for item in iterator]


def _file_written(result: Any, subject: Any) -> None:
    if not Path(result).is_file() or Path(result).read_bytes() != b"hello":
        raise AssertionError(f"{result} does not hold the attachment")


def _attachment_read(result: Any, subject: Any) -> None:
    if result.get_bytes() != b"hello":
        raise AssertionError("the attachment does not hold the file's bytes")
    if not result.name:
        raise AssertionError("the attachment has no name")


def _response_cache_acts(result: Any, subject: Any) -> None:
    cache = result if isinstance(result, ResponseCache) else subject
    if cache is None:
        return
    request = {"method": "GET", "url": "/api/x", "params": {"a": 1}}
    answer = httpx.Response(200, json={"ok": True})
    cache.store(request, answer)
    if cache.lookup(request) is not answer:
        raise AssertionError("a stored answer is not served")


# -- targets -------------------------------------------------------------------------------------


def _uut() -> TestUUT:
    return TestUUT(part_number="PN-1", serial_number="SN-1", revision="A")


def _uur() -> UURReport:
    return UURReport(pn="PN-1", sn="SN-1", rev="A", process_code=500)


_PUBLIC_MODEL_NAMES = set(dir(pywats.domains.report.models.WSJFModel))  # pydantic's and WSJFModel's own


def _public_methods(cls: type, extra: type | None = None) -> list[str]:
    """Public methods ``cls`` (and ``extra``, reached through it) adds to the WSJF model base."""
    names = set()
    for owner in (cls, extra):
        if owner is None:
            continue
        for name in dir(owner):
            if name.startswith("_") or (name in _PUBLIC_MODEL_NAMES and name not in _BUILDER_BASE):
                continue
            attribute = inspect.getattr_static(owner, name, None)
            if isinstance(attribute, property) or not callable(getattr(owner, name, None)):
                continue
            if isinstance(attribute, type) or (owner is extra and not name.startswith("add_")):
                continue  # only the add_* builders are reached through the report
            names.add(name)
    return sorted(names)


# WSJFModel's own public methods are part of every builder's surface.
_BUILDER_BASE = {"to_wsjf", "to_json", "wire_problems", "check_wire"}

ATT = Attachment.from_bytes("a.txt", b"hello", "text/plain")
BIN = BinaryData.from_bytes(b"hello", "b.bin")
CHART = Chart.create_xy_chart("c", [1.0, 2.0], [3.0, 4.0])
UUID_TEXT = "8e1b5d1a-6a8e-4c9e-9a55-2f1c8a1b2c3d"

# Example calls of the report builders, by method name: (args, kwargs).
REPORT_EXAMPLES: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "add_action_step": (("Act",), {}),
    "add_asset": ((pywats.domains.report.models.Asset(sn="FIX-1", usage_count=1),), {}),
    "add_attachment": ((ATT,), {}),
    "add_binary_data": ((BIN,), {}),
    "add_boolean_step": (("Bool", True), {}),
    "add_call_exe_step": (("Exe", 0), {}),
    "add_chart_step": (("Chart", CHART), {}),
    "add_failure_to_main": (("Component", "C1", "burnt"), {}),
    "add_generic_step": (("Label", "Gen"), {}),
    "add_message_popup_step": (("Popup", "yes", 1), {}),
    "add_misc_info": (("Key", "Value"), {}),
    "add_multiple_numeric_limit_test": (("MN",), {}),
    "add_multiple_pass_fail_test": (("MP",), {}),
    "add_multiple_string_value_test": (("MS",), {}),
    "add_numeric_limit_step": (("NL", 5.0, "V", 4.0, 6.0), {}),
    "add_numeric_step": (("N", 5.0, "GELE", 4.0, 6.0, "V"), {}),
    "add_pass_fail_step": (("PF", "Passed"), {}),
    "add_sequence_call": (("Seq", "seq.py", "1.0"), {}),
    "add_step": ((SequenceCall(name="child", step_type="SequenceCall", steps=[]),), {}),
    "add_string_step": (("S", "abc", "abc"), {}),
    "add_sub_unit": (("SUB-PN", "SUB-SN", "A"), {}),
    "calculate_totals": ((), {}),
    "check_wire": ((), {}),
    "compute_result": ((), {}),
    "finalize": ((), {}),
    "get_all_failures": ((), {}),
    "get_all_steps": ((), {}),
    "get_assets_by_type": (("Fixture",), {}),
    "get_failed_steps": ((), {}),
    "get_failures_by_category": (("Component",), {}),
    "get_main_unit": ((), {}),
    "get_misc_info": (("Key",), {}),
    "get_root_sequence_call": ((), {}),
    "get_steps_by_status": (("F",), {}),
    "get_sub_unit": ((0,), {}),
    "link_to_uut": ((UUID_TEXT,), {}),
    "set_repair_operation": ((500,), {}),
    "set_test_operation": ((100,), {}),
    "steps": ((), {}),
    "to_json": ((), {}),
    "to_report": ((), {}),
    "to_wsjf": ((), {}),
    "wire_problems": ((), {}),
    # steps
    "is_failed": ((), {}),
    "is_passed": ((), {}),
    "propagate_failure": ((), {}),
    "set_status": (("Passed",), {}),
}
MEASUREMENT_EXAMPLES: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "MultiNumericStep.add_measurement": (("m", 5.0, "V", "GELE", 4.0, 6.0), {}),
    "MultiBooleanStep.add_measurement": (("m", True), {}),
    "MultiStringStep.add_measurement": (("m", "abc", "CASESENSIT", "abc"), {}),
    "MultiNumericStep.get_measurement": (("m",), {}),
}
SUB_UNIT_EXAMPLES: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "add_failure": (("Component", "C1", "burnt", "R12", "PSU"), {}),
    "clear_failures": ((), {}),
    "failure_count": ((), {}),
    "get_failure": ((0,), {}),
    "get_failures_by_category": (("Component",), {}),
    "has_failures": ((), {}),
    "mark_as_replaced": ((2,), {}),
    "remove_failure": ((0,), {}),
    "create_main_unit": (("PN-1", "SN-1", "A"), {}),
    "create_sub_unit": (("SUB", "SUB-SN", "A", 1, 0), {}),
}
FAILURE_EXAMPLES: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "set_component_reference": (("R12", "PSU"), {}),
    "set_article_info": (("ART-1", "B", "Acme"), {}),
    "link_to_uut_step": ((3, "Step 3"), {}),
}


def _bound(subject_factory: Callable[[], Any], attribute: str, via: Callable[[Any], Any] = lambda s: s) -> Any:
    def make() -> tuple[Callable[..., Any], Any]:
        subject = subject_factory()
        return getattr(via(subject), attribute), subject

    return make


def _report_targets() -> Iterator[Target]:
    missing: list[str] = []
    # TestUUT: its own methods, UUTReport's and the root sequence's add_* builders (reached through it)
    for name in _public_methods(TestUUT, SequenceCall):
        if name not in REPORT_EXAMPLES:
            missing.append(f"TestUUT.{name}")
            continue
        args, kwargs = REPORT_EXAMPLES[name]
        yield Target(f"TestUUT.{name}", _bound(_uut, name), args, kwargs, _report_acts)
    # the same builders on a sequence below the root
    for name in _public_methods(SequenceCall):
        if name not in REPORT_EXAMPLES:
            missing.append(f"SequenceCall.{name}")
            continue
        args, kwargs = REPORT_EXAMPLES[name]
        via = lambda r: r.get_root_sequence_call().add_sequence_call("Outer")  # noqa: E731
        yield Target(f"SequenceCall.{name}", _bound(_uut, name, via), args, kwargs, _report_acts)
    for name in _public_methods(UURReport):
        if name not in REPORT_EXAMPLES:
            missing.append(f"UURReport.{name}")
            continue
        args, kwargs = REPORT_EXAMPLES[name]
        yield Target(f"UURReport.{name}", _bound(_uur, name), args, kwargs, _report_acts)
    for cls, maker in (
        (MultiNumericStep, lambda r: r.add_multiple_numeric_limit_test("MN")),
        (MultiBooleanStep, lambda r: r.add_multiple_pass_fail_test("MP")),
        (MultiStringStep, lambda r: r.add_multiple_string_value_test("MS")),
    ):
        for name in _public_methods(cls):
            key = f"{cls.__name__}.{name}"
            if name in REPORT_EXAMPLES and key not in MEASUREMENT_EXAMPLES:
                continue  # a Step method, walked on the sequences
            if key not in MEASUREMENT_EXAMPLES:
                missing.append(key)
                continue
            args, kwargs = MEASUREMENT_EXAMPLES[key]
            yield Target(key, _bound(_uut, name, maker), args, kwargs, _report_acts)
    for name in _public_methods(UURSubUnit):
        if name in _BUILDER_BASE:
            continue  # walked on the reports
        if name not in SUB_UNIT_EXAMPLES:
            missing.append(f"UURSubUnit.{name}")
            continue
        args, kwargs = SUB_UNIT_EXAMPLES[name]
        if name.startswith("create_"):
            yield Target(
                f"UURSubUnit.{name}", lambda n=name: (getattr(UURSubUnit, n), _uur()), args, kwargs, _sub_unit_acts
            )
        else:
            yield Target(
                f"UURSubUnit.{name}", _bound(_uur, name, lambda r: r.get_main_unit()), args, kwargs, _report_acts
            )
    for name in _public_methods(UURFailure):
        if name in _BUILDER_BASE:
            continue  # walked on the reports
        if name not in FAILURE_EXAMPLES:
            missing.append(f"UURFailure.{name}")
            continue
        args, kwargs = FAILURE_EXAMPLES[name]
        via = lambda r: r.add_failure_to_main("Component", "C1")  # noqa: E731
        yield Target(f"UURFailure.{name}", _bound(_uur, name, via), args, kwargs, _report_acts)
    yield Target("UURInfo.link_to_uut", _bound(_uur, "link_to_uut", lambda r: r.info), (UUID_TEXT,), {}, _report_acts)
    if missing:
        raise AssertionError("no example call for " + ", ".join(missing) + " (add one to tests/hostile_builders.py)")

    yield Target(
        "TestUUT",
        lambda: (TestUUT, None),
        ("PN-1", "SN-1", "A", "op", 10, 100),
        {},
        lambda result, _: _report_acts(None, result),
        keywords=("batch_sn", "location"),
    )
    yield Target(
        "Chart.create_xy_chart",
        lambda: (Chart.create_xy_chart, _uut()),
        ("c", [1.0, 2.0], [3.0, 4.0]),
        {"x_label": "s", "y_label": "V"},
        _chart_acts,
    )
    yield Target(
        "Attachment.from_bytes",
        lambda: (Attachment.from_bytes, _uut()),
        ("a.txt", b"hi", "text/plain"),
        {},
        _attachment_acts,
    )
    yield Target("Attachment.from_file", lambda: (Attachment.from_file, _uut()), ("data.txt",), {}, _attachment_acts)
    yield Target(
        "BinaryData.from_bytes",
        lambda: (BinaryData.from_bytes, _uur()),
        (b"hi", "b.bin", "text/plain"),
        {},
        _binary_acts,
    )
    document = _uut().to_wsjf()
    yield Target("load_report", lambda: (load_report, None), (document,), {}, _loaded_acts)


def _loaded_acts(result: Any, subject: Any) -> None:
    """A document read as it is: sent as it is, or refused by submit_report before anything is sent."""
    if not _SIM:
        return
    sim, api = _SIM[0]
    before = len(sim.requests)
    try:
        api.report.submit_report(result)
    except pywats.InvalidArgumentError:
        if len(sim.requests) != before:
            raise
    # the round trip of what was read is load_report's own promise
    if load_report(result.to_json()).to_wsjf() != result.to_wsjf():
        raise AssertionError("the report does not round-trip through load_report")


def _sub_unit_acts(result: Any, subject: Any) -> None:
    subject.sub_units = [*(subject.sub_units or []), result] if result.idx else [result]
    _report_acts(None, subject)


def _chart_acts(result: Any, subject: Any) -> None:
    subject.add_chart_step("Chart", result)
    _report_acts(None, subject)


def _attachment_acts(result: Any, subject: Any) -> None:
    subject.add_attachment(result)
    _report_acts(None, subject)


def _binary_acts(result: Any, subject: Any) -> None:
    subject.add_binary_data(result)
    _report_acts(None, subject)


async def _double(x: Any) -> Any:
    return x


def _utility_targets(sim: Simulator | None) -> Iterator[Target]:
    json_s = Serializer("json")
    yield Target("Serializer", lambda: (Serializer, None), ("json",), {}, _serializer_acts)
    yield Target("Serializer.serialize", lambda: (json_s.serialize, json_s), ({"a": 1},), {}, _round_trips)
    yield Target("Serializer.deserialize", lambda: (json_s.deserialize, json_s), (b'{"a":1}',), {})
    yield Target("benchmark_serialization", lambda: (benchmark_serialization, None), ({"a": 1}, 3), {})
    filter_fields = tuple(n for n in WATSFilter.model_fields if n != "yield_")
    yield Target(
        "WATSFilter",
        lambda: (WATSFilter, None),
        (),
        {"part_number": "PN-1", "days": 7},
        _filter_acts,
        keywords=filter_fields,
    )
    yield Target("StationConfig", lambda: (StationConfig, None), ("ST-1", "Line A", 10), {}, _station_acts)
    yield Target(
        "Station", lambda: (Station, None), (), {"name": "ST-1", "location": "Line A", "purpose": 10}, _station_acts
    )
    yield Target("Station(config)", lambda: (Station, None), (StationConfig("ST-1"),), {}, _station_acts)
    retry_fields = (
        "max_attempts",
        "base_delay",
        "max_delay",
        "jitter",
        "max_retry_after",
        "max_total_time",
        "retry_statuses",
        "retry_methods",
        "enabled",
        "sleep",
        "async_sleep",
        "random",
    )
    yield Target("RetryConfig", lambda: (RetryConfig, None), (), {}, _retry_acts, keywords=retry_fields)
    yield Target("RetryConfig.backoff", lambda: ((c := RetryConfig()).backoff, c), (1,), {}, _retry_acts)
    yield Target("RetryConfig.record", lambda: ((c := RetryConfig()).record, c), (0.5,), {}, _retry_acts)
    if sim is not None:
        base = {"base_url": sim.url, "token": sim.token, "retry_enabled": False, "timeout": 5}

        def client(cls: type) -> Callable[[], tuple[Callable[..., Any], Any]]:
            made: list[Any] = []

            def construct(*args: Any, **kwargs: Any) -> Any:
                made.append(cls(*args, **kwargs))
                return made[-1]

            def make() -> tuple[Callable[..., Any], Any]:
                made.clear()
                return construct, made

            construct.__signature__ = _signature(cls)  # type: ignore[attr-defined]

            return make

        for cls in (pyWATS, AsyncWATS):
            yield Target(cls.__name__, client(cls), (), dict(base), lambda result, _: _client_acts(None, result))
        yield Target(
            "api.stations.add", lambda: ((a := _api(sim)).stations.add, a), ("ST-3", "Line B", 10), {}, _stations_act
        )
        yield Target("api.stations.get", lambda: ((a := _api(sim)).stations.get, a), ("ST-2",), {}, _stations_act)
        yield Target(
            "api.stations.set_active", lambda: ((a := _api(sim)).stations.set_active, a), ("ST-0",), {}, _stations_act
        )
    yield Target("batch_execute", lambda: (batch_execute, None), ([1, 2, 3], lambda k: k * 2, 2), {}, _batch_acts(3))
    yield Target("collect_successes", lambda: (collect_successes, None), (batch_execute([1], str),), {})
    yield Target("collect_failures", lambda: (collect_failures, None), (batch_execute([1], str),), {})

    def run_async(func: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return asyncio.run(func(*args, **kwargs))

        call.__signature__ = inspect.signature(func)  # type: ignore[attr-defined]
        return call

    yield Target("batch_map", lambda: (run_async(batch_map), None), ([1, 2, 3], _double, 2, 2), {}, _batch_acts(3))
    yield Target("ChunkedBatcher", lambda: (ChunkedBatcher, None), (_chunk, 2, 2), {}, _batcher_acts)
    yield Target(
        "ChunkedBatcher.process",
        lambda: (run_async((b := ChunkedBatcher(_chunk, 2, 2)).process), b),
        ([1, 2, 3],),
        {},
        _batch_acts(3),
    )
    for cls in (TTLCache, AsyncTTLCache):
        name = cls.__name__
        yield Target(name, lambda c=cls: (c, None), (10, 60.0), {}, lambda result, _: _cache_acts(None, result))
        for method, args in (("get", ("k",)), ("delete", ("k",)), ("set", ("k", "v", 30.0))):

            def make(c: type = cls, m: str = method) -> tuple[Callable[..., Any], Any]:
                cache = c(10, 60.0)
                func = getattr(cache, m)
                if c is AsyncTTLCache:
                    func = run_async(func)
                return _remember(func, cache), cache

            after = _set_served_after if method == "set" else (lambda result, cache: _cache_acts(None, cache))
            yield Target(f"{name}.{method}", make, args, {}, after)

        def emptied(c: type = cls) -> tuple[Callable[..., Any], Any]:
            cache = c(10, 60.0)
            return (cache.clear if c is TTLCache else run_async(cache.purge_expired)), cache

        yield Target(f"{name}.purge_expired" if cls is AsyncTTLCache else f"{name}.clear", emptied)
    pages = {
        "fetch_page": lambda start, count: list(range(start, min(start + count, 8))),
        "get_items": lambda page: page,
    }
    yield Target(
        "paginate",
        lambda: (paginate, None),
        (),
        {**pages, "get_total": None, "page_size": 3},
        _list_of(8),
        keywords=("max_items", "on_page", "first_index"),
    )

    async def afetch(start: int, count: int) -> list[int]:
        return list(range(start, min(start + count, 8)))

    yield Target(
        "apaginate",
        lambda: (apaginate, None),
        (),
        {"fetch_page": afetch, "get_items": pages["get_items"], "get_total": None, "page_size": 3},
        _list_of(8),
        keywords=("max_items", "on_page", "first_index"),
    )
    yield Target("ResponseCache", lambda: (ResponseCache, None), (60.0, 10), {}, _response_cache_acts)
    yield Target(
        "ResponseCache.configure", lambda: (ResponseCache.configure, None), (True, 60.0, 10), {}, _response_cache_acts
    )
    yield Target(
        "ResponseCache.lookup",
        lambda: ((c := ResponseCache()).lookup, c),
        ({"method": "GET", "url": "/api/x"},),
        {},
        _response_cache_acts,
    )
    yield Target(
        "ResponseCache.store",
        lambda: ((c := ResponseCache()).store, c),
        ({"method": "GET", "url": "/api/x"}, httpx.Response(200, json=[])),
        {},
        _response_cache_acts,
    )
    yield Target(
        "load_attachment", lambda: (load_attachment, None), ("data.txt", "text/plain", "a.txt"), {}, _attachment_read
    )
    yield Target("save_attachment", lambda: (save_attachment, None), (ATT, "out"), {"overwrite": True}, _file_written)


def _remember(func: Callable[..., Any], cache: Any) -> Callable[..., Any]:
    """``func`` that keeps the arguments of its last call on ``cache`` (for the after-check)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            cache._hostile_last = dict(inspect.signature(func).bind(*args, **kwargs).arguments)
        except TypeError:
            cache._hostile_last = {}  # the call itself is to say what is wrong
        return func(*args, **kwargs)

    call.__signature__ = inspect.signature(func)  # type: ignore[attr-defined]
    return call


def _set_served_after(result: Any, cache: Any) -> None:
    given = getattr(cache, "_hostile_last", {})
    ttl = given.get("ttl")
    if isinstance(ttl, int | float) and ttl < 1:
        return  # gone before it can be asked for: as set
    _set_served(result, (cache, given.get("key"), given.get("value")))


def _batch_acts(n: int) -> Callable[[Any, Any], None]:
    def check(result: Any, subject: Any) -> None:
        if not isinstance(result, list) or len(result) > n:
            raise AssertionError(f"{n} results expected, got {result!r:.80}")

    return check


def _batcher_acts(result: Any, subject: Any) -> None:
    _batch_acts(3)(asyncio.run(result.process([1, 2, 3])), None)


async def _chunk(items: list[int]) -> list[int]:
    return items


def _api(sim: Simulator) -> pyWATS:
    api = pyWATS(base_url=sim.url, token=sim.token, retry_enabled=False, timeout=5, station=Station(name="ST-0"))
    api.stations.add("ST-2", location="Line B")
    return api


def _stations_act(result: Any, api: Any) -> None:
    try:
        for station in api.stations:
            _station_acts(station, None)
        active = api.stations.active
        if active is not api.station:
            raise AssertionError("the active station is not api.station")
        _station_acts(active, None)
    finally:
        api.close()


def targets(sim: Simulator | None = None) -> list[Target]:
    """Every builder and utility walked, with its example call."""
    return [*_report_targets(), *_utility_targets(sim)]


def _signature(func: Callable[..., Any]) -> inspect.Signature:
    """``func``'s parameters as written; for a class, its ``__init__``'s (pydantic's class signature
    renames parameters after field aliases)."""
    if isinstance(func, type) and "__init__" in {k for c in func.__mro__[:-1] for k in vars(c)}:
        signature = inspect.signature(func.__init__)
        return signature.replace(parameters=list(signature.parameters.values())[1:])
    return inspect.signature(func)


def _parameters(target: Target, func: Callable[..., Any]) -> list[tuple[str, bool]]:
    """(name, positional-only-through-*args) of each parameter to vary."""
    try:
        signature = _signature(func)
    except (TypeError, ValueError):
        return [(k, False) for k in target.keywords]
    names: list[tuple[str, bool]] = []
    for p in signature.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            continue
        if p.name == "self":
            continue
        names.append((p.name, p.kind is p.VAR_POSITIONAL))
    known = {n for n, _ in names}
    names.extend((k, False) for k in target.keywords if k not in known)
    return names


def _one(
    target: Target, parameter: str | None, value: Any, star: bool = False
) -> tuple[BaseException | None, BaseException | None]:
    func, subject = target.make()
    args, kwargs = list(target.args), dict(target.kwargs)
    if parameter is None:
        kwargs[UNKNOWN_KEYWORD] = value
    else:
        try:
            signature = _signature(func)
            bound = signature.bind_partial(*args, **kwargs)
            if parameter in signature.parameters:
                bound.arguments[parameter] = [value] if star else value
                args, kwargs = list(bound.args), dict(bound.kwargs)
            else:
                kwargs[parameter] = value
        except (TypeError, ValueError):
            kwargs[parameter] = value
    result: Any = None
    with warnings.catch_warnings(), _deadline(target.name):
        warnings.simplefilter("ignore")
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:  # classifying every outcome is the point
            if isinstance(exc, KeyboardInterrupt):
                raise
            return exc, None
        if target.after is not None:
            try:
                target.after(result, subject)
            except BaseException as exc:  # a value accepted that breaks afterwards
                if isinstance(exc, KeyboardInterrupt):
                    raise
                return None, exc
    return None, None


class Hang(BaseException):
    """A call that did not return within ``HANG_SECONDS``."""


HANG_SECONDS = 20.0


@contextlib.contextmanager
def _deadline(name: str) -> Iterator[None]:
    """Raise :class:`Hang` in the call if it runs longer than ``HANG_SECONDS`` (main thread only)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"{name} did not return within {HANG_SECONDS:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _walking(sim: Simulator | None) -> Iterator[None]:
    """In a scratch folder (path arguments land there) holding ``data.txt``; reports submitted to ``sim``."""
    if sim is not None:
        _SIM.append((sim, pyWATS(base_url=sim.url, token=sim.token, retry_enabled=False, timeout=5)))
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="pywats-hostile-") as scratch:
        os.chdir(scratch)
        try:
            Path("data.txt").write_bytes(b"hello")
            yield
        finally:
            os.chdir(cwd)
            if _SIM:
                _SIM.pop()[1].close()


def probe(sim: Simulator | None = None, only: str | None = None) -> Iterator[Outcome]:
    """Every (callable, parameter, hostile value) outcome; with ``sim``, reports are also submitted."""
    with _walking(sim):
        for target in targets(sim):
            if only and not target.name.startswith(only):
                continue
            func, _ = target.make()
            for parameter, star in _parameters(target, func):
                for label, value in HOSTILE:
                    error, broke = _one(target, parameter, value, star)
                    yield Outcome(target.name, parameter, label, error, broke)
            error, broke = _one(target, None, 1)
            yield Outcome(target.name, UNKNOWN_KEYWORD, "1", error, broke)


def baseline_problems(sim: Simulator | None = None) -> list[str]:
    """Example calls that do not themselves pass (the walk would mean nothing for them)."""
    problems = []
    with _walking(sim):
        for target in targets(sim):
            func, subject = target.make()
            try:
                result = func(*target.args, **target.kwargs)
                if target.after is not None:
                    target.after(result, subject)
            except Exception as exc:  # reported, not raised: every broken example is listed at once
                problems.append(f"{target.name}: {type(exc).__name__}: {str(exc)[:160]}")
    return problems


def main() -> None:
    import sys

    only = sys.argv[1] if len(sys.argv) > 1 else None
    counted: set[str] = set()
    total = bad = 0
    with Simulator() as sim:
        if not only:
            for line in baseline_problems(sim):
                print("BASELINE", line)
        for outcome in probe(sim, only):
            total += 1
            counted.add(outcome.target)
            if outcome.escaped:
                bad += 1
                print(outcome)
    print(f"{len(counted)} callables, {total} calls, {bad} escapes")


if __name__ == "__main__":
    main()
