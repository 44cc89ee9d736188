"""Test station identity, stamped on the reports a station submits."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["Purpose", "Station", "StationConfig", "default_station_name"]


class Purpose(IntEnum):
    """Why a station runs a unit. WATS stores it as a number, so ``10`` and ``Purpose.TEST`` are equal."""

    TEST = 10


def default_station_name() -> str:
    """``WATS_STATION_NAME`` if set, else this machine's host name."""
    return os.environ.get("WATS_STATION_NAME") or socket.gethostname()


@dataclass(frozen=True)
class StationConfig:
    station_name: str = field(default_factory=default_station_name)
    location: str | None = None
    purpose: Purpose | int = Purpose.TEST

    def __post_init__(self) -> None:
        if not self.station_name or not self.station_name.strip():
            raise ValueError("station_name must not be empty")
        # Codes this release does not name are passed through unchanged for the server to judge.
        if self.purpose in Purpose._value2member_map_:
            object.__setattr__(self, "purpose", Purpose(self.purpose))


@dataclass(frozen=True)
class Station:
    config: StationConfig = field(default_factory=StationConfig)

    @property
    def name(self) -> str:
        """The station's name; stamped on reports that name none."""
        return self.config.station_name

    @property
    def location(self) -> str | None:
        """Where the station is; stamped on reports that name none."""
        return self.config.location

    @property
    def purpose(self) -> Purpose | int:
        """Why the station runs units (``Purpose.TEST`` by default)."""
        return self.config.purpose
