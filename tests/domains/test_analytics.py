"""The Analytics domain against the simulator, sync and async: answers computed from stored reports."""

from __future__ import annotations

import sys
import warnings
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from analytics_data import uut
from flavors import Flavor
from test_analytics_parity import PARITY_CALLS

import pywats
from pywats import (
    KPI,
    AlarmType,
    Dimension,
    DimensionBuilder,
    EmptyResponseError,
    MeasurementPath,
    NotFoundError,
    ServerError,
    StepPath,
    UnitFlowFilter,
    WATSFilter,
)
from pywats._compat import UTC
from pywats.core.exceptions import ErrorMode
from pywats.simulator import Simulator

# Example calls for the framework's traffic test (tests/test_bindings.py): method -> (args, kwargs).
FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_yield": ((WATSFilter(part_number="WIDGET-001", days=7),), {}),
    "get_dynamic_yield": ((WATSFilter(days=7), "unitCount desc;partNumber"), {}),
    "get_aggregated_measurements": ((WATSFilter(part_number="W"), "Main/Rail"), {}),
    "get_alarm_logs": ((AlarmType.YIELD_VOLUME,), {"top_count": 5}),
    "get_unit_flow": ((UnitFlowFilter(part_number="WIDGET-001", days=7),), {}),
    "get_bottlenecks": ((UnitFlowFilter(days=7),), {"min_yield_threshold": 90}),
    "trace_serial_numbers": ((["W1", "W2"],), {}),
    **PARITY_CALLS,
}
YIELD = "/api/App/DynamicYield"


@pytest.fixture(autouse=True)
def no_seeded_reports(wats_simulator: Simulator) -> None:
    """The report domain seeds a few reports; these tests count only the reports they add."""
    wats_simulator.store.seed("reports", [])


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def add(sim: Simulator, *reports: dict[str, Any]) -> None:
    sim.store.collection("reports").extend(reports)


def test_a_failing_report_lowers_the_yield(wats_simulator: Simulator, flavor: Flavor) -> None:
    f = WATSFilter(part_number="WIDGET-001", days=7)
    empty = flavor.run(kw(wats_simulator), lambda api: api.analytics.get_yield(f))
    assert (empty.total, empty.passed, empty.yield_pct) == (0, 0, 0.0)
    add(wats_simulator, uut("A1"), uut("A2"), uut("A3"), uut("A4"), uut("X1", pn="OTHER"))
    before = flavor.run(kw(wats_simulator), lambda api: api.analytics.get_yield(f))
    assert (before.total, before.passed, before.failed, before.yield_pct) == (4, 4, 0, 100.0)
    add(wats_simulator, uut("A5", "Failed"))
    after = flavor.run(kw(wats_simulator), lambda api: api.analytics.get_yield(f))
    assert (after.total, after.passed, after.failed, after.yield_pct) == (5, 4, 1, 80.0)
    # a retest that passes does not make the first pass yield
    add(wats_simulator, uut("A5", "Passed", hours_ago=0.5))
    again = flavor.run(kw(wats_simulator), lambda api: api.analytics.get_yield(f))
    assert (again.total, again.passed) == (5, 4)


def test_filters_select_station_window_and_operation(wats_simulator: Simulator, flavor: Flavor) -> None:
    add(
        wats_simulator,
        uut("A1", station="ICT-01"),
        uut("A2", "Failed", station="ICT-02"),
        uut("A3", station="ICT-02", hours_ago=24 * 10),
        uut("A1", process=200, process_name="FCT", station="FCT-01"),
    )

    def total(f: WATSFilter) -> int:
        return int(flavor.run(kw(wats_simulator), lambda api: api.analytics.get_yield(f)).total)

    assert total(WATSFilter(part_number="WIDGET-001", station="ICT-02", days=7)) == 1
    assert total(WATSFilter(part_number="WIDGET-001", station="ICT-02", days=30)) == 2
    assert total(WATSFilter(test_operation=200, days=7)) == 1
    window = WATSFilter(
        start_date_time=datetime.now() - timedelta(days=11), end_date_time=datetime.now() - timedelta(days=9)
    )
    assert total(window) == 1


def test_dynamic_yield_groups_and_orders(wats_simulator: Simulator) -> None:
    add(wats_simulator, uut("A1", station="S1"), uut("A2", "Failed", station="S2"), uut("A3", station="S2"))
    dims = DimensionBuilder().add(KPI.UNIT_COUNT, desc=True).add(KPI.FPY).add(Dimension.STATION_NAME)
    assert dims.build() == "unitCount desc;fpy;stationName"
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        rows = api.analytics.get_dynamic_yield(WATSFilter(days=7), dims)
    assert [(r.station_name, r.unit_count, r.fpy) for r in rows] == [("S2", 2, 0.5), ("S1", 1, 1.0)]
    assert rows[0].fp_count is None  # only the requested KPIs come back


def test_aggregated_measurements_are_the_statistics_of_the_values(wats_simulator: Simulator, flavor: Flavor) -> None:
    values = [3.29, 3.31, 3.30, 3.34]
    add(wats_simulator, *(uut(f"A{i}", rail=v) for i, v in enumerate(values)), uut("B", pn="OTHER", rail=9.0))
    path = MeasurementPath("Power Supply Tests/3.3V Rail")
    found = flavor.run(
        kw(wats_simulator),
        lambda api: api.analytics.get_aggregated_measurements(WATSFilter(part_number="WIDGET-001"), path),
    )
    import statistics

    (m,) = found
    sd = statistics.stdev(values)
    avg = statistics.fmean(values)
    assert (m.count, m.min, m.max) == (4, 3.29, 3.34)
    assert m.avg == pytest.approx(avg) and m.std_dev == pytest.approx(sd)
    assert m.cpk == pytest.approx(min(avg - 3.0, 3.6 - avg) / (3 * sd))
    assert m.step_name == "3.3V Rail"
    assert m.step_path == "MainSequence Callback¶Power Supply Tests¶3.3V Rail"
    assert m.step_path_display == "MainSequence Callback/Power Supply Tests/3.3V Rail"


def test_measurement_paths_are_sent_in_the_servers_spelling(wats_simulator: Simulator) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        api.analytics.get_aggregated_measurements(None, [StepPath("A/B"), "C/D::M0"])
    (request,) = wats_simulator.requests
    assert request.query["measurementPaths"] == ["A¶B;C¶D¶¶M0"]
    assert MeasurementPath("C¶D¶¶M0").display == "C/D::M0"
    assert (StepPath("Main") / "Power" / "3.3V").api_format == "Main¶Power¶3.3V"


@pytest.mark.filterwarnings("ignore::pywats.InternalAPIWarning")  # asserted where it matters
def test_unit_flow_follows_units_through_operations(wats_simulator: Simulator, flavor: Flavor) -> None:
    add(
        wats_simulator,
        uut("U1", hours_ago=5),
        uut("U1", process=200, process_name="FCT", hours_ago=3),
        uut("U2", "Failed", hours_ago=4),
        uut("U3", hours_ago=4),
        uut("U3", process=200, process_name="FCT", hours_ago=1),
    )
    flow = flavor.run(kw(wats_simulator), lambda api: api.analytics.get_unit_flow(UnitFlowFilter(days=1)))
    by_name = {n.name: n for n in flow.nodes}
    assert (by_name["ICT"].unit_count, by_name["ICT"].passed_count, by_name["ICT"].failed_count) == (3, 2, 1)
    assert by_name["ICT"].avg_time_hours == pytest.approx(2.5, abs=0.01)
    assert [(k.source_name, k.target_name, k.unit_count) for k in flow.links] == [("ICT", "FCT", 2)]
    units = {u.serial_number: u for u in flow.units}
    assert units["U1"].node_path == ["ICT", "FCT"] and units["U1"].total_time_hours == pytest.approx(2, abs=0.01)
    assert units["U2"].status == "Failed"
    traced = flavor.run(kw(wats_simulator), lambda api: api.analytics.trace_serial_numbers(["U3"], {"days": 1}))
    assert [u.serial_number for u in traced.units] == ["U3"]
    low = flavor.run(
        kw(wats_simulator), lambda api: api.analytics.get_bottlenecks(UnitFlowFilter(days=1), min_yield_threshold=90)
    )
    assert [n.name for n in low] == ["ICT"]


def test_alarm_logs_filtered_by_type_newest_first_and_warned(wats_simulator: Simulator) -> None:
    now = datetime.now(UTC)
    wats_simulator.store.collection("alarmLogs").extend(
        [
            {
                "logId": i,
                "name": f"a{i}",
                "type": t,
                "logDate": (now - timedelta(hours=i)).isoformat(),
                "fpy": 0.9,
                "x": i,
            }
            for i, t in enumerate([2, 1, 2, 5, 2], start=1)
        ]
    )
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        with pytest.warns(pywats.InternalAPIWarning):
            logs = api.analytics.get_alarm_logs(alarm_type=AlarmType.YIELD_VOLUME, top_count=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pywats.InternalAPIWarning)
            recent = api.analytics.get_alarm_logs(date_from=datetime.now() - timedelta(hours=2.5))
    assert [a.log_id for a in logs] == [1, 3]
    assert logs[0].alarm_type_name == "YIELD_VOLUME" and logs[0].fpy_percent == pytest.approx(90.0)
    assert logs[0].model_extra == {"x": 1}  # nothing the server sends is lost
    assert [a.log_id for a in recent] == [1, 2]


@pytest.mark.parametrize(
    "make",
    [
        lambda: WATSFilter(part_numbr="X"),
        lambda: WATSFilter(days=7, start_date_time=datetime.now()),
        lambda: WATSFilter(days=0),
        lambda: UnitFlowFilter(serial_numbers=["A;B"]),
        lambda: MeasurementPath("A//B"),
    ],
)
def test_bad_arguments_fail_clearly_before_sending(make: Any) -> None:
    with pytest.raises(ValueError):
        make()


def test_simulator_rejects_an_ill_typed_filter_like_the_server(wats_simulator: Simulator) -> None:
    headers = {"Authorization": f"Basic {wats_simulator.token}"}
    answer = httpx.post(f"{wats_simulator.url}{YIELD}", json={"partNumber": 5}, headers=headers)
    assert answer.status_code == 400 and "partNumber" in answer.json()["Message"]
    answer = httpx.post(f"{wats_simulator.url}{YIELD}?dimensions=bogus", json={}, headers=headers)
    assert answer.status_code == 400 and "bogus" in answer.json()["Message"]


def test_error_modes(wats_simulator: Simulator, flavor: Flavor) -> None:
    wats_simulator.inject(YIELD, empty=True, times=1)
    with pytest.raises(EmptyResponseError):
        flavor.run(kw(wats_simulator), lambda api: api.analytics.get_yield())
    wats_simulator.inject(YIELD, empty=True, times=1)
    lenient = kw(wats_simulator, error_mode=ErrorMode.LENIENT)
    assert flavor.run(lenient, lambda api: api.analytics.get_yield()) is None
    wats_simulator.inject(YIELD, status=404, times=1)
    with pytest.raises(NotFoundError):
        flavor.run(kw(wats_simulator), lambda api: api.analytics.get_yield())


def test_post_queries_are_not_retried(wats_simulator: Simulator) -> None:
    wats_simulator.inject(YIELD, status=503, times=1)
    with pywats.pyWATS(**kw(wats_simulator)) as api, pytest.raises(ServerError):
        api.analytics.get_yield(WATSFilter(days=1))
    assert len([r for r in wats_simulator.requests if r.path == YIELD]) == 1


def test_import_pywats_stays_free_of_pydantic() -> None:
    import subprocess

    code = "import sys, pywats; assert 'pydantic' not in sys.modules; pywats.UnitFlowFilter; print('ok')"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "ok"
