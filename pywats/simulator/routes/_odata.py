"""The simulator's one OData evaluator: ``$filter``, ``$orderby``, ``$top`` and ``$skip`` over a
collection, driven by that collection's :class:`Entity` (its fields and their types).

``$filter`` takes ``eq ne gt ge lt le in``, ``and or not``, parentheses, the functions
``contains startswith endswith tolower toupper trim length`` and, on an entity's collections,
the lambdas ``coll/any(x: x/prop ...)`` and ``coll/all(...)``. Text compares without case, as
the server's SQL collation does: ``contains(serialNumber,'q-')`` finds ``Q-1``, and ``$orderby``
sorts text the same way, with missing values first. A property the entity does not have,
operands of different types, an operator or function the server lacks, a ``$top`` above the
entity's limit: each is an :class:`ODataError` whose text is the server's 400 message.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from ..common import fold, parse_time

__all__ = ["Entity", "ODataError", "apply_query", "compile_filter", "parse_orderby"]

Row = dict[str, Any]
Predicate = Callable[[Row], Any]

# The kinds a field may have (Entity.fields values); "null" is the kind of the null literal.
KINDS = ("string", "int", "double", "bool", "datetime", "guid")
INVALID = "The query specified in the URI is not valid. "
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
  | (?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))
  | (?P<datetime>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w:.-]))
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]))
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[(),/:])
    )""",
    re.VERBOSE,
)
_ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}
_UNSUPPORTED = {"add", "sub", "mul", "div", "mod", "has"}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _caseless(value: Any) -> str:
    """Text for ``contains``/``startswith``/``endswith``: without case, its blanks kept (they count in a pattern)."""
    return str(value).casefold()


# name -> (argument count, function, result kind); every argument is text
_FUNCTIONS: dict[str, tuple[int, Callable[..., Any], str]] = {
    "contains": (2, lambda a, b: a is not None and b is not None and _caseless(b) in _caseless(a), "bool"),
    "startswith": (2, lambda a, b: a is not None and b is not None and _caseless(a).startswith(_caseless(b)), "bool"),
    "endswith": (2, lambda a, b: a is not None and b is not None and _caseless(a).endswith(_caseless(b)), "bool"),
    "tolower": (1, lambda a: None if a is None else str(a).lower(), "string"),
    "toupper": (1, lambda a: None if a is None else str(a).upper(), "string"),
    "trim": (1, lambda a: None if a is None else str(a).strip(), "string"),
    "length": (1, lambda a: None if a is None else len(str(a)), "int"),
}
_EDM = {
    "string": "Edm.String",
    "int": "Edm.Int32",
    "double": "Edm.Double",
    "bool": "Edm.Boolean",
    "datetime": "Edm.DateTimeOffset",
    "guid": "Edm.Guid",
    "null": "null",
}


class ODataError(ValueError):
    """A query option the server would reject; ``str()`` is the server's message."""

    def __init__(self, message: str) -> None:
        super().__init__(INVALID + message)


@dataclass(frozen=True)
class Entity:
    """What a collection's queries may use: the server's type ``name`` (for messages), its
    ``fields`` (property -> kind, see ``KINDS``), the fields ``$orderby`` may name (None: all),
    the order without ``$orderby`` and the ``$top`` default and limit (None: no limit)."""

    name: str
    fields: Mapping[str, str]
    orderable: frozenset[str] | None = None
    default_orderby: str = ""
    default_top: int | None = None
    max_top: int | None = None
    # collection property -> the entity of its items (rows hold them as lists of dicts), for any/all
    collections: Mapping[str, Entity] = _field(default_factory=dict)

    def field(self, name: str) -> str | None:
        """The property ``name`` means (property names are case-insensitive), or None."""
        wanted = name.casefold()
        return next((f for f in self.fields if f.casefold() == wanted), None)

    def collection(self, name: str) -> str | None:
        """The collection property ``name`` means (case-insensitive), or None."""
        wanted = name.casefold()
        return next((c for c in self.collections if c.casefold() == wanted), None)


@dataclass(frozen=True)
class _Node:
    kind: str
    evaluate: Predicate


def _normaliser(kind: str) -> Callable[[Any], Any]:
    """Values of ``kind`` as they compare on the server: instants, GUIDs and text as :func:`fold` has them
    (so ``$filter=serialNumber eq 'sn-1 '`` finds what a route's lookup of ``sn-1 `` finds)."""
    if kind == "datetime":
        return parse_time
    if kind in ("guid", "string"):
        return lambda v: None if v is None else fold(v)
    return lambda v: v


def _either(a: _Node, b: _Node) -> _Node:
    return _Node("bool", lambda r: bool(a.evaluate(r)) or bool(b.evaluate(r)))


def _both(a: _Node, b: _Node) -> _Node:
    return _Node("bool", lambda r: bool(a.evaluate(r)) and bool(b.evaluate(r)))


class _Parser:
    def __init__(self, text: str, entity: Entity) -> None:
        self.text = text
        self.entity = entity
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text) and text[pos:].strip():
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise ODataError(f"Syntax error at position {pos} in '{text}'.")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        self.i = 0
        self.scopes: dict[str, Entity] = {}  # lambda variables in scope -> their items' entity

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ODataError(f"Expression expected at position {len(self.text)} in '{self.text}'.")
        self.i += 1
        return token

    def word(self, *words: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] == "name" and token[1].lower() in words:
            self.i += 1
            return token[1].lower()
        return None

    def expect(self, punct: str) -> None:
        token = self.take()
        if token != ("punct", punct):
            raise ODataError(f"'{punct}' expected at '{token[1]}' in '{self.text}'.")

    def parse(self) -> Predicate:
        node = self.or_expr()
        token = self.peek()
        if token is not None:
            raise ODataError(f"Syntax error: character '{token[1]}' is not valid in '{self.text}'.")
        if node.kind != "bool":
            raise ODataError(f"The $filter '{self.text}' must evaluate to a boolean value.")
        return node.evaluate

    def or_expr(self) -> _Node:
        node = self.and_expr()
        while self.word("or"):
            node = _either(node, self.and_expr())
        return node

    def and_expr(self) -> _Node:
        node = self.unary()
        while self.word("and"):
            node = _both(node, self.unary())
        return node

    def unary(self) -> _Node:
        if self.word("not"):
            inner = self.unary()
            return _Node("bool", lambda r: not inner.evaluate(r))
        return self.comparison()

    def comparison(self) -> _Node:
        left = self.primary()
        token = self.peek()
        if token is not None and token[0] == "name" and token[1].lower() in _UNSUPPORTED:
            raise ODataError(f"The operator '{token[1]}' is not supported.")
        op = self.word("eq", "ne", *_ORDERED)
        if op is not None:
            right = self.primary()
            norm = _normaliser(_common_kind(left.kind, right.kind, op=op))
            if op in ("eq", "ne"):
                equal = op == "eq"
                return _Node("bool", lambda r: (norm(left.evaluate(r)) == norm(right.evaluate(r))) == equal)
            ordered = _ORDERED[op]

            def compare(r: Row) -> bool:
                a, b = norm(left.evaluate(r)), norm(right.evaluate(r))
                return a is not None and b is not None and ordered(a, b)

            return _Node("bool", compare)
        if self.word("in"):
            self.expect("(")
            values: list[_Node] = []
            while True:
                values.append(self.primary())
                token = self.take()
                if token == ("punct", ")"):
                    break
                if token != ("punct", ","):
                    raise ODataError(f"',' or ')' expected in '{self.text}'.")
            norm = _normaliser(_common_kind(left.kind, *(v.kind for v in values), op="in"))
            wanted = [norm(v.evaluate({})) for v in values]
            return _Node("bool", lambda r: norm(left.evaluate(r)) in wanted)
        return left

    def primary(self) -> _Node:
        kind, text = self.take()
        if kind == "punct" and text == "(":
            inner = self.or_expr()
            self.expect(")")
            return inner
        if kind == "string":
            value = text[1:-1].replace("''", "'")
            return _Node("string", lambda r: value)
        if kind == "guid":
            guid = str(uuid.UUID(text))
            return _Node("guid", lambda r: guid)
        if kind == "datetime":
            moment = parse_time(text)
            return _Node("datetime", lambda r: moment)
        if kind == "number":
            number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
            return _Node("double" if isinstance(number, float) else "int", lambda r: number)
        if kind == "name":
            lowered = text.lower()
            if lowered in ("true", "false"):
                flag = lowered == "true"
                return _Node("bool", lambda r: flag)
            if lowered == "null":
                return _Node("null", lambda r: None)
            if self.peek() == ("punct", "("):
                return self.function(text)
            if self.peek() == ("punct", "/"):
                return self.path(text)
            prop = self.entity.field(text)
            if prop is None:
                raise ODataError(f"Could not find a property named '{text}' on type '{self.entity.name}'.")
            return _Node(self.entity.fields[prop], lambda r: r.get(prop))
        raise ODataError(f"Syntax error at '{text}' in '{self.text}'.")

    def path(self, name: str) -> _Node:
        """``var/prop`` inside a lambda, or ``coll/any(var: ...)`` / ``coll/all(...)``."""
        self.expect("/")
        if name in self.scopes:
            item = self.scopes[name]
            _, text = self.take()
            prop = item.field(text)
            if prop is None:
                raise ODataError(f"Could not find a property named '{text}' on type '{item.name}'.")
            return _Node(item.fields[prop], lambda r: (r.get(f"${name}") or {}).get(prop))
        coll = self.entity.collection(name)
        if coll is None:
            raise ODataError(f"Could not find a property named '{name}' on type '{self.entity.name}'.")
        quantifier = self.word("any", "all")
        if quantifier is None:
            raise ODataError(f"'any' or 'all' expected after '{name}/' in '{self.text}'.")
        self.expect("(")
        kind, var = self.take()
        if kind != "name":
            raise ODataError(f"A lambda variable expected after '{name}/{quantifier}(' in '{self.text}'.")
        self.expect(":")
        self.scopes[var] = self.entity.collections[coll]
        try:
            inner = self.or_expr()
        finally:
            del self.scopes[var]
        self.expect(")")
        test = any if quantifier == "any" else all

        def holds(r: Row) -> bool:
            items = r.get(coll) or []
            return test(bool(inner.evaluate({**r, f"${var}": item})) for item in items)

        return _Node("bool", holds)

    def function(self, name: str) -> _Node:
        spec = _FUNCTIONS.get(name.lower())
        if spec is None:
            raise ODataError(f"An unknown function with name '{name}' was found.")
        arity, fn, kind = spec
        self.expect("(")
        args = [self.or_expr()]
        while self.peek() == ("punct", ","):
            self.take()
            args.append(self.or_expr())
        self.expect(")")
        if len(args) != arity or any(a.kind not in ("string", "null") for a in args):
            raise ODataError(f"No function signature for the function with name '{name}' matches the arguments.")
        return _Node(kind, lambda r: fn(*(_text(a.evaluate(r)) for a in args)))


def _common_kind(*kinds: str, op: str) -> str:
    """The kind operands of ``kinds`` compare as; numbers mix, null goes with anything."""
    given = set(kinds) - {"null"}
    if given <= {"int", "double"} and given:
        return "double"
    if len(given) > 1:
        left, right = kinds[0], next(k for k in kinds[1:] if k != kinds[0])
        raise ODataError(
            "A binary operator with incompatible types was detected. Found operand types "
            f"'{_EDM.get(left, left)}' and '{_EDM.get(right, right)}' for operator kind '{op}'."
        )
    return next(iter(given), "null")


def compile_filter(text: str, entity: Entity) -> Predicate:
    """The ``$filter`` as a predicate over the entity's rows."""
    return _Parser(text, entity).parse()


def parse_orderby(text: str, entity: Entity) -> list[tuple[str, bool]]:
    """``$orderby`` as (property, descending) pairs."""
    keys = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise ODataError(f"Syntax error in $orderby '{text}'.")
        prop = entity.field(words[0])
        if prop is None:
            raise ODataError(f"Could not find a property named '{words[0]}' on type '{entity.name}'.")
        if entity.orderable is not None and prop not in entity.orderable:
            raise ODataError(
                f"Order by '{words[0]}' is not allowed. To allow it, set the 'AllowedOrderByProperties' "
                "property on EnableQueryAttribute or QueryValidationSettings."
            )
        keys.append((prop, len(words) == 2 and words[1].lower() == "desc"))
    return keys


def _int_option(options: dict[str, str], name: str) -> int | None:
    raw = options.get(f"${name}")
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ODataError(f"Invalid value '{raw}' for ${name} query option found.") from None
    if value < 0:
        raise ODataError(f"Invalid value '{raw}' for ${name} query option found: it must not be negative.")
    return value


def _sort_key(kind: str, prop: str) -> Callable[[Row], tuple[int, Any]]:
    norm = _normaliser(kind)

    def key(row: Row) -> tuple[int, Any]:
        value = norm(row.get(prop))
        return (0, "") if value is None else (1, value)  # missing first, as SQL sorts NULL

    return key


def apply_query(items: list[Row], query: Mapping[str, list[str]], entity: Entity) -> list[Row]:
    """``items`` filtered by ``$filter``, ordered by ``$orderby`` (or the entity's default order),
    then ``$skip`` and ``$top`` (or the entity's default top) applied. Raises :class:`ODataError`."""
    options = {k.lower(): v[-1] for k, v in query.items() if k.startswith("$")}
    top = _int_option(options, "top")
    if top is not None and entity.max_top is not None and top > entity.max_top:
        raise ODataError(
            f"The limit of '{entity.max_top}' for Top query has been exceeded. "
            f"The value from the incoming request is '{top}'."
        )
    skip = _int_option(options, "skip") or 0
    text = options.get("$filter", "").strip()
    predicate = compile_filter(text, entity) if text else None
    order_text = options.get("$orderby", "").strip() or entity.default_orderby
    order = parse_orderby(order_text, entity) if order_text else []
    rows = [r for r in items if predicate is None or predicate(r)]
    for prop, descending in reversed(order):
        rows.sort(key=_sort_key(entity.fields[prop], prop), reverse=descending)
    limit = top if top is not None else entity.default_top
    return rows[skip:] if limit is None else rows[skip : skip + limit]
