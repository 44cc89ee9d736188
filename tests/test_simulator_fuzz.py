"""Schema-driven fuzzing of the simulator: schemathesis generates requests from the server's public
API document for every operation the simulator serves, and checks each answer: no 5xx, and the
body conforms to the documented response schema (checked twice: by schemathesis, and by the
strict simulator itself, which turns an off-document answer into a 500).

The document is read as the client code is generated from it (``spec/overrides.toml``): ``null``
is a value of every property, an ``object`` without properties is any JSON value, bodies are
JSON. Bounded: ``EXAMPLES`` generated requests per operation.
"""

from __future__ import annotations

import copy
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from pywats.simulator import Simulator
from pywats.simulator.routes import route_table
from pywats.simulator.schema import LIST_ANSWERS

EXAMPLES = 6


def _as_the_client_reads_it(node: Any) -> None:
    if isinstance(node, dict):
        for prop in (node.get("properties") or {}).values():
            if isinstance(prop, dict):
                prop["x-nullable"] = True
        if node.get("type") == "object" and "properties" not in node and "additionalProperties" not in node:
            del node["type"]
        for value in node.values():
            _as_the_client_reads_it(value)
    elif isinstance(node, list):
        for value in node:
            _as_the_client_reads_it(value)


def served_document(spec_dir: Path) -> tuple[dict[str, Any], int]:
    """The public document cut to the operations the simulator serves, and how many those are."""
    doc = json.loads((spec_dir / "openapi_public.json").read_text(encoding="utf-8"))
    served = {key.lower() for key in route_table().handlers}
    paths: dict[str, Any] = {}
    for path, operations in doc["paths"].items():
        kept = {m: op for m, op in operations.items() if f"{m.upper()} {path}".lower() in served}
        for method, op in kept.items():
            op["consumes"], op["produces"] = ["application/json"], ["application/json"]
            if f"{method.upper()} {path}" in LIST_ANSWERS:
                schema = op["responses"]["200"]["schema"]
                op["responses"]["200"]["schema"] = {"type": "array", "items": copy.deepcopy(schema)}
        if kept:
            paths[path] = kept
    doc["paths"] = paths
    _as_the_client_reads_it(doc)
    return doc, sum(len(ops) for ops in paths.values())


def test_generated_requests_get_documented_answers_and_no_server_error(spec_dir: Path) -> None:
    doc, operations = served_document(spec_dir)
    schema = schemathesis.openapi.from_dict(doc)
    failures: list[str] = []
    examples = 0
    statuses: Counter[int] = Counter()
    answered: set[str] = set()  # operations that answered 2xx at least once
    started = time.perf_counter()
    with Simulator(strict=True) as sim:
        auth = {"Authorization": f"Basic {sim.token}"}
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(operation.as_strategy())
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,  # the 2xx threshold below holds on the same examples every run
                database=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )
            def check(case: Any) -> None:
                nonlocal examples
                examples += 1
                response = case.call(base_url=sim.url, headers=auth, timeout=30)
                statuses[response.status_code // 100 * 100] += 1
                if response.status_code < 300:
                    answered.add(case.operation.label)
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

            try:
                check()
            except BaseException as exc:  # schemathesis raises a group of failures per operation
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.label}: {str(exc)[:600]}")
        violations = list(sim.violations)
    print(
        f"schemathesis: {operations} operations, {examples} examples in {time.perf_counter() - started:.1f} s; "
        f"answers by class {dict(sorted(statuses.items()))}, {len(answered)} operations answered 2xx"
    )
    assert operations >= 80, f"only {operations} documented public operations are served"
    assert examples >= operations  # every operation was called
    # the requests reach the handlers and get answers whose bodies are checked, not only 400s
    # (random values mostly name nothing that exists, so many answers are the domain's own 400s)
    assert len(answered) >= operations // 3, f"only {len(answered)} operations ever answered 2xx"
    assert not violations, "\n".join(violations)
    assert not failures, "\n\n".join(failures)
