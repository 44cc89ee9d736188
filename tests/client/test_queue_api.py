"""GET /queue/pending, GET /queue/failed and POST /queue/retry, end to end against a running service process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pywats.simulator import Simulator
from pywats_client.control import ControlError

from .helpers import configure, csv_text, drop, service, stored_serials, wait_for

WSJF = "/api/Report/WSJF"


def test_failed_conversions_and_rejected_reports_are_listed_and_retried(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim, disabled_converters="csv")
        watch, errors = tmp_path / "watch", tmp_path / "errors"
        with service(cfg) as svc:
            api = svc.api
            assert "POST /queue/retry" in api.request("GET", "/")["endpoints"]
            assert api.request("GET", "/queue/failed") == {"items": []}

            # a file no enabled converter reads: listed with its reason
            drop(watch, "unit.csv", csv_text("RETRY-1", part="RETRY"))
            wait_for(lambda: len(api.request("GET", "/queue/failed")["items"]) == 1, 30, "the failed conversion")
            [item] = api.request("GET", "/queue/failed")["items"]
            assert item["kind"] == "conversion" and item["name"] == "unit.csv"
            assert "no enabled converter" in item["reason"] and item["failed_at"] > 0

            # a report the server refuses: listed with its id, source file and the server's reason
            sim.inject(WSJF, status=400, json={"Message": "serial number not allowed"}, times=1)
            drop(watch, "refused.json", json.dumps(_wsjf("REFUSED-1")))
            wait_for(lambda: len(api.request("GET", "/queue/failed")["items"]) == 2, 30, "the rejected report")
            rejected = next(i for i in api.request("GET", "/queue/failed")["items"] if i["kind"] == "rejected")
            assert rejected["report_id"] and rejected["source"].endswith("refused.json")
            assert "refused" in rejected["reason"] and rejected["name"].startswith(rejected["report_id"])
            assert api.request("GET", "/queue")["rejected"] == 1, rejected

            # bad retry requests change nothing
            for body, status in (
                ({"name": "nothing.csv"}, "404"),
                ({"name": "../config.json"}, "400"),
                ({"name": "unit.csv.reason.txt"}, "400"),
                ({"name": "unit.csv", "kind": "other"}, "400"),
                ({"name": "unit.csv", "kind": "rejected"}, "404"),
                (["unit.csv"], "400"),
            ):
                with pytest.raises(ControlError, match=f"HTTP {status}"):
                    api.request("POST", "/queue/retry", body)
            assert len(api.request("GET", "/queue/failed")["items"]) == 2

            # retried: the refused report is resubmitted under its own id (the fault was for one request)
            done = api.request("POST", "/queue/retry", {"name": rejected["name"]})
            assert done == {"kind": "rejected", "name": rejected["name"], "report_id": rejected["report_id"]}
            wait_for(lambda: stored_serials(sim, "RETRY") == ["REFUSED-1"], 30, "the resubmitted report")

            # the converter enabled, the failed file goes back to the watch folder and is converted this time
            api.request("POST", "/config", {"disabled_converters": []})
            api.request("POST", "/restart")
            done = api.request("POST", "/queue/retry", {"name": "unit.csv", "kind": "conversion"})
            assert done["kind"] == "conversion" and Path(done["moved_to"]).parent == watch
            wait_for(lambda: sorted(stored_serials(sim, "RETRY")) == ["REFUSED-1", "RETRY-1"], 30, "the report")
            assert api.request("GET", "/queue/failed") == {"items": []}
            assert list(errors.iterdir()) == [] and list((tmp_path / "queue" / "rejected").iterdir()) == []


def test_pending_lists_what_waits_for_the_server(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        outage = sim.inject(WSJF, status=503, times=None)
        with service(cfg) as svc:
            api = svc.api
            for i in range(3):
                drop(tmp_path / "watch", f"p{i}.csv", csv_text(f"PEND-{i}", part="PEND"))
            wait_for(lambda: api.request("GET", "/queue/pending")["total"] == 3, 30, "three queued reports")
            pending = api.request("GET", "/queue/pending")
            assert sorted(Path(i["source"]).name for i in pending["items"]) == ["p0.csv", "p1.csv", "p2.csv"]
            assert all(i["converter"] == "csv" and len(i["report_id"]) == 36 for i in pending["items"])
            assert api.request("GET", "/queue/failed") == {"items": []}  # waiting is not failing
            with sim._lock:
                sim.faults.remove(outage)
            api.request("POST", "/queue/process")
            wait_for(lambda: len(stored_serials(sim, "PEND")) == 3, 30, "the reports after the outage")
            wait_for(lambda: api.request("GET", "/queue/pending") == {"total": 0, "items": []}, 30, "an empty queue")


def _wsjf(serial: str) -> dict[str, object]:
    return {
        "type": "T",
        "pn": "RETRY",
        "sn": serial,
        "rev": "A",
        "processCode": 10,
        "result": "P",
        "machineName": "TEST-ST",
        "location": "LAB",
        "purpose": "Test",
        "start": "2025-01-01T10:00:00+00:00",
        "root": {"stepType": "SequenceCall", "name": "MainSequence", "status": "Passed"},
    }
