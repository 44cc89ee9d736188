"""One rule per concern across the simulator's domains: how keys compare, how times are written.

A WATS server is one database: a serial number, part number or name that finds a thing in one
domain finds it the same way in every other, and every domain writes times alike.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from pywats.simulator import Simulator
from pywats.simulator.common import fold, iso, now, parse_time, same
from pywats.simulator.routes.report import REPORTS

# (domain, path with {} for the key, the key as seeded, the answer's field that holds it)
LOOKUPS = [
    ("asset", "/api/Asset/{}", "DMM-001", "serialNumber"),
    ("product", "/api/Product/{}", "WIDGET-001", "partNumber"),
    ("production", "/api/Production/Unit/{}/WIDGET-001", "SN-001", "serialNumber"),
    ("software", "/api/Software/PackageByName?status=Released&name={}", "TestSequence", "name"),
]
# a blank added or the case changed: the same key; a character more: another one
ALIKE = [str.lower, str.upper, lambda k: f"{k} ", lambda k: f" {k.lower()} "]
OTHER = [lambda k: f"{k}0", lambda k: k[:-1]]


@pytest.fixture
def c(wats_simulator: Simulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Basic {wats_simulator.token}", "Referer": wats_simulator.url + "/"}
    with httpx.Client(base_url=wats_simulator.url, headers=headers) as client:
        yield client


def _get(c: httpx.Client, path: str, key: str) -> httpx.Response:
    return c.get(path.format(quote(key, safe="")))


def test_the_rule_is_trimmed_and_without_case() -> None:
    assert same("widget-001 ", "WIDGET-001") and same(" Straße", "STRASSE")
    assert not same("WIDGET-001", "WIDGET-0010") and not same("W 1", "W1")
    assert fold("  Sn-1 ") == "sn-1"


@pytest.mark.parametrize("spell", ALIKE, ids=["lower", "upper", "trailing-blank", "blanks-and-lower"])
def test_a_key_spelled_alike_finds_the_same_thing_in_every_domain(c: httpx.Client, spell: Any) -> None:
    for domain, path, key, field in LOOKUPS:
        seeded, variant = _get(c, path, key), _get(c, path, spell(key))
        assert seeded.status_code == 200, (domain, seeded.text)
        assert variant.status_code == 200, (domain, spell(key), variant.text)
        assert variant.json()[field] == seeded.json()[field] == key, domain


@pytest.mark.parametrize("spell", OTHER, ids=["longer", "shorter"])
def test_another_key_is_refused_in_every_domain(c: httpx.Client, spell: Any) -> None:
    for domain, path, key, _ in LOOKUPS:
        assert _get(c, path, spell(key)).status_code == 404, (domain, spell(key))


def test_an_odata_filter_compares_keys_as_the_lookups_do(c: httpx.Client) -> None:
    by_path = _get(c, "/api/Asset/{}", "dmm-001 ").json()
    filtered = c.get("/api/Asset", params={"$filter": "serialNumber eq 'dmm-001 '"}).json()
    assert [a["assetId"] for a in filtered] == [by_path["assetId"]]
    assert c.get("/api/Asset", params={"$filter": "serialNumber eq 'dmm-0011'"}).json() == []


def test_a_unit_spelled_differently_gets_its_one_manual_inspection(c: httpx.Client) -> None:
    mi = "/api/internal/ManualInspection/GetSequences"
    unit = {"revision": "A", "batchNumber": ""}
    first = c.get(mi, params={"serialNumber": "SN-001", "partNumber": "WIDGET-001", **unit})
    again = c.get(mi, params={"serialNumber": "sn-001 ", "partNumber": "widget-001", **unit})
    assert first.status_code == again.status_code == 200, again.text
    assert [r["uuid"] for r in first.json()] == [r["uuid"] for r in again.json()] != []


def test_an_asset_type_name_spelled_alike_is_taken(c: httpx.Client) -> None:
    answer = c.put("/api/Asset/Types", json={"typeName": "station "})
    assert answer.status_code == 409, answer.text


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z")


def test_every_domain_writes_times_in_one_format(c: httpx.Client) -> None:
    made = c.post(
        "/api/internal/ManualInspection/PostDefinition", json={"Name": "Time format check", "Description": ""}
    )
    assert made.status_code == 200, made.text
    asset = _get(c, "/api/Asset/{}", "DMM-001").json()
    headers = c.get("/api/Report/Query/Header", params={"$top": "1"}).json()
    times = {
        "manual inspection Created": made.json()["Created"],
        "manual inspection Modified": made.json()["Modified"],
        "asset lastCalibrationDate": asset["lastCalibrationDate"],
        "report header start": headers[0]["start"],
    }
    for what, text in times.items():
        assert isinstance(text, str) and _ISO.fullmatch(text), (what, text)
        moment = parse_time(text)
        assert moment is not None and iso(moment) == text, (what, text)


def _report(sn: str, result: str, hours_ago: float, pn: str = "WIDGET-001") -> dict[str, Any]:
    start = iso(now() - timedelta(hours=hours_ago))
    return {
        "type": "T", "id": str(uuid.uuid4()), "pn": pn, "sn": sn, "rev": "A", "processCode": 100,
        "processName": "ICT", "result": result, "machineName": "ICT-01", "start": start, "startUTC": start,
        "uut": {"user": "op1", "batchSN": "B1"}, "root": {"id": 1, "stepType": "WATS_SeqCall", "steps": []},
    }  # fmt: skip


def test_analytics_counts_a_serial_spelled_alike_as_one_unit(wats_simulator: Simulator, c: httpx.Client) -> None:
    wats_simulator.store.seed(REPORTS, [_report("YX-1", "Failed", 2), _report("yx-1 ", "Passed", 1)])
    found = c.get("/api/Report/Query/Header", params={"$filter": "serialNumber eq 'YX-1'"}).json()
    assert len(found) == 2  # the report domain: both are the unit's
    rows = c.post("/api/App/DynamicYield", json={"partNumber": "WIDGET-001", "dimensions": "partNumber"}).json()
    assert [(r["unitCount"], r["fpCount"], r["lpCount"]) for r in rows] == [(1, 0, 1)]


def test_analytics_groups_a_part_number_spelled_alike_as_one(wats_simulator: Simulator, c: httpx.Client) -> None:
    reports = [_report("YX-1", "Passed", 2), _report("YX-2", "Failed", 1, pn="widget-001 ")]
    wats_simulator.store.seed(REPORTS, reports)
    rows = c.post("/api/App/DynamicYield", json={"partNumber": "WIDGET-001", "dimensions": "partNumber"}).json()
    assert [(r["partNumber"], r["unitCount"], r["fpCount"]) for r in rows] == [("WIDGET-001", 2, 1)]
    volume = c.post("/api/App/VolumeYield", json={"partNumber": "WIDGET-001"}).json()
    assert [(r["partNumber"], r["unitCount"]) for r in volume] == [("WIDGET-001", 2)]
