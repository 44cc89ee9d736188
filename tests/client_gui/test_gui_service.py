"""The window against real service processes and the simulator: instance identity, server health, live
settings, the test report, the log, the SN handler and the software client (issue 19)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from client.helpers import configure, service
from pytestqt.qtbot import QtBot

from pywats import pyWATS
from pywats.simulator import Simulator
from pywats_client.gui.window import MainWindow

POLL_MS = 150
WAIT_MS = 30_000


def _window(qtbot: QtBot, cfg: Path) -> MainWindow:
    window = MainWindow(cfg, poll_ms=POLL_MS, tray=False)
    qtbot.addWidget(window)
    window.show()
    return window


def test_another_stations_service_on_our_port_is_shown_as_such(
    qtbot: QtBot, tmp_path: Path, wats_simulator: Simulator
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    cfg_a = configure(tmp_path / "a", wats_simulator, station_name="STATION-A")
    with service(cfg_a) as a:
        port = int(a.api.url.rsplit(":", 1)[1])
        cfg_b = configure(tmp_path / "b", wats_simulator, station_name="STATION-B", api_port=port)
        window = _window(qtbot, cfg_b)
        qtbot.waitUntil(lambda: window.windowTitle().endswith("[Disconnected: another station's service]"),
                        timeout=WAIT_MS)  # fmt: skip
        assert "STATION-A" in window.conn_labels["state"].text() and str(cfg_a) in window.conn_labels["state"].text()
        assert window.start_button.isEnabled() and not window.stop_button.isEnabled()
        window.stop_service()  # nothing is sent to A
        assert a.proc.poll() is None and a.status()["state"] == "running"


def test_a_server_that_went_down_shows_with_nothing_to_send(qtbot: QtBot, tmp_path: Path) -> None:
    sim = Simulator().start()
    try:
        cfg = configure(tmp_path, sim, health_interval=0.2)
        with service(cfg):
            window = _window(qtbot, cfg)
            qtbot.waitUntil(lambda: window.windowTitle().endswith("[Connected]"), timeout=WAIT_MS)
            sim.stop()
            qtbot.waitUntil(lambda: window.windowTitle().endswith("[Connected, server unreachable]"), timeout=WAIT_MS)
            assert "NOT REACHABLE since" in window.conn_labels["server"].text()
    finally:
        sim.stop()


def test_log_level_applies_to_the_running_service_and_the_log_tab_shows_it(
    qtbot: QtBot, tmp_path: Path, wats_simulator: Simulator
) -> None:
    cfg = configure(tmp_path, wats_simulator)
    with service(cfg):
        window = _window(qtbot, cfg)
        qtbot.waitUntil(lambda: window.connected, timeout=WAIT_MS)
        window.log_level_combo.setCurrentText("DEBUG")
        window.save_general()
        qtbot.waitUntil(lambda: "applied by the running service now: log_level" in window.statusBar().currentMessage(),
                        timeout=WAIT_MS)  # fmt: skip
        window.show_tab("Log")
        qtbot.waitUntil(lambda: "log_level='DEBUG'" in window.log_view.toPlainText(), timeout=WAIT_MS)


def test_send_test_report_is_confirmed_by_the_server(qtbot: QtBot, tmp_path: Path, wats_simulator: Simulator) -> None:
    cfg = configure(tmp_path, wats_simulator)
    with service(cfg):
        window = _window(qtbot, cfg)
        qtbot.waitUntil(lambda: window.test_report_button.isEnabled(), timeout=WAIT_MS)
        before = len(wats_simulator.requests)
        window.test_report_button.click()
        qtbot.waitUntil(lambda: "confirmed by the server at" in window.conn_labels["test_report"].text(),
                        timeout=WAIT_MS)  # fmt: skip
        assert any(r.path == "/api/Report/WSJF" for r in list(wats_simulator.requests)[before:])


def test_sn_handler_tab_shows_the_pool_and_takes_a_number(
    qtbot: QtBot, tmp_path: Path, wats_simulator: Simulator
) -> None:
    cfg = configure(tmp_path, wats_simulator, sn_handler_mode="server", sn_type="MAC", sn_block_size=3)
    with service(cfg):
        window = _window(qtbot, cfg)
        window.show_tab("SN Handler")
        qtbot.waitUntil(lambda: "3 serial numbers on disk" in window.sn_state_label.text(), timeout=WAIT_MS)
        window.sn_take_button.click()
        qtbot.waitUntil(lambda: window.sn_taken_label.text() == "Taken: 0050C2000000", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: "next 0050C2000001" in window.sn_state_label.text(), timeout=WAIT_MS)


def test_software_tab_lists_installed_and_available(qtbot: QtBot, tmp_path: Path, wats_simulator: Simulator) -> None:
    with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
        package = api.software.create_package("GuiTool", tags={"station": "TEST-ST"})
        assert package is not None and package.package_id is not None
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("bin/tool.exe", b"tool")
        api.software.upload_zip(package.package_id, buffer.getvalue())
        api.software.set_package_status(package.package_id, "Pending")
        api.software.set_package_status(package.package_id, "Released")
    cfg = configure(tmp_path, wats_simulator, software_auto_update="true")
    with service(cfg):
        window = _window(qtbot, cfg)
        window.show_tab("Software")
        qtbot.waitUntil(lambda: window.software_installed_table.rowCount() == 1, timeout=WAIT_MS)
        assert window.software_installed_table.item(0, 0).text() == "GuiTool"  # type: ignore[union-attr]
        assert window.software_available_table.item(0, 3).text() == "yes"  # type: ignore[union-attr]
        assert "station=TEST-ST" in window.software_state_label.text()
    assert json.loads((tmp_path / "software" / ".installed.json").read_text())["installed"][0]["name"] == "GuiTool"


def test_the_windows_polling_leaves_the_service_log_alone_at_debug(
    qtbot: QtBot, tmp_path: Path, wats_simulator: Simulator
) -> None:
    cfg = configure(tmp_path, wats_simulator, log_level="DEBUG")
    with service(cfg):
        window = _window(qtbot, cfg)
        qtbot.waitUntil(lambda: window.connected, timeout=WAIT_MS)
        window.show_tab("Log")  # status and log read every POLL_MS from here on
        window.send_test_report()  # a request to the server, which the library logs at DEBUG (the guide's promise)
        qtbot.waitUntil(lambda: " DEBUG pywats.http_client: " in window.log_view.toPlainText(), timeout=WAIT_MS)
        qtbot.wait(1500)  # about ten polls
        lines = window.log_view.toPlainText().splitlines()
        assert any(" DEBUG " in line for line in lines)  # the service does log at DEBUG
        assert [line for line in lines if "/status" in line or "/log" in line or "control API:" in line] == []
