"""Spec-diff on the real WATS documents and mutated copies of them."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from loopback import LoopbackServer, Reply

from pywats import pyWATS
from pywats.operations import OperationUse, facade_operations
from pywats.spec.diff import BREAKING, NON_BREAKING, Change, DiffReport, diff_surfaces
from pywats.spec.inputs import load_surfaces, surfaces_from_documents
from pywats.spec.normalise import load_overrides
from pywats.spec.sources import SourceDocument

ROOT = Path(__file__).resolve().parents[1]
PROCESS = "Virinco.WATS.Web.Dashboard.Models.Mes.Process"
Docs = dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def docs(spec_dir: Path) -> Docs:
    return {key: json.loads((spec_dir / p.document).read_text()) for key, p in load_overrides().packages.items()}


@pytest.fixture(scope="module")
def base(docs: Docs) -> dict[str, Any]:
    return surfaces(docs)


def surfaces(docs: Docs) -> dict[str, Any]:
    return surfaces_from_documents({k: SourceDocument(k, k, json.dumps(d).encode()) for k, d in docs.items()})


def mutate(docs: Docs, key: str, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    copied = copy.deepcopy(docs)
    change(copied[key])
    return surfaces(copied)


def only(report: DiffReport) -> Change:
    assert len(report.changes) == 1, report.to_text()
    return report.changes[0]


def op(doc: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    return doc["paths"][path][method]  # type: ignore[no-any-return]


def param(doc: dict[str, Any], path: str, name: str, method: str = "get") -> dict[str, Any]:
    return next(p for p in op(doc, path, method)["parameters"] if p["name"] == name)


# -- identity ------------------------------------------------------------------------------------


def test_identical_inputs_give_no_change(base: dict[str, Any], spec_dir: Path) -> None:
    report = diff_surfaces(base, base)
    assert report.changes == [] and report.exit_code == 0
    assert diff_surfaces(load_surfaces("snapshot"), load_surfaces(str(spec_dir))).exit_code == 0


def test_real_specs_quirks_do_not_cause_false_changes(docs: Docs, base: dict[str, Any]) -> None:
    # ambiguous templates /api/Asset/{assetId} and /api/Asset/{serialNumber} both exist: no confusion
    ops = base["public"]["operations"]
    assert {k for k in ops if k.startswith("GET /api/Asset/{")} >= {
        "GET /api/Asset/{assetId}",
        "GET /api/Asset/{serialNumber}",
    }

    # /api/Internal/ spelled differently in the next version: routing ignores case, so no change
    def respell(doc: dict[str, Any]) -> None:
        for path in [p for p in doc["paths"] if p.startswith("/api/Internal/")]:
            doc["paths"][path.replace("/api/Internal/", "/api/internal/")] = doc["paths"].pop(path)

    assert diff_surfaces(base, mutate(docs, "internal", respell)).changes == []

    # the same documents with keys in another order and different prose: no change
    def reword(doc: dict[str, Any]) -> None:
        doc["paths"] = dict(reversed(list(doc["paths"].items())))
        for item in doc["paths"].values():
            for o in item.values():
                o["summary"] = "reworded"
                o["operationId"] = o["operationId"] + "X"
        for d in doc["definitions"].values():
            d["description"] = "reworded"

    assert diff_surfaces(base, mutate(docs, "public", reword)).changes == []


# -- one case per category -------------------------------------------------------------------

CASES: list[tuple[str, str, Callable[[dict[str, Any]], None], str, str, str, set[str]]] = [
    # (id, doc, mutation, severity, location, detail fragment, facade methods)
    (
        "operation removed",
        "public",
        lambda d: d["paths"]["/api/App/Version"].pop("get"),
        BREAKING,
        "GET /api/App/Version",
        "operation removed",
        {"client.get_version", "client.test_connection"},
    ),
    (
        "operation added",
        "public",
        lambda d: d["paths"].__setitem__("/api/App/New", {"get": copy.deepcopy(op(d, "/api/App/Version"))}),
        NON_BREAKING,
        "GET /api/App/New",
        "operation added",
        set(),
    ),
    (
        "required parameter added",
        "public",
        lambda d: op(d, "/api/App/Processes")["parameters"].append(
            {"name": "site", "in": "query", "required": True, "type": "string"}
        ),
        BREAKING,
        "GET /api/App/Processes",
        "parameter 'site' (query) added as required",
        {"process.get_operation"},
    ),
    (
        "optional parameter added",
        "public",
        lambda d: op(d, "/api/App/Processes")["parameters"].append(
            {"name": "site", "in": "query", "required": False, "type": "string"}
        ),
        NON_BREAKING,
        "GET /api/App/Processes",
        "optional parameter 'site' (query) added",
        set(),  # no pywats method sends it
    ),
    (
        "parameter removed",
        "public",
        lambda d: op(d, "/api/App/Processes")["parameters"].pop(0),
        BREAKING,
        "GET /api/App/Processes",
        "parameter 'includeTestOperations' (query) removed",
        set(),  # optional: hits only methods declaring it (see test_facade_impact_*)
    ),
    (
        "parameter type changed",
        "public",
        lambda d: param(d, "/api/App/Processes", "includeTestOperations").update(type="integer"),
        BREAKING,
        "GET /api/App/Processes",
        "type changed from boolean to integer",
        set(),
    ),
    (
        "parameter made required",
        "public",
        lambda d: param(d, "/api/App/Processes", "includeTestOperations").update(required=True),
        BREAKING,
        "GET /api/App/Processes",
        "'includeTestOperations' is now required",
        {"process.refresh"},
    ),
    (
        "parameter location changed",
        "internal",
        lambda d: param(d, "/api/internal/Process/GetRepairOperation/{id}", "processCode").update({"in": "header"}),
        BREAKING,
        "GET /api/internal/Process/GetRepairOperation/{id}",
        "moved from query to header",
        set(),
    ),
    (
        "request property removed",
        "internal",
        lambda d: d["definitions"]["Virinco.WATS.Interface.Models.RepairType"]["properties"].popitem(),
        BREAKING,
        "schema Virinco.WATS.Interface.Models.RepairType",
        "removed",
        set(),
    ),
    (
        "response property removed",
        "internal",
        lambda d: d["definitions"][PROCESS]["properties"].pop("Description"),
        BREAKING,
        f"schema {PROCESS}",
        "property 'Description' removed",
        {"process.get_all_processes"},
    ),
    (
        "response property type changed",
        "internal",
        lambda d: d["definitions"][PROCESS]["properties"]["Code"].update(type="string", format=None),
        BREAKING,
        f"schema {PROCESS}",
        "'Code' type changed from integer to string",
        {"process.get_all_processes"},
    ),
    (
        "response property added",
        "internal",
        lambda d: d["definitions"][PROCESS]["properties"].__setitem__("Site", {"type": "string"}),
        NON_BREAKING,
        f"schema {PROCESS}",
        "property 'Site' added",
        {"process.get_all_processes"},
    ),
    (
        "path changed",
        "public",
        lambda d: d["paths"].__setitem__("/api/App/ServerVersion", d["paths"].pop("/api/App/Version")),
        BREAKING,
        "GET /api/App/Version",
        "operation probably renamed to GET /api/App/ServerVersion",
        {"client.get_version"},
    ),
]


@pytest.mark.parametrize(
    ("case", "doc", "mutation", "severity", "location", "detail", "facade"), CASES, ids=[c[0] for c in CASES]
)
def test_each_category(
    docs: Docs,
    base: dict[str, Any],
    case: str,
    doc: str,
    mutation: Callable[[dict[str, Any]], None],
    severity: str,
    location: str,
    detail: str,
    facade: set[str],
) -> None:
    report = diff_surfaces(base, mutate(docs, doc, mutation))
    relevant = [c for c in report.changes if c.location == location]
    assert len(relevant) == 1, report.to_text()
    change = relevant[0]
    assert change.api == doc and change.severity == severity and detail in change.detail
    assert facade <= set(change.facade)
    assert len(report.changes) == 1, report.to_text()
    assert report.exit_code == (2 if severity == BREAKING else 1)


def test_schema_change_reaches_operations_through_refs_and_is_reported_once(docs: Docs, base: dict[str, Any]) -> None:
    change = only(
        diff_surfaces(base, mutate(docs, "internal", lambda d: d["definitions"][PROCESS]["properties"].pop("Name")))
    )
    assert "GET /api/internal/Process/GetProcesses" in change.operations  # array of Process
    assert "GET /api/internal/Process/GetProcess/{id}" in change.operations
    assert len(change.operations) > 5
    assert change.loud  # an internal operation pywats itself uses


def test_enum_value_removed_from_a_request_is_breaking_added_is_not(docs: Docs, base: dict[str, Any]) -> None:
    path, name = next(
        (p, prm["name"])
        for p, item in docs["public"]["paths"].items()
        for o in item.values()
        for prm in o.get("parameters", [])
        if prm.get("enum") and len(prm["enum"]) > 1
    )

    def values(d: dict[str, Any]) -> list[Any]:
        found = next(prm for o in d["paths"][path].values() for prm in o.get("parameters", []) if prm["name"] == name)
        return found["enum"]  # type: ignore[no-any-return]

    removed = only(diff_surfaces(base, mutate(docs, "public", lambda d: values(d).pop())))
    assert removed.severity == BREAKING and "enum values removed" in removed.detail
    added = only(diff_surfaces(base, mutate(docs, "public", lambda d: values(d).append(999))))
    assert added.severity == NON_BREAKING and "[999]" in added.detail


def test_same_shape_property_rename_is_one_probable_rename(docs: Docs, base: dict[str, Any]) -> None:
    def rename(d: dict[str, Any]) -> None:
        props = d["definitions"][PROCESS]["properties"]
        props["ProcessName"] = props.pop("Name")

    change = only(diff_surfaces(base, mutate(docs, "internal", rename)))
    assert change.detail == "property 'Name' probably renamed to 'ProcessName' (same type)"
    assert change.severity == BREAKING and "process.get_all_processes" in change.facade


def test_rename_of_a_different_shape_is_only_hinted(docs: Docs, base: dict[str, Any]) -> None:
    def rename(d: dict[str, Any]) -> None:
        props = d["definitions"][PROCESS]["properties"]
        props.pop("Name")
        props["ProcessName"] = {"type": "integer"}

    report = diff_surfaces(base, mutate(docs, "internal", rename))
    removed = next(c for c in report.changes if "removed" in c.detail)
    assert removed.hint == "possibly renamed to property 'ProcessName'"
    assert len(report.changes) == 2


def test_same_shape_parameter_rename_is_one_probable_rename(docs: Docs, base: dict[str, Any]) -> None:
    rename = lambda d: param(d, "/api/App/Processes", "includeTestOperations").update(name="withTests")  # noqa: E731
    change = only(diff_surfaces(base, mutate(docs, "public", rename)))
    assert change.detail == "parameter 'includeTestOperations' (query) probably renamed to 'withTests' (same type)"


def test_ambiguous_renames_are_not_guessed(base: dict[str, Any]) -> None:
    old = copy.deepcopy(base["public"])
    new = copy.deepcopy(old)
    version = old["operations"]["GET /api/App/Version"]
    old["operations"]["GET /api/App/Other"] = copy.deepcopy(version)
    new["operations"]["GET /api/App/ServerVersion"] = new["operations"].pop("GET /api/App/Version")
    new["operations"]["GET /api/App/OtherVersion"] = new["operations"].pop("GET /api/App/Other", copy.deepcopy(version))
    details = sorted(c.detail for c in diff_surfaces({"public": old}, {"public": new}).changes)
    assert details == ["operation added", "operation added", "operation removed", "operation removed"]


# -- facade impact ---------------------------------------------------------------------------------

PROCESSES = "/api/App/Processes"
# an operation with optional query parameters no pywats method sends
REPAIRS = "/api/App/RelatedRepairHistory"


def test_facade_impact_of_a_removed_optional_query_parameter(docs: Docs, base: dict[str, Any]) -> None:
    # the facade's own table: a parameter no method declares is not breaking for pywats
    declared = {q.lower() for uses in facade_operations().values() for u in uses if u.path == REPAIRS for q in u.query}
    unsent = next(
        p["name"]
        for p in op(docs["public"], REPAIRS)["parameters"]
        if not p.get("required") and p["name"].lower() not in declared
    )
    report = diff_surfaces(
        base, mutate(docs, "public", lambda d: op(d, REPAIRS)["parameters"].remove(param(d, REPAIRS, unsent)))
    )
    change = only(report)
    assert change.severity == BREAKING and change.facade == ()
    assert "no pywats method affected" in report.summary() and not change.loud

    # a table where one method sends it (declared in any casing) and one does not
    optional = "includeInactiveProcesses"
    ops_params = lambda d: op(d, PROCESSES)["parameters"]  # noqa: E731
    table = {
        "svc.sends": (OperationUse("GET", PROCESSES, query=frozenset({optional.lower()})),),
        "svc.plain": (OperationUse("GET", PROCESSES),),
    }
    report = diff_surfaces(
        base, mutate(docs, "public", lambda d: ops_params(d).remove(param(d, PROCESSES, optional))), table
    )
    assert only(report).facade == ("svc.sends",)
    assert report.summary().endswith("pywats methods affected: svc.sends")


def test_facade_impact_of_required_parameters_hits_every_caller(docs: Docs, base: dict[str, Any]) -> None:
    table = {"svc.plain": (OperationUse("GET", PROCESSES),)}
    made_required = mutate(docs, "public", lambda d: param(d, PROCESSES, "includeTestOperations").update(required=True))
    assert only(diff_surfaces(base, made_required, table)).facade == ("svc.plain",)
    added = mutate(
        docs,
        "public",
        lambda d: op(d, PROCESSES)["parameters"].append(
            {"name": "site", "in": "query", "required": True, "type": "string"}
        ),
    )
    assert only(diff_surfaces(base, added, table)).facade == ("svc.plain",)
    # an optional one changing type: only methods sending it
    retyped = mutate(docs, "public", lambda d: param(d, PROCESSES, "includeTestOperations").update(type="integer"))
    assert only(diff_surfaces(base, retyped, table)).facade == ()
    # schema and whole-operation changes hit every caller
    gone = mutate(docs, "public", lambda d: d["paths"].pop(PROCESSES))
    assert only(diff_surfaces(base, gone, table)).facade == ("svc.plain",)


def test_recursive_schemas_terminate(base: dict[str, Any]) -> None:
    surface = copy.deepcopy(base["internal"])
    surface["schemas"]["Loop"] = {"type": "object", "properties": {"next": {"$ref": "Loop"}}}
    surface["operations"]["GET /api/internal/Loop"] = {"parameters": [], "responses": {"200": {"$ref": "Loop"}}}
    changed = copy.deepcopy(surface)
    changed["schemas"]["Loop"]["properties"]["value"] = {"type": "integer"}
    change = only(diff_surfaces({"internal": surface}, {"internal": changed}))
    assert change.operations == ("GET /api/internal/Loop",)


def test_public_and_internal_are_reported_separately(docs: Docs, base: dict[str, Any]) -> None:
    copied = copy.deepcopy(docs)
    copied["public"]["paths"]["/api/App/Version"].pop("get")
    copied["internal"]["definitions"][PROCESS]["properties"].pop("Name")
    report = diff_surfaces(base, surfaces(copied))
    assert {c.api for c in report.changes} == {"public", "internal"}
    text = report.to_text()
    assert text.index("PUBLIC API") < text.index("INTERNAL API")
    data = json.loads(report.to_json())
    assert data["exit_code"] == 2 and len(data["changes"]) == 2
    markdown = report.to_markdown()
    assert "| public | **breaking** | `GET /api/App/Version` |" in markdown and "🚨" in markdown


# -- command line, live server ----------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pywats.spec", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_exit_codes_and_formats(docs: Docs, spec_dir: Path, tmp_path: Path) -> None:
    same = run_cli("diff", str(spec_dir))
    assert same.returncode == 0 and "no API changes" in same.stdout
    added = copy.deepcopy(docs["public"])
    added["paths"]["/api/App/New"] = {"get": copy.deepcopy(added["paths"]["/api/App/Version"]["get"])}
    (tmp_path / "added.json").write_text(json.dumps(added))
    assert run_cli("diff", str(tmp_path / "added.json")).returncode == 1
    broken = copy.deepcopy(docs["public"])
    del broken["paths"]["/api/App/Version"]
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    summary = tmp_path / "summary.md"
    result = run_cli(
        "diff",
        str(spec_dir / "openapi_public.json"),
        str(tmp_path / "broken.json"),
        "--format",
        "markdown",
        "--output",
        str(summary),
    )
    assert result.returncode == 2 and "client.get_version" in summary.read_text()
    assert json.loads(run_cli("diff", str(tmp_path / "broken.json"), "--format", "json").stdout)["exit_code"] == 2
    missing = run_cli("diff", str(tmp_path / "nope.json"))
    assert missing.returncode == 3 and "is not a file" in missing.stderr


def test_check_server_compatibility(server: LoopbackServer, spec_dir: Path, docs: Docs) -> None:
    token = "dXNlcjpwdw=="
    server.route("GET", "/swagger/docs/v1", Reply(body=(spec_dir / "openapi_public.json").read_bytes()))
    server.route("GET", "/swagger/docs/internal", Reply(body=(spec_dir / "openapi_internal.json").read_bytes()))
    with pyWATS(base_url=server.url, token=token) as api:
        assert api.check_server_compatibility().exit_code == 0
        upgraded = copy.deepcopy(docs["internal"])
        upgraded["definitions"][PROCESS]["properties"].pop("Code")
        server.route("GET", "/swagger/docs/internal", Reply(body=json.dumps(upgraded).encode()))
        report = api.check_server_compatibility()
    assert report.exit_code == 2 and report.changes[0].loud
    assert "process.get_all_processes" in report.to_text()
    internal_fetch = [r for r in server.requests if r.path == "/swagger/docs/internal"][-1]
    assert internal_fetch.headers["Authorization"] == f"Basic {token}" and "Referer" in internal_fetch.headers
    cli = subprocess.run(
        [sys.executable, "-m", "pywats.spec", "check", "--server", server.url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"WATS_AUTH_TOKEN": token, "PATH": ""},
    )
    assert cli.returncode == 2 and "property 'Code' removed" in cli.stdout


def test_check_server_compatibility_wrong_shaped_document_is_a_pywats_error(
    server: LoopbackServer, spec_dir: Path
) -> None:
    from pywats import InvalidResponseError

    server.route("GET", "/swagger/docs/v1", Reply(body=b"[1, 2]"))
    server.route("GET", "/swagger/docs/internal", Reply(body=(spec_dir / "openapi_internal.json").read_bytes()))
    with pyWATS(base_url=server.url, token="dXNlcjpwdw==") as api, pytest.raises(InvalidResponseError) as info:
        api.check_server_compatibility()
    assert "not a JSON object" in str(info.value)
