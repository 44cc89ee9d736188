"""The Analytics domain: yield, measurement statistics and unit flow computed from the stored reports.

Reports are read through the report module's query functions, as WSJF wire
dicts; missing keys are tolerated. A UUT report (``"type": "T"`` or no type) counts as one
run of unit (``pn``, ``sn``) at operation ``processCode``; its ``result`` is ``"P"``/``"Passed"``,
``"F"``/``"Failed"``, ... Nothing is canned: an empty store gives zero volume.

Alarm logs live in ``alarmLogs`` (empty unless the user's data or a test puts some there).
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from pywats._compat import UTC

from ..common import data_item, data_list, fold, iso, now, parse_time, same
from ..store import Store
from ..wire import DataError, Handler, Server, SimRequest, error
from .process import process_names
from .product import product_groups_of
from .report import check_filter, header_of, result_letter, select_uut_reports, start_of, uut_info

ALARMS = "alarmLogs"
LEVELS = "levels"
FLOW_SESSIONS = "unitFlowSessions"
SEP = "¶"
DIMENSIONS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "partNumber": lambda r: r.get("pn"),
    "productName": lambda r: r.get("productName"),
    "stationName": lambda r: r.get("machineName"),
    "location": lambda r: r.get("location"),
    "purpose": lambda r: r.get("purpose"),
    "revision": lambda r: r.get("rev"),
    "testOperation": lambda r: r.get("processName") or _text(r.get("processCode")),
    "processCode": lambda r: r.get("processCode"),
    "swFilename": lambda r: None,
    "swVersion": lambda r: None,
    "productGroup": lambda r: None,
    "level": lambda r: None,
    "period": lambda r: start_of(r).date().isoformat(),
    "batchNumber": lambda r: uut_info(r).get("batchSN"),
    "operator": lambda r: uut_info(r).get("user"),
    "fixtureId": lambda r: uut_info(r).get("fixtureId"),
    "socketIndex": lambda r: uut_info(r).get("testSocketIndex"),
    "errorCode": lambda r: uut_info(r).get("errorCode"),
    "miscInfoDescription": lambda r: next((m.get("description") for m in r.get("miscInfos") or []), None),
    "miscInfoString": lambda r: next((m.get("text") for m in r.get("miscInfos") or []), None),
    "stepCausedUutFailure": lambda r: None,
    "stepPathCausedUutFailure": lambda r: None,
    "assetSerialNumber": lambda r: None,
    "assetName": lambda r: None,
}
KPIS = (
    "unitCount fpCount spCount tpCount lpCount fpy spy tpy lpy testYieldCount testReportCount testYield "
    "firstUtc lastUtc fpFailCount spFailCount tpFailCount lpFailCount retestCount "
    "ppmFpy ppmSpy ppmTpy ppmLpy ppmTestYield"
).split()


FilterHandler = Callable[[Server, SimRequest, dict[str, Any], dict[str, Any]], tuple[int, Any]]


def _with_filter(handler: FilterHandler) -> Handler:
    """A handler of a WATS filter body: the server's 400 answer when the body does not bind."""

    def bound(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
        body = req.json()
        bad = check_filter(body)
        return bad if bad is not None else handler(sim, req, params, body)

    return bound


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _unit(r: dict[str, Any]) -> tuple[str, str]:
    """The unit a report tests (part and serial number), told apart as every domain tells keys apart."""
    return fold(r.get("pn") or ""), fold(r.get("sn") or "")


def _unit_at(r: dict[str, Any]) -> tuple[str, str, Any]:
    """The report's unit at its operation: a unit's runs there make its yield there."""
    return (*_unit(r), r.get("processCode"))


def _folded(value: Any) -> Any:
    """A group's key as the server groups: its text folded (:func:`fold`), at any depth of tuples."""
    if isinstance(value, str):
        return fold(value)
    return tuple(_folded(v) for v in value) if isinstance(value, tuple) else value


_RESULT_NAMES = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated"}


def _group_names(sim: Server, r: dict[str, Any]) -> list[str]:
    return [str(g.get("name")) for g in product_groups_of(sim.store, r.get("pn"), r.get("rev"))]


def _in_groups(sim: Server, r: dict[str, Any], wanted: Any) -> bool:
    """Whether the report's product is in one of the ``;``-separated product groups (names or ids)."""
    options = [w.strip() for w in str(wanted).split(";") if w.strip()]
    if not options:
        return True
    groups = product_groups_of(sim.store, r.get("pn"), r.get("rev"))
    return any(same(g.get("name"), o) or same(g.get("id"), o) for g in groups for o in options)


def _misc_value(r: dict[str, Any], wanted: Any) -> bool:
    return any(same(m.get("text"), wanted) for m in r.get("miscInfos") or [] if isinstance(m, dict))


def _select(
    sim: Server, body: dict[str, Any], *, default_days: int | None = 30, kind: str = "T"
) -> list[dict[str, Any]]:
    """The reports a WATS filter selects (oldest first), its product group and misc value included."""
    found = select_uut_reports(sim.store, body, default_days=default_days, kind=kind)
    if body.get("productGroup"):
        found = [r for r in found if _in_groups(sim, r, body["productGroup"])]
    if body.get("miscValue"):
        found = [r for r in found if _misc_value(r, body["miscValue"])]
    return found


def _yield_row(runs_by_unit: dict[Any, list[dict[str, Any]]]) -> dict[str, Any]:
    units = list(runs_by_unit.values())
    n = len(units)
    passed_by = [sum(1 for runs in units if any(result_letter(r) == "P" for r in runs[:k])) for k in (1, 2, 3)]
    lp = sum(1 for runs in units if result_letter(runs[-1]) == "P")
    reports = [r for runs in units for r in runs]
    test_passed = sum(1 for r in reports if result_letter(r) == "P")

    def ratio(count: int, total: int) -> float | None:
        return count / total if total else None

    def ppm(count: int, total: int) -> float | None:
        return (1 - count / total) * 1e6 if total else None

    fp, sp, tp = passed_by
    times = [start_of(r) for r in reports]
    return {
        "unitCount": n,
        "fpCount": fp,
        "spCount": sp,
        "tpCount": tp,
        "lpCount": lp,
        "fpy": ratio(fp, n),
        "spy": ratio(sp, n),
        "tpy": ratio(tp, n),
        "lpy": ratio(lp, n),
        "testYieldCount": test_passed,
        "testReportCount": len(reports),
        "testYield": ratio(test_passed, len(reports)),
        "firstUtc": iso(min(times)) if times else None,
        "lastUtc": iso(max(times)) if times else None,
        "fpFailCount": n - fp,
        "spFailCount": n - sp,
        "tpFailCount": n - tp,
        "lpFailCount": n - lp,
        "retestCount": len(reports) - n,
        "ppmFpy": ppm(fp, n),
        "ppmSpy": ppm(sp, n),
        "ppmTpy": ppm(tp, n),
        "ppmLpy": ppm(lp, n),
        "ppmTestYield": ppm(test_passed, len(reports)),
    }


def _sort_key(name: str) -> Callable[[dict[str, Any]], tuple[bool, str, float]]:
    def key(row: dict[str, Any]) -> tuple[bool, str, float]:
        value = row.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return False, "", float(value)
        return value is None, "" if value is None else str(value), 0.0

    return key


Parsed = tuple[list[str], list[str], list[tuple[str, bool]]]


def _dimensions(spec: Any, dimensions: Iterable[str], kpis: Iterable[str]) -> Parsed | tuple[int, Any]:
    """``"unitCount desc;partNumber"``: the dimensions, the kpis and the order (name, descending)
    they name, or the server's 400 answer. Dimensions order the rows; kpis only with a hint."""
    dims: list[str] = []
    wanted: list[str] = []
    order: list[tuple[str, bool]] = []
    for item in str(spec).split(";"):
        words = item.split()
        if not words:
            continue
        name, hint = words[0], (words[1].lower() if len(words) > 1 else None)
        if len(words) > 2 or hint not in (None, "asc", "desc"):
            return error(400, f"Invalid dimension '{item.strip()}'.")
        if name in dimensions:
            dims.append(name)
        elif name in kpis:
            wanted.append(name)
        else:
            return error(400, f"Unknown dimension or kpi '{name}'.")
        if hint is not None or name in dimensions:
            order.append((name, hint == "desc"))
    return dims, wanted, order


@_with_filter
def _dynamic_yield(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    spec = params.get("dimensions") or body.get("dimensions") or "partNumber;testOperation"
    parsed = _dimensions(spec, DIMENSIONS, KPIS)
    if isinstance(parsed[0], int):
        return parsed
    dims, kpis, order = parsed
    with sim.store.lock:
        reports = _select(sim, body)
    groups: dict[Any, dict[Any, list[dict[str, Any]]]] = {}
    shown: dict[Any, tuple[Any, ...]] = {}  # a group's values as its first report spells them
    for r in reports:
        values = tuple(DIMENSIONS[d](r) for d in dims)
        key = _folded(values)
        shown.setdefault(key, values)
        groups.setdefault(key, {}).setdefault(_unit_at(r), []).append(r)
    rows = []
    for key, units in groups.items():
        row = _yield_row(units)
        if kpis:
            row = {k: row[k] for k in kpis}
        row.update(zip(dims, shown[key], strict=True))
        rows.append(row)
    for name, descending in reversed(order):
        rows.sort(key=_sort_key(name), reverse=descending)
    if body.get("topCount"):
        rows = rows[: int(body["topCount"])]
    return 200, rows


# -- measurements ---------------------------------------------------------------------------------


def _walk(step: dict[str, Any], parents: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """(path, step) of ``step`` and of every step under it, the path naming each step from the root."""
    path = (*parents, str(step.get("name") or ""))
    yield path, step
    for child in step.get("steps") or []:
        if isinstance(child, dict):
            yield from _walk(child, path)


def _numeric_steps(step: dict[str, Any], parents: tuple[str, ...]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(step path, step name, measurement) of every numeric measurement under ``step``."""
    for path, found in _walk(step, parents):
        measurements = found.get("numericMeas") or []
        if not isinstance(measurements, list):
            continue
        several = len(measurements) > 1 or str(found.get("stepType") or "").endswith("MNLT")
        for m in measurements:
            if isinstance(m, dict) and isinstance(m.get("value"), int | float) and not isinstance(m["value"], bool):
                full = SEP.join(path) + (f"{SEP}{SEP}{m.get('name')}" if several and m.get("name") else "")
                yield full, path[-1], m


def _stats(path: str, name: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    values = [float(m["value"]) for m in items]
    last = items[-1]
    low, high = last.get("lowLimit"), last.get("highLimit")
    avg = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    cp = cpk = None
    if sd > 0:
        sides = [(avg - low) / (3 * sd)] if isinstance(low, int | float) else []
        sides += [(high - avg) / (3 * sd)] if isinstance(high, int | float) else []
        cpk = min(sides) if sides else None
        if isinstance(low, int | float) and isinstance(high, int | float):
            cp = (high - low) / (6 * sd)
    measurement = path.partition(SEP * 2)[2]
    return {
        "stepName": name,
        "stepPath": path,
        "measurementName": measurement or None,
        "count": len(values),
        "avg": avg,
        "min": min(values),
        "max": max(values),
        "stdev": sd,
        "cp": cp,
        "cpk": cpk,
        "lowLimit": low,
        "highLimit": high,
        "unit": last.get("unit"),
        "failCount": sum(1 for m in items if str(m.get("status") or "").upper().startswith("F")),
    }


@_with_filter
def _aggregated_measurements(
    sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]
) -> tuple[int, Any]:
    # Without a window the server looks at the last seven days.
    with sim.store.lock:
        reports = _select(sim, body, default_days=7)
    collected: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    short: dict[str, str] = {}  # the path without the root sequence's name -> the full path
    for r in reports:
        root = r.get("root")
        if isinstance(root, dict):
            for path, name, m in _numeric_steps(root, ()):
                collected.setdefault(path, (name, []))[1].append(m)
                if SEP in path:
                    short.setdefault(path.split(SEP, 1)[1], path)
    wanted = [p for p in str(params.get("measurementPaths") or "").split(";") if p.strip()]
    if wanted:
        paths = [short.get(p, p) for p in wanted]
        result = [_stats(p, *collected[p]) for p in dict.fromkeys(paths) if p in collected]
    else:
        result = sorted((_stats(p, n, items) for p, (n, items) in collected.items()), key=lambda s: -s["failCount"])
    return 200, result[:10000]


# -- unit flow --------------------------------------------------------------------------------------


def _flow(sim: Server, body: dict[str, Any], split_by: str | None, order: list[int] | None) -> dict[str, Any]:
    """The unit flow of the reports ``body`` selects: one node per operation (per operation and
    ``split_by`` value when split), the links units took between them, and each unit's visits
    (in ``order`` of unit ids when one was set)."""
    with sim.store.lock:
        reports = _select(sim, body)
        names = process_names(sim.store)
    split = DIMENSIONS[split_by] if split_by else (lambda r: None)

    def key(r: dict[str, Any]) -> tuple[Any, Any]:
        return r.get("processCode"), split(r)

    keys = sorted({key(r) for r in reports}, key=lambda k: (k[0] is None, str(k[0]), str(k[1])))
    node_id = {k: i + 1 for i, k in enumerate(keys)}
    by_unit: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in reports:
        by_unit.setdefault(_unit(r), []).append(r)
    nodes: dict[Any, dict[str, Any]] = {}
    for k in keys:
        name = names.get(k[0]) or _text(k[0]) or "?"
        nodes[k] = {
            "id": node_id[k],
            "name": name if not split_by else f"{name} ({k[1]})",
            "processCode": k[0],
            "unitCount": 0,
            "passedCount": 0,
            "failedCount": 0,
            "dwell": [],
        }
        if split_by:
            nodes[k][split_by] = k[1]
    links: dict[tuple[int | None, int], set[int]] = {}
    units: list[dict[str, Any]] = []
    for unit_id, runs in enumerate(by_unit.values(), start=1):
        pn, sn = runs[0].get("pn"), runs[0].get("sn")
        visits: list[list[dict[str, Any]]] = []
        for r in runs:  # consecutive runs at one node are one visit (retests)
            if visits and key(visits[-1][0]) == key(r):
                visits[-1].append(r)
            else:
                visits.append([r])
        seen: set[Any] = set()
        last_at: dict[Any, list[dict[str, Any]]] = {}
        previous: int | None = None
        for position, visit in enumerate(visits):
            k = key(visit[0])
            target = node_id[k]
            if k not in seen:
                nodes[k]["unitCount"] += 1
                seen.add(k)
            last_at[k] = visit
            if position + 1 < len(visits):
                gap = (start_of(visits[position + 1][0]) - start_of(visit[0])).total_seconds()
                nodes[k]["dwell"].append(gap)
            if previous is not None:
                links.setdefault((previous, target), set()).add(unit_id)
            results = [_RESULT_NAMES.get(result_letter(r), "Unknown") for r in visit]
            units.append(
                {
                    "unitId": unit_id,
                    "serialNumber": sn,
                    "partNumber": pn,
                    "source": previous,
                    "target": target,
                    "orders": [position],
                    "hasPassed": "Passed" in results,
                    "hasFailed": "Failed" in results,
                    "hasRetest": len(visit) > 1,
                    "isLast": position == len(visits) - 1,
                    "isLastPassed": position == len(visits) - 1 and results[-1] == "Passed",
                    "isOld": False,
                    "resultHistories": results,
                    "startUtc": iso(start_of(visit[0])),
                }
            )
            previous = target
        for k, visit in last_at.items():
            nodes[k]["passedCount" if result_letter(visit[-1]) == "P" else "failedCount"] += 1
    node_list = []
    for node in nodes.values():
        dwell = node.pop("dwell")
        node["avgTime"] = statistics.fmean(dwell) if dwell else None
        node_list.append(node)
    link_list = [
        {"id": i, "source": s, "target": t, "unitCount": len(ids)}
        for i, ((s, t), ids) in enumerate(sorted(links.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])), start=1)
    ]
    if order:
        rank = {unit_id: i for i, unit_id in enumerate(order)}
        units.sort(key=lambda u: rank.get(u["unitId"], len(rank)))  # stable: a unit's visits stay in order
    return {"nodes": node_list, "links": link_list, "units": units}


# The Unit Flow page keeps its state per user session: the last filter, the split and the unit
# order. The simulator's session is the credential the request came with (kept as a digest).


def _session(sim: Server, req: SimRequest) -> dict[str, Any]:
    digest = hashlib.sha256(req.header("authorization").encode()).hexdigest()
    sessions = sim.store.collection(FLOW_SESSIONS)
    for state in sessions:
        if state["session"] == digest:
            return state
    state = {"session": digest, "filter": {}, "splitBy": None, "order": None}
    sessions.append(state)
    return state


@_with_filter
def _unit_flow(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        state = _session(sim, req)
        state.update(filter=body, splitBy=None, order=None)  # a new query starts a new flow
    return 200, _flow(sim, body, None, None)


@_with_filter
def _split_by(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    dimension = str(body.get("dimensions") or "").strip() or None
    if dimension is not None and dimension not in DIMENSIONS:
        return error(400, f"Unknown dimension '{dimension}' to split the unit flow by.")
    query = {k: v for k, v in body.items() if k != "dimensions"}
    with sim.store.lock:
        state = _session(sim, req)
        query = query or state["filter"]  # nothing but the dimension: split the session's flow
        state.update(filter=query, splitBy=dimension, order=None)
    return 200, _flow(sim, query, dimension, None)


def _unit_order(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, list) or not all(isinstance(u, dict) for u in body):
        return error(400, "The request is invalid. The units must be a JSON array of unit objects.")
    order: list[int] = []
    for unit in body:
        unit_id = unit.get("unitId")
        if isinstance(unit_id, bool) or not isinstance(unit_id, int):
            return error(400, f"The request is invalid. 'unitId' {unit_id!r} is not an integer.")
        if unit_id not in order:
            order.append(unit_id)
    with sim.store.lock:
        state = _session(sim, req)
        state["order"] = order
        query, split = state["filter"], state["splitBy"]
    return 200, _flow(sim, query, split, order)["units"]


def _flow_part(part: str) -> Handler:
    """``GET /api/internal/UnitFlow/<part>``: that part of the session's current flow. ``filter``
    is a WATS filter as JSON; empty (or ``{}``) keeps the session's own."""

    def handler(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
        text = str(params.get("filter") or "").strip()
        try:
            given = json.loads(text) if text else {}
        except ValueError:
            return error(400, f"The request is invalid. 'filter' is not a JSON filter: {text[:80]!r}.")
        bad = check_filter(given)
        if bad:
            return bad
        with sim.store.lock:
            state = _session(sim, req)
            if given:
                state.update(filter=given, order=None)
            query, split, order = state["filter"], state["splitBy"], state["order"]
        return 200, _flow(sim, query, split, order)[part]

    return handler


def _serial_numbers(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    if not isinstance(body, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in body):
        return error(400, "The request is invalid. The unit ids must be a JSON array of integers.")
    with sim.store.lock:
        state = _session(sim, req)
        query, split = state["filter"], state["splitBy"]
    units = {u["unitId"]: u for u in _flow(sim, query, split, None)["units"]}
    return 200, [
        {"unitId": i, "serialNumber": units[i]["serialNumber"], "partNumber": units[i]["partNumber"]}
        for i in dict.fromkeys(body)
        if i in units
    ]


# -- yield lists ------------------------------------------------------------------------------------


Group = tuple[tuple[str, Any], ...]  # (dimension, value) pairs


def _yield_rows(
    reports: list[dict[str, Any]], key: Callable[[dict[str, Any]], Iterable[Group]]
) -> list[dict[str, Any]]:
    """One yield row per group ``key`` puts a report in; a report counts in each of its groups
    (a product may be in several product groups)."""
    groups: dict[Any, dict[Any, list[dict[str, Any]]]] = {}
    shown: dict[Any, Group] = {}  # a group as its first report spells it
    for r in reports:
        for group in key(r):
            folded = _folded(group)
            shown.setdefault(folded, group)
            groups.setdefault(folded, {}).setdefault(_unit_at(r), []).append(r)
    return [{**_yield_row(units), **dict(shown[folded])} for folded, units in groups.items()]


def _by_product(r: dict[str, Any]) -> Iterable[Group]:
    return [(("partNumber", r.get("pn")), ("productName", r.get("productName")), ("revision", r.get("rev")))]


def _yield_list(by_group: bool, rank: str) -> Handler:
    """``POST /api/App/{VolumeYield,HighVolume,WorstYield}[ByProductGroup]``: yield per product (or
    product group) of the last ``periodCount`` days; ``rank`` orders it (``volume``: most units
    first, ``worst``: lowest first-pass yield first, ``product``: by name), ``minCount`` drops small
    groups and ``topCount`` cuts the list."""

    @_with_filter
    def handler(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
        with sim.store.lock:
            reports = _select(sim, body)
            if by_group:
                memberships = {id(r): _group_names(sim, r) for r in reports}
                rows = _yield_rows(reports, lambda r: [(("productGroup", g),) for g in memberships[id(r)]])
            else:
                rows = _yield_rows(reports, _by_product)
        name = "productGroup" if by_group else "partNumber"
        rows.sort(key=lambda row: str(row[name]))
        if rank == "volume":
            rows.sort(key=lambda row: -row["unitCount"])
        elif rank == "worst":
            rows.sort(key=lambda row: row["fpy"] if row["fpy"] is not None else 2.0)
        if body.get("minCount"):
            rows = [row for row in rows if row["unitCount"] >= int(body["minCount"])]
        return 200, rows[: int(body["topCount"])] if body.get("topCount") else rows

    return handler


def _days_filter(params: dict[str, Any]) -> dict[str, Any]:
    """The WATS filter the GET forms of the App lists spell as query parameters."""
    wanted = {
        "partNumber": params.get("partNumber"),
        "testOperation": params.get("processCode"),
        "productGroup": params.get("productGroupId"),
        "level": params.get("levelId"),
        "periodCount": params.get("days"),
        "topCount": params.get("count"),
    }
    return {k: v for k, v in wanted.items() if v not in (None, "")}


def _get_form(post: Handler) -> Handler:
    """The GET form of a POST list operation: its query parameters as the WATS filter."""

    def handler(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
        body = json.dumps(_days_filter(params)).encode()
        return post(sim, SimRequest(req.method, req.path, req.query, req.headers, body), params)

    return handler


# -- steps: top failed, step analysis, measurement and status lists ----------------------------------


def _executions(reports: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], str, dict[str, Any]]]:
    """(report, step path, step) of every step that is not a sequence call, in every report."""
    for r in reports:
        root = r.get("root")
        if isinstance(root, dict):
            for path, step in _walk(root):
                if len(path) > 1 and not step.get("steps"):
                    yield r, SEP.join(path), step


def _step_row(path: str, step: dict[str, Any]) -> dict[str, Any]:
    return {"stepName": step.get("name"), "stepPath": path, "stepType": step.get("stepType")}


def _step_filter(path: str, step: dict[str, Any]) -> str:
    name = quoteattr(str(step.get("name") or ""))
    return f"<StepFilters><Step StepPath={quoteattr(path)} StepName={name} /></StepFilters>"


def _sequence_filter(path: str) -> str:
    return f"<SequenceFilters><Sequence Name={quoteattr(path.split(SEP)[0])} /></SequenceFilters>"


@_with_filter
def _top_failed(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    """The steps that failed most often in the reports the filter selects, most failures first."""
    with sim.store.lock:
        reports = _select(sim, body)
    counts: dict[str, dict[str, Any]] = {}
    for _, path, step in _executions(reports):
        row = counts.setdefault(
            path,
            {
                **_step_row(path, step),
                "stepGroup": step.get("group"),
                "failCount": 0,
                "totalCount": 0,
                "stepFilter": _step_filter(path, step),
                "sequenceFilter": _sequence_filter(path),
            },
        )
        row["totalCount"] += 1
        row["failCount"] += str(step.get("status") or "").upper().startswith("F")
    rows = sorted((r for r in counts.values() if r["failCount"]), key=lambda r: (-r["failCount"], r["stepPath"]))
    return 200, rows[: int(body.get("topCount") or 10)]


def _runs(reports: list[dict[str, Any]], run: int) -> list[dict[str, Any]]:
    """The reports of run ``run`` of each unit at each operation (1 first, 2, 3; -1 last, -2 all)."""
    if run == -2:
        return reports
    by_unit: dict[Any, list[dict[str, Any]]] = {}
    for r in reports:
        by_unit.setdefault(_unit_at(r), []).append(r)
    index = -1 if run == -1 else run - 1
    return [runs[index] for runs in by_unit.values() if -len(runs) <= index < len(runs)]


@_with_filter
def _test_step_analysis(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    """Per step: how often it ran, passed and failed; per numeric measurement, its statistics."""
    if not body.get("partNumber") or not body.get("testOperation"):
        return error(400, "partNumber and testOperation filter required")
    run = body.get("run", 1)
    if run not in (1, 2, 3, -1, -2):
        return error(400, f"The request is invalid. 'run' {run!r} is not 1, 2, 3, -1 or -2.")
    with sim.store.lock:
        reports = _runs(_select(sim, body), run)[-int(body.get("maxCount") or 10000) :]
    steps: dict[str, dict[str, Any]] = {}
    numeric: dict[str, list[dict[str, Any]]] = {}
    for _, path, step in _executions(reports):
        row = steps.setdefault(
            path,
            {
                **_step_row(path, step),
                "stepCount": 0,
                "passedCount": 0,
                "failedCount": 0,
                "otherCount": 0,
            },
        )
        row["stepCount"] += 1
        letter = str(step.get("status") or "?")[:1].upper()
        row["passedCount" if letter == "P" else "failedCount" if letter == "F" else "otherCount"] += 1
        for m in step.get("numericMeas") or []:
            if isinstance(m, dict) and isinstance(m.get("value"), int | float) and not isinstance(m["value"], bool):
                numeric.setdefault(path, []).append(m)
    for path, items in numeric.items():
        stats = _stats(path, steps[path]["stepName"], items)
        steps[path].update({k: stats[k] for k in ("avg", "min", "max", "stdev", "cp", "cpk", "lowLimit", "highLimit")})
    return 200, list(steps.values())


def _measurement_rows(sim: Server, body: dict[str, Any], wanted: list[str]) -> list[dict[str, Any]]:
    """Every numeric measurement value of the reports ``body`` selects, newest first."""
    with sim.store.lock:
        reports = _select(sim, body, default_days=7)
    rows = []
    for r in reversed(reports):
        root = r.get("root")
        if not isinstance(root, dict):
            continue
        for path, name, m in _numeric_steps(root, ()):
            if wanted and not any(path == w or path.split(SEP, 1)[-1] == w for w in wanted):
                continue
            rows.append(
                {
                    "serialNumber": r.get("sn"),
                    "partNumber": r.get("pn"),
                    "revision": r.get("rev"),
                    "reportId": r.get("id"),
                    "startUtc": iso(start_of(r)),
                    "stepName": name,
                    "stepPath": path,
                    "measurementName": m.get("name"),
                    "value": m.get("value"),
                    "lowLimit": m.get("lowLimit"),
                    "highLimit": m.get("highLimit"),
                    "unit": m.get("unit"),
                    "status": _RESULT_NAMES.get(str(m.get("status") or "?")[:1].upper(), m.get("status")),
                }
            )
    return rows[:10000]


@_with_filter
def _measurements(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    wanted = [p for p in str(params.get("measurementPaths") or "").split(";") if p.strip()]
    return 200, _measurement_rows(sim, body, wanted)


def _filters(params: dict[str, Any]) -> tuple[list[str], list[str]] | tuple[int, Any]:
    """The step paths and sequence names of ``stepFilters``/``sequenceFilters`` (as TopFailed gives them)."""
    found: list[list[str]] = [[], []]
    for i, (name, attribute) in enumerate((("stepFilters", "StepPath"), ("sequenceFilters", "Name"))):
        text = str(params.get(name) or "").strip()
        if not text:
            continue
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError:
            return error(400, f"The request is invalid. '{name}' is not an XML filter: {text[:80]!r}.")
        found[i] = [e.attrib[attribute] for e in root.iter() if attribute in e.attrib]
    return found[0], found[1]


def _step_list(values: bool) -> Handler:
    """``/api/internal/App/{MeasurementList,StepStatusList}``: each execution of the filtered steps
    (its measurements when ``values``, its status otherwise), newest first. The GET form takes
    ``productGroupId``, ``levelId`` and ``days`` instead of a filter body."""

    def handler(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
        body = req.json() if req.method == "POST" else _days_filter(params)
        bad = check_filter(body)
        if bad:
            return bad
        chosen = _filters(params)
        if isinstance(chosen[0], int):
            return chosen
        paths, sequences = chosen
        with sim.store.lock:
            reports = _select(sim, body)
        rows: list[dict[str, Any]] = []
        for r, path, step in _executions(list(reversed(reports))):
            if (paths and path not in paths) or (sequences and path.split(SEP)[0] not in sequences):
                continue
            row = {
                "serialNumber": r.get("sn"),
                "partNumber": r.get("pn"),
                "revision": r.get("rev"),
                "reportId": r.get("id"),
                "startUtc": iso(start_of(r)),
                **_step_row(path, step),
                "status": _RESULT_NAMES.get(str(step.get("status") or "?")[:1].upper(), step.get("status")),
            }
            if not values:
                rows.append(row)
                continue
            for m in step.get("numericMeas") or []:
                if isinstance(m, dict):
                    rows.append(
                        {
                            **row,
                            "measurementName": m.get("name"),
                            "value": m.get("value"),
                            "lowLimit": m.get("lowLimit"),
                            "highLimit": m.get("highLimit"),
                            "unit": m.get("unit"),
                        }
                    )
        return 200, rows

    return handler


# -- OEE ------------------------------------------------------------------------------------------


@_with_filter
def _oee(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    """Overall equipment effectiveness of the selected test runs: availability (test time of the
    available hours), performance (units a day against ``targetOutput``) and quality (runs passed)."""
    try:
        hours = [float(h) for h in str(params["availableTime"]).split(",")]
    except ValueError:
        hours = []
    if len(hours) != 7 or any(not 0 <= h <= 24 for h in hours):
        given = params["availableTime"]
        return error(400, f"availableTime must be 7 comma-separated hours 0-24 (Monday first): {given!r}")
    with sim.store.lock:
        reports = _select(sim, body, default_days=7)
    low, high = params.get("minExecutionTime"), params.get("maxExecutionTime")

    def exec_time(r: dict[str, Any]) -> float:
        value = uut_info(r).get("execTime")
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0

    reports = [r for r in reports if (low is None or exec_time(r) >= low) and (high is None or exec_time(r) <= high)]
    end = parse_time(body.get("dateTo")) or now()
    start = parse_time(body.get("dateFrom")) or end - timedelta(days=int(body.get("periodCount") or 7))
    available = 0.0
    day = start
    while day < end:
        step = min(end, (day + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))
        available += hours[day.weekday()] * 3600.0 * (step - day).total_seconds() / 86400.0
        day = step
    used = sum(exec_time(r) for r in reports)
    passed = sum(1 for r in reports if result_letter(r) == "P")
    units = len({_unit(r) for r in reports})
    days = max((end - start).total_seconds() / 86400.0, 1e-9)
    availability = min(used / available, 1.0) if available else 0.0
    target = params.get("targetOutput")
    performance = min(units / days / target, 1.0) if target else 1.0
    quality = passed / len(reports) if reports else 0.0
    return 200, {
        "availability": availability,
        "performance": performance,
        "quality": quality,
        "oee": availability * performance * quality,
        "availableTime": available,
        "executionTime": used,
        "reportCount": len(reports),
        "passedCount": passed,
        "unitCount": units,
        "dateFrom": iso(start),
        "dateTo": iso(end),
    }


# -- report lists and repairs ----------------------------------------------------------------------


def _report_list(kind: str) -> Handler:
    """``POST /api/App/UutReport`` (``kind`` T) / ``UurReport`` (R): the headers of the newest
    reports the filter selects, at most ``topCount`` (1000 unless given)."""

    @_with_filter
    def handler(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
        with sim.store.lock:
            reports = list(reversed(_select(sim, body, default_days=None, kind=kind)))
        rows = []
        for r in reports[: int(body.get("topCount") or 1000)]:
            header = header_of(r, 0)
            header.pop("timeStamp", None)
            header["start"] = iso(start_of(r))
            rows.append(header)
        return 200, rows

    return handler


def _uur_failures(r: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**f, "sn": sub.get("sn"), "pn": sub.get("pn")}
        for sub in r.get("subUnits") or []
        if isinstance(sub, dict)
        for f in sub.get("failures") or []
        if isinstance(f, dict)
    ]


REPAIR_DIMENSIONS: dict[str, Callable[[dict[str, Any], dict[str, Any], dict[Any, Any]], Any]] = {
    "partNumber": lambda r, f, n: r.get("pn"),
    "revision": lambda r, f, n: r.get("rev"),
    "productName": lambda r, f, n: r.get("productName"),
    "repairOperation": lambda r, f, n: r.get("processName") or n.get(r.get("processCode")),
    "testOperation": lambda r, f, n: n.get((r.get("uur") or {}).get("processCode")),
    "period": lambda r, f, n: start_of(r).date().isoformat(),
    "stationName": lambda r, f, n: r.get("machineName"),
    "location": lambda r, f, n: r.get("location"),
    "purpose": lambda r, f, n: r.get("purpose"),
    "operator": lambda r, f, n: (r.get("uur") or {}).get("user"),
    "repairCode": lambda r, f, n: f.get("code"),
    "repairCategory": lambda r, f, n: f.get("category"),
    "componentRef": lambda r, f, n: f.get("comRef"),
    "miscInfoDescription": lambda r, f, n: next((m.get("description") for m in r.get("miscInfos") or []), None),
    "miscInfoString": lambda r, f, n: next((m.get("text") for m in r.get("miscInfos") or []), None),
}
REPAIR_DIMENSIONS_UNKNOWN = (
    "productGroup unitType level repairType componentNumber componentRevision componentVendor componentDescription "
    "functionBlock referencedStep referencedStepPath testPeriod testLevel testStationName testLocation testPurpose "
    "testOperator batchNumber swFilename swVersion"
).split()


@_with_filter
def _dynamic_repair(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    """Repair counts (``repairReportCount``: repair reports, ``repairCount``: failures repaired)
    grouped by the requested dimensions, from the stored repair (UUR) reports."""
    spec = (
        params.get("dimensions")
        or body.get("dimensions")
        or ("repairCount desc;repairReportCount desc;partNumber;repairOperation")
    )
    parsed = _dimensions(spec, [*REPAIR_DIMENSIONS, *REPAIR_DIMENSIONS_UNKNOWN], ("repairCount", "repairReportCount"))
    if isinstance(parsed[0], int):
        return parsed
    dims, _, order = parsed
    with sim.store.lock:
        reports = _select(sim, body, kind="R")
        names = process_names(sim.store)
    groups: dict[Any, tuple[set[Any], list[dict[str, Any]]]] = {}
    shown: dict[Any, tuple[Any, ...]] = {}  # a group's values as its first report spells them
    for r in reports:
        for f in _uur_failures(r) or [{}]:
            values = tuple(REPAIR_DIMENSIONS[d](r, f, names) if d in REPAIR_DIMENSIONS else None for d in dims)
            key = _folded(values)
            shown.setdefault(key, values)
            ids, repairs = groups.setdefault(key, (set(), []))
            ids.add(r.get("id"))
            if f:
                repairs.append(f)
    rows = [
        {**dict(zip(dims, shown[key], strict=True)), "repairReportCount": len(ids), "repairCount": len(repairs)}
        for key, (ids, repairs) in groups.items()
    ]
    for name, descending in reversed(order):
        rows.sort(key=_sort_key(name), reverse=descending)
    return 200, rows[: int(body.get("topCount") or 10)]


def _related_repair_history(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    """The failures repaired on units of this part number and revision, newest first."""
    wanted = {"partNumber": params["partNumber"], "revision": params["revision"]}
    with sim.store.lock:
        reports = _select(sim, wanted, default_days=None, kind="R")
        names = process_names(sim.store)
    rows = []
    for r in reversed(reports):
        info = r.get("uur") or {}
        repair_code, test_code = params.get("repairOperationCode"), params.get("testOperationCode")
        if (repair_code and not same(r.get("processCode"), repair_code)) or (
            test_code and not same(info.get("processCode"), test_code)
        ):
            continue
        for f in _uur_failures(r):
            rows.append(
                {
                    "serialNumber": r.get("sn"),
                    "partNumber": r.get("pn"),
                    "revision": r.get("rev"),
                    "reportId": r.get("id"),
                    "repairDate": iso(start_of(r)),
                    "repairOperation": r.get("processName") or names.get(r.get("processCode")),
                    "testOperation": names.get(info.get("processCode")),
                    "repairCategory": f.get("category"),
                    "repairCode": f.get("code"),
                    "componentRef": f.get("comRef"),
                    "subUnitSerialNumber": f.get("sn"),
                    "subUnitPartNumber": f.get("pn"),
                }
            )
    return 200, rows


# -- levels -----------------------------------------------------------------------------------------

DEFAULT_LEVELS = [{"levelId": 1, "levelName": "Production"}, {"levelId": 2, "levelName": "Development"}]


def _levels(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    with sim.store.lock:
        return 200, [dict(level) for level in sim.store.collection(LEVELS)]


def seed() -> dict[str, list[dict[str, Any]]]:
    """The levels (client groups) stations report under."""
    return {LEVELS: DEFAULT_LEVELS}


# -- alarm logs -------------------------------------------------------------------------------------


@_with_filter
def _alarm_logs(sim: Server, req: SimRequest, params: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
    types: set[int] | None = None
    if params.get("includeTypes"):
        try:
            types = {int(t) for t in str(params["includeTypes"]).split(";") if t.strip()}
        except ValueError:
            return error(400, f"The request is invalid. includeTypes {params['includeTypes']!r} is not a list of ids.")
    start, end = parse_time(body.get("dateFrom")), parse_time(body.get("dateTo"))
    with sim.store.lock:
        logs = [dict(a) for a in sim.store.collection(ALARMS)]
    found = []
    for log in logs:
        when = parse_time(log.get("logDate"))
        if types is not None and log.get("type") not in types:
            continue
        if when is not None and ((start and when < start) or (end and when > end)):
            continue
        found.append(log)
    found.sort(key=lambda a: parse_time(a.get("logDate")) or datetime.min.replace(tzinfo=UTC), reverse=True)
    if not params.get("includeCalculationString"):
        for log in found:
            log.pop("calculationString", None)
    top = body.get("topCount")
    return 200, found[: int(top)] if top else found


def load(data: dict[str, Any], store: Store) -> None:
    """``alarmLogs``: alarm log entries as the server gives them (``logDate``, ``type`` 1-5, ...)."""
    logs = data_list(data, "alarmLogs")
    if logs is None:
        return
    for i, log in enumerate(logs):
        data_item("alarm log", i, log)
        if log.get("type") not in (1, 2, 3, 4, 5):
            raise DataError(f"alarm log #{i} in the simulator data: 'type' must be 1-5, not {log.get('type')!r}")
        if parse_time(log.get("logDate")) is None:
            raise DataError(f"alarm log #{i} in the simulator data: 'logDate' must be an ISO date-time")
    store.seed(ALARMS, logs)


_VOLUME_YIELD = _yield_list(False, "product")
_WORST_YIELD = _yield_list(False, "worst")
_HIGH_VOLUME = _yield_list(False, "volume")

ROUTES: dict[str, Handler] = {
    "POST /api/App/DynamicYield": _dynamic_yield,
    "POST /api/App/DynamicRepair": _dynamic_repair,
    "POST /api/App/AggregatedMeasurements": _aggregated_measurements,
    "POST /api/App/Measurements": _measurements,
    "POST /api/App/VolumeYield": _VOLUME_YIELD,
    "GET /api/App/VolumeYield": _get_form(_VOLUME_YIELD),
    "POST /api/App/WorstYield": _WORST_YIELD,
    "GET /api/App/WorstYield": _get_form(_WORST_YIELD),
    "POST /api/App/HighVolume": _HIGH_VOLUME,
    "GET /api/App/HighVolume": _get_form(_HIGH_VOLUME),
    "POST /api/App/WorstYieldByProductGroup": _yield_list(True, "worst"),
    "POST /api/App/HighVolumeByProductGroup": _yield_list(True, "volume"),
    "POST /api/App/TopFailed": _top_failed,
    "GET /api/App/TopFailed": _get_form(_top_failed),
    "POST /api/internal/App/TopFailed": _top_failed,
    "GET /api/internal/App/TopFailed": _get_form(_top_failed),
    "POST /api/App/TestStepAnalysis": _test_step_analysis,
    "POST /api/App/OeeAnalysis": _oee,
    "POST /api/App/UutReport": _report_list("T"),
    "POST /api/App/UurReport": _report_list("R"),
    "GET /api/App/RelatedRepairHistory": _related_repair_history,
    "GET /api/App/Levels": _levels,
    "POST /api/internal/App/MeasurementList": _step_list(True),
    "GET /api/internal/App/MeasurementList": _step_list(True),
    "POST /api/internal/App/StepStatusList": _step_list(False),
    "GET /api/internal/App/StepStatusList": _step_list(False),
    "POST /api/internal/UnitFlow": _unit_flow,
    "POST /api/internal/UnitFlow/SplitBy": _split_by,
    "POST /api/internal/UnitFlow/UnitOrder": _unit_order,
    "POST /api/internal/UnitFlow/SN": _serial_numbers,
    "GET /api/internal/UnitFlow/Nodes": _flow_part("nodes"),
    "GET /api/internal/UnitFlow/Links": _flow_part("links"),
    "GET /api/internal/UnitFlow/Units": _flow_part("units"),
    "POST /api/internal/Trigger/GetAlarmAndNotificationLogs": _alarm_logs,
}
