"""Item 13 of issue 19: a long session then Exit ends the process cleanly, every time.

Each run is a fresh ``python -m pywats_client``-equivalent process (``cli.main`` with no command, so
the real start-up, Qt platform check, event loop and teardown run), on Qt's offscreen platform. The
window first lives through a long session's worth of refreshes (what an hour of polling does to the
Qt bindings), then File > Exit or the tray's Exit closes it; the process must end with exit code 0
and no ``Fatal Python error`` (a reference-count bug, or a Qt object outliving the application).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from client.helpers import configure, service

from pywats.simulator import Simulator

SESSION = r"""
import sys
from PySide6.QtCore import QTimer
from pywats_client import cli
from pywats_client.gui import window as window_module
from pywats_client.gui.link import FailedFile, Snapshot

REFRESHES, TRAY, HOW = int(sys.argv[2]), sys.argv[3] == "tray", sys.argv[4]


class Session(window_module.GuiController):
    def __init__(self, *args, **kwargs):
        kwargs["tray"] = TRAY
        kwargs["poll_ms"] = 20
        super().__init__(*args, **kwargs)
        QTimer.singleShot(0, self.long_session)

    def long_session(self):
        window = self.window
        status = {"state": "running", "pid": 1, "queue": {"pending": 1}, "counters": {"reports_submitted": 3},
                  "last_error": None, "server": {"state": "reachable"}}
        failed = [FailedFile("conversion", f"f{i}.bin", "no converter") for i in range(5)]
        for i in range(REFRESHES):
            window.tabs.setCurrentIndex(i % window.tabs.count())
            if i % 3:
                window._apply_snapshot(Snapshot(True, status=status, pending=[("id", "a.csv")], failed=failed,
                                                log=["line"], converters=[{"name": "csv", "enabled": True}]))
            else:
                window._apply_snapshot(Snapshot(False, error="the service does not answer"))
        # the real polling (against whatever answers) goes on while Exit comes
        QTimer.singleShot(300, window.tray_menu.actions()[-1].trigger if HOW == "tray" else window.exit_action.trigger)


window_module.GuiController = Session
sys.exit(cli.main(["--config", sys.argv[1]]))
"""


#: Refreshes in a long session. One refresh makes about a hundred Qt calls (measured on Python 3.11 with
#: sys.setprofile), and ``sys.getrefcount(None)`` is about ten thousand once the window is built: a binding
#: that loses a reference per call that returns nothing (PySide6 6.12.0) exhausts it within a few hundred
#: refreshes, so a thousand crashes it with room to spare (it failed on the first run with 6.12.0).
#: test_a_binding_that_drops_references_is_refused_with_what_to_install guards the same bug directly.
LONG_SESSION = 1000


def _run(cfg: Path, refreshes: int, tray: bool, how: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", SESSION, str(cfg), str(refreshes), "tray" if tray else "no-tray", how],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip


@pytest.mark.parametrize(("tray", "how"), [(False, "menu"), (True, "menu"), (True, "tray")])
def test_a_long_session_then_exit_ends_with_code_0_every_time(tmp_path: Path, tray: bool, how: str) -> None:
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"service_address": "http://127.0.0.1:9", "api_token": "dXNlcjpwYXNzd29yZA==",
                               "station_name": "ST-1", "api_port": 9}))  # fmt: skip
    done = _run(cfg, LONG_SESSION, tray, how)
    assert "Fatal Python error" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 0, f"exit code {done.returncode}\n{done.stderr[-3000:]}"


def test_exit_with_a_running_service_and_requests_in_flight(tmp_path: Path, wats_simulator: Simulator) -> None:
    cfg = configure(tmp_path, wats_simulator)
    with service(cfg) as svc:
        for attempt in range(2):
            done = _run(cfg, 100, False, "menu")
            assert "Fatal Python error" not in done.stderr, f"run {attempt + 1}:\n{done.stderr[-3000:]}"
            assert done.returncode == 0, f"run {attempt + 1}: exit code {done.returncode}\n{done.stderr[-3000:]}"
        assert svc.proc.poll() is None and svc.status()["state"] == "running"  # Exit leaves the service alone


def test_the_installed_binding_keeps_its_references() -> None:
    from pywats_client.gui import _binding_problem

    assert _binding_problem() is None  # else every GUI test above is testing a window that dies


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="from Python 3.12 None is immortal: no binding can lose it")
def test_a_binding_that_drops_references_is_refused_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    import PySide6.QtCore

    from pywats_client.gui import _binding_problem

    dropped = 0

    class Leaky:  # what PySide6 6.12.0 does on Python 3.11: one reference to None lost per call
        def setObjectName(self, name: str) -> None:
            nonlocal dropped
            ctypes.pythonapi.Py_DecRef(ctypes.py_object(None))
            dropped += 1

    monkeypatch.setattr(PySide6.QtCore, "QObject", Leaky)
    try:
        reason = _binding_problem()
    finally:
        for _ in range(dropped):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    assert dropped and reason is not None
    assert "reference-count bug" in reason and "!=6.12.0" in reason


def test_the_binding_fix_names_the_installed_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from pywats_client.gui import _binding_fix

    def installed(*names: str) -> Any:
        def version(name: str) -> str:
            if name in names:
                return "6.12.0"
            raise importlib.metadata.PackageNotFoundError(name)

        return version

    monkeypatch.setattr(importlib.metadata, "version", installed("PySide6-Essentials"))
    assert _binding_fix().startswith('pip install -U "pywats-api[client]"')  # the project's name, its extra
    monkeypatch.setattr(importlib.metadata, "version", installed("PySide6", "PySide6-Essentials"))
    fix = _binding_fix()
    assert fix.startswith('pip install -U "PySide6>=6.6,!=6.12.0" "pywats-api[client]"') and "full PySide6" in fix


def test_background_work_leaves_no_qt_object_behind(qtbot: Any, tmp_path: Path) -> None:
    """Each refresh runs on a worker: none may leave a Qt object alive (a long session would pile them up
    until interpreter exit, past the application's end)."""
    import gc

    from PySide6.QtCore import QObject, QRunnable

    from pywats_client.gui.window import MainWindow

    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"service_address": "http://127.0.0.1:9", "api_port": 9}))
    window = MainWindow(cfg, poll_ms=60_000, tray=False)
    qtbot.addWidget(window)

    def qt_objects() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, QObject | QRunnable))

    answered: list[int] = []
    window.run_task(lambda: 0, answered.append, lambda error: None)
    qtbot.waitUntil(lambda: answered == [0], timeout=20_000)
    before = qt_objects()
    for i in range(1, 201):
        window.run_task(lambda i=i: i, answered.append, lambda error: None)
    window.run_task(lambda: 1 / 0, answered.append, lambda error: answered.append(-1))
    qtbot.waitUntil(lambda: len(answered) == 202, timeout=20_000)
    assert sorted(answered) == [-1, *range(201)]  # every answer delivered once, the failure as a failure
    assert qt_objects() == before
