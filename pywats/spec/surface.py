"""The API surface snapshot: every operation and schema, reduced to names and types.

Written by ``nox -s generate`` to ``spec/surface/<package>.json`` from the same normalised
documents ``generated/`` is built from. Used by spec-diff (what changed) and by the simulator
(is a request one the server would accept). No prose from the source documents is kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .normalise import iter_operations

__all__ = ["build_surface", "load_surface", "surface_dir", "write_surface"]

JSON = dict[str, Any]
_REF = "#/components/schemas/"
_TYPE_KEYS = ("type", "format", "nullable", "enum")


def compact_schema(schema: Mapping[str, Any] | None) -> JSON:
    """A schema with only what affects the wire: refs, types, formats, enums, items, properties."""
    if not schema:
        return {}
    if "$ref" in schema:
        return {"$ref": str(schema["$ref"]).removeprefix(_REF)}
    out: JSON = {k: schema[k] for k in _TYPE_KEYS if k in schema}
    if "items" in schema:
        out["items"] = compact_schema(schema["items"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            out[key] = [compact_schema(s) for s in schema[key]]
    if isinstance(schema.get("additionalProperties"), dict):
        out["additionalProperties"] = compact_schema(schema["additionalProperties"])
    if "properties" in schema:
        out["properties"] = {name: compact_schema(p) for name, p in sorted(schema["properties"].items())}
    if schema.get("required"):
        out["required"] = sorted(schema["required"])
    return out


def _json_schema(container: Mapping[str, Any] | None) -> JSON | None:
    content = (container or {}).get("content") or {}
    media = content.get("application/json") or next(iter(content.values()), None)
    return compact_schema(media.get("schema")) if media else None


def build_surface(doc: Mapping[str, Any]) -> JSON:
    """The surface of a (stage 1, :func:`~pywats.spec.normalise.surface`) OpenAPI 3 document."""
    operations: JSON = {}
    for method, path, op in iter_operations(doc):
        params = [
            {
                "name": p["name"],
                "in": p["in"],
                "required": bool(p.get("required", False)),
                **compact_schema(p.get("schema")),
            }
            for p in op.get("parameters", [])
        ]
        entry: JSON = {"parameters": sorted(params, key=lambda p: (p["in"], p["name"]))}
        if "requestBody" in op:
            entry["body"] = {
                "required": bool(op["requestBody"].get("required", False)),
                "schema": _json_schema(op["requestBody"]),
            }
        entry["responses"] = {code: _json_schema(r) for code, r in sorted(op.get("responses", {}).items())}
        if op.get("deprecated"):
            entry["deprecated"] = True
        operations[f"{method} {path}"] = entry
    schemas = {name: compact_schema(s) for name, s in sorted(doc.get("components", {}).get("schemas", {}).items())}
    return {"operations": dict(sorted(operations.items())), "schemas": schemas}


def dumps(surface: Mapping[str, Any]) -> str:
    """Stable text: sorted keys, one indent level per nesting, trailing newline."""
    return json.dumps(surface, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def surface_dir() -> Path:
    """Where the committed snapshots are: ``spec/surface`` in a checkout, ``pywats/_surface`` in a wheel."""
    here = Path(__file__).resolve()
    shipped = here.parents[1] / "_surface"
    return shipped if shipped.is_dir() else here.parents[2] / "spec" / "surface"


def write_surface(surfaces: Mapping[str, Mapping[str, Any]], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for key, surface in surfaces.items():
        (dest / f"{key}.json").write_text(dumps(surface), encoding="utf-8")


def load_surface(key: str, directory: Path | None = None) -> JSON:
    """The committed snapshot for ``key`` (``"public"`` or ``"internal"``)."""
    path = (directory or surface_dir()) / f"{key}.json"
    data: JSON = json.loads(path.read_text(encoding="utf-8"))
    return data
