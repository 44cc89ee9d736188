"""The WATS normalisation steps, each on a small OpenAPI 3 document."""

from __future__ import annotations

from typing import Any

import pytest

from pywats.spec.normalise import PackageSpec, for_codegen, load_overrides, short_names, surface

OVERRIDES = load_overrides()
PUBLIC = OVERRIDES.packages["public"]
INTERNAL = OVERRIDES.packages["internal"]


def op(op_id: str, schema: dict[str, Any] | None = None, body: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": op_id, "tags": ["T"], "responses": {"200": {"description": "OK"}}}
    if schema is not None:
        out["responses"]["200"]["content"] = {"application/json": {"schema": schema}, "text/html": {"schema": schema}}
    if body is not None:
        out["requestBody"] = {
            "content": {"application/json": {"schema": body}, "application/scim+json": {"schema": body}}
        }
    return out


def doc(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_internal_package_keeps_only_internal_paths_in_any_case() -> None:
    d = doc(
        {
            "/api/App/Processes": {"get": op("a")},
            "/api/internal/Process/Get": {"get": op("b")},
            "/api/Internal/Thing": {"get": op("c")},
        }
    )
    assert set(surface(d, INTERNAL, OVERRIDES)["paths"]) == {"/api/internal/Process/Get", "/api/Internal/Thing"}
    assert len(surface(d, PUBLIC, OVERRIDES)["paths"]) == 3


def test_framework_types_become_any_and_unreachable_schemas_are_pruned() -> None:
    d = doc(
        {"/a": {"get": op("a", ref("Virinco.Model"))}},
        {
            "Virinco.Model": {
                "type": "object",
                "properties": {"q": ref("Microsoft.OData.Query"), "n": {"type": "integer"}},
            },
            "Microsoft.OData.Query": {"type": "object", "properties": {"x": ref("System.Type")}},
            "System.Type": {"type": "object", "properties": {}},
            "Virinco.Unused": {"type": "object", "properties": {}},
        },
    )
    out = surface(d, PUBLIC, OVERRIDES)
    assert set(out["components"]["schemas"]) == {"Virinco.Model"}
    assert out["components"]["schemas"]["Virinco.Model"]["properties"]["q"] == {}


def test_bodies_and_responses_keep_only_json() -> None:
    out = for_codegen(doc({"/a": {"post": op("a", {"type": "string"}, {"type": "string"})}}), OVERRIDES)
    post = out["paths"]["/a"]["post"]
    assert list(post["requestBody"]["content"]) == ["application/json"]
    assert list(post["responses"]["200"]["content"]) == ["application/json"]


def test_free_form_objects_become_any_json() -> None:
    d = doc(
        {"/a": {"get": op("a", {"type": "object"})}, "/b": {"get": op("b", ref("Bag"))}},
        {"Bag": {"type": "object"}, "Dict": {"type": "object", "additionalProperties": {"type": "string"}}},
    )
    out = for_codegen(d, OVERRIDES)
    assert out["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {}
    assert out["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {}
    assert "Bag" not in out["components"]["schemas"] and "Dict" in out["components"]["schemas"]


def test_every_property_becomes_nullable_and_refs_are_wrapped() -> None:
    d = doc(
        {"/a": {"get": op("a", ref("M"))}},
        {
            "M": {"type": "object", "properties": {"s": {"type": "string"}, "m": ref("N"), "free": {}}},
            "N": {"type": "object", "properties": {"x": {"type": "integer"}}},
        },
    )
    props = for_codegen(d, OVERRIDES)["components"]["schemas"]["M"]["properties"]
    assert props["s"] == {"type": "string", "nullable": True}
    assert props["m"] == {"anyOf": [ref("N")], "nullable": True}
    assert props["free"] == {}


def test_enums_are_open_and_documented() -> None:
    d = doc(
        {"/a": {"get": op("a", ref("M"))}},
        {"M": {"type": "object", "properties": {"k": {"type": "integer", "enum": [0, 1], "description": "Kind"}}}},
    )
    k = for_codegen(d, OVERRIDES)["components"]["schemas"]["M"]["properties"]["k"]
    assert "enum" not in k and k["description"] == "Kind Known values: 0, 1."


def test_duplicate_operation_ids_are_made_unique() -> None:
    d = doc(
        {
            "/api/App/HighVolume": {"get": op("App_HighVolume"), "post": op("App_HighVolume")},
            "/api/Auth/GetToken": {"get": op("Auth_GetToken")},
            "/api/Auth/GetToken/{identifier}": {"get": op("Auth_GetToken")},
            "/api/Product/Bom": {"get": op("Product_Bom")},
            "/api/Product/BOM2": {"put": op("Product_BOM")},
            "/api/Other": {"get": op("Other")},
        }
    )
    ids = {(m, p): o["operationId"] for p, item in for_codegen(d, OVERRIDES)["paths"].items() for m, o in item.items()}
    assert ids == {
        ("get", "/api/App/HighVolume"): "App_HighVolume_get",
        ("post", "/api/App/HighVolume"): "App_HighVolume_post",
        ("get", "/api/Auth/GetToken"): "Auth_GetToken_get_Auth_GetToken",
        ("get", "/api/Auth/GetToken/{identifier}"): "Auth_GetToken_get_Auth_GetToken_identifier",
        ("get", "/api/Product/Bom"): "Product_Bom_get",
        ("put", "/api/Product/BOM2"): "Product_BOM_put",
        ("get", "/api/Other"): "Other",
    }


def test_short_names_use_the_shortest_unique_suffix() -> None:
    names = ["A.Mes.Asset.Asset", "A.OData.Asset", "A.Mes.Product.Product", "B.Asset.AssetType"]
    assert short_names(names) == {
        "A.Mes.Asset.Asset": "Asset.Asset",
        "A.OData.Asset": "OData.Asset",
        "A.Mes.Product.Product": "Product",
        "B.Asset.AssetType": "AssetType",
    }


def test_short_names_refuse_names_that_cannot_be_told_apart() -> None:
    with pytest.raises(ValueError, match="cannot be told apart"):
        short_names(["Foo_Bar", "FooBar"])


def test_package_spec_matching() -> None:
    spec = PackageSpec("k", "d.json", "/x", "pkg", "/api/internal/")
    assert spec.includes("/api/INTERNAL/x") and not spec.includes("/api/App/x")


def test_query_options_become_optional_typed_parameters() -> None:
    document = doc({"/api/Asset": {"get": op("Asset_GetAssets")}, "/api/Other": {"get": op("Other_Get")}})
    overrides = load_overrides()
    options = {"GET /api/Asset": ("$filter", "$top")}
    out = for_codegen(document, type(overrides)(packages=overrides.packages, query_options=options))
    params = out["paths"]["/api/Asset"]["get"]["parameters"]
    assert params == [
        {"name": "$filter", "in": "query", "required": False, "schema": {"type": "string"}},
        {"name": "$top", "in": "query", "required": False, "schema": {"type": "integer"}},
    ]
    assert "parameters" not in out["paths"]["/api/Other"]["get"]
    assert OVERRIDES.query_options["GET /api/Report/Query/Header"][:2] == ("$filter", "$top")
