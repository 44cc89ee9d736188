"""Files to and from report attachments, on the station's disk (the report guide's ``AttachmentIO``).

``pywats`` keeps attachments in memory (``Attachment.from_bytes``); reading and writing files is
the station's business, here::

    from pywats_client.io import AttachmentIO
    report.add_attachment(AttachmentIO.from_file("screenshot.png"))
    AttachmentIO.save(api.report.get_attachments(report_id)[0], "downloads/")
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from pywats import Attachment, InvalidArgumentError
from pywats.domains.report import ReportAttachment

from .fsutil import atomic_write

__all__ = ["AttachmentIO", "load_attachment", "save_attachment"]

PathLike = str | os.PathLike[str]


def load_attachment(path: PathLike, content_type: str | None = None, name: str | None = None) -> Attachment:
    """The file at ``path`` as an :class:`~pywats.Attachment` (read now), named after the file
    unless ``name`` is given; the content type is guessed from the name unless given."""
    file = Path(path)
    if not file.is_file():
        raise InvalidArgumentError(f"path must name a readable file; {str(file)[:200]!r} is not one")
    shown = name if name is not None else file.name
    guessed = content_type or mimetypes.guess_type(shown)[0] or "application/octet-stream"
    return Attachment.from_bytes(shown, file.read_bytes(), guessed)


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
    target = Path(path)
    if target.is_dir():
        # a name from the server or a report must not climb out of the folder
        safe = Path(name).name
        if not safe or safe in (".", ".."):
            raise InvalidArgumentError(f"the attachment's name {name[:80]!r} is not a file name; give a file path")
        target = target / safe
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists; pass overwrite=True to replace it")
    atomic_write(target, content, durable=False)
    return target


class AttachmentIO:
    """The report guide's spelling: ``AttachmentIO.from_file(path)`` and ``AttachmentIO.save(att, path)``."""

    from_file = staticmethod(load_attachment)
    load = staticmethod(load_attachment)
    save = staticmethod(save_attachment)
