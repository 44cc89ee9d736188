"""The RootCause service: issue tickets (query, create, comment, change status, assign, archive)."""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import httpx
from pydantic import ValidationError as PydanticValidationError
from wats_public.api.root_cause import (
    root_cause_archive_tickets,
    root_cause_get_attachment,
    root_cause_get_ticket,
    root_cause_get_tickets,
    root_cause_post_attachment,
    root_cause_post_ticket,
    root_cause_put_ticket,
)

from ..._async.service import AsyncService, AsyncServiceContext
from ...core.binding import uses
from ...core.exceptions import ErrorMode, InvalidArgumentError, NotFoundError
from ...core.wire import aliases, guid, ignore_body, parse_bytes, parse_list, parse_model, unset
from .models import Ticket, TicketAttachment, TicketPriority, TicketStatus, TicketUpdate, TicketView, UpdateType

__all__ = ["AsyncRootCauseService"]

_ALL_STATUSES = 63  # every status flag: the server requires a status in every query
_ACTIVE = (TicketStatus.OPEN, TicketStatus.IN_PROGRESS)
TicketRef = UUID | str | int
StatusQuery = TicketStatus | int | str | Iterable[TicketStatus | str]


def _parse_tickets(response: httpx.Response) -> list[Ticket]:
    body = response.content.strip()
    # a query that finds nothing is an empty list, however the server spells "nothing"
    return [] if not body or body == b"null" else parse_list(Ticket)(response)


def status_flags(status: StatusQuery | None) -> int:
    """The server's status flags for a query: a status, ``"OPEN|IN_PROGRESS"``, flags, or several."""
    if status is None:
        return _ALL_STATUSES
    if isinstance(status, bool):
        raise InvalidArgumentError(f"status must be a TicketStatus, its name or flags, not {status!r}")
    if isinstance(status, int):
        if not 0 < status <= _ALL_STATUSES:
            raise InvalidArgumentError(f"status flags must be within 1..{_ALL_STATUSES}, not {status}")
        return status
    parts: Iterable[Any] = status.split("|") if isinstance(status, str) else status
    flags = 0
    for part in parts:
        flags |= TicketStatus.from_wire(part).wire
    if not flags:
        raise InvalidArgumentError(f"status {status!r} names no status")
    return flags


def _view(view: TicketView | str | None) -> TicketView:
    if view is None:
        return TicketView.ASSIGNED
    try:
        return TicketView(str(view).strip().upper())
    except ValueError:
        raise InvalidArgumentError(f"view must be one of {[v.value for v in TicketView]}, not {view!r}") from None


def _uuid(value: UUID | str, what: str) -> UUID:
    return guid(what, value, "a GUID")


class AsyncRootCauseService(AsyncService):
    """RootCause tickets: ``/api/RootCause/...``.

    The server leaves ``assignee`` out of the tickets it returns, yet refuses an update that
    carries no assignee unless the ticket is OPEN. The service remembers each assignee it sets
    or is told (``create_ticket``, ``assign_ticket``, ``change_status``, ``add_comment``,
    ``update_ticket``) and fills it into the tickets it returns and sends.
    """

    def __init__(self, context: AsyncServiceContext, options: Mapping[str, Any]) -> None:
        super().__init__(context, options)
        self._assignees: dict[UUID, str] = {}
        self._assignees_lock = threading.Lock()

    # -- assignee memory ---------------------------------------------------------------------

    def _remember(self, ticket_id: UUID | None, assignee: str | None) -> None:
        if ticket_id is not None and assignee:
            with self._assignees_lock:
                self._assignees[ticket_id] = assignee

    def _complete(self, ticket: Ticket | None) -> Ticket | None:
        if ticket is not None and not ticket.assignee and ticket.ticket_id is not None:
            with self._assignees_lock:
                known = self._assignees.get(ticket.ticket_id)
            if known:
                ticket.assignee = known
        return ticket

    # -- queries -------------------------------------------------------------------------------

    async def _query(self, flags: int, view: TicketView, search_string: str | None) -> list[Ticket]:
        kwargs = root_cause_get_tickets.request_kwargs(
            status=flags, view=view.wire, search_string=unset(search_string or None)
        )
        tickets = await self._call_parsed(root_cause_get_tickets, kwargs, _parse_tickets, expect_data=False)
        return [t for t in tickets or [] if self._complete(t) is not None]

    @uses(root_cause_get_tickets, query=("searchString",))
    async def get_tickets(
        self,
        status: StatusQuery | None = None,
        view: TicketView | str | None = None,
        search_string: str | None = None,
        priority: TicketPriority | str | None = None,
    ) -> list[Ticket]:
        """Tickets with this status (default: any), seen through ``view`` (default: ASSIGNED).

        ``status`` is a :class:`TicketStatus`, several joined with ``|`` (``"OPEN|IN_PROGRESS"``,
        or ``f"{TicketStatus.OPEN}|{TicketStatus.IN_PROGRESS}"``), a list of them, or the
        server's flags. ``search_string`` matches subject, tags and tag values (on the server);
        ``priority`` filters the answer (the server has no priority filter). An empty answer is
        an empty list.
        """
        flags, seen = status_flags(status), _view(view)
        wanted = None if priority is None else TicketPriority.from_wire(priority)
        tickets = await self._query(flags, seen, search_string)
        return [t for t in tickets if wanted is None or t.priority is wanted]

    @uses(root_cause_get_tickets)
    async def get_open_tickets(self, view: TicketView | str | None = None) -> list[Ticket]:
        """OPEN tickets seen through ``view`` (default: ASSIGNED)."""
        return await self._query(TicketStatus.OPEN.wire, _view(view), None)

    @uses(root_cause_get_tickets)
    async def get_active_tickets(self, view: TicketView | str | None = None) -> list[Ticket]:
        """OPEN and IN_PROGRESS tickets seen through ``view`` (default: ASSIGNED)."""
        return await self._query(status_flags(_ACTIVE), _view(view), None)

    @uses(root_cause_get_ticket, root_cause_get_tickets)
    async def get_ticket(self, ticket: TicketRef) -> Ticket | None:
        """The ticket with this GUID, or with this number (``12345``, as ``ticket.id`` shows it).

        A number is looked up among all tickets (the ALL view, which needs the "Manage All
        Tickets" permission), then fetched by its GUID. Not found: ``NotFoundError`` (STRICT) or
        None (LENIENT).
        """
        if isinstance(ticket, int) and not isinstance(ticket, bool):
            found = next((t for t in await self._query(_ALL_STATUSES, TicketView.ALL, None) if t.id == ticket), None)
            if found is None or found.ticket_id is None:
                if self._context.error_mode is ErrorMode.LENIENT:
                    return None
                raise NotFoundError(f"ticket #{ticket} was not found", operation="get_ticket")
            ticket_id = found.ticket_id
        else:
            ticket_id = _uuid(ticket, "a ticket id")  # type: ignore[arg-type]
        return await self._fetch(ticket_id, identifier=ticket)

    # -- changes -------------------------------------------------------------------------------

    async def _put(self, ticket: Ticket) -> Ticket | None:
        self._complete(ticket)
        self._remember(ticket.ticket_id, ticket.assignee)
        kwargs = root_cause_put_ticket.request_kwargs(body=ticket.to_wire())
        result = await self._call_parsed(
            root_cause_put_ticket, kwargs, parse_model(Ticket), resource_type="ticket", identifier=ticket.ticket_id
        )
        return self._complete(result)

    async def _fetch(self, ticket_id: UUID | str, identifier: Any = None) -> Ticket | None:
        """The ticket with this id; ``identifier`` is how the caller named it (for a not-found error)."""
        tid = _uuid(ticket_id, "ticket_id")
        kwargs = root_cause_get_ticket.request_kwargs(ticket_id=tid)
        return self._complete(
            await self._call_parsed(
                root_cause_get_ticket,
                kwargs,
                parse_model(Ticket),
                resource_type="ticket",
                identifier=tid if identifier is None else identifier,
            )
        )

    @uses(root_cause_post_ticket)
    async def create_ticket(
        self,
        subject: str,
        priority: TicketPriority | str = TicketPriority.NORMAL,
        assignee: str | None = None,
        team: str | None = None,
        report_uuid: UUID | str | None = None,
        initial_comment: str | None = None,
        tags: Iterable[str] | None = None,
    ) -> Ticket | None:
        """Create an OPEN ticket; the result carries ``assignee`` as given (the server omits it).

        Not retried automatically (POST): a failed call may or may not have created the ticket.
        """
        if not isinstance(subject, str) or not subject.strip():
            raise InvalidArgumentError(f"a ticket needs a non-empty subject, not {subject!r}")
        ticket = Ticket(
            subject=subject,
            priority=TicketPriority.from_wire(priority),
            status=TicketStatus.OPEN,
            assignee=assignee,
            team=team,
            report_uuid=None if report_uuid is None else _uuid(report_uuid, "report_uuid"),
            tags=list(tags) if tags is not None else None,  # type: ignore[arg-type]
            update=TicketUpdate(content=initial_comment, update_type=UpdateType.CONTENT) if initial_comment else None,
        )
        kwargs = root_cause_post_ticket.request_kwargs(body=ticket.to_wire())
        created = await self._call_parsed(root_cause_post_ticket, kwargs, parse_model(Ticket))
        if created is not None:
            self._remember(created.ticket_id, assignee)
        return self._complete(created)

    @uses(root_cause_put_ticket)
    async def update_ticket(self, ticket: Ticket) -> Ticket | None:
        """Send ``ticket`` as it is now (subject, status, priority, assignee, tags, ``update``).

        A ticket without an assignee gets the one this service last knew for it; the server
        refuses an unassigned ticket whose status is not OPEN (``ValidationError``).
        """
        if not isinstance(ticket, Ticket) or ticket.ticket_id is None:
            raise InvalidArgumentError(
                "update_ticket takes a Ticket with its ticket_id (from get_ticket or create_ticket)"
            )
        return await self._put(ticket.model_copy(deep=True))

    async def _change(self, ticket_id: UUID | str, assignee: str | None, **changes: Any) -> Ticket | None:
        ticket = await self._fetch(ticket_id)
        if ticket is None:
            return None
        try:
            for name, value in changes.items():
                setattr(ticket, name, value)
        except PydanticValidationError as exc:
            raise InvalidArgumentError(str(exc)) from None
        if assignee:
            ticket.assignee = assignee
        ticket.history = None  # the server keeps the history; an update adds to it
        return await self._put(ticket)

    @uses(root_cause_get_ticket, root_cause_put_ticket)
    async def add_comment(
        self,
        ticket_id: UUID | str,
        comment: str,
        assignee: str | None = None,
        attachments: Iterable[UUID | str] | None = None,
    ) -> Ticket | None:
        """Add a comment. Pass the ticket's ``assignee`` unless this service set it (see class doc).

        ``attachments``: ids from :meth:`upload_attachment`, shown with the comment.
        """
        if not isinstance(comment, str) or not comment.strip():
            raise InvalidArgumentError(f"a comment needs text, not {comment!r}")
        files = [TicketAttachment(attachment_id=_uuid(a, "an attachment id")) for a in attachments or ()]
        update = TicketUpdate(content=comment, update_type=UpdateType.CONTENT, attachments=files or None)
        return await self._change(ticket_id, assignee, update=update)

    @uses(root_cause_get_ticket, root_cause_put_ticket)
    async def change_status(
        self, ticket_id: UUID | str, status: TicketStatus | str, assignee: str | None = None
    ) -> Ticket | None:
        """Set the status. Pass the ticket's ``assignee`` unless this service set it (see class doc)."""
        return await self._change(ticket_id, assignee, status=TicketStatus.from_wire(status))

    @uses(root_cause_get_ticket, root_cause_put_ticket)
    async def assign_ticket(self, ticket_id: UUID | str, assignee: str) -> Ticket | None:
        """Assign the ticket to ``assignee`` (a WATS user name)."""
        if not isinstance(assignee, str) or not assignee.strip():
            raise InvalidArgumentError(f"assignee must be a user name, not {assignee!r}")
        return await self._change(ticket_id, assignee)

    @uses(root_cause_archive_tickets)
    async def archive_tickets(self, ticket_ids: Iterable[UUID | str]) -> None:
        """Archive SOLVED tickets (only their owner or a "Manage All Tickets" user may).

        Not retried automatically (POST). A ticket that is not SOLVED: ``ValidationError``.
        """
        ids = [_uuid(t, "a ticket id") for t in ([ticket_ids] if isinstance(ticket_ids, str | UUID) else ticket_ids)]
        if not ids:
            raise InvalidArgumentError("archive_tickets needs at least one ticket id")
        kwargs = root_cause_archive_tickets.request_kwargs(body=ids)
        await self._call_parsed(root_cause_archive_tickets, kwargs, ignore_body, expect_data=False)

    # -- attachments ---------------------------------------------------------------------------

    @uses(root_cause_post_attachment)
    async def upload_attachment(
        self,
        content: bytes | IO[bytes] | str | Path,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> UUID | None:
        """Upload a file for a ticket (``POST /api/RootCause/Attachment``, multipart); returns its
        attachment id, to list in a ticket update's ``attachments``. Never retried (a POST).

        ``content`` is the file as bytes, a binary file object (streamed, not read whole) or a
        path (its name is the default ``filename``). ``content_type`` defaults to the one the
        file name suggests, else ``application/octet-stream``.
        """
        opened: IO[bytes] | None = None
        source: bytes | IO[bytes]
        if isinstance(content, str | Path):
            path = Path(content)
            if not path.is_file():
                raise InvalidArgumentError(f"no file at {str(path)!r}")
            filename = filename or path.name
            opened = source = path.open("rb")
        elif isinstance(content, bytes | bytearray | memoryview):
            source = bytes(content)
        elif hasattr(content, "read"):
            source = content
        else:
            raise TypeError(f"content must be bytes, a binary file or a path, not {type(content).__name__}")
        if not filename or not filename.strip():
            raise InvalidArgumentError("upload_attachment needs a filename for bytes or a file object")
        kind = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        try:
            kwargs = root_cause_post_attachment.request_kwargs()
            kwargs["files"] = {"file": (filename, source, kind)}
            return await self._call(root_cause_post_attachment, kwargs, resource_type="attachment")
        finally:
            if opened is not None:
                opened.close()

    @uses(root_cause_get_attachment, query=("fileName",))
    @aliases(filename="file_name")
    async def get_attachment(self, attachment_id: UUID | str, file_name: str | None = None) -> bytes | None:
        """The content of an uploaded attachment (``GET /api/RootCause/Attachment``).

        ``file_name`` asks the server to send it as a download with that name (without it,
        images are served for display). Unknown id: NotFoundError (LENIENT: None).
        """
        key = _uuid(attachment_id, "attachment_id")
        kwargs = root_cause_get_attachment.request_kwargs(attachment_id=key, file_name=unset(file_name))
        return await self._call_parsed(
            root_cause_get_attachment,
            kwargs,
            parse_bytes,
            expect_data=False,
            resource_type="attachment",
            identifier=str(key),
        )
