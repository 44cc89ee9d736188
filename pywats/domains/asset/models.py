"""Asset models: assets, asset types, log records, files, and the state enums."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any, ClassVar
from uuid import UUID

from pydantic import ConfigDict, Field

from ...core.model import FacadeModel, Synonym
from .._fields import SentLocalTime as LocalTime

__all__ = ["Asset", "AssetAlarmState", "AssetFile", "AssetLog", "AssetState", "AssetType"]


class AssetState(IntEnum):
    """An asset's operational state, as WATS numbers it (``PUT /api/Asset/State``).

    Two other names are accepted: ``OK`` is ``IN_OPERATION`` and ``WARNING`` is
    ``IN_MAINTENANCE`` ("maintenance mode"). ``ALARM`` and ``ERROR`` are not states
    the server keeps (an alarm is a status, see ``AssetAlarmState`` and ``is_in_alarm``); they
    exist so that such comparisons read naturally, and never equal a state.
    """

    UNKNOWN = 0
    IN_OPERATION = 1
    IN_TRANSIT = 2
    IN_MAINTENANCE = 3
    IN_CALIBRATION = 4
    IN_STORAGE = 5
    SCRAPPED = 6
    OK = 1
    WARNING = 3
    # Not members: assigned below, since a value given here would make a member (enum.nonmember is 3.11+).
    ALARM: ClassVar[str]
    ERROR: ClassVar[str]


AssetState.ALARM = "ALARM"
AssetState.ERROR = "ERROR"


class AssetAlarmState(IntEnum):
    """An asset's alarm status (``GET /api/Asset/Status``): limits and due dates against its type."""

    OK = 0
    WARNING = 1
    ALARM = 2


_CONFIG = ConfigDict(populate_by_name=True, extra="allow", validate_assignment=True)


class AssetType(FacadeModel):
    """A category of assets with shared limits: intervals in days, count limits, thresholds."""

    model_config = _CONFIG

    type_id: UUID | None = Field(default=None, alias="typeId")
    type_name: str = Field(alias="typeName")
    calibration_interval: float | None = Field(default=None, alias="calibrationInterval")
    maintenance_interval: float | None = Field(default=None, alias="maintenanceInterval")
    running_count_limit: int | None = Field(default=None, alias="runningCountLimit")
    total_count_limit: int | None = Field(default=None, alias="totalCountLimit")
    warning_threshold: float | None = Field(default=None, alias="warningThreshold")
    alarm_threshold: float | None = Field(default=None, alias="alarmThreshold")
    is_readonly: bool | None = Field(default=None, alias="isReadonly")
    icon: str | None = None


class Asset(FacadeModel):
    """A piece of equipment (station, instrument, fixture, tool) identified by its serial number.

    Dates are naive local times (the server's UTC converted), so ``asset.next_calibration_date -
    datetime.now()`` works. Fields the server adds are kept.
    """

    model_config = _CONFIG

    asset_id: UUID | None = Field(default=None, alias="assetId")
    serial_number: str = Field(alias="serialNumber")
    type_id: UUID | None = Field(default=None, alias="typeId")
    asset_name: str | None = Field(default=None, alias="assetName")
    parent_asset_id: UUID | None = Field(default=None, alias="parentAssetId")
    parent_serial_number: str | None = Field(default=None, alias="parentSerialNumber")
    part_number: str | None = Field(default=None, alias="partNumber")
    revision: str | None = None
    state: AssetState = AssetState.IN_OPERATION
    description: str | None = None
    location: str | None = None
    first_seen_date: LocalTime = Field(default=None, alias="firstSeenDate")
    last_seen_date: LocalTime = Field(default=None, alias="lastSeenDate")
    last_calibration_date: LocalTime = Field(default=None, alias="lastCalibrationDate")
    next_calibration_date: LocalTime = Field(default=None, alias="nextCalibrationDate")
    last_maintenance_date: LocalTime = Field(default=None, alias="lastMaintenanceDate")
    next_maintenance_date: LocalTime = Field(default=None, alias="nextMaintenanceDate")
    total_count: int | None = Field(default=None, alias="totalCount")
    running_count: int | None = Field(default=None, alias="runningCount")
    tags: list[dict[str, Any]] | None = None


class AssetLog(FacadeModel):
    """One asset log record (``GET /api/Asset/Log``). ``message`` and ``timestamp`` are other names."""

    model_config = _CONFIG

    log_id: int | None = Field(default=None, alias="logId")
    asset_id: UUID | None = Field(default=None, alias="assetId")
    serial_number: str | None = Field(default=None, alias="serialNumber")
    date: LocalTime = None
    user: str | None = None
    type: int | None = None
    property_name: str | None = Field(default=None, alias="property")
    value: str | None = None
    comment: str | None = None

    timestamp = Synonym[datetime | None]("date", "When the record was written (local time); same as ``date``.")

    @property
    def message(self) -> str | None:
        """The record's text: its comment, else ``"<property> = <value>"`` for a change."""
        if self.comment:
            return self.comment
        return f"{self.property_name} = {self.value}" if self.property_name else None

    asset_name = Synonym[str | None](
        "serial_number", "The asset the record is about; log records name it by serial number."
    )


class AssetFile(FacadeModel):
    """A file stored on an asset (``list_blobs``); ``file_info["filename"]`` also works."""

    model_config = ConfigDict(frozen=True)

    filename: str
    size: int | None = None
    uploaded: datetime | None = None

    def __getitem__(self, key: str) -> Any:
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)
