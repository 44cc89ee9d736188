"""The simulator's data: processes as the WATS server stores them, seeded with a realistic set.

Kept in wire terms (the public API's camelCase), independent of the pyWATS models.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

__all__ = ["ACTIVE", "INACTIVE", "SimulatorData", "default_processes"]

ACTIVE = 1
INACTIVE = 0
_NS = uuid.UUID("6f1c1f3e-8d1c-4c53-9a51-0b5e3b1f7a10")

# code, name, description, test, repair, wip, state
_SEED = [
    (100, "ICT", "In-Circuit Test", True, False, False, ACTIVE),
    (110, "AOI", "Automated Optical Inspection", True, False, False, ACTIVE),
    (200, "FCT", "Functional Test", True, False, False, ACTIVE),
    (250, "Burn-in", "Burn-in stress test", True, False, False, ACTIVE),
    (300, "FVT", "Final Verification Test", True, False, False, ACTIVE),
    (500, "Repair", "Repair", False, True, False, ACTIVE),
    (510, "Rework", "Rework after a failed test", False, True, False, ACTIVE),
    (520, "Debug", "Debug and fault finding", False, True, False, ACTIVE),
    (600, "Assembly", "PCBA assembly", False, False, True, ACTIVE),
    (610, "Box Build", "Final box build", False, False, True, ACTIVE),
    (700, "Packaging", "Packing and labelling", False, False, True, ACTIVE),
    (900, "Legacy ICT", "Retired in-circuit test program", True, False, False, INACTIVE),
]


def default_processes() -> list[dict[str, Any]]:
    """The seeded processes, in the public API's wire format plus ``processId``."""
    return [
        {
            "code": code,
            "name": name,
            "description": description,
            "isTestOperation": test,
            "isRepairOperation": repair,
            "isWipOperation": wip,
            "processIndex": index,
            "state": state,
            "processId": str(uuid.uuid5(_NS, str(code))),
            "properties": None,
        }
        for index, (code, name, description, test, repair, wip, state) in enumerate(_SEED)
    ]


class SimulatorData:
    """Mutable server state; ``reset()`` returns to what it was created with."""

    def __init__(self, source: str | Path | dict[str, Any] | None = None) -> None:
        if source is None:
            initial: dict[str, Any] = {"processes": default_processes(), "version": "24.2.0-simulator"}
        elif isinstance(source, dict):
            initial = copy.deepcopy(source)
        else:
            initial = json.loads(Path(source).read_text(encoding="utf-8"))
        initial.setdefault("version", "24.2.0-simulator")
        processes = initial.setdefault("processes", [])
        for i, p in enumerate(processes):
            missing = {"code", "name"} - p.keys()
            if missing:
                raise ValueError(f"process #{i} in the simulator data lacks {sorted(missing)}")
            p.setdefault("processId", str(uuid.uuid5(_NS, str(p["code"]))))
            p.setdefault("state", ACTIVE)
            p.setdefault("processIndex", i)
            for flag in ("isTestOperation", "isRepairOperation", "isWipOperation"):
                p.setdefault(flag, False)
            p.setdefault("description", None)
            p.setdefault("properties", None)
        self._initial = initial
        self.reset()

    def reset(self) -> None:
        state = copy.deepcopy(self._initial)
        self.version: str = state["version"]
        self.processes: list[dict[str, Any]] = state["processes"]

    @staticmethod
    def internal_process(p: dict[str, Any]) -> dict[str, Any]:
        """A process as the internal API's ``Process`` model (PascalCase)."""
        return {
            "Code": p["code"],
            "ProcessID": p["processId"],
            "Name": p["name"],
            "Description": p["description"],
            "ProcessIndex": p["processIndex"],
            "State": p["state"],
            "Properties": p["properties"],
            "IsTestOperation": p["isTestOperation"],
            "IsWIPOperation": p["isWipOperation"],
            "IsRepairOperation": p["isRepairOperation"],
        }

    @staticmethod
    def public_process(p: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in p.items() if k not in ("processId", "properties")}
