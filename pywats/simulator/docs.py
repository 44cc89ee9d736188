"""Swagger 2.0 API documents built from the API surface snapshot, as the server serves them.

The simulator has only the surface (names and types, no prose), so these documents carry
exactly that; read back by spec-diff (:mod:`pywats.spec.inputs`) they give the same surface,
so ``check_server_compatibility()`` against the simulator reports no change.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from ..spec.surface import load_surface

__all__ = ["DOCUMENT_PATHS", "document_bytes", "served_surface", "swagger_document"]

JSON = dict[str, Any]

# Where the WATS server serves its documents (as spec/overrides.toml's server_path says).
DOCUMENT_PATHS = {"/swagger/docs/v1": "public", "/swagger/docs/internal": "internal"}

_PARAM_KEYS = ("type", "format", "enum")


def _schema(compact: Mapping[str, Any]) -> JSON:
    """A Swagger 2.0 schema for a surface (compact) schema; ``{}`` stays "any JSON value"."""
    if "$ref" in compact:
        return {"$ref": f"#/definitions/{compact['$ref']}"}
    out: JSON = {k: compact[k] for k in ("type", "format", "enum") if k in compact}
    if "nullable" in compact:
        out["x-nullable"] = compact["nullable"]
    if "items" in compact:
        out["items"] = _schema(compact["items"])
    if "allOf" in compact:
        out["allOf"] = [_schema(s) for s in compact["allOf"]]
    for key in ("anyOf", "oneOf"):
        if key in compact:  # no Swagger 2.0 spelling; never in WATS documents, refuse rather than drop
            raise ValueError(f"a surface schema uses {key}, which Swagger 2.0 cannot express")
    if "additionalProperties" in compact:
        out["additionalProperties"] = _schema(compact["additionalProperties"])
    if "properties" in compact:
        out["properties"] = {name: _schema(p) for name, p in compact["properties"].items()}
    if "required" in compact:
        out["required"] = list(compact["required"])
    return out


def _parameter(param: Mapping[str, Any]) -> JSON:
    out: JSON = {"name": param["name"], "in": param["in"], "required": bool(param.get("required"))}
    out.update({k: param[k] for k in _PARAM_KEYS if k in param})
    if "nullable" in param:
        out["x-nullable"] = param["nullable"]
    if param.get("type") == "array":
        out["items"] = {k: v for k, v in param.get("items", {}).items() if k in _PARAM_KEYS}
        out["collectionFormat"] = "multi"  # ASP.NET binds repeated query keys
    return out


def _operation(entry: Mapping[str, Any]) -> JSON:
    params = [_parameter(p) for p in entry.get("parameters", [])]
    body = entry.get("body")
    if body is not None:
        params.append(
            {
                "name": "body",
                "in": "body",
                "required": bool(body.get("required")),
                "schema": _schema(body.get("schema") or {}),
            }
        )
    responses: JSON = {}
    for code, schema in entry.get("responses", {}).items():
        responses[code] = {"description": ""} if schema is None else {"description": "", "schema": _schema(schema)}
    op: JSON = {"parameters": params, "responses": responses}
    if entry.get("deprecated"):
        op["deprecated"] = True
    return op


def swagger_document(surface: Mapping[str, Any], title: str) -> JSON:
    """A Swagger 2.0 document describing exactly ``surface`` (operations and schemas)."""
    paths: dict[str, JSON] = {}
    for key, entry in surface["operations"].items():
        method, path = key.split(" ", 1)
        paths.setdefault(path, {})[method.lower()] = _operation(entry)
    return {
        "swagger": "2.0",
        "info": {"title": title, "version": "simulator"},
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": paths,
        "definitions": {name: _schema(schema) for name, schema in surface["schemas"].items()},
        "securityDefinitions": {"basic": {"type": "basic"}},
        "security": [{"basic": []}],
    }


@functools.cache
def served_surface(key: str) -> JSON:
    """The surface snapshot for ``"public"`` or ``"internal"`` that every simulator serves.

    Read once per process and shared by the routes, the report check and the served documents;
    callers only read it.
    """
    return load_surface(key)


@functools.cache
def document_bytes(key: str) -> bytes:
    """The served document for ``"public"`` or ``"internal"`` (built once per process)."""
    return json.dumps(swagger_document(served_surface(key), f"WATS {key} API (simulator)")).encode()
