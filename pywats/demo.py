"""``python -m pywats.demo``: start the embedded WATS simulator and use it as a station would.

Connects with ``pyWATS``, prints the server version and the Process Type Report from the
Process guide. ``--url``/``--token`` (or WATS_BASE_URL/WATS_AUTH_TOKEN with ``--env``) run it
against a real server instead.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from . import pyWATS
from .domains.process import ProcessInfo
from .simulator import Simulator


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
        with pyWATS(base_url=sim.url, token=sim.token) as api:
            run(api)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
