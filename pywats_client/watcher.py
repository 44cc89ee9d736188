"""The watcher: scans the watch folders, converts each settled file, queues its reports durably.

One file never stops the others: whatever goes wrong while reading, converting, validating or
queueing a file (any exception, from the service or from a converter plugin) moves that file to the
error folder with ``NAME.reason.txt`` saying, in plain words, what is wrong with it, and the scan
goes on with the next file. The log gets one line per bad file.

The exception is a queue that cannot be written (disk full, permissions): that is the station's
problem, not the file's, so the file stays where it is and is tried again at the next scan, while
``last_error`` says what to fix.

After its reports are queued, a file is archived, deleted or kept in place, as the converter's
``post_actions`` entry says (default: archived). A kept file is remembered by its size and
modification time (in ``<queue>/.kept.json``), so it is not converted again until it changes.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pywats.domains.report import UURReport, UUTReport

from .config import ClientConfig
from .connection import station_name
from .converters import ConversionError, Converter, ConverterInfo, WsxfDocument, report_id_for, require_guid
from .fsutil import atomic_write, move_unique
from .queue import ReportQueue
from .state import Shared

__all__ = ["REASON_SUFFIX", "Watcher", "open_for_writing", "prepare"]

log = logging.getLogger("pywats_client.watcher")

#: Next to each file in the error folder and each rejected report: why it failed.
REASON_SUFFIX = ".reason.txt"

Outgoing = UUTReport | UURReport | WsxfDocument


class _FileFailed(Exception):
    """This file cannot be turned into reports; the message is the reason an operator reads."""


def _is_candidate(name: str) -> bool:
    # dot files and the usual partial-download names are files still being written
    return (
        not name.startswith(".")
        and not name.endswith((".tmp", ".part", ".partial", ".crdownload"))
        and not name.endswith(REASON_SUFFIX)
    )


def prepare(report: Outgoing, config: ClientConfig) -> Outgoing:
    """``report`` as it will be sent: station name and location stamped where missing, statuses computed."""
    if isinstance(report, WsxfDocument):
        return report
    if report.station_name is None:
        report.station_name = station_name(config)
    if report.location is None and config["location"]:
        report.location = config["location"]
    report.finalize()
    return report


def _unchanged(path: str, known: Sequence[int]) -> os.stat_result | None:
    """The ``stat`` of ``path`` if its size and modification time (ns) are still ``known``, else None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st if [st.st_size, st.st_mtime_ns] == list(known) else None


def open_for_writing(paths: list[str]) -> dict[str, str]:
    """Those of ``paths`` a process holds open for writing, each with that process (its name and id).

    A station that pauses longer than ``settle_time`` while writing (a slow step) would otherwise
    have its file taken half-way. Seen on Linux through ``/proc``, for the processes this one may
    look into (its own user's; all of them as root); elsewhere, and for other users' processes,
    ``settle_time`` alone decides.
    """
    if not paths or not os.path.isdir("/proc/self/fdinfo"):
        return {}
    wanted = {os.path.realpath(p): p for p in paths}
    found: dict[str, str] = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:  # not ours to look into, or gone
            continue
        for fd in fds:
            try:
                path = wanted.get(os.readlink(f"/proc/{pid}/fd/{fd}"))
            except OSError:
                continue
            if path is not None and path not in found and _writes(pid, fd):
                found[path] = f"{_program(pid)} process {pid}"
    return found


def _program(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as comm:
            return comm.read().strip() or "a"
    except OSError:
        return "a"


def _writes(pid: str, fd: str) -> bool:
    try:
        with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
            for line in info:
                if line.startswith("flags:"):
                    return int(line.split()[1], 8) & 0o3 != os.O_RDONLY  # the access mode: write or read-write
    except (OSError, ValueError, IndexError):
        pass
    return False


def _access_advice(exc: OSError, folder: Path, more: str = "") -> str:
    """What to do about ``exc``, when it says the service may not change ``folder``."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"; give the service's user write access to {folder}{more}"
    return ""


def _size(n: float) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"


class Watcher:
    """Scans ``config``'s watch folders and queues the reports of each file into ``queue``.

    ``on_queued(ids)`` is called with the ids of the reports of each file once they are on disk.
    """

    def __init__(
        self,
        config: ClientConfig,
        queue: ReportQueue,
        converters: list[ConverterInfo],
        shared: Shared,
        on_queued: Callable[[list[str]], None],
    ) -> None:
        self.config = config
        self.queue = queue
        self.converters = converters
        self.shared = shared
        self.on_queued = on_queued
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._kept_path = queue.folder / ".kept.json"
        self._kept: dict[str, list[int]] = self._load_kept()
        self._stuck: dict[str, float] = {}  # files that could not even be moved aside: logged once
        # files whose reports are queued but which cannot be archived or deleted (a folder the service
        # may not change): path -> (size, mtime_ns, converter) as read. While unchanged, only the post
        # action is tried again; converting them again would send their reports again at every scan.
        self._unmoved: dict[str, tuple[int, int, str]] = {}
        self._writing: set[str] = set()  # files a process still writes: logged once
        # the queue folder cannot be written (a full disk): logged once, until a whole scan queues again
        self._queue_failing = self._queue_failed_in_scan = False

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="pywats-client-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.scan_once()
            except Exception as exc:  # only a folder-level failure gets here: say so, keep watching
                self.shared.error(f"cannot scan the watch folders: {exc}")
                log.error("cannot scan the watch folders: %s", exc)
            self._stop.wait(self.config["poll_interval"])

    def waiting(self) -> dict[str, int]:
        """Files the watch folders hold on purpose: sent but not movable out, and still being written."""
        return {"cannot_move": len(self._unmoved), "open_for_writing": len(self._writing)}

    # -- scanning ----------------------------------------------------------------------------

    def scan_once(self) -> int:
        """Handle every settled file in the watch folders now; returns how many files were handled."""
        settle = self.config["settle_time"]
        handled = 0
        now = time.time()
        seen: set[str] = set()
        listed: set[str] = set()
        self._queue_failed_in_scan = False
        for folder in self.config.watch_paths:
            ready: list[str] = []
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except FileNotFoundError:
                folder.mkdir(parents=True, exist_ok=True)
                continue
            for entry in entries:
                if self._stop.is_set():
                    return handled
                if not _is_candidate(entry.name):
                    continue
                listed.add(entry.path)
                try:
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISDIR(st.st_mode) and self._converter_for(Path(entry.path)) is None:
                        continue  # a sub-folder, not a report named like one
                except OSError:
                    continue  # gone since the listing
                if now - st.st_mtime < settle:
                    continue
                seen.add(entry.path)
                if self._is_kept(entry.path) or self._retried_post_action(entry.path):
                    continue
                ready.append(entry.path)
            writers = open_for_writing(ready)
            for path in ready:
                if self._stop.is_set():
                    return handled
                if path in writers:
                    if path not in self._writing:
                        self._writing.add(path)
                        log.info("%s is still open for writing (%s); it is taken once closed", path, writers[path])
                    continue
                self._writing.discard(path)
                self.handle_file(Path(path))
                handled += 1
        self._writing &= listed
        if self._queue_failing and not self._queue_failed_in_scan:
            self._queue_failing = False
            log.info("the queue folder %s can be written again", self.queue.folder)
        self._forget_kept(seen)
        for gone in set(self._unmoved) - seen:
            del self._unmoved[gone]
        return handled

    def _converter_for(self, path: Path) -> Converter | None:
        for info in self.converters:
            if info.enabled and info.converter is not None and info.converter.matches(path):
                return info.converter
        return None

    # -- one file ----------------------------------------------------------------------------

    def handle_file(self, path: Path) -> bool:
        """Convert one file, queue its reports durably, then archive, delete or keep it (or move it to
        the error folder with its reason). True if its reports were queued."""
        converter = None
        try:
            converter = self._converter_for(path)
            if converter is None:
                enabled = ", ".join(c.name for c in self.converters if c.enabled) or "none"
                raise _FileFailed(f"no enabled converter reads files named like this (enabled: {enabled})")
            reports, read = self._convert(path, converter)
        except FileNotFoundError:
            if os.path.islink(path):
                self._fail(path, "this is a symbolic link to a file that does not exist")
            else:
                log.info("%s was removed or renamed while it was read; nothing to do", path.name)
            return False
        except (_FileFailed, ConversionError) as exc:
            self._fail(path, str(exc))
            return False
        except PermissionError:
            self._fail(path, "the file cannot be read: permission denied (check the file's owner and mode)")
            return False
        except OSError as exc:
            self._fail(path, self._os_reason(exc))
            return False
        except MemoryError:
            self._fail(path, "the file is too large to convert in the memory available")
            return False
        except Exception as exc:  # a converter plugin's own failure: the file goes aside, the scan goes on
            name = converter.name if converter is not None else "?"
            log.debug("converter %s failed on %s", name, path.name, exc_info=True)
            self._fail(path, f"converter {name!r} failed on this file ({type(exc).__name__}: {exc})")
            return False
        try:
            ids = self.queue.put_many(reports, source=str(path), converter=converter.name)
        except ConversionError as exc:
            self._fail(path, str(exc))
            return False
        except OSError as exc:
            # the queue cannot be written: the station's problem, not the file's. It stays; the next scan
            # retries. Said once until the queue takes reports again: a full disk must not fill the log too.
            self.shared.error(
                f"cannot queue the reports of {path.name} in {self.queue.folder}: {exc.strerror or exc}; "
                "free space there or fix the folder (the files wait in the watch folder until then)"
            )
            (log.debug if self._queue_failing else log.error)("%s", self.shared.last_error)
            self._queue_failing = self._queue_failed_in_scan = True
            return False
        except Exception as exc:
            self._fail(path, f"its reports cannot be queued ({type(exc).__name__}: {exc})")
            return False
        self._after(path, converter.name, read)
        self.shared.count("files_converted")
        self.shared.count("reports_queued", len(ids))
        log.info("%s: %d report(s) queued by %s", path.name, len(ids), converter.name)
        self.on_queued(ids)
        return True

    def _convert(self, path: Path, converter: Converter) -> tuple[list[Outgoing], os.stat_result]:
        """The reports of ``path``, and its ``stat`` from before it was read."""
        st = os.stat(path)  # follows a symlink (a loop raises ELOOP)
        if stat.S_ISDIR(st.st_mode):
            raise _FileFailed("this is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise _FileFailed("this is not a regular file (a device, pipe or socket)")
        limit = self.config["max_file_mb"] * 1e6
        if st.st_size > limit:
            raise _FileFailed(
                f"the file is {_size(st.st_size)}, more than the {self.config['max_file_mb']:g} MB "
                "a report file may have (max_file_mb)"
            )
        if st.st_size == 0:
            raise _FileFailed("the file is empty")
        content = path.read_bytes()
        result = converter.convert(path)
        items: list[Any] = list(result) if isinstance(result, list | tuple) else [result]
        if not items:
            raise _FileFailed(f"converter {converter.name!r} found no report in it")
        out: list[Outgoing] = []
        for i, report in enumerate(items):
            if not isinstance(report, UUTReport | UURReport | WsxfDocument):
                raise _FileFailed(
                    f"converter {converter.name!r} returned a {type(report).__name__}, "
                    "not a report (a bug in the converter)"
                )
            if converter.assigns_ids:
                report.id = require_guid(report.id)
            else:
                report.id = report_id_for(path, content, i)
            out.append(prepare(report, self.config))
        return out, st

    @staticmethod
    def _os_reason(exc: OSError) -> str:
        if exc.errno == errno.ELOOP:
            return "this is a symbolic link that leads in a loop; it points to no file"
        if exc.errno == errno.EISDIR:
            return "this is a folder, not a file"
        return f"the file cannot be read: {exc.strerror or exc}"

    def _after(self, path: Path, converter: str, read: os.stat_result) -> None:
        action = self.config.post_action(converter)
        try:
            if action == "delete":
                path.unlink()
            elif action == "keep":
                st = os.stat(path)
                self._kept[str(path)] = [st.st_size, st.st_mtime_ns]
                self._save_kept()
            else:
                move_unique(path, self.config.archive_path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            if str(path) not in self._unmoved:  # said once; the move is tried again at every scan
                done = "deleted" if action == "delete" else f"moved to {self.config.archive_path}"
                self.shared.error(
                    f"{path.name}: its reports are queued, but the file cannot be {done} "
                    f"({exc.strerror or exc}){_access_advice(exc, path.parent, ', or set post_actions to keep')}"
                )
                log.error("%s", self.shared.last_error)
            self._unmoved[str(path)] = (read.st_size, read.st_mtime_ns, converter)
            return
        if self._unmoved.pop(str(path), None) is not None:
            log.info("%s: %s now", path.name, "deleted" if action == "delete" else "archived")

    def _retried_post_action(self, path: str) -> bool:
        """True if ``path`` is a file whose reports are queued already: its post action is tried again."""
        known = self._unmoved.get(path)
        if known is None:
            return False
        st = _unchanged(path, known[:2])
        if st is None:
            del self._unmoved[path]  # changed since it was read: new content, converted as a new file
            return False
        self._after(Path(path), known[2], st)
        return True

    def _fail(self, path: Path, reason: str) -> None:
        note = (f"{path.name}: {reason}\n").encode()
        written: list[Path] = []

        def write_reason(target: Path) -> None:
            written.append(target.with_name(target.name + REASON_SUFFIX))
            atomic_write(written[-1], note)

        try:
            target = move_unique(path, self.config.error_path, write_reason)
        except OSError as exc:
            for orphan in written:  # the file did not follow its reason: no reason without a file
                with contextlib.suppress(OSError):
                    orphan.unlink()
            if isinstance(exc, FileNotFoundError):
                return
            key = f"{path}:{reason}"
            if key not in self._stuck:
                self._stuck[key] = time.time()
                self.shared.error(
                    f"{path.name} failed ({reason}) and cannot be moved to the error folder "
                    f"({exc.strerror or exc}){_access_advice(exc, path.parent)}"
                )
                log.error("%s", self.shared.last_error)
            return
        self.shared.file_failed(path.name, str(target), reason)
        log.warning("%s moved to %s: %s", path.name, target.parent, reason)

    # -- files kept in place -----------------------------------------------------------------

    def _load_kept(self) -> dict[str, list[int]]:
        try:
            data = json.loads(self._kept_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, list)} if isinstance(data, dict) else {}

    def _save_kept(self) -> None:
        with contextlib.suppress(OSError):
            atomic_write(self._kept_path, json.dumps(self._kept).encode(), durable=False)

    def _is_kept(self, path: str) -> bool:
        known = self._kept.get(path)
        return known is not None and _unchanged(path, known) is not None

    def _forget_kept(self, seen: Iterable[str]) -> None:
        present = set(seen)
        gone = [p for p in self._kept if p not in present]
        if gone:
            for p in gone:
                del self._kept[p]
            self._save_kept()
