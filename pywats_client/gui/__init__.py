"""The station client's desktop window (``pip install pywats-api[client]``, Qt via PySide6).

It is a client of the station service like any other: it edits the config file the CLI edits and
reads and controls the service through its local control API, so closing or restarting the window
never stops the service. Importing this package does not import Qt; :func:`run_gui` does.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import platform
import subprocess
import sys
from pathlib import Path

__all__ = ["gui_unavailable_reason", "run_gui"]

# Qt ends the whole process (abort, exit code 134) when its platform plugin cannot be loaded, instead of
# raising; so a throwaway process tries first, and its last words say why. On Linux and BSD it is a fork of
# this one (PySide6 is imported already, so it costs only Qt's start); elsewhere a fresh interpreter.
_PROBE = (
    "import sys\nfrom PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv[:1])\nprint(app.platformName())"
)


def _try_in_fork() -> tuple[int, str]:
    import signal

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: Qt's messages go to the pipe; it never returns into the caller's code
        code = 1
        try:
            os.dup2(write_end, 2)
            from PySide6.QtGui import QGuiApplication

            QGuiApplication(sys.argv[:1])
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        said = pipe.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status) if os.WTERMSIG(status) != signal.SIGABRT else 134, said
    return os.WEXITSTATUS(status), said


def _platform_problem() -> str | None:
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return None  # Qt's platform is up in this process already (and a process with Qt running is not forked)
    try:
        if sys.platform.startswith("linux") or "bsd" in sys.platform:
            returncode, stderr = _try_in_fork()
        else:
            done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60)
            returncode, stderr = done.returncode, done.stderr
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Qt could not be tried: {exc}"
    if returncode == 0:
        return None
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = next(
        (line for line in lines if "could not load" in line.lower()),
        next((line for line in lines if "plugin" in line.lower()), lines[0] if lines else ""),
    )
    name = os.environ.get("QT_QPA_PLATFORM")
    plugin = f"the {name!r} platform plugin" if name else "its default platform plugin"
    return f"Qt cannot open a window with {plugin} ({said or f'exit code {returncode}'})"


def _binding_problem() -> str | None:
    """Why this PySide6 cannot run the window for long (a reference-count bug in the binding), or None.

    Some releases (6.12.0 on Python 3.10/3.11) drop a reference to ``None`` on every call of a Qt
    method that returns nothing; the window makes dozens of such calls a second, so after a while
    the interpreter frees ``None`` or ``True`` and dies ("Fatal Python error: bool_dealloc"). Python
    3.12 and later never free them, which hides the bug there. Measured, not looked up by version.
    """
    import PySide6
    from PySide6.QtCore import QObject

    probe = QObject()
    calls = 64
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    if lost < calls // 2:
        return None
    python = platform.python_version()
    return (
        f"PySide6 {PySide6.__version__} has a reference-count bug on Python {python} that crashes the window "
        f"after a few minutes; install another release: {_binding_fix()}"
    )


def _binding_fix() -> str:
    """The pip command that replaces a broken PySide6 release, for the distribution that is installed."""
    try:
        full = importlib.metadata.version("PySide6")
    except importlib.metadata.PackageNotFoundError:
        return 'pip install -U "pywats-api[client]" (it asks for PySide6-Essentials !=6.12.0)'
    # the full PySide6 pins PySide6-Essentials to its own version: it must move too
    return f'pip install -U "PySide6>=6.6,!=6.12.0" "pywats-api[client]" (the full PySide6 {full} is installed)'


def gui_unavailable_reason() -> str | None:
    """Why the window cannot open here (no PySide6, a broken binding, no display, or Qt's platform plugin fails).

    None if it can.
    """
    if importlib.util.find_spec("PySide6") is None:
        return "PySide6 is not installed (pip install pywats-api[client])"
    try:
        import PySide6.QtWidgets  # noqa: F401 - fails when Qt's system libraries are missing
    except ImportError as exc:
        return f"Qt cannot be loaded: {exc}"
    broken = _binding_problem()
    if broken:
        return broken
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
            return "no display (DISPLAY/WAYLAND_DISPLAY not set)"
    return _platform_problem()


def run_gui(config_path: Path | None = None) -> int:
    """Open the window for ``config_path`` (the platform default if None) and run until it closes."""
    from PySide6.QtWidgets import QApplication

    from .window import GuiController

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("pyWATS Client")
    controller = GuiController(config_path)
    controller.window.show_initial()
    # the controller ends the loop when its window closes (hidden in the tray, the window is not closed)
    app.setQuitOnLastWindowClosed(False)
    try:
        return int(app.exec())
    finally:
        controller.shutdown()  # delete our Qt objects while Qt is still alive
