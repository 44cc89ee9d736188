"""Checks a JSON value against a schema of the API surface snapshot (the server's documents,
reduced to names and types), the way the server and its clients read them.

Used twice: a request body the documents reject is a 400 (as ASP.NET model binding answers it),
and in strict mode an answer of the simulator itself that they reject is a simulator bug.

How the documents are read (the same rules ``spec/overrides.toml`` applies to code generation):
``null`` is a value of every type (the .NET server sends it for anything unset); an ``object``
with no properties is any JSON value (the documents say ``object`` for untyped returns);
enums are documentation only (servers add values). Integers are whole numbers (``3.0`` too, as
JSON.NET reads it); ``uuid`` and ``date-time`` strings must parse.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from .common import parse_time

__all__ = ["LIST_ANSWERS", "problem"]

# Operations the documents say answer one object, where the server answers a list of them
# (their own summary and description say "a list", "the Packages"): their answers are held to the list.
LIST_ANSWERS = frozenset({"GET /api/Software/Packages", "GET /api/Software/PackagesByTag"})

Schema = Mapping[str, Any]

# How the server reads a double (its own rule: the simulator stands apart from the client): the
# names it writes for NaN and the infinities, and, in a request, a number written as text.
_NAMED_FLOATS = frozenset({"NaN", "Infinity", "-Infinity"})
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # ASCII digits only


def _kind_problem(value: Any, schema: Schema, request: bool) -> str | None:
    kind = schema.get("type")
    if kind == "integer":
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return None if whole and not isinstance(value, bool) else "an integer"
    if kind == "number":
        if isinstance(value, str):
            numeric = value in _NAMED_FLOATS or (request and _NUMBER_TEXT.fullmatch(value.strip()) is not None)
            return None if numeric else "a number"
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "a number"
    if kind == "boolean":
        return None if isinstance(value, bool) else "true or false"
    if kind == "string":
        if not isinstance(value, str):
            return "a string"
        fmt = schema.get("format")
        if fmt == "uuid":
            try:
                uuid.UUID(value)
            except ValueError:
                return "a GUID"
        if fmt == "date-time" and parse_time(value) is None:
            return "an ISO 8601 date-time"
        return None
    if kind == "array":
        return None if isinstance(value, list) else "an array"
    if kind == "object" and ("properties" in schema or "additionalProperties" in schema):
        return None if isinstance(value, dict) else "an object"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problem(
    value: Any, schema: Schema, definitions: Mapping[str, Schema], where: str = "", *, exact_names: bool = True
) -> str | None:
    """Why ``value`` does not fit ``schema`` (naming the JSON path, e.g. ``uur.user``), or None.

    ``definitions`` resolves ``$ref`` names. ``exact_names=False`` reads as the server reads a
    request body: property names without case, and a number may be written as a string
    (``"1.5"``); its answers spell names as documented. A number may always be ``"NaN"``,
    ``"Infinity"`` or ``"-Infinity"``, the server's spelling of those values.
    """
    seen = 0
    while "$ref" in schema:
        schema = definitions.get(schema["$ref"], {})
        seen += 1
        if seen > 50:
            return None  # a reference loop: nothing more to check here
    if value is None:
        return None
    for part in schema.get("allOf", ()):
        found = problem(value, part, definitions, where, exact_names=exact_names)
        if found:
            return found
    wanted = _kind_problem(value, schema, request=not exact_names)
    if wanted is not None:
        return f"{where or 'the body'} must be {wanted}, not {_short(value)}"
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found = problem(item, schema["items"], definitions, f"{where}[{i}]", exact_names=exact_names)
            if found:
                return found
    if isinstance(value, dict):
        properties: Mapping[str, Schema] = schema.get("properties", {})
        if not exact_names:
            properties = {k.casefold(): v for k, v in properties.items()}
        given = set(value) if exact_names else {k.casefold() for k in value}
        for name in schema.get("required", ()):
            if (name if exact_names else name.casefold()) not in given:
                return f"{_join(where, name)} is required"
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            sub = properties.get(key if exact_names else key.casefold(), extra)
            if sub is not None:
                found = problem(item, sub, definitions, _join(where, key), exact_names=exact_names)
                if found:
                    return found
    return None


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
