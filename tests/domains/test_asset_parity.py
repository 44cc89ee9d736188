"""The pyWATS 0.x Asset methods (issue #24) against the simulator, sync and async."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from flavors import Flavor, drive, v

import pywats
from pywats import InvalidArgumentError
from pywats.domains.asset import AssetAlarmState, AssetState
from pywats.simulator import Simulator

DMM_002 = "550e8400-e29b-41d4-a716-446655440000"

# Example calls for the traffic test (tests/test_bindings.py), merged into test_asset.FACADE_CALLS.
PARITY_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_assets_in_alarm": ((), {"top": 3}),
    "get_assets_in_warning": ((), {"top": 3}),
    "get_assets_by_alarm_state": ((AssetAlarmState.OK,), {"top": 3}),
    "upload_file": ((DMM_002, "b.bin", b"\x01"), {}),
    "list_files": ((DMM_002,), {}),
    "download_file": ((DMM_002, "manual.json"), {}),
    "delete_files": ((DMM_002, ["manual.json"]), {}),
}


pytestmark = pytest.mark.filterwarnings("ignore::pywats.InternalAPIWarning")


def kw(sim: Simulator) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token}


def serials(assets: list[Any]) -> set[str]:
    return {a.serial_number for a in assets}


def test_alarm_lists_follow_the_count_limits(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> dict[str, Any]:
        a = api.asset
        kind = await v(a.create_asset_type("Parity Fixture", running_count_limit=10, warning_threshold=0.8))
        await v(a.create_asset("FIX-PARITY-1", kind.type_id, asset_name="Pogo fixture"))
        out: dict[str, Any] = {"fresh": serials(await v(a.get_assets_by_alarm_state(AssetAlarmState.OK)))}
        await v(a.increment_count(serial_number="FIX-PARITY-1", amount=8))
        out["warning"] = serials(await v(a.get_assets_in_warning()))
        await v(a.increment_count(serial_number="FIX-PARITY-1", amount=2))
        out["alarm"] = serials(await v(a.get_assets_in_alarm()))
        out["by_name"] = serials(await v(a.get_assets_by_alarm_state("alarm")))
        out["by_number"] = serials(await v(a.get_assets_by_alarm_state(2)))
        out["by_state_name"] = serials(await v(a.get_assets_by_alarm_state(AssetState.ALARM)))
        await v(a.reset_running_count(serial_number="FIX-PARITY-1", comment="new pins"))
        out["after_reset"] = serials(await v(a.get_assets_in_alarm()))
        out["each"] = {}
        for asset in await v(a.get_assets()):
            out["each"][asset.serial_number] = (await v(a.get_status(asset_id=asset.asset_id)))["alarm_state"]
        out["top"] = await v(a.get_assets_in_warning(top=0))
        return out

    out = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert "FIX-PARITY-1" in out["fresh"]
    assert "FIX-PARITY-1" in out["warning"]
    assert "FIX-PARITY-1" in out["alarm"] and out["alarm"] == out["by_name"] == out["by_number"] == out["by_state_name"]
    assert "FIX-PARITY-1" not in out["after_reset"]
    # every list agrees with each asset's own status
    assert out["after_reset"] == {s for s, level in out["each"].items() if level is AssetAlarmState.ALARM}
    assert out["top"] == []


def test_file_names_of_the_guide(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> dict[str, Any]:
        a = api.asset
        out: dict[str, Any] = {"uploaded": await v(a.upload_file(DMM_002, "cert.txt", b"calibrated OK"))}
        out["listed"] = [f["filename"] for f in await v(a.list_files(DMM_002))]
        out["content"] = await v(a.download_file(DMM_002, "cert.txt"))
        out["deleted"] = await v(a.delete_files(DMM_002, ["cert.txt"]))
        out["after"] = [f.filename for f in await v(a.list_files(DMM_002))]
        return out

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert out["uploaded"] is True and "cert.txt" in out["listed"]
    assert out["content"] == b"calibrated OK"
    assert out["deleted"] is True and "cert.txt" not in out["after"]
    assert sum(issubclass(w.category, pywats.InternalAPIWarning) for w in caught) >= 5


@pytest.mark.parametrize("state", [3, "red", True, None, 1.5])
def test_a_bad_alarm_state_is_refused_before_sending(wats_simulator: Simulator, state: Any) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api, pytest.raises(InvalidArgumentError, match="state"):
        api.asset.get_assets_by_alarm_state(state)
    assert not wats_simulator.requests


# Each file method with a bad argument, under both of its names.
_BAD_FILE_CALLS: dict[str, tuple[Any, ...]] = {
    "upload_blob": (DMM_002, "", b"x"),
    "upload_file": (DMM_002, "", b"x"),
    "list_blobs": (5,),
    "list_files": (5,),
    "download_blob": (DMM_002, 7),
    "download_file": (DMM_002, 7),
    "delete_blobs": (DMM_002, []),
    "delete_files": (DMM_002, []),
}


@pytest.mark.parametrize("name", sorted(_BAD_FILE_CALLS))
def test_each_file_method_names_itself_in_errors_and_warns_once(
    wats_simulator: Simulator, flavor: Flavor, name: str
) -> None:
    async def steps(api: Any) -> Any:
        return await v(getattr(api.asset, name)(*_BAD_FILE_CALLS[name]))

    with warnings.catch_warnings(record=True) as caught, pytest.raises(InvalidArgumentError) as info:
        warnings.simplefilter("always")
        flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert info.value.operation == name and str(info.value).startswith(f"{name}: ")
    internal = [w for w in caught if issubclass(w.category, pywats.InternalAPIWarning)]
    assert [str(w.message).split()[0].rsplit(".", 1)[-1] for w in internal] == [name]
    assert not wats_simulator.requests
