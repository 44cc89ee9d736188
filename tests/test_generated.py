"""The committed generated packages: completeness, importability, headers, and behaviour over HTTP."""

from __future__ import annotations

import datetime
import importlib
import json
import pkgutil
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import wats_internal
import wats_internal.api
import wats_public
import wats_public.api
from loopback import LoopbackServer, Reply

from pywats.spec.generate import HEADER, codegen_document
from pywats.spec.normalise import iter_operations, load_overrides
from pywats.spec.swagger2 import HTTP_METHODS

OVERRIDES = load_overrides()
PACKAGES = {"public": wats_public, "internal": wats_internal}
REGISTRIES = {"public": wats_public.api, "internal": wats_internal.api}


def source_operations(spec_dir: Path, key: str) -> list[tuple[str, str]]:
    package = OVERRIDES.packages[key]
    doc = json.loads((spec_dir / package.document).read_text())
    return [
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if method in HTTP_METHODS and package.includes(path)
    ]


@pytest.mark.parametrize(("key", "expected"), [("public", 126), ("internal", 640)])
def test_every_source_operation_has_exactly_one_endpoint(spec_dir: Path, key: str, expected: int) -> None:
    ops = source_operations(spec_dir, key)
    assert len(ops) == expected
    registry = REGISTRIES[key].OPERATIONS
    assert sorted(registry) == sorted(ops)
    assert len(set(registry.values())) == len(registry)  # no module serves two operations
    for method, path in ops:
        module = REGISTRIES[key].endpoint_module(method, path)
        assert (module.METHOD, module.PATH) == (method, path)
        assert module.INTERNAL is (key == "internal")


def all_module_names(package: Any) -> list[str]:
    return [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


@pytest.mark.parametrize("key", ["public", "internal"])
def test_every_generated_module_imports(key: str) -> None:
    names = all_module_names(PACKAGES[key])
    assert len(names) > (126 if key == "public" else 640)
    for name in names:
        importlib.import_module(name)


@pytest.mark.parametrize("key", ["public", "internal"])
def test_every_generated_file_says_do_not_edit(key: str) -> None:
    root = Path(PACKAGES[key].__file__).parent
    files = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert (root / "py.typed") in files
    for path in files:
        assert path.read_text(encoding="utf-8").startswith(HEADER), path


def test_models_package_is_lazy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, wats_internal.api.process.process_get_processes as m;"
        "print(sum(1 for n in sys.modules if n.startswith('wats_internal.models.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = int(out)
    total = len([n for n in all_module_names(wats_internal) if n.startswith("wats_internal.models.")])
    assert 1 <= loaded < 10 < total


def model_classes(key: str) -> dict[str, tuple[type, dict[str, Any]]]:
    """Every generated model class with its (codegen) schema, matched by schema name."""
    from openapi_python_client.strings import ClassName

    models = importlib.import_module(f"{PACKAGES[key].__name__}.models")
    return {
        name: (getattr(models, ClassName(name, "field_")), schema)
        for name, schema in _codegen_docs[key]["components"]["schemas"].items()
        if "properties" in schema
    }


_codegen_docs: dict[str, Any] = {}


@pytest.fixture(scope="module", autouse=True)
def _load_codegen_docs(spec_dir: Path) -> None:
    for key, package in OVERRIDES.packages.items():
        _codegen_docs[key] = codegen_document(json.loads((spec_dir / package.document).read_text()), package, OVERRIDES)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="names models with the generator, which needs Python 3.11+")
@pytest.mark.parametrize("key", ["public", "internal"])
def test_every_model_accepts_null_in_every_field(key: str) -> None:
    classes = model_classes(key)
    assert len(classes) > 20
    for _name, (cls, schema) in classes.items():
        data = dict.fromkeys(schema["properties"])
        obj = cls.from_dict(data)  # type: ignore[attr-defined]
        assert obj.to_dict() == data


# -- over real HTTP on 127.0.0.1 ------------------------------------------------------------


def client(server: LoopbackServer, package: Any) -> Any:
    return package.AuthenticatedClient(base_url=server.url, token="dG9rZW4=", prefix="Basic")


def test_body_endpoint_sends_json(server: LoopbackServer) -> None:
    from wats_public.models import PublicWatsFilter

    module = wats_public.api.endpoint_module("POST", "/api/App/DynamicRepair")
    server.route("POST", "/api/App/DynamicRepair", Reply(json=[{"partNumber": "PN-1"}]))
    result = module.sync(client=client(server, wats_public), body=PublicWatsFilter(part_number="PN-1", top_count=5))
    req = server.requests[-1]
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["Authorization"] == "Basic dG9rZW4="
    assert req.json() == {"partNumber": "PN-1", "topCount": 5}
    # the response is untyped in the document, and here a JSON array: returned as parsed JSON
    assert result == [{"partNumber": "PN-1"}]


def test_untyped_response_that_is_an_array_is_returned(server: LoopbackServer) -> None:
    # operations whose 200 response the document types as a bare `type: object`
    untyped = [
        (method, path)
        for method, path, op in iter_operations(_codegen_docs["public"])
        if method == "GET"
        and not op.get("parameters")
        and op["responses"]["200"].get("content", {}).get("application/json", {}).get("schema") == {}
    ]
    assert len(untyped) >= 3
    method, path = untyped[0]
    module = wats_public.api.endpoint_module(method, path)
    server.route(method, path, Reply(json=[1, {"a": None}, "x"]))
    response = module.sync_detailed(client=client(server, wats_public))
    assert response.status_code == 200
    assert response.parsed == [1, {"a": None}, "x"]


def test_model_from_server_with_nulls_and_unknown_enum_values(server: LoopbackServer) -> None:
    module = wats_internal.api.endpoint_module("GET", "/api/internal/Process/GetProcesses")
    server.route(
        "GET",
        "/api/internal/Process/GetProcesses",
        Reply(
            json=[
                {
                    "Code": 100,
                    "Name": "ICT",
                    "ProcessID": None,
                    "Description": None,
                    "State": 99,
                    "Properties": None,
                    "IsTestOperation": True,
                    "IsWIPOperation": None,
                    "IsRepairOperation": False,
                    "ProcessIndex": None,
                },
            ]
        ),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        processes = module.sync(client=client(server, wats_internal))
    assert processes is not None and len(processes) == 1
    assert processes[0].code == 100 and processes[0].name == "ICT"
    assert processes[0].process_id is None and processes[0].state == 99


def test_null_and_empty_bodies_parse_as_none(server: LoopbackServer) -> None:
    module = wats_internal.api.endpoint_module("GET", "/api/internal/Process/GetProcesses")
    with client(server, wats_internal) as c:
        for body in (b"null", b""):
            server.route("GET", "/api/internal/Process/GetProcesses", Reply(body=body))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert module.sync(client=c) is None


def test_date_fields_parse_dotnet_timestamps(server: LoopbackServer) -> None:
    from wats_public.models import Unit

    unit = Unit.from_dict({"serialNumber": "SN1", "serialDate": "2024-05-01T10:20:30.1234567Z"})
    assert isinstance(unit.serial_date, datetime.datetime)


def test_internal_endpoint_warns_at_the_callers_line(server: LoopbackServer) -> None:
    module = wats_internal.api.endpoint_module("GET", "/api/internal/Process/GetProcesses")
    server.route("GET", "/api/internal/Process/GetProcesses", Reply(json=[]))
    with client(server, wats_internal) as c:
        for call in (module.sync, module.sync_detailed):
            with pytest.warns(wats_internal.errors.InternalAPIWarning, match="internal WATS API") as record:
                call(client=c)
            ours = [w for w in record if w.category is wats_internal.errors.InternalAPIWarning]
            assert len(ours) == 1
            assert ours[0].filename == __file__


def test_internal_async_endpoint_warns(server: LoopbackServer) -> None:
    import asyncio

    module = wats_internal.api.endpoint_module("GET", "/api/internal/Process/GetProcesses")
    server.route("GET", "/api/internal/Process/GetProcesses", Reply(json=[]))

    async def call() -> Any:
        async with client(server, wats_internal) as c:  # closed here: a leaked transport warns later
            return await module.asyncio(client=c)

    with pytest.warns(wats_internal.errors.InternalAPIWarning) as record:
        assert asyncio.run(call()) == []
    assert record[0].filename == __file__


def test_public_endpoint_does_not_warn(server: LoopbackServer) -> None:
    module = wats_public.api.endpoint_module("GET", "/api/App/Version")
    server.route("GET", "/api/App/Version", Reply(json="24.1.0"))
    with client(server, wats_public) as c, warnings.catch_warnings():
        warnings.simplefilter("error")
        response = module.sync_detailed(client=c)
    assert response.status_code == 200
    assert not hasattr(wats_public.errors, "InternalAPIWarning")


def test_a_model_body_may_be_given_as_its_wire_json() -> None:
    from wats_public.api.product import product_public_put_product, product_put_vendors
    from wats_public.models import Vendor

    mixed = product_put_vendors.request_kwargs(body=[{"VendorName": "A", "kept": 1}, Vendor(vendor_name="B")])
    assert mixed["json"] == [{"VendorName": "A", "kept": 1}, {"VendorName": "B"}]
    wire = {"partNumber": "PN-1", "unknownToTheDocuments": True}
    assert product_public_put_product.request_kwargs(body=wire)["json"] is wire  # sent as given, not copied


def test_odata_options_are_generated_query_parameters() -> None:
    from wats_public.api.asset import asset_get_assets
    from wats_public.api.report import report_header_query

    assert asset_get_assets.request_kwargs()["params"] == {}
    assert asset_get_assets.request_kwargs(filter_="serialNumber eq 'A'", top=2)["params"] == {
        "$filter": "serialNumber eq 'A'",
        "$top": 2,
    }
    options = report_header_query.request_kwargs(skip=10, orderby="start desc", expand="subUnits")["params"]
    assert options == {"$skip": 10, "$orderby": "start desc", "$expand": "subUnits"}
