"""Built-in converters, stable report ids and the queue's replace-not-add behaviour (no server needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pywats.domains.report import UUTReport
from pywats_client.config import ClientConfig
from pywats_client.converters import (
    ConversionError,
    CsvConverter,
    WsjfConverter,
    WsxfConverter,
    discover,
    report_id_for,
)
from pywats_client.queue import ReportQueue
from pywats_client.state import Shared
from pywats_client.watcher import Watcher, prepare

from .helpers import csv_text, watched
from .mixed import wsxf


def test_csv_layout_becomes_a_report_with_its_steps(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(csv_text("SN-1") + "FW,string,1.2.3,1.2.3\nI,numeric,0.7,,0.5,A,\n")
    report = CsvConverter().convert(path)
    doc = report.to_wsjf()
    assert (doc["pn"], doc["sn"], doc["rev"], doc["processCode"]) == ("WIDGET-001", "SN-1", "A", 10)
    steps = report.get_root_sequence_call().steps
    assert [s.name for s in steps] == ["5V rail", "LED", "FW", "I"]
    report.finalize()
    assert [s.status for s in steps] == ["P", "P", "P", "F"] and report.result == "F"


def test_wsjf_list_keeps_given_ids_and_derives_missing_ones_stably(tmp_path: Path) -> None:
    given = "8f1c9f0e-3a0b-4c1e-9d6f-0a1b2c3d4e5f"
    path = tmp_path / "two.json"
    path.write_text(json.dumps([{"type": "T", "pn": "P", "sn": "A", "id": given}, {"type": "T", "pn": "P", "sn": "B"}]))
    first = WsjfConverter().convert(path)
    again = WsjfConverter().convert(path)
    assert str(first[0].id) == given
    assert str(first[1].id) == str(again[1].id) == report_id_for(path, path.read_bytes(), 1)
    other = tmp_path / "other.json"
    other.write_bytes(path.read_bytes())
    assert str(WsjfConverter().convert(other)[1].id) != str(first[1].id)  # another file, another report


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[]", "empty list"),
        ('{"type": "X", "pn": "P", "sn": "S"}', "'type' must be"),
        ("\xff\xfe", "not UTF-8 text"),
    ],
)
def test_wsjf_refusals_say_why(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="latin-1")
    with pytest.raises(ConversionError, match=reason):
        WsjfConverter().convert(path)


def test_queue_put_twice_replaces_and_remove_forgets(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(csv_text("SN-Q"))
    queue = ReportQueue(tmp_path / "queue")
    report = CsvConverter().convert(path)
    report.id = report_id_for(path, path.read_bytes(), 0)
    ids = queue.put_many([report], source=str(path), converter="csv")
    assert queue.put_many([report], source=str(path), converter="csv") == ids
    assert list(queue.ids()) == ids and len(queue) == 1
    entry = queue.get(ids[0])
    assert entry.to_report().sn == "SN-Q" and entry.converter == "csv"
    queue.remove(ids[0])
    queue.remove(ids[0])  # twice is harmless
    assert len(queue) == 0
    with pytest.raises(ValueError, match="id"):
        report.id = None
        queue.put_many([report], source="x", converter="csv")


def test_a_non_guid_id_is_refused_the_same_way_by_converter_and_queue(tmp_path: Path) -> None:
    path = tmp_path / "ts.json"
    path.write_text(json.dumps({"type": "T", "pn": "P", "sn": "S", "id": "TS-4711"}))
    with pytest.raises(ConversionError, match="'TS-4711' is not a GUID") as by_converter:
        WsjfConverter().convert(path)
    report = UUTReport(pn="P", sn="S", rev="A", process_code=10)
    report.id = "TS-4711"
    queue = ReportQueue(tmp_path / "queue")
    with pytest.raises(ConversionError, match="'TS-4711' is not a GUID") as by_queue:
        queue.put_many([report], source="x", converter="plugin")
    assert str(by_converter.value) == str(by_queue.value) and len(queue) == 0
    xml = tmp_path / "ts.xml"
    xml.write_text(wsxf("S", "P").replace("<Report ", '<Report ID="TS-4711" '))
    with pytest.raises(ConversionError, match="'TS-4711' is not a GUID"):
        WsxfConverter().convert(xml)


def test_the_queue_holds_the_finalized_json_that_is_sent(tmp_path: Path) -> None:
    config = ClientConfig.load(tmp_path / "config.json").with_values(station_name="ST-9", location="Hall 2")
    path = tmp_path / "r.csv"
    path.write_text(csv_text("SN-F") + "I,numeric,0.7,,0.5,A,\n")
    report = CsvConverter().convert(path)
    report.id = report_id_for(path, path.read_bytes(), 0)
    queue = ReportQueue(tmp_path / "queue")
    (rid,) = queue.put_many([prepare(report, config)], source=str(path), converter="csv")
    sent = json.loads(queue.get(rid).body())
    assert sent["result"] == "F" and sent["machineName"] == "ST-9" and sent["location"] == "Hall 2"
    assert sent == json.loads(queue.folder.joinpath(f"{rid}.report.json").read_text())["report"]


def test_an_unreadable_file_goes_aside_and_the_next_one_is_queued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, watch = watched(tmp_path)
    (watch / "a.csv").write_text(csv_text("A"))
    (watch / "b.csv").write_text(csv_text("B"))
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "a.csv":  # what chmod 000 does for anyone but root
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    queued: list[str] = []
    shared = Shared()
    queue = ReportQueue(config.queue_path)
    watcher = Watcher(config, queue, discover(None), shared, queued.extend)
    assert watcher.scan_once() == 2
    reason = (config.error_path / "a.csv.reason.txt").read_text()
    assert reason == "a.csv: the file cannot be read: permission denied (check the file's owner and mode)\n"
    assert len(queued) == 1 and queue.get(queued[0]).to_report().sn == "B"
    assert shared.last_failed_file is not None and shared.last_failed_file["name"] == "a.csv"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file holds only blank space"),
        (b'{"type": "T", "pn": "P", "sn"', "cut off"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_reasons_are_written_for_operators(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(content)
    with pytest.raises(ConversionError) as caught:
        WsjfConverter().convert(path)
    assert reason in str(caught.value) and "Expecting value" not in str(caught.value)
