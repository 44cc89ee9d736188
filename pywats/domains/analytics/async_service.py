"""The Analytics service: yield, measurement statistics, unit flow and alarm logs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import httpx
from wats_internal.api.app import app_measurement_list_get as measurement_list_get_op
from wats_internal.api.app import app_measurement_list_post as measurement_list_op
from wats_internal.api.app import app_step_status_list_get as step_status_list_get_op
from wats_internal.api.app import app_step_status_list_post as step_status_list_op
from wats_internal.api.app import app_top_failed_post as internal_top_failed_op
from wats_internal.api.trigger import trigger_get_alarm_and_notification_logs_post as alarm_logs_op
from wats_internal.api.unit_flow import unit_flow_get_unit_flow as unit_flow_op
from wats_internal.api.unit_flow import unit_flow_get_unit_flow_links as flow_links_op
from wats_internal.api.unit_flow import unit_flow_get_unit_flow_nodes as flow_nodes_op
from wats_internal.api.unit_flow import unit_flow_get_unit_flow_order as unit_order_op
from wats_internal.api.unit_flow import unit_flow_get_unit_flow_split_by as split_by_op
from wats_internal.api.unit_flow import unit_flow_get_unit_flow_units as flow_units_op
from wats_public.api.app import app_aggregated_measurements as aggregated_op
from wats_public.api.app import app_dynamic_repair as dynamic_repair_op
from wats_public.api.app import app_dynamic_yield as dynamic_yield_op
from wats_public.api.app import app_get_high_volume_by_product_group as high_volume_group_op
from wats_public.api.app import app_get_related_repair_history as repair_history_op
from wats_public.api.app import app_get_test_step_analysis as step_analysis_op
from wats_public.api.app import app_get_worst_yield_by_product_group as worst_group_op
from wats_public.api.app import app_high_volume_post as high_volume_op
from wats_public.api.app import app_levels as levels_op
from wats_public.api.app import app_measurements as measurements_op
from wats_public.api.app import app_oee_analysis as oee_op
from wats_public.api.app import app_processes as processes_op
from wats_public.api.app import app_product_groups as product_groups_op
from wats_public.api.app import app_serial_number_history as sn_history_op
from wats_public.api.app import app_top_failed_get as top_failed_get_op
from wats_public.api.app import app_top_failed_post as top_failed_op
from wats_public.api.app import app_uur_reports as uur_reports_op
from wats_public.api.app import app_uut_report_post as uut_reports_op
from wats_public.api.app import app_version as version_op
from wats_public.api.app import app_volume_yield_post as volume_yield_op
from wats_public.api.app import app_worst_yield_post as worst_yield_op

from ..._async.service import AsyncService
from ...core.binding import Endpoint, uses
from ...core.exceptions import InvalidArgumentError
from ...core.results import parse_version
from ...core.wire import invalid, json_body, one_of, parse_list, parse_model, positive, text, unset, unset_internal
from ..process.models import ProcessInfo
from ..product.models import ProductGroup
from .enums import AlarmType, Dimension, MeasurementPath, StepPath
from .models import (
    AggregatedMeasurement,
    AlarmLog,
    LevelInfo,
    MeasurementData,
    MeasurementListItem,
    NoDocumentedOperationError,
    OeeAnalysisResult,
    RepairHistoryRecord,
    RepairStatistics,
    ReportListItem,
    SerialNumberHistoryRow,
    StepAnalysisRow,
    StepStatusItem,
    TopFailedStep,
    UnitFlowFilter,
    UnitFlowLink,
    UnitFlowNode,
    UnitFlowResult,
    UnitFlowSummary,
    UnitFlowUnit,
    WATSFilter,
    YieldData,
    YieldResult,
)

__all__ = ["AsyncAnalyticsService"]

PathArg = str | StepPath | Iterable[str | StepPath]
FilterArg = WATSFilter | Mapping[str, Any] | None
FlowArg = UnitFlowFilter | Mapping[str, Any] | None
StepFilterArg = TopFailedStep | str | None
F = TypeVar("F", WATSFilter, UnitFlowFilter)
M = TypeVar("M", MeasurementListItem, StepStatusItem)
# set_unit_order's keys (either spelling) -> the unit transition's field
_UNIT_ORDER = {
    "serialnumber": "serialNumber",
    "serial_number": "serialNumber",
    "partnumber": "partNumber",
    "part_number": "partNumber",
    "startutc": "startUtc",
    "start_utc": "startUtc",
    "unitid": "unitId",
    "unit_id": "unitId",
}
# the fields of the server's UnitFlowUnit, which UnitOrder takes
_UNIT_FIELDS = (
    "source target unitId isOld isLast isLastPassed hasPassed hasFailed hasRetest orders resultHistories".split()
)


def _filter(value: F | Mapping[str, Any] | None, kind: type[F]) -> F:
    """The filter given, as ``kind``: itself, built from a dict of its fields, or the empty filter."""
    if value is None:
        return kind()
    if isinstance(value, kind):
        return value
    if isinstance(value, Mapping):
        return kind(**value)
    raise TypeError(f"a filter is a {kind.__name__} (or a dict of its fields), not {type(value).__name__}")


def _body(filter_data: FilterArg, **fields: str | int | None) -> dict[str, Any]:
    """The WATS filter as the server's JSON, the fields given (server names) on top of it."""
    body = _filter(filter_data, WATSFilter).to_wire()
    body.update({name: value for name, value in fields.items() if value is not None})
    return body


def _days(days: int) -> int:
    """A window in days: 1 to 36500 (a hundred years; a date cannot go back much further)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 36500:
        raise invalid("days", days, "a number of days from 1 to 36500")
    return days


def _code(name: str, value: str | int | None) -> str:
    """An id or code the server takes as text; None is ``""`` (any)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise invalid(name, value, "a code or id (text or integer)")
    return str(value)


def _step_filters(step_filters: StepFilterArg, sequence_filters: str | None) -> dict[str, Any]:
    """``stepFilters`` and ``sequenceFilters``: a TopFailedStep's own, or the XML given."""
    if isinstance(step_filters, TopFailedStep):
        steps, sequences = step_filters.step_filter or "", sequence_filters or step_filters.sequence_filter or ""
    else:
        steps, sequences = step_filters or "", sequence_filters or ""
    return {"step_filters": steps, "sequence_filters": sequences}


def _product_window(product_group_id: str | int | None, level_id: str | int | None, days: int) -> dict[str, Any]:
    """The product group, level and days of the GET forms of the step lists."""
    return {
        "product_group_id": _code("product_group_id", product_group_id),
        "level_id": _code("level_id", level_id),
        "days": _days(days),
    }


def _flow_text(flow_filter: FlowArg) -> str:
    """The ``filter`` of the unit-flow GETs: a filter as JSON; empty keeps the session's."""
    return "" if flow_filter is None else json.dumps(_filter(flow_filter, UnitFlowFilter).to_wire())


def _paths(paths: PathArg | None) -> str | None:
    """``measurementPaths``: the server's ``¶`` spelling, several joined with ``;``."""
    if paths is None:
        return None
    items = [paths] if isinstance(paths, str | StepPath) else list(paths)
    if not items:
        return None
    spelled = []
    for item in items:
        if not isinstance(item, str | StepPath):
            raise TypeError(f"a measurement path is a string or MeasurementPath, not {type(item).__name__}")
        path = MeasurementPath(item)
        if ";" in path.api_format:
            raise InvalidArgumentError(
                f"a measurement path cannot contain ';' (the server's separator): {path.display!r}"
            )
        spelled.append(path.api_format)
    return ";".join(spelled)


def _parse_flow(response: httpx.Response) -> UnitFlowResult:
    return UnitFlowResult.from_wire(json.loads(response.content))


class AsyncAnalyticsService(AsyncService):
    """Yield and volume, measurement statistics (Cpk), unit flow and alarm logs.

    Filters are :class:`WATSFilter` (or :class:`UnitFlowFilter` for unit flow); a dict of their
    fields is accepted too. Bad arguments raise ``ValueError``/``TypeError`` before any request.
    """

    # -- yield ---------------------------------------------------------------------------------

    @uses(dynamic_yield_op, query=("dimensions",))
    async def get_dynamic_yield(
        self, filter: WATSFilter | Mapping[str, Any] | None = None, dimensions: Any = None
    ) -> list[YieldData]:
        """Yield KPIs grouped by ``dimensions`` (a string or :class:`DimensionBuilder`, e.g.
        ``"unitCount desc;partNumber;period"``); the filter's own ``dimensions`` when not given.

        Uses ``POST /api/App/DynamicYield`` (the server calls it a preview).
        """
        body = _filter(filter, WATSFilter).to_wire()
        dims = dimensions.build() if hasattr(dimensions, "build") else dimensions
        if dims is not None and not isinstance(dims, str):
            raise TypeError(f"dimensions is a string or DimensionBuilder, not {type(dims).__name__}")
        kwargs = dynamic_yield_op.request_kwargs(body=body, dimensions=unset(dims or None))
        rows = await self._call_parsed(dynamic_yield_op, kwargs, parse_list(YieldData))
        return list(rows or [])

    @uses(dynamic_yield_op)
    async def get_yield(self, filter: WATSFilter | Mapping[str, Any] | None = None) -> YieldResult | None:
        """First-pass yield of what ``filter`` selects: ``yield_pct``, ``passed``, ``failed``, ``total``.

        Sums the rows of ``POST /api/App/DynamicYield`` (per part number and operation unless the
        filter names other dimensions). No tested units give ``total == 0`` and ``yield_pct == 0.0``.
        None only in LENIENT mode when the server answers with nothing.
        """
        body = _filter(filter, WATSFilter).to_wire()
        kwargs = dynamic_yield_op.request_kwargs(body=body)
        rows = await self._call_parsed(dynamic_yield_op, kwargs, parse_list(YieldData))
        return None if rows is None else YieldResult.of(rows)

    # -- measurements ----------------------------------------------------------------------------

    @uses(aggregated_op, query=("measurementPaths",))
    async def get_aggregated_measurements(
        self,
        filter: WATSFilter | Mapping[str, Any] | None = None,
        measurement_paths: PathArg | None = None,
    ) -> list[AggregatedMeasurement]:
        """Count, average, min, max, standard deviation, Cp and Cpk of numeric measurements.

        ``measurement_paths``: one path or several, written ``"Main/Power/3.3V Rail"`` (or with the
        server's ``¶``); a step with several measurements names one as ``"Main/Pulses::Q202 Vpp"``.
        Without paths the server picks the measurements. Uses ``POST /api/App/AggregatedMeasurements``.
        """
        body = _filter(filter, WATSFilter).to_wire()
        kwargs = aggregated_op.request_kwargs(body=body, measurement_paths=unset(_paths(measurement_paths)))
        found = await self._call_parsed(aggregated_op, kwargs, parse_list(AggregatedMeasurement))
        return list(found or [])

    # -- alarms ----------------------------------------------------------------------------------

    @uses(alarm_logs_op, query=("includeTypes",))
    async def get_alarm_logs(
        self,
        alarm_type: AlarmType | int | Iterable[AlarmType | int] | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        top_count: int | None = None,
        *,
        product_group: str | None = None,
        level: str | None = None,
    ) -> list[AlarmLog]:
        """⚠️ INTERNAL API: triggered alarms and notifications, newest first.

        ``alarm_type`` limits the kinds (one or several :class:`AlarmType`). Uses
        ``POST /api/internal/Trigger/GetAlarmAndNotificationLogs`` (unversioned; may change).
        """
        kinds: list[int] = []
        if alarm_type is not None:
            for kind in [alarm_type] if isinstance(alarm_type, int) else list(alarm_type):
                if isinstance(kind, bool) or not isinstance(kind, int):
                    raise TypeError(f"an alarm type is an AlarmType, not {kind!r}")
                kinds.append(int(AlarmType(kind)))
        if top_count is not None:
            positive("top_count", top_count)
        window = WATSFilter(start_date_time=date_from, end_date_time=date_to, top_count=top_count)
        body = window.model_copy(update={"product_group": product_group, "level": level}).to_wire()
        kwargs = alarm_logs_op.request_kwargs(
            body=body, include_types=unset_internal(";".join(map(str, kinds)) or None)
        )
        found = await self._call_parsed(alarm_logs_op, kwargs, parse_list(AlarmLog))
        return list(found or [])

    # -- unit flow -------------------------------------------------------------------------------

    async def _flow(self, flow_filter: UnitFlowFilter) -> UnitFlowResult | None:
        kwargs = unit_flow_op.request_kwargs(body=flow_filter.to_wire())
        return await self._call_parsed(unit_flow_op, kwargs, _parse_flow)

    @uses(unit_flow_op)
    async def get_unit_flow(self, filter: UnitFlowFilter | Mapping[str, Any] | None = None) -> UnitFlowResult | None:
        """⚠️ INTERNAL API: how units moved through the operations: ``nodes``, ``links``, ``units``.

        Uses ``POST /api/internal/UnitFlow`` (unversioned; may change). None only in LENIENT mode
        when the server answers with nothing.
        """
        return await self._flow(_filter(filter, UnitFlowFilter))

    @uses(unit_flow_op)
    async def get_bottlenecks(
        self, filter: UnitFlowFilter | Mapping[str, Any] | None = None, min_yield_threshold: float | None = None
    ) -> list[UnitFlowNode]:
        """⚠️ INTERNAL API: the operations units pile up at, most units first (then longest wait).

        With ``min_yield_threshold`` (a percentage), only operations whose yield is below it.
        Uses ``POST /api/internal/UnitFlow`` (unversioned; may change).
        """
        if min_yield_threshold is not None and not 0 <= min_yield_threshold <= 100:
            raise invalid("min_yield_threshold", min_yield_threshold, "a percentage 0..100")
        flow = await self._flow(_filter(filter, UnitFlowFilter))
        nodes = [n for n in (flow.nodes if flow else []) if n.unit_count]
        if min_yield_threshold is not None:
            nodes = [n for n in nodes if n.yield_pct < min_yield_threshold]
        return sorted(nodes, key=lambda n: (-n.unit_count, -(n.avg_time or 0.0), n.name))

    @uses(unit_flow_op)
    async def trace_serial_numbers(
        self,
        serial_numbers: Iterable[str] | UnitFlowFilter | Mapping[str, Any],
        filter: UnitFlowFilter | Mapping[str, Any] | None = None,
    ) -> UnitFlowResult | None:
        """⚠️ INTERNAL API: the flow of just these units (each unit's ``node_path``, ``status``, time).

        Give the serial numbers and optionally a filter, or a :class:`UnitFlowFilter` with
        ``serial_numbers``. Uses ``POST /api/internal/UnitFlow`` (unversioned; may change).
        """
        if isinstance(serial_numbers, UnitFlowFilter | Mapping):
            if filter is not None:
                raise TypeError("give the serial numbers and a filter, or one filter holding serial_numbers")
            flow_filter = _filter(serial_numbers, UnitFlowFilter)
        else:
            wanted = [serial_numbers] if isinstance(serial_numbers, str) else list(serial_numbers)
            flow_filter = _filter(filter, UnitFlowFilter).model_copy(update={"serial_numbers": wanted})
            flow_filter = UnitFlowFilter.model_validate(flow_filter.model_dump())
        if not flow_filter.serial_numbers:
            raise invalid("serial_numbers", [], "at least one serial number")
        return await self._flow(flow_filter)

    # -- server lists ----------------------------------------------------------------------------

    @uses(version_op)
    async def get_version(self) -> str | None:
        """The WATS server's version string (``GET /api/App/Version``); same as ``api.get_version()``."""
        return await self._call_parsed(version_op, version_op.request_kwargs(), parse_version)

    @uses(
        processes_op,
        query=("includeTestOperations", "includeRepairOperations", "includeWipOperations", "includeInactiveProcesses"),
    )
    async def get_processes(
        self,
        include_test_operations: bool | None = None,
        include_repair_operations: bool | None = None,
        include_wip_operations: bool | None = None,
        include_inactive_processes: bool | None = None,
    ) -> list[ProcessInfo]:
        """Processes (operation types) from ``GET /api/App/Processes``, read fresh (no cache).

        Without flags, the active test, repair and WIP operations; a ``True`` flag lists only the
        kinds flagged; ``include_inactive_processes`` adds inactive ones.
        """
        kwargs = processes_op.request_kwargs(
            include_test_operations=unset(include_test_operations),
            include_repair_operations=unset(include_repair_operations),
            include_wip_operations=unset(include_wip_operations),
            include_inactive_processes=unset(include_inactive_processes),
        )
        return list(await self._call_parsed(processes_op, kwargs, parse_list(ProcessInfo)) or [])

    @uses(levels_op)
    async def get_levels(self) -> list[LevelInfo]:
        """The levels (client groups such as production and development): ``GET /api/App/Levels``."""
        return list(await self._call_parsed(levels_op, levels_op.request_kwargs(), parse_list(LevelInfo)) or [])

    @uses(product_groups_op, query=("includeFilters",))
    async def get_product_groups(self, include_filters: bool | None = None) -> list[ProductGroup]:
        """The product groups (``GET /api/App/ProductGroups``); ``include_filters`` adds each
        group's product selection (as the extra field ``details``)."""
        kwargs = product_groups_op.request_kwargs(include_filters=unset(include_filters))
        return list(await self._call_parsed(product_groups_op, kwargs, parse_list(ProductGroup)) or [])

    # -- yield shortcuts and lists ------------------------------------------------------------------

    @uses(dynamic_yield_op, query=("dimensions",))
    async def get_yield_summary(self, part_number: str, revision: str | None = None, days: int = 30) -> list[YieldData]:
        """Daily yield of one product (and revision) over the last ``days``: one row per day and
        operation (``period``, ``test_operation``, ``fpy``...). Uses ``POST /api/App/DynamicYield``."""
        _days(days)
        f = WATSFilter(part_number=text("part_number", part_number), revision=revision, days=days)
        return await self.get_dynamic_yield(f, "partNumber;revision;testOperation;period")

    @uses(dynamic_yield_op, query=("dimensions",))
    async def get_station_yield(self, station_name: str, days: int = 7) -> list[YieldData]:
        """Yield of one test station over the last ``days``, one row per product and operation.
        Uses ``POST /api/App/DynamicYield``."""
        _days(days)
        f = WATSFilter(station=text("station_name", station_name), days=days)
        return await self.get_dynamic_yield(f, "stationName;partNumber;testOperation")

    async def _yield_list(self, op: Endpoint[Any], kwargs: dict[str, Any]) -> list[YieldData]:
        return list(await self._call_parsed(op, kwargs, parse_list(YieldData)) or [])

    @uses(volume_yield_op)
    async def get_volume_yield(
        self, filter_data: FilterArg = None, product_group: str | None = None, level: str | None = None
    ) -> list[YieldData]:
        """Volume and yield per product (``POST /api/App/VolumeYield``); the filter's
        ``period_count`` days (30 by default), ``product_group`` and ``level`` (several with ``;``)."""
        body = _body(filter_data, productGroup=product_group, level=level)
        return await self._yield_list(volume_yield_op, volume_yield_op.request_kwargs(body=body))

    @uses(worst_yield_op)
    async def get_worst_yield(
        self, filter_data: FilterArg = None, product_group: str | None = None, level: str | None = None
    ) -> list[YieldData]:
        """Products sorted by lowest first-pass yield (``POST /api/App/WorstYield``); the filter's
        ``top_count`` and ``min_count`` (fewest units to be listed) apply."""
        body = _body(filter_data, productGroup=product_group, level=level)
        return await self._yield_list(worst_yield_op, worst_yield_op.request_kwargs(body=body))

    @uses(worst_group_op)
    async def get_worst_yield_by_product_group(self, filter_data: FilterArg = None) -> list[YieldData]:
        """Product groups sorted by lowest first-pass yield (``POST /api/App/WorstYieldByProductGroup``);
        each row's ``productGroup`` is an extra field (``row.model_extra``)."""
        return await self._yield_list(worst_group_op, worst_group_op.request_kwargs(body=_body(filter_data)))

    @uses(high_volume_op)
    async def get_high_volume(
        self, filter_data: FilterArg = None, product_group: str | None = None, level: str | None = None
    ) -> list[YieldData]:
        """Products sorted by volume, most units first (``POST /api/App/HighVolume``)."""
        body = _body(filter_data, productGroup=product_group, level=level)
        return await self._yield_list(high_volume_op, high_volume_op.request_kwargs(body=body))

    @uses(high_volume_group_op)
    async def get_high_volume_by_product_group(self, filter_data: FilterArg = None) -> list[YieldData]:
        """Product groups sorted by volume (``POST /api/App/HighVolumeByProductGroup``)."""
        return await self._yield_list(
            high_volume_group_op, high_volume_group_op.request_kwargs(body=_body(filter_data))
        )

    # -- repairs ---------------------------------------------------------------------------------

    @uses(dynamic_repair_op, query=("dimensions",))
    async def get_dynamic_repair(self, filter_data: FilterArg = None, dimensions: Any = None) -> list[RepairStatistics]:
        """Repair counts by custom dimensions (``POST /api/App/DynamicRepair``, a preview), e.g.
        ``"repairCount desc;partNumber;repairCode"``; the filter's own ``dimensions`` when not given
        (the server's default: part number and repair operation)."""
        dims = dimensions.build() if hasattr(dimensions, "build") else dimensions
        if dims is not None and not isinstance(dims, str):
            raise invalid("dimensions", dims, "a string or DimensionBuilder")
        kwargs = dynamic_repair_op.request_kwargs(body=_body(filter_data), dimensions=unset(dims or None))
        return list(await self._call_parsed(dynamic_repair_op, kwargs, parse_list(RepairStatistics)) or [])

    @uses(repair_history_op)
    async def get_related_repair_history(self, part_number: str, revision: str) -> list[RepairHistoryRecord]:
        """The failures repaired on units of this product revision, newest first
        (``GET /api/App/RelatedRepairHistory``)."""
        kwargs = repair_history_op.request_kwargs(
            part_number=text("part_number", part_number), revision=text("revision", revision)
        )
        return list(await self._call_parsed(repair_history_op, kwargs, parse_list(RepairHistoryRecord)) or [])

    # -- steps -----------------------------------------------------------------------------------

    @uses(top_failed_op)
    async def get_top_failed(
        self,
        filter_data: FilterArg = None,
        product_group: str | None = None,
        level: str | None = None,
        part_number: str | None = None,
        revision: str | None = None,
        top_count: int | None = None,
    ) -> list[TopFailedStep]:
        """The steps that failed most often, most failures first (``POST /api/App/TopFailed``).

        The arguments narrow ``filter_data``; each step carries the ``step_filter`` and
        ``sequence_filter`` the measurement and step-status lists take.
        """
        if top_count is not None:
            positive("top_count", top_count)
        body = _body(
            filter_data,
            productGroup=product_group,
            level=level,
            partNumber=part_number,
            revision=revision,
            topCount=top_count,
        )
        return await self._top_failed(top_failed_op, top_failed_op.request_kwargs(body=body))

    async def _top_failed(self, op: Endpoint[Any], kwargs: dict[str, Any]) -> list[TopFailedStep]:
        return list(await self._call_parsed(op, kwargs, parse_list(TopFailedStep)) or [])

    async def _top_failed_internal(self, filter_data: FilterArg, top_count: int | None) -> list[TopFailedStep]:
        if top_count is not None:
            positive("top_count", top_count)
        kwargs = internal_top_failed_op.request_kwargs(body=_body(filter_data, topCount=top_count))
        return await self._top_failed(internal_top_failed_op, kwargs)

    @uses(internal_top_failed_op)
    async def get_top_failed_advanced(
        self, filter_data: FilterArg = None, top_count: int | None = None
    ) -> list[TopFailedStep]:
        """⚠️ INTERNAL API: the top failed steps by any WATS filter (``POST /api/internal/App/TopFailed``).

        The public :meth:`get_top_failed` answers the same; this is the internal form.
        """
        return await self._top_failed_internal(filter_data, top_count)

    @uses(internal_top_failed_op)
    async def get_top_failed_internal(
        self, filter_data: FilterArg = None, top_count: int | None = None
    ) -> list[TopFailedStep]:
        """⚠️ INTERNAL API: pyWATS 0.x's name of :meth:`get_top_failed_advanced`."""
        return await self._top_failed_internal(filter_data, top_count)

    @uses(top_failed_get_op)
    async def get_top_failed_by_product(
        self,
        part_number: str | None = None,
        process_code: str | int | None = None,
        product_group_id: str | int | None = None,
        level_id: str | int | None = None,
        days: int = 30,
        count: int = 10,
    ) -> list[TopFailedStep]:
        """The ``count`` steps that failed most often in the last ``days`` for a product, an
        operation, a product group or a level (``GET /api/App/TopFailed``; empty means any)."""
        kwargs = top_failed_get_op.request_kwargs(
            part_number=part_number or "",
            process_code=_code("process_code", process_code),
            product_group_id=_code("product_group_id", product_group_id),
            level_id=_code("level_id", level_id),
            days=_days(days),
            count=positive("count", count),
        )
        return list(await self._call_parsed(top_failed_get_op, kwargs, parse_list(TopFailedStep)) or [])

    @uses(step_analysis_op)
    async def get_test_step_analysis(self, filter_data: FilterArg = None) -> list[StepAnalysisRow]:
        """Per step of one product at one operation: runs, passes, failures and measurement
        statistics (``POST /api/App/TestStepAnalysis``, a preview). The filter must name
        ``part_number`` and ``test_operation``; the server looks at the last 30 days by default."""
        body = _body(filter_data)
        if not body.get("partNumber") or not body.get("testOperation"):
            raise invalid("filter_data", filter_data, "a filter naming part_number and test_operation")
        return await self._step_analysis(body)

    async def _step_analysis(self, body: dict[str, Any]) -> list[StepAnalysisRow]:
        kwargs = step_analysis_op.request_kwargs(body=body)
        return list(await self._call_parsed(step_analysis_op, kwargs, parse_list(StepAnalysisRow)) or [])

    @uses(step_analysis_op)
    async def get_test_step_analysis_for_operation(
        self,
        part_number: str,
        test_operation: str | int,
        revision: str | None = None,
        days: int = 30,
        run: int = 1,
        max_count: int = 10000,
    ) -> list[StepAnalysisRow]:
        """:meth:`get_test_step_analysis` of one product at one operation over the last ``days``;
        ``run`` picks each unit's run (1 first, 2, 3; -1 last; -2 all), ``max_count`` the reports."""
        if run not in (1, 2, 3, -1, -2):
            raise invalid("run", run, "1, 2, 3 (that run), -1 (the last) or -2 (all)")
        f = WATSFilter(
            part_number=text("part_number", part_number),
            test_operation=_code("test_operation", test_operation) or None,
            revision=revision,
            days=_days(days),
            max_count=positive("max_count", max_count),
        )
        return await self._step_analysis({**f.to_wire(), "run": run})

    @uses(measurements_op, query=("measurementPaths",))
    async def get_measurements(
        self, filter_data: FilterArg = None, measurement_paths: PathArg | None = None
    ) -> list[MeasurementData]:
        """Every value of numeric measurements, newest first, at most 10000
        (``POST /api/App/Measurements``, a preview); paths as in :meth:`get_aggregated_measurements`."""
        kwargs = measurements_op.request_kwargs(
            body=_body(filter_data), measurement_paths=unset(_paths(measurement_paths))
        )
        return list(await self._call_parsed(measurements_op, kwargs, parse_list(MeasurementData)) or [])

    async def _step_list(self, op: Endpoint[Any], model: type[M], kwargs: dict[str, Any]) -> list[M]:
        return list(await self._call_parsed(op, kwargs, parse_list(model)) or [])

    @uses(measurement_list_op)
    async def get_measurement_list(
        self, filter_data: FilterArg = None, step_filters: StepFilterArg = None, sequence_filters: str | None = None
    ) -> list[MeasurementListItem]:
        """⚠️ INTERNAL API: each measured value of the steps a top-failed row selects, newest first.

        ``step_filters`` is a :class:`TopFailedStep` (its filters are used) or its ``step_filter``
        XML, with ``sequence_filters`` its ``sequence_filter``. Uses
        ``POST /api/internal/App/MeasurementList`` (unversioned; may change).
        """
        filters = _step_filters(step_filters, sequence_filters)
        kwargs = measurement_list_op.request_kwargs(body=_body(filter_data), **filters)
        return await self._step_list(measurement_list_op, MeasurementListItem, kwargs)

    @uses(measurement_list_get_op)
    async def get_measurement_list_by_product(
        self,
        product_group_id: str | int | None = None,
        level_id: str | int | None = None,
        days: int = 30,
        step_filters: StepFilterArg = None,
        sequence_filters: str | None = None,
    ) -> list[MeasurementListItem]:
        """⚠️ INTERNAL API: :meth:`get_measurement_list` of a product group and level over the last
        ``days`` (``GET /api/internal/App/MeasurementList``; unversioned, may change)."""
        window = _product_window(product_group_id, level_id, days)
        kwargs = measurement_list_get_op.request_kwargs(**window, **_step_filters(step_filters, sequence_filters))
        return await self._step_list(measurement_list_get_op, MeasurementListItem, kwargs)

    @uses(step_status_list_op)
    async def get_step_status_list(
        self, filter_data: FilterArg = None, step_filters: StepFilterArg = None, sequence_filters: str | None = None
    ) -> list[StepStatusItem]:
        """⚠️ INTERNAL API: the status of each execution of the steps a top-failed row selects.

        Arguments as :meth:`get_measurement_list`. Uses ``POST /api/internal/App/StepStatusList``
        (unversioned; may change).
        """
        filters = _step_filters(step_filters, sequence_filters)
        kwargs = step_status_list_op.request_kwargs(body=_body(filter_data), **filters)
        return await self._step_list(step_status_list_op, StepStatusItem, kwargs)

    @uses(step_status_list_get_op)
    async def get_step_status_list_by_product(
        self,
        product_group_id: str | int | None = None,
        level_id: str | int | None = None,
        days: int = 30,
        step_filters: StepFilterArg = None,
        sequence_filters: str | None = None,
    ) -> list[StepStatusItem]:
        """⚠️ INTERNAL API: :meth:`get_step_status_list` of a product group and level over the last
        ``days`` (``GET /api/internal/App/StepStatusList``; unversioned, may change)."""
        window = _product_window(product_group_id, level_id, days)
        kwargs = step_status_list_get_op.request_kwargs(**window, **_step_filters(step_filters, sequence_filters))
        return await self._step_list(step_status_list_get_op, StepStatusItem, kwargs)

    # -- OEE, history, report lists ------------------------------------------------------------------

    @uses(oee_op, query=("targetOutput", "minExecutionTime", "maxExecutionTime"))
    async def get_oee_analysis(
        self,
        filter_data: FilterArg = None,
        available_time: str | Iterable[float] = "24,24,24,24,24,24,24",
        target_output: int | None = None,
        min_execution_time: int | None = None,
        max_execution_time: int | None = None,
    ) -> OeeAnalysisResult | None:
        """Overall equipment effectiveness of the selected tests (``POST /api/App/OeeAnalysis``).

        ``available_time``: the hours available each weekday, Monday first (7 numbers, or the
        server's ``"24,24,24,24,24,24,24"``); ``target_output``: units a day for the performance
        figure; execution times in seconds bound the runs counted.
        """
        hours = available_time if isinstance(available_time, str) else ",".join(f"{h:g}" for h in available_time)
        if len(hours.split(",")) != 7:
            raise invalid("available_time", available_time, "7 hours, one per weekday (Monday first)")
        kwargs = oee_op.request_kwargs(
            body=_body(filter_data),
            available_time=hours,
            target_output=unset(target_output),
            min_execution_time=unset(min_execution_time),
            max_execution_time=unset(max_execution_time),
        )
        return await self._call_parsed(oee_op, kwargs, parse_model(OeeAnalysisResult))

    @uses(sn_history_op)
    async def get_serial_number_history(self, filter_data: FilterArg = None) -> list[SerialNumberHistoryRow]:
        """The test runs of units, newest first (``POST /api/App/SerialNumberHistory``): filter by
        ``serial_number``, ``part_number``, ``batch_number``, ``misc_value``, product group, level."""
        kwargs = sn_history_op.request_kwargs(body=_body(filter_data))
        return list(await self._call_parsed(sn_history_op, kwargs, parse_list(SerialNumberHistoryRow)) or [])

    @uses(uut_reports_op)
    async def get_uut_reports(
        self,
        filter_data: FilterArg = None,
        product_group: str | None = None,
        level: str | None = None,
        part_number: str | None = None,
        revision: str | None = None,
        serial_number: str | None = None,
        status: str | None = None,
        top_count: int | None = None,
    ) -> list[ReportListItem]:
        """Headers of the newest test (UUT) reports the filter selects, 1000 unless ``top_count``
        (``POST /api/App/UutReport``). Not meant for production control: use ``api.production``."""
        if top_count is not None:
            positive("top_count", top_count)
        body = _body(
            filter_data,
            productGroup=product_group,
            level=level,
            partNumber=part_number,
            revision=revision,
            serialNumber=serial_number,
            status=status,
            topCount=top_count,
        )
        kwargs = uut_reports_op.request_kwargs(body=body)
        return list(await self._call_parsed(uut_reports_op, kwargs, parse_list(ReportListItem)) or [])

    @uses(uur_reports_op)
    async def get_uur_reports(self, filter_data: FilterArg = None) -> list[ReportListItem]:
        """Headers of the newest repair (UUR) reports the filter selects (``POST /api/App/UurReport``)."""
        kwargs = uur_reports_op.request_kwargs(body=_body(filter_data))
        return list(await self._call_parsed(uur_reports_op, kwargs, parse_list(ReportListItem)) or [])

    # -- unit flow: the session's flow, split and unit order -------------------------------------------

    async def _flow_part(self, op: Endpoint[Any], kwargs: dict[str, Any]) -> list[Any]:
        found = await self._call_parsed(op, kwargs, json_body)
        return found if isinstance(found, list) else []

    @uses(flow_nodes_op)
    async def get_flow_nodes(self, filter: FlowArg = None) -> list[UnitFlowNode]:
        """⚠️ INTERNAL API: the operations of the current unit flow (this session's last query,
        split and order; or of ``filter``). Uses ``GET /api/internal/UnitFlow/Nodes`` (unversioned)."""
        return UnitFlowResult.from_wire(
            {"nodes": await self._flow_part(flow_nodes_op, flow_nodes_op.request_kwargs(filter_=_flow_text(filter)))}
        ).nodes

    @uses(flow_links_op, flow_nodes_op)
    async def get_flow_links(self, filter: FlowArg = None) -> list[UnitFlowLink]:
        """⚠️ INTERNAL API: the transitions of the current unit flow, with the operations' names.
        Uses ``GET /api/internal/UnitFlow/Links`` and ``/Nodes`` (unversioned; may change)."""
        links = await self._flow_part(flow_links_op, flow_links_op.request_kwargs(filter_=_flow_text(filter)))
        nodes = await self._flow_part(flow_nodes_op, flow_nodes_op.request_kwargs(filter_=_flow_text(filter)))
        return UnitFlowResult.from_wire({"nodes": nodes, "links": links}).links

    @uses(flow_units_op, flow_nodes_op)
    async def get_flow_units(self, filter: FlowArg = None) -> list[UnitFlowUnit]:
        """⚠️ INTERNAL API: the units of the current unit flow, in the session's unit order.
        Uses ``GET /api/internal/UnitFlow/Units`` and ``/Nodes`` (unversioned; may change)."""
        units = await self._flow_part(flow_units_op, flow_units_op.request_kwargs(filter_=_flow_text(filter)))
        nodes = await self._flow_part(flow_nodes_op, flow_nodes_op.request_kwargs(filter_=_flow_text(filter)))
        return UnitFlowResult.from_wire({"nodes": nodes, "units": units}).units

    @uses(split_by_op)
    async def split_flow_by(self, dimension: str | Dimension, filter_data: FlowArg = None) -> UnitFlowResult | None:
        """⚠️ INTERNAL API: split each operation of the flow by ``dimension`` (a :class:`Dimension`
        such as ``"stationName"``); the split stays for this session's ``get_flow_*`` until the
        next :meth:`get_unit_flow`. Without ``filter_data``, the session's last query.
        Uses ``POST /api/internal/UnitFlow/SplitBy`` (unversioned; may change)."""
        split = one_of("dimension", dimension, Dimension).value
        body = {
            **(_filter(filter_data, UnitFlowFilter).to_wire() if filter_data is not None else {}),
            "dimensions": split,
        }
        return await self._call_parsed(split_by_op, split_by_op.request_kwargs(body=body), _parse_flow)

    @uses(flow_units_op, unit_order_op, flow_nodes_op)
    async def set_unit_order(self, order_by: str = "serialNumber", filter_data: FlowArg = None) -> list[UnitFlowUnit]:
        """⚠️ INTERNAL API: order the flow's units by ``order_by`` (``serialNumber``, ``partNumber``,
        ``startUtc`` or ``unitId``; ``" desc"`` after it reverses) for this session's ``get_flow_units``.

        Uses ``GET /api/internal/UnitFlow/Units``, ``POST .../UnitOrder`` and ``GET .../Nodes``
        (unversioned; may change). Gives the units in their new order.
        """
        words = order_by.split() if isinstance(order_by, str) else []
        key = _UNIT_ORDER.get(words[0].lower()) if words else None
        if key is None or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise invalid(
                "order_by", order_by, f"one of {', '.join(sorted(set(_UNIT_ORDER.values())))}, optionally ' desc'"
            )
        transitions = await self._flow_part(
            flow_units_op, flow_units_op.request_kwargs(filter_=_flow_text(filter_data))
        )
        first: dict[Any, dict[str, Any]] = {}
        for t in transitions:
            if isinstance(t, dict):
                first.setdefault(t.get("unitId"), t)
        units = sorted(first.values(), key=lambda t: str(t.get(key) or ""), reverse=words[-1].lower() == "desc")
        kwargs = unit_order_op.request_kwargs(body=[{k: u.get(k) for k in _UNIT_FIELDS} for u in units])
        ordered = await self._call_parsed(unit_order_op, kwargs, json_body)
        nodes = await self._flow_part(flow_nodes_op, flow_nodes_op.request_kwargs(filter_=_flow_text(None)))
        return UnitFlowResult.from_wire({"nodes": nodes, "units": ordered or []}).units

    @uses(unit_flow_op)
    async def get_flow_summary(self, filter_data: FlowArg = None) -> UnitFlowSummary:
        """⚠️ INTERNAL API: the totals of the unit flow ``filter_data`` selects: units, passed,
        failed, operations, transitions. Uses ``POST /api/internal/UnitFlow`` (unversioned)."""
        flow = await self._flow(_filter(filter_data, UnitFlowFilter))
        return UnitFlowSummary.of(flow or UnitFlowResult())

    @uses()
    async def set_unit_flow_visibility(
        self,
        show_operations: Iterable[Any] | None = None,
        hide_operations: Iterable[Any] | None = None,
        filter_data: FlowArg = None,
    ) -> None:
        """Not available: the WATS API documents no operation to show or hide unit-flow operations.

        Raises :class:`NoDocumentedOperationError`; filter the nodes of :meth:`get_flow_nodes` instead.
        """
        raise NoDocumentedOperationError.for_method(
            "set_unit_flow_visibility",
            "show or hide unit-flow operations",
            "filter the nodes of get_flow_nodes() instead",
        )

    @uses()
    async def show_operations(self, operation_ids: Iterable[Any], filter_data: FlowArg = None) -> None:
        """Not available: the WATS API documents no operation to show unit-flow operations.

        Raises :class:`NoDocumentedOperationError`.
        """
        raise NoDocumentedOperationError.for_method(
            "show_operations", "show unit-flow operations", "filter the nodes of get_flow_nodes() instead"
        )

    @uses()
    async def hide_operations(self, operation_ids: Iterable[Any], filter_data: FlowArg = None) -> None:
        """Not available: the WATS API documents no operation to hide unit-flow operations.

        Raises :class:`NoDocumentedOperationError`; filter the nodes of :meth:`get_flow_nodes` instead.
        """
        raise NoDocumentedOperationError.for_method(
            "hide_operations", "hide unit-flow operations", "filter the nodes of get_flow_nodes() instead"
        )

    @uses()
    async def expand_operations(self, expand: bool = True, filter_data: FlowArg = None) -> None:
        """Not available: the WATS API documents no operation to expand unit-flow operations.

        Raises :class:`NoDocumentedOperationError`; :meth:`split_flow_by` splits operations by a dimension.
        """
        raise NoDocumentedOperationError.for_method(
            "expand_operations", "expand unit-flow operations", "split_flow_by(dimension) splits them"
        )
