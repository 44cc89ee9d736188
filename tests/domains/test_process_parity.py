"""The pyWATS 0.x names of the Process service against the simulator, sync and async."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from flavors import Flavor, drive, v

from pywats import InternalAPIWarning, InvalidArgumentError, NotFoundError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.process import FailCode, ProcessInfo, RepairCategory, RepairOperationConfig
from pywats.simulator import Simulator

pytestmark = pytest.mark.filterwarnings("ignore::pywats.InternalAPIWarning")


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def test_lookups_checks_and_lists(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.process
        return (
            await v(p.get_process_by_name("fct")),
            await v(p.get_process_by_name("Rework after a failed test")),
            await v(p.get_process_by_name("No such process")),
            [await v(p.is_valid_test_operation(c)) for c in (100, "200", 500, 600, 900, 4242)],
            [await v(p.is_valid_repair_operation(c)) for c in (500, "Rework", 100)],
            [await v(p.is_valid_wip_operation(c)) for c in (600, "Box Build", 500)],
            [await v(p.process_exists(c)) for c in (100, "Packaging", 900, 4242)],
            await v(p.list_process_codes()),
            await v(p.list_process_names()),
        )

    by_name, by_description, missing, tests, repairs, wips, exists, codes, names = flavor.run(
        kw(wats_simulator), drive(flavor, steps)
    )
    assert isinstance(by_name, ProcessInfo) and by_name.code == 200
    assert by_description is not None and by_description.code == 510
    assert missing is None
    # 900 is an inactive test: the public list (what the cache holds) leaves it out
    assert tests == [True, True, False, False, False, False]
    assert repairs == [True, True, False] and wips == [True, True, False]
    assert exists == [True, True, False, False]
    assert codes == [100, 110, 200, 250, 300, 500, 510, 520, 600, 610, 700]
    assert names[:3] == ["ICT", "AOI", "FCT"] and len(names) == len(codes)


def test_defaults_follow_the_process_index(flavor: Flavor) -> None:
    processes = [
        {"code": 210, "name": "EOL", "isTestOperation": True, "processIndex": 5},
        {"code": 205, "name": "Pre-test", "isTestOperation": True, "processIndex": 1},
        {"code": 550, "name": "Bench repair", "isRepairOperation": True, "processIndex": 3},
    ]
    with Simulator(data={"processes": processes}) as sim:

        async def steps(api: Any) -> Any:
            p = api.process
            return (
                await v(p.get_default_test_operation()),
                await v(p.get_default_repair_operation()),
                await v(p.get_default_repair_code()),
                [c.description for c in await v(p.get_repair_categories(550))],
            )

        test, repair, repair_code, categories = flavor.run(kw(sim), drive(flavor, steps))
    assert test.code == 205 and repair.code == 550 and repair_code == 550
    assert categories  # a repair operation loaded from data gets a fail-code tree too

    with Simulator(data={"processes": processes[:2]}) as sim:
        none, fallback = flavor.run(
            kw(sim),
            drive(
                flavor, lambda api: _both(api.process.get_default_repair_operation, api.process.get_default_repair_code)
            ),
        )
    assert none is None and fallback == 500


async def _both(first: Any, second: Any) -> tuple[Any, Any]:
    return await v(first()), await v(second())


def test_cache_ttl_is_the_refresh_interval_and_acts(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        assert api.process.cache_ttl == api.process.refresh_interval == 300
        api.process.cache_ttl = 3600
        assert api.process.refresh_interval == 3600
        api.process.get_processes()
        api.process.get_processes()
        loads = sum(1 for r in wats_simulator.requests if r.path == "/api/App/Processes")
        assert loads == 1
        api.process.cache_ttl = 0  # every lookup asks the server again
        api.process.get_processes()
        api.process.get_processes()
        loads = sum(1 for r in wats_simulator.requests if r.path == "/api/App/Processes")
        assert loads == 3
        with pytest.raises(InvalidArgumentError, match="refresh_interval"):
            api.process.cache_ttl = -1
        assert api.process.cache_ttl == 0


def test_detailed_processes_include_inactive_and_find_by_id(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.process
        every = await v(p.get_processes_detailed())
        legacy = next(x for x in every if x.code == 900)
        one = await v(p.get_process_detailed(str(legacy.process_id)))
        with pytest.raises(NotFoundError):
            await v(p.get_process_detailed("6f1c1f3e-0000-4000-8000-000000000000"))
        with pytest.raises(InvalidArgumentError, match="process_id"):
            await v(p.get_process_detailed("not-a-guid"))
        return every, one

    every, one = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert len(every) == 12 and all(x.process_id is not None for x in every)
    assert one.code == 900 and one.name == "Legacy ICT" and one.state == 0


def test_repair_configs_categories_and_fail_codes(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.process
        configs = await v(p.get_repair_operation_configs())
        rework = next(x for x in await v(p.get_processes_detailed()) if x.code == 510)
        one = await v(p.get_repair_operation_config(rework.process_id, 510))
        with pytest.raises(NotFoundError):
            await v(p.get_repair_operation_config(rework.process_id, 500))  # the code must be the process's
        return (
            configs,
            one,
            await v(p.get_repair_categories(500)),
            await v(p.get_repair_codes(500, "component")),
            await v(p.get_repair_codes(500)),
            await v(p.get_fail_codes(500)),
            await v(p.get_repair_codes(500, "No such category")),
        )

    configs, one, categories, component, every, fail_codes, none = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert sorted(configs) == [500, 510, 520]
    assert all(isinstance(c, RepairOperationConfig) and c.code == code for code, c in configs.items())
    assert one.code == 510 and one.description == "Rework after a failed test" and one.categories
    assert all(isinstance(c, RepairCategory) for c in categories)
    assert [c.description for c in categories][:2] == ["Component", "Assembly"]
    assert all(not c.selectable for c in categories)
    assert all(isinstance(f, FailCode) and f.selectable and f.guid is not None for f in every)
    assert [f.code for f in component][:2] == ["CAP_FAIL", "RES_FAIL"]
    assert "SOLDER_DEFECT" in [f.code for f in every] and [f.code for f in fail_codes] == [f.code for f in every]
    assert len({f.guid for f in every}) == len(every)
    assert none == []


def test_not_a_repair_operation_names_the_ones_there_are(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(NotFoundError, match=r"100 is not a repair operation \(repair operations: 500, 510, 520\)"):
            api.process.get_repair_codes(100)
        with pytest.raises(InvalidArgumentError, match="process_code"):
            api.process.get_repair_categories("500")  # type: ignore[arg-type]
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.process.get_fail_codes(100) == []


def test_a_repair_report_with_listed_fail_codes_round_trips(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        code = await v(api.process.get_default_repair_code())
        category = (await v(api.process.get_repair_categories(code)))[1]
        fail = (await v(api.process.get_repair_codes(code, category.description)))[0]
        uut = api.report.create_uut_report("Jane", "WIDGET-001", "A", "SN-FC-1", 100)
        uur = api.report.create_uur_from_uut(uut, "Tom", "reflowed")
        uur.get_main_unit().add_failure(category.description, fail.code, "found at J3")
        rid = await v(api.report.submit(uur))
        return category, fail, await v(api.report.get_uur_report(rid))

    category, fail, back = flavor.run(kw(wats_simulator), drive(flavor, steps))
    failure = back.get_main_unit().failures[0]
    assert (failure.category, failure.code) == (category.description, fail.code) == ("Assembly", "SOLDER_DEFECT")
    assert back.process_code == 500 and back.info.comment == "reflowed" and back.info.user == "Tom"


def test_internal_calls_warn(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        api.process.get_repair_operation_configs()
        api.process.get_processes_detailed()
        api.process.list_process_codes()  # public: no warning
    assert [w.category for w in caught] == [InternalAPIWarning, InternalAPIWarning]
