"""Swagger 2.0 → OpenAPI 3.0 conversion of each feature WATS uses, on small fixture documents."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pywats.spec.swagger2 import UnsupportedSwaggerFeature, convert, sanitize_schema_name

ALL_TYPES = [
    "application/json",
    "text/json",
    "application/xml",
    "text/xml",
    "application/x-www-form-urlencoded",
    "text/html",
    "application/scim+json",
]


def fixture_doc() -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"version": "v1", "title": "WATS API"},
        "host": "example.wats.test",
        "schemes": ["https"],
        "securityDefinitions": {"basic": {"type": "basic", "description": "Basic HTTP Authentication"}},
        "paths": {
            "/api/Thing/{id}": {
                "get": {
                    "tags": ["Thing"],
                    "operationId": "Thing_Get",
                    "consumes": [],
                    "produces": ALL_TYPES,
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "string", "format": "uuid"},
                        {
                            "name": "codes",
                            "in": "query",
                            "required": False,
                            "type": "array",
                            "items": {"type": "integer", "format": "int32"},
                            "collectionFormat": "multi",
                        },
                        {"name": "kind", "in": "query", "required": False, "type": "integer", "enum": [0, 1]},
                    ],
                    "responses": {
                        "200": {"description": "OK", "schema": {"$ref": "#/definitions/Ns.Thing"}},
                        "404": {"description": "missing"},
                    },
                },
                "put": {
                    "tags": ["Thing"],
                    "operationId": "Thing_Put",
                    "consumes": ALL_TYPES,
                    "produces": ALL_TYPES,
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "string"},
                        {
                            "name": "thing",
                            "in": "body",
                            "required": True,
                            "description": "the thing",
                            "schema": {"$ref": "#/definitions/Ns.Thing"},
                        },
                    ],
                    "responses": {"200": {"description": "OK", "schema": {"type": "object"}}},
                },
            }
        },
        "definitions": {
            "Ns.Thing": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "Name"},
                    "child": {
                        "$ref": "#/definitions/Generic[Ns.Child,Ns.Other]",
                        "description": "sibling",
                        "readOnly": True,
                    },
                    "when": {"type": "string", "format": "date-time", "x-nullable": True},
                },
            },
            "Generic[Ns.Child,Ns.Other]": {"type": "object", "properties": {"n": {"type": "integer"}}},
        },
    }


def test_top_level_info_servers_and_security() -> None:
    out = convert(fixture_doc())
    assert out["openapi"] == "3.0.3"
    assert out["info"] == {"version": "v1", "title": "WATS API"}
    assert out["servers"] == [{"url": "https://example.wats.test"}]
    assert out["components"]["securitySchemes"]["basic"] == {
        "type": "http",
        "scheme": "basic",
        "description": "Basic HTTP Authentication",
    }


def test_definitions_become_components_with_sanitised_names_and_rewritten_refs() -> None:
    out = convert(fixture_doc())
    schemas = out["components"]["schemas"]
    assert set(schemas) == {"Ns.Thing", "Generic_Ns.Child_Ns.Other"}
    child = schemas["Ns.Thing"]["properties"]["child"]
    # $ref siblings are dropped: OpenAPI 3.0 ignores them
    assert child == {"$ref": "#/components/schemas/Generic_Ns.Child_Ns.Other"}
    assert schemas["Ns.Thing"]["properties"]["when"] == {"type": "string", "format": "date-time", "nullable": True}
    ok = out["paths"]["/api/Thing/{id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Ns.Thing"}


def test_parameters_get_schemas_and_multi_collection_format() -> None:
    params = convert(fixture_doc())["paths"]["/api/Thing/{id}"]["get"]["parameters"]
    by_name = {p["name"]: p for p in params}
    assert by_name["id"] == {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    assert by_name["codes"]["style"] == "form" and by_name["codes"]["explode"] is True
    assert by_name["codes"]["schema"] == {"type": "array", "items": {"type": "integer", "format": "int32"}}
    assert by_name["kind"]["schema"] == {"type": "integer", "enum": [0, 1]}
    assert "required" not in by_name["kind"]


def test_body_parameter_becomes_request_body_for_every_consumed_type() -> None:
    put = convert(fixture_doc())["paths"]["/api/Thing/{id}"]["put"]
    assert [p["name"] for p in put["parameters"]] == ["id"]
    body = put["requestBody"]
    assert body["required"] is True and body["description"] == "the thing"
    assert list(body["content"]) == ALL_TYPES
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Ns.Thing"}


def test_responses_without_schema_have_no_content_and_produces_become_content_types() -> None:
    responses = convert(fixture_doc())["paths"]["/api/Thing/{id}"]["get"]["responses"]
    assert responses["404"] == {"description": "missing"}
    assert list(responses["200"]["content"]) == ALL_TYPES


def test_input_is_not_modified() -> None:
    doc = fixture_doc()
    before = copy.deepcopy(doc)
    convert(doc)
    assert doc == before


def test_sanitize_schema_name() -> None:
    assert sanitize_schema_name("A.B[C.D,E]") == "A.B_C.D_E"


def _mutate(path: list[Any], value: Any) -> dict[str, Any]:
    doc = fixture_doc()
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


GET = ["paths", "/api/Thing/{id}", "get"]


@pytest.mark.parametrize(
    ("path", "value", "feature"),
    [
        (["swagger"], "3.0", "swagger version"),
        (["x"], 1, "keyword 'x'"),
        ([*GET, "parameters", 0], {"name": "f", "in": "formData", "type": "string"}, "formData"),
        ([*GET, "parameters", 0], {"$ref": "#/parameters/x"}, "parameter $ref"),
        ([*GET, "parameters", 1, "collectionFormat"], "pipes", "collectionFormat 'pipes'"),
        ([*GET, "responses", "200", "headers"], {"X": {"type": "string"}}, "keyword 'headers'"),
        ([*GET, "responses", "200", "schema"], {"type": "file"}, "type 'file'"),
        ([*GET, "responses", "200", "schema"], {"$ref": "#/definitions/Nope"}, "missing definition"),
        (["securityDefinitions", "oauth"], {"type": "oauth2", "flow": "implicit"}, "security scheme type"),
        (["definitions", "Ns.Thing", "properties", "name", "oneOf"], [], "keyword 'oneOf'"),
    ],
)
def test_unsupported_features_raise_with_location(path: list[Any], value: Any, feature: str) -> None:
    with pytest.raises(UnsupportedSwaggerFeature, match=r"unsupported Swagger 2\.0 feature at /") as info:
        convert(_mutate(path, value))
    assert feature in str(info.value)


def test_real_documents_convert(spec_dir: Any) -> None:
    import json

    for name, ops in (("openapi_public.json", 126), ("openapi_internal.json", 766)):
        out = convert(json.loads((spec_dir / name).read_text()))
        assert sum(len(item) for item in out["paths"].values()) == ops
