"""Test station identity, stamped on the reports a station submits."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from .arguments import checked, invalid_argument
from .exceptions import InvalidArgumentError

__all__ = ["Purpose", "Station", "StationConfig", "default_station_name"]


class Purpose(IntEnum):
    """Why a station runs a unit. WATS stores it as a number, so ``10`` and ``Purpose.TEST`` are equal."""

    TEST = 10


def check_purpose(purpose: Any, argument: str = "purpose") -> int | str:
    """A purpose: a :class:`Purpose`, its number (a 32-bit integer), or a name as pyWATS 0.x takes
    it (``"Production"``), which goes to the server as it is."""
    if isinstance(purpose, str) and purpose.strip():
        return purpose
    if isinstance(purpose, bool) or not isinstance(purpose, int) or not -(2**31) <= purpose < 2**31:
        raise invalid_argument(None, argument, purpose, "a Purpose, its number, or a purpose name")
    return purpose


def default_station_name() -> str:
    """``WATS_STATION_NAME`` (or pyWATS 0.x's ``PYWATS_STATION``) if set, else this machine's host name."""
    return os.environ.get("WATS_STATION_NAME") or os.environ.get("PYWATS_STATION") or socket.gethostname()


@dataclass(frozen=True)
class StationConfig:
    station_name: str = field(default_factory=default_station_name)
    location: str | None = None
    purpose: Purpose | int | str = Purpose.TEST

    def __post_init__(self) -> None:
        if not isinstance(self.station_name, str) or not self.station_name.strip():
            raise invalid_argument(None, "station_name", self.station_name, "a non-empty station name")
        if self.location is not None and not isinstance(self.location, str):
            raise invalid_argument(None, "location", self.location, "text or None")
        check_purpose(self.purpose)
        # Codes this release does not name are passed through unchanged for the server to judge.
        if isinstance(self.purpose, int) and self.purpose in Purpose._value2member_map_:
            object.__setattr__(self, "purpose", Purpose(self.purpose))


# Unknown keywords and arguments of the wrong type are InvalidArgumentError, as everywhere.
StationConfig.__init__ = checked(StationConfig.__init__)  # type: ignore[method-assign]


@dataclass(frozen=True, init=False)
class Station:
    """A station identity: ``Station(config=StationConfig(...))``, or pyWATS 0.x's
    ``Station(name=..., location=..., purpose=...)`` (the same thing, spelled shorter)."""

    config: StationConfig

    def __init__(
        self,
        config: StationConfig | None = None,
        *,
        name: str | None = None,
        location: str | None = None,
        purpose: Purpose | int | str | None = None,
    ) -> None:
        if config is not None and not isinstance(config, StationConfig):
            raise InvalidArgumentError(
                f"config must be a StationConfig (or pass name=, location=, purpose=), not {type(config).__name__}"
            )
        if config is not None and (name, location, purpose) != (None, None, None):
            raise InvalidArgumentError("give config= or name=/location=/purpose=, not both")
        if config is None:
            parts: dict[str, Any] = {"location": location}
            if name is not None:
                parts["station_name"] = name
            if purpose is not None:
                parts["purpose"] = purpose
            config = StationConfig(**parts)
        object.__setattr__(self, "config", config)

    __init__ = checked(__init__)

    @property
    def name(self) -> str:
        """The station's name; stamped on reports that name none."""
        return self.config.station_name

    @property
    def location(self) -> str | None:
        """Where the station is; stamped on reports that name none."""
        return self.config.location

    @property
    def purpose(self) -> Purpose | int | str:
        """Why the station runs units (``Purpose.TEST`` by default)."""
        return self.config.purpose
