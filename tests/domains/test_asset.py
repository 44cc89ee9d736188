"""The Asset domain against the simulator, sync and async."""

from __future__ import annotations

import base64
import io
import time
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, ClassVar

import pytest
from flavors import Flavor
from test_asset_parity import PARITY_CALLS

import pywats
from pywats import InvalidArgumentError, NotFoundError, ValidationError
from pywats.core.exceptions import ErrorMode
from pywats.domains.asset import Asset, AssetAlarmState, AssetState
from pywats.simulator import Simulator
from pywats.simulator.routes.asset import _type_id

DMM_002 = "550e8400-e29b-41d4-a716-446655440000"
INSTRUMENT = _type_id("Instrument")  # the seeded type's id
# Example calls for the framework's traffic test (tests/test_bindings.py): method -> (args, kwargs).
FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_assets": ((), {"filter_str": "contains(location,'Lab')", "top": 5}),
    "get_asset": ((DMM_002,), {}),
    "get_asset_by_serial": (("DMM-001",), {}),
    "create_asset": (
        (),
        {"serial_number": "NEW-1", "type_id": INSTRUMENT, "asset_name": "x"},
    ),
    "update_asset": ((Asset(serial_number="DMM-001", type_id=INSTRUMENT, location="Lab Z"),), {}),
    "delete_asset": ((), {"serial_number": "OLD-DMM-001"}),
    "get_asset_types": ((), {}),
    "create_asset_type": (("Chamber",), {"calibration_interval": 30.0}),
    "get_child_assets": ((), {"parent_serial": "ICT-STATION-01", "level": 1}),
    "add_child_asset": (("ICT-STATION-01", "PSU-9", INSTRUMENT), {}),
    "get_status": ((), {"serial_number": "DMM-001"}),
    "get_asset_state": ((), {"serial_number": "DMM-001"}),
    "set_asset_state": ((), {"serial_number": "DMM-001", "state": AssetState.IN_STORAGE}),
    "is_in_alarm": ((), {"serial_number": "DMM-001"}),
    "is_in_warning": ((), {"serial_number": "DMM-001"}),
    "get_assets_with_alarm_state": (([AssetAlarmState.ALARM],), {"top": 2}),
    "increment_count": ((), {"serial_number": "DMM-001", "amount": 2, "increment_children": True}),
    "set_total_count": ((9000,), {"serial_number": "DMM-001"}),
    "set_running_count": ((5,), {"serial_number": "DMM-001"}),
    "reset_running_count": ((), {"serial_number": "DMM-001", "comment": "pm"}),
    "record_calibration": ((), {"serial_number": "DMM-001", "comment": "c", "calibration_date": datetime(2024, 1, 1)}),
    "post_calibration": ((), {"serial_number": "DMM-001", "date_time": datetime(2024, 1, 1), "comment": "c"}),
    "record_maintenance": ((), {"serial_number": "DMM-001", "comment": "m", "maintenance_date": datetime(2024, 1, 1)}),
    "record_calibration_external": (
        (datetime(2024, 1, 1), datetime(2025, 1, 1)),
        {"serial_number": "DMM-001", "comment": "ext"},
    ),
    "record_maintenance_external": (
        (datetime(2024, 1, 1), datetime(2024, 4, 1)),
        {"serial_number": "DMM-001", "comment": "ext"},
    ),
    "get_asset_log": ((), {"filter_str": "serialNumber eq 'DMM-001'", "top": 3}),
    "add_log_message": ((), {"serial_number": "DMM-001", "message": "hello"}),
    "upload_blob": ((DMM_002, "a.bin", b"\x00\xff"), {}),
    "list_blobs": ((DMM_002,), {}),
    "download_blob": ((DMM_002, "manual.json"), {}),
    "download_blob_to": ((DMM_002, "manual.json", io.BytesIO()), {}),
    "delete_blobs": ((DMM_002, ["a.txt"]), {}),
}
FACADE_CALLS |= PARITY_CALLS  # the pyWATS 0.x methods' examples live with their tests


@pytest.fixture(autouse=True)
def _quiet_internal() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        yield


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def steps(api: Any, *calls: Any) -> Any:
    """Run service calls in order, on either flavour; returns their results."""
    if isinstance(api, pywats.AsyncWATS):

        async def run() -> list[Any]:
            results = []
            for call in calls:
                results.append(await call(results))
            return results

        return run()
    results: list[Any] = []
    for call in calls:
        results.append(call(results))
    return results


def test_create_get_update_delete_round_trip(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        a = api.asset
        return steps(
            api,
            lambda r: a.get_asset_types(),
            lambda r: a.create_asset(
                serial_number="SCOPE-9",
                type_id=next(t for t in r[0] if t.type_name == "Instrument").type_id,
                asset_name="Scope",
                location="Lab A",
                parent_serial_number="ICT-STATION-01",
                state=AssetState.IN_TRANSIT,
                vendor="Rigol",  # a field the facade does not model is still sent and kept
            ),
            lambda r: a.get_asset(str(r[1].asset_id)),
            lambda r: a.get_asset("SCOPE-9"),
            lambda r: a.get_child_assets(parent_serial="ICT-STATION-01", level=1),
            lambda r: a.update_asset(r[2].model_copy(update={"location": "Lab C"})),
            lambda r: a.get_assets(filter_str="location eq 'Lab C'"),
            lambda r: a.delete_asset(serial_number="SCOPE-9"),
            lambda r: a.get_assets(filter_str="serialNumber eq 'SCOPE-9'"),
        )

    _, created, by_id, by_serial, children, updated, in_c, deleted, gone = flavor.run(kw(wats_simulator), body)
    assert created.serial_number == "SCOPE-9" and created.parent_serial_number == "ICT-STATION-01"
    assert created.state is AssetState.IN_TRANSIT and created.total_count == 0
    assert by_id == by_serial == created
    assert by_id.model_extra == {"vendor": "Rigol"}
    assert "SCOPE-9" in {c.serial_number for c in children}
    assert updated.location == "Lab C" and [x.serial_number for x in in_c] == ["SCOPE-9"]
    assert deleted is True and gone == []


def test_missing_asset_strict_and_lenient(wats_simulator: Simulator, flavor: Flavor) -> None:
    with pytest.raises(NotFoundError) as info:
        flavor.run(kw(wats_simulator), lambda api: api.asset.get_asset_by_serial("NOPE"))
    assert info.value.operation == "get_asset_by_serial"
    results = flavor.run(
        kw(wats_simulator, error_mode=ErrorMode.LENIENT),
        lambda api: steps(
            api,
            lambda r: api.asset.get_asset_by_serial("NOPE"),
            lambda r: api.asset.delete_asset(serial_number="NOPE"),
            lambda r: api.asset.increment_count(serial_number="NOPE"),
            lambda r: api.asset.get_status(serial_number="NOPE"),
            lambda r: api.asset.download_blob(DMM_002, "none.bin"),
        ),
    )
    assert results == [None, False, False, None, None]


def test_bad_input_is_refused_before_sending(wats_simulator: Simulator) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(ValueError, match="asset_id or serial_number"):
            api.asset.increment_count()
        with pytest.raises(ValueError, match="amount"):
            api.asset.increment_count(serial_number="DMM-001", amount=-1)
        with pytest.raises(ValueError, match="alarms are a status"):
            api.asset.set_asset_state(serial_number="DMM-001", state=AssetState.ALARM)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="total_count cannot be set"):
            api.asset.create_asset(serial_number="X", type_id=DMM_002, total_count=5)
        with pytest.raises(InvalidArgumentError, match="not str"):
            api.asset.upload_blob(DMM_002, "a.txt", "text")  # type: ignore[arg-type]
        assert not wats_simulator.requests
        # the server refuses what only it can check: an unknown type, an invalid filter
        with pytest.raises(ValidationError, match="does not exist"):
            api.asset.create_asset(serial_number="X", type_id=DMM_002)
        with pytest.raises(ValidationError, match="Could not find a property named 'asset_name'"):
            api.asset.get_asset_log(filter_str="contains(asset_name,'DMM')")


def test_counts_state_and_status(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        a = api.asset
        return steps(
            api,
            lambda r: a.increment_count(serial_number="ICT-STATION-01", amount=5, increment_children=True),
            lambda r: a.get_asset_by_serial("ICT-STATION-01"),
            lambda r: a.get_asset_by_serial("DMM-001"),
            lambda r: a.reset_running_count(serial_number="ICT-STATION-01", comment="after PM"),
            lambda r: a.set_total_count(200000, serial_number="ICT-STATION-01"),
            lambda r: a.set_running_count(9500, serial_number="ICT-STATION-01"),
            lambda r: a.get_asset_by_serial("ICT-STATION-01"),
            lambda r: a.get_status(serial_number="ICT-STATION-01"),
            lambda r: a.is_in_warning(serial_number="ICT-STATION-01"),
            lambda r: a.set_asset_state(serial_number="ICT-STATION-01", state=AssetState.WARNING),
            lambda r: a.get_asset_state(serial_number="ICT-STATION-01"),
            lambda r: a.get_assets_with_alarm_state([AssetAlarmState.WARNING]),
        )

    out = flavor.run(kw(wats_simulator), body)
    station, dmm, after = out[1], out[2], out[6]
    assert (station.running_count, station.total_count) == (2405, 120005)
    assert dmm.total_count == 5305  # incremented as a child
    assert (after.running_count, after.total_count) == (9500, 200000)
    status = out[7]
    assert status["alarm_state"] is AssetAlarmState.WARNING and status["in_warning"] and not status["in_alarm"]
    assert status["count_percentage"] == 95.0 and out[8] is True
    assert out[10] is AssetState.IN_MAINTENANCE
    assert "ICT-STATION-01" in {x.serial_number for x in out[11]}


def test_calibration_maintenance_and_log(wats_simulator: Simulator, flavor: Flavor) -> None:
    when = datetime(2024, 6, 15, 10, 30)
    due = datetime.now().replace(microsecond=0) + timedelta(days=10)

    def body(api: Any) -> Any:
        a = api.asset
        return steps(
            api,
            lambda r: a.record_calibration(serial_number="DMM-001", calibration_date=when, comment="NIST"),
            lambda r: a.get_asset_by_serial("DMM-001"),
            lambda r: a.record_maintenance_external(when, due, serial_number="PSU-001", comment="vendor"),
            lambda r: a.get_asset_by_serial("PSU-001"),
            lambda r: a.add_log_message(serial_number="DMM-001", message="Repaired", user="john"),
            lambda r: a.get_asset_log(filter_str="serialNumber eq 'DMM-001'", top=2),
        )

    _, dmm, _, psu, _, log = flavor.run(kw(wats_simulator), body)
    assert dmm.last_calibration_date == when
    assert dmm.next_calibration_date == when + timedelta(days=365)  # the DMM type's interval
    assert psu.last_maintenance_date == when and psu.next_maintenance_date == due
    assert [entry.message for entry in log] == ["Repaired (by john)", "NIST"]
    assert log[0].asset_name == "DMM-001"


def test_files_upload_streamed_list_download_delete(wats_simulator: Simulator, flavor: Flavor) -> None:
    big = bytes(range(256)) * 1600  # ~400 KiB of binary: several 64 KiB chunks

    def body(api: Any) -> Any:
        a = api.asset
        return steps(
            api,
            lambda r: a.upload_blob(DMM_002, "cert.pdf", io.BytesIO(big)),
            lambda r: a.upload_blob(DMM_002, "notes.txt", bytearray(b"line\x001")),
            lambda r: a.list_blobs(DMM_002),
            lambda r: a.download_blob(DMM_002, "cert.pdf"),
            lambda r: a.download_blob(DMM_002, "notes.txt"),
            lambda r: a.delete_blobs(DMM_002, ["cert.pdf"]),
            lambda r: a.list_blobs(DMM_002),
        )

    _, _, listed, cert, notes, _, after = flavor.run(kw(wats_simulator), body)
    assert [f["filename"] for f in listed] == ["manual.json", "cert.pdf", "notes.txt"]
    assert cert == big and notes == b"line\x001"
    assert [f.filename for f in after] == ["manual.json", "notes.txt"]
    upload = next(r for r in wats_simulator.requests if r.method == "POST" and "cert.pdf" in str(r.query))
    assert upload.headers.get("Content-Length") == str(len(big))


def test_upload_reads_a_file_in_chunks(wats_simulator: Simulator, flavor: Flavor) -> None:
    class Recording(io.BytesIO):
        reads: ClassVar[list[int]] = []

        def read(self, size: int | None = -1) -> bytes:
            self.reads.append(-1 if size is None else size)
            return super().read(size)

    source = Recording(b"\x00\x01" * 100_001 + b"\xff")
    source.seek(1)
    source.seek(0)  # a file is sent from where it stands
    flavor.run(kw(wats_simulator), lambda api: api.asset.upload_blob(DMM_002, "big.bin", source))
    assert source.reads and max(source.reads) == 64 * 1024 and -1 not in source.reads
    assert wats_simulator.store.collection("asset_blobs")[-1]["size"] == 200_003


def test_upload_from_an_iterator_is_sent_chunked(wats_simulator: Simulator, flavor: Flavor) -> None:
    pieces = [bytes([i]) * 70_000 for i in range(5)] + [b"\r\n0\r\n\r\n", b""]  # binary, a chunk-end lookalike
    sent = b"".join(pieces)
    consumed: list[int] = []

    def chunks() -> Iterator[bytes]:
        for piece in pieces:
            consumed.append(len(piece))
            yield piece

    def body(api: Any) -> Any:
        return steps(
            api,
            lambda r: api.asset.upload_blob(DMM_002, "trace.bin", chunks()),
            lambda r: api.asset.download_blob(DMM_002, "trace.bin"),
        )

    ok, back = flavor.run(kw(wats_simulator), body)
    assert ok is True and back == sent and consumed == [len(p) for p in pieces]
    upload = next(r for r in wats_simulator.requests if r.method == "POST" and "trace.bin" in str(r.query))
    headers = {k.lower(): v for k, v in upload.headers.items()}
    assert headers.get("transfer-encoding") == "chunked" and "content-length" not in headers
    assert upload.body == sent
    assert wats_simulator.store.collection("asset_blobs")[-1]["size"] == len(sent)


def test_internal_methods_warn(wats_simulator: Simulator) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api, warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        api.asset.list_blobs(DMM_002)
        api.asset.get_assets(top=1)
    assert [r.category for r in record] == [pywats.InternalAPIWarning]
    assert record[0].filename == __file__


def test_download_blob_to_streams_into_a_file(wats_simulator: Simulator, flavor: Flavor, tmp_path: Any) -> None:
    big = bytes(range(256)) * 4000 + b"\xff/+"  # ~1 MiB, base64 with "/" and "+", not a multiple of 3
    target = tmp_path / "copy.bin"
    sink = io.BytesIO()

    def body(api: Any) -> Any:
        return steps(
            api,
            lambda r: api.asset.upload_blob(DMM_002, "big.bin", big),
            lambda r: api.asset.download_blob_to(DMM_002, "big.bin", target),
            lambda r: api.asset.download_blob_to(DMM_002, "big.bin", sink),
        )

    _, written, written_again = flavor.run(kw(wats_simulator), body)
    assert written == written_again == len(big)
    assert target.read_bytes() == big and sink.getvalue() == big
    with pytest.raises(pywats.NotFoundError):
        flavor.run(kw(wats_simulator), lambda api: api.asset.download_blob_to(DMM_002, "none.bin", io.BytesIO()))


def test_download_blob_to_reads_raw_bytes_in_chunks(server: Any) -> None:
    from loopback import Reply

    payload = bytes(range(256)) * 2048  # 512 KiB, sent raw
    server.route(
        "GET",
        "/api/internal/Blob/Asset",
        Reply(body=payload, headers={"Content-Type": "application/octet-stream"}),
    )
    chunks: list[int] = []

    class Sink(io.BytesIO):
        def write(self, data: Any) -> int:
            chunks.append(len(data))
            return super().write(data)

    sink = Sink()
    token = base64.b64encode(b"u:p").decode()
    with pywats.pyWATS(base_url=server.url, token=token) as api, warnings.catch_warnings():
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        assert api.asset.download_blob_to(DMM_002, "manual.bin", sink) == len(payload)
    assert sink.getvalue() == payload
    assert len(chunks) > 1 and max(chunks) < len(payload)  # arrived in pieces, not as one buffer


def test_an_increment_is_never_repeated_but_setting_a_count_is(wats_simulator: Simulator) -> None:
    """PUT /api/Asset/Count with incrementBy adds: a retry after a lost answer would count twice."""
    retry = pywats.RetryConfig(max_attempts=3, base_delay=0.0)
    with pywats.pyWATS(**kw(wats_simulator, timeout=0.5, retry_config=retry)) as api:
        asset = api.asset.get_asset("DMM-001")
        assert asset is not None and asset.total_count is not None
        total = asset.total_count
        wats_simulator.inject("/api/Asset/Count", method="PUT", delay=1.0)  # applied, but answered too late
        with pytest.raises(pywats.TimeoutError):
            api.asset.increment_count(asset.asset_id, amount=1)
        wats_simulator.inject("/api/Asset/Count", method="PUT", status=503)
        with pytest.raises(pywats.ServerError):
            api.asset.increment_count(asset.asset_id, amount=1)
        assert wats_simulator.count("PUT", "/api/Asset/Count") == 2
        deadline = datetime.now() + timedelta(seconds=10)
        while api.asset.get_asset("DMM-001").total_count == total and datetime.now() < deadline:  # type: ignore[union-attr]
            time.sleep(0.05)  # the late request is still being applied
        assert api.asset.get_asset("DMM-001").total_count == total + 1  # type: ignore[union-attr]
        wats_simulator.inject("/api/Asset/Count", method="PUT", status=503)
        assert api.asset.set_total_count(total + 5, asset.asset_id)  # setting is safe to repeat: retried
        assert wats_simulator.count("PUT", "/api/Asset/Count") == 4
