"""Durable file operations: what the queue and the config rely on to lose nothing in a crash."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["MAX_NAME", "atomic_write", "fsync_dir", "move_unique", "unique_path", "unwritable"]


def fsync_dir(path: Path) -> None:
    """Make a rename or create inside ``path`` durable (a no-op where directories cannot be opened)."""
    if os.name == "nt":  # Windows has no directory handles to fsync; its renames are journalled
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so that a reader (or a crash) sees the old or the new file, never half.

    The bytes go to a temporary file in the same directory, are fsynced, then renamed over ``path``;
    with ``durable`` the directory is fsynced too, so the rename itself survives a power loss.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def unwritable(folder: Path) -> str | None:
    """None if files can be created in ``folder`` (created if missing), else why not, in words."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".pywats-probe-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


#: The longest name (in bytes) given to a file moved aside: room under the usual 255-byte limit for
#: a ``.N`` to tell namesakes apart, ``NAME.reason.txt`` beside it, and that one's temporary name.
MAX_NAME = 200


def _fitted(stem: str, tail: str) -> str:
    room = MAX_NAME - len(tail.encode())
    raw = stem.encode()
    return (raw[:room].decode(errors="ignore") if len(raw) > room else stem) + tail


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/stem.N.suffix`` for the first N not taken (archives never overwrite).

    A name longer than :data:`MAX_NAME` bytes is shortened (its stem), so the move and the reason
    file beside it fit the file system's limit.
    """
    stem, suffix = os.path.splitext(name)
    if len(suffix.encode()) > 20:  # not an extension: part of the name
        stem, suffix = name, ""
    candidate = folder / _fitted(stem, suffix)
    n = 1
    while candidate.exists():
        candidate = folder / _fitted(stem, f".{n}{suffix}")
        n += 1
    return candidate


def move_unique(source: Path, folder: Path, before: Callable[[Path], None] | None = None) -> Path:
    """Move ``source`` into ``folder`` under a free name; returns where it went.

    ``before(target)`` runs once the name is chosen and before the file appears there (to write a
    reason file beside it first, so nobody listing the folder sees the file without its reason).
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = unique_path(folder, source.name)
    if before is not None:
        before(target)
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise  # e.g. a folder the service may not change: copying would leave a copy per attempt
        # another file system: copy (fsynced) first, so the source is removed only once the copy is safe
        try:
            shutil.copy2(source, target)
            with open(target, "rb+") as fh:
                os.fsync(fh.fileno())
            source.unlink()
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()  # the source stays: one file, not two
            raise
    fsync_dir(folder)
    return target
