"""WSJF UUT reports for the analytics tests, put straight into the simulator's ``reports`` store."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from pywats._compat import UTC


def uut(
    sn: str,
    result: str = "Passed",
    *,
    pn: str = "WIDGET-001",
    process: int = 100,
    process_name: str = "ICT",
    station: str = "ICT-01",
    hours_ago: float = 1.0,
    rail: float | None = 3.30,
    low: float = 3.0,
    high: float = 3.6,
    sequence: str = "Power Supply Tests",
) -> dict[str, Any]:
    """A UUT report as the report routes store it (only the keys analytics reads, and a few more)."""
    start = datetime.now(UTC) - timedelta(hours=hours_ago)
    steps: list[dict[str, Any]] = []
    if rail is not None:
        status = "P" if low <= rail <= high else "F"
        steps.append(
            {
                "id": 2,
                "group": "M",
                "stepType": "SequenceCall",
                "name": sequence,
                "status": status,
                "steps": [
                    {
                        "id": 3,
                        "group": "M",
                        "stepType": "ET_NLT",
                        "name": "3.3V Rail",
                        "status": status,
                        "numericMeas": [
                            {
                                "compOp": "GELE",
                                "name": None,
                                "status": status,
                                "unit": "V",
                                "value": rail,
                                "lowLimit": low,
                                "highLimit": high,
                            }
                        ],
                    }
                ],
            }
        )
    return {
        "type": "T",
        "id": str(uuid.uuid4()),
        "pn": pn,
        "sn": sn,
        "rev": "A",
        "processCode": process,
        "processName": process_name,
        "result": result,
        "machineName": station,
        "start": start.isoformat(),
        "startUTC": start.isoformat().replace("+00:00", "Z"),
        "uut": {"user": "op1", "batchSN": "B1", "fixtureId": "F1", "testSocketIndex": -1, "errorCode": 0},
        "root": {
            "id": 1,
            "group": "M",
            "stepType": "WATS_SeqCall",
            "name": "MainSequence Callback",
            "status": result[:1],
            "steps": steps,
        },
    }
