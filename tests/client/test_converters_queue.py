"""Built-in converters, stable report ids and the queue's replace-not-add behaviour (no server needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pywats_client.converters import ConversionError, CsvConverter, WsjfConverter, report_id_for
from pywats_client.queue import ReportQueue

from .helpers import csv_text


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
