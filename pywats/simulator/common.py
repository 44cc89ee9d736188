"""What every route module needs alike: the clock, how times go on the wire, how names compare.

One spelling each, so that two domains never disagree about a time's format or about whether
``widget-001`` and ``WIDGET-001 `` name the same thing (the server's SQL collation says they do).
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from pywats._compat import UTC

from .store import Store
from .wire import DataError, SimRequest, error

__all__ = [
    "caller",
    "content_disposition",
    "data_list",
    "fold",
    "found",
    "iso",
    "load_each",
    "multipart_files",
    "not_found",
    "now",
    "parse_time",
    "same",
]


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """``moment`` in UTC as the server writes it: ISO 8601 with a ``Z`` (a naive time counts as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 text (``Z`` or an offset; none means UTC) as an aware datetime, None if it is not one."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def fold(key: Any) -> str:
    """``key`` as the server compares it: as text, trimmed, without case (for sets and lookups)."""
    return str(key).strip().casefold()


def same(a: Any, b: Any) -> bool:
    """Whether two keys (names, serial and part numbers, ids) name the same thing, as :func:`fold` has it."""
    return fold(a) == fold(b)


def caller(req: SimRequest, default: str) -> str:
    """The user name in the request's Basic credential; ``default`` when it names none."""
    token = req.header("authorization").partition(" ")[2].strip()
    try:
        text = base64.b64decode(token, validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return default
    return text.partition(":")[0] or default


def data_list(data: dict[str, Any], key: str) -> list[Any] | None:
    """The list under ``key`` of the user's simulator data, None if the key is not there.

    Raises :class:`DataError` naming the key when it holds something else.
    """
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, list):
        raise DataError(f"'{key}' in the simulator data must be a list, not {type(value).__name__}")
    return value


def data_item(what: str, index: int, item: Any, *names: str) -> dict[str, Any]:
    """Item ``index`` of a list in the user's simulator data: a JSON object in which each of
    ``names`` is text that is not blank. Raises :class:`DataError` saying what the ``what``
    (``"asset"``, ``"unit"``...) must be."""
    if isinstance(item, dict) and all(isinstance(item.get(n), str) and item[n].strip() for n in names):
        return item
    needs = f" with {' and '.join(repr(n) for n in names)} as text" if names else ""
    raise DataError(f"{what} #{index} in the simulator data must be a JSON object{needs}, not {item!r:.80}")


def load_each(
    data: dict[str, Any], key: str, store: Store, collection: str, build: Callable[[int, Any], dict[str, Any]]
) -> bool:
    """Replace ``collection`` with ``build(index, item)`` of each item listed under ``key`` of the
    user's simulator data (``build`` raises :class:`DataError` for a bad item); no ``key``: unchanged.

    True if the collection was replaced."""
    items = data_list(data, key)
    if items is None:
        return False
    store.seed(collection, [build(i, item) for i, item in enumerate(items)])
    return True


def content_disposition(name: str) -> str:
    """A ``Content-Disposition`` naming a download ``name`` (RFC 6266).

    HTTP header values are Latin-1 at most, so a name that is not plain ASCII goes as ``filename*``
    in UTF-8 (percent-encoded), alone: readers that also find a ``filename`` (the optional ASCII
    fallback) take that one, and would get a mangled name.
    """
    if all(" " <= c < "\x7f" and c not in '"\\' for c in name):
        return f'attachment; filename="{name}"'
    return f"attachment; filename*=UTF-8''{quote(name, safe='')}"


def not_found(what: str, key: Any) -> tuple[int, Any]:
    """The 404 answer for the ``what`` (``"Ticket"``, ``"User"``...) named ``key``."""
    return error(404, f"{what} '{key}' was not found.")


def found(
    item: dict[str, Any] | None, what: str, key: Any, render: Callable[[dict[str, Any]], Any] = lambda item: item
) -> tuple[int, Any]:
    """``200`` with ``render(item)``; the 404 answer for ``what`` named ``key`` when there is no ``item``."""
    return not_found(what, key) if item is None else (200, render(item))


def multipart_files(req: SimRequest) -> list[tuple[str | None, str, bytes]] | None:
    """The parts of a ``multipart/*`` body as (file name or None, content type, content); None if the
    body is not multipart."""
    content_type = req.header("content-type")
    if not content_type.lower().startswith("multipart/"):
        return None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + req.body
    )
    parts = []
    for part in message.iter_parts() if message.is_multipart() else ():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            parts.append((part.get_filename(), part.get_content_type(), payload))
    return parts
