"""What changed between two versions of the WATS API, from a client's point of view.

Both sides are surface snapshots (see :mod:`.surface`). Each change is reported once, where it
happens: an operation change at the operation, a change inside a named schema at the schema,
with every operation that reaches the schema through ``$ref``s (recursion-safe). Severity is
judged from the client's side:

* breaking: operation removed; parameter added as required, removed, or its type or location
  changed; request body added as required or removed; request property removed or made
  required; response property removed or its type changed; request enum value removed;
  referenced type changed;
* non-breaking: operation, optional parameter, response property or request enum value added,
  parameters or properties made optional, response enum values changed (pywats's models do not
  close enums), format refinements that keep the Python type.

A removed and an added operation, parameter or property of the same shape (each the other's
only match) are reported once, as a probable rename.

Facade impact (``Change.facade``) comes from the table of :class:`OperationUse` the caller passes
(``pywats.operations.facade_operations()`` in :mod:`.diff`; the client builds its own from its class):
a change hits a pywats method only if the method calls the operation and, for a parameter change,
sends the parameter (required ones always, optional query parameters if the method declares them).

This module reads plain data only, so the facade can use it without importing the tools above it.

Documentation is not in the snapshot, so documentation-only changes never show up.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..core.binding import OperationUse

__all__ = [
    "BREAKING",
    "NON_BREAKING",
    "Change",
    "DiffReport",
    "FacadeTable",
    "OperationUse",
    "compare_surfaces",
    "facade_index",
]

BREAKING = "breaking"
NON_BREAKING = "non-breaking"
JSON = dict[str, Any]
# Formats that change the Python type the generated client produces.
_TYPED_FORMATS = {"date-time", "date", "uuid", "binary", "byte"}


# "service.method" → the operations it calls (``pywats.operations.facade_operations()``).
FacadeTable = Mapping[str, Sequence[OperationUse]]
# "METHOD /path-lowercased" → (facade method, how it uses that operation)
_FacadeIndex = Mapping[str, Sequence[tuple[str, OperationUse]]]


@dataclass(frozen=True)
class Change:
    """One change, reported where it happens; ``facade`` lists the pywats methods it really hits."""

    api: str  # "public" or "internal"
    severity: str  # BREAKING or NON_BREAKING
    location: str  # "GET /api/App/Processes" or "schema Name"
    detail: str
    operations: tuple[str, ...] = ()
    facade: tuple[str, ...] = ()
    hint: str | None = None

    @property
    def loud(self) -> bool:
        """A breaking change to an internal operation the facade itself uses."""
        return self.severity == BREAKING and self.api == "internal" and bool(self.facade)


@dataclass
class DiffReport:
    """The changes between two API versions, per API (``public``, ``internal``)."""

    changes: list[Change] = field(default_factory=list)
    # APIs present on both sides, and why each other API was not compared ("only in OLD").
    compared: tuple[str, ...] = ("public", "internal")
    not_compared: dict[str, str] = field(default_factory=dict)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.severity == BREAKING]

    @property
    def exit_code(self) -> int:
        """0: no change, 1: only non-breaking changes, 2: at least one breaking change, 3: nothing compared."""
        if not self.compared:
            return 3
        if not self.changes:
            return 0
        return 2 if self.breaking else 1

    def _skipped(self) -> str:
        return "; ".join(f"{api} API not compared ({why})" for api, why in sorted(self.not_compared.items()))

    def summary(self) -> str:
        skipped = self._skipped()
        if not self.compared:
            return f"nothing compared: {skipped}" if skipped else "nothing compared"
        if not self.changes:
            return "no API changes" + (f"; {skipped}" if skipped else "")
        parts = []
        for api in ("public", "internal"):
            mine = [c for c in self.changes if c.api == api]
            if mine:
                b = sum(1 for c in mine if c.severity == BREAKING)
                parts.append(f"{api}: {b} breaking, {len(mine) - b} non-breaking")
        facade = sorted({m for c in self.breaking for m in c.facade})
        tail = f"; pywats methods affected: {', '.join(facade)}" if facade else "; no pywats method affected"
        return "; ".join(parts) + tail + (f"; {skipped}" if skipped else "")

    # -- rendering -------------------------------------------------------------------------

    def _ordered(self) -> list[Change]:
        rank = {True: 0, False: 1}
        return sorted(
            self.changes,
            key=lambda c: (c.api != "public", rank[c.loud], c.severity != BREAKING, c.location, c.detail),
        )

    def to_text(self) -> str:
        lines = [self.summary()]
        for api in ("public", "internal"):
            mine = [c for c in self._ordered() if c.api == api]
            if not mine:
                continue
            lines.append(f"\n{api.upper()} API")
            for c in mine:
                mark = "!!" if c.loud else ("! " if c.severity == BREAKING else "+ ")
                lines.append(f"{mark} [{c.severity}] {c.location}: {c.detail}")
                if c.hint:
                    lines.append(f"     hint: {c.hint}")
                if c.operations and c.location.startswith("schema "):
                    shown = ", ".join(c.operations[:6]) + (
                        f" (+{len(c.operations) - 6} more)" if len(c.operations) > 6 else ""
                    )
                    lines.append(f"     reaches: {shown}")
                if c.facade:
                    lines.append(f"     pywats: {', '.join(c.facade)}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(
            {
                "exit_code": self.exit_code,
                "summary": self.summary(),
                "compared": list(self.compared),
                "not_compared": self.not_compared,
                "changes": [{**asdict(c), "loud": c.loud} for c in self._ordered()],
            },
            indent=2,
        )

    def to_markdown(self) -> str:
        lines = ["## WATS API changes", "", self.summary(), ""]
        if self.changes:
            lines += ["| API | severity | where | change | pywats methods |", "| --- | --- | --- | --- | --- |"]
            for c in self._ordered():
                sev = f"**{c.severity}**" if c.severity == BREAKING else c.severity
                if c.loud:
                    sev = "🚨 " + sev
                detail = c.detail + (f" _(hint: {c.hint})_" if c.hint else "")
                cells = [c.api, sev, f"`{c.location}`", detail.replace("|", "\\|"), ", ".join(c.facade)]
                lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"


# -- schema helpers ----------------------------------------------------------------------------


def _shape(schema: Mapping[str, Any] | None) -> str:
    """The Python-relevant type of a schema: 'ref:Name', 'array<...>', 'string/uuid', 'any'."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return f"ref:{schema['$ref']}"
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema and len(schema[key]) == 1:
            return _shape(schema[key][0])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array<{_shape(schema.get('items'))}>"
    fmt = schema.get("format")
    return f"{kind}/{fmt}" if fmt in _TYPED_FORMATS else str(kind)


def _refs(schema: Any) -> Iterable[str]:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                yield node["$ref"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


class _Reach:
    """Which operations reach each named schema, in requests and in responses."""

    def __init__(self, surface: Mapping[str, Any]) -> None:
        self.schemas: Mapping[str, Any] = surface["schemas"]
        self._closure: dict[str, set[str]] = {}
        self.request: dict[str, set[str]] = {}
        self.response: dict[str, set[str]] = {}
        for key, op in surface["operations"].items():
            body = (op.get("body") or {}).get("schema")
            for name in self._reachable(body):
                self.request.setdefault(name, set()).add(key)
            for code, schema in op.get("responses", {}).items():
                if code.startswith("2"):
                    for name in self._reachable(schema):
                        self.response.setdefault(name, set()).add(key)

    def _reachable(self, schema: Any) -> set[str]:
        out: set[str] = set()
        for name in _refs(schema):
            out |= self.closure(name)
        return out

    def closure(self, name: str) -> set[str]:
        """``name`` and every schema it references, directly or not (cycles included once)."""
        if name in self._closure:
            return self._closure[name]
        seen: set[str] = set()
        todo = [name]
        while todo:
            cur = todo.pop()
            if cur in seen or cur not in self.schemas:
                continue
            seen.add(cur)
            todo.extend(_refs(self.schemas[cur]))
        self._closure[name] = seen
        return seen


def facade_index(table: FacadeTable) -> dict[str, list[tuple[str, OperationUse]]]:
    """``"METHOD /path-lowercased"`` → ``(facade method, OperationUse)`` for every use in ``table``."""
    out: dict[str, list[tuple[str, OperationUse]]] = {}
    for method_name, uses in sorted(table.items()):
        for use in uses:
            out.setdefault(use.key, []).append((method_name, use))
    return out


def _sends(use: OperationUse, params: Iterable[Mapping[str, Any]]) -> bool:
    """Whether a facade method sends the parameter (old or new version of it) on this operation.

    Required parameters are always sent; optional ones only if declared in ``use.query``.
    """
    declared = {q.lower() for q in use.query}
    return any(p.get("required") or (p.get("in") == "query" and p["name"].lower() in declared) for p in params)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _renames(
    removed: Iterable[str], added: Iterable[str], old_shape: Callable[[str], str], new_shape: Callable[[str], str]
) -> dict[str, str]:
    """Removed → added names where each is the other's only match in shape: probable renames."""
    olds: dict[str, list[str]] = {}
    news: dict[str, list[str]] = {}
    for name in removed:
        olds.setdefault(old_shape(name), []).append(name)
    for name in added:
        news.setdefault(new_shape(name), []).append(name)
    return {rs[0]: news[shape][0] for shape, rs in olds.items() if len(rs) == 1 and len(news.get(shape, ())) == 1}


def _operation_shape(op_key: str, entry: Mapping[str, Any]) -> str:
    # Path parameter names are part of the path, which is what a rename changes.
    params = [{k: v for k, v in p.items() if not (p.get("in") == "path" and k == "name")} for p in entry["parameters"]]
    return op_key.split(" ", 1)[0] + " " + _canonical({**entry, "parameters": sorted(params, key=_canonical)})


# -- the differ ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Site:
    """Where a change is found: the location shown, the operations it concerns, whether the schema
    travels in requests and/or in responses (which decides what breaks a client), and the
    parameters concerned (which limit the facade methods named to those that send them)."""

    where: str
    operations: tuple[str, ...]
    request: bool = False
    response: bool = False
    params: tuple[Mapping[str, Any], ...] = ()

    def sending(self, *params: Mapping[str, Any]) -> _Site:
        return replace(self, params=params)


class _Differ:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any], api: str, facade: _FacadeIndex):
        self.old, self.new, self.api, self.facade_map = old, new, api, facade
        self.reach_old, self.reach_new = _Reach(old), _Reach(new)
        self.changes: list[Change] = []
        self.old_keys = {self._key(k): k for k in old["operations"]}
        self.new_keys = {self._key(k): k for k in new["operations"]}

    @staticmethod
    def _key(op_key: str) -> str:
        method, path = op_key.split(" ", 1)
        return f"{method} {path.lower()}"  # ASP.NET routing ignores case

    def facade(self, operations: Iterable[str], params: Sequence[Mapping[str, Any]] = ()) -> tuple[str, ...]:
        """Facade methods that call ``operations`` and, for a parameter change, send that parameter."""
        return tuple(
            sorted(
                {
                    name
                    for op in operations
                    for name, use in self.facade_map.get(self._key(op), ())
                    if not params or _sends(use, params)
                }
            )
        )

    def add(self, severity: str, site: _Site, detail: str, hint: str | None = None) -> None:
        ops = tuple(sorted(set(site.operations)))
        self.changes.append(Change(self.api, severity, site.where, detail, ops, self.facade(ops, site.params), hint))

    def run(self) -> list[Change]:
        removed = [self.old_keys[k] for k in sorted(self.old_keys.keys() - self.new_keys.keys())]
        added = [self.new_keys[k] for k in sorted(self.new_keys.keys() - self.old_keys.keys())]
        renamed = _renames(
            removed,
            added,
            lambda k: _operation_shape(k, self.old["operations"][k]),
            lambda k: _operation_shape(k, self.new["operations"][k]),
        )
        for op in removed:
            if op in renamed:
                detail = f"operation probably renamed to {renamed[op]} (same parameters, body and responses)"
                self.add(BREAKING, _Site(op, (op, renamed[op])), detail)
            else:
                self.add(BREAKING, _Site(op, (op,)), "operation removed")
        for op in added:
            if op not in renamed.values():
                self.add(NON_BREAKING, _Site(op, (op,)), "operation added")
        for key in sorted(self.old_keys.keys() & self.new_keys.keys()):
            self.operation(self.old_keys[key], self.new_keys[key])
        for name in sorted(self.old["schemas"].keys() & self.new["schemas"].keys()):
            self.schema(name)
        return self.changes

    # -- operations --------------------------------------------------------------------------

    def operation(self, old_key: str, new_key: str) -> None:
        old, new = self.old["operations"][old_key], self.new["operations"][new_key]
        site = _Site(new_key, (new_key,), request=True)
        old_params = {p["name"].lower(): p for p in old.get("parameters", [])}
        new_params = {p["name"].lower(): p for p in new.get("parameters", [])}
        gone, came = sorted(old_params.keys() - new_params.keys()), sorted(new_params.keys() - old_params.keys())

        def shape(params: Mapping[str, Any]) -> Callable[[str], str]:
            return lambda n: _canonical({k: v for k, v in params[n].items() if k != "name"})

        renamed = _renames(gone, came, shape(old_params), shape(new_params))
        for name in gone:
            p = old_params[name]
            if name in renamed:
                q = new_params[renamed[name]]
                detail = f"parameter '{p['name']}' ({p['in']}) probably renamed to '{q['name']}' (same type)"
                self.add(BREAKING, site.sending(p, q), detail)
                continue
            hint = self._rename_hint(name, set(came) - set(renamed.values()), "parameter")
            self.add(BREAKING, site.sending(p), f"parameter '{p['name']}' ({p['in']}) removed", hint)
        for name in came:
            if name in renamed.values():
                continue
            p = new_params[name]
            if p.get("required"):
                self.add(BREAKING, site.sending(p), f"parameter '{p['name']}' ({p['in']}) added as required")
            else:
                self.add(NON_BREAKING, site.sending(p), f"optional parameter '{p['name']}' ({p['in']}) added")
        for name in sorted(old_params.keys() & new_params.keys()):
            a, b = old_params[name], new_params[name]
            label = f"parameter '{b['name']}'"
            both = site.sending(a, b)
            if a["in"] != b["in"]:
                self.add(BREAKING, both, f"{label} moved from {a['in']} to {b['in']}")
            if _shape(a) != _shape(b):
                self.add(BREAKING, both, f"{label} type changed from {_shape(a)} to {_shape(b)}")
            if a.get("required") != b.get("required"):
                sev = BREAKING if b.get("required") else NON_BREAKING
                self.add(sev, both, f"{label} is now {'required' if b.get('required') else 'optional'}")
            self.enum(both, label, a, b)
        self.body(site, old.get("body"), new.get("body"))
        self.response(replace(site, request=False, response=True), old.get("responses", {}), new.get("responses", {}))

    def body(self, site: _Site, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> None:
        if old is None and new is None:
            return
        if old is None:
            assert new is not None
            sev = BREAKING if new.get("required") else NON_BREAKING
            self.add(sev, site, f"request body added{' as required' if new.get('required') else ''}")
            return
        if new is None:
            self.add(BREAKING, site, "request body removed")
            return
        if not old.get("required") and new.get("required"):
            self.add(BREAKING, site, "request body is now required")
        self.inline(site, "request body", old.get("schema"), new.get("schema"))

    def response(self, site: _Site, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        old_ok = {c: s for c, s in old.items() if c.startswith("2")}
        new_ok = {c: s for c, s in new.items() if c.startswith("2")}
        for code in sorted(old_ok.keys() & new_ok.keys()):
            self.inline(site, f"response {code}", old_ok[code], new_ok[code])
        if old_ok and new_ok and not old_ok.keys() & new_ok.keys():
            a, b = next(iter(sorted(old_ok))), next(iter(sorted(new_ok)))
            self.add(BREAKING, site, f"success status changed from {a} to {b}")

    def inline(self, site: _Site, what: str, old: Any, new: Any) -> None:
        """Compare an operation's own (unnamed) schema; named schemas are compared once, elsewhere."""
        if _shape(old) != _shape(new):
            detail = f"{what} type changed from {_shape(old)} to {_shape(new)}"
            self.add(BREAKING, site, detail, self._ref_rename_hint(old, new))
            return
        if isinstance(old, dict) and isinstance(new, dict) and "properties" in old and "properties" in new:
            self.properties(site, what, old, new)

    # -- named schemas -----------------------------------------------------------------------

    def schema(self, name: str) -> None:
        old, new = self.old["schemas"][name], self.new["schemas"][name]
        if old == new:
            return
        requests = self.reach_old.request.get(name, set()) | self.reach_new.request.get(name, set())
        responses = self.reach_old.response.get(name, set()) | self.reach_new.response.get(name, set())
        site = _Site(f"schema {name}", tuple(requests | responses), bool(requests), bool(responses))
        if _shape(old) != _shape(new):
            self.add(BREAKING, site, f"type changed from {_shape(old)} to {_shape(new)}")
            return
        self.enum(site, "value", old, new)
        self.properties(site, "", old, new)

    def properties(self, site: _Site, what: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        prefix = f"{what} " if what else ""
        a, b = old.get("properties", {}), new.get("properties", {})
        req_a, req_b = set(old.get("required", [])), set(new.get("required", []))
        removed, added = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
        renamed = _renames(
            removed,
            added,
            lambda n: _canonical([a[n], n in req_a]),
            lambda n: _canonical([b[n], n in req_b]),
        )
        used = BREAKING if (site.request or site.response) else NON_BREAKING
        for prop in removed:
            if prop in renamed:
                self.add(used, site, f"{prefix}property '{prop}' probably renamed to '{renamed[prop]}' (same type)")
                continue
            hint = self._rename_hint(prop, set(added) - set(renamed.values()), "property")
            self.add(used, site, f"{prefix}property '{prop}' removed", hint)
        for prop in added:
            if prop in renamed.values():
                continue
            if site.request and prop in req_b:
                self.add(BREAKING, site, f"{prefix}required property '{prop}' added")
            else:
                self.add(NON_BREAKING, site, f"{prefix}property '{prop}' added")
        for prop in sorted(a.keys() & b.keys()):
            pa, pb = a[prop], b[prop]
            label = f"{prefix}property '{prop}'"
            if _shape(pa) != _shape(pb):
                detail = f"{label} type changed from {_shape(pa)} to {_shape(pb)}"
                self.add(BREAKING, site, detail, self._ref_rename_hint(pa, pb))
                continue
            if site.request and prop not in req_a and prop in req_b:
                self.add(BREAKING, site, f"{label} is now required")
            elif prop in req_a and prop not in req_b:
                self.add(NON_BREAKING, site, f"{label} is now optional")
            self.enum(site, label, pa, pb)
            if pa.get("type") == "array" and pb.get("type") == "array":
                self.enum(site, f"{label} items", pa.get("items") or {}, pb.get("items") or {})
            if "properties" in pa and "properties" in pb:
                self.properties(site, label, pa, pb)

    def enum(self, site: _Site, label: str, a: Mapping[str, Any], b: Mapping[str, Any]) -> None:
        if "enum" not in a and "enum" not in b:
            return
        ea, eb = a.get("enum") or [], b.get("enum") or []
        removed = [v for v in ea if v not in eb]
        added = [v for v in eb if v not in ea]
        if removed:
            # a client may send a value the server no longer accepts; responses just stop using it
            sev = BREAKING if site.request else NON_BREAKING
            self.add(sev, site, f"{label} enum values removed: {removed}")
        if added:
            hint = None if site.request else "pywats's generated models keep enums open, so new values parse"
            self.add(NON_BREAKING, site, f"{label} enum values added: {added}", hint)

    # -- hints ---------------------------------------------------------------------------------

    @staticmethod
    def _rename_hint(name: str, candidates: Iterable[str], what: str) -> str | None:
        pool = sorted(candidates)
        close = difflib.get_close_matches(name, pool, n=1, cutoff=0.75)
        if not close:  # same name in other casing, or one name inside the other (Name -> ProcessName)
            close = [c for c in pool if name.lower() in c.lower() or c.lower() in name.lower()][:1]
        return f"possibly renamed to {what} '{close[0]}'" if close else None

    def _ref_rename_hint(self, old: Any, new: Any) -> str | None:
        a, b = _shape(old), _shape(new)
        if a.startswith("ref:") and b.startswith("ref:"):
            sa, sb = self.old["schemas"].get(a[4:]), self.new["schemas"].get(b[4:])
            if sa is not None and sa == sb:
                return f"'{a[4:]}' and '{b[4:]}' have the same structure: likely a renamed type"
        return None


def compare_surfaces(
    old: Mapping[str, Mapping[str, Any]],
    new: Mapping[str, Mapping[str, Any]],
    facade: FacadeTable,
) -> DiffReport:
    """Diff per API (keys ``public``/``internal`` present on both sides).

    ``facade`` says which operations, and which optional query parameters, each pywats method uses.
    """
    index = facade_index(facade)
    apis = ("public", "internal")
    report = DiffReport(
        compared=tuple(api for api in apis if api in old and api in new),
        not_compared={api: f"only in {'OLD' if api in old else 'NEW'}" for api in apis if (api in old) != (api in new)},
    )
    for api in report.compared:
        report.changes += _Differ(old[api], new[api], api, index).run()
    return report
