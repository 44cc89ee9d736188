"""Defects found by running the station client as an operator would (see the trials in the notes):
folders the service cannot write, and text files that are not UTF-8."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pywats import pyWATS
from pywats.simulator import Simulator
from pywats_client.cli import main
from pywats_client.config import ClientConfig
from pywats_client.control import ControlError
from pywats_client.converters import CsvConverter, WsjfConverter, WsxfConverter, discover
from pywats_client.queue import ReportQueue
from pywats_client.state import Shared
from pywats_client.watcher import Watcher

from .helpers import configure, csv_text, drop, service, stored_serials, wait_for, watched
from .mixed import wsxf


def _locked(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Make ``folder`` behave as a folder the service may read but not change (what a non-root
    service meets in a folder owned by the station's user); returns a function that unlocks it."""
    real_replace, real_unlink = os.replace, os.unlink
    locked = [True]

    def inside(path: Any) -> bool:
        return locked[0] and Path(path).parent == folder

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if inside(src) or inside(dst):
            raise PermissionError(errno.EACCES, "Permission denied", str(src))
        real_replace(src, dst, *args, **kwargs)

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        if inside(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real_unlink(path, *args, **kwargs)

    def path_unlink(path: Path, missing_ok: bool = False) -> None:
        # Python 3.10's Path.unlink calls the os.unlink it bound at import, not os.unlink now
        if inside(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real_path_unlink(path, missing_ok=missing_ok)

    real_path_unlink = Path.unlink
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(Path, "unlink", path_unlink)
    return lambda: locked.__setitem__(0, False)


def _watcher(config: ClientConfig, offered: list[str]) -> tuple[Watcher, Shared]:
    shared = Shared()
    return Watcher(config, ReportQueue(config.queue_path), discover(None), shared, offered.extend), shared


@pytest.mark.parametrize("action", ["archive", "delete"])
def test_a_file_that_cannot_leave_the_watch_folder_is_sent_once_and_copied_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    config, watch = watched(tmp_path, post_actions={"*": action})
    (watch / "board.csv").write_text(csv_text("SN-LOCKED"))
    unlock = _locked(watch, monkeypatch)
    offered: list[str] = []
    watcher, shared = _watcher(config, offered)
    for _ in range(3):
        watcher.scan_once()
    # its report is queued and offered to the uploader once, not once per scan
    assert len(offered) == 1
    assert (watch / "board.csv").exists()
    # no copy is left behind in the archive for each failed move
    assert not config.archive_path.exists() or list(config.archive_path.iterdir()) == []
    error = shared.last_error or ""
    assert "board.csv" in error and "Permission denied" in error and "write access" in error, error
    unlock()  # the operator fixes the folder's permissions: the file leaves, nothing is sent again
    watcher.scan_once()
    assert not (watch / "board.csv").exists() and len(offered) == 1
    if action == "archive":
        assert [p.name for p in config.archive_path.iterdir()] == ["board.csv"]


def test_a_bad_file_that_cannot_leave_the_watch_folder_leaves_nothing_in_the_error_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, watch = watched(tmp_path)
    (watch / "empty.json").write_bytes(b"")
    _locked(watch, monkeypatch)
    watcher, shared = _watcher(config, [])
    for _ in range(3):
        watcher.scan_once()
    assert (watch / "empty.json").exists()
    # neither copies of the file nor a reason file without its file
    assert not config.error_path.exists() or list(config.error_path.iterdir()) == []
    assert "the file is empty" in (shared.last_error or "")


def _start(cfg: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pywats_client", "--config", str(cfg), "start"],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("key", ["queue_folder", "archive_folder", "error_folder", "watch_folders", "log_file"])
def test_a_folder_the_service_cannot_create_stops_the_start_with_the_key_and_what_to_do(
    tmp_path: Path, key: str
) -> None:
    cfg = tmp_path / "config.json"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    values: dict[str, Any] = {"service_address": "http://127.0.0.1:9", "api_token": "dXNlcjpwYXNz"}
    values[key] = [str(blocker / "sub")] if key == "watch_folders" else str(blocker / "sub" / "x")
    cfg.write_text(json.dumps(values))
    done = _start(cfg)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert key in done.stderr and str(blocker) in done.stderr, done.stderr
    assert "config set" in done.stderr, done.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_text_file_with_a_utf16_or_utf32_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    # what Windows PowerShell 5 writes with `>` or Out-File, and .NET with Encoding.Unicode
    bom = {"utf-16": "", "utf-16-be": "\ufeff", "utf-32": ""}[encoding]
    csv_file = tmp_path / "board.csv"
    csv_file.write_bytes((bom + csv_text("SN-ü-16")).encode(encoding))
    report = CsvConverter().convert(csv_file)
    steps = report.get_root_sequence_call().steps
    assert report.sn == "SN-ü-16" and steps is not None and len(steps) == 2
    doc = {"type": "T", "pn": "P-1", "sn": "SN-ü-J", "rev": "A", "processCode": 10, "result": "P"}
    json_file = tmp_path / "board.json"
    json_file.write_bytes((bom + json.dumps(doc, ensure_ascii=False)).encode(encoding))
    (converted,) = WsjfConverter().convert(json_file)
    assert converted.sn == "SN-ü-J"
    # XML names its encoding; the document is sent as UTF-8, so that is what it must then say
    xml_file = tmp_path / "board.xml"
    declared = (
        '<?xml version="1.0" encoding="utf-16"?>\n'
        + wsxf("SN-ü-X", "P-1", str(uuid.uuid4())).split("?>", 1)[-1].lstrip()
    )
    xml_file.write_bytes((bom + declared).encode(encoding))
    document = WsxfConverter().convert(xml_file)
    assert document.text.startswith('<?xml version="1.0" encoding="utf-8"?>') and 'SN="SN-ü-X"' in document.text
    with Simulator() as sim, pyWATS(base_url=sim.url, token=sim.token) as api:
        api.report.submit_report_xml(document.text.encode("utf-8"))
        assert stored_serials(sim, "P-1") == ["SN-ü-X"]


def test_a_restart_onto_a_folder_that_cannot_be_used_is_refused_and_the_service_keeps_running(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        with service(cfg) as svc:
            svc.api.request("POST", "/config", {"queue_folder": str(blocker / "queue")})
            with pytest.raises(ControlError, match="HTTP 400 not restarted: queue_folder: the service cannot use"):
                svc.api.request("POST", "/restart")
            assert svc.status()["state"] == "running"
            drop(tmp_path / "watch", "a.csv", csv_text("STILL-SENT", part="RESTART"))
            wait_for(lambda: stored_serials(sim, "RESTART") == ["STILL-SENT"], 30, "the report")


def test_watch_folders_typed_with_commas_are_refused_with_the_separator_to_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # else it is taken as one folder named "a,/b" and the folders meant are never watched
    cfg = tmp_path / "config.json"
    first, second = tmp_path / "line1", tmp_path / "line2"
    assert main(["--config", str(cfg), "config", "set", "watch_folders", f"{first},{second}"]) == 1
    said = capsys.readouterr().err
    assert "watch_folders" in said and "2 folders separated by commas" in said and repr(os.pathsep) in said, said
    assert main(["--config", str(cfg), "config", "set", "watch_folders", f"{first}{os.pathsep}{second}"]) == 0
    assert ClientConfig.load(cfg).watch_paths == [first, second]
    assert (
        main(["--config", str(cfg), "config", "set", "watch_folders", str(tmp_path / "lot 4,5")]) == 0
    )  # a comma in a name
    assert ClientConfig.load(cfg).watch_paths == [tmp_path / "lot 4,5"]


@pytest.mark.skipif(sys.platform != "linux", reason="open files are seen through Linux's /proc")
def test_a_file_still_open_for_writing_waits_however_long_the_writer_pauses(tmp_path: Path) -> None:
    # a station appending each step's result as the test runs, with a step longer than settle_time
    config, watch = watched(tmp_path)
    offered: list[str] = []
    watcher, _ = _watcher(config, offered)
    lines = csv_text("SN-SLOW").splitlines(keepends=True)
    with open(watch / "slow.csv", "w", encoding="utf-8") as writer:
        writer.writelines(lines[:-1])  # all but the last step
        writer.flush()
        os.utime(watch / "slow.csv", (0, 0))  # unchanged for as long as one likes: settled by time
        for _ in range(3):
            assert watcher.scan_once() == 0
        assert offered == [] and (watch / "slow.csv").exists()
        writer.write(lines[-1])
    assert watcher.scan_once() == 1  # closed: taken, whole
    sent = ReportQueue(config.queue_path).get(offered[0]).to_report()
    steps = sent.get_root_sequence_call().steps
    assert steps is not None and [s.name for s in steps] == ["5V rail", "LED"]


def test_a_file_with_a_very_long_name_still_goes_to_errors_with_its_reason_and_to_the_archive(
    tmp_path: Path,
) -> None:
    # names near the 255-byte limit leave no room for NAME.reason.txt or a NAME.1.csv beside a namesake
    config, watch = watched(tmp_path)
    bad, good = "ä" * 120 + ".json", "L" * 246 + ".csv"  # 245 and 250 bytes
    (watch / bad).write_text('{"broken')
    config.archive_path.mkdir(parents=True)
    (config.archive_path / good).write_text("an earlier file of the same name")
    (watch / good).write_text(csv_text("SN-LONG"))
    offered: list[str] = []
    watcher, shared = _watcher(config, offered)
    assert watcher.scan_once() == 2
    assert list(watch.iterdir()) == []
    (reason,) = [p for p in config.error_path.iterdir() if p.name.endswith(".reason.txt")]
    assert reason.read_text(encoding="utf-8").startswith(f"{bad}: the JSON ends too early")
    assert reason.name.removesuffix(".reason.txt") in os.listdir(config.error_path)
    assert len(offered) == 1 and len(list(config.archive_path.iterdir())) == 2
    assert all(len(p.name.encode()) <= 255 for p in [*config.error_path.iterdir(), *config.archive_path.iterdir()])
    assert shared.last_failed_file is not None and shared.last_failed_file["name"] == bad


def test_a_full_queue_disk_keeps_the_files_and_says_so_once_not_at_every_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    config, watch = watched(tmp_path)
    for n in range(3):
        (watch / f"f{n}.csv").write_text(csv_text(f"SN-FULL-{n}"))
    real = ReportQueue.put_many
    too_big = ["f0.csv", "f1.csv", "f2.csv"]

    def full(self: ReportQueue, reports: Any, *, source: str, converter: str) -> list[str]:
        if Path(source).name in too_big:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, reports, source=source, converter=converter)

    monkeypatch.setattr(ReportQueue, "put_many", full)
    offered: list[str] = []
    watcher, shared = _watcher(config, offered)
    with caplog.at_level("INFO", logger="pywats_client"):
        for _ in range(5):
            watcher.scan_once()
        assert sorted(p.name for p in watch.iterdir()) == ["f0.csv", "f1.csv", "f2.csv"] and offered == []
        errors = [r for r in caplog.records if r.levelname == "ERROR"]
        assert len(errors) == 1, [r.getMessage() for r in errors]  # one line, not 3 files x 5 scans
        said = errors[0].getMessage()
        assert "No space left on device" in said and str(config.queue_path) in said, said
        assert "No space left on device" in (shared.last_error or "")
        too_big[:] = ["f1.csv"]  # some space: smaller reports fit, one still does not
        for _ in range(3):
            watcher.scan_once()
        assert [p.name for p in watch.iterdir()] == ["f1.csv"] and len(offered) == 2
        assert [
            r.levelname for r in caplog.records if "queue folder" in r.getMessage() or "cannot queue" in r.getMessage()
        ] == ["ERROR"]  # still one line
        too_big[:] = []  # space freed
        watcher.scan_once()
    assert len(offered) == 3 and list(watch.iterdir()) == []
    assert [r.getMessage() for r in caplog.records if "written again" in r.getMessage()] == [
        f"the queue folder {config.queue_path} can be written again"
    ]


def test_a_copy_to_a_full_archive_on_another_disk_leaves_no_part_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, watch = watched(tmp_path)
    (watch / "board.csv").write_text(csv_text("SN-FULL-ARCHIVE"))
    real_replace = os.replace

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst).parent == config.archive_path:  # the archive is on another file system
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(src, dst, *args, **kwargs)

    def copy2(src: Any, dst: Any, **kwargs: Any) -> None:  # the archive's disk is full
        Path(dst).write_bytes(Path(src).read_bytes()[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(shutil, "copy2", copy2)
    offered: list[str] = []
    watcher, shared = _watcher(config, offered)
    for _ in range(3):
        watcher.scan_once()
    assert len(offered) == 1 and (watch / "board.csv").exists()
    assert list(config.archive_path.iterdir()) == []  # no cut-off copy, let alone one per scan
    assert "No space left on device" in (shared.last_error or "")


@pytest.mark.skipif(sys.platform != "linux", reason="open files are seen through Linux's /proc")
def test_status_says_which_files_wait_in_the_watch_folder_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        with service(cfg) as svc, open(tmp_path / "watch" / "running.csv", "w") as writer:
            writer.write(csv_text("SN-RUNNING", part="OPEN-W"))
            writer.flush()
            wait_for(lambda: svc.status()["watch"]["open_for_writing"] == 1, 30, "the file seen as written")
            shown = subprocess.run(
                [sys.executable, "-m", "pywats_client", "--config", str(cfg), "status"],
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout
            assert "watch folders: 1 file(s) still open for writing (taken once closed)" in shown, shown
            writer.close()
            wait_for(lambda: stored_serials(sim, "OPEN-W") == ["SN-RUNNING"], 30, "the closed file")
            assert svc.status()["watch"] == {"cannot_move": 0, "open_for_writing": 0}
    config = ClientConfig.load(tmp_path / "config.json").with_values(settle_time=0)
    (config.watch_paths[0] / "locked.csv").write_text(csv_text("SN-LOCKED-2"))
    _locked(config.watch_paths[0], monkeypatch)
    watcher, _ = _watcher(config, [])
    watcher.scan_once()
    assert watcher.waiting() == {"cannot_move": 1, "open_for_writing": 0}
