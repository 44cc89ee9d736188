"""Hostile arguments for every public facade method, derived from their signatures.

Each method's example call (``FACADE_CALLS`` of its domain's test module) is the valid
baseline; one parameter at a time is replaced by each hostile value. What may happen: the call
succeeds, or raises a ``PyWATSError``. An ``InvalidArgumentError`` must come before anything
was sent. Used by ``tests/test_hostile_input.py`` and runnable alone to list what escapes:
``python -m tests.hostile``.
"""

from __future__ import annotations

import inspect
import io
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pywats
from pywats import pyWATS
from pywats.simulator import Simulator

# One of each kind of mistake a careless caller or a bad data file makes.
HOSTILE: list[tuple[str, Any]] = [
    ("None", None),
    ("empty", ""),
    ("blank", "   "),
    ("dot", "."),
    ("dotdot", ".."),
    ("traversal", "../x"),
    ("control", "a\x00b\r\n"),
    ("unicode", "ñame ü 📎"),
    ("huge-int", 10**30),
    ("negative", -1),
    ("nan", math.nan),
    ("inf", math.inf),
    ("bool", True),
    ("list", [1]),
    ("dict", {"bogus": 1}),
    ("object", object()),
    ("bytes", b"\xff\xfe"),
    ("text-file", io.StringIO("text")),
]


_NOT_REFUSALS = (
    pywats.InvalidArgumentError,
    pywats.NoDocumentedOperationError,
    pywats.NotFoundError,
    pywats.ConnectionError,
    pywats.TimeoutError,
)


@dataclass
class Outcome:
    method: str
    parameter: str
    value: str
    error: BaseException | None
    requests_sent: int

    @property
    def escaped(self) -> bool:
        return self.error is not None and not isinstance(self.error, pywats.PyWATSError)

    @property
    def refused_unnamed(self) -> bool:
        """Refused before anything was sent, but not as the bad-argument error (naming the argument).

        Not refusals: a method the server documents no operation for fails whatever its arguments;
        a key that cannot name anything (``scim.get_user("x")``) is documented as not found without
        asking; a network failure on a loaded machine may come before the simulator records the request.
        """
        return (
            isinstance(self.error, pywats.PyWATSError)
            and self.requests_sent == 0
            and not isinstance(self.error, _NOT_REFUSALS)
        )

    @property
    def sent_invalid(self) -> bool:
        return isinstance(self.error, pywats.InvalidArgumentError) and self.requests_sent > 0

    def __str__(self) -> str:
        kind = type(self.error).__name__ if self.error else "ok"
        text = str(self.error)[:120].replace("\n", " ") if self.error else ""
        return f"{self.method}({self.parameter}={self.value}): {kind} {text} [{self.requests_sent} sent]"


def _calls() -> dict[str, tuple[tuple[Any, ...], dict[str, Any]]]:
    import sys
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:  # the domain test modules import their helpers from there
        sys.path.insert(0, here)
    from tests.test_bindings import facade_calls

    out = {}
    for name, call in facade_calls().items():
        out[name] = call[0] if isinstance(call, list) else call
    return out


def probe(sim: Simulator, only: str | None = None) -> Iterator[Outcome]:
    """Every (method, parameter, hostile value) outcome against ``sim``."""
    with pyWATS(base_url=sim.url, token=sim.token, timeout=5, retry_enabled=False) as api:
        for name, (args, kwargs) in sorted(_calls().items()):
            if only and not name.startswith(only):
                continue
            service, method_name = name.split(".")
            target = api if service == "client" else getattr(api, service)
            method = getattr(target, method_name)
            try:
                bound = inspect.signature(method).bind(*args, **kwargs)
            except TypeError:
                continue
            params = [p for p in inspect.signature(method).parameters.values() if p.kind not in (p.VAR_KEYWORD,)]
            for param in params:
                for label, value in HOSTILE:
                    call = inspect.signature(method).bind_partial(*bound.args, **bound.kwargs)
                    call.arguments[param.name] = [value] if param.kind is param.VAR_POSITIONAL else value
                    before = len(sim.requests)
                    error: BaseException | None = None
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        try:
                            method(*call.args, **call.kwargs)
                        except BaseException as exc:  # classifying every outcome is the point
                            if isinstance(exc, KeyboardInterrupt):
                                raise
                            error = exc
                    yield Outcome(name, param.name, label, error, len(sim.requests) - before)


def main() -> None:
    import sys

    only = sys.argv[1] if len(sys.argv) > 1 else None
    methods: set[str] = set()
    total = bad = 0
    with Simulator() as sim:
        for outcome in probe(sim, only):
            total += 1
            methods.add(outcome.method)
            if outcome.escaped or outcome.sent_invalid or outcome.refused_unnamed:
                bad += 1
                print(outcome)
    print(f"{len(methods)} methods, {total} calls, {bad} failed the contract")


if __name__ == "__main__":
    main()
