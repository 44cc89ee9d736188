"""Swagger 2.0 → OpenAPI 3.0 conversion, for exactly the Swagger features WATS uses.

Why our own: the generator only reads OpenAPI 3, and the only maintained Python converter
(`prance convert`) uploads the document to a web service, which is not acceptable for an
internal API description. The subset below is what the WATS server (Swashbuckle on .NET)
emits; anything outside it raises :class:`UnsupportedSwaggerFeature` instead of being
silently dropped, so a server upgrade that starts using a new feature fails loudly.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["UnsupportedSwaggerFeature", "convert", "sanitize_schema_name"]

JSON = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")

_TOP_LEVEL_KEYS = {
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "securityDefinitions",
    "security",
    "tags",
    "externalDocs",
}
_OPERATION_KEYS = {
    "tags",
    "summary",
    "description",
    "operationId",
    "consumes",
    "produces",
    "parameters",
    "responses",
    "deprecated",
    "security",
    "externalDocs",
    "schemes",
}
# Keywords of a simple (non-body) parameter that make up its OpenAPI 3.0 ``schema``, in that order.
_PARAMETER_SCHEMA_KEYS = (
    "type",
    "format",
    "enum",
    "default",
    "minimum",
    "maximum",
    "maxLength",
    "minLength",
    "pattern",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "uniqueItems",
    "minItems",
    "maxItems",
)
_PARAMETER_KEYS = {
    "name",
    "in",
    "required",
    "description",
    "items",
    "collectionFormat",
    "schema",
    "allowEmptyValue",
    *_PARAMETER_SCHEMA_KEYS,
}
# Keywords that mean the same in a Swagger 2.0 schema and an OpenAPI 3.0 schema.
_SCHEMA_KEYS = {
    "type",
    "format",
    "title",
    "description",
    "default",
    "enum",
    "example",
    "readOnly",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "allOf",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "externalDocs",
}
_SIMPLE_TYPES = {"string", "number", "integer", "boolean", "array"}
# Swagger 2.0 collectionFormat → OpenAPI 3.0 (style, explode) for query parameters.
_COLLECTION_FORMATS = {"multi": ("form", True), "csv": ("form", False)}
_INVALID_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]")


class UnsupportedSwaggerFeature(ValueError):
    """The document uses a Swagger 2.0 feature this converter does not translate."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"unsupported Swagger 2.0 feature at {where}: {what}")
        self.where = where
        self.what = what


def sanitize_schema_name(name: str) -> str:
    """Map a definition name to a valid OpenAPI 3 component name.

    .NET generic names such as ``ODataQueryOptions[Ns.Asset]`` contain ``[``, ``]`` and ``,``,
    which OpenAPI 3 forbids in component names (allowed: letters, digits, ``.``, ``-``, ``_``).
    """
    return _INVALID_NAME_CHARS.sub("_", name).strip("_")


def _check_keys(obj: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    allowed_set = set(allowed)
    for key in obj:
        if key not in allowed_set and not key.startswith("x-"):
            raise UnsupportedSwaggerFeature(where, f"keyword {key!r}")


class _Converter:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        if doc.get("swagger") != "2.0":
            raise UnsupportedSwaggerFeature("/", f"swagger version {doc.get('swagger')!r} (expected '2.0')")
        _check_keys(doc, _TOP_LEVEL_KEYS, "/")
        self.doc = doc
        definitions = doc.get("definitions") or {}
        self.names: dict[str, str] = {}
        for name in definitions:
            new = sanitize_schema_name(name)
            if new in self.names.values():
                raise UnsupportedSwaggerFeature(f"/definitions/{name}", f"name collides with another as {new!r}")
            self.names[name] = new
        self.default_consumes: list[str] = list(doc.get("consumes") or [])
        self.default_produces: list[str] = list(doc.get("produces") or [])

    # -- schemas -----------------------------------------------------------------------------

    def ref(self, ref: str, where: str) -> str:
        prefix = "#/definitions/"
        if not ref.startswith(prefix):
            raise UnsupportedSwaggerFeature(where, f"$ref outside #/definitions: {ref!r}")
        name = ref[len(prefix) :]
        if name not in self.names:
            raise UnsupportedSwaggerFeature(where, f"$ref to missing definition {name!r}")
        return "#/components/schemas/" + self.names[name]

    def schema(self, schema: Any, where: str) -> JSON:
        if not isinstance(schema, Mapping):
            raise UnsupportedSwaggerFeature(where, f"schema is not an object: {schema!r}")
        if "$ref" in schema:
            # OpenAPI 3.0 ignores siblings of $ref; Swashbuckle only puts documentation there.
            return {"$ref": self.ref(schema["$ref"], where)}
        _check_keys(schema, _SCHEMA_KEYS | {"discriminator", "x-nullable"}, where)
        out: JSON = {}
        for key, value in schema.items():
            if key == "type":
                if value == "file":
                    raise UnsupportedSwaggerFeature(where, "type 'file'")
                out[key] = value
            elif key == "properties":
                out[key] = {name: self.schema(sub, f"{where}/properties/{name}") for name, sub in value.items()}
            elif key == "items":
                out[key] = self.schema(value, f"{where}/items")
            elif key == "additionalProperties":
                out[key] = value if isinstance(value, bool) else self.schema(value, f"{where}/additionalProperties")
            elif key == "allOf":
                out[key] = [self.schema(sub, f"{where}/allOf/{i}") for i, sub in enumerate(value)]
            elif key == "discriminator":
                out[key] = {"propertyName": value}
            elif key == "x-nullable":
                out["nullable"] = bool(value)
            else:
                out[key] = copy.deepcopy(value)
        return out

    # -- operations --------------------------------------------------------------------------

    def parameter(self, param: Mapping[str, Any], where: str) -> JSON:
        _check_keys(param, _PARAMETER_KEYS, where)
        location = param.get("in")
        if location not in ("query", "path", "header"):
            raise UnsupportedSwaggerFeature(where, f"parameter location {location!r}")
        out: JSON = {"name": param["name"], "in": location}
        if param.get("description"):
            out["description"] = param["description"]
        required = bool(param.get("required", False)) or location == "path"
        if required:
            out["required"] = True
        if param.get("type") not in _SIMPLE_TYPES:
            raise UnsupportedSwaggerFeature(where, f"parameter type {param.get('type')!r}")
        schema: JSON = {}
        for key in _PARAMETER_SCHEMA_KEYS:
            if key in param:
                schema[key] = copy.deepcopy(param[key])
        if param["type"] == "array":
            if "items" not in param:
                raise UnsupportedSwaggerFeature(where, "array parameter without items")
            items = param["items"]
            if items.get("type") not in _SIMPLE_TYPES - {"array"}:
                raise UnsupportedSwaggerFeature(where, f"array items of type {items.get('type')!r}")
            schema["items"] = {k: copy.deepcopy(v) for k, v in items.items() if k in ("type", "format", "enum")}
            fmt = param.get("collectionFormat", "csv")
            if location != "query" or fmt not in _COLLECTION_FORMATS:
                raise UnsupportedSwaggerFeature(where, f"collectionFormat {fmt!r} in {location}")
            out["style"], out["explode"] = _COLLECTION_FORMATS[fmt]
        elif "collectionFormat" in param:
            raise UnsupportedSwaggerFeature(where, "collectionFormat on a non-array parameter")
        if param.get("allowEmptyValue"):
            out["allowEmptyValue"] = True
        out["schema"] = schema
        return out

    def operation(self, path: str, method: str, op: Mapping[str, Any], shared: list[Any]) -> JSON:
        where = f"/paths/{path}/{method}"
        _check_keys(op, _OPERATION_KEYS, where)
        out: JSON = {}
        for key in ("tags", "summary", "description", "operationId", "deprecated", "externalDocs"):
            if key in op:
                out[key] = copy.deepcopy(op[key])
        if "security" in op:
            out["security"] = copy.deepcopy(op["security"])
        params = list(shared) + list(op.get("parameters") or [])
        converted: list[JSON] = []
        body: JSON | None = None
        for i, param in enumerate(params):
            pwhere = f"{where}/parameters/{i}"
            if "$ref" in param:
                raise UnsupportedSwaggerFeature(pwhere, "parameter $ref")
            if param.get("in") == "body":
                if body is not None:
                    raise UnsupportedSwaggerFeature(pwhere, "more than one body parameter")
                _check_keys(param, {"name", "in", "required", "description", "schema"}, pwhere)
                consumes = list(op.get("consumes") or self.default_consumes) or ["application/json"]
                schema = self.schema(param["schema"], f"{pwhere}/schema")
                body = {"content": {ct: {"schema": copy.deepcopy(schema)} for ct in consumes}}
                if param.get("description"):
                    body["description"] = param["description"]
                if param.get("required"):
                    body["required"] = True
            elif param.get("in") == "formData":
                raise UnsupportedSwaggerFeature(pwhere, "formData parameters")
            else:
                converted.append(self.parameter(param, pwhere))
        if converted:
            out["parameters"] = converted
        if body is not None:
            out["requestBody"] = body
        produces = list(op.get("produces") or self.default_produces) or ["application/json"]
        responses: JSON = {}
        for code, response in (op.get("responses") or {}).items():
            rwhere = f"{where}/responses/{code}"
            if "$ref" in response:
                raise UnsupportedSwaggerFeature(rwhere, "response $ref")
            _check_keys(response, {"description", "schema", "examples"}, rwhere)
            converted_response: JSON = {"description": response.get("description") or ""}
            if "schema" in response:
                schema = self.schema(response["schema"], f"{rwhere}/schema")
                converted_response["content"] = {ct: {"schema": copy.deepcopy(schema)} for ct in produces}
            responses[str(code)] = converted_response
        if not responses:
            raise UnsupportedSwaggerFeature(where, "operation without responses")
        out["responses"] = responses
        return out

    def security_scheme(self, name: str, scheme: Mapping[str, Any]) -> JSON:
        where = f"/securityDefinitions/{name}"
        kind = scheme.get("type")
        out: JSON
        if kind == "basic":
            out = {"type": "http", "scheme": "basic"}
        elif kind == "apiKey":
            out = {"type": "apiKey", "name": scheme["name"], "in": scheme["in"]}
        else:
            raise UnsupportedSwaggerFeature(where, f"security scheme type {kind!r}")
        if scheme.get("description"):
            out["description"] = scheme["description"]
        return out

    def run(self) -> JSON:
        doc = self.doc
        out: JSON = {"openapi": "3.0.3", "info": copy.deepcopy(doc.get("info") or {"title": "", "version": ""})}
        host = doc.get("host")
        if host:
            base = doc.get("basePath", "").rstrip("/")
            out["servers"] = [{"url": f"{scheme}://{host}{base}"} for scheme in (doc.get("schemes") or ["https"])]
        if "tags" in doc:
            out["tags"] = copy.deepcopy(doc["tags"])
        if "security" in doc:
            out["security"] = copy.deepcopy(doc["security"])
        paths: JSON = {}
        for path, item in (doc.get("paths") or {}).items():
            _check_keys(item, (*HTTP_METHODS, "parameters"), f"/paths/{path}")
            shared = list(item.get("parameters") or [])
            paths[path] = {
                method: self.operation(path, method, op, shared)
                for method, op in item.items()
                if method in HTTP_METHODS
            }
        out["paths"] = paths
        components: JSON = {}
        definitions = doc.get("definitions") or {}
        if definitions:
            components["schemas"] = {
                self.names[name]: self.schema(schema, f"/definitions/{name}") for name, schema in definitions.items()
            }
        schemes = doc.get("securityDefinitions") or {}
        if schemes:
            components["securitySchemes"] = {name: self.security_scheme(name, s) for name, s in schemes.items()}
        out["components"] = components
        return out


def convert(doc: Mapping[str, Any]) -> JSON:
    """Convert a Swagger 2.0 document (as parsed JSON) to an OpenAPI 3.0.3 document.

    The input is not modified. Raises :class:`UnsupportedSwaggerFeature` for anything outside
    the supported subset, naming the JSON location and the feature.
    """
    return _Converter(doc).run()
