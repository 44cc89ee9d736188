"""The station client window against a real service process and the simulator (offscreen Qt)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from client.helpers import configure, csv_text, drop, service, stored_serials
from pytestqt.qtbot import QtBot

from pywats.simulator import Simulator
from pywats_client.gui.window import GuiController, MainWindow

POLL_MS = 150
WAIT_MS = 20_000  # generous: proves "does not hang", not speed


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s


def _window(qtbot: QtBot, cfg: Path) -> MainWindow:
    window = MainWindow(cfg, poll_ms=POLL_MS)
    qtbot.addWidget(window)
    window.show()
    return window


def test_setup_save_writes_the_config_file_validated(qtbot: QtBot, tmp_path: Path, sim: Simulator) -> None:
    cfg = configure(tmp_path, sim)
    window = _window(qtbot, cfg)
    assert window.server_edit.text() == sim.url and window.station_edit.text() == "TEST-ST"
    assert window.token_edit.text() == ""  # the saved token is never put into a widget
    assert sim.token[:4] in window.token_edit.placeholderText() and sim.token not in window.token_edit.placeholderText()

    before = cfg.read_bytes()
    window.server_edit.setText("ftp://nowhere")
    window.save_button.click()
    assert cfg.read_bytes() == before  # nothing written for a bad value
    assert "service_address" in window.setup_result.text()

    window.server_edit.setText("http://wats.example.com/")
    window.station_edit.setText("LINE-7")
    window.token_edit.setText("bmV3OnNlY3JldHZhbHVl")
    window.save_button.click()
    saved = json.loads(cfg.read_text())
    assert saved["service_address"] == "http://wats.example.com"
    assert saved["station_name"] == "LINE-7" and saved["api_token"] == "bmV3OnNlY3JldHZhbHVl"
    assert saved["poll_interval"] == 0.05  # the CLI's other keys are kept
    assert os.stat(cfg).st_mode & 0o777 == 0o600
    assert window.token_edit.text() == "" and "bmV3OnNlY3JldHZhbHVl" not in window.statusBar().currentMessage()
    assert window.statusBar().currentMessage() == f"Setup saved to {cfg}"  # where it went (the guide's check)
    assert "LINE-7" in window.windowTitle()
    assert not list(tmp_path.glob(".config.json*"))  # the atomic write left no temporary file


def test_test_connection_good_and_bad_servers(qtbot: QtBot, tmp_path: Path, sim: Simulator) -> None:
    cfg = configure(tmp_path, sim)
    window = _window(qtbot, cfg)
    window.test_button.click()
    assert not window.test_button.isEnabled()  # the click returned while the check runs elsewhere
    qtbot.waitUntil(lambda: window.setup_result.text().startswith("Connected to"), timeout=WAIT_MS)
    assert window.test_button.isEnabled()

    window.token_edit.setText("d3Jvbmc6dG9rZW4=")  # unsaved field values are what gets tested
    window.test_button.click()
    qtbot.waitUntil(lambda: window.setup_result.text().startswith("Connection failed"), timeout=WAIT_MS)

    window.token_edit.clear()
    window.server_edit.setText("http://127.0.0.1:9")  # nothing listens on the discard port
    window.test_button.click()
    qtbot.waitUntil(lambda: window.setup_result.text().startswith("Connection failed"), timeout=WAIT_MS)
    assert "127.0.0.1:9" in window.setup_result.text()
    assert json.loads(cfg.read_text())["service_address"] == sim.url  # testing saves nothing


def test_restart_gui_keeps_the_service_and_stop_service_shows_disconnected(
    qtbot: QtBot, tmp_path: Path, sim: Simulator
) -> None:
    cfg = configure(tmp_path, sim)
    with service(cfg) as svc:
        controller = GuiController(cfg, poll_ms=POLL_MS)
        first = controller.window  # not given to qtbot: Restart GUI deletes it
        first.show()
        qtbot.waitUntil(lambda: first.windowTitle().endswith("[Connected]"), timeout=WAIT_MS)
        assert str(svc.proc.pid) in first.conn_labels["state"].text()
        assert "Proxy Settings" in first.tab_titles()

        doc = json.loads(cfg.read_text())  # the file changes on disk: Restart GUI must pick it up
        doc["show_proxy_tab"] = False
        cfg.write_text(json.dumps(doc))
        first.restart_action.trigger()
        second = controller.window
        qtbot.addWidget(second)
        assert second is not first and second.isVisible()
        assert "Proxy Settings" not in second.tab_titles()
        qtbot.waitUntil(lambda: second.windowTitle().endswith("[Connected]"), timeout=WAIT_MS)
        assert svc.proc.poll() is None and svc.status()["pid"] == svc.proc.pid  # the same service, untouched

        second.stop_action.trigger()
        qtbot.waitUntil(lambda: second.windowTitle().endswith("[Disconnected]"), timeout=WAIT_MS)
        assert svc.proc.wait(30) == 0
        state = second.conn_labels["state"].text()
        assert second.isVisible() and state.startswith("not running: nothing answers at http://127.0.0.1:")
        assert "Start Service" in state and "answer" in second.conn_labels["state"].toolTip()


def test_tab_visibility_keys_are_honoured(qtbot: QtBot, tmp_path: Path, sim: Simulator) -> None:
    cfg = configure(tmp_path, sim)
    doc = json.loads(cfg.read_text())
    doc.update(show_sn_handler_tab=False, show_software_tab=False, custom_key="kept")
    cfg.write_text(json.dumps(doc))
    window = _window(qtbot, cfg)
    shown = ["Setup", "General", "Connection", "Location", "Converters", "Proxy Settings", "Queue", "Log"]
    assert window.tab_titles() == shown
    assert not window.tab_checks["show_sn_handler_tab"].isChecked()
    assert window.tab_checks["show_location_tab"].isChecked()

    for key in ("show_location_tab", "show_converters_tab", "show_proxy_tab"):
        window.tab_checks[key].setChecked(False)
    window.log_level_combo.setCurrentText("DEBUG")
    window.save_general()
    saved = json.loads(cfg.read_text())
    assert saved["show_location_tab"] is False and saved["show_software_tab"] is False
    assert saved["log_level"] == "DEBUG" and saved["custom_key"] == "kept"
    minimal = _window(qtbot, cfg)
    assert minimal.tab_titles() == ["Setup", "General", "Connection", "Queue", "Log"]


def test_converters_disable_enable_and_retry_failed_files(qtbot: QtBot, tmp_path: Path, sim: Simulator) -> None:
    cfg = configure(tmp_path, sim)
    with service(cfg) as svc:
        window = _window(qtbot, cfg)
        window.show_tab("Converters")
        qtbot.waitUntil(lambda: window.converter_table.rowCount() == 3, timeout=WAIT_MS)  # wsjf, wsxf, csv
        window.set_converter_enabled("csv", False)
        assert json.loads(cfg.read_text())["disabled_converters"] == ["csv"]
        qtbot.waitUntil(
            lambda: [c["enabled"] for c in svc.api.request("GET", "/converters")["converters"]] == [True, True, False],
            timeout=WAIT_MS,
        )
        qtbot.waitUntil(lambda: window.converter_table.item(2, 1).text() == "no", timeout=WAIT_MS)  # type: ignore[union-attr]

        drop(tmp_path / "watch", "unit.csv", csv_text("GUI-1", part="GUI"))
        window.show_tab("Queue")
        qtbot.waitUntil(lambda: window.failed_table.rowCount() == 1, timeout=WAIT_MS)
        reason = window.failed_table.item(0, 2).text()  # type: ignore[union-attr]
        assert "no enabled converter" in reason and window.failed_table.item(0, 0).text() == "conversion"  # type: ignore[union-attr]

        window.set_converter_enabled("csv", True)
        window.show_tab("Converters")
        qtbot.waitUntil(lambda: window.converter_table.item(2, 1).text() == "yes", timeout=WAIT_MS)  # type: ignore[union-attr]
        window.show_tab("Queue")
        qtbot.waitUntil(lambda: window.failed_table.rowCount() == 1, timeout=WAIT_MS)
        window.failed_table.selectRow(0)
        window.retry_selected()
        qtbot.waitUntil(lambda: stored_serials(sim, "GUI") == ["GUI-1"], timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.failed_table.rowCount() == 0, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: " 1 sent" in window.queue_summary.text(), timeout=WAIT_MS)
        assert not list((tmp_path / "errors").iterdir())  # the file and its reason are gone from errors/


def test_queue_tab_lists_and_retries_through_the_control_api_only(
    qtbot: QtBot, tmp_path: Path, sim: Simulator
) -> None:
    cfg = configure(tmp_path, sim)
    errors = tmp_path / "errors"
    errors.mkdir()
    (errors / "old.csv").write_text("x")
    (errors / "old.csv.reason.txt").write_text("left by an earlier run\n")
    window = _window(qtbot, cfg)
    window.show_tab("Queue")
    qtbot.waitUntil(lambda: "Service not running" in window.queue_summary.text(), timeout=WAIT_MS)
    assert window.failed_table.rowCount() == 0  # without the service the window does not read its folders

    sim.inject("/api/Report/WSJF", status=400, json={"Message": "refused by the test"}, times=1)
    with service(cfg) as svc:
        qtbot.waitUntil(lambda: window.failed_table.rowCount() == 1, timeout=WAIT_MS)
        assert window.failed_table.item(0, 1).text() == "old.csv"  # type: ignore[union-attr]
        drop(tmp_path / "watch", "unit.csv", csv_text("GUI-REJ", part="GUIREJ"))
        qtbot.waitUntil(lambda: window.failed_table.rowCount() == 2, timeout=WAIT_MS)
        kinds = [window.failed_table.item(r, 0).text() for r in range(2)]  # type: ignore[union-attr]
        row = kinds.index("rejected")
        assert "refused by the test" in window.failed_table.item(row, 2).text()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: "1 refused by the server" in window.queue_summary.text(), timeout=WAIT_MS)

        window.failed_table.selectRow(row)
        window.retry_selected()
        qtbot.waitUntil(lambda: stored_serials(sim, "GUIREJ") == ["GUI-REJ"], timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.failed_table.rowCount() == 1, timeout=WAIT_MS)
        assert svc.api.request("GET", "/queue/failed")["items"][0]["name"] == "old.csv"
