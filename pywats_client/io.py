"""Files to and from report attachments, on the station's disk (pyWATS 0.x's ``AttachmentIO``).

``pywats`` keeps attachments in memory (``Attachment.from_bytes``); reading and writing files is
the station's business, here::

    from pywats_client.io import AttachmentIO
    report.add_attachment(AttachmentIO.from_file("screenshot.png"))
    AttachmentIO.save(api.report.get_attachments(report_id)[0], "downloads/")
"""

from __future__ import annotations

import errno
import functools
import inspect
import mimetypes
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pywats import Attachment, InvalidArgumentError
from pywats.domains.report import ReportAttachment

from .fsutil import atomic_write

__all__ = ["AttachmentExistsError", "AttachmentIO", "load_attachment", "save_attachment"]

PathLike = str | os.PathLike[str]
F = TypeVar("F", bound=Callable[..., Any])


def _named_arguments(func: F) -> F:
    """``func`` refusing an unknown or missing argument as an InvalidArgumentError naming it."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            unknown = next((k for k in kwargs if k not in signature.parameters), None)
            raise InvalidArgumentError(f"{func.__name__}: {exc}", details={"argument": unknown}) from None
        return func(*args, **kwargs)

    return call  # type: ignore[return-value]


def _text_or_none(**given: Any) -> None:
    for argument, value in given.items():
        if value is not None and not isinstance(value, str):
            raise InvalidArgumentError(
                f"{argument} must be a string or None, not {value!r:.60}", details={"argument": argument}
            )


class AttachmentExistsError(InvalidArgumentError, FileExistsError):
    """``save_attachment`` was given the path of an existing file without ``overwrite=True``."""


@_named_arguments
def load_attachment(path: PathLike, content_type: str | None = None, name: str | None = None) -> Attachment:
    """The file at ``path`` as an :class:`~pywats.Attachment` (read now), named after the file
    unless ``name`` is given; the content type is guessed from the name unless given."""
    file = _path(path)
    _text_or_none(content_type=content_type, name=name)
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise InvalidArgumentError(
            f"path must name a readable file; {str(file)[:200]!r} is not one ({type(exc).__name__})",
            details={"argument": "path"},
        ) from None
    shown = name if name is not None else file.name
    guessed = content_type or mimetypes.guess_type(shown)[0] or "application/octet-stream"
    return Attachment.from_bytes(shown, content, guessed)


def _path(path: PathLike) -> Path:
    try:
        text = os.fspath(path)
    except TypeError:
        text = None
    if not isinstance(text, str) or not text.strip() or "\0" in text:
        raise InvalidArgumentError(
            f"path must be a file path (text or a pathlib.Path), not {str(path)[:80]!r}", details={"argument": "path"}
        )
    return Path(text)


@_named_arguments
def save_attachment(attachment: Attachment | ReportAttachment, path: PathLike, *, overwrite: bool = False) -> Path:
    """Write an attachment's content to ``path`` (a file, or a folder to write it in under the
    attachment's own name) and return the file written. The file appears whole or not at all; an
    existing file is replaced only with ``overwrite=True``."""
    if isinstance(attachment, ReportAttachment):
        name, content = attachment.file_name, attachment.content
    elif isinstance(attachment, Attachment):
        name, content = attachment.name or "", attachment.get_bytes()
    else:
        raise InvalidArgumentError(
            f"attachment must be an Attachment or a ReportAttachment, not {type(attachment).__name__}"
        )
    target = _path(path)
    if not isinstance(overwrite, bool):
        raise InvalidArgumentError(
            f"overwrite must be True or False, not {overwrite!r:.60}", details={"argument": "overwrite"}
        )
    try:
        return _write(target, name, content, overwrite)
    except OSError as exc:
        if exc.errno not in _PATH_ERRORS:
            raise  # the disk, not the path: a full disk is no bad argument
        raise InvalidArgumentError(
            f"path {str(target)[:200]!r} cannot be written: {exc.strerror or exc}", details={"argument": "path"}
        ) from exc


# What a path given to save_attachment can be at fault for: too long, no such folder, no permission.
_PATH_ERRORS = {errno.ENAMETOOLONG, errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EINVAL, errno.EACCES, errno.EROFS}


def _write(target: Path, name: str, content: bytes, overwrite: bool) -> Path:
    if target.is_dir():
        # a name from the server or a report must not climb out of the folder
        safe = Path(name).name
        if not safe or safe in (".", ".."):
            raise InvalidArgumentError(f"the attachment's name {name[:80]!r} is not a file name; give a file path")
        target = target / safe
    if target.exists() and not overwrite:
        raise AttachmentExistsError(
            f"path {str(target)[:200]!r} exists; pass overwrite=True to replace it", details={"argument": "path"}
        )
    atomic_write(target, content, durable=False)
    return target


class AttachmentIO:
    """pyWATS 0.x's spelling: ``AttachmentIO.from_file(path)`` and ``AttachmentIO.save(att, path)``."""

    from_file = staticmethod(load_attachment)
    load = staticmethod(load_attachment)
    save = staticmethod(save_attachment)
