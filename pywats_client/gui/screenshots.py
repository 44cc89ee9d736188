"""Screenshots of the window's tabs for the README: ``python -m pywats_client.gui.screenshots [FOLDER]``.

Runs on Qt's offscreen platform (no display needed): starts the embedded simulator and a real
service process on a throwaway config, feeds it one good and one unreadable file so the views have
something to show, then saves one PNG per tab (default folder: ``pywats_client/gui/screenshots_png``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

CSV = (
    "part_number,WIDGET-001\nserial_number,SN-0001\nrevision,A\nprocess_code,10\n\n"
    "step,type,value,low,high,unit,comp\n5V rail,numeric,5.02,4.9,5.1,V,GELE\n"
)


def _wait(check: object, what: str, timeout: float = 30.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not callable(check) or not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; returns 0."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "pywats_client/gui/screenshots_png").resolve()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from pywats.simulator import Simulator

    from ..cli import main as cli
    from .window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - kept alive while the window lives
    out.mkdir(parents=True, exist_ok=True)
    with Simulator() as sim, tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "config.json"
        base = ["--config", str(cfg)]
        cli([*base, "config", "init", "--non-interactive", "--server-url", sim.url, "--api-token", sim.token,
             "--station-name", "LINE1-FCT-01"])  # fmt: skip
        for key, value in (("location", "Building A, Line 1"), ("poll_interval", "0.1"), ("settle_time", "0")):
            cli([*base, "config", "set", key, value])
        (Path(tmp) / "watch").mkdir()
        log = open(Path(tmp) / "service.log", "wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "pywats_client", *base, "start", "--api", "--api-port", "0"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            window = MainWindow(cfg, poll_ms=200, tray=False)
            window.resize(860, 560)
            window.show()
            _wait(lambda: window.windowTitle().endswith("[Connected]"), "the service")
            (Path(tmp) / "watch" / "SN-0001.csv").write_text(CSV)
            (Path(tmp) / "watch" / "scope_trace.bin").write_bytes(b"\x00\x01")
            window.show_tab("Queue")  # the lists are read while their tab is shown
            _wait(lambda: window.failed_table.rowCount() == 1 and " 1 sent" in window.queue_summary.text(), "files")
            window.failed_table.selectRow(0)
            for i, title in enumerate(window.tab_titles()):
                window.tabs.setCurrentIndex(i)
                settle = time.monotonic() + 1.0  # one refresh with this tab's list
                _wait(lambda t=settle: time.monotonic() > t and not window._polling, f"the {title} tab")
                name = "gui_" + title.lower().replace(" ", "_") + ".png"
                if not window.grab().save(str(out / name)):
                    raise RuntimeError(f"cannot write {out / name}")
                print(out / name)
            window.close()
        finally:
            proc.terminate()
            proc.wait(60)
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
