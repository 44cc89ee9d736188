"""``python -m pywats.demo``: start the embedded WATS simulator and use it as a station would.

Connects with ``pyWATS``, prints the server version and the report of process types (code, name,
test/repair/WIP), then does a test station's job: builds two test reports with ``TestUUT`` (one
passing, one failing its 5 V rail), submits them, reads one back, lists today's report headers
for the part and prints the first-pass yield the server computes from them. ``--env`` runs it
against a real server (WATS_BASE_URL / WATS_AUTH_TOKEN) instead: it then submits two real reports
of part number ``PYWATS-DEMO``.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from . import Purpose, Station, StationConfig, pyWATS
from .domains.process import ProcessInfo
from .simulator import Simulator

DEMO_PART = "PYWATS-DEMO"


def process_type_report(processes: list[ProcessInfo]) -> str:
    by_type: dict[str, list[ProcessInfo]] = defaultdict(list)
    for op in processes:
        by_type[op.process_type].append(op)
    lines = ["=" * 70, "PROCESS TYPE REPORT", "=" * 70]
    for op_type in sorted(by_type):
        ops = by_type[op_type]
        lines.append(f"\n{op_type} ({len(ops)} operations):")
        lines += [f"  {op.code:<10} {op.name:<12} {op.description or ''}" for op in sorted(ops, key=lambda x: x.code)]
    lines += ["\n" + "=" * 70, f"Total: {len(processes)} operations", "=" * 70]
    return "\n".join(lines)


def run(api: pyWATS) -> None:
    print(f"Connected: {api.test_connection()}  server version: {api.get_version()}")
    print(process_type_report(api.process.get_all_operations()))
    ict = api.process.get_test_operation("ICT")
    print(f"\nget_test_operation('ICT') -> {ict}")
    print(f"default test code: {api.process.get_default_test_code()}  cache: {api.process.cache_stats}")
    station_job(api)


def station_job(api: pyWATS) -> None:
    """What a test station does with WATS: submit results, then see them in queries and yield."""
    from .domains.analytics import WATSFilter
    from .domains.report import CompOp
    from .tools.test_uut import TestUUT

    print("\n" + "=" * 70 + "\nSTATION: two ICT runs of " + DEMO_PART + "\n" + "=" * 70)
    ids: list[object] = []
    for serial, volts in (("DEMO-0001", 5.02), ("DEMO-0002", 5.31)):
        uut = TestUUT(part_number=DEMO_PART, serial_number=serial, revision="A", operator="demo", purpose=Purpose.TEST)
        power = uut.add_sequence_call("Power")
        power.add_numeric_step("5V rail", volts, CompOp.GELE, 4.9, 5.1, "V")
        uut.add_pass_fail_step("LED test", True)
        ids.append(api.report.submit_report(uut))
        print(f"submitted {serial} ({volts} V) as report {ids[-1]}")
    back = api.report.get_report(str(ids[1]))
    if back is None:  # LENIENT mode and the server has not got it
        print("the second report could not be read back")
        return
    verdict = {"P": "Passed", "F": "Failed"}.get(str(back.result), back.result)  # WSJF writes P / F
    print(f"read back {back.sn}: {verdict} at {back.station_name} ({back.location})")
    for header in api.report.query_uut_headers(f"partNumber eq '{DEMO_PART}'", top=10):
        print(f"  header: {header.serial_number}  {header.result}")
    result = api.analytics.get_yield(WATSFilter(part_number=DEMO_PART, days=1))
    if result is not None:
        print(f"first-pass yield of {DEMO_PART} today: {result.yield_pct:.1f}% ({result.passed}/{result.total} units)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pywats.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--env", action="store_true", help="use WATS_BASE_URL / WATS_AUTH_TOKEN, no simulator")
    args = parser.parse_args(argv)
    if args.env:
        with pyWATS() as api:
            run(api)
        return 0
    with Simulator() as sim:
        print(f"WATS simulator at {sim.url}")
        station = Station(config=StationConfig(station_name="ICT-01", location="Line A"))
        with pyWATS(base_url=sim.url, token=sim.token, station=station) as api:
            run(api)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
