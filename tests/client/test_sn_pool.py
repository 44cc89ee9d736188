"""The SN handler's pool against the simulator: blocks from the server, kept on disk, each number once."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pywats import pyWATS
from pywats.simulator import Simulator
from pywats_client.sn_pool import SerialNumberError, SerialNumberPool, SnSettings


def _factory(sim: Simulator) -> Callable[[], pyWATS]:
    return lambda: pyWATS(base_url=sim.url, token=sim.token, retry_enabled=False, timeout=5)


def _pool(sim: Simulator, path: Path, **kw: object) -> SerialNumberPool:
    settings = SnSettings(mode="server", type_name="Production_SN", block_size=5, low_water=0, station_name="ST-7")
    for key, value in kw.items():
        settings = SnSettings(**{**settings.__dict__, key: value})
    return SerialNumberPool(settings, path, _factory(sim))


def _taken_on_server(sim: Simulator) -> list[str]:
    with sim.store.lock:
        return [r["serialNumber"] for r in sim.store.collection("serial_numbers")]


def test_server_mode_takes_a_block_and_hands_out_from_disk(tmp_path: Path, wats_simulator: Simulator) -> None:
    pool = _pool(wats_simulator, tmp_path / "sn.json")
    assert pool.next() == "PSN-000001"
    assert _taken_on_server(wats_simulator) == [f"PSN-00000{i}" for i in range(1, 6)]
    with wats_simulator.store.lock:
        assert {r["stationName"] for r in wats_simulator.store.collection("serial_numbers")} == {"ST-7"}
    on_disk = json.loads((tmp_path / "sn.json").read_text())["pools"]["Production_SN"]
    assert on_disk == ["PSN-000002", "PSN-000003", "PSN-000004", "PSN-000005"]  # the one handed out is gone
    assert [pool.next() for _ in range(4)] == on_disk
    assert len(_taken_on_server(wats_simulator)) == 5  # no second block until the first is used up
    assert pool.next() == "PSN-000006"
    state = pool.state()
    assert state["mode"] == "server" and state["available"] == 4 and state["next"] == "PSN-000007"
    assert state["last_handed_out"] == "PSN-000006" and state["handed_out"] == 6


def test_offline_the_station_goes_on_with_what_it_holds_then_says_why_not(tmp_path: Path) -> None:
    sim = Simulator().start()
    try:
        pool = _pool(sim, tmp_path / "sn.json")
        first = pool.next()
    finally:
        sim.stop()
    assert [pool.next() for _ in range(4)] == ["PSN-000002", "PSN-000003", "PSN-000004", "PSN-000005"]
    with pytest.raises(SerialNumberError, match="no Production_SN serial numbers are left") as caught:
        pool.next()
    assert "server gave none" in str(caught.value) and first == "PSN-000001"
    assert pool.state()["available"] == 0 and "Production_SN" in str(pool.state()["last_error"])


def test_a_restarted_service_continues_without_repeating(tmp_path: Path, wats_simulator: Simulator) -> None:
    path = tmp_path / "sn.json"
    first = [_pool(wats_simulator, path).next() for _ in range(3)]  # a new pool object each time: a restart
    again = _pool(wats_simulator, path)
    rest = [again.next() for _ in range(7)]
    everything = first + rest
    assert len(set(everything)) == 10 and everything == sorted(everything)


def test_low_water_refills_in_the_background(tmp_path: Path, wats_simulator: Simulator) -> None:
    pool = _pool(wats_simulator, tmp_path / "sn.json", low_water=3)
    for _ in range(3):
        pool.next()  # 5 taken, 2 left: below 3
    pool.wait_refilled(30)
    assert pool.state()["available"] == 7 and len(_taken_on_server(wats_simulator)) == 10


def test_concurrent_requests_get_different_numbers(tmp_path: Path, wats_simulator: Simulator) -> None:
    pool = _pool(wats_simulator, tmp_path / "sn.json", block_size=7, low_water=2)
    got: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(10):
            sn = pool.next()
            with lock:
                got.append(sn)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    pool.wait_refilled(30)
    assert len(got) == 60 and len(set(got)) == 60
    assert set(got) <= set(_taken_on_server(wats_simulator))


def test_unknown_type_and_no_type_are_explained(tmp_path: Path, wats_simulator: Simulator) -> None:
    with pytest.raises(SerialNumberError, match="NO_SUCH_TYPE"):
        _pool(wats_simulator, tmp_path / "a.json", type_name="NO_SUCH_TYPE").next()
    with pytest.raises(SerialNumberError, match="set sn_type"):
        _pool(wats_simulator, tmp_path / "b.json", type_name="").next()


def test_auto_increment_counts_on_disk_and_follows_a_raised_start(tmp_path: Path) -> None:
    path = tmp_path / "sn.json"

    def pool(start: int) -> SerialNumberPool:
        return SerialNumberPool(SnSettings(mode="auto_increment", prefix="LINE1-", next_number=start), path, _never)

    assert [pool(100).next() for _ in range(3)] == ["LINE1-100", "LINE1-101", "LINE1-102"]
    assert pool(50).next() == "LINE1-103"  # a lower start never repeats numbers
    assert pool(500).next() == "LINE1-500"
    assert pool(1).state() == {"mode": "auto_increment", "last_handed_out": "LINE1-500", "next": "LINE1-501",
                               "last_error": None}  # fmt: skip


def test_manual_mode_hands_out_nothing(tmp_path: Path) -> None:
    pool = SerialNumberPool(SnSettings(mode="manual"), tmp_path / "sn.json", _never)
    with pytest.raises(SerialNumberError, match="manual mode"):
        pool.next()


def test_an_unreadable_file_is_set_aside_never_reused(tmp_path: Path, wats_simulator: Simulator) -> None:
    path = tmp_path / "sn.json"
    path.write_text('{"pools": {"Production_SN": ["PSN-0')
    pool = _pool(wats_simulator, path)
    assert "set aside" in str(pool.state()["last_error"])
    assert list(tmp_path.glob("sn.json.unreadable-*"))
    assert pool.next() == "PSN-000001"


def _never() -> pyWATS:
    raise AssertionError("this mode never asks the server")


def test_the_service_hands_out_serial_numbers_over_the_control_api_and_the_cli(
    tmp_path: Path, wats_simulator: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    from client.helpers import configure, service
    from pywats_client.cli import main

    cfg = configure(tmp_path, wats_simulator, sn_handler_mode="server", sn_type="Production_SN", sn_block_size=4,
                    sn_low_water=1)  # fmt: skip
    with service(cfg) as svc:
        first = svc.api.request("POST", "/serial-numbers/next")["serial_number"]
        capsys.readouterr()
        assert main(["--config", str(cfg), "sn", "next"]) == 0
        second = capsys.readouterr().out.strip()
        state = svc.api.request("GET", "/serial-numbers")
        assert (first, second) == ("PSN-000001", "PSN-000002")
        assert state["mode"] == "server" and state["type"] == "Production_SN" and state["next"] == "PSN-000003"
        assert "GET /serial-numbers" in svc.api.request("GET", "/")["endpoints"]
    assert main(["--config", str(cfg), "sn", "next"]) == 3  # no service: says how to start one
    assert "pywats-client start --api" in capsys.readouterr().err


def test_the_service_answers_409_with_the_reason_in_manual_mode(tmp_path: Path, wats_simulator: Simulator) -> None:
    from client.helpers import configure, service
    from pywats_client.control import ControlError

    cfg = configure(tmp_path, wats_simulator)
    with service(cfg) as svc:
        with pytest.raises(ControlError, match=r"409.*manual mode"):
            svc.api.request("POST", "/serial-numbers/next")
        assert svc.api.request("GET", "/serial-numbers")["mode"] == "manual"
