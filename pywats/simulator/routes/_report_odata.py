"""The OData subset the WATS header query documents: ``$filter`` with ``eq ne gt ge lt le in``,
``and or not``, ``contains startswith endswith tolower toupper``; ``$orderby`` on ``start``,
``uuid``, ``serialNumber`` and ``timeStamp``; ``$top`` (at most 10000, default 10); ``$skip``.

What the server rejects is rejected with its kind of message (``ODataError``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pywats._compat import UTC

__all__ = ["ODataError", "compile_filter", "order_key", "parse_datetime", "parse_orderby"]

Row = dict[str, Any]
Expr = Callable[[Row], Any]

INVALID = "The query specified in the URI is not valid. "
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
  | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))
  | (?P<datetime>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w:.-]))
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]))
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[(),])
    )""",
    re.VERBOSE,
)
_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a is not None and b is not None and a > b,
    "ge": lambda a, b: a is not None and b is not None and a >= b,
    "lt": lambda a, b: a is not None and b is not None and a < b,
    "le": lambda a, b: a is not None and b is not None and a <= b,
}
_UNSUPPORTED = {"add", "sub", "mul", "div", "mod", "has"}
_FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "contains": (2, lambda a, b: a is not None and b is not None and str(b).casefold() in str(a).casefold()),
    "startswith": (2, lambda a, b: a is not None and b is not None and str(a).casefold().startswith(str(b).casefold())),
    "endswith": (2, lambda a, b: a is not None and b is not None and str(a).casefold().endswith(str(b).casefold())),
    "tolower": (1, lambda a: None if a is None else str(a).lower()),
    "toupper": (1, lambda a: None if a is None else str(a).upper()),
    "trim": (1, lambda a: None if a is None else str(a).strip()),
}
ORDERABLE = {"start": "start", "uuid": "uuid", "serialnumber": "serialNumber", "timestamp": "timeStamp"}


class ODataError(ValueError):
    """A query option the server would reject; ``str()`` is the server's message."""


def parse_datetime(text: str) -> datetime:
    """An OData date or date-time literal (a date is midnight UTC; no offset means UTC)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class _Parser:
    def __init__(self, text: str, properties: dict[str, str]) -> None:
        self.text = text
        self.properties = properties  # lower-cased name -> property name
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise ODataError(f"{INVALID}Syntax error at position {pos} in '{text}'.")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ODataError(f"{INVALID}Expression expected at position {len(self.text)} in '{self.text}'.")
        self.i += 1
        return token

    def word(self, *words: str) -> str | None:
        token = self.peek()
        if token and token[0] == "name" and token[1] in words:
            self.i += 1
            return token[1]
        return None

    def expect(self, punct: str) -> None:
        token = self.take()
        if token != ("punct", punct):
            raise ODataError(f"{INVALID}')' or ',' expected at '{token[1]}' in '{self.text}'.")

    def parse(self) -> Expr:
        expr = self.or_expr()
        if self.peek() is not None:
            raise ODataError(f"{INVALID}Syntax error: character '{self.peek()[1]}' is not valid in '{self.text}'.")  # type: ignore[index]
        return expr

    def or_expr(self) -> Expr:
        left = self.and_expr()
        while self.word("or"):
            right = self.and_expr()
            left = (lambda a, b: lambda r: bool(a(r)) or bool(b(r)))(left, right)
        return left

    def and_expr(self) -> Expr:
        left = self.unary()
        while self.word("and"):
            right = self.unary()
            left = (lambda a, b: lambda r: bool(a(r)) and bool(b(r)))(left, right)
        return left

    def unary(self) -> Expr:
        if self.word("not"):
            inner = self.unary()
            return lambda r: not inner(r)
        return self.comparison()

    def comparison(self) -> Expr:
        left, left_type = self.primary()
        token = self.peek()
        if token and token[0] == "name" and token[1] in _UNSUPPORTED:
            raise ODataError(f"{INVALID}The operator '{token[1]}' is not supported.")
        op = self.word(*_COMPARISONS)
        if op is not None:
            right, right_type = self.primary()
            _compatible(left_type, right_type, op)
            compare = _COMPARISONS[op]
            return lambda r: compare(left(r), right(r))
        if self.word("in"):
            self.expect("(")
            values = []
            while True:
                value, value_type = self.primary()
                _compatible(left_type, value_type, "in")
                values.append(value({}))
                token = self.take()
                if token == ("punct", ")"):
                    break
                if token != ("punct", ","):
                    raise ODataError(f"{INVALID}',' or ')' expected in '{self.text}'.")
            return lambda r: left(r) in values
        return left

    def primary(self) -> tuple[Expr, str]:
        kind, text = self.take()
        if kind == "punct" and text == "(":
            inner = self.or_expr()
            self.expect(")")
            return inner, "bool"
        if kind == "string":
            value = text[1:-1].replace("''", "'")
            return (lambda r: value), "string"
        if kind == "guid":
            guid = str(uuid.UUID(text))
            return (lambda r: guid), "guid"
        if kind == "datetime":
            moment = parse_datetime(text)
            return (lambda r: moment), "datetime"
        if kind == "number":
            number = float(text) if any(c in text for c in ".eE") else int(text)
            return (lambda r: number), "number"
        if kind == "name":
            if text in ("true", "false"):
                flag = text == "true"
                return (lambda r: flag), "bool"
            if text == "null":
                return (lambda r: None), "null"
            nxt = self.peek()
            if nxt == ("punct", "("):
                return self.function(text)
            prop = self.properties.get(text.casefold())
            if prop is None:
                raise ODataError(f"{INVALID}Could not find a property named '{text}' on type 'ReportHeader'.")
            return (lambda r: r.get(prop)), _TYPES.get(prop, "string")
        raise ODataError(f"{INVALID}Syntax error at '{text}' in '{self.text}'.")

    def function(self, name: str) -> tuple[Expr, str]:
        spec = _FUNCTIONS.get(name.casefold())
        if spec is None:
            raise ODataError(f"{INVALID}An unknown function with name '{name}' was found.")
        arity, fn = spec
        self.expect("(")
        args: list[Expr] = []
        while True:
            arg, _ = self.primary()
            args.append(arg)
            token = self.take()
            if token == ("punct", ")"):
                break
            if token != ("punct", ","):
                raise ODataError(f"{INVALID}',' or ')' expected in '{self.text}'.")
        if len(args) != arity:
            raise ODataError(
                f"{INVALID}No function signature for the function with name '{name}' matches the arguments."
            )
        return (lambda r: fn(*(a(r) for a in args))), ("bool" if arity == 2 else "string")


# Types of the header fields (the rest are strings), as the server's model declares them.
_TYPES = {
    "start": "datetime",
    "uuid": "guid",
    "referencedUut": "guid",
    "timeStamp": "number",
    "processCode": "number",
    "executionTime": "number",
    "testSocketIndex": "number",
    "errorCode": "number",
    "run": "number",
    "receiveCount": "number",
    "reportSize": "number",
    "passedInRun": "number",
    "measuresDeleted": "bool",
}
_EDM = {
    "string": "Edm.String",
    "datetime": "Edm.DateTimeOffset",
    "guid": "Edm.Guid",
    "number": "Edm.Int32",
    "bool": "Edm.Boolean",
}


def _compatible(left: str, right: str, op: str) -> None:
    if "null" in (left, right) or left == right:
        return
    raise ODataError(
        f"{INVALID}A binary operator with incompatible types was detected. Found operand types "
        f"'{_EDM.get(left, left)}' and '{_EDM.get(right, right)}' for operator kind '{op}'."
    )


def compile_filter(text: str, properties: list[str]) -> Expr:
    """The ``$filter`` as a predicate over header rows (datetimes as aware datetimes)."""
    return _Parser(text, {p.casefold(): p for p in properties}).parse()


def parse_orderby(text: str) -> list[tuple[str, bool]]:
    """``$orderby`` as (property, descending) pairs; only the documented properties."""
    keys = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise ODataError(f"{INVALID}Syntax error in $orderby '{text}'.")
        prop = ORDERABLE.get(words[0].casefold())
        if prop is None:
            raise ODataError(
                f"{INVALID}Order by '{words[0]}' is not allowed. To allow it, set the 'AllowedOrderByProperties' "
                "property on EnableQueryAttribute or QueryValidationSettings."
            )
        keys.append((prop, len(words) == 2 and words[1].lower() == "desc"))
    return keys


def order_key(value: Any) -> tuple[int, Any]:
    """Sort key placing missing values first, as SQL does."""
    return (0, "") if value is None else (1, value)
