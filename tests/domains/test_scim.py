"""The SCIM domain against the simulator, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from flavors import Flavor

from pywats import AsyncWATS, ConflictError, NotFoundError, ValidationError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.scim import ScimPatchOperation, ScimPatchRequest, ScimUser, ScimUserName
from pywats.simulator import Simulator

ADA = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
USERS = "/api/SCIM/v2/Users"
FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_token": ((), {"duration_days": 30}),
    "get_users": ((), {"filter": 'userName eq "ada.lovelace@example.com"', "start_index": 1, "count": 5}),
    "iter_users": ((), {"page_size": 5}),  # lazy: the call itself sends nothing
    "get_user": ((ADA,), {}),
    "get_user_by_username": (("ada.lovelace@example.com",), {}),
    "create_user": ((ScimUser(user_name="new.user@example.com"),), {}),
    "update_user": ((ADA, ScimPatchRequest(operations=[ScimPatchOperation(path="givenName", value="A")])), {}),
    "update_display_name": ((ADA, "Ada King"), {}),
    "set_user_active": ((ADA, False), {}),
    "deactivate_user": ((ADA,), {}),
    "delete_user": ((ADA,), {}),
}


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


async def _v(value: Any) -> Any:
    return await value if asyncio.iscoroutine(value) else value


def drive(flavor: Flavor, steps: Any) -> Any:
    """``steps(api)`` is a coroutine awaiting ``_v(...)`` of each call: real awaits for AsyncWATS."""

    def body(api: Any) -> Any:
        coro = steps(api)
        if flavor.name == "async":
            return coro
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value
        raise AssertionError("the blocking client's steps suspended")

    return body


def test_user_lifecycle(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        s = api.scim
        made = await _v(s.create_user(ScimUser(user_name="john@example.com", name=ScimUserName(given_name="John"))))
        by_name = await _v(s.get_user_by_username("JOHN@example.com"))
        renamed = await _v(s.update_display_name(made.id, "John Smith"))
        off = await _v(s.deactivate_user(made.id))
        on = await _v(s.set_user_active(made.id, True))
        await _v(s.delete_user(made.id))
        with pytest.raises(NotFoundError):
            await _v(s.get_user(made.id))
        return made, by_name, renamed, off, on

    made, by_name, renamed, off, on = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert made.id and made.user_name == "john@example.com" and made.name.given_name == "John"
    assert by_name.id == made.id
    assert renamed.display_name == "John Smith" and off.active is False and on.active is True


def test_list_token_and_errors(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        s = api.scim
        everyone = await _v(s.get_users())
        one = await _v(s.get_users(filter='userName eq "ADA.lovelace@example.com"'))
        token = await _v(s.get_token(duration_days=7))
        with pytest.raises(ConflictError):
            await _v(s.create_user(ScimUser(user_name="ada.lovelace@example.com")))
        with pytest.raises(ValidationError, match="path 'displayName' is not supported"):
            await _v(
                s.update_user(ADA, ScimPatchRequest(operations=[ScimPatchOperation(path="displayName", value="x")]))
            )
        with pytest.raises(ValidationError, match="replace"):
            await _v(s.update_user(ADA, ScimPatchRequest(operations=[ScimPatchOperation(op="add", path="roles")])))
        return everyone, one, token

    everyone, one, token = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert everyone.total_results == len(everyone.resources) == 12
    assert [u.id for u in one.resources] == [ADA]
    assert token.duration_days == 7 and token.token.count(".") == 2 and token.token not in repr(token)


def test_lenient_not_found(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.scim.get_user("00000000-0000-0000-0000-000000000001") is None
        assert api.scim.get_user_by_username("nobody@example.com") is None
        assert api.scim.get_user("user-id") is None
    with pyWATS(**kw(wats_simulator)) as api, pytest.raises(NotFoundError, match="GUID"):
        api.scim.get_user("user-id")
    assert len(wats_simulator.requests) == 2  # the non-GUID ids were never sent


def test_bad_input_refused_before_any_request(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        for call in (
            lambda: api.scim.delete_user("user-id"),
            lambda: api.scim.get_token(duration_days=0),
            lambda: api.scim.create_user(ScimUser()),
            lambda: api.scim.set_user_active(ADA, "yes"),
            lambda: api.scim.update_user(ADA, ScimPatchRequest()),
            lambda: api.scim.iter_users(page_size=0),
            lambda: api.scim.iter_users(max_users=-1),
        ):
            with pytest.raises(ValueError):
                call()
    assert not wats_simulator.requests


def _pages(sim: Simulator) -> list[tuple[str, str]]:
    return [(r.query["startIndex"][0], r.query["count"][0]) for r in sim.requests if r.path == USERS]


def test_iter_users_fetches_only_the_pages_consumed_sync(wats_simulator: Simulator) -> None:
    progress: list[tuple[int, int, int | None]] = []
    with pyWATS(**kw(wats_simulator)) as api:
        users = api.scim.iter_users(page_size=5, on_page=lambda *a: progress.append(a))
        assert _pages(wats_simulator) == []  # nothing until the loop starts
        first = [next(users) for _ in range(5)]
        assert _pages(wats_simulator) == [("1", "5")]
        sixth = next(users)
        assert _pages(wats_simulator) == [("1", "5"), ("6", "5")]
        rest = list(users)
    assert len(first) + 1 + len(rest) == 12 and sixth.user_name == "operator05@example.com"
    assert _pages(wats_simulator) == [("1", "5"), ("6", "5"), ("11", "5")]
    assert progress == [(1, 5, 12), (2, 10, 12), (3, 12, 12)]


def test_iter_users_max_users_async(wats_simulator: Simulator) -> None:
    async def main() -> list[str]:
        async with AsyncWATS(**kw(wats_simulator)) as api:
            return [u.user_name async for u in api.scim.iter_users(page_size=4, max_users=6)]

    names = asyncio.run(main())
    assert len(names) == 6 and names[0] == "ada.lovelace@example.com"
    assert _pages(wats_simulator) == [("1", "4"), ("5", "2")]  # the second page asks only for what is left


def test_simulator_loads_users_and_rejects_bad_data() -> None:
    from pywats.simulator.wire import DataError

    data = {"scim_users": [{"userName": "x@example.com", "name": {"givenName": "X"}}]}
    with Simulator(data=data) as sim, pyWATS(**kw(sim)) as api:
        assert [u.user_name for u in api.scim.iter_users()] == ["x@example.com"]
    with pytest.raises(DataError, match="userName"):
        Simulator(data={"scim_users": [{"displayName": "no name"}]})
