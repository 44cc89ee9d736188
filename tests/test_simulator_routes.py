"""The simulator's layout: route modules found by discovery, the store, data loading."""

from __future__ import annotations

import types
from typing import Any

import httpx
import pytest

from pywats.simulator import DataError, Simulator, Store, routes
from pywats.simulator.wire import SimRequest


def _module(name: str, **attrs: Any) -> types.ModuleType:
    module = types.ModuleType(f"pywats.simulator.routes.{name}")
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


def _ok(sim: Simulator, req: SimRequest, params: dict[str, Any]) -> tuple[int, Any]:
    return 200, "ok"


def test_every_route_module_is_discovered() -> None:
    owners = routes.route_table().owners
    assert owners["GET /api/App/Version"] == "app"
    assert owners["GET /api/internal/Process/GetProcess/{id}"] == "process"


def test_two_modules_registering_one_route_is_an_error_naming_both(monkeypatch: pytest.MonkeyPatch) -> None:
    fakes = [
        _module("alpha", ROUTES={"GET /api/App/Version": _ok}),
        _module("beta", ROUTES={"GET /api/App/Version": _ok}),
    ]
    monkeypatch.setattr(routes, "_modules", lambda: fakes)
    with pytest.raises(RuntimeError, match=r"routes/alpha\.py and routes/beta\.py"):
        routes.route_table.__wrapped__()


def test_an_undocumented_route_key_stops_the_simulator(monkeypatch: pytest.MonkeyPatch) -> None:
    table = routes.route_table.__wrapped__()
    table.handlers["GET /api/App/Versoin"] = _ok
    table.owners["GET /api/App/Versoin"] = "typo"
    monkeypatch.setattr(routes, "route_table", lambda: table)
    monkeypatch.setattr("pywats.simulator.server.route_table", lambda: table)
    with pytest.raises(RuntimeError, match=r"routes/typo\.py registers 'GET /api/App/Versoin'"):
        Simulator()


def test_store_collections_reset_to_a_deep_copy_of_the_seed() -> None:
    store = Store()
    assert store.collection("things") == []
    store.seed("things", [{"id": 1, "tags": ["a"]}])
    live = store.collection("things")
    live[0]["tags"].append("b")
    live.append({"id": 2})
    store.collection("other").append({"x": 1})
    store.reset()
    assert live == [{"id": 1, "tags": ["a"]}] and store.collection("things") is live
    assert store.collection("other") == []
    with store.lock, store.lock:  # re-entrant: a handler may call helpers that lock again
        assert store.names() == ["other", "things"]


def test_sim_data_is_a_view_over_the_store(wats_simulator: Simulator) -> None:
    assert wats_simulator.data.processes is wats_simulator.store.collection("processes")
    wats_simulator.store.collection("app")[0]["version"] = "99.1"
    with httpx.Client(base_url=wats_simulator.url, headers={"Authorization": f"Basic {wats_simulator.token}"}) as c:
        assert c.get("/api/App/Version").json() == "99.1"
    wats_simulator.reset()
    assert wats_simulator.data.version == "24.2.0-simulator"


def test_a_data_key_no_module_reads_is_an_error() -> None:
    with pytest.raises(DataError, match=r"unknown key\(s\) \['proceses'\]"):
        Simulator(data={"proceses": []})


def test_a_domain_left_out_of_the_data_keeps_its_seed() -> None:
    sim = Simulator(data={"version": "23.1"})
    try:
        assert len(sim.data.processes) == 12 and sim.data.version == "23.1"
    finally:
        sim.stop()
