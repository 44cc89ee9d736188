"""Analytics models: the query filters and what the yield, measurement, unit-flow and alarm queries give.

Every answer model keeps the fields the server sends that it does not name (``model_extra``),
so nothing is lost; attributes are snake_case, the server's camelCase names are the aliases.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from pydantic import AliasChoices, ConfigDict, Field, field_validator, model_validator

from pywats._compat import UTC

from ...core.exceptions import NoDocumentedOperationError
from ...core.model import FacadeModel, Synonym
from .._fields import wire_field as _alias
from .enums import AlarmType, CompOperator, MeasurementPath, StatusFilter, StepType

__all__ = [
    "AggregatedMeasurement",
    "AlarmLog",
    "LevelInfo",
    "MeasurementData",
    "MeasurementListItem",
    "NoDocumentedOperationError",
    "OeeAnalysisResult",
    "RepairHistoryRecord",
    "RepairStatistics",
    "ReportListItem",
    "SerialNumberHistoryRow",
    "StepAnalysisRow",
    "StepStatusItem",
    "TopFailedStep",
    "UnitFlowFilter",
    "UnitFlowLink",
    "UnitFlowNode",
    "UnitFlowResult",
    "UnitFlowSummary",
    "UnitFlowUnit",
    "WATSFilter",
    "YieldData",
    "YieldResult",
]


def _wire_time(value: datetime) -> str:
    # A naive datetime is the user's local time (as datetime.now() gives); the server
    # compares in UTC.
    aware = value if value.tzinfo is not None else value.astimezone()
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


class _Filter(FacadeModel):
    """Common behaviour of the query filters: unknown arguments are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=True)

    @field_validator("days", check_fields=False)
    @classmethod
    def _positive_days(cls, value: int | None) -> int | None:
        if value is not None and not 0 < value <= 36_500:
            raise ValueError("days must be a number of days, from 1 to 36500")
        return value

    def _window(self, start: datetime | None, end: datetime | None, days: int | None) -> dict[str, str]:
        if start is not None and days is not None:
            raise ValueError("give either days or a start date, not both")
        if start is None and days is not None:
            start = (end.astimezone(UTC) if end is not None else datetime.now(UTC)) - timedelta(days=days)
        if start is not None and end is not None and start > end:
            raise ValueError(f"the start {start} is after the end {end}")
        window: dict[str, str] = {}
        if start is not None:
            window["dateFrom"] = _wire_time(start)
        if end is not None:
            window["dateTo"] = _wire_time(end)
        return window


# WATSFilter field → the server's name. The server's (camelCase) names are accepted as arguments
# too, as pyWATS 0.x code passes them (WATSFilter(partNumber=...)), plus its date names.
_WATS_FILTER_WIRE: dict[str, str] = {
    "serial_number": "serialNumber",
    "part_number": "partNumber",
    "revision": "revision",
    "batch_number": "batchNumber",
    "station": "stationName",
    "test_operation": "testOperation",
    "yield_": "yield",
    "misc_description": "miscDescription",
    "misc_value": "miscValue",
    "product_group": "productGroup",
    "level": "level",
    "sw_filename": "swFilename",
    "sw_version": "swVersion",
    "socket": "socket",
    "date_grouping": "dateGrouping",
    "period_count": "periodCount",
    "include_current_period": "includeCurrentPeriod",
    "max_count": "maxCount",
    "min_count": "minCount",
    "top_count": "topCount",
    "dimensions": "dimensions",
}
_WATS_FILTER_ARGUMENTS: dict[str, str] = {
    **{wire: attr for attr, wire in _WATS_FILTER_WIRE.items() if wire != attr and attr != "yield_"},
    "stationName": "station",
    "dateStart": "start_date_time",
    "dateFrom": "start_date_time",
    "dateStop": "end_date_time",
    "dateTo": "end_date_time",
}


class WATSFilter(_Filter):
    """The WATS query filter (the server's ``PublicWatsFilter``) for yield and measurement queries.

    ``days=7`` asks for the last seven days; ``start_date_time``/``end_date_time`` (also
    ``date_from``/``date_to``) for a window. ``station`` is the station name. An unknown
    argument, or a value of the wrong kind, raises ``InvalidArgumentError`` (a ``ValueError``) naming it.
    """

    serial_number: str | None = None
    part_number: str | None = None
    revision: str | None = None
    batch_number: str | None = None
    station: str | None = Field(default=None, validation_alias=AliasChoices("station", "station_name"))
    test_operation: str | None = None
    status: StatusFilter | str | None = None
    yield_: int | None = Field(default=None, validation_alias=AliasChoices("yield_", "yield"))
    misc_description: str | None = None
    misc_value: str | None = None
    product_group: str | None = None
    level: str | None = None
    sw_filename: str | None = None
    sw_version: str | None = None
    socket: str | None = None
    start_date_time: datetime | None = Field(
        default=None, validation_alias=AliasChoices("start_date_time", "date_from")
    )
    end_date_time: datetime | None = Field(default=None, validation_alias=AliasChoices("end_date_time", "date_to"))
    days: int | None = None
    date_grouping: int | None = None
    period_count: int | None = None
    include_current_period: bool | None = None
    max_count: int | None = None
    min_count: int | None = None
    top_count: int | None = None
    dimensions: str | None = None

    @field_validator("test_operation", mode="before")
    @classmethod
    def _operation_text(cls, value: Any) -> Any:
        # process codes are integers everywhere else in pywats; the filter spells them as text
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("dimensions", mode="before")
    @classmethod
    def _built(cls, value: Any) -> Any:
        return value.build() if hasattr(value, "build") else value

    @model_validator(mode="before")
    @classmethod
    def _server_names(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not any(key in _WATS_FILTER_ARGUMENTS for key in data):
            return data
        renamed: dict[str, Any] = {}
        given_as: dict[str, str] = {}
        for key, value in data.items():
            name = _WATS_FILTER_ARGUMENTS.get(key, str(key))
            if name in renamed:
                raise ValueError(f"{given_as[name]} and {key} are the same filter field ({name}); give it once")
            renamed[name], given_as[name] = value, key
        return renamed

    @model_validator(mode="after")
    def _check_window(self) -> WATSFilter:
        self._window(self.start_date_time, self.end_date_time, self.days)
        return self

    def to_wire(self) -> dict[str, Any]:
        """The filter as the server's JSON (``PublicWatsFilter``); unset fields are left out."""
        names = _WATS_FILTER_WIRE
        wire: dict[str, Any] = {
            name: getattr(self, attr) for attr, name in names.items() if getattr(self, attr) is not None
        }
        if self.status is not None:
            wire["status"] = str(self.status.value if isinstance(self.status, StatusFilter) else self.status)
        wire.update(self._window(self.start_date_time, self.end_date_time, self.days))
        return wire


class UnitFlowFilter(_Filter):
    """⚠️ INTERNAL API filter for Unit Flow: a part number, a window, optionally some serial numbers."""

    part_number: str | None = None
    revision: str | None = None
    serial_numbers: list[str] | None = None
    station_name: str | None = None
    test_operation: str | None = None
    product_group: str | None = None
    level: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    days: int | None = None

    @field_validator("serial_numbers", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("serial_numbers")
    @classmethod
    def _no_separator(cls, value: list[str] | None) -> list[str] | None:
        for sn in value or []:
            if not sn.strip() or ";" in sn:
                raise ValueError(f"not a serial number: {sn!r}")
        return value

    @model_validator(mode="after")
    def _check_window(self) -> UnitFlowFilter:
        self._window(self.date_from, self.date_to, self.days)
        return self

    def to_wire(self) -> dict[str, Any]:
        """The filter as the server's ``PublicWatsFilter`` JSON; several serial numbers are ``;``-joined."""
        wire: dict[str, Any] = {}
        for attr, name in (
            ("part_number", "partNumber"),
            ("revision", "revision"),
            ("station_name", "stationName"),
            ("test_operation", "testOperation"),
            ("product_group", "productGroup"),
            ("level", "level"),
        ):
            if getattr(self, attr) is not None:
                wire[name] = getattr(self, attr)
        if self.serial_numbers:
            wire["serialNumber"] = ";".join(self.serial_numbers)
        wire.update(self._window(self.date_from, self.date_to, self.days))
        return wire


class _Answer(FacadeModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class YieldData(_Answer):
    """One row of ``POST /api/App/DynamicYield``: the requested dimensions and the yield KPIs.

    Yields (``fpy``...) are fractions 0..1, as the server sends them. Dimension values
    (``partNumber``, ``stationName``, ``period``...) are attributes too (snake_case for the
    named ones, the rest in ``model_extra``).
    """

    part_number: str | None = _alias("partNumber", "PartNumber")
    test_operation: str | None = _alias("testOperation", "TestOperation")
    station_name: str | None = _alias("stationName", "StationName")
    period: str | None = _alias("period", "Period")
    unit_count: int = Field(default=0, validation_alias=AliasChoices("unitCount", "UnitCount"))
    fp_count: int | None = _alias("fpCount", "FpCount")
    sp_count: int | None = _alias("spCount", "SpCount")
    tp_count: int | None = _alias("tpCount", "TpCount")
    lp_count: int | None = _alias("lpCount", "LpCount")
    fp_fail_count: int | None = _alias("fpFailCount", "FpFailCount")
    lp_fail_count: int | None = _alias("lpFailCount", "LpFailCount")
    fpy: float | None = _alias("fpy", "Fpy")
    spy: float | None = _alias("spy", "Spy")
    tpy: float | None = _alias("tpy", "Tpy")
    lpy: float | None = _alias("lpy", "Lpy")
    retest_count: int | None = _alias("retestCount", "RetestCount")
    test_report_count: int | None = _alias("testReportCount", "TestReportCount")


class YieldResult(FacadeModel):
    """First-pass yield over everything a filter selects.

    ``total`` units were tested, ``passed`` passed their first run and ``failed`` did not;
    ``yield_pct`` is ``100 * passed / total`` (0.0 when nothing was tested). ``rows`` are the
    server's rows the figures are summed from.
    """

    model_config = ConfigDict(frozen=True)

    yield_pct: float
    passed: int
    failed: int
    total: int
    rows: list[YieldData] = Field(default_factory=list)

    @classmethod
    def of(cls, rows: list[YieldData]) -> YieldResult:
        """The first-pass yield summed over dynamic-yield ``rows``."""
        total = sum(r.unit_count for r in rows)
        passed = sum(r.fp_count or 0 for r in rows)
        return cls(
            yield_pct=100.0 * passed / total if total else 0.0,
            passed=passed,
            failed=total - passed,
            total=total,
            rows=rows,
        )


class AggregatedMeasurement(_Answer):
    """Statistics of one numeric measurement over the selected reports."""

    step_name: str = Field(default="", validation_alias=AliasChoices("stepName", "StepName"))
    step_path: str = Field(default="", validation_alias=AliasChoices("stepPath", "StepPath"))
    measurement_name: str | None = _alias("measurementName", "MeasurementName")
    count: int = Field(default=0, validation_alias=AliasChoices("count", "Count"))
    avg: float | None = _alias("avg", "Avg")
    min: float | None = _alias("min", "Min")
    max: float | None = _alias("max", "Max")
    std_dev: float | None = _alias("stdev", "stdDev", "StdDev", "Stdev")
    cp: float | None = _alias("cp", "Cp")
    cpk: float | None = _alias("cpk", "Cpk")
    low_limit: float | None = _alias("lowLimit", "LowLimit")
    high_limit: float | None = _alias("highLimit", "HighLimit")
    unit: str | None = _alias("unit", "Unit")

    @property
    def step_path_display(self) -> str:
        """``step_path`` with slashes (``Main/Power/3.3V``)."""
        return MeasurementPath(self.step_path).display if self.step_path else ""


class AlarmLog(_Answer):
    """⚠️ INTERNAL API model: one triggered alarm or notification; fields depend on ``type``."""

    log_id: int | str | None = _alias("logId", "LogId", "id")
    name: str | None = _alias("name", "Name")
    log_date: datetime | None = _alias("logDate", "LogDate")
    type: int | None = _alias("type", "Type")
    state: int | str | None = _alias("state", "State")
    part_number: str | None = _alias("partNumber", "PartNumber")
    product_name: str | None = _alias("productName", "ProductName")
    process_code: int | str | None = _alias("processCode", "ProcessCode")
    process_name: str | None = _alias("processName", "ProcessName")
    # REPORT
    report_guid: str | None = _alias("reportGuid", "ReportGuid")
    serial_number: str | None = _alias("serialNumber", "SerialNumber")
    station_name: str | None = _alias("stationName", "StationName")
    operator: str | None = _alias("operator", "Operator")
    result: str | None = _alias("result", "Result")
    start_utc: datetime | None = _alias("startUtc", "StartUtc")
    # YIELD_VOLUME
    fpy: float | None = _alias("fpy", "Fpy")
    spy: float | None = _alias("spy", "Spy")
    tpy: float | None = _alias("tpy", "Tpy")
    lpy: float | None = _alias("lpy", "Lpy")
    fpy_trend: float | None = _alias("fpyTrend", "FpyTrend")
    spy_trend: float | None = _alias("spyTrend", "SpyTrend")
    tpy_trend: float | None = _alias("tpyTrend", "TpyTrend")
    lpy_trend: float | None = _alias("lpyTrend", "LpyTrend")
    unit_count: int | None = _alias("unitCount", "UnitCount")
    uut_count: int | None = _alias("uutCount", "UutCount")
    retest_count: int | None = _alias("retestCount", "RetestCount")
    # SERIAL_NUMBER
    free: int | None = _alias("free", "Free")
    reserved: int | None = _alias("reserved", "Reserved")
    serial_number_type: str | None = _alias("serialNumberType", "SerialNumberType")
    # MEASUREMENT
    cp: float | None = _alias("cp", "Cp")
    cpk: float | None = _alias("cpk", "Cpk")
    min: float | None = _alias("min", "Min")
    max: float | None = _alias("max", "Max")
    avg: float | None = _alias("avg", "Avg")
    stdev: float | None = _alias("stdev", "Stdev")
    measurement_path: str | None = _alias("measurementPath", "MeasurementPath")
    # ASSET
    asset_name: str | None = _alias("assetName", "AssetName")
    asset_serial_number: str | None = _alias("assetSerialNumber", "AssetSerialNumber")
    type_id: str | None = _alias("typeId", "TypeId")
    asset_state: int | str | None = _alias("assetState", "AssetState")
    bubbled_status: int | str | None = _alias("bubbledStatus", "BubbledStatus")
    tags: str | list[str] | None = _alias("tags", "Tags")

    @property
    def alarm_type(self) -> AlarmType | None:
        """``type`` as an :class:`AlarmType` (None for a type this version does not know)."""
        try:
            return AlarmType(self.type) if self.type is not None else None
        except ValueError:
            return None

    @property
    def alarm_type_name(self) -> str:
        """``REPORT``, ``YIELD_VOLUME``, ...; ``TYPE_<n>`` for an unknown type."""
        kind = self.alarm_type
        return kind.name if kind is not None else f"TYPE_{self.type}"

    @property
    def fpy_percent(self) -> float | None:
        """``fpy`` as a percentage."""
        return None if self.fpy is None else self.fpy * 100.0

    @property
    def fpy_trend_percent(self) -> float | None:
        """``fpy_trend`` in percentage points."""
        return None if self.fpy_trend is None else self.fpy_trend * 100.0


class UnitFlowNode(_Answer):
    """⚠️ INTERNAL API model: one operation in the flow and the units that reached it."""

    id: int = Field(validation_alias=AliasChoices("id", "Id"))
    name: str = Field(default="", validation_alias=AliasChoices("name", "Name"))
    process_code: int | str | None = _alias("processCode", "ProcessCode")
    unit_count: int = Field(default=0, validation_alias=AliasChoices("unitCount", "UnitCount"))
    passed_count: int = Field(default=0, validation_alias=AliasChoices("passedCount", "PassedCount"))
    failed_count: int = Field(default=0, validation_alias=AliasChoices("failedCount", "FailedCount"))
    avg_time: float | None = _alias("avgTime", "AvgTime")

    operation_name = Synonym[str]("name", "Same as ``name``.")

    @property
    def yield_pct(self) -> float:
        """Percentage of the node's units whose last run there passed (0.0 for none)."""
        return 100.0 * self.passed_count / self.unit_count if self.unit_count else 0.0

    @property
    def avg_time_hours(self) -> float:
        """Average hours a unit spends from reaching this operation to reaching the next (0.0 if none moved on)."""
        return (self.avg_time or 0.0) / 3600.0


class UnitFlowLink(_Answer):
    """⚠️ INTERNAL API model: units moving from one operation to another."""

    id: int | None = _alias("id", "Id")
    source: int = Field(validation_alias=AliasChoices("source", "Source"))
    target: int = Field(validation_alias=AliasChoices("target", "Target"))
    unit_count: int = Field(default=0, validation_alias=AliasChoices("unitCount", "UnitCount"))
    source_name: str = ""
    target_name: str = ""


class UnitFlowUnit(FacadeModel):
    """⚠️ INTERNAL API model: one unit's way through the flow (built from the server's transitions)."""

    model_config = ConfigDict(frozen=True)

    unit_id: int | None
    serial_number: str | None
    part_number: str | None
    node_path: list[str]
    status: str
    total_time_hours: float
    transitions: list[dict[str, Any]]


class UnitFlowResult(FacadeModel):
    """⚠️ INTERNAL API model: ``nodes`` (operations), ``links`` (transitions) and ``units``."""

    nodes: list[UnitFlowNode] = Field(default_factory=list)
    links: list[UnitFlowLink] = Field(default_factory=list)
    units: list[UnitFlowUnit] = Field(default_factory=list)
    raw: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_wire(cls, body: Any) -> UnitFlowResult:
        """Read ``POST /api/internal/UnitFlow``'s answer; unit transitions are grouped per unit."""
        if not isinstance(body, dict):
            raise ValueError(f"a unit flow is a JSON object, not {type(body).__name__}")
        lower = {str(k).lower(): v for k, v in body.items()}
        nodes = [UnitFlowNode.model_validate(n) for n in lower.get("nodes") or []]
        names = {n.id: n.name for n in nodes}
        links = [UnitFlowLink.model_validate(n) for n in lower.get("links") or []]
        for link in links:
            link.source_name = names.get(link.source, str(link.source))
            link.target_name = names.get(link.target, str(link.target))
        return cls(nodes=nodes, links=links, units=_units(lower.get("units") or [], names), raw=body)


class _ReportRow(_Answer):
    """What the per-report answers share: the unit and the report."""

    serial_number: str | None = _alias("serialNumber", "SerialNumber")
    part_number: str | None = _alias("partNumber", "PartNumber")
    revision: str | None = _alias("revision", "Revision")
    report_id: str | None = _alias("reportId", "ReportId")


class _StepAnswer(_Answer):
    """What the step-level answers share: the step and its path (the server's ``¶`` spelling)."""

    step_name: str | None = _alias("stepName", "StepName")
    step_path: str | None = _alias("stepPath", "StepPath")
    step_type: StepType | str | None = _alias("stepType", "StepType")

    @property
    def step_path_display(self) -> str:
        """``step_path`` with slashes (``Main/Power/3.3V``)."""
        return MeasurementPath(self.step_path).display if self.step_path else ""


class TopFailedStep(_StepAnswer):
    """A step that failed, how often, and the filters that select it for the measurement and
    step-status lists (``step_filter``, ``sequence_filter``: XML, pass them on unchanged)."""

    fail_count: int = Field(default=0, validation_alias=AliasChoices("failCount", "FailCount"))
    total_count: int | None = _alias("totalCount", "TotalCount")
    step_filter: str | None = _alias("stepFilter", "StepFilter")
    sequence_filter: str | None = _alias("sequenceFilter", "SequenceFilter")


class StepAnalysisRow(_StepAnswer):
    """One step of a test step analysis: runs, passes and failures, and for a numeric step the
    statistics of its measurement."""

    step_count: int = Field(default=0, validation_alias=AliasChoices("stepCount", "StepCount"))
    passed_count: int | None = _alias("passedCount", "PassedCount")
    failed_count: int | None = _alias("failedCount", "FailedCount")
    comp_operator: CompOperator | str | None = _alias("compOperator", "CompOperator", "compOp")
    avg: float | None = _alias("avg", "Avg")
    min: float | None = _alias("min", "Min")
    max: float | None = _alias("max", "Max")
    std_dev: float | None = _alias("stdev", "stdDev", "StdDev")
    cp: float | None = _alias("cp", "Cp")
    cpk: float | None = _alias("cpk", "Cpk")
    low_limit: float | None = _alias("lowLimit", "LowLimit")
    high_limit: float | None = _alias("highLimit", "HighLimit")


class _Execution(_ReportRow, _StepAnswer):
    """One execution of a step in one report."""

    start_utc: datetime | None = _alias("startUtc", "StartUtc")
    status: str | None = _alias("status", "Status")


class MeasurementData(_Execution):
    """One numeric measurement value of one step execution (``POST /api/App/Measurements``)."""

    measurement_name: str | None = _alias("measurementName", "MeasurementName")
    value: float | None = _alias("value", "Value")
    low_limit: float | None = _alias("lowLimit", "LowLimit", "limitLow")
    high_limit: float | None = _alias("highLimit", "HighLimit", "limitHigh")
    unit: str | None = _alias("unit", "Unit")


class MeasurementListItem(MeasurementData):
    """⚠️ INTERNAL API model: one measured value (with its limits) of one step execution."""

    limit_low = Synonym[float | None]("low_limit", "Same as ``low_limit``.")
    limit_high = Synonym[float | None]("high_limit", "Same as ``high_limit``.")


class StepStatusItem(_Execution):
    """⚠️ INTERNAL API model: the status of one step execution (``pass_count``... when the server counts)."""

    pass_count: int | None = _alias("passCount", "PassCount")
    fail_count: int | None = _alias("failCount", "FailCount")
    total_count: int | None = _alias("totalCount", "TotalCount")


class RepairStatistics(_Answer):
    """One row of ``POST /api/App/DynamicRepair``: the requested dimensions and the repair counts.

    Dimension values (``partNumber``, ``repairCode``...) are attributes too (snake_case).
    """

    repair_report_count: int | None = _alias("repairReportCount", "RepairReportCount")
    repair_count: int | None = _alias("repairCount", "RepairCount")
    part_number: str | None = _alias("partNumber", "PartNumber")
    repair_operation: str | None = _alias("repairOperation", "RepairOperation")
    repair_code: str | None = _alias("repairCode", "RepairCode")


class RepairHistoryRecord(_ReportRow):
    """A failure repaired on a unit: where and when, and what was done."""

    repair_date: datetime | None = _alias("repairDate", "RepairDate")
    repair_operation: str | None = _alias("repairOperation", "RepairOperation")
    test_operation: str | None = _alias("testOperation", "TestOperation")
    repair_category: str | None = _alias("repairCategory", "RepairCategory")
    repair_code: str | None = _alias("repairCode", "RepairCode")
    component_ref: str | None = _alias("componentRef", "ComponentRef")


class OeeAnalysisResult(_Answer):
    """Overall equipment effectiveness: ``oee`` = ``availability`` × ``performance`` × ``quality`` (0..1)."""

    oee: float | None = _alias("oee", "Oee", "OEE")
    availability: float | None = _alias("availability", "Availability")
    performance: float | None = _alias("performance", "Performance")
    quality: float | None = _alias("quality", "Quality")

    @property
    def oee_percent(self) -> float | None:
        """``oee`` as a percentage."""
        return None if self.oee is None else self.oee * 100.0


class LevelInfo(_Answer):
    """A level (the server's client group: production, development...)."""

    level_id: int | None = _alias("levelId", "LevelId", "id")
    level_name: str | None = _alias("levelName", "LevelName", "name")


class SerialNumberHistoryRow(_ReportRow):
    """One test run of a unit in the serial number history."""

    batch_number: str | None = _alias("batchNumber", "BatchNumber")
    process_code: int | str | None = _alias("processCode", "ProcessCode")
    process_name: str | None = _alias("processName", "ProcessName")
    station_name: str | None = _alias("stationName", "StationName")
    result: str | None = _alias("result", "Result")
    start: datetime | None = _alias("start", "Start")


class ReportListItem(_Answer):
    """One report as the App report lists give it (``POST /api/App/UutReport``/``UurReport``).

    The header's other fields (``location``, ``executionTime``...) are kept as extra fields.
    """

    uuid: UUID | None = _alias("uuid", "Uuid", "id")
    report_type: str | None = _alias("reportType", "ReportType")
    serial_number: str | None = _alias("serialNumber", "SerialNumber")
    part_number: str | None = _alias("partNumber", "PartNumber")
    revision: str | None = _alias("revision", "Revision")
    result: str | None = _alias("result", "Result")
    start: datetime | None = _alias("start", "Start")
    station_name: str | None = _alias("stationName", "StationName")
    process_code: int | None = _alias("processCode", "ProcessCode")
    process_name: str | None = _alias("processName", "ProcessName")


class UnitFlowSummary(FacadeModel):
    """⚠️ INTERNAL API model: the totals of a unit flow: units, how many passed their last
    operation, operations and transitions."""

    model_config = ConfigDict(frozen=True)

    total_units: int
    passed_units: int
    failed_units: int
    node_count: int
    link_count: int

    @property
    def yield_pct(self) -> float:
        """Percentage of the units whose last operation passed (0.0 for none)."""
        return 100.0 * self.passed_units / self.total_units if self.total_units else 0.0

    @classmethod
    def of(cls, flow: UnitFlowResult) -> UnitFlowSummary:
        """The totals of ``flow``."""
        passed = sum(1 for u in flow.units if u.status == "Passed")
        return cls(
            total_units=len(flow.units),
            passed_units=passed,
            failed_units=len(flow.units) - passed,
            node_count=len(flow.nodes),
            link_count=len(flow.links),
        )


def _first(entry: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in entry:
            return entry[name]
    return None


def _units(transitions: list[Any], names: dict[int, str]) -> list[UnitFlowUnit]:
    by_unit: dict[Any, list[dict[str, Any]]] = {}
    for t in transitions:
        if not isinstance(t, dict):
            raise ValueError(f"a unit flow transition is a JSON object, not {type(t).__name__}")
        by_unit.setdefault(_first(t, "unitId", "UnitId"), []).append(t)
    units = []
    for unit_id, steps in by_unit.items():
        steps.sort(key=lambda t: min(_first(t, "orders", "Orders") or [0]))
        last = steps[-1]
        history = _first(last, "resultHistories", "ResultHistories") or []
        if history:
            status = str(history[-1])
        else:
            status = "Passed" if _first(last, "isLastPassed", "IsLastPassed") else "Failed"
        times = [
            datetime.fromisoformat(str(s).replace("Z", "+00:00"))
            for t in steps
            for s in (_first(t, "startUtc", "StartUtc"),)
            if s
        ]
        hours = (max(times) - min(times)).total_seconds() / 3600.0 if times else 0.0
        target = [_first(t, "target", "Target") for t in steps]
        units.append(
            UnitFlowUnit(
                unit_id=unit_id,
                serial_number=_first(last, "serialNumber", "SerialNumber"),
                part_number=_first(last, "partNumber", "PartNumber"),
                node_path=[names.get(n, str(n)) for n in target if n is not None],
                status=status,
                total_time_hours=hours,
                transitions=steps,
            )
        )
    return units
