"""The pyWATS 0.x analytics methods against the simulator, sync and async: figures computed from
reports with known outcomes, and unit-flow state (split, order) kept per session."""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from analytics_data import uut
from flavors import Flavor, drive, v

import pywats
from pywats import InvalidArgumentError, UnitFlowFilter, WATSFilter
from pywats._compat import UTC
from pywats.domains.analytics import NoDocumentedOperationError, TopFailedStep
from pywats.simulator import Simulator

RAIL = "MainSequence Callback¶Power Supply Tests¶3.3V Rail"

# Example calls for tests/test_bindings.py (merged into test_analytics.FACADE_CALLS).
PARITY_CALLS: dict[str, Any] = {
    "get_version": ((), {}),
    "get_processes": ((), {"include_test_operations": True}),
    "get_levels": ((), {}),
    "get_product_groups": ((True,), {}),
    "get_yield_summary": (("WIDGET-001",), {"days": 7}),
    "get_station_yield": (("ICT-01",), {}),
    "get_dynamic_repair": ((WATSFilter(days=30), "repairCount desc;repairCode"), {}),
    "get_volume_yield": ((), {"product_group": "Electronics"}),
    "get_worst_yield": ((), {}),
    "get_worst_yield_by_product_group": ((), {}),
    "get_high_volume": ((), {}),
    "get_high_volume_by_product_group": ((), {}),
    "get_top_failed": ((), {"part_number": "WIDGET-001", "top_count": 5}),
    "get_top_failed_advanced": ((), {"top_count": 5}),
    "get_top_failed_internal": ((), {}),
    "get_top_failed_by_product": (("WIDGET-001", 100), {}),
    "get_related_repair_history": (("WIDGET-001", "A"), {}),
    "get_test_step_analysis": ((WATSFilter(part_number="WIDGET-001", test_operation="100"),), {}),
    "get_test_step_analysis_for_operation": (("WIDGET-001", 100), {}),
    "get_measurements": ((WATSFilter(part_number="WIDGET-001"), "Power Supply Tests/3.3V Rail"), {}),
    "get_oee_analysis": ((WATSFilter(days=1),), {"target_output": 10}),
    "get_serial_number_history": ((WATSFilter(serial_number="W12345"),), {}),
    "get_uut_reports": ((), {"top_count": 5}),
    "get_uur_reports": ((), {}),
    "get_measurement_list": ((), {"step_filters": "", "sequence_filters": ""}),
    "get_measurement_list_by_product": ((), {}),
    "get_step_status_list": ((), {}),
    "get_step_status_list_by_product": ((), {"days": 7}),
    "get_flow_nodes": ((), {}),
    "get_flow_links": ((), {}),
    "get_flow_units": ((), {}),
    "split_flow_by": (("stationName",), {}),
    "set_unit_order": (("serialNumber desc",), {}),
    "get_flow_summary": ((UnitFlowFilter(days=7),), {}),
    "set_unit_flow_visibility": ((), {}),
    "show_operations": (([1],), {}),
    "hide_operations": (([1],), {}),
    "expand_operations": ((), {}),
}
UNDOCUMENTED = ("set_unit_flow_visibility", "show_operations", "hide_operations", "expand_operations")


@pytest.fixture(autouse=True)
def quiet_internal() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        yield


@pytest.fixture(autouse=True)
def known_reports(wats_simulator: Simulator) -> None:
    """Units A1..A4 of WIDGET-001 at ICT (A2 fails first, then passes), A1 and A3 move on to FCT,
    one GADGET-9 unit fails; one repair of A2."""
    wats_simulator.store.seed(
        "reports",
        [
            uut("A1", hours_ago=5),
            uut("A2", "Failed", rail=3.9, hours_ago=4.5),
            uut("A3", hours_ago=4),
            uut("A4", rail=3.4, hours_ago=3.5),
            repair("A2", hours_ago=3),
            uut("A2", hours_ago=2.5, rail=3.2),
            uut("A1", process=200, process_name="FCT", station="FCT-01", hours_ago=2),
            uut("A3", process=200, process_name="FCT", station="FCT-01", hours_ago=1),
            uut("G1", "Failed", pn="GADGET-9", rail=2.0, hours_ago=0.8),
        ],
    )


def repair(sn: str, *, hours_ago: float, code: str = "CAP_FAIL", ref: str = "C12") -> dict[str, Any]:
    start = (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat().replace("+00:00", "Z")
    return {
        "type": "R",
        "id": str(uuid.uuid4()),
        "pn": "WIDGET-001",
        "sn": sn,
        "rev": "A",
        "processCode": 500,
        "processName": "Repair",
        "result": "P",
        "machineName": "REPAIR-01",
        "start": start,
        "startUTC": start,
        "uur": {"user": "tech", "processCode": 100},
        "subUnits": [
            {
                "pn": "WIDGET-001",
                "sn": sn,
                "rev": "A",
                "idx": 0,
                "failures": [{"category": "Component", "code": code, "comRef": ref}],
            }
        ],
    }


def kw(sim: Simulator) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token}


def test_server_lists(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> Any:
        a = api.analytics
        return (
            await v(a.get_version()),
            await v(a.get_processes()),
            await v(a.get_processes(include_repair_operations=True)),
            await v(a.get_levels()),
            await v(a.get_product_groups()),
        )

    version, processes, repairs, levels, groups = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert version == wats_simulator.data.version
    assert {p.code for p in processes} >= {100, 200, 500}
    assert {p.code for p in repairs} == {p.code for p in processes if p.is_repair_operation} and 500 in {
        p.code for p in repairs
    }
    assert [lv.level_name for lv in levels] == ["Production", "Development"]
    assert "Electronics" in [g.name for g in groups]


def test_yield_lists_are_computed_from_the_reports(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> Any:
        a = api.analytics
        return (
            await v(a.get_volume_yield()),
            await v(a.get_worst_yield()),
            await v(a.get_high_volume(WATSFilter(min_count=2))),
            await v(a.get_volume_yield(product_group="Electronics")),
            await v(a.get_worst_yield_by_product_group()),
            await v(a.get_yield_summary("WIDGET-001", days=1)),
            await v(a.get_station_yield("FCT-01")),
        )

    volume, worst, high, electronics, groups, summary, station = flavor.run(kw(wats_simulator), drive(flavor, steps))
    by_pn = {r.part_number: r for r in volume}
    # WIDGET-001: 4 units at ICT (A2 failed first) + 2 at FCT: 6 unit-operations, 5 first-pass
    assert (by_pn["WIDGET-001"].unit_count, by_pn["WIDGET-001"].fp_count) == (6, 5)
    assert (by_pn["GADGET-9"].unit_count, by_pn["GADGET-9"].fpy) == (1, 0.0)
    assert [r.part_number for r in worst] == ["GADGET-9", "WIDGET-001"]
    assert [r.part_number for r in high] == ["WIDGET-001"]  # min_count drops GADGET-9's one unit
    assert [r.part_number for r in electronics] == ["WIDGET-001"]  # GADGET-9 is in no group
    # WIDGET-001 is in two of the seeded groups (Electronics, Widgets), GADGET-9 in none
    assert sorted(((r.model_extra or {})["productGroup"], r.unit_count) for r in groups) == [
        ("Electronics", 6),
        ("Widgets", 6),
    ]
    assert sum(r.unit_count for r in summary) == 6
    assert [(r.station_name, r.part_number, r.unit_count) for r in station] == [("FCT-01", "WIDGET-001", 2)]


def test_top_failed_and_the_lists_it_selects(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> Any:
        a = api.analytics
        top = await v(a.get_top_failed(part_number="WIDGET-001"))
        return (
            top,
            await v(a.get_top_failed_advanced(top_count=5)),
            await v(a.get_top_failed_internal(WATSFilter(part_number="GADGET-9"))),
            await v(a.get_top_failed_by_product("WIDGET-001", 100, days=1)),
            await v(a.get_measurement_list(WATSFilter(part_number="WIDGET-001"), top[0])),
            await v(a.get_step_status_list(WATSFilter(part_number="WIDGET-001"), top[0].step_filter)),
            await v(a.get_step_status_list_by_product(days=1, step_filters=top[0])),
            await v(a.get_measurement_list_by_product("Electronics", days=1, step_filters=top[0])),
        )

    top, advanced, gadget, by_product, values, statuses, all_statuses, electronics = flavor.run(
        kw(wats_simulator), drive(flavor, steps)
    )
    (step,) = top
    assert isinstance(step, TopFailedStep)
    assert (step.step_path, step.fail_count, step.total_count) == (RAIL, 1, 7)  # 7 WIDGET-001 runs
    assert step.step_path_display == "MainSequence Callback/Power Supply Tests/3.3V Rail"
    assert [(s.step_path, s.fail_count) for s in advanced] == [(RAIL, 2)]  # both products
    assert [s.total_count for s in gadget] == [1]
    assert [(s.fail_count, s.total_count) for s in by_product] == [(1, 5)]  # its 5 ICT runs only
    assert sorted(m.value for m in values) == sorted([3.3, 3.9, 3.3, 3.4, 3.2, 3.3, 3.3])
    assert [m.serial_number for m in values if m.status == "Failed"] == ["A2"]
    assert sorted(s.status or "" for s in statuses) == ["Failed"] + ["Passed"] * 6
    assert len(all_statuses) == 8 and {s.part_number for s in all_statuses} == {"WIDGET-001", "GADGET-9"}
    assert {m.part_number for m in electronics} == {"WIDGET-001"}


def test_step_analysis_measurements_and_oee(wats_simulator: Simulator, flavor: Flavor) -> None:
    wats_simulator.store.collection("reports").append(uut("A5", rail=3.5, hours_ago=0.1) | {"uut": {"execTime": 36.0}})

    async def steps(api: Any) -> Any:
        a = api.analytics
        ict = WATSFilter(part_number="WIDGET-001", test_operation="100")
        return (
            await v(a.get_test_step_analysis(ict)),
            await v(a.get_test_step_analysis_for_operation("WIDGET-001", 100, run=-1)),
            await v(a.get_test_step_analysis_for_operation("WIDGET-001", 100, run=-2)),
            await v(a.get_measurements(WATSFilter(serial_number="A4"), "Power Supply Tests/3.3V Rail")),
            await v(a.get_oee_analysis(WATSFilter(part_number="WIDGET-001", days=1), "1,1,1,1,1,1,1", target_output=5)),
        )

    first, last, every, measured, oee = flavor.run(kw(wats_simulator), drive(flavor, steps))
    (row,) = first  # first runs at ICT: A1 3.3, A2 3.9 (failed), A3 3.3, A4 3.4, A5 3.5
    assert (row.step_count, row.passed_count, row.failed_count) == (5, 4, 1)
    assert (row.min, row.max) == (3.3, 3.9) and row.avg == pytest.approx((3.3 + 3.9 + 3.3 + 3.4 + 3.5) / 5)
    assert (last[0].step_count, last[0].failed_count, last[0].max) == (5, 0, 3.5)  # A2's retest passed
    assert every[0].step_count == 6
    assert [(m.serial_number, m.value, m.unit) for m in measured] == [("A4", 3.4, "V")]
    assert oee is not None
    assert oee.quality == pytest.approx(7 / 8)  # 8 WIDGET-001 test runs, A2's first failed
    assert oee.availability == pytest.approx(36.0 / 3600.0, rel=1e-3)  # 36 s of the 1 h a day
    assert oee.performance == pytest.approx(min(5 / 5, 1.0), rel=1e-3)  # 5 units a day of 5 wanted
    assert oee.oee == pytest.approx(oee.availability * oee.performance * oee.quality)


def test_report_lists_history_and_repairs(wats_simulator: Simulator, flavor: Flavor) -> None:
    wats_simulator.store.collection("reports").append(repair("A4", hours_ago=0.5, code="SHORT", ref="R7"))

    async def steps(api: Any) -> Any:
        a = api.analytics
        return (
            await v(a.get_uut_reports(part_number="WIDGET-001", status="F")),
            await v(a.get_uut_reports(top_count=2)),
            await v(a.get_uur_reports(WATSFilter(serial_number="A4"))),
            await v(a.get_serial_number_history(WATSFilter(serial_number="A2"))),
            await v(a.get_dynamic_repair()),
            await v(a.get_dynamic_repair(WATSFilter(days=1), "repairCount desc;repairCode")),
            await v(a.get_related_repair_history("WIDGET-001", "A")),
        )

    failed, newest, uur, history, repairs, by_code, related = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert [(h.serial_number, h.result) for h in failed] == [("A2", "Failed")]
    assert [h.serial_number for h in newest] == ["G1", "A3"]
    assert [(h.serial_number, h.report_type) for h in uur] == [("A4", "R")]
    assert [h.result for h in history] == ["P", "F"]  # newest first
    assert [(r.part_number, r.repair_operation, r.repair_count, r.repair_report_count) for r in repairs] == [
        ("WIDGET-001", "Repair", 2, 2)
    ]
    assert sorted((r.repair_code, r.repair_count) for r in by_code) == [("CAP_FAIL", 1), ("SHORT", 1)]
    assert [(r.serial_number, r.repair_code, r.component_ref, r.test_operation) for r in related] == [
        ("A4", "SHORT", "R7", "ICT"),
        ("A2", "CAP_FAIL", "C12", "ICT"),
    ]


def test_unit_flow_split_and_order_are_kept_per_session(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> Any:
        a = api.analytics
        summary = await v(a.get_flow_summary(UnitFlowFilter(part_number="WIDGET-001")))
        nodes = await v(a.get_flow_nodes())
        links = await v(a.get_flow_links())
        split = await v(a.split_flow_by("stationName"))
        split_nodes = await v(a.get_flow_nodes())
        ordered = await v(a.set_unit_order("serialNumber desc"))
        units = await v(a.get_flow_units())
        gadget = await v(a.get_flow_nodes(UnitFlowFilter(part_number="GADGET-9")))
        return summary, nodes, links, split, split_nodes, ordered, units, gadget

    summary, nodes, links, split, split_nodes, ordered, units, gadget = flavor.run(
        kw(wats_simulator), drive(flavor, steps)
    )
    assert (summary.total_units, summary.passed_units, summary.node_count, summary.link_count) == (4, 4, 2, 1)
    assert [(n.name, n.unit_count) for n in nodes] == [("ICT", 4), ("FCT", 2)]
    assert [(lk.source_name, lk.target_name, lk.unit_count) for lk in links] == [("ICT", "FCT", 2)]
    assert split is not None and [n.name for n in split.nodes] == ["ICT (ICT-01)", "FCT (FCT-01)"]
    assert [n.name for n in split_nodes] == ["ICT (ICT-01)", "FCT (FCT-01)"]  # the split stays
    assert [u.serial_number for u in ordered] == ["A4", "A3", "A2", "A1"]
    assert [u.serial_number for u in units] == ["A4", "A3", "A2", "A1"]  # the order stays
    assert units[1].node_path == ["ICT (ICT-01)", "FCT (FCT-01)"]
    assert [n.name for n in gadget] == ["ICT (ICT-01)"]  # a new filter, the split kept


def test_a_new_unit_flow_query_starts_a_new_session_state(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> Any:
        a = api.analytics
        await v(a.split_flow_by("stationName", UnitFlowFilter(part_number="WIDGET-001")))
        await v(a.get_unit_flow(UnitFlowFilter(part_number="WIDGET-001")))
        return await v(a.get_flow_nodes())

    nodes = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert [n.name for n in nodes] == ["ICT", "FCT"]


@pytest.mark.parametrize("method", UNDOCUMENTED)
def test_undocumented_flow_views_raise_and_send_nothing(wats_simulator: Simulator, method: str) -> None:
    args, kwargs = PARITY_CALLS[method]
    with pywats.pyWATS(**kw(wats_simulator)) as api, pytest.raises(NoDocumentedOperationError) as raised:
        getattr(api.analytics, method)(*args, **kwargs)
    assert "documents no operation" in str(raised.value) and raised.value.operation == method
    assert isinstance(raised.value, NotImplementedError)
    assert not wats_simulator.requests


def test_bad_arguments_are_refused_before_sending(wats_simulator: Simulator) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        a = api.analytics
        with pytest.raises(InvalidArgumentError, match="run"):
            a.get_test_step_analysis_for_operation("WIDGET-001", 100, run=7)
        with pytest.raises(InvalidArgumentError, match="filter_data"):
            a.get_test_step_analysis(WATSFilter(part_number="WIDGET-001"))
        with pytest.raises(InvalidArgumentError, match="available_time"):
            a.get_oee_analysis(available_time="24,24")
        with pytest.raises(InvalidArgumentError, match="order_by"):
            a.set_unit_order("colour")
        with pytest.raises(InvalidArgumentError, match="dimension"):
            a.split_flow_by("shoeSize")
        with pytest.raises(InvalidArgumentError, match="days"):
            a.get_top_failed_by_product("WIDGET-001", days=0)
    assert not wats_simulator.requests


def test_internal_methods_warn_once_per_call_and_public_ones_not(wats_simulator: Simulator) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api, warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        api.analytics.get_top_failed_internal()
        api.analytics.get_step_status_list()
        api.analytics.get_top_failed()
        api.analytics.get_top_failed_by_product("WIDGET-001")
    assert [r.category for r in record] == [pywats.InternalAPIWarning] * 2
