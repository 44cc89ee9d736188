"""What an operator runs into (issue 19): each test drives the window as a user would, offscreen.

Most feed the window the snapshots a service would give (no service process needed); those that
need the real thing use the simulator and a service process.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from loopback import dead_url
from pytestqt.qtbot import QtBot

from pywats.simulator import Simulator
from pywats_client.gui.link import FailedFile, Snapshot
from pywats_client.gui.window import MainWindow, about_text

WAIT_MS = 20_000


def _config(tmp_path: Path, **values: Any) -> Path:
    cfg = tmp_path / "config.json"
    doc = {"service_address": "http://127.0.0.1:9", "api_token": "dXNlcjpwYXNzd29yZA==", "station_name": "ST-1"}
    doc.update(values)
    cfg.write_text(json.dumps(doc))
    return cfg


def _window(qtbot: QtBot, cfg: Path, **kw: Any) -> MainWindow:
    kw.setdefault("tray", False)
    window = MainWindow(cfg, poll_ms=60_000, **kw)  # the tests feed snapshots themselves
    qtbot.addWidget(window)
    window.show()
    return window


def _status(**over: Any) -> dict[str, Any]:
    status: dict[str, Any] = {
        "state": "running",
        "pid": 4242,
        "service_address": "http://wats.example.com",
        "queue": {"pending": 0, "in_flight": 0, "rejected": 0},
        "counters": {"reports_submitted": 0, "files_failed": 0},
        "last_error": None,
    }
    status.update(over)
    return status


def _failed_rows(window: MainWindow) -> list[str]:
    return [window.failed_table.item(r, 1).text() for r in range(window.failed_table.rowCount())]  # type: ignore[union-attr]


# -- item 3: the window opens whatever the config file holds -------------------------------------


def test_bad_values_open_the_window_marked_on_their_tab_and_a_fix_saves(qtbot: QtBot, tmp_path: Path) -> None:
    cfg = _config(tmp_path, service_address="ftp://nope", poll_interval=-1, show_proxy_tab="maybe", log_level="LOUD",
                  location=["Line", 3], api_token="not base64!")  # fmt: skip
    window = _window(qtbot, cfg)
    assert window.isVisible() and "Setup" in window.tab_titles()
    assert "service_address" in window.server_edit.toolTip() and window.server_edit.styleSheet()
    assert window.server_edit.text() == "ftp://nope"  # the bad text itself, to be corrected in place
    assert window.location_edit.text() == '["Line", 3]' and window.location_edit.styleSheet()
    assert window.token_edit.text() == "" and "not base64!" not in window.token_edit.toolTip()  # never the token
    assert window.token_edit.styleSheet() and "api_token" in window.banner.text()
    assert "not base64!" not in window.banner.text()
    assert window.tab_checks["show_proxy_tab"].isChecked()  # a checkbox cannot show "maybe": the default
    assert "the default is shown" in window.tab_checks["show_proxy_tab"].toolTip()

    window.save_button.click()
    assert window.setup_result.text().startswith("Not saved: api_token") and "enter the API token" in (
        window.setup_result.text()
    )
    window.token_edit.setText("dXNlcjpwYXNzd29yZA==")
    window.save_button.click()  # saving the bad text as it is writes nothing
    assert json.loads(cfg.read_text())["service_address"] == "ftp://nope"
    assert "service_address" in window.setup_result.text()
    assert "show_proxy_tab" in window.tab_checks["show_proxy_tab"].toolTip()
    assert "log_level" in window.log_level_combo.toolTip()
    banner = window.banner.text()
    assert window.banner.isVisibleTo(window) and "poll_interval" in banner and "config set poll_interval" in banner
    assert "Setup tab" in banner  # where to fix the server URL
    assert window.station_edit.styleSheet() == ""  # only bad values are marked

    window.server_edit.setText("https://wats.example.com")
    window.save_button.click()
    doc = json.loads(cfg.read_text())
    assert doc["service_address"] == "https://wats.example.com"
    assert doc["poll_interval"] == -1 and doc["show_proxy_tab"] == "maybe"  # a save never hides other problems
    assert window.server_edit.styleSheet() == "" and "service_address" not in window.banner.text()
    assert "poll_interval" in window.banner.text()


def test_a_file_that_is_not_json_opens_with_defaults_and_saving_keeps_the_old_one(qtbot: QtBot, tmp_path: Path) -> None:
    cfg = tmp_path / "config.json"
    cfg.write_text('{"service_address": "https://wats.example.com",,}')
    window = _window(qtbot, cfg)
    assert "not valid JSON" in window.banner.text() and window.banner.isVisibleTo(window)
    window.server_edit.setText("https://wats.example.com")
    window.token_edit.setText("dXNlcjpwYXNzd29yZA==")
    window.station_edit.setText("ST-9")
    window.save_button.click()
    assert json.loads(cfg.read_text())["station_name"] == "ST-9"
    assert (tmp_path / "config.json.unreadable").read_text().endswith(",,}")
    assert "not valid JSON" not in window.banner.text()


# -- item 4: selection follows the file ----------------------------------------------------------


def test_queue_selection_stays_on_the_same_file_when_a_new_one_arrives(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path))
    b = FailedFile("conversion", "b.csv", "unreadable")
    window._apply_snapshot(Snapshot(True, status=_status(), pending=[], failed=[b]))
    window.failed_table.selectRow(0)
    a = FailedFile("conversion", "a.csv", "also unreadable")
    window._apply_snapshot(Snapshot(True, status=_status(), pending=[], failed=[a, b]))
    assert _failed_rows(window) == ["a.csv", "b.csv"]
    assert window._selected_failed() == [b]  # what Retry Selected would retry
    assert [i.row() for i in window.failed_table.selectionModel().selectedRows()] == [1]


# -- item 6: the GUI's own polling ---------------------------------------------------------------


def test_polling_reads_only_the_status_unless_a_list_is_on_screen(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path))
    asked: list[str] = []

    def request(method: str, path: str, body: Any = None) -> Any:
        asked.append(path.split("?")[0])
        if path == "/status":
            return _status()
        if path == "/converters":
            return {"converters": []}
        return {"items": [], "lines": []}

    window.link.request = request  # type: ignore[method-assign]
    for _ in range(3):
        qtbot.waitUntil(lambda: not window._polling, timeout=WAIT_MS)
        asked.clear()
        window.refresh()
        qtbot.waitUntil(lambda: not window._polling, timeout=WAIT_MS)
        assert asked == ["/status"]  # one request (one service log line at DEBUG) per poll
    window.show_tab("Queue")
    qtbot.waitUntil(lambda: "/queue/failed" in asked, timeout=WAIT_MS)


# -- item 7: Qt's platform plugin ------------------------------------------------------------------


def test_a_qt_platform_that_cannot_load_is_explained_with_exit_code_2(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "no-such-platform"}
    done = subprocess.run(
        [sys.executable, "-m", "pywats_client", "--config", str(tmp_path / "c.json")],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "no-such-platform" in done.stderr and "pywats-client start --api" in done.stderr


# -- item 8: wrong token vs server down ------------------------------------------------------------


def test_test_connection_tells_a_refused_token_from_a_server_that_does_not_answer(
    qtbot: QtBot, tmp_path: Path, wats_simulator: Simulator
) -> None:
    window = _window(qtbot, _config(tmp_path, service_address=wats_simulator.url))
    window.token_edit.setText("d3Jvbmc6dG9rZW4=")
    window.test_button.click()
    qtbot.waitUntil(lambda: window.setup_result.text().startswith("Connection failed"), timeout=WAIT_MS)
    assert "refused the API token" in window.setup_result.text()

    window.token_edit.setText(wats_simulator.token)
    window.server_edit.setText("http://127.0.0.1:9")
    window.test_button.click()
    qtbot.waitUntil(lambda: window.setup_result.text().startswith("Connection failed"), timeout=WAIT_MS)
    assert "cannot connect to http://127.0.0.1:9" in window.setup_result.text()
    assert "token" not in window.setup_result.text()


# -- item 9: queue details -------------------------------------------------------------------------


def test_queue_counts_what_it_lists_names_the_station_file_and_shows_reasons_in_full(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(qtbot, _config(tmp_path))
    window.show_tab("Queue")
    long_reason = "the server refused the report: " + "field x is wrong; " * 120 + "END"
    failed = [
        FailedFile("conversion", "one.bin", "no converter"),
        FailedFile("conversion", "two.bin", "no converter"),
        FailedFile("rejected", "6f1c.json", long_reason, source="/stations/line1/watch/unit-7.csv", report_id="6f1c"),
    ]
    status = _status(counters={"reports_submitted": 3, "files_failed": 0}, queue={"pending": 0, "rejected": 1})
    window._apply_snapshot(Snapshot(True, status=status, pending=[], failed=failed))
    assert "2 files failed to convert" in window.queue_summary.text()  # what the list shows, not since start
    assert _failed_rows(window) == ["one.bin", "two.bin", "unit-7.csv"]
    window.failed_table.selectRow(2)
    details = window.failed_details.toPlainText()
    assert details.endswith("END") and "/stations/line1/watch/unit-7.csv" in details and "6f1c.json" in details
    assert window.failed_table.item(2, 2).toolTip().endswith("END")  # type: ignore[union-attr]


# -- item 10: nothing stale --------------------------------------------------------------------------


def test_stopped_service_disables_stop_hints_converters_and_drops_old_messages(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path, disabled_converters=["csv"]))
    window._apply_snapshot(Snapshot(True, status=_status(last_error="server unavailable (503)")))
    assert window.conn_labels["last_error"].text() == "server unavailable (503)"
    window._apply_snapshot(Snapshot(True, status=_status(), converters=[{"name": "wsjf", "enabled": True}]))
    assert window.conn_labels["last_error"].text() == "none"  # the service cleared it: so does the window
    assert window.stop_button.isEnabled() and window.stop_action.isEnabled()
    window.message("The service started")
    window._apply_snapshot(Snapshot(False, error="the service does not answer"))
    assert not window.stop_button.isEnabled() and not window.stop_action.isEnabled()
    assert window.start_button.isEnabled()
    assert window.statusBar().currentMessage() == ""  # it said something about a state that ended
    assert "Service not running" in window.converters_hint.text()
    assert window.converter_table.item(0, 0).text() == "csv"  # type: ignore[union-attr]


# -- item 11: the window settings act --------------------------------------------------------------


def test_tray_icon_menu_and_minimize_to_tray(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path, minimize_to_tray=True, instance_name="Bench 4"), tray=True)
    assert window.tray is not None and window.tray.isVisible()
    texts = [a.text() for a in window.tray_menu.actions() if not a.isSeparator()]
    assert texts[0] == "Open" and texts[1].startswith("Service: ") and texts[2:] == ["&Stop Service", "E&xit"]
    window._apply_snapshot(Snapshot(True, status=_status(server={"state": "unreachable"})))
    assert window.tray_status_action.text() == "Service: Connected, server unreachable"
    assert window.tray.toolTip() == "pyWATS Client - Bench 4 (ST-1)\nConnected, server unreachable"
    assert window.tray_menu.actions()[-2].isEnabled()  # Stop Service, while a service runs
    window._apply_snapshot(Snapshot(False, error="the service does not answer"))
    assert window.tray_status_action.text() == "Service: Disconnected"
    assert not window.tray_menu.actions()[-2].isEnabled()
    window.showMinimized()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)  # hidden to the tray
    window.tray_open_action.trigger()
    assert window.isVisible() and not window.isMinimized()


def test_minimize_to_tray_saved_on_general_acts_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path, minimize_to_tray=False), tray=True)
    window.window_checks["minimize_to_tray"].setChecked(True)
    window.save_general()
    assert json.loads((tmp_path / "config.json").read_text())["minimize_to_tray"] is True
    window.showMinimized()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)


def test_minimize_without_minimize_to_tray_stays_on_the_taskbar(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path, minimize_to_tray=False), tray=True)
    window.showMinimized()
    qtbot.wait(100)
    assert window.isVisible()


def test_start_minimized_starts_in_the_tray_or_minimized(qtbot: QtBot, tmp_path: Path) -> None:
    cfg = _config(tmp_path, start_minimized=True)
    in_tray = MainWindow(cfg, poll_ms=60_000, tray=True)
    qtbot.addWidget(in_tray)
    in_tray.show_initial()
    assert not in_tray.isVisible() and in_tray.tray is not None and in_tray.tray.isVisible()
    no_tray = MainWindow(cfg, poll_ms=60_000, tray=False)
    qtbot.addWidget(no_tray)
    no_tray.show_initial()
    assert no_tray.isVisible() and no_tray.isMinimized()
    (tmp_path / "n").mkdir()
    normal = MainWindow(_config(tmp_path / "n"), poll_ms=60_000, tray=False)
    qtbot.addWidget(normal)
    normal.show_initial()
    assert normal.isVisible() and not normal.isMinimized()


def test_instance_name_is_in_the_title(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path, instance_name="Production Test Station"))
    assert window.windowTitle().startswith("pyWATS Client - Production Test Station (ST-1) [")
    window.instance_name_edit.setText("Rework Bench")
    window.save_general()
    assert window.windowTitle().startswith("pyWATS Client - Rework Bench (ST-1) [")


def test_auto_connect_off_leaves_the_service_alone_until_connect(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(_config(tmp_path, auto_connect=False), poll_ms=50, tray=False)
    qtbot.addWidget(window)
    asked: list[str] = []
    window.link.request = lambda method, path, body=None: asked.append(path) or _status()  # type: ignore[method-assign]
    window.show()
    qtbot.wait(300)
    assert asked == [] and window.windowTitle().endswith("[Not connected]")
    assert not window.connect_button.isHidden()
    for tab, hint in (("Queue", window.queue_summary), ("Log", window.log_hint), ("SN Handler", window.sn_state_label),
                      ("Software", window.software_state_label), ("Converters", window.converters_hint)):  # fmt: skip
        window.show_tab(tab)
        assert hint.text().startswith("Not connected (auto_connect is off): press Connect"), tab
    window.sn_take_button.click()
    window.retry_button.click()
    window.process_button.click()
    window.stop_action.trigger()
    qtbot.wait(200)
    assert asked == []  # nothing a tab offers talks to the service before Connect
    assert not (window.sn_take_button.isEnabled() or window.retry_button.isEnabled() or window.stop_button.isEnabled())
    window.show_tab("Connection")
    window.connect_button.click()
    qtbot.waitUntil(lambda: window.windowTitle().endswith("[Connected]"), timeout=WAIT_MS)
    assert asked and window.connect_button.isHidden()
    assert window.retry_button.isEnabled() and window.queue_summary.text().startswith("0 pending")


# -- item 12: layout ------------------------------------------------------------------------------


def test_save_buttons_are_alike_and_a_long_error_does_not_move_the_buttons(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path))
    widths = set()
    for i, title in enumerate(window.tab_titles()):
        window.tabs.setCurrentIndex(i)
        qtbot.wait(10)
        for button in window.save_buttons:
            if button.isVisible():
                widths.add(button.width())
                assert button.width() < window.width() / 4, title
    assert len(widths) == 1 and len(window.save_buttons) >= 6

    window.show_tab("Connection")
    # the refreshes the tab changes started answer first (they would overwrite the snapshots fed below)
    qtbot.waitUntil(lambda: not window._handlers, timeout=WAIT_MS)
    label = window.conn_labels["last_error"]

    def laid_out() -> bool:
        return label.height() >= label.heightForWidth(label.width())

    window._apply_snapshot(Snapshot(True, status=_status(last_error="x")))
    qtbot.waitUntil(laid_out, timeout=WAIT_MS)
    before = window.stop_button.mapTo(window, window.stop_button.rect().topLeft())
    window._apply_snapshot(Snapshot(True, status=_status(last_error="server unavailable: " + "detail " * 600)))
    lines = label.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: laid_out() and label.height() > 2 * lines, timeout=WAIT_MS)  # the cut text wraps
    assert window.stop_button.mapTo(window, window.stop_button.rect().topLeft()) == before
    assert len(window.conn_labels["last_error"].text()) < 400
    assert window.conn_labels["last_error"].toolTip().endswith("detail ")


# -- item 13 and About -----------------------------------------------------------------------------


def test_exit_deletes_the_window_before_the_application_ends(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shiboken6
    from PySide6.QtCore import QTimer

    from pywats_client import gui
    from pywats_client.gui import window as window_module

    made: list[Any] = []

    class Recorded(window_module.GuiController):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)
            QTimer.singleShot(300, self.window.exit_action.trigger)

    monkeypatch.setattr(window_module, "GuiController", Recorded)
    assert gui.run_gui(_config(tmp_path)) == 0
    window = made[0].window
    assert not shiboken6.isValid(window)  # deleted while Qt was there, not at interpreter exit


def test_the_file_menu_as_getting_started_lists_it(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    window = _window(qtbot, _config(tmp_path))
    menu = window.menuBar().actions()[0].menu()
    entries = [(a.text().replace("&", ""), a.shortcut().toString()) for a in menu.actions() if not a.isSeparator()]
    assert entries == [("Restart GUI", "Ctrl+R"), ("Stop Service", "Ctrl+Shift+S"), ("Exit", "Alt+F4")]
    assert window.restart_action.shortcut() == QKeySequence("Ctrl+R")
    with qtbot.waitActive(window, timeout=WAIT_MS):
        window.activateWindow()
    with qtbot.waitSignal(window.restart_requested, timeout=WAIT_MS):  # the shortcut itself, pressed
        qtbot.keyClick(window.tabs, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)


def test_about_names_the_versions(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import PySide6

    import pywats

    text = about_text()
    from PySide6.QtCore import qVersion

    assert f"pyWATS {pywats.__version__}" in text and f"PySide6 {PySide6.__version__}" in text
    assert f"Qt {qVersion()}" in text and f"Python {platform.python_version()}" in text
    window = _window(qtbot, _config(tmp_path))
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Help"]
    shown: list[tuple[str, str]] = []
    from pywats_client.gui import window as window_module

    monkeypatch.setattr(window_module.QMessageBox, "about", lambda parent, title, body: shown.append((title, body)))
    window.about_action.trigger()  # Help > About
    assert shown == [("About pyWATS Client", text)]


# -- items 1, 2, 5, Send test report: the window's side, against a scripted control API ------------


class ScriptedService:
    """Answers the window's control API calls from a script (what the real service says is tested elsewhere)."""

    def __init__(self, **status: Any) -> None:
        self.status = _status(**status)
        self.calls: list[tuple[str, str, Any]] = []
        self.answers: dict[str, list[Any]] = {}

    def request(self, method: str, path: str, body: Any = None) -> Any:
        self.calls.append((method, path, body))
        key = f"{method} {path}"
        if self.answers.get(key):
            return self.answers[key].pop(0) if len(self.answers[key]) > 1 else self.answers[key][0]
        if path == "/status":
            return self.status
        return {}


def _scripted(qtbot: QtBot, tmp_path: Path, service: ScriptedService, **cfg: Any) -> MainWindow:
    window = MainWindow(_config(tmp_path, **cfg), poll_ms=100, tray=False)
    qtbot.addWidget(window)
    window.link.request = service.request  # type: ignore[method-assign]
    window.show()
    return window


def test_another_stations_service_on_our_port_is_not_taken_for_ours(qtbot: QtBot, tmp_path: Path) -> None:
    other = {"id": "b1", "config_path": "/srv/station-b/config.json", "station": "ST-B", "instance_name": "",
             "pid": 777, "started": 1.0}  # fmt: skip
    service = ScriptedService(instance=other)
    window = _scripted(qtbot, tmp_path, service)
    qtbot.waitUntil(lambda: "another station" in window.windowTitle(), timeout=WAIT_MS)
    assert not window.windowTitle().endswith("[Connected]")
    shown = window.conn_labels["state"].text()
    assert "ST-B" in shown and "/srv/station-b/config.json" in shown
    assert window.start_button.isEnabled() and not window.stop_button.isEnabled() and not window.stop_action.isEnabled()
    service.calls.clear()
    from pywats_client.gui.link import ForeignService

    with pytest.raises(ForeignService, match="ST-B"):
        window.link.command("POST", "/stop")
    assert ("POST", "/stop", None) not in service.calls  # never sent to the other station's service

    ours = dict(other, config_path=str(tmp_path / "config.json"))
    service.status = _status(instance=ours)
    qtbot.waitUntil(lambda: window.windowTitle().endswith("[Connected]"), timeout=WAIT_MS)


def test_a_stopped_service_and_one_that_answers_with_errors_read_differently(qtbot: QtBot, tmp_path: Path) -> None:
    url = dead_url()
    window = _window(qtbot, _config(tmp_path, api_port=int(url.rsplit(":", 1)[1])))
    window._apply_snapshot(window.link.snapshot(frozenset()))  # nothing listens there
    state = window.conn_labels["state"]
    assert state.text() == f"not running: nothing answers at {url}. Start Service starts it."
    assert "does not answer" in state.toolTip() and window.start_button.isEnabled()

    def broken(method: str, path: str, body: Any = None) -> Any:
        raise RuntimeError("GET /status: HTTP 500 the status could not be read")

    window.link.request = broken  # type: ignore[method-assign]
    window._apply_snapshot(window.link.snapshot(frozenset()))
    assert state.text() == "not usable: GET /status: HTTP 500 the status could not be read"
    window._apply_snapshot(Snapshot(True, status=_status()))
    assert state.text() == "running (pid 4242)" and state.toolTip() == ""


def test_a_failed_start_service_says_why_in_full_on_the_connection_tab(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, _config(tmp_path, api_port=int(dead_url().rsplit(":", 1)[1])))
    window._apply_snapshot(window.link.snapshot(frozenset()))
    reason = "error: port 18799 is used by the pywats-client 'Bench A' of /srv/a/config.json " + "(details) " * 30
    assert reason.strip().endswith("(details)")

    def refused() -> None:
        raise RuntimeError(reason.strip())

    window.link.start_service = refused  # type: ignore[method-assign]
    window.show_tab("Connection")
    before = window.stop_button.mapTo(window, window.stop_button.rect().topLeft())
    window.start_button.click()
    qtbot.waitUntil(lambda: window.action_result.text() != "", timeout=WAIT_MS)
    assert window.action_result.text() == "Start Service failed: " + reason.strip()  # all of it, wrapped
    assert window.statusBar().currentMessage() == "Start Service failed (see the Connection tab)"
    assert window.start_button.isEnabled()
    label = window.action_result
    lines = label.fontMetrics().lineSpacing()
    # the layout has given the wrapped reason its lines (only then can the buttons have moved)
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()) > 2 * lines, timeout=WAIT_MS)
    assert window.stop_button.mapTo(window, window.stop_button.rect().topLeft()) == before
    window._apply_snapshot(Snapshot(True, status=_status()))  # the service came up after all
    assert window.action_result.text() == ""


def test_server_down_with_nothing_to_send_does_not_look_healthy(qtbot: QtBot, tmp_path: Path) -> None:
    down = {"state": "unreachable", "since": 1_700_000_000.0, "checked": 1_700_000_060.0,
            "detail": "connection refused"}  # fmt: skip
    service = ScriptedService(server=down)
    window = _scripted(qtbot, tmp_path, service)
    qtbot.waitUntil(lambda: window.windowTitle().endswith("[Connected, server unreachable]"), timeout=WAIT_MS)
    assert "NOT REACHABLE since" in window.conn_labels["server"].text()
    assert "connection refused" in window.conn_labels["server"].text()
    service.status = _status(server={"state": "token_refused", "since": 1.0, "detail": "HTTP 401"})
    qtbot.waitUntil(lambda: window.windowTitle().endswith("[Connected, token refused]"), timeout=WAIT_MS)
    service.status = _status(server={"state": "reachable", "since": 2.0})
    qtbot.waitUntil(lambda: window.windowTitle().endswith("[Connected]"), timeout=WAIT_MS)


def test_a_saved_log_level_goes_to_the_running_service_and_says_what_needs_a_restart(
    qtbot: QtBot, tmp_path: Path
) -> None:
    service = ScriptedService()
    service.answers["POST /config"] = [{"applied": ["log_level"], "restart_required": []}]
    window = _scripted(qtbot, tmp_path, service)
    qtbot.waitUntil(lambda: window.connected, timeout=WAIT_MS)
    window.log_level_combo.setCurrentText("DEBUG")
    window.save_general()
    qtbot.waitUntil(lambda: "applied by the running service now: log_level" in window.statusBar().currentMessage(),
                    timeout=WAIT_MS)  # fmt: skip
    sent = [body for method, path, body in service.calls if (method, path) == ("POST", "/config")]
    assert sent == [{"log_level": "DEBUG"}]  # only service keys, never the window's own

    service.answers["POST /config"] = [{"applied": [], "restart_required": ["location"]}]
    window.location_edit.setText("Line 2")
    window._save({"location": "Line 2"}, "Location")
    qtbot.waitUntil(lambda: "restart the service to apply location" in window.statusBar().currentMessage(),
                    timeout=WAIT_MS)  # fmt: skip
    assert "location" in window.restart_hint.text()


def test_send_test_report_shows_when_the_server_confirmed_it(qtbot: QtBot, tmp_path: Path) -> None:
    service = ScriptedService()
    service.answers["POST /test-report"] = [{"report_id": "5f0e"}]
    service.answers["GET /reports/5f0e"] = [
        {"state": "pending"},
        {"state": "in_flight"},
        {"state": "sent", "sent_at": 1_700_000_000.0},
    ]
    window = _scripted(qtbot, tmp_path, service)
    qtbot.waitUntil(lambda: window.test_report_button.isEnabled(), timeout=WAIT_MS)
    window.test_report_button.click()
    qtbot.waitUntil(lambda: "confirmed by the server at" in window.conn_labels["test_report"].text(), timeout=WAIT_MS)
    assert window.conn_labels["test_report"].text().startswith("5f0e:")
    assert window.test_report_button.isEnabled()


def test_exit_while_a_task_runs_hides_the_window_and_does_not_wait_for_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import shiboken6

    monkeypatch.setattr(MainWindow, "EXIT_WAIT_S", 0.2, raising=False)
    window = MainWindow(_config(tmp_path), poll_ms=60_000, tray=False)  # not qtbot's: this test deletes it
    window.show()
    release = threading.Event()
    started = threading.Event()
    safety = threading.Timer(60, release.set)  # the old close waited for the task: let it end, then fail
    safety.start()
    answered: list[object] = []

    def blocked() -> str:
        started.set()
        release.wait()
        return "late"

    window.run_task(blocked, answered.append, answered.append)
    assert started.wait(WAIT_MS / 1000)
    workers = window._workers
    window.exit()
    still_blocked = not release.is_set()
    safety.cancel()
    assert still_blocked, "Exit waited for the running task"
    assert not window.isVisible()
    shiboken6.delete(window)  # as GuiController.shutdown does; the worker outlives the window
    release.set()
    workers.shutdown(wait=True)  # the late answer goes nowhere: no deleted Qt object is touched
    qtbot.wait(50)
    assert "late" not in answered


def _listening() -> Any:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    return sock


def test_a_service_that_is_slow_or_not_json_is_not_called_stopped(qtbot: QtBot, tmp_path: Path) -> None:
    import threading

    def state_at(port: int, name: str) -> str:
        folder = tmp_path / name
        folder.mkdir()
        window = _window(qtbot, _config(folder, api_port=port))
        window.link.timeout = 0.5
        window._apply_snapshot(window.link.snapshot(frozenset()))
        return str(window.conn_labels["state"].text())

    silent = _listening()  # accepts connections (the backlog does) and never answers
    port = silent.getsockname()[1]
    try:
        text = state_at(port, "silent")
    finally:
        silent.close()
    assert text.startswith(f"not answering: the service at http://127.0.0.1:{port} did not answer within 0.5 s")

    other = _listening()
    port = other.getsockname()[1]

    def answer_html() -> None:
        conn, _ = other.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>a printer</html>")

    server = threading.Thread(target=answer_html, daemon=True)
    server.start()
    try:
        text = state_at(port, "html")
    finally:
        server.join(WAIT_MS / 1000)
        other.close()
    assert text.startswith("not usable: ") and "not the service's control API" in text

    assert state_at(port, "closed").startswith("not running: nothing answers at")  # refused: nothing listens


def test_a_bad_value_that_is_not_text_is_shown_as_json_and_not_saved_unchanged(qtbot: QtBot, tmp_path: Path) -> None:
    cfg = _config(tmp_path, station_name=["Line", 3])
    window = _window(qtbot, cfg)
    assert window.station_edit.text() == '["Line", 3]' and window.station_edit.styleSheet()
    window.save_button.click()
    assert json.loads(cfg.read_text())["station_name"] == ["Line", 3]  # not the JSON text as a name
    assert window.setup_result.text().startswith("Not saved: station_name") and "not text" in window.setup_result.text()
    window.station_edit.setText("ST-2")
    window.save_button.click()
    assert json.loads(cfg.read_text())["station_name"] == "ST-2"
    assert window.station_edit.styleSheet() == ""


def test_a_bad_api_token_is_never_held_for_display(tmp_path: Path) -> None:
    from pywats_client.gui.settings import GuiSettings

    settings = GuiSettings.load(_config(tmp_path, api_token="not base64!", station_name=["x"]))
    assert "api_token" in settings.problems and "station_name" in settings.bad_values
    assert "api_token" not in settings.bad_values
    assert "not base64!" not in repr(vars(settings))
