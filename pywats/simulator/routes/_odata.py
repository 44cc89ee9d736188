"""A small OData ``$filter`` / ``$top`` / ``$orderby`` evaluator for the simulator's list endpoints.

WATS list endpoints (``GET /api/Asset``, ``/api/Asset/Log``, ``/api/Asset/Types``) take OData
query options that the API documents do not list as parameters. This evaluates the subset
those endpoints are used with: ``eq ne gt ge lt le``, ``and or not``, parentheses, and
``contains startswith endswith tolower toupper trim length``. As on the server, a property the
entity does not have, or comparing values of different types, is a 400 error.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pywats._compat import UTC

__all__ = ["ODataError", "apply_query"]

Schema = dict[str, str]  # property -> "string" | "int" | "double" | "bool" | "datetime" | "guid"

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<dt>\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)"
    r"|(?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_/]*)|(?P<punct>[(),]))"
)
_COMPARE = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCS: dict[str, tuple[int, Callable[..., Any], str]] = {
    "contains": (2, lambda a, b: a is not None and b in a, "bool"),
    "startswith": (2, lambda a, b: a is not None and a.startswith(b), "bool"),
    "endswith": (2, lambda a, b: a is not None and a.endswith(b), "bool"),
    "tolower": (1, lambda a: None if a is None else a.lower(), "string"),
    "toupper": (1, lambda a: None if a is None else a.upper(), "string"),
    "trim": (1, lambda a: None if a is None else a.strip(), "string"),
    "length": (1, lambda a: None if a is None else len(a), "int"),
}
_EDM = {"string": "Edm.String", "int": "Edm.Int32", "double": "Edm.Double", "bool": "Edm.Boolean",
        "datetime": "Edm.DateTimeOffset", "guid": "Edm.Guid", "null": "null"}  # fmt: skip


class ODataError(ValueError):
    """The query option is not valid for this entity (the server answers 400)."""


@dataclass
class _Node:
    kind: str  # the value type (see Schema), "null" for the null literal
    evaluate: Callable[[dict[str, Any]], Any]


def _to_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _either(a: _Node, b: _Node) -> _Node:
    return _Node("bool", lambda e: bool(a.evaluate(e)) or bool(b.evaluate(e)))


def _both(a: _Node, b: _Node) -> _Node:
    return _Node("bool", lambda e: bool(a.evaluate(e)) and bool(b.evaluate(e)))


class _Parser:
    def __init__(self, text: str, schema: Schema, entity: str) -> None:
        self.schema = {k.lower(): (k, v) for k, v in schema.items()}
        self.entity = entity
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if not match or match.end() == pos:
                raise ODataError(f"Syntax error at position {pos} in '{text}'.")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1].lower() != value):
            raise ODataError(f"Syntax error: expected {value or 'a value'} at the end of the $filter.")
        self.pos += 1
        return token

    def parse(self) -> _Node:
        node = self.or_()
        if self.peek() is not None:
            raise ODataError(f"Syntax error at '{self.peek()[1]}' in the $filter.")  # type: ignore[index]
        if node.kind != "bool":
            raise ODataError("The $filter expression must evaluate to a boolean value.")
        return node

    def _keyword(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "name" and token[1].lower() == word

    def or_(self) -> _Node:
        node = self.and_()
        while self._keyword("or"):
            self.take()
            node = _either(node, self.and_())
        return node

    def and_(self) -> _Node:
        node = self.not_()
        while self._keyword("and"):
            self.take()
            node = _both(node, self.not_())
        return node

    def not_(self) -> _Node:
        if self._keyword("not"):
            self.take()
            inner = self.not_()
            return _Node("bool", lambda e: not inner.evaluate(e))
        return self.compare()

    def compare(self) -> _Node:
        left = self.primary()
        token = self.peek()
        if token is None or token[0] != "name" or token[1].lower() not in _COMPARE:
            return left
        op = self.take()[1].lower()
        right = self.primary()
        kinds = {left.kind, right.kind} - {"null"}
        numeric = kinds <= {"int", "double"}
        if len(kinds) > 1 and not numeric and kinds != {"datetime"}:
            raise ODataError(
                "A binary operator with incompatible types was detected. Found operand types "
                f"'{_EDM[left.kind]}' and '{_EDM[right.kind]}' for operator kind '{op}'."
            )
        kind = next(iter(kinds), "null")

        def norm(value: Any) -> Any:
            if kind == "datetime":
                return _to_datetime(value)
            if kind == "guid" and value is not None:
                return str(value).lower()
            return value

        def evaluate(e: dict[str, Any]) -> bool:
            a, b = norm(left.evaluate(e)), norm(right.evaluate(e))
            if op == "eq":
                return bool(a == b)
            if op == "ne":
                return bool(a != b)
            if a is None or b is None:
                return False
            return bool({"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op])

        return _Node("bool", evaluate)

    def primary(self) -> _Node:
        kind, value = self.take()
        if kind == "punct" and value == "(":
            node = self.or_()
            self.take(")")
            return node
        if kind == "str":
            text = value[1:-1].replace("''", "'")
            return _Node("string", lambda e: text)
        if kind == "num":
            number: int | float = float(value) if "." in value else int(value)
            return _Node("double" if isinstance(number, float) else "int", lambda e: number)
        if kind == "dt":
            moment = _to_datetime(value)
            return _Node("datetime", lambda e: moment)
        if kind == "guid":
            ident = str(uuid.UUID(value))
            return _Node("guid", lambda e: ident)
        if kind == "name":
            lowered = value.lower()
            if lowered in ("true", "false"):
                return _Node("bool", lambda e: lowered == "true")
            if lowered == "null":
                return _Node("null", lambda e: None)
            nxt = self.peek()
            if nxt == ("punct", "("):
                return self.function(lowered)
            if lowered not in self.schema:
                raise ODataError(f"Could not find a property named '{value}' on type '{self.entity}'.")
            name, prop_kind = self.schema[lowered]
            return _Node(prop_kind, lambda e: e.get(name))
        raise ODataError(f"Syntax error at '{value}' in the $filter.")

    def function(self, name: str) -> _Node:
        if name not in _FUNCS:
            raise ODataError(f"An unknown function with name '{name}' was found.")
        arity, func, kind = _FUNCS[name]
        self.take("(")
        args = [self.or_()]
        while self.peek() == ("punct", ","):
            self.take()
            args.append(self.or_())
        self.take(")")
        if len(args) != arity or any(a.kind not in ("string", "null") for a in args):
            raise ODataError(f"No function signature for the function with name '{name}' matches the arguments.")
        return _Node(kind, lambda e: func(*(a.evaluate(e) for a in args)))


def apply_query(
    items: list[dict[str, Any]],
    query: dict[str, list[str]],
    schema: Schema,
    entity: str,
    *,
    default_order: Callable[[dict[str, Any]], Any] | None = None,
    default_top: int = 1000,
) -> list[dict[str, Any]]:
    """``items`` filtered by ``$filter``, ordered (``$orderby`` or ``default_order``), cut to ``$top``."""
    options = {k.lower(): v[-1] for k, v in query.items() if k.startswith("$")}
    result = list(items)
    if options.get("$filter", "").strip():
        node = _Parser(options["$filter"], schema, entity).parse()
        result = [e for e in result if node.evaluate(e)]
    order = options.get("$orderby", "").strip()
    if order:
        for part in reversed([p.strip() for p in order.split(",") if p.strip()]):
            field, _, direction = part.partition(" ")
            if field.lower() not in {k.lower() for k in schema}:
                raise ODataError(f"Could not find a property named '{field}' on type '{entity}'.")
            prop = next(k for k in schema if k.lower() == field.lower())
            result.sort(key=lambda e: (e.get(prop) is None, e.get(prop) or 0), reverse=direction.lower() == "desc")
    elif default_order is not None:
        result.sort(key=default_order)
    top = options.get("$top")
    limit = default_top
    if top is not None:
        if not top.isdigit():
            raise ODataError(f"Invalid value '{top}' for $top query option found.")
        limit = int(top)
    return result[:limit]
