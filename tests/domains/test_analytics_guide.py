"""Every code example of the Analytics guide, run unchanged against the simulator.

The guide is read where it lives (``$WATS_GUIDES_DIR``, default ``../shared/guides``). Before each
example the simulator gets WSJF reports for the guide's products (passing and failing runs,
3.3V rail measurements, ICT → FCT flows) and alarm logs, so every example has something to show.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta

import guide_examples
import pytest
from analytics_data import uut

import pywats
from pywats._compat import UTC
from pywats.simulator import Simulator

GUIDE = "analytics.md"
EXAMPLES = guide_examples.examples(guide_examples.guide(GUIDE))
SKIPPED = {
    "Building an Alarm Monitor": "polls forever (while True + time.sleep(60)), calls the reader's own notify_team(), "
    "and uses datetime/timedelta/time without importing them",
}


def context() -> dict[str, object]:
    """What a reader has in scope from the guide's earlier blocks (later ones reuse it unimported)."""
    return {
        "WATSFilter": pywats.WATSFilter,
        "UnitFlowFilter": pywats.UnitFlowFilter,
        # "Get Measurement Statistics" / the Quick Start define it; "Multiple Measurements" and
        # "Path Utilities" use it
        "filter_obj": pywats.WATSFilter(part_number="WIDGET-001", days=7),
    }


def seed(sim: Simulator) -> None:
    reports = sim.store.collection("reports")
    rails = [3.29, 3.31, 3.30, 3.34, 3.27, 3.32, 3.28, 3.33]
    for pn in ("WIDGET-001", "WIDGET-002", "WIDGET-003", "GADGET-001"):
        for i, rail in enumerate(rails):
            sn = f"{pn[0]}{12345 + i}"
            result = "Failed" if i == 3 else "Passed"
            station = f"ICT-0{1 + i % 3}"
            reports.append(uut(sn, result, pn=pn, station=station, hours_ago=30 - i, rail=rail))
            reports.append(
                uut(sn, "Passed", pn=pn, process=200, process_name="FCT", station="FCT-01", hours_ago=20 - i)
            )
    # "Cpk Analysis" names the sequence "Power Supply", the other examples "Power Supply Tests"
    for i, rail in enumerate(rails):
        reports.append(uut(f"W2{i}", pn="WIDGET-001", hours_ago=40 + i, rail=rail, sequence="Power Supply"))
    now = datetime.now(UTC)
    sim.store.collection("alarmLogs").extend(
        [
            {
                "logId": 1,
                "name": "FPY drop",
                "type": 2,
                "logDate": (now - timedelta(days=1)).isoformat(),
                "partNumber": "WIDGET-001",
                "fpy": 0.82,
                "fpyTrend": -0.1,
            },
            {
                "logId": 2,
                "name": "Unit not passed",
                "type": 1,
                "logDate": (now - timedelta(hours=2)).isoformat(),
                "partNumber": "WIDGET-001",
                "serialNumber": "W12348",
                "result": "Failed",
            },
        ]
    )


def test_the_guide_is_there() -> None:
    guide_examples.require(guide_examples.guide(GUIDE), EXAMPLES)
    names = {n for n, _ in EXAMPLES}
    assert set(SKIPPED) <= names, "a skipped example is no longer in the guide"
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES, skip=SKIPPED))
def test_guide_example_runs(name: str, code: str, pointed_at: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    seed(pointed_at)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        guide_examples.run(code, name, GUIDE, extra=context())
    out = capsys.readouterr().out
    if "print(" in code:
        assert out.strip(), "the example printed nothing"
    assert "No measurements found" not in out
