"""The RootCause domain against the simulator, sync and async."""

from __future__ import annotations

import inspect
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
from flavors import Flavor

from pywats import NotFoundError, ValidationError
from pywats.core.exceptions import ErrorMode
from pywats.domains.rootcause import Ticket, TicketPriority, TicketStatus, TicketView
from pywats.simulator import Simulator
from pywats.simulator.routes.rootcause import SEED_ATTACHMENT_ID

T12345 = str(uuid.uuid5(uuid.UUID("0b6f8a52-7d0e-4f4e-9c1e-5d1a2f3b4c5d"), "12345"))
T12344 = str(uuid.uuid5(uuid.UUID("0b6f8a52-7d0e-4f4e-9c1e-5d1a2f3b4c5d"), "12344"))  # SOLVED
FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_tickets": ((), {"status": "OPEN|IN_PROGRESS", "search_string": "ICT"}),
    "get_open_tickets": ((), {}),
    "get_active_tickets": ((), {"view": TicketView.ALL}),
    "get_ticket": ((12345,), {}),
    "create_ticket": (("Probe wear on ICT-1",), {"assignee": "simulator"}),
    "update_ticket": ((Ticket(ticket_id=uuid.UUID(T12345), subject="Renamed", assignee="simulator"),), {}),
    "add_comment": ((T12345, "Checked the press"), {"assignee": "simulator"}),
    "change_status": ((T12345, TicketStatus.SOLVED), {"assignee": "simulator"}),
    "assign_ticket": ((T12345, "bob"), {}),
    "archive_tickets": (([T12344],), {}),
    "upload_attachment": ((b"log line\n",), {"filename": "log.txt"}),
    "get_attachment": ((SEED_ATTACHMENT_ID,), {"file_name": "j5.jpg"}),
}


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


async def _await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def test_queries_views_and_statuses(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps_async(api: Any) -> Any:
        return await _steps(api, _await)

    def body(api: Any) -> Any:
        return steps_async(api) if flavor.name == "async" else _sync(_steps(api, None))

    mine, active_all, open_or_progress, high, calibration, following = flavor.run(kw(wats_simulator), body)
    assert [t.id for t in mine] == [12340, 12341, 12345]
    assert all(t.status in ("OPEN", "IN_PROGRESS") for t in active_all)
    assert {t.id for t in active_all} == {12340, 12341, 12342, 12345, 12347}
    assert {t.id for t in open_or_progress} == {t.id for t in active_all}
    assert {t.id for t in high} == {12340, 12343, 12345}
    assert {t.id for t in calibration} == {12340, 12344}
    assert {t.id for t in following} == {12343, 12347}


async def _steps(api: Any, wait: Any) -> list[Any]:
    async def call(value: Any) -> Any:
        return await _await(value)

    rc = api.rootcause
    return [
        await call(rc.get_active_tickets()),
        await call(rc.get_active_tickets(view=TicketView.ALL)),
        await call(rc.get_tickets(status=f"{TicketStatus.OPEN}|{TicketStatus.IN_PROGRESS}", view="all")),
        await call(rc.get_tickets(priority=TicketPriority.HIGH, view=TicketView.ALL)),
        await call(rc.get_tickets(search_string="calibration", view=TicketView.ALL)),
        await call(rc.get_tickets(view=TicketView.FOLLOWING)),
    ]


def _sync(coro: Any) -> Any:
    """Drive a coroutine whose awaits are all on plain values (the blocking client's results)."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("the blocking client's steps suspended")


def test_ticket_by_number_and_guid(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        rc = api.rootcause
        return await _await(rc.get_ticket(12345)), await _await(rc.get_ticket(T12345))

    def body(api: Any) -> Any:
        return steps(api) if flavor.name == "async" else _sync(steps(api))

    by_number, by_id = flavor.run(kw(wats_simulator), body)
    assert by_number.ticket_id == by_id.ticket_id == uuid.UUID(T12345)
    assert by_number.id == 12345 and by_number.status == "IN_PROGRESS" and by_number.priority == "HIGH"
    assert by_number.description == "Opens on J5 pins 3-4 on 5% of boards."
    assert isinstance(by_number.created_date_time, datetime) and by_number.created_date_time.tzinfo is None
    assert by_number.created_date_time < datetime.now()
    assert ", ".join(by_number.tags) == "PartNumber: WIDGET-001, ICT"
    assert by_number.tags[0].key == "PartNumber" and by_number.tags[0].value == "WIDGET-001"
    assert by_number.updates[0].description == by_number.description


def test_not_found_strict_and_lenient(flavor: Flavor, wats_simulator: Simulator) -> None:
    missing = str(uuid.uuid4())

    def body(api: Any) -> Any:
        async def steps() -> Any:
            for ref in (99999, missing):
                with pytest.raises(NotFoundError):
                    await _await(api.rootcause.get_ticket(ref))

        return steps() if flavor.name == "async" else _sync(steps())

    flavor.run(kw(wats_simulator), body)

    def lenient(api: Any) -> Any:
        async def steps() -> Any:
            return [await _await(api.rootcause.get_ticket(ref)) for ref in (99999, missing)]

        return steps() if flavor.name == "async" else _sync(steps())

    assert flavor.run(kw(wats_simulator, error_mode=ErrorMode.LENIENT), lenient) == [None, None]


def test_workflow_keeps_the_assignee_the_server_omits(flavor: Flavor, wats_simulator: Simulator) -> None:
    def body(api: Any) -> Any:
        async def steps() -> Any:
            rc = api.rootcause
            created = await _await(
                rc.create_ticket("Probe wear", priority="high", assignee="ola", initial_comment="Seen on ICT-1")
            )
            solved = await _await(rc.change_status(created.ticket_id, TicketStatus.RESOLVED))
            commented = await _await(rc.add_comment(created.ticket_id, "Probes replaced"))
            fetched = await _await(rc.get_ticket(created.ticket_id))
            return created, solved, commented, fetched

        return steps() if flavor.name == "async" else _sync(steps())

    created, solved, commented, fetched = flavor.run(kw(wats_simulator), body)
    assert created.assignee == "ola" and created.status == "OPEN" and created.priority == "HIGH"
    assert created.description == "Seen on ICT-1"
    assert solved.status is TicketStatus.SOLVED and solved.assignee == "ola"
    assert [u.content for u in commented.updates] == ["Seen on ICT-1", "Status: Open -> Solved", "Probes replaced"]
    assert fetched.assignee == "ola"  # filled in by the service: the wire has none
    # the server itself kept the assignee: the ticket is in the ALL view's SOLVED list
    raw = httpx.get(
        f"{wats_simulator.url}/api/RootCause/Ticket",
        params={"ticketId": str(created.ticket_id)},
        headers={"Authorization": f"Basic {wats_simulator.token}"},
    ).json()
    assert raw["assignee"] is None and raw["status"] == 8


def test_unassigned_ticket_must_stay_open(flavor: Flavor, wats_simulator: Simulator) -> None:
    """A fresh client does not know the assignee; the server then refuses the status change."""

    def body(api: Any) -> Any:
        async def steps() -> Any:
            with pytest.raises(ValidationError, match="Unassigned tickets must have status"):
                await _await(api.rootcause.change_status(T12345, TicketStatus.SOLVED))
            ticket = await _await(api.rootcause.get_ticket(T12345))
            return ticket

        return steps() if flavor.name == "async" else _sync(steps())

    assert flavor.run(kw(wats_simulator), body).status == "IN_PROGRESS"  # nothing changed


def test_bad_input_is_refused_before_any_request(wats_simulator: Simulator) -> None:
    from pywats import pyWATS

    with pyWATS(**kw(wats_simulator)) as api:
        for call in (
            lambda: api.rootcause.get_tickets(status="OPEN|NOPE"),
            lambda: api.rootcause.get_tickets(status=0),
            lambda: api.rootcause.get_tickets(view="mine"),
            lambda: api.rootcause.get_ticket("not-a-guid"),
            lambda: api.rootcause.create_ticket("  "),
            lambda: api.rootcause.create_ticket("x", priority="CRITICAL"),
            lambda: api.rootcause.change_status(T12345, "DONE"),
            lambda: api.rootcause.archive_tickets([]),
        ):
            with pytest.raises(ValueError):
                call()
    assert not wats_simulator.requests


def test_archive_only_solved(wats_simulator: Simulator) -> None:
    from pywats import pyWATS

    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(ValidationError, match="Only Solved"):
            api.rootcause.archive_tickets([T12345])
        api.rootcause.archive_tickets([T12344])
        assert api.rootcause.get_ticket(T12344).status is TicketStatus.ARCHIVED
        assert 12344 not in {t.id for t in api.rootcause.get_tickets(view="ALL", status="SOLVED")}


def test_create_is_not_retried(wats_simulator: Simulator) -> None:
    from pywats import ServerError, pyWATS

    wats_simulator.inject("/api/RootCause/Ticket", status=503, times=1)
    with pyWATS(**kw(wats_simulator)) as api, pytest.raises(ServerError):
        api.rootcause.create_ticket("Once only")
    assert [r.method for r in wats_simulator.requests] == ["POST"]


def test_unknown_server_fields_survive_an_update(wats_simulator: Simulator) -> None:
    from pywats import pyWATS

    ticket = Ticket.model_validate({"ticketId": T12345, "subject": "s", "status": 2, "futureField": {"a": 1}})
    assert ticket.model_extra == {"futureField": {"a": 1}}
    assert ticket.to_wire()["futureField"] == {"a": 1} and ticket.to_wire()["status"] == 2
    with pyWATS(**kw(wats_simulator)) as api:
        ticket.assignee = "simulator"
        api.rootcause.update_ticket(ticket)
    assert b'"futureField"' in wats_simulator.requests[-1].body


def test_simulator_loads_tickets_and_rejects_bad_data() -> None:
    from pywats import pyWATS
    from pywats.simulator.wire import DataError

    data = {"rootcause_tickets": [{"subject": "Loaded", "ticketNumber": 7, "assignee": "simulator", "status": 2}]}
    with Simulator(data=data) as sim, pyWATS(**kw(sim)) as api:
        assert [(t.id, t.status) for t in api.rootcause.get_active_tickets()] == [(7, "IN_PROGRESS")]
    with pytest.raises(DataError, match="status or priority"):
        Simulator(data={"rootcause_tickets": [{"subject": "x", "status": 3}]})


def test_a_ticket_update_is_never_repeated(wats_simulator: Simulator) -> None:
    """Each PUT of a ticket adds to its history (a comment, a status change): a repeat would add it twice."""
    import pywats

    with pywats.pyWATS(**kw(wats_simulator, retry_config=pywats.RetryConfig(max_attempts=3, base_delay=0.0))) as api:
        wats_simulator.inject("/api/RootCause/Ticket", method="PUT", status=503)
        with pytest.raises(pywats.ServerError):
            api.rootcause.add_comment(T12345, "Checked the press", assignee="simulator")
        assert wats_simulator.count("PUT", "/api/RootCause/Ticket") == 1
        wats_simulator.inject("/api/RootCause/Ticket", method="GET", status=503)
        assert api.rootcause.get_ticket(T12345) is not None  # reading is still retried
