"""Failed items: files that could not be converted (error folder) and reports the server refused
(``queue/rejected``), each with its reason; listing them, and giving one another go.

It works on the folders alone, so the CLI can list and retry while no service runs; a running
service is told about a retried report through ``on_restored``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .config import ClientConfig
from .fsutil import move_unique
from .queue import QUEUE_SUFFIX, ReportQueue
from .watcher import REASON_SUFFIX

__all__ = ["MAX_LISTED", "FailedItems", "pending"]

log = logging.getLogger("pywats_client.failed")

#: Pending reports described one by one (each is a file read).
MAX_LISTED = 200


def _reason(path: Path) -> str:
    try:
        return path.with_name(path.name + REASON_SUFFIX).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "(no reason recorded)"


def pending(queue: ReportQueue, limit: int = MAX_LISTED) -> dict[str, Any]:
    """The queued reports, oldest first: ``{"total": n, "items": [...]}`` with at most ``limit`` described."""
    ids = list(queue.ids())
    items = []
    for rid in ids[:limit]:
        info = queue.describe(queue.folder / f"{rid}{QUEUE_SUFFIX}")
        if info:  # an entry sent (removed) while we looked is no longer pending
            items.append(info)
    return {"total": len(ids), "items": items}


class FailedItems:
    """The failed items of ``config``'s folders."""

    def __init__(
        self, config: ClientConfig, queue: ReportQueue, on_restored: Callable[[str], None] | None = None
    ) -> None:
        self.config = config
        self.queue = queue
        self.on_restored = on_restored

    def list(self) -> list[dict[str, Any]]:
        """Each item: ``kind`` (``"conversion"`` or ``"rejected"``), ``name`` (what :meth:`retry` takes),
        ``reason``, ``failed_at`` (epoch seconds) and, for a refused report, ``report_id`` and ``source``."""
        out: list[dict[str, Any]] = []
        for kind, folder in (("conversion", self.config.error_path), ("rejected", self.queue.rejected_folder)):
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except FileNotFoundError:
                continue
            for entry in entries:
                if entry.name.startswith(".") or entry.name.endswith(REASON_SUFFIX):
                    continue
                try:
                    if kind == "rejected" and not entry.is_file():
                        continue
                    failed_at = entry.stat(follow_symlinks=False).st_mtime
                except OSError:
                    continue
                path = Path(entry.path)
                item: dict[str, Any] = {
                    "kind": kind,
                    "name": entry.name,
                    "reason": _reason(path),
                    "failed_at": failed_at,
                }
                if kind == "rejected":
                    info = self.queue.describe(path)
                    item["report_id"] = info.get("report_id", "")
                    item["source"] = info.get("source", "")
                out.append(item)
        return out

    def retry(self, name: str, kind: str | None = None) -> dict[str, Any]:
        """Give one failed item another go: a file back into the (first) watch folder, a refused report
        back into the queue. Its reason file is removed.

        ``ValueError`` for a name that is not a plain file name, or is ambiguous without ``kind``;
        ``FileNotFoundError`` if no failed item has that name.
        """
        if not name or name != Path(name).name or name in (".", "..") or name.endswith(REASON_SUFFIX):
            raise ValueError(f"{name!r} is not the name of a failed item (GET /queue/failed lists them)")
        folders = {"conversion": self.config.error_path, "rejected": self.queue.rejected_folder}
        if kind is not None and kind not in folders:
            raise ValueError(f"kind must be conversion or rejected, not {kind!r}")
        found = [k for k in folders if (kind is None or k == kind) and os.path.lexists(folders[k] / name)]
        if not found:
            raise FileNotFoundError(f"no failed item named {name!r}")
        if len(found) > 1:
            raise ValueError(f"{name!r} is both a failed conversion and a rejected report: say which kind")
        source = folders[found[0]] / name
        result: dict[str, Any] = {"kind": found[0], "name": name}
        if found[0] == "rejected":
            result["report_id"] = self.queue.restore(source)
            if self.on_restored is not None:
                self.on_restored(result["report_id"])
        else:
            result["moved_to"] = str(move_unique(source, self.config.watch_paths[0]))
        with contextlib.suppress(OSError):
            source.with_name(name + REASON_SUFFIX).unlink()
        log.info("retry of %s %s requested", found[0], name)
        return result
