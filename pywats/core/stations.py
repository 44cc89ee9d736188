"""``api.stations``: several station identities on one client, one of them active.

A PC that reports for several test stations (a fixture with two sockets, a rework bench that
also tests) adds each identity once and switches::

    api.stations.add("ICT-01", location="Line A")
    api.stations.add("ICT-02", location="Line A")
    api.stations.set_active("ICT-02")      # reports submitted from now on carry ICT-02
    api.stations.active.name               # "ICT-02"; the same Station as api.station

The active station is ``api.station`` itself: setting either changes both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from .arguments import checked_methods
from .exceptions import InvalidArgumentError
from .station import Purpose, Station, StationConfig, check_purpose

__all__ = ["StationRegistry"]


class _HasStation(Protocol):
    station: Station


@checked_methods
class StationRegistry:
    """The station identities a client knows, by name (case-insensitive); the client's own first."""

    def __init__(self, client: _HasStation) -> None:
        self._client = client
        self._stations: dict[str, Station] = {}
        self._remember(client.station)

    def _remember(self, station: Station) -> None:
        self._stations.setdefault(station.name.casefold(), station)

    def add(
        self,
        name: str,
        location: str | None = None,
        purpose: Purpose | int | str = Purpose.TEST,
        *,
        replace: bool = False,
    ) -> Station:
        """Add a station identity (not made active). A name already added is an error unless ``replace=True``."""
        if not isinstance(name, str) or not name.strip():
            raise InvalidArgumentError(f"name must be a non-empty station name, not {str(name)[:60]!r}")
        if location is not None and not isinstance(location, str):
            raise InvalidArgumentError(f"location must be text or None, not {type(location).__name__}")
        check_purpose(purpose)
        if not isinstance(replace, bool):
            raise InvalidArgumentError(f"replace must be True or False, not {type(replace).__name__}")
        key = name.strip().casefold()
        if key in self._stations and not replace:
            raise InvalidArgumentError(f"a station named {name.strip()!r} was already added (pass replace=True)")
        station = Station(config=StationConfig(station_name=name.strip(), location=location, purpose=purpose))
        self._stations[key] = station
        if self._client.station.name.casefold() == key:
            self._client.station = station
        return station

    def get(self, name: str) -> Station | None:
        """The station added under ``name``, or None."""
        return self._stations.get(name.strip().casefold()) if isinstance(name, str) else None

    def set_active(self, name: str | Station) -> Station:
        """Make a station the one reports are submitted as (``api.station``); a Station is added too."""
        if isinstance(name, Station):
            self._stations[name.name.casefold()] = name
            station = name
        else:
            found = self.get(name)
            if found is None:
                known = ", ".join(sorted(s.name for s in self._stations.values()))
                raise InvalidArgumentError(f"no station named {str(name)[:60]!r} was added (known: {known})")
            station = found
        self._client.station = station
        return station

    @property
    def active(self) -> Station:
        """The station reports are submitted as (``api.station``)."""
        self._remember(self._client.station)
        return self._client.station

    @property
    def names(self) -> list[str]:
        """The names of the stations added, the client's first one included."""
        self._remember(self._client.station)
        return [s.name for s in self._stations.values()]

    def __iter__(self) -> Iterator[Station]:
        self._remember(self._client.station)
        return iter(list(self._stations.values()))

    def __len__(self) -> int:
        self._remember(self._client.station)
        return len(self._stations)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.strip().casefold() in self._stations
