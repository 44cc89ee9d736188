"""Screenshots of the window's tabs for the README: ``python -m pywats_client.gui.screenshots [FOLDER]``.

Runs on Qt's offscreen platform (no display needed): starts the embedded simulator and a real
service process on a throwaway config (SN handler in server mode, a software package released for the
station), sends a test report, takes a serial number, feeds it one good and one unreadable file so the
views have something to show, then saves one PNG per tab (default folder: ``pywats_client/gui/screenshots_png``),
and one of the window opened on a configuration with mistakes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pywats.simulator import Simulator

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


def _publish(sim: Simulator, station: str) -> None:
    """A released software package tagged for ``station``, so the Software tab has something to list."""
    import io
    import zipfile

    from pywats import pyWATS

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("firmware/fct_fixture.bin", bytes(range(256)) * 16)
        archive.writestr("firmware/release_notes.txt", "Fixture firmware 3.2\n")
    with pyWATS(base_url=sim.url, token=sim.token) as api:
        package = api.software.create_package("FixtureFirmware", description="FCT fixture", tags={"station": station})
        assert package is not None and package.package_id is not None
        api.software.upload_zip(package.package_id, buffer.getvalue())
        api.software.set_package_status(package.package_id, "Pending")
        api.software.set_package_status(package.package_id, "Released")


def _problems(cfg: Path, out: Path) -> None:
    """The window opened on a copy of ``cfg`` holding mistakes: the banner, and the Setup field marked."""
    import json

    from .window import MainWindow

    doc = json.loads(cfg.read_text(encoding="utf-8"))
    doc.update(service_address="ftp://wats.example.com", poll_interval=-1, show_proxy_tab="maybe", api_port=1)
    broken = cfg.with_name("mistakes.json")
    broken.write_text(json.dumps(doc), encoding="utf-8")
    window = MainWindow(broken, poll_ms=60_000, tray=False)
    window.resize(860, 560)
    window.show()
    settle = time.monotonic() + 1.0  # its first refresh (nothing answers at port 1) and its layout
    _wait(lambda: time.monotonic() > settle and not window._polling, "the window")
    window.statusBar().clearMessage()
    name = out / "gui_config_problems.png"
    if not window.grab().save(str(name)):
        raise RuntimeError(f"cannot write {name}")
    print(name)
    window.close()


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
        settings = (
            ("location", "Building A, Line 1"), ("poll_interval", "0.1"), ("settle_time", "0"),
            ("instance_name", "Production Test Station"), ("sn_handler_mode", "server"),
            ("sn_type", "Production_SN"), ("sn_block_size", "50"), ("software_auto_update", "true"),
        )  # fmt: skip
        for key, value in settings:
            cli([*base, "config", "set", key, value])
        _publish(sim, "LINE1-FCT-01")
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
            window.send_test_report()
            _wait(lambda: "confirmed" in window.conn_labels["test_report"].text(), "the test report")
            window.show_tab("SN Handler")
            _wait(lambda: window.sn_take_button.isEnabled(), "the SN handler")
            window.take_serial_number()
            _wait(lambda: window.sn_taken_label.text().startswith("Taken"), "a serial number")
            (Path(tmp) / "watch" / "SN-0001.csv").write_text(CSV)
            (Path(tmp) / "watch" / "scope_trace.bin").write_bytes(b"\x00\x01")
            window.show_tab("Queue")  # the lists are read while their tab is shown
            _wait(lambda: window.failed_table.rowCount() == 1 and " 2 sent" in window.queue_summary.text(), "files")
            window.failed_table.selectRow(0)
            for i, title in enumerate(window.tab_titles()):
                window.tabs.setCurrentIndex(i)
                settle = time.monotonic() + 1.0  # one refresh with this tab's list
                _wait(lambda t=settle: time.monotonic() > t and not window._polling, f"the {title} tab")
                window.statusBar().clearMessage()  # news of the set-up steps, not of this tab
                name = "gui_" + title.lower().replace(" ", "_") + ".png"
                if not window.grab().save(str(out / name)):
                    raise RuntimeError(f"cannot write {out / name}")
                print(out / name)
            window.close()
            _problems(cfg, out)
        finally:
            proc.terminate()
            proc.wait(60)
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
