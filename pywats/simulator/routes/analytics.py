"""The Analytics domain: yield, measurement statistics and unit flow computed from the stored reports.

Reports are read through the report module's query functions, as WSJF wire
dicts; missing keys are tolerated. A UUT report (``"type": "T"`` or no type) counts as one
run of unit (``pn``, ``sn``) at operation ``processCode``; its ``result`` is ``"P"``/``"Passed"``,
``"F"``/``"Failed"``, ... Nothing is canned: an empty store gives zero volume.

Alarm logs live in ``alarmLogs`` (empty unless the user's data or a test puts some there).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from pywats._compat import UTC

from ..common import data_list, iso, parse_time
from ..store import Store
from ..wire import DataError, Handler, Server, SimRequest, error
from .process import process_names
from .report import check_filter, result_letter, select_uut_reports, start_of, uut_info

ALARMS = "alarmLogs"
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


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


_RESULT_NAMES = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated"}


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


def _dynamic_yield(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    bad = check_filter(body)
    if bad:
        return bad
    spec = params.get("dimensions") or body.get("dimensions") or "partNumber;testOperation"
    dims: list[str] = []
    kpis: list[str] = []
    order: list[tuple[str, bool]] = []
    for item in str(spec).split(";"):
        words = item.split()
        if not words:
            continue
        name, hint = words[0], (words[1].lower() if len(words) > 1 else None)
        if len(words) > 2 or hint not in (None, "asc", "desc"):
            return error(400, f"Invalid dimension '{item.strip()}'.")
        if name in DIMENSIONS:
            dims.append(name)
        elif name in KPIS:
            kpis.append(name)
        else:
            return error(400, f"Unknown dimension or kpi '{name}'.")
        if hint is not None or name in DIMENSIONS:
            order.append((name, hint == "desc"))
    with sim.store.lock:
        reports = select_uut_reports(sim.store, body)
    groups: dict[tuple[Any, ...], dict[Any, list[dict[str, Any]]]] = {}
    for r in reports:
        key = tuple(DIMENSIONS[d](r) for d in dims)
        # a unit is tested per operation: its runs at one operation make its yield there
        unit = (r.get("pn"), r.get("sn"), r.get("processCode"))
        groups.setdefault(key, {}).setdefault(unit, []).append(r)
    rows = []
    for key, units in groups.items():
        row = _yield_row(units)
        if kpis:
            row = {k: row[k] for k in kpis}
        row.update(zip(dims, key, strict=True))
        rows.append(row)
    for name, descending in reversed(order):
        rows.sort(key=_sort_key(name), reverse=descending)
    if body.get("topCount"):
        rows = rows[: int(body["topCount"])]
    return 200, rows


# -- measurements ---------------------------------------------------------------------------------


def _numeric_steps(step: dict[str, Any], parents: tuple[str, ...]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(step path, step name, measurement) of every numeric measurement under ``step``."""
    name = str(step.get("name") or "")
    path = (*parents, name)
    measurements = step.get("numericMeas") or []
    if isinstance(measurements, list):
        several = len(measurements) > 1 or str(step.get("stepType") or "").endswith("MNLT")
        for m in measurements:
            if isinstance(m, dict) and isinstance(m.get("value"), int | float) and not isinstance(m["value"], bool):
                full = SEP.join(path) + (f"{SEP}{SEP}{m.get('name')}" if several and m.get("name") else "")
                yield full, name, m
    for child in step.get("steps") or []:
        if isinstance(child, dict):
            yield from _numeric_steps(child, path)


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


def _aggregated_measurements(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    bad = check_filter(body)
    if bad:
        return bad
    # Without a window the server looks at the last seven days.
    with sim.store.lock:
        reports = select_uut_reports(sim.store, body, default_days=7)
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


def _unit_flow(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    bad = check_filter(body)
    if bad:
        return bad
    with sim.store.lock:
        reports = select_uut_reports(sim.store, body)
        names = process_names(sim.store)
    codes = sorted({r.get("processCode") for r in reports}, key=lambda c: (c is None, str(c)))
    node_id = {code: i + 1 for i, code in enumerate(codes)}
    by_unit: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for r in reports:
        by_unit.setdefault((r.get("pn"), r.get("sn")), []).append(r)
    nodes: dict[Any, dict[str, Any]] = {
        code: {
            "id": node_id[code],
            "name": names.get(code) or _text(code) or "?",
            "processCode": code,
            "unitCount": 0,
            "passedCount": 0,
            "failedCount": 0,
            "dwell": [],
        }
        for code in codes
    }
    links: dict[tuple[int | None, int], set[int]] = {}
    units: list[dict[str, Any]] = []
    for unit_id, ((pn, sn), runs) in enumerate(by_unit.items(), start=1):
        visits: list[list[dict[str, Any]]] = []
        for r in runs:  # consecutive runs at one operation are one visit (retests)
            if visits and visits[-1][0].get("processCode") == r.get("processCode"):
                visits[-1].append(r)
            else:
                visits.append([r])
        seen: set[Any] = set()
        last_at: dict[Any, list[dict[str, Any]]] = {}
        previous: int | None = None
        for order, visit in enumerate(visits):
            code = visit[0].get("processCode")
            target = node_id[code]
            if code not in seen:
                nodes[code]["unitCount"] += 1
                seen.add(code)
            last_at[code] = visit
            if order + 1 < len(visits):
                gap = (start_of(visits[order + 1][0]) - start_of(visit[0])).total_seconds()
                nodes[code]["dwell"].append(gap)
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
                    "orders": [order],
                    "hasPassed": "Passed" in results,
                    "hasFailed": "Failed" in results,
                    "hasRetest": len(visit) > 1,
                    "isLast": order == len(visits) - 1,
                    "isLastPassed": order == len(visits) - 1 and results[-1] == "Passed",
                    "isOld": False,
                    "resultHistories": results,
                    "startUtc": iso(start_of(visit[0])),
                }
            )
            previous = target
        for code, visit in last_at.items():
            nodes[code]["passedCount" if result_letter(visit[-1]) == "P" else "failedCount"] += 1
    node_list = []
    for node in nodes.values():
        dwell = node.pop("dwell")
        node["avgTime"] = statistics.fmean(dwell) if dwell else None
        node_list.append(node)
    link_list = [
        {"id": i, "source": s, "target": t, "unitCount": len(ids)}
        for i, ((s, t), ids) in enumerate(sorted(links.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])), start=1)
    ]
    return 200, {"nodes": node_list, "links": link_list, "units": units}


# -- alarm logs -------------------------------------------------------------------------------------


def _alarm_logs(sim: Server, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    body = req.json()
    bad = check_filter(body)
    if bad:
        return bad
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
        if not isinstance(log, dict):
            raise DataError(f"alarm log #{i} in the simulator data must be a JSON object")
        if log.get("type") not in (1, 2, 3, 4, 5):
            raise DataError(f"alarm log #{i} in the simulator data: 'type' must be 1-5, not {log.get('type')!r}")
        if parse_time(log.get("logDate")) is None:
            raise DataError(f"alarm log #{i} in the simulator data: 'logDate' must be an ISO date-time")
    store.seed(ALARMS, logs)


ROUTES: dict[str, Handler] = {
    "POST /api/App/DynamicYield": _dynamic_yield,
    "POST /api/App/AggregatedMeasurements": _aggregated_measurements,
    "POST /api/internal/UnitFlow": _unit_flow,
    "POST /api/internal/Trigger/GetAlarmAndNotificationLogs": _alarm_logs,
}
