"""What the simulator must carry exactly: a download whose name HTTP headers cannot hold as it is,
control characters and CR LF through WSXF, and an upload the client breaks off."""

from __future__ import annotations

import socket
import time
import uuid
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from pywats import pyWATS
from pywats.simulator import Simulator
from pywats.simulator.wire import SimRequest

NAME = "ñame ü 📎.bin"


def _client(sim: Simulator) -> httpx.Client:
    return httpx.Client(base_url=sim.url, headers={"Authorization": f"Basic {sim.token}"}, timeout=30)


def _report(**misc_texts: str) -> dict[str, Any]:
    return {
        "type": "T",
        "id": str(uuid.uuid4()),
        "pn": "PN-WIRE",
        "sn": "SN-WIRE",
        "rev": "A",
        "processCode": 100,
        "result": "P",
        "start": "2026-01-05T10:00:00+01:00",
        "uut": {"user": "op\x01erator"},
        "miscInfos": [{"description": key, "text": text} for key, text in misc_texts.items()],
        "root": {
            "id": 1,
            "group": "M",
            "stepType": "SequenceCall",
            "name": "Main\x00 sequence",
            "status": "P",
            "steps": [
                {
                    "id": 2,
                    "group": "M",
                    "stepType": "Label",
                    "name": "File",
                    "status": "D",
                    "attachment": {"name": NAME, "contentType": "application/octet-stream", "data": "AAEC"},
                }
            ],
        },
    }


def test_a_download_named_outside_latin1_keeps_the_connection_and_the_name(wats_simulator: Simulator) -> None:
    report = _report()
    with _client(wats_simulator) as http:
        assert http.post("/api/Report/WSJF", json=report).status_code == 200
        answer = http.get("/api/Report/Attachment", params={"reportId": report["id"], "stepId": 2})
        again = http.get("/api/App/Version")  # the same pooled connection still serves
    assert answer.status_code == 200 and answer.content == b"\x00\x01\x02"
    disposition = answer.headers["Content-Disposition"]
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == NAME
    assert disposition.isascii() and again.status_code == 200
    with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
        found = api.report.get_attachment(report["id"], step_id=2)
    assert found is not None and (found.file_name, found.content) == (NAME, b"\x00\x01\x02")


def test_wsxf_carries_control_characters_and_crlf_back_exactly(wats_simulator: Simulator) -> None:
    texts = {
        "nul": "a\x00b",
        "soh": "\x01start",
        "crlf": "line 1\r\nline 2\r",
        "literal": "_x0041_ stays",
        "tab": "\tx",
    }
    report = _report(**texts)
    with _client(wats_simulator) as http:
        assert http.post("/api/Report/WSJF", json=report).status_code == 200
        xml = http.get(f"/api/Report/Wsxf/{report['id']}").content
        ET.fromstring(xml)  # well-formed XML 1.0: no raw NUL or 0x01 in it
        assert b"\x00" not in xml and b"\x01" not in xml
        resubmitted = http.post("/api/Report/WSXF", content=xml, headers={"Content-Type": "application/xml"})
        assert resubmitted.status_code == 200, resubmitted.text
        back = http.get(f"/api/Report/Wsjf/{report['id']}").json()
    assert {m["description"]: m["text"] for m in back["miscInfos"]} == texts
    assert back["root"]["name"] == "Main\x00 sequence"
    assert back["uut"]["user"] == "op\x01erator"


def _connections_closed(sim: Simulator) -> None:
    deadline = time.monotonic() + 30
    while sim._connections._open and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not sim._connections._open, "the server did not finish the broken connection"


@pytest.mark.parametrize(
    ("framing", "body"),
    [
        ("Transfer-Encoding: chunked", b"5\r\nhello\r\n"),  # no last chunk
        ("Transfer-Encoding: chunked", b"a\r\nhel"),  # inside a chunk
        ("Content-Length: 100", b"hello"),  # shorter than announced
    ],
)
def test_an_upload_broken_off_is_not_taken_as_complete(framing: str, body: bytes) -> None:
    seen: list[bytes] = []

    def record(sim: Any, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
        seen.append(req.body)
        return 200, True

    with Simulator() as sim:
        sim._handlers["PUT /api/Product/BOM"] = record
        host, port = sim.url.removeprefix("http://").split(":")
        head = (
            f"PUT /api/Product/BOM HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {sim.token}\r\n"
            f"Content-Type: application/octet-stream\r\n{framing}\r\n\r\n"
        )
        with socket.create_connection((host, int(port))) as conn:
            conn.sendall(head.encode() + body)
            conn.shutdown(socket.SHUT_WR)  # the client stops sending
            assert conn.recv(1) == b""  # and the server hangs up without an answer
        _connections_closed(sim)
        with _client(sim) as http:  # a whole upload after it is taken
            assert http.put("/api/Product/BOM", content=b"whole", headers={"Content-Type": "text/plain"}).json()
    assert seen == [b"whole"]
    assert sim.count("PUT", "/api/Product/BOM") == 1
