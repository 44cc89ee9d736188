"""Report headers (``GET /api/Report/Query/Header``) and downloaded attachments."""

from __future__ import annotations

import uuid as _uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ...core.model import Synonym

__all__ = ["HeaderMiscInfo", "HeaderSubUnit", "ReportAttachment", "ReportHeader"]


class _Header(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class HeaderSubUnit(_Header):
    """A sub-unit of a header (``$expand=subUnits``)."""

    serial_number: str | None = Field(default=None, alias="serialNumber")
    part_number: str | None = Field(default=None, alias="partNumber")
    revision: str | None = None
    part_type: str | None = Field(default=None, alias="partType")


class HeaderMiscInfo(_Header):
    """A misc info item of a header (``$expand=miscInfo``)."""

    description: str | None = None
    value: str | None = None


class ReportHeader(_Header):
    """One report as the header query lists it (no steps): who, what, where, when, result."""

    uuid: _uuid.UUID | None = None
    serial_number: str | None = Field(default=None, alias="serialNumber")
    part_number: str | None = Field(default=None, alias="partNumber")
    report_type: str | None = Field(default=None, alias="reportType")
    start: datetime | None = None
    revision: str | None = None
    result: str | None = None
    batch_number: str | None = Field(default=None, alias="batchNumber")
    user_name: str | None = Field(default=None, alias="userName")
    station_name: str | None = Field(default=None, alias="stationName")
    location: str | None = None
    purpose: str | None = None
    time_stamp: int | None = Field(default=None, alias="timeStamp")
    process_code: int | None = Field(default=None, alias="processCode")
    process_name: str | None = Field(default=None, alias="processName")
    comment: str | None = None
    execution_time: float | None = Field(default=None, alias="executionTime")
    fixture_id: str | None = Field(default=None, alias="fixtureId")
    error_code: int | None = Field(default=None, alias="errorCode")
    error_message: str | None = Field(default=None, alias="errorMessage")
    referenced_uut: _uuid.UUID | None = Field(default=None, alias="referencedUut")
    sub_units: list[HeaderSubUnit] | None = Field(default=None, alias="subUnits")
    misc_info: list[HeaderMiscInfo] | None = Field(default=None, alias="miscInfo")
    assets: list[dict[str, Any]] | None = None
    attachments: list[dict[str, Any]] | None = None

    id = Synonym[_uuid.UUID | None]("uuid", "The report id (``uuid``), for ``get_report``.")
    status = Synonym[str | None]("result", "The result (``Passed``, ``Failed``, ``Error``, ``Terminated``).")
    start_utc = Synonym[datetime | None]("start", "When the test run started (the header's ``start``).")
    start_time = Synonym[datetime | None]("start", "When the test run started (the header's ``start``).")


class ReportAttachment(BaseModel):
    """A file attached to a report, as downloaded: its name, size and content (and content type,
    when the server says it)."""

    file_name: str
    size: int
    content: bytes = Field(repr=False)
    content_type: str | None = None
