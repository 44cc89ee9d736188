"""The station's software client against the simulator: released packages for this station, verified, atomic."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from pywats import pyWATS
from pywats.simulator import Simulator
from pywats_client.software_update import SoftwareSettings, SoftwareUpdater, parse_tags


def _api(sim: Simulator) -> Callable[[], pyWATS]:
    return lambda: pyWATS(base_url=sim.url, token=sim.token, retry_enabled=False, timeout=10)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _publish(sim: Simulator, name: str, tags: dict[str, str], files: dict[str, bytes], release: bool = True) -> str:
    with _api(sim)() as api:
        package = api.software.create_package(name, description="test", tags=tags)
        assert package is not None and package.package_id is not None
        assert api.software.upload_zip(package.package_id, _zip(files))
        if release:
            api.software.set_package_status(package.package_id, "Pending")
            api.software.set_package_status(package.package_id, "Released")
        return str(package.package_id)


def _updater(sim: Simulator, folder: Path, tags: str = "station=ST-1") -> SoftwareUpdater:
    settings = SoftwareSettings(auto_update=True, folder=folder, tags=parse_tags(tags.split(";")), poll_interval=0.2)
    return SoftwareUpdater(settings, _api(sim))


APP = {"bin/app.exe": b"MZ" + bytes(range(256)) * 40, "bin/conf/app.ini": b"[app]\nmode=line\n"}


def test_released_packages_for_this_station_are_installed_verified(tmp_path: Path, wats_simulator: Simulator) -> None:
    _publish(wats_simulator, "StationApp", {"station": "ST-1"}, APP)
    _publish(wats_simulator, "OtherStationApp", {"station": "ST-2"}, {"bin/x.exe": b"x"})
    _publish(wats_simulator, "DraftApp", {"station": "ST-1"}, {"bin/y.exe": b"y"}, release=False)
    updater = _updater(wats_simulator, tmp_path / "software")
    done = updater.check_now()
    assert [(d["name"], d["version"]) for d in done] == [("StationApp", 1)]
    target = tmp_path / "software" / "StationApp" / "v1"
    assert (target / "bin" / "app.exe").read_bytes() == APP["bin/app.exe"]
    assert (target / "bin" / "conf" / "app.ini").read_bytes() == APP["bin/conf/app.ini"]
    assert sorted(p.name for p in (tmp_path / "software").iterdir()) == [".installed.json", "StationApp"]
    state = updater.state()
    assert [(i["name"], i["version"]) for i in state["installed"]] == [("StationApp", 1)]
    assert [(a["name"], a["installed"]) for a in state["available"]] == [("StationApp", True)]
    assert state["last_error"] is None and state["tags"] == ["station=ST-1"]
    assert updater.check_now() == []  # nothing new: nothing downloaded again


def test_a_new_version_is_installed_beside_the_old_and_all_tags_must_match(
    tmp_path: Path, wats_simulator: Simulator
) -> None:
    _publish(wats_simulator, "LineTool", {"line": "L1", "type": "tool"}, {"bin/t.exe": b"v1"})
    _publish(wats_simulator, "LineTool2", {"line": "L1"}, {"bin/t.exe": b"other"})  # lacks type=tool
    updater = _updater(wats_simulator, tmp_path / "sw", "line=L1;type=tool")
    assert [d["name"] for d in updater.check_now()] == ["LineTool"]
    _publish(wats_simulator, "LineTool", {"line": "L1", "type": "tool"}, {"bin/t.exe": b"v2"})
    assert [(d["name"], d["version"]) for d in updater.check_now()] == [("LineTool", 2)]
    assert (tmp_path / "sw" / "LineTool" / "v1" / "bin" / "t.exe").read_bytes() == b"v1"
    assert (tmp_path / "sw" / "LineTool" / "v2" / "bin" / "t.exe").read_bytes() == b"v2"
    assert [(i["name"], i["version"]) for i in updater.state()["installed"]] == [("LineTool", 2), ("LineTool", 1)]


def test_a_checksum_mismatch_leaves_nothing_and_does_not_stop_the_others(
    tmp_path: Path, wats_simulator: Simulator
) -> None:
    bad_id = _publish(wats_simulator, "Broken", {"station": "ST-1"}, {"bin/b.exe": b"good bytes"})
    _publish(wats_simulator, "Fine", {"station": "ST-1"}, {"bin/f.exe": b"fine"})
    with wats_simulator.store.lock:  # the bytes served no longer match the checksum the server lists
        for row in wats_simulator.store.collection("software_files"):
            if row["packageId"] == bad_id:
                row["content"] = b"tampered!!"
    updater = _updater(wats_simulator, tmp_path / "sw")
    assert [d["name"] for d in updater.check_now()] == ["Fine"]
    assert not (tmp_path / "sw" / "Broken").exists() or not any((tmp_path / "sw" / "Broken").iterdir())
    assert "Broken v1" in str(updater.last_error) and "checksum" in str(updater.last_error)
    assert [a["installed"] for a in updater.state()["available"]] == [False, True]


def test_an_unreachable_server_is_reported_not_raised(tmp_path: Path) -> None:
    sim = Simulator().start()
    sim.stop()
    updater = _updater(sim, tmp_path / "sw")
    assert updater.check_now() == []
    assert "could not be asked" in str(updater.last_error)
    assert updater.state()["checked_at"] is not None


def test_background_checks_only_with_auto_update_on(tmp_path: Path, wats_simulator: Simulator) -> None:
    _publish(wats_simulator, "Auto", {"station": "ST-1"}, {"bin/a.exe": b"a"})
    off = SoftwareUpdater(SoftwareSettings(auto_update=False, folder=tmp_path / "off"), _api(wats_simulator))
    off.start()
    assert off._thread is None
    on = _updater(wats_simulator, tmp_path / "on")
    on.start()
    try:
        for _ in range(600):
            if on.installed():
                break
            on._stop.wait(0.05)
        assert [i["name"] for i in on.installed()] == ["Auto"]
    finally:
        on.stop()
    assert not (tmp_path / "off").exists()


def test_the_service_installs_and_lists_over_the_control_api(tmp_path: Path, wats_simulator: Simulator) -> None:
    from client.helpers import configure, service

    _publish(wats_simulator, "ServiceApp", {"station": "TEST-ST"}, {"bin/s.exe": b"service"})
    cfg = configure(tmp_path, wats_simulator, software_auto_update="true")
    with service(cfg) as svc:
        answer = svc.api.request("POST", "/software/check")
        state = svc.api.request("GET", "/software")
    # the background check may have installed it first
    assert [(i["name"], i["version"]) for i in answer["installed"]] in ([("ServiceApp", 1)], [])
    assert [(i["name"], i["version"]) for i in state["installed"]] == [("ServiceApp", 1)]
    assert state["available"][0]["installed"] is True and state["tags"] == ["station=TEST-ST"]
    assert (tmp_path / "software" / "ServiceApp" / "v1" / "bin" / "s.exe").read_bytes() == b"service"
