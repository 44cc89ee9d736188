"""Serializer round trips: non-string map keys, integers of any size, NaN/infinity, unreadable
payloads, and a report through json and msgpack without added keys."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from pywats import InvalidArgumentError
from pywats.core.performance import Serializer
from pywats.domains.report import UURReport, UUTReport, load_report

FORMATS = ("json", "msgpack")


@pytest.mark.parametrize(
    "data",
    [2**64, -(2**70), 2**53 + 1, {"n": [2**64, -(2**64)]}, [1.5, "x", None, True], {"deep": {"er": [[2**100]]}}],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_values_round_trip(fmt: str, data: Any) -> None:
    s = Serializer(fmt)
    assert s.format == fmt
    back = s.deserialize(s.serialize(data))
    assert back == data and type(back) is type(data)


def test_msgpack_keeps_map_keys_that_are_not_strings() -> None:
    s = Serializer("msgpack")
    data = {1: "a", 2**65: "big", "t": 3, -1: [1]}
    assert s.deserialize(s.serialize(data)) == data
    assert s.deserialize(s.serialize({1: "a"})) == {1: "a"}


def test_json_writes_nan_and_infinity_as_their_names() -> None:
    payload = Serializer("json").serialize({"v": math.nan, "w": [math.inf, -math.inf], "ok": 1.5})

    def refuse(token: str) -> Any:
        raise AssertionError(f"bare {token}")

    assert json.loads(payload, parse_constant=refuse) == {"v": "NaN", "w": ["Infinity", "-Infinity"], "ok": 1.5}


@pytest.mark.parametrize(
    ("fmt", "payload", "reason"),
    [
        ("msgpack", b"\xc1", "a byte that begins no msgpack value"),
        ("msgpack", b"\x93\x01", "ends before its value does"),
        ("msgpack", b"\x01\x02", "more bytes after the first value"),
        ("json", b"{nope", "Expecting property name"),
        ("json", b"\xc1\x00", "Expecting value"),
    ],
)
def test_garbage_gets_an_error_that_says_why(fmt: str, payload: bytes, reason: str) -> None:
    with pytest.raises(InvalidArgumentError, match=f"payload is not {fmt}") as caught:
        Serializer(fmt).deserialize(payload)
    assert reason in str(caught.value) and repr(payload[:4])[2:-1] in str(caught.value)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_round_trips_without_added_keys(fmt: str) -> None:
    s = Serializer(fmt)
    uut = UUTReport(pn="P", sn="S", process_code=10)
    uut.get_root_sequence_call().add_numeric_step("v", math.nan, low_limit=0.0, high_limit=1.0)
    loaded = load_report({"type": "R", "pn": "P", "sn": "S", "uur": {"user": "tech"}, "custom": 2**64})
    assert isinstance(loaded, UURReport)
    for report in (uut, loaded):
        back = s.deserialize(s.serialize(report))
        assert back == report.to_wsjf()
        assert load_report(back).to_wsjf() == report.to_wsjf()
    back = s.deserialize(s.serialize(loaded))
    assert "machineName" not in back and "assets" not in back
    # a UUT report read from a document goes through exactly as that document, no key added
    document = {"type": "T", "pn": "P", "sn": "S", "uut": {"user": "op"}, "root": {"stepType": "SequenceCall"}}
    assert s.deserialize(s.serialize(load_report(document))) == document


def test_what_cannot_be_written_is_named() -> None:
    with pytest.raises(InvalidArgumentError, match="cannot be written as json: cannot serialise object"):
        Serializer("json").serialize({"x": object()})
