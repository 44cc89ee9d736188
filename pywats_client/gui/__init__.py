"""The station client's desktop window (``pip install pywats-api[client]``, Qt via PySide6).

It is a client of the station service like any other: it edits the config file the CLI edits and
reads and controls the service through its local control API, so closing or restarting the window
never stops the service. Importing this package does not import Qt; :func:`run_gui` does.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

__all__ = ["gui_unavailable_reason", "run_gui"]


def gui_unavailable_reason() -> str | None:
    """Why the window cannot open here (no PySide6, or no display), or None if it can."""
    if importlib.util.find_spec("PySide6") is None:
        return "PySide6 is not installed (pip install pywats-api[client])"
    try:
        import PySide6.QtWidgets  # noqa: F401 - fails when Qt's system libraries are missing
    except ImportError as exc:
        return f"Qt cannot be loaded: {exc}"
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        # without a display, Qt aborts the process instead of raising: decide before creating the app
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
            return "no display (DISPLAY/WAYLAND_DISPLAY not set)"
    return None


def run_gui(config_path: Path | None = None) -> int:
    """Open the window for ``config_path`` (the platform default if None) and run until it closes."""
    from PySide6.QtWidgets import QApplication

    from .window import GuiController

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("pyWATS Client")
    controller = GuiController(config_path)
    controller.window.show()
    return int(app.exec())
