"""WATS-specific normalisation of converted (OpenAPI 3.0) documents.

Two stages, both driven by ``spec/overrides.toml``:

* :func:`surface` selects a package's operations and removes what is not API (framework
  types, unreachable definitions). Its output is what spec-diff compares: the API as the
  server describes it.
* :func:`for_codegen` then applies the generator workarounds (JSON-only bodies, nullable
  properties, open enums, free-form objects, unique operation ids, short model names, the
  OData query options the documents describe only in prose).
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pywats._compat import tomllib

from .swagger2 import HTTP_METHODS

__all__ = ["Overrides", "PackageSpec", "for_codegen", "is_internal_path", "load_overrides", "surface"]

JSON = dict[str, Any]
_REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class PackageSpec:
    """One generated package: which document it comes from and which operations it holds."""

    key: str
    document: str
    server_path: str
    package: str
    path_prefix: str | None = None

    def includes(self, path: str) -> bool:
        return self.path_prefix is None or path.lower().startswith(self.path_prefix.lower())


@dataclass(frozen=True)
class Overrides:
    packages: dict[str, PackageSpec]
    framework_namespaces: tuple[str, ...] = ()
    content_type: str = "application/json"
    free_form_objects: bool = True
    nullable_properties: bool = True
    open_enums: bool = True
    short_schema_names: bool = True
    reserved_identifiers: tuple[str, ...] = ()
    operation_ids: dict[str, str] = field(default_factory=dict)
    query_options: dict[str, tuple[str, ...]] = field(default_factory=dict)


def default_overrides_path() -> Path:
    """``spec/overrides.toml`` in a checkout; ``pywats/_overrides.toml`` in a wheel (see pyproject.toml)."""
    here = Path(__file__).resolve()
    shipped = here.parents[1] / "_overrides.toml"
    return shipped if shipped.is_file() else here.parents[2] / "spec" / "overrides.toml"


def load_overrides(path: Path | None = None) -> Overrides:
    path = path or default_overrides_path()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    packages = {key: PackageSpec(key=key, **value) for key, value in data["packages"].items()}
    norm = data.get("normalise", {})
    gen = data.get("generator", {})
    return Overrides(
        packages=packages,
        framework_namespaces=tuple(norm.get("framework_namespaces", ())),
        content_type=norm.get("content_type", "application/json"),
        free_form_objects=norm.get("free_form_objects", True),
        nullable_properties=norm.get("nullable_properties", True),
        open_enums=norm.get("open_enums", True),
        short_schema_names=norm.get("short_schema_names", True),
        reserved_identifiers=tuple(gen.get("reserved_identifiers", ())),
        operation_ids=dict(gen.get("operation_ids", {})),
        query_options={key: tuple(names) for key, names in gen.get("query_options", {}).items()},
    )


def is_internal_path(path: str) -> bool:
    """True for WATS internal API paths (``/api/internal/``, any casing)."""
    return path.lower().startswith("/api/internal/")


def iter_operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, str, JSON]]:
    """Yield ``(METHOD, path, operation)`` for every operation of an OpenAPI 3 document."""
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield method.upper(), path, op


def _walk(node: Any) -> Iterator[JSON]:
    """Every JSON object in ``node``, depth first (schemas, operations, ...)."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            yield cur
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)


def _ref_name(ref: str) -> str:
    return ref[len(_REF_PREFIX) :] if ref.startswith(_REF_PREFIX) else ref


# -- stage 1: the API surface ------------------------------------------------------------------


def surface(doc: Mapping[str, Any], package: PackageSpec, overrides: Overrides) -> JSON:
    """Select the package's operations and drop framework types and unreachable schemas."""
    out = copy.deepcopy(dict(doc))
    out["paths"] = {path: item for path, item in out.get("paths", {}).items() if package.includes(path)}
    schemas: JSON = out.setdefault("components", {}).setdefault("schemas", {})
    framework = {name for name in schemas if name.startswith(overrides.framework_namespaces)}
    for node in _walk(out):
        ref = node.get("$ref")
        if isinstance(ref, str) and _ref_name(ref) in framework:
            del node["$ref"]  # any JSON value
    _prune_unreachable(out)
    return out


def _prune_unreachable(doc: JSON) -> None:
    schemas: JSON = doc["components"]["schemas"]
    seen: set[str] = set()
    todo = [_ref_name(n["$ref"]) for n in _walk(doc["paths"]) if isinstance(n.get("$ref"), str)]
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_ref_name(n["$ref"]) for n in _walk(schemas[name]) if isinstance(n.get("$ref"), str))
    doc["components"]["schemas"] = {name: s for name, s in schemas.items() if name in seen}


# -- stage 2: generator workarounds ------------------------------------------------------------


def for_codegen(doc: Mapping[str, Any], overrides: Overrides) -> JSON:
    """Apply the generator workarounds to a surface document (input unchanged)."""
    out = copy.deepcopy(dict(doc))
    _json_only(out, overrides.content_type)
    if overrides.free_form_objects:
        _free_form_objects(out)
    if overrides.open_enums:
        _open_enums(out)
    if overrides.nullable_properties:
        _nullable_properties(out)
    _query_options(out, overrides.query_options)
    _unique_operation_ids(out, overrides.operation_ids)
    if overrides.short_schema_names:
        _rename_schemas(out, short_names(list(out["components"]["schemas"])))
    return out


def _json_only(doc: JSON, content_type: str) -> None:
    for _method, _path, op in iter_operations(doc):
        containers = [op.get("requestBody"), *op.get("responses", {}).values()]
        for container in containers:
            if container and "content" in container:
                content = container["content"]
                chosen = content.get(content_type) or next(iter(content.values()))
                container["content"] = {content_type: chosen}


def _is_free_form(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "object" and not (
        {"properties", "additionalProperties", "allOf", "anyOf", "oneOf"} & schema.keys()
    )


def _free_form_objects(doc: JSON) -> None:
    schemas: JSON = doc["components"]["schemas"]
    free = {name for name, s in schemas.items() if _is_free_form(s)}
    for node in _walk(doc):
        ref = node.get("$ref")
        if isinstance(ref, str) and _ref_name(ref) in free:
            del node["$ref"]
        elif _is_free_form(node) and node is not schemas:
            del node["type"]
    for name in free:
        del schemas[name]


def _open_enums(doc: JSON) -> None:
    for node in _walk(doc):
        values = node.get("enum")
        if isinstance(values, list) and "type" in node:
            del node["enum"]
            known = ", ".join(str(v) for v in values)
            node["description"] = (node.get("description", "") + f" Known values: {known}.").strip()


def _nullable_properties(doc: JSON) -> None:
    for node in _walk(doc):
        props = node.get("properties")
        if not isinstance(props, dict) or not all(isinstance(p, dict) for p in props.values()):
            continue
        for name, prop in props.items():
            if "$ref" in prop:
                props[name] = {"anyOf": [{"$ref": prop["$ref"]}], "nullable": True}
            elif prop:  # an empty schema (any JSON value) already admits null
                prop["nullable"] = True


def _query_options(doc: JSON, options: Mapping[str, tuple[str, ...]]) -> None:
    """Declare optional string/integer query parameters (``$filter``, ``$top``...) on the named operations."""
    for method, path, op in iter_operations(doc):
        names = options.get(f"{method} {path}", ())
        if not names:
            continue
        params = op.setdefault("parameters", [])
        known = {p.get("name") for p in params if p.get("in") == "query"}
        for name in names:
            if name not in known:
                kind = "integer" if name in _INTEGER_OPTIONS else "string"
                params.append({"name": name, "in": "query", "required": False, "schema": {"type": kind}})


_INTEGER_OPTIONS = frozenset({"$top", "$skip"})


def _identifier_key(value: str) -> str:
    """What the generator's snake-casing cannot tell apart: case and punctuation."""
    return re.sub(r"[^a-z0-9]", "", value.lower())


def _slug(path: str) -> str:
    return "_".join(p for p in re.split(r"[^A-Za-z0-9]+", path.removeprefix("/api/")) if p)


def _unique_operation_ids(doc: JSON, pinned: Mapping[str, str]) -> None:
    ops = list(iter_operations(doc))
    for method, path, op in ops:
        op["operationId"] = pinned.get(f"{method} {path}", op.get("operationId") or f"{method}_{_slug(path)}")
    groups: dict[str, list[tuple[str, str, JSON]]] = defaultdict(list)
    for entry in ops:
        groups[_identifier_key(entry[2]["operationId"])].append(entry)
    for members in groups.values():
        if len(members) < 2:
            continue
        by_method = [f"{op['operationId']}_{method.lower()}" for method, _path, op in members]
        unique = len({_identifier_key(n) for n in by_method}) == len(members)
        for (_method, path, op), name in zip(members, by_method, strict=True):
            op["operationId"] = name if unique else f"{name}_{_slug(path)}"
    taken = [_identifier_key(op["operationId"]) for _m, _p, op in ops]
    if len(set(taken)) != len(taken):  # pinned names or path slugs still collide
        dupes = sorted({k for k in taken if taken.count(k) > 1})
        raise ValueError(f"operation ids still collide after de-duplication: {dupes}")


def short_names(names: list[str]) -> dict[str, str]:
    """Shortest dotted suffix of each name that is unique (ignoring case and punctuation)."""
    depth = dict.fromkeys(names, 1)

    def candidate(name: str) -> str:
        parts = name.split(".")
        return ".".join(parts[-depth[name] :])

    while True:
        groups: dict[str, list[str]] = defaultdict(list)
        for name in names:
            groups[_identifier_key(candidate(name))].append(name)
        clashing = [n for group in groups.values() if len(group) > 1 for n in group]
        grown = [n for n in clashing if depth[n] < len(n.split("."))]
        if not grown:
            if clashing:
                raise ValueError(f"schema names cannot be told apart: {sorted(clashing)}")
            return {name: candidate(name) for name in names}
        for name in grown:
            depth[name] += 1


def _rename_schemas(doc: JSON, mapping: Mapping[str, str]) -> None:
    schemas: JSON = doc["components"]["schemas"]
    doc["components"]["schemas"] = {mapping[name]: schema for name, schema in schemas.items()}
    for node in _walk(doc):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            node["$ref"] = _REF_PREFIX + mapping[_ref_name(ref)]
