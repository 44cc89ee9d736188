"""The station client's main window (Qt): settings tabs over the config file, service state over the control API.

Every network call and every folder scan runs on a :class:`QThreadPool` worker; the UI thread only
applies the results, so an unreachable server or service never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..config import ConfigError, mask_token, parse_value
from .link import FailedFile, ServiceLink, Snapshot
from .settings import TAB_KEYS, GuiSettings, save_settings

__all__ = ["GuiController", "MainWindow"]

APP_TITLE = "pyWATS Client"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Task(QRunnable):
    """Runs ``fn`` on a pool thread and reports back through queued signals (delivered on the UI thread)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:
            self.signals.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.signals.done.emit(result)


def _test_connection(url: str, token: str) -> str:
    """Blocking: ask ``url`` for its version with ``token``; returns the version or raises with the reason."""
    from pywats import PyWATSError, pyWATS

    try:
        with pyWATS(base_url=url, token=token, timeout=10, retry_enabled=False) as api:
            if not api.test_connection():
                raise RuntimeError(f"cannot connect to {url} (unreachable, wrong token, or not a WATS server)")
            return str(api.get_version())
    except PyWATSError as exc:
        raise RuntimeError(f"cannot connect to {url}: {exc}") from None


class MainWindow(QMainWindow):
    """The station client window for the config file at ``config_path`` (the platform default if None).

    ``poll_ms`` is how often the service's state is read (title, connection, converters and queue views).
    """

    restart_requested = Signal()

    def __init__(self, config_path: Path | None = None, *, poll_ms: int = 1000) -> None:
        super().__init__()
        self.settings = GuiSettings.load(config_path)
        self.link = ServiceLink(self.settings.config)
        self.connected = False
        self.snapshot: Snapshot | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(4)
        self._tasks: set[_Task] = set()
        self._polling = False
        self._closed = False

        self._build_menu()
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
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
        self.resize(820, 560)
        self._update_title()
        self.statusBar().showMessage(f"Configuration: {self.settings.path}")

        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        QTimer.singleShot(0, self.refresh)

    # -- plumbing ------------------------------------------------------------------------------

    def run_task(
        self, fn: Callable[[], Any], on_done: Callable[[Any], object], on_failed: Callable[[str], object]
    ) -> None:
        """Run ``fn`` off the UI thread; ``on_done(result)`` or ``on_failed(message)`` then run on it."""
        task = _Task(fn)
        task.setAutoDelete(False)  # kept in self._tasks until its answer is delivered

        def finish(handler: Callable[[Any], object], value: Any) -> None:
            self._tasks.discard(task)
            if not self._closed:
                handler(value)

        task.signals.done.connect(lambda value: finish(on_done, value))
        task.signals.failed.connect(lambda message: finish(on_failed, message))
        self._tasks.add(task)
        self._pool.start(task)

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def message(self, text: str) -> None:
        self.statusBar().showMessage(text)

    def _then_refresh(self, text: str) -> Callable[[Any], None]:
        """A task's success handler: say ``text`` and read the service's state again at once."""

        def done(_: Any) -> None:
            self.message(text)
            self.refresh()

        return done

    def _save(self, changes: dict[str, Any], what: str) -> bool:
        try:
            save_settings(self.settings.path, changes)
        except (ConfigError, OSError) as exc:
            self.message(f"Not saved: {exc}")
            return False
        self.settings = GuiSettings.load(self.settings.path)
        self.link.config = self.settings.config
        self.message(f"{what} saved to {self.settings.path}")
        return True

    # -- menu and title ------------------------------------------------------------------------

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.restart_action = QAction("&Restart GUI", self)
        self.restart_action.setShortcut(QKeySequence("Ctrl+R"))
        self.restart_action.triggered.connect(self.restart_requested.emit)
        self.stop_action = QAction("&Stop Service", self)
        self.stop_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.stop_action.triggered.connect(self.stop_service)
        self.exit_action = QAction("E&xit", self)
        self.exit_action.setShortcut(QKeySequence("Alt+F4"))
        self.exit_action.triggered.connect(self.close)
        for action in (self.restart_action, self.stop_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.exit_action)

    def _update_title(self) -> None:
        station = self.settings["station_name"]
        name = f"{APP_TITLE} - {station}" if station else APP_TITLE
        self.setWindowTitle(f"{name} [{'Connected' if self.connected else 'Disconnected'}]")

    def refresh(self) -> None:
        """Read the service's state now (off the UI thread); one refresh at a time."""
        if self._polling or self._closed:
            return
        self._polling = True
        link = self.link
        self.run_task(link.snapshot, self._apply_snapshot, self._snapshot_failed)

    def _snapshot_failed(self, message: str) -> None:
        self._polling = False
        self.message(f"Refresh failed: {message}")

    def _apply_snapshot(self, snap: Snapshot) -> None:
        self._polling = False
        self.snapshot = snap
        self.connected = snap.connected
        self._update_title()
        self._show_connection(snap)
        if hasattr(self, "converter_table"):
            self._show_converters(snap)
        self._show_queue(snap)

    def stop_service(self) -> None:
        """Ask the service to stop (File > Stop Service); the window stays open and shows the state."""
        self.message("Stopping the service...")
        self.run_task(
            lambda: self.link.request("POST", "/stop"),
            self._then_refresh("The service is stopping"),
            lambda error: self.message(f"Stop Service: {error}"),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self._timer.stop()
        super().closeEvent(event)

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
        form.addRow("Server URL", self.server_edit)
        form.addRow("API Token", self.token_edit)
        form.addRow("Station Name", self.station_edit)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save_setup)
        self.test_button = QPushButton("Test Connection")
        self.test_button.clicked.connect(self.test_connection)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.test_button)
        buttons.addStretch()
        form.addRow(buttons)
        self.setup_result = QLabel("")
        self.setup_result.setWordWrap(True)
        form.addRow(self.setup_result)
        return page

    def _token(self) -> str:
        return self.token_edit.text().strip() or str(self.settings.config["api_token"])

    def save_setup(self) -> None:
        """Validate the Setup fields and write them to the config file (all or nothing)."""
        changes = {"service_address": self.server_edit.text(), "station_name": self.station_edit.text()}
        if self.token_edit.text().strip():
            changes["api_token"] = self.token_edit.text()
        elif not self.settings.config["api_token"]:
            self.setup_result.setText("Not saved: api_token: enter the API token")
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

        def done(version: str) -> None:
            self.test_button.setEnabled(True)
            self.setup_result.setText(f"Connected to {url} (WATS {version})")

        def failed(error: str) -> None:
            self.test_button.setEnabled(True)
            self.setup_result.setText(f"Connection failed: {error}")

        self.run_task(lambda: _test_connection(url, token), done, failed)

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
            tabs_layout.addWidget(check)
        layout.addWidget(tabs_box)
        log_box = QGroupBox("Logging")
        log_form = QFormLayout(log_box)
        self.log_level_combo = QComboBox()
        self.log_level_combo.addItems(LOG_LEVELS)
        self.log_level_combo.setCurrentText(self.settings["log_level"])
        log_form.addRow("Log level", self.log_level_combo)
        log_form.addRow(QLabel("DEBUG also logs the pyWATS library (HTTP requests and retries)."))
        layout.addWidget(log_box)
        save = QPushButton("Save")
        save.clicked.connect(self.save_general)
        layout.addWidget(save, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch()
        return page

    def save_general(self) -> None:
        changes: dict[str, Any] = {key: check.isChecked() for key, check in self.tab_checks.items()}
        changes["log_level"] = self.log_level_combo.currentText()
        self._save(changes, "General settings")

    # -- Connection ----------------------------------------------------------------------------

    def _connection_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.conn_labels: dict[str, QLabel] = {}
        for key, title in (
            ("state", "Service"),
            ("api", "Control API"),
            ("server", "WATS server"),
            ("counters", "Reports"),
            ("last_error", "Last error"),
        ):
            label = QLabel("")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.conn_labels[key] = label
            form.addRow(title, label)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("Start Service")
        self.start_button.clicked.connect(self.start_service)
        self.restart_service_button = QPushButton("Restart Service (apply configuration)")
        self.restart_service_button.clicked.connect(self.restart_service)
        stop = QPushButton("Stop Service")
        stop.clicked.connect(self.stop_service)
        for b in (self.start_button, self.restart_service_button, stop):
            buttons.addWidget(b)
        buttons.addStretch()
        layout.addLayout(buttons)
        layout.addStretch()
        return page

    def _show_connection(self, snap: Snapshot) -> None:
        labels = self.conn_labels
        labels["api"].setText(self.link.api_url())
        status = snap.status or {}
        if snap.connected:
            labels["state"].setText(f"{status.get('state', '?')} (pid {status.get('pid', '?')})")
            labels["server"].setText(str(status.get("service_address", "")))
            counters = status.get("counters", {})
            labels["counters"].setText(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counters.items()))
            labels["last_error"].setText(str(status.get("last_error") or "none"))
        else:
            labels["state"].setText(f"not reachable: {snap.error}")
            labels["server"].setText(str(self.settings["service_address"]))
            labels["counters"].setText("")
            labels["last_error"].setText("")
        self.start_button.setEnabled(not snap.connected)
        self.restart_service_button.setEnabled(snap.connected)

    def start_service(self) -> None:
        self.start_button.setEnabled(False)
        self.message("Starting the service...")
        self.run_task(
            self.link.start_service,
            self._then_refresh("The service started"),
            self._start_failed,
        )

    def _start_failed(self, error: str) -> None:
        self.message(f"Start Service: {error}")
        self.start_button.setEnabled(True)

    def restart_service(self) -> None:
        self.message("Restarting the service with the saved configuration...")
        self.run_task(
            lambda: self.link.request("POST", "/restart"),
            self._then_refresh("The service restarted with the saved configuration"),
            lambda error: self.message(f"Restart Service: {error}"),
        )

    # -- Location, SN handler, Proxy, Software ------------------------------------------------------

    def _form_tab(self, rows: list[tuple[str, QWidget]], save: Callable[[], object], note: str = "") -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for title, widget in rows:
            form.addRow(title, widget)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            form.addRow(label)
        button = QPushButton("Save")
        button.clicked.connect(save)
        form.addRow(button)
        return page

    def _location_tab(self) -> QWidget:
        self.location_edit = QLineEdit(self.settings["location"])
        self.location_edit.setPlaceholderText("e.g. Building A, Line 3")
        return self._form_tab(
            [("Location", self.location_edit)],
            lambda: self._save({"location": self.location_edit.text()}, "Location"),
            "Stamped on reports that carry no location of their own (applied when the service restarts).",
        )

    def _sn_tab(self) -> QWidget:
        self.sn_mode_combo = QComboBox()
        self.sn_mode_combo.addItems(["manual", "auto_increment"])
        self.sn_mode_combo.setCurrentText(self.settings["sn_handler_mode"])
        self.sn_prefix_edit = QLineEdit(self.settings["sn_prefix"])
        self.sn_next_spin = QSpinBox()
        self.sn_next_spin.setRange(0, 2_000_000_000)
        self.sn_next_spin.setValue(int(self.settings["sn_next_number"]))
        return self._form_tab(
            [("Mode", self.sn_mode_combo), ("Prefix", self.sn_prefix_edit), ("Next number", self.sn_next_spin)],
            lambda: self._save(
                {
                    "sn_handler_mode": self.sn_mode_combo.currentText(),
                    "sn_prefix": self.sn_prefix_edit.text(),
                    "sn_next_number": self.sn_next_spin.value(),
                },
                "SN handler settings",
            ),
            "Stored in the config file (sn_handler_mode, sn_prefix, sn_next_number) for station tools; "
            "the service does not use them.",
        )

    def _proxy_tab(self) -> QWidget:
        self.proxy_mode_combo = QComboBox()
        self.proxy_mode_combo.addItems(["system", "none", "manual"])
        self.proxy_mode_combo.setCurrentText(self.settings["proxy_mode"])
        self.proxy_url_edit = QLineEdit(self.settings["proxy_url"])
        self.proxy_url_edit.setPlaceholderText("http://proxy.example.com:8080")
        return self._form_tab(
            [("Proxy", self.proxy_mode_combo), ("Proxy URL (manual)", self.proxy_url_edit)],
            lambda: self._save(
                {"proxy_mode": self.proxy_mode_combo.currentText(), "proxy_url": self.proxy_url_edit.text()},
                "Proxy settings",
            ),
            "The service uses it from its next (re)start (proxy_mode, proxy_url). 'system': HTTPS_PROXY/"
            "HTTP_PROXY/NO_PROXY, else the operating system's proxy settings; 'none': always direct.",
        )

    def _software_tab(self) -> QWidget:
        self.software_auto_check = QCheckBox("Download new software packages automatically")
        self.software_auto_check.setChecked(bool(self.settings["software_auto_update"]))
        self.software_folder_edit = QLineEdit(self.settings["software_folder"])
        return self._form_tab(
            [("Auto update", self.software_auto_check), ("Software folder", self.software_folder_edit)],
            lambda: self._save(
                {
                    "software_auto_update": self.software_auto_check.isChecked(),
                    "software_folder": self.software_folder_edit.text(),
                },
                "Software settings",
            ),
            "Stored in the config file (software_auto_update, software_folder); the service does not "
            "download software packages.",
        )

    # -- Converters ------------------------------------------------------------------------------

    def _converters_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.converter_table = _table(["Converter", "Enabled", "Patterns", "Source", "Error"])
        layout.addWidget(self.converter_table)
        buttons = QHBoxLayout()
        enable = QPushButton("Enable")
        enable.clicked.connect(lambda: self.set_converter_enabled(self._selected_converter(), True))
        disable = QPushButton("Disable")
        disable.clicked.connect(lambda: self.set_converter_enabled(self._selected_converter(), False))
        for b in (enable, disable):
            buttons.addWidget(b)
        buttons.addWidget(QLabel("Saved to the config file; the service is restarted to apply it."))
        buttons.addStretch()
        layout.addLayout(buttons)
        return page

    def _show_converters(self, snap: Snapshot) -> None:
        rows: list[list[str]]
        if snap.converters is not None:
            rows = [
                [
                    str(c.get("name", "")),
                    "yes" if c.get("enabled") else "no",
                    ", ".join(c.get("patterns") or []),
                    str(c.get("source", "")),
                    str(c.get("error") or ""),
                ]
                for c in snap.converters
            ]
        else:  # no service to ask which converters exist: show what the config disables
            rows = [[name, "no", "", "(service not running)", ""] for name in self.settings["disabled_converters"]]
        _fill(self.converter_table, rows)

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
        if self._save({"disabled_converters": disabled}, f"Converter {name} {'enabled' if enabled else 'disabled'}:"):
            if self.connected:
                self.restart_service()

    # -- Queue ---------------------------------------------------------------------------------

    def _queue_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.queue_summary = QLabel("")
        layout.addWidget(self.queue_summary)
        layout.addWidget(QLabel("Pending reports"))
        self.pending_table = _table(["Report id", "Source file"])
        layout.addWidget(self.pending_table)
        layout.addWidget(QLabel("Failed files and refused reports"))
        self.failed_table = _table(["Kind", "File", "Reason"])
        layout.addWidget(self.failed_table)
        buttons = QHBoxLayout()
        retry = QPushButton("Retry Selected")
        retry.clicked.connect(self.retry_selected)
        process = QPushButton("Process Queue Now")
        process.clicked.connect(
            lambda: self.run_task(
                lambda: self.link.request("POST", "/queue/process"),
                lambda _: self.refresh(),
                lambda error: self.message(f"Process Queue: {error}"),
            )
        )
        buttons.addWidget(retry)
        buttons.addWidget(process)
        buttons.addStretch()
        layout.addLayout(buttons)
        self._failed: list[FailedFile] = []
        return page

    def _show_queue(self, snap: Snapshot) -> None:
        status = snap.status or {}
        queue = status.get("queue", {})
        counters = status.get("counters", {})
        if snap.connected:
            self.queue_summary.setText(
                f"{queue.get('pending', 0)} pending, {queue.get('in_flight', 0)} in flight, "
                f"{counters.get('reports_submitted', 0)} sent, {queue.get('rejected', 0)} refused by the server, "
                f"{counters.get('files_failed', 0)} files failed to convert"
            )
        else:
            self.queue_summary.setText("Service not running: start it (Connection tab) to see and retry its queue")
        _fill(self.pending_table, [[rid, source] for rid, source in snap.pending or []])
        self._failed = list(snap.failed or [])
        _fill(self.failed_table, [[f.kind, f.name, f.reason] for f in self._failed])

    def retry_selected(self) -> None:
        """Ask the service to give the selected failed files another go (reconverted, or resubmitted)."""
        rows = sorted({index.row() for index in self.failed_table.selectedIndexes()})
        items = [self._failed[r] for r in rows if r < len(self._failed)]
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


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _rows(table: QTableWidget) -> list[list[str]]:
    out = []
    for r in range(table.rowCount()):
        row = []
        for c in range(table.columnCount()):
            item = table.item(r, c)
            row.append(item.text() if item is not None else "")
        out.append(row)
    return out


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    """Replace the rows, keeping the selected row selected (a live refresh must not lose the user's choice)."""
    if _rows(table) == rows:  # unchanged: leave the table (and its scroll position) alone
        return
    selected = table.currentRow()
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    if 0 <= selected < len(rows):
        table.selectRow(selected)


class GuiController(QObject):
    """Owns the window; File > Restart GUI replaces it with a fresh one that re-reads the config file.

    The service is a separate process and is not touched by a GUI restart.
    """

    def __init__(self, config_path: Path | None = None, *, poll_ms: int = 1000) -> None:
        super().__init__()
        self.config_path = config_path
        self.poll_ms = poll_ms
        self.window = self._new_window()

    def _new_window(self) -> MainWindow:
        window = MainWindow(self.config_path, poll_ms=self.poll_ms)
        window.restart_requested.connect(self.restart)
        return window

    def restart(self) -> None:
        old = self.window
        geometry = old.geometry()
        self.window = self._new_window()
        self.window.setGeometry(geometry)
        self.window.show()
        old.close()
        old.deleteLater()
