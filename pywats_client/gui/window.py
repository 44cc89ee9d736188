"""The station client's main window (Qt): settings tabs over the config file, service state over the control API.

Every network call runs on a worker thread (a pool per window); the UI thread only applies the
results, so an unreachable server or service never freezes the window.
"""

from __future__ import annotations

import itertools
import json
import platform
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QSystemTrayIcon,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import GUI_ONLY_KEYS, KEYS, SECRET_KEYS, ConfigError, mask_token, parse_value
from .link import FailedFile, ServiceLink, Snapshot
from .settings import TAB_KEYS, UNREADABLE_SUFFIX, GuiSettings, save_settings

__all__ = ["GuiController", "MainWindow", "about_text"]

APP_TITLE = "pyWATS Client"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: How long a status-bar message stays (it says what just happened, not how things are).
MESSAGE_MS = 10_000
#: Longest last error shown in full on the Connection tab (the whole text is its tooltip).
SHOWN_ERROR_CHARS = 300
PROBLEM_STYLE = "border: 2px solid #c0392b;"


def about_text() -> str:
    """The versions an operator reports with a problem: pyWATS, the client, Qt, PySide6, Python."""
    import PySide6
    from PySide6.QtCore import qVersion

    import pywats

    return (
        f"{APP_TITLE}\n\npyWATS {pywats.__version__}\nQt {qVersion()}, PySide6 {PySide6.__version__}\n"
        f"Python {platform.python_version()} ({platform.system()} {platform.machine()})"
    )


class _Relay(QObject):
    """Carries each worker's outcome to the UI thread: ``(task number, succeeded, result or message)``.

    One per window (its child), so background work creates no Qt object of its own: a Qt object per
    task would be held by the handlers connected to it, beyond Python's garbage collector, until
    interpreter exit, after the application is gone.
    """

    finished = Signal(object)


class _Outbox:
    """Where workers post their outcomes: to the relay while the window is open, nowhere after it closed.

    Exit waits for running work only a few seconds; a worker that outlives the window must not touch the
    relay, which is deleted with it. The lock makes "is it open" and the post one step.
    """

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._lock = threading.Lock()
        self._open = True

    def post(self, outcome: tuple[int, bool, Any]) -> None:
        with self._lock:
            if self._open:
                self._relay.finished.emit(outcome)

    def close(self) -> None:
        with self._lock:
            self._open = False


def _test_connection(url: str, token: str, settings: GuiSettings) -> str:
    """Blocking: ask ``url`` for its version with ``token``; returns the version or raises with the reason.

    The client is the service's own (:func:`pywats_client.connection.make_client`: the config's proxy,
    TLS check and timeout) with the typed URL and token, and the verdict is the service's health check,
    so a refused token, a server that does not answer and one that is not WATS read differently.
    """
    from pywats import PyWATSError

    from ..config import ClientConfig
    from ..connection import check_server, make_client, server_label

    config = ClientConfig(settings.path, {**settings.config, "service_address": url, "api_token": token})
    try:
        client = make_client(config, timeout=min(float(config["timeout"]), 15.0))
    except (ConfigError, PyWATSError, ValueError) as exc:
        raise RuntimeError(f"the settings cannot be used: {exc}") from None
    with client:
        result = check_server(client, server_label(config))
    if not result.ok:
        raise RuntimeError(result.detail)
    return str(result.version)


class MainWindow(QMainWindow):
    """The station client window for the config file at ``config_path`` (the platform default if None).

    ``poll_ms`` is how often the service's state is read. ``tray`` puts an icon in the system tray
    (None: where the desktop has one).
    """

    #: how long Exit waits for running background work before the window goes anyway
    EXIT_WAIT_S = 3.0

    restart_requested = Signal()
    #: emitted by closeEvent with the window: the controller ends the GUI when its current window closes
    closed = Signal(object)

    def __init__(self, config_path: Path | None = None, *, poll_ms: int = 1000, tray: bool | None = None) -> None:
        super().__init__()
        self.settings = GuiSettings.load(config_path)
        self.link = ServiceLink(self.settings.config)
        self.connected = False
        #: whether the window talks to the service (auto_connect, or the user pressed Connect)
        self.linked = bool(self.settings["auto_connect"])
        self.snapshot: Snapshot | None = None
        self._workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="pywats-gui")
        self._relay = _Relay(self)
        self._relay.finished.connect(self._task_finished)  # queued: emitted on a worker, run on the UI thread
        self._outbox = _Outbox(self._relay)
        self._running: set[Future[None]] = set()
        self._handlers: dict[int, tuple[Callable[[Any], object], Callable[[str], object]]] = {}
        self._task_numbers = itertools.count(1)
        self._polling = False
        self._closed = False
        self._state_word = ""
        self._test_report: str | None = None
        self.problem_widgets: dict[str, QWidget] = {}
        self.tray: QSystemTrayIcon | None = None
        self.save_buttons: list[QPushButton] = []

        self._build_menu()
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet("background: #fdecea; color: #8a1f11; padding: 6px; border: 1px solid #c0392b;")
        self.tabs = QTabWidget()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.banner)
        column.addWidget(self.tabs)
        self.setCentralWidget(central)
        self.tabs.addTab(self._setup_tab(), "Setup")
        self.tabs.addTab(self._general_tab(), "General")
        self.tabs.addTab(self._connection_tab(), "Connection")
        optional: dict[str, Callable[[], QWidget]] = {
            "show_location_tab": self._location_tab,
            "show_converters_tab": self._converters_tab,
            "show_sn_handler_tab": self._sn_tab,
            "show_proxy_tab": self._proxy_tab,
            "show_software_tab": self._software_tab,
        }
        for key, build in optional.items():
            if self.settings.tab_visible(key):
                self.tabs.addTab(build(), TAB_KEYS[key])
        self.tabs.addTab(self._queue_tab(), "Queue")
        self.tabs.addTab(self._log_tab(), "Log")
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        self.resize(860, 580)
        self._show_bad_values()
        self._show_problems()
        self._update_title()
        self.statusBar().showMessage(f"Configuration: {self.settings.path}", MESSAGE_MS)

        if QSystemTrayIcon.isSystemTrayAvailable() if tray is None else tray:
            self._build_tray()

        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.refresh)
        if self.linked:
            self._timer.start()
            QTimer.singleShot(0, self.refresh)
        else:
            self._show_unlinked()

    # -- plumbing ------------------------------------------------------------------------------

    def run_task(
        self, fn: Callable[[], Any], on_done: Callable[[Any], object], on_failed: Callable[[str], object]
    ) -> None:
        """Run ``fn`` off the UI thread; ``on_done(result)`` or ``on_failed(message)`` then run on it."""
        if self._closed:
            return
        number = next(self._task_numbers)
        self._handlers[number] = (on_done, on_failed)
        outbox = self._outbox

        def work() -> None:
            try:
                result = fn()
            except Exception as exc:
                outbox.post((number, False, str(exc) or type(exc).__name__))
            else:
                outbox.post((number, True, result))

        future = self._workers.submit(work)
        self._running.add(future)
        future.add_done_callback(self._running.discard)

    def _task_finished(self, outcome: tuple[int, bool, Any]) -> None:
        number, succeeded, value = outcome
        handlers = self._handlers.pop(number, None)
        if handlers is not None and not self._closed:
            (handlers[0] if succeeded else handlers[1])(value)

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def show_tab(self, title: str) -> None:
        """Make the tab called ``title`` current (what clicking it does)."""
        self.tabs.setCurrentIndex(self.tab_titles().index(title))

    def current_tab(self) -> str:
        return self.tabs.tabText(self.tabs.currentIndex())

    def message(self, text: str) -> None:
        """Say what just happened in the status bar; it goes away after a while (it is news, not state)."""
        self.statusBar().showMessage(text, MESSAGE_MS)

    def _then_refresh(self, text: str) -> Callable[[Any], None]:
        """A task's success handler: say ``text`` and read the service's state again at once."""

        def done(_: Any) -> None:
            self.message(text)
            self.refresh()

        return done

    def _save(self, changes: dict[str, Any], what: str, *, tell_service: bool = True) -> bool:
        for key, value in changes.items():
            written = self.settings.bad_values.get(key)
            if self._shows_as_written(key) and not isinstance(written, str) and value == json.dumps(written):
                # the field shows a non-text value as JSON; saving it unchanged would store that text as valid
                self.message(f"Not saved: {key}: the file holds {value}, which is not text; type what it should be")
                return False
        try:
            save_settings(self.settings.path, changes)
        except (ConfigError, OSError) as exc:
            self.message(f"Not saved: {exc}")
            return False
        had_file_error = self.settings.file_error
        self.settings = GuiSettings.load(self.settings.path)
        self.link.config = self.settings.config
        kept = f" (the unreadable file was kept as {self.settings.path.name}{UNREADABLE_SUFFIX})" * bool(had_file_error)
        self.message(f"{what} saved to {self.settings.path}{kept}")
        self._show_problems()
        if tell_service:
            self._apply_to_service(changes)
        return True

    def _apply_to_service(self, changes: dict[str, Any]) -> None:
        """Tell a running service about saved service keys: it applies what it can, and names what needs a restart."""
        keys = {k: self.settings.config[k] for k in changes if k not in GUI_ONLY_KEYS and k not in SECRET_KEYS}
        if not keys or not self.connected:
            return

        def answered(answer: Any) -> None:
            answer = answer if isinstance(answer, dict) else {}
            applied = [str(k) for k in answer.get("applied") or []]
            later = answer.get("restart_required")
            later = [str(k) for k in later] if isinstance(later, list) else (sorted(keys) if later else [])
            parts = []
            if applied:
                parts.append(f"applied by the running service now: {', '.join(applied)}")
            if later:
                parts.append(f"restart the service to apply {', '.join(later)}")
            self.restart_hint.setText("Restart Service to apply: " + ", ".join(later) if later else "")
            if parts:
                self.message("Saved; " + "; ".join(parts))

        self.run_task(
            lambda: self.link.command("POST", "/config", keys),
            answered,
            lambda error: self.message(f"Saved, but the service was not told: {error}"),
        )

    # -- problems in the config file -----------------------------------------------------------

    def _editor(self, key: str, widget: QWidget) -> QWidget:
        """Register ``widget`` as what edits ``key`` (it is highlighted while the file's value is bad)."""
        self.problem_widgets[key] = widget
        return widget

    def _show_problems(self) -> None:
        problems = self.settings.problems
        lines = []
        if self.settings.file_error:
            lines.append(
                f"{self.settings.file_error}. Showing the defaults; saving any tab writes a new file "
                f"(the old one is kept as {self.settings.path.name}{UNREADABLE_SUFFIX})."
            )
        for key, widget in self.problem_widgets.items():
            reason = problems.get(key, "")
            widget.setStyleSheet(PROBLEM_STYLE if reason else "")
            shown = "correct it and save" if self._shows_as_written(key) else "the default is shown"
            widget.setToolTip(f"The file holds a value that cannot be used: {reason}; {shown}." if reason else "")
        for key, reason in problems.items():
            where = self._tab_of(key)
            fix = f"correct it on the {where} tab and save" if where else f"pywats-client config set {key} VALUE"
            blocks = "" if key in GUI_ONLY_KEYS else " (the service does not start until this is fixed)"
            lines.append(f"{reason}{blocks} — {fix}")
        self.banner.setText("Configuration problems:\n" + "\n".join(f"• {line}" for line in lines) if lines else "")
        self.banner.setVisible(bool(lines))

    def _shows_as_written(self, key: str) -> bool:
        """Whether the field of ``key`` shows the file's unusable value itself (a text field; never the token)."""
        widget = self.problem_widgets.get(key)
        return isinstance(widget, QLineEdit) and key in self.settings.bad_values and key not in SECRET_KEYS

    def _show_bad_values(self) -> None:
        """Put each unusable text value into its field as written, so the operator corrects what is there."""
        for key, widget in self.problem_widgets.items():
            if isinstance(widget, QLineEdit) and self._shows_as_written(key):
                value = self.settings.bad_values[key]
                widget.setText(value if isinstance(value, str) else json.dumps(value))

    def _tab_of(self, key: str) -> str:
        widget = self.problem_widgets.get(key)
        if widget is None:
            return ""
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page is not None and page.isAncestorOf(widget):
                return self.tabs.tabText(i)
        return ""

    # -- menu, tray and title ------------------------------------------------------------------

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.restart_action = QAction("&Restart GUI", self)
        self.restart_action.setShortcut(QKeySequence("Ctrl+R"))
        self.restart_action.triggered.connect(self.restart_requested.emit)
        self.stop_action = QAction("&Stop Service", self)
        self.stop_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.stop_action.triggered.connect(self.stop_service)
        self.stop_action.setEnabled(False)
        self.exit_action = QAction("E&xit", self)
        self.exit_action.setShortcut(QKeySequence("Alt+F4"))
        self.exit_action.triggered.connect(self.exit)
        for action in (self.restart_action, self.stop_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.exit_action)
        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = QAction("&About", self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_TITLE}", about_text())

    def _build_tray(self) -> None:
        icon = self.windowIcon()
        if icon.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
        self.setWindowIcon(icon)
        self.tray = QSystemTrayIcon(QIcon(icon), self)
        menu = QMenu(self)
        self.tray_open_action = menu.addAction("Open")
        self.tray_open_action.triggered.connect(self.bring_back)
        self.tray_status_action = menu.addAction("")
        self.tray_status_action.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.stop_action)
        menu.addAction(self.exit_action)
        self.tray_menu = menu
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(
            lambda reason: self.bring_back() if reason == QSystemTrayIcon.ActivationReason.Trigger else None
        )
        self._update_title()
        self.tray.show()

    def bring_back(self) -> None:
        """Show the window again (from the tray, or after it was minimized)."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def show_initial(self) -> None:
        """Show the window as the config says: normally, minimized, or only as the tray icon."""
        if self.settings["start_minimized"]:
            if self.tray is not None and self.settings["minimize_to_tray"]:
                return  # the tray icon is the window until the user opens it
            self.showMinimized()
        else:
            self.show()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.WindowStateChange
            and self.isMinimized()
            and self.tray is not None
            and self.settings["minimize_to_tray"]
        ):
            QTimer.singleShot(0, self.hide)

    def exit(self) -> None:
        """File > Exit and the tray's Exit: close the window, which ends the GUI (the service keeps running)."""
        self.close()

    def _state(self, snap: Snapshot | None) -> str:
        if not self.linked:
            return "Not connected"
        if snap is None:
            return "Connecting"
        if snap.foreign is not None:
            return "Disconnected: another station's service"
        if not snap.connected:
            return "Disconnected"
        server = (snap.status or {}).get("server")
        state = server.get("state") if isinstance(server, dict) else None
        if state == "unreachable":
            return "Connected, server unreachable"
        if state == "token_refused":
            return "Connected, token refused"
        return "Connected"

    def _update_title(self) -> None:
        station = self.settings["station_name"]
        instance = self.settings["instance_name"]
        name = f"{instance} ({station})" if instance and station and instance != station else instance or station
        label = f"{APP_TITLE} - {name}" if name else APP_TITLE
        state = self._state(self.snapshot)
        self.setWindowTitle(f"{label} [{state}]")
        if self.tray is not None:
            self.tray.setToolTip(f"{label}\n{state}")
            self.tray_status_action.setText(f"Service: {state}")

    def _wanted_parts(self) -> set[str]:
        return {
            "Converters": {"converters"},
            "Queue": {"queue"},
            "Log": {"log"},
            "SN Handler": {"serial_numbers"},
            "Software": {"software"},
        }.get(self.current_tab(), set())

    def refresh(self) -> None:
        """Read the service's state now (off the UI thread); one refresh at a time.

        Only the status is read every time; a list costs a request and is read while its tab is shown.
        """
        if self._polling or self._closed or not self.linked:
            return
        self._polling = True
        link, parts = self.link, frozenset(self._wanted_parts())
        self.run_task(lambda: link.snapshot(parts), self._apply_snapshot, self._snapshot_failed)

    def connect_service(self) -> None:
        """Start talking to the service (the Connect button, when ``auto_connect`` is off)."""
        self.linked = True
        self.connect_button.setVisible(False)
        self._timer.start()
        self._update_title()
        self.refresh()

    def _snapshot_failed(self, message: str) -> None:
        self._polling = False
        self.message(f"Refresh failed: {message}")

    def _apply_snapshot(self, snap: Snapshot) -> None:
        self._polling = False
        previous = self._state_word
        self.snapshot = snap
        self.connected = snap.connected
        self._state_word = self._state(snap)
        if previous and previous != self._state_word:
            self.statusBar().clearMessage()  # what it said was about the state that just ended
            self.action_result.setText("")
        self._update_title()
        self._show_connection(snap)
        self._show_tabs(snap)

    def _show_tabs(self, snap: Snapshot) -> None:
        """Every tab that shows the service's state (the optional ones only when the config shows them)."""
        if hasattr(self, "converter_table"):
            self._show_converters(snap)
        self._show_queue(snap)
        self._show_log(snap)
        if hasattr(self, "sn_state_label"):
            self._show_sn(snap)
        if hasattr(self, "software_installed_table"):
            self._show_software(snap)

    def stop_service(self) -> None:
        """Ask the service to stop (File > Stop Service); the window stays open and shows the state."""
        if not self.connected:
            self.message("The service is not running")
            return
        self.action_result.setText("")
        self.message("Stopping the service...")
        self.run_task(
            lambda: self.link.command("POST", "/stop"),
            self._then_refresh("The service is stopping"),
            self._service_failed("Stop Service"),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self._timer.stop()
        self.hide()  # before waiting: a window that cannot repaint must not stay on screen
        if self.tray is not None:
            self.tray.hide()
        # work not started yet never will be; running work (Start Service can take a minute) is waited for
        # only EXIT_WAIT_S, and whatever it answers later is dropped by the closed outbox
        self._outbox.close()
        running = set(self._running)
        self._workers.shutdown(wait=False, cancel_futures=True)
        if running:
            wait(running, timeout=self.EXIT_WAIT_S)
        self._handlers.clear()
        super().closeEvent(event)
        self.closed.emit(self)

    # -- Setup ---------------------------------------------------------------------------------

    def _setup_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        cfg = self.settings.config
        self.server_edit = QLineEdit(cfg["service_address"])
        self.server_edit.setPlaceholderText("https://your-wats-server.com")
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(
            f"saved ({mask_token(cfg['api_token'])}); type to replace"
            if cfg["api_token"]
            else "base64 of user:password"
        )
        self.station_edit = QLineEdit(cfg["station_name"])
        self.station_edit.setPlaceholderText("YOUR-STATION-01")
        form.addRow("Server URL", self._editor("service_address", self.server_edit))
        form.addRow("API Token", self._editor("api_token", self.token_edit))
        form.addRow("Station Name", self._editor("station_name", self.station_edit))
        self.save_button = self._save_button(self.save_setup)
        self.test_button = QPushButton("Test Connection")
        self.test_button.clicked.connect(self.test_connection)
        form.addRow(_button_row(self.save_button, self.test_button))
        self.setup_result = QLabel("")
        self.setup_result.setWordWrap(True)
        self.setup_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.setup_result)
        return page

    def _save_button(self, save: Callable[[], object]) -> QPushButton:
        """Every tab's Save button: the same size, on the left."""
        button = QPushButton("Save")
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        button.setMinimumWidth(96)
        button.clicked.connect(save)
        self.save_buttons.append(button)
        return button

    def _token(self) -> str:
        return self.token_edit.text().strip() or str(self.settings.config["api_token"])

    def save_setup(self) -> None:
        """Validate the Setup fields and write them to the config file (all or nothing)."""
        changes = {"service_address": self.server_edit.text(), "station_name": self.station_edit.text()}
        if self.token_edit.text().strip():
            changes["api_token"] = self.token_edit.text()
        elif not self.settings.config["api_token"]:
            bad = self.settings.problems.get("api_token")
            said = f"{bad}; enter the API token" if bad else "api_token: enter the API token"
            self.setup_result.setText(f"Not saved: {said}")
            return
        if self._save(changes, "Setup"):
            self.token_edit.clear()
            token = self.settings.config["api_token"]
            self.token_edit.setPlaceholderText(f"saved ({mask_token(token)}); type to replace")
            running = " Restart the service (Connection tab) to apply." if self.connected else ""
            self.setup_result.setText(f"Saved to {self.settings.path}.{running}")
            self._update_title()
        else:
            self.setup_result.setText(self.statusBar().currentMessage())

    def test_connection(self) -> None:
        """Check the server URL and token in the fields (saved or not) without blocking the window."""
        try:
            url = parse_value("service_address", self.server_edit.text())
            token = parse_value("api_token", self._token())
        except ConfigError as exc:
            self.setup_result.setText(f"Connection failed: {exc}")
            return
        if not token:
            self.setup_result.setText("Connection failed: enter the API token")
            return
        self.test_button.setEnabled(False)
        self.setup_result.setText(f"Testing {url}...")
        settings = self.settings

        def done(version: str) -> None:
            self.test_button.setEnabled(True)
            self.setup_result.setText(f"Connected to {url} (WATS {version})")

        def failed(error: str) -> None:
            self.test_button.setEnabled(True)
            self.setup_result.setText(f"Connection failed: {error}")

        self.run_task(lambda: _test_connection(url, token, settings), done, failed)

    # -- General -------------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        tabs_box = QGroupBox("GUI Tab Visibility (applied when the GUI restarts: File > Restart GUI)")
        tabs_layout = QVBoxLayout(tabs_box)
        self.tab_checks: dict[str, QCheckBox] = {}
        for key, title in TAB_KEYS.items():
            check = QCheckBox(f"Show {title} tab")
            check.setChecked(self.settings.tab_visible(key))
            self.tab_checks[key] = check
            tabs_layout.addWidget(self._editor(key, check))
        layout.addWidget(tabs_box)
        window_box = QGroupBox("Window (Start minimized and Connect apply the next time the window opens)")
        window_form = QFormLayout(window_box)
        self.instance_name_edit = QLineEdit(self.settings["instance_name"])
        self.instance_name_edit.setPlaceholderText("shown in the title, e.g. Production Test Station")
        window_form.addRow("Instance name", self._editor("instance_name", self.instance_name_edit))
        self.window_checks: dict[str, QCheckBox] = {}
        for key, text in (
            ("start_minimized", "Start minimized"),
            ("minimize_to_tray", "Minimize to the system tray"),
            ("auto_connect", "Connect to the service when the window opens"),
        ):
            check = QCheckBox(text)
            check.setChecked(bool(self.settings[key]))
            self.window_checks[key] = check
            window_form.addRow(self._editor(key, check))
        layout.addWidget(window_box)
        log_box = QGroupBox("Logging")
        log_form = QFormLayout(log_box)
        self.log_level_combo = QComboBox()
        self.log_level_combo.addItems(LOG_LEVELS)
        self.log_level_combo.setCurrentText(self.settings["log_level"])
        log_form.addRow("Log level", self._editor("log_level", self.log_level_combo))
        log_form.addRow(QLabel("DEBUG also logs the pyWATS library (HTTP requests and retries)."))
        layout.addWidget(log_box)
        layout.addLayout(_button_row(self._save_button(self.save_general)))
        layout.addStretch()
        return page

    def save_general(self) -> None:
        changes: dict[str, Any] = {key: check.isChecked() for key, check in self.tab_checks.items()}
        changes.update({key: check.isChecked() for key, check in self.window_checks.items()})
        changes["instance_name"] = self.instance_name_edit.text()
        changes["log_level"] = self.log_level_combo.currentText()
        if self._save(changes, "General settings"):
            self._update_title()

    # -- Connection ----------------------------------------------------------------------------

    def _connection_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        # the buttons come first: a long error below them must not move them
        self.start_button = QPushButton("Start Service")
        self.start_button.clicked.connect(self.start_service)
        self.restart_service_button = QPushButton("Restart Service (apply configuration)")
        self.restart_service_button.clicked.connect(self.restart_service)
        self.stop_button = QPushButton("Stop Service")
        self.stop_button.clicked.connect(self.stop_service)
        self.test_report_button = QPushButton("Send Test Report")
        self.test_report_button.clicked.connect(self.send_test_report)
        self.connect_button = QPushButton("Connect")
        self.connect_button.clicked.connect(self.connect_service)
        self.connect_button.setVisible(not self.linked)
        for b in (self.start_button, self.restart_service_button, self.stop_button, self.test_report_button):
            b.setEnabled(False)
        layout.addLayout(
            _button_row(
                self.connect_button,
                self.start_button,
                self.restart_service_button,
                self.stop_button,
                self.test_report_button,
            )
        )
        self.action_result = QLabel("")  # why the last Start/Restart/Stop failed, in full
        self.action_result.setWordWrap(True)
        self.action_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_result.setStyleSheet("color: #8a1f11;")
        layout.addWidget(self.action_result)
        self.restart_hint = QLabel("")
        self.restart_hint.setStyleSheet("color: #8a5300;")
        layout.addWidget(self.restart_hint)
        form = QFormLayout()
        self.conn_labels: dict[str, QLabel] = {}
        for key, title in (
            ("state", "Service"),
            ("api", "Control API"),
            ("server", "WATS server"),
            ("counters", "Reports"),
            ("test_report", "Test report"),
            ("last_error", "Last error"),
        ):
            label = QLabel("")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.conn_labels[key] = label
            form.addRow(title, label)
        layout.addLayout(form)
        layout.addStretch()
        return page

    def _no_service(self, to_do: str, end: str = ".") -> str:
        """What a tab says while it has no service to read: why, and what to press."""
        if not self.linked:
            return f"Not connected (auto_connect is off): press Connect on the Connection tab to {to_do}{end}"
        return f"Service not running: start it (Connection tab) to {to_do}{end}"

    def _show_unlinked(self) -> None:
        """Until Connect: every tab says so, and nothing that would talk to the service is enabled."""
        self.conn_labels["state"].setText("not connected (auto_connect is off): press Connect to talk to the service")
        self.conn_labels["api"].setText(self.link.api_url())
        self.conn_labels["server"].setText(str(self.settings["service_address"]))
        self._show_tabs(Snapshot(connected=False))

    def _show_connection(self, snap: Snapshot) -> None:
        labels = self.conn_labels
        labels["api"].setText(self.link.api_url())
        status = snap.status or {}
        if snap.connected:
            instance = status.get("instance")
            pid = status.get("pid", instance.get("pid", "?") if isinstance(instance, dict) else "?")
            labels["state"].setText(f"{status.get('state', '?')} (pid {pid})")
            labels["state"].setToolTip("")
            labels["server"].setText(_server_text(status))
            counters = status.get("counters", {})
            labels["counters"].setText(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counters.items()))
            error = str(status.get("last_error") or "none")
            shown = error if len(error) <= SHOWN_ERROR_CHARS else error[:SHOWN_ERROR_CHARS] + "… (hover for all)"
            labels["last_error"].setText(shown)
            labels["last_error"].setToolTip(error if shown != error else "")
        else:
            if snap.foreign is not None:
                labels["state"].setText(
                    f"not running: port {self.settings['api_port']} is used by "
                    f"{self.link.describe(snap.foreign)}. This station's service cannot use it: give this "
                    "station another api_port."
                )
            elif snap.answered:
                labels["state"].setText(f"not usable: {snap.error}")
            elif snap.silent:
                labels["state"].setText(
                    f"not answering: {snap.error}. It may be busy: wait; if it stays so, stop its process "
                    "and use Start Service."
                )
            else:
                labels["state"].setText(
                    f"not running: nothing answers at {self.link.api_url()}. Start Service starts it."
                )
            labels["state"].setToolTip(snap.error)
            labels["server"].setText(str(self.settings["service_address"]))
            labels["counters"].setText("")
            labels["last_error"].setText("")
            labels["last_error"].setToolTip("")
            self.restart_hint.setText("")
        self.start_button.setEnabled(not snap.connected)
        self.restart_service_button.setEnabled(snap.connected)
        self.stop_button.setEnabled(snap.connected)
        self.stop_action.setEnabled(snap.connected)
        self.test_report_button.setEnabled(snap.connected and self._test_report is None)

    def start_service(self) -> None:
        self.start_button.setEnabled(False)
        self.action_result.setText("")
        self.message("Starting the service...")
        self.run_task(
            self.link.start_service,
            self._then_refresh("The service started"),
            self._start_failed,
        )

    def _start_failed(self, error: str) -> None:
        self._service_failed("Start Service")(error)
        self.start_button.setEnabled(True)

    def _service_failed(self, what: str) -> Callable[[str], None]:
        """A failed Start/Restart/Stop: the whole reason on the Connection tab (the status bar would cut it off)."""

        def failed(error: str) -> None:
            self.message(f"{what} failed (see the Connection tab)")
            self.action_result.setText(f"{what} failed: {error}")

        return failed

    def restart_service(self) -> None:
        self.action_result.setText("")
        self.message("Restarting the service with the saved configuration...")

        def done(_: Any) -> None:
            self.restart_hint.setText("")
            self._then_refresh("The service restarted with the saved configuration")(_)

        self.run_task(
            lambda: self.link.command("POST", "/restart"),
            done,
            self._service_failed("Restart Service"),
        )

    def send_test_report(self) -> None:
        """Send a small test report through the service's queue and show when the server confirmed it."""
        self.test_report_button.setEnabled(False)
        self.conn_labels["test_report"].setText("queued with the service...")

        def queued(answer: Any) -> None:
            rid = str((answer or {}).get("report_id", ""))
            self._test_report = rid
            self.conn_labels["test_report"].setText(f"{rid}: waiting for the server to confirm it")
            self._poll_test_report(rid, time.monotonic() + 120)

        def failed(error: str) -> None:
            self.conn_labels["test_report"].setText(f"not sent: {error}")
            self._test_report = None
            self.test_report_button.setEnabled(self.connected)

        self.run_task(lambda: self.link.command("POST", "/test-report", {}), queued, failed)

    def _poll_test_report(self, rid: str, deadline: float) -> None:
        def answered(answer: Any) -> None:
            state = str((answer or {}).get("state", ""))
            label = self.conn_labels["test_report"]
            if state == "sent":
                label.setText(f"{rid}: confirmed by the server at {_clock((answer or {}).get('sent_at'))}")
            elif state == "refused":
                label.setText(f"{rid}: refused by the server: {(answer or {}).get('reason', '')}")
            elif time.monotonic() < deadline:
                label.setText(f"{rid}: {state.replace('_', ' ') or 'queued'}, waiting for the server to confirm it")
                # the window as context: a closed window's timer is dropped, not called on a deleted object
                QTimer.singleShot(500, self, lambda: self._poll_test_report(rid, deadline))
                return
            else:
                label.setText(f"{rid}: still {state or 'queued'}; the Queue tab shows it until the server takes it")
            self._test_report = None
            self.test_report_button.setEnabled(self.connected)

        def failed(error: str) -> None:
            self.conn_labels["test_report"].setText(f"{rid}: cannot follow it: {error}")
            self._test_report = None
            self.test_report_button.setEnabled(self.connected)

        self.run_task(lambda: self.link.request("GET", f"/reports/{rid}"), answered, failed)

    # -- Location, SN handler, Proxy, Software ------------------------------------------------------

    def _form_tab(
        self, rows: list[tuple[str, QWidget]], save: Callable[[], object], note: str = ""
    ) -> tuple[QWidget, QVBoxLayout]:
        """A settings page: the form, a note, the Save button; returns the page and its column (to add more)."""
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        for title, widget in rows:
            form.addRow(title, widget)
        layout.addLayout(form)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(_button_row(self._save_button(save)))
        return page, layout

    def _location_tab(self) -> QWidget:
        self.location_edit = QLineEdit(self.settings["location"])
        self.location_edit.setPlaceholderText("e.g. Building A, Line 3")
        page, body = self._form_tab(
            [("Location", self._editor("location", self.location_edit))],
            lambda: self._save({"location": self.location_edit.text()}, "Location"),
            "Stamped on reports that carry no location of their own (applied when the service restarts).",
        )
        body.addStretch()
        return page

    def _sn_tab(self) -> QWidget:
        self.sn_mode_combo = QComboBox()
        self.sn_mode_combo.addItems(list(_choices("sn_handler_mode")))
        self.sn_mode_combo.setCurrentText(self.settings["sn_handler_mode"])
        rows: list[tuple[str, QWidget]] = [("Mode", self._editor("sn_handler_mode", self.sn_mode_combo))]
        self.sn_edits: dict[str, QWidget] = {}
        for key, title in (
            ("sn_type", "Serial number type (server)"),
            ("sn_block_size", "Block size"),
            ("sn_low_water", "Refill below"),
            ("sn_prefix", "Prefix (auto_increment)"),
            ("sn_next_number", "Next number (auto_increment)"),
        ):
            if key not in KEYS:
                continue
            value = self.settings[key]
            widget: QWidget
            if isinstance(value, int) and not isinstance(value, bool):
                spin = QSpinBox()
                spin.setRange(0, 2_000_000_000)
                spin.setValue(int(value))
                widget = spin
            else:
                widget = QLineEdit(str(value))
            self.sn_edits[key] = widget
            rows.append((title, self._editor(key, widget)))
        self.sn_prefix_edit = self.sn_edits.get("sn_prefix")
        self.sn_next_spin = self.sn_edits.get("sn_next_number")

        def save() -> None:
            changes: dict[str, Any] = {"sn_handler_mode": self.sn_mode_combo.currentText()}
            for key, widget in self.sn_edits.items():
                changes[key] = widget.value() if isinstance(widget, QSpinBox) else widget.text()  # type: ignore[attr-defined]
            self._save(changes, "SN handler settings")

        page, body = self._form_tab(
            rows,
            save,
            "server: the service takes serial numbers of the type from the WATS server in blocks and keeps "
            "them on disk, so the station goes on offline; auto_increment: prefix + a counter kept by the "
            "service; manual: the test program types them. Test programs ask the service: "
            "POST /serial-numbers/next, or pywats-client sn next.",
        )
        pool_box = QGroupBox("Pool (from the running service)")
        pool_layout = QVBoxLayout(pool_box)
        self.sn_state_label = QLabel("")
        self.sn_state_label.setWordWrap(True)
        self.sn_state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        pool_layout.addWidget(self.sn_state_label)
        self.sn_take_button = QPushButton("Take Next Serial Number")
        self.sn_take_button.clicked.connect(self.take_serial_number)
        self.sn_taken_label = QLabel("")
        self.sn_taken_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = _button_row(self.sn_take_button)
        row.insertWidget(1, self.sn_taken_label)
        pool_layout.addLayout(row)
        body.addWidget(pool_box)
        body.addStretch()
        return page

    def _show_sn(self, snap: Snapshot) -> None:
        self.sn_take_button.setEnabled(snap.connected)
        if not snap.connected:
            self.sn_state_label.setText(self._no_service("see its serial number pool"))
            return
        if "serial_numbers" in snap.errors:
            self.sn_state_label.setText(f"The service does not report a pool: {snap.errors['serial_numbers']}")
            return
        state = snap.serial_numbers
        if state is None:
            return
        self.sn_state_label.setText(_sn_text(state))

    def take_serial_number(self) -> None:
        def done(answer: Any) -> None:
            sn = str((answer or {}).get("serial_number", ""))
            self.sn_taken_label.setText(f"Taken: {sn}")
            self.message(f"Serial number {sn} taken from the service")
            self.refresh()

        self.run_task(
            lambda: self.link.command("POST", "/serial-numbers/next", {}),
            done,
            lambda error: self.sn_taken_label.setText(f"None taken: {error}"),
        )

    def _proxy_tab(self) -> QWidget:
        self.proxy_mode_combo = QComboBox()
        self.proxy_mode_combo.addItems(["system", "none", "manual"])
        self.proxy_mode_combo.setCurrentText(self.settings["proxy_mode"])
        self.proxy_url_edit = QLineEdit(self.settings["proxy_url"])
        self.proxy_url_edit.setPlaceholderText("http://proxy.example.com:8080")
        page, body = self._form_tab(
            [
                ("Proxy", self._editor("proxy_mode", self.proxy_mode_combo)),
                ("Proxy URL (manual)", self._editor("proxy_url", self.proxy_url_edit)),
            ],
            lambda: self._save(
                {"proxy_mode": self.proxy_mode_combo.currentText(), "proxy_url": self.proxy_url_edit.text()},
                "Proxy settings",
            ),
            "The service uses it from its next (re)start (proxy_mode, proxy_url). 'system': HTTPS_PROXY/"
            "HTTP_PROXY/NO_PROXY, else the operating system's proxy settings; 'none': always direct.",
        )
        body.addStretch()
        return page

    def _software_tab(self) -> QWidget:
        self.software_auto_check = QCheckBox("Download released packages meant for this station")
        self.software_auto_check.setChecked(bool(self.settings["software_auto_update"]))
        self.software_folder_edit = QLineEdit(self.settings["software_folder"])
        self.software_folder_edit.setPlaceholderText(str(self.settings.config.data_dir / "software"))
        rows: list[tuple[str, QWidget]] = [
            ("Auto update", self._editor("software_auto_update", self.software_auto_check)),
            ("Software folder", self._editor("software_folder", self.software_folder_edit)),
        ]
        self.software_tags_edit: QLineEdit | None = None
        if "software_tags" in KEYS:
            self.software_tags_edit = QLineEdit(_tags_text(self.settings["software_tags"]))
            self.software_tags_edit.setPlaceholderText(f"station={self.settings['station_name'] or 'NAME'}")
            rows.append(("Package tags", self._editor("software_tags", self.software_tags_edit)))

        def save() -> None:
            changes: dict[str, Any] = {
                "software_auto_update": self.software_auto_check.isChecked(),
                "software_folder": self.software_folder_edit.text(),
            }
            if self.software_tags_edit is not None:
                changes["software_tags"] = self.software_tags_edit.text()
            self._save(changes, "Software settings")

        page, body = self._form_tab(
            rows,
            save,
            "With auto update on, the service asks the server for released packages carrying these tags "
            "(key=value, separated by ';'; empty: station=<station name>) and downloads each into the "
            "software folder (checksums verified; a package appears only when complete).",
        )
        self.software_state_label = QLabel("")
        self.software_state_label.setWordWrap(True)
        body.addWidget(self.software_state_label)
        body.addWidget(QLabel("Installed"))
        self.software_installed_table = _table(["Package", "Version", "Installed", "Folder"])
        body.addWidget(self.software_installed_table)
        body.addWidget(QLabel("Available on the server for this station"))
        self.software_available_table = _table(["Package", "Version", "Status", "Installed here"])
        body.addWidget(self.software_available_table)
        return page

    def _show_software(self, snap: Snapshot) -> None:
        if not snap.connected:
            self.software_state_label.setText(self._no_service("see the packages"))
            _fill(self.software_installed_table, [])
            _fill(self.software_available_table, [])
            return
        if "software" in snap.errors:
            self.software_state_label.setText(f"The service does not report software: {snap.errors['software']}")
            return
        state = snap.software
        if state is None:
            return
        self.software_state_label.setText(_software_text(state))
        installed = [
            [str(p.get("name", "")), str(p.get("version", "")), _clock(p.get("installed_at")), str(p.get("path", ""))]
            for p in state.get("installed") or []
        ]
        available = [
            [str(p.get("name", "")), str(p.get("version", "")), str(p.get("status", "")), _yes(p.get("installed"))]
            for p in state.get("available") or []
        ]
        _fill(self.software_installed_table, installed, [(r[0], r[1]) for r in installed])
        _fill(self.software_available_table, available, [(r[0], r[1]) for r in available])

    # -- Converters ------------------------------------------------------------------------------

    def _converters_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.converters_hint = QLabel("")
        self.converters_hint.setWordWrap(True)
        layout.addWidget(self.converters_hint)
        self.converter_table = _table(["Converter", "Enabled", "Patterns", "Source", "Error"])
        layout.addWidget(self.converter_table)
        enable = QPushButton("Enable")
        enable.clicked.connect(lambda: self.set_converter_enabled(self._selected_converter(), True))
        disable = QPushButton("Disable")
        disable.clicked.connect(lambda: self.set_converter_enabled(self._selected_converter(), False))
        row = _button_row(enable, disable)
        row.insertWidget(2, QLabel("Saved to the config file; the service is restarted to apply it."))
        layout.addLayout(row)
        return page

    def _show_converters(self, snap: Snapshot) -> None:
        rows: list[list[str]]
        if snap.converters is not None:
            self.converters_hint.setText("")
            self.converters_hint.setVisible(False)
            rows = [
                [
                    str(c.get("name", "")),
                    _yes(c.get("enabled")),
                    ", ".join(c.get("patterns") or []),
                    str(c.get("source", "")),
                    str(c.get("error") or ""),
                ]
                for c in snap.converters
            ]
        elif not snap.connected:  # no service to ask which converters exist: show what the config disables
            disabled = self.settings["disabled_converters"]
            self.converters_hint.setVisible(True)
            self.converters_hint.setText(
                self._no_service(
                    "see the converters it found",
                    "; listed below are the ones the configuration disables." if disabled else ".",
                )
            )
            rows = [[name, "no", "", "(disabled in the configuration)", ""] for name in disabled]
        else:
            return  # the tab is not shown: its list was not read
        _fill(self.converter_table, rows, [r[0] for r in rows])

    def _selected_converter(self) -> str:
        row = self.converter_table.currentRow()
        item = self.converter_table.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else ""

    def set_converter_enabled(self, name: str, enabled: bool) -> None:
        """Enable or disable converter ``name`` in the config file, then restart a running service to apply it."""
        if not name:
            self.message("Select a converter first")
            return
        disabled = [d for d in self.settings["disabled_converters"] if d.lower() != name.lower()]
        if not enabled:
            disabled.append(name)
        what = f"Converter {name} {'enabled' if enabled else 'disabled'}:"
        if self._save({"disabled_converters": disabled}, what, tell_service=False):  # the restart applies it
            if self.connected:
                self.restart_service()

    # -- Queue ---------------------------------------------------------------------------------

    def _queue_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.queue_summary = QLabel("")
        self.queue_summary.setWordWrap(True)
        layout.addWidget(self.queue_summary)
        layout.addWidget(QLabel("Pending reports"))
        self.pending_table = _table(["Report id", "Source file"])
        layout.addWidget(self.pending_table)
        layout.addWidget(QLabel("Failed files and refused reports (select one to read its reason in full)"))
        self.failed_table = _table(["Kind", "File", "Reason"])
        self.failed_table.itemSelectionChanged.connect(self._show_failed_details)
        layout.addWidget(self.failed_table)
        self.failed_details = QPlainTextEdit()
        self.failed_details.setReadOnly(True)
        self.failed_details.setMaximumHeight(90)
        self.failed_details.setPlaceholderText("The selected item's file and full reason")
        layout.addWidget(self.failed_details)
        self.retry_button = retry = QPushButton("Retry Selected")
        retry.clicked.connect(self.retry_selected)
        self.process_button = process = QPushButton("Process Queue Now")
        process.clicked.connect(
            lambda: self.run_task(
                lambda: self.link.command("POST", "/queue/process"),
                lambda _: self.refresh(),
                lambda error: self.message(f"Process Queue: {error}"),
            )
        )
        layout.addLayout(_button_row(retry, process))
        self._failed: list[FailedFile] = []
        return page

    def _show_queue(self, snap: Snapshot) -> None:
        status = snap.status or {}
        queue = status.get("queue", {})
        counters = status.get("counters", {})
        if snap.connected:
            failed = (
                _files(sum(1 for f in snap.failed if f.kind == "conversion")) + " failed to convert"
                if snap.failed is not None
                else _files(counters.get("files_failed", 0)) + " failed to convert since the service started"
            )
            self.queue_summary.setText(
                f"{queue.get('pending', 0)} pending, {queue.get('in_flight', 0)} in flight, "
                f"{counters.get('reports_submitted', 0)} sent, {queue.get('rejected', 0)} refused by the server, "
                f"{failed}"
            )
        else:
            self.queue_summary.setText(self._no_service("see and retry its queue"))
        self.retry_button.setEnabled(snap.connected)
        self.process_button.setEnabled(snap.connected)
        if snap.connected and snap.pending is None:
            return  # the tab is not shown: its lists were not read
        pending = [[rid, source] for rid, source in snap.pending or []]
        _fill(self.pending_table, pending, [r[0] for r in pending])
        self._failed = list(snap.failed or [])
        _fill(
            self.failed_table,
            [[f.kind, f.shown_name, _one_line(f.reason)] for f in self._failed],
            [f.key for f in self._failed],
            tooltips=[_failed_details(f) for f in self._failed],
        )
        self._show_failed_details()

    def _selected_failed(self) -> list[FailedFile]:
        keys = _selected_keys(self.failed_table)
        return [f for f in self._failed if f.key in keys]

    def _show_failed_details(self) -> None:
        chosen = self._selected_failed()
        text = "\n\n".join(_failed_details(f) for f in chosen)
        if self.failed_details.toPlainText() != text:
            self.failed_details.setPlainText(text)

    def retry_selected(self) -> None:
        """Ask the service to give the selected failed files another go (reconverted, or resubmitted)."""
        items = self._selected_failed()
        if not items:
            self.message("Select a failed file first")
            return

        def work() -> int:
            for item in items:
                self.link.retry(item)
            return len(items)

        self.run_task(
            work,
            self._then_refresh(f"{len(items)} file(s) sent for another try"),
            lambda error: self.message(f"Retry: {error}"),
        )

    # -- Log -----------------------------------------------------------------------------------

    def _log_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.log_hint = QLabel("The service's log (last lines, read while this tab is shown)")
        self.log_hint.setWordWrap(True)
        layout.addWidget(self.log_hint)
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        # wrapped: a log line's reason is at its end, where an unwrapped view would cut it off
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout.addWidget(self.log_view)
        return page

    def _show_log(self, snap: Snapshot) -> None:
        if not snap.connected:
            self.log_hint.setText(self._no_service("read its log"))
            return
        if "log" in snap.errors:
            self.log_hint.setText(f"The service does not serve its log: {snap.errors['log']}")
            return
        if snap.log is None:
            return
        self.log_hint.setText(f"The service's log: last {len(snap.log)} lines (read while this tab is shown)")
        text = "\n".join(snap.log)
        if self.log_view.toPlainText() != text:
            bar = self.log_view.verticalScrollBar()
            at_end = bar.value() >= bar.maximum() - 2
            self.log_view.setPlainText(text)
            if at_end:
                bar.setValue(bar.maximum())


# -- helpers ---------------------------------------------------------------------------------------


def _button_row(*buttons: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch()
    return row


def _choices(key: str) -> tuple[str, ...]:
    """The values a choice key accepts, found by asking its rule (one source of truth: the key table)."""
    found = []
    for option in ("manual", "auto_increment", "server", "system", "none"):
        try:
            KEYS[key].parse(option)
        except ConfigError:
            continue
        found.append(option)
    return tuple(found)


def _clock(value: Any) -> str:
    """An epoch time or ISO text as local ``YYYY-MM-DD HH:MM:SS`` ("" if none)."""
    if value in (None, ""):
        return ""
    if isinstance(value, int | float):
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(value)))
    return str(value).replace("T", " ")[:19]


def _files(count: Any) -> str:
    return "1 file" if count == 1 else f"{count} files"


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _failed_details(item: FailedFile) -> str:
    where = f"{item.source} (queued as {item.name})" if item.source else item.name
    return f"{item.kind}: {where}\n{item.reason}"


def _server_text(status: dict[str, Any]) -> str:
    text = str(status.get("service_address", ""))
    server = status.get("server")
    if isinstance(server, dict) and server.get("state"):
        words = {
            "reachable": "reachable",
            "unreachable": "NOT REACHABLE",
            "token_refused": "REFUSES THE TOKEN",
            "unknown": "not checked yet",
        }
        state = words.get(str(server["state"]), str(server["state"]))
        since = f" since {_clock(server.get('since'))}" if server.get("since") else ""
        detail = f" ({server['detail']})" if server.get("detail") and server["state"] != "reachable" else ""
        text += f": {state}{since}{detail}"
    return text


def _sn_text(state: dict[str, Any]) -> str:
    mode = state.get("mode", "?")
    if mode == "manual":
        return "Mode manual: the service hands out no serial numbers (test programs type them)."
    if mode == "auto_increment":
        return f"Mode auto_increment: next {state.get('next', '?')}."
    parts = [
        f"Mode server, type {state.get('type') or '(not set)'}: {state.get('available', 0)} serial numbers on disk",
    ]
    if state.get("next"):
        parts.append(f"next {state['next']}")
    if state.get("refilled_at"):
        parts.append(f"last block taken {_clock(state['refilled_at'])}")
    if state.get("last_error"):
        parts.append(f"last problem: {state['last_error']}")
    return "; ".join(parts)


def _software_text(state: dict[str, Any]) -> str:
    if not state.get("auto_update"):
        head = "Auto update is off: the service does not download packages."
    else:
        tags = _tags_text(state.get("tags") or [])
        head = f"Auto update on, packages tagged {tags}, into {state.get('folder', '?')}."
    if state.get("checked_at"):
        head += f" Last check {_clock(state['checked_at'])}."
    if state.get("last_error"):
        head += f" Last problem: {state['last_error']}"
    return head


def _tags_text(tags: Any) -> str:
    return "; ".join(str(t) for t in tags) if isinstance(tags, list) else str(tags)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


KEY_ROLE = Qt.ItemDataRole.UserRole


def _rows(table: QTableWidget) -> list[list[str]]:
    out = []
    for r in range(table.rowCount()):
        row = []
        for c in range(table.columnCount()):
            item = table.item(r, c)
            row.append(item.text() if item is not None else "")
        out.append(row)
    return out


def _selected_keys(table: QTableWidget) -> set[Hashable]:
    keys: set[Hashable] = set()
    for index in table.selectionModel().selectedRows():
        item = table.item(index.row(), 0)
        if item is not None:
            keys.add(item.data(KEY_ROLE))
    return keys


def _fill(
    table: QTableWidget,
    rows: list[list[str]],
    keys: Sequence[Hashable] | None = None,
    tooltips: Sequence[str] | None = None,
) -> None:
    """Replace the rows, keeping the user's selection on the same items (by key, not by row number).

    A live refresh must not move the selection: a file arriving above the selected one would
    otherwise put it on another file, which Retry would then act on.
    """
    keys = list(keys) if keys is not None else [tuple(r) for r in rows]
    if _rows(table) == rows and [table.item(r, 0).data(KEY_ROLE) for r in range(table.rowCount())] == keys:  # type: ignore[union-attr]
        return  # unchanged: leave the table (and its scroll position) alone
    selected = _selected_keys(table)
    table.blockSignals(True)
    try:
        table.clearSelection()
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(KEY_ROLE, keys[r])
                if tooltips is not None:
                    item.setToolTip(tooltips[r])
                table.setItem(r, c, item)
        mode = table.selectionModel()
        for r, key in enumerate(keys):
            if key in selected:
                index = table.model().index(r, 0)
                mode.select(index, mode.SelectionFlag.Select | mode.SelectionFlag.Rows)
    finally:
        table.blockSignals(False)
    table.itemSelectionChanged.emit()


class GuiController(QObject):
    """Owns the window; File > Restart GUI replaces it with a fresh one that re-reads the config file.

    The service is a separate process and is not touched by a GUI restart.
    """

    def __init__(self, config_path: Path | None = None, *, poll_ms: int = 1000, tray: bool | None = None) -> None:
        super().__init__()
        self.config_path = config_path
        self.poll_ms = poll_ms
        self.tray = tray
        self.window = self._new_window()

    def _new_window(self) -> MainWindow:
        window = MainWindow(self.config_path, poll_ms=self.poll_ms, tray=self.tray)
        window.restart_requested.connect(self.restart)
        window.closed.connect(self._window_closed)
        return window

    def _window_closed(self, window: MainWindow) -> None:
        """The current window closed (File > Exit, the tray's Exit, the title bar's X): end the GUI's loop.

        A window replaced by Restart GUI closes too, and is not the current one. ``exit()``, not ``quit()``:
        Qt's quit posts an event that closes every window, which would outlive the loop it was meant for.
        """
        app = QApplication.instance()
        if window is self.window and app is not None:
            app.exit(0)

    def restart(self) -> None:
        old = self.window
        geometry = old.geometry()
        self.window = self._new_window()
        self.window.setGeometry(geometry)
        self.window.show()
        old.close()
        old.deleteLater()

    def shutdown(self) -> None:
        """Close and delete the window now, while Qt is still there (nothing of ours outlives the application)."""
        import shiboken6

        window = self.window
        window.close()  # stops its timer and waits (a few seconds at most) for its worker threads
        if shiboken6.isValid(window):
            shiboken6.delete(window)
