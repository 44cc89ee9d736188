"""The persistent report queue: one fsynced JSON file per report, named by the report's id.

A report is written here before it is ever sent and removed only after the server has confirmed
it, so a crash at any point loses nothing; the file name is the report id, fixed before the first
submission, so putting the same report twice (a file converted again after a crash) replaces the
entry instead of adding one, and a resubmit replaces the server's copy instead of duplicating it.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pywats.domains.report import UURReport, UUTReport, load_report

from .converters import WsxfDocument, require_guid
from .fsutil import atomic_write, fsync_dir, move_unique

__all__ = ["QUEUE_SUFFIX", "QueueEntry", "ReportQueue"]

#: The name of a queue entry: ``<report id>.report.json``.
QUEUE_SUFFIX = _SUFFIX = ".report.json"


@dataclass
class QueueEntry:
    """A queued report and where it came from.

    ``format`` is ``"wsjf"`` (``report`` holds the finalized WSJF object) or ``"wsxf"``
    (``document`` holds the XML text); :meth:`body` is exactly what is sent.
    """

    report_id: str
    report: dict[str, Any]
    source: str
    converter: str
    queued_at: float
    format: str = "wsjf"
    document: str = ""

    def to_report(self) -> UUTReport | UURReport:
        return load_report(self.report)

    def body(self) -> bytes:
        if self.format == "wsxf":
            return self.document.encode("utf-8")
        return json.dumps(self.report, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ReportQueue:
    """Reports waiting for the server, in ``folder`` (created if missing)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.rejected_folder = self.folder / "rejected"

    def _path(self, report_id: str) -> Path:
        return self.folder / f"{uuid.UUID(report_id)}{_SUFFIX}"

    def put_many(
        self, reports: Sequence[UUTReport | UURReport | WsxfDocument], *, source: str, converter: str
    ) -> list[str]:
        """Write ``reports`` (each must carry a GUID id) durably, as they will be sent; returns their ids.

        A WSJF report is stored as its WSJF object (finalize it first: the queue sends what it holds),
        a WSXF document as its text. Every id is checked before anything is written
        (:class:`~pywats_client.converters.ConversionError` names a bad one). Each file is fsynced,
        then the folder once, so all of them are on disk when this returns.
        """
        now = time.time()
        docs = []
        for report in reports:
            rid = require_guid(report.id)
            doc: dict[str, Any] = {"report_id": rid, "source": source, "converter": converter, "queued_at": now}
            if isinstance(report, WsxfDocument):
                doc.update(format="wsxf", document=report.text)
            else:
                doc.update(format="wsjf", report=report.to_wsjf())
            docs.append((rid, doc))
        for rid, doc in docs:
            atomic_write(self._path(rid), json.dumps(doc, ensure_ascii=False).encode("utf-8"), durable=False)
        fsync_dir(self.folder)
        return [rid for rid, _ in docs]

    def get(self, report_id: str) -> QueueEntry:
        """The entry for ``report_id`` (``FileNotFoundError`` if it has gone)."""
        doc = json.loads(self._path(report_id).read_bytes())
        return QueueEntry(
            doc["report_id"],
            doc.get("report") or {},
            doc.get("source", ""),
            doc.get("converter", ""),
            doc.get("queued_at", 0.0),
            doc.get("format", "wsjf"),
            doc.get("document", ""),
        )

    def remove(self, report_id: str) -> None:
        """Forget a report the server has confirmed.

        The folder is not fsynced: if the removal is lost in a crash, the report is sent again
        under the same id, which the server treats as a replacement.
        """
        try:
            os.unlink(self._path(report_id))
        except FileNotFoundError:
            pass

    def reject(self, report_id: str, reason: str) -> Path:
        """Move a report the server refused (it will never accept it) aside, with the reason next to it."""
        note = (reason.rstrip() + "\n").encode()
        return move_unique(  # the reason first: the folder never shows a report without it
            self._path(report_id),
            self.rejected_folder,
            lambda t: atomic_write(t.with_name(t.name + ".reason.txt"), note),
        )

    def ids(self) -> Iterator[str]:
        """The ids queued now, oldest file first."""
        entries = []
        with os.scandir(self.folder) as it:
            for e in it:
                if e.name.endswith(_SUFFIX) and not e.name.startswith("."):
                    try:
                        entries.append((e.stat().st_mtime_ns, e.name[: -len(_SUFFIX)]))
                    except FileNotFoundError:
                        continue
        for _, rid in sorted(entries):
            yield rid

    def __len__(self) -> int:
        return sum(1 for _ in self.ids())

    def describe(self, path: Path) -> dict[str, Any]:
        """What an entry file says about itself (id, source file, converter, when queued); ``{}`` if unreadable."""
        try:
            doc = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(doc, dict):
            return {}
        return {
            "report_id": str(doc.get("report_id", "")),
            "source": str(doc.get("source", "")),
            "converter": str(doc.get("converter", "")),
            "queued_at": doc.get("queued_at"),
        }

    def restore(self, rejected: Path) -> str:
        """Put a rejected entry back in the queue under its report id; returns the id.

        ``ValueError`` if the entry cannot be read or its report is queued already (nothing is moved then).
        """
        rid = self.describe(rejected).get("report_id", "")
        try:
            target = self._path(rid)
        except ValueError:
            raise ValueError(f"{rejected.name} is not a readable queue entry") from None
        if target.exists():
            raise ValueError(f"report {rid} is queued already")
        os.replace(rejected, target)
        fsync_dir(self.folder)
        return str(uuid.UUID(rid))

    def rejected_count(self) -> int:
        """How many reports the server refused (kept in ``rejected/``)."""
        if not self.rejected_folder.is_dir():
            return 0
        return sum(1 for p in self.rejected_folder.iterdir() if p.name.endswith(_SUFFIX))
