# DO NOT EDIT — generated from pywats/domains/analytics/async_service.py by `python -m pywats._unasync`.
"""The Analytics service: yield, measurement statistics, unit flow and alarm logs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import httpx
from wats_internal.api.trigger import trigger_get_alarm_and_notification_logs_post as alarm_logs_op
from wats_internal.api.unit_flow import unit_flow_get_unit_flow as unit_flow_op
from wats_public.api.app import app_aggregated_measurements as aggregated_op
from wats_public.api.app import app_dynamic_yield as dynamic_yield_op

from ..._sync.service import SyncService
from ...core.binding import uses
from ...core.exceptions import InvalidArgumentError
from ...core.wire import invalid, parse_list, positive, unset, unset_internal
from .enums import AlarmType, MeasurementPath, StepPath
from .models import (
    AggregatedMeasurement,
    AlarmLog,
    UnitFlowFilter,
    UnitFlowNode,
    UnitFlowResult,
    WATSFilter,
    YieldData,
    YieldResult,
)

__all__ = ["AnalyticsService"]

PathArg = str | StepPath | Iterable[str | StepPath]
F = TypeVar("F", WATSFilter, UnitFlowFilter)


def _filter(value: F | Mapping[str, Any] | None, kind: type[F]) -> F:
    """The filter given, as ``kind``: itself, built from a dict of its fields, or the empty filter."""
    if value is None:
        return kind()
    if isinstance(value, kind):
        return value
    if isinstance(value, Mapping):
        return kind(**value)
    raise TypeError(f"a filter is a {kind.__name__} (or a dict of its fields), not {type(value).__name__}")


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


class AnalyticsService(SyncService):
    """Yield and volume, measurement statistics (Cpk), unit flow and alarm logs.

    Filters are :class:`WATSFilter` (or :class:`UnitFlowFilter` for unit flow); a dict of their
    fields is accepted too. Bad arguments raise ``ValueError``/``TypeError`` before any request.
    """

    # -- yield ---------------------------------------------------------------------------------

    @uses(dynamic_yield_op, query=("dimensions",))
    def get_dynamic_yield(
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
        rows = self._call_parsed(dynamic_yield_op, kwargs, parse_list(YieldData))
        return list(rows or [])

    @uses(dynamic_yield_op)
    def get_yield(self, filter: WATSFilter | Mapping[str, Any] | None = None) -> YieldResult | None:
        """First-pass yield of what ``filter`` selects: ``yield_pct``, ``passed``, ``failed``, ``total``.

        Sums the rows of ``POST /api/App/DynamicYield`` (per part number and operation unless the
        filter names other dimensions). No tested units give ``total == 0`` and ``yield_pct == 0.0``.
        None only in LENIENT mode when the server answers with nothing.
        """
        body = _filter(filter, WATSFilter).to_wire()
        kwargs = dynamic_yield_op.request_kwargs(body=body)
        rows = self._call_parsed(dynamic_yield_op, kwargs, parse_list(YieldData))
        return None if rows is None else YieldResult.of(rows)

    # -- measurements ----------------------------------------------------------------------------

    @uses(aggregated_op, query=("measurementPaths",))
    def get_aggregated_measurements(
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
        found = self._call_parsed(aggregated_op, kwargs, parse_list(AggregatedMeasurement))
        return list(found or [])

    # -- alarms ----------------------------------------------------------------------------------

    @uses(alarm_logs_op, query=("includeTypes",))
    def get_alarm_logs(
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
        found = self._call_parsed(alarm_logs_op, kwargs, parse_list(AlarmLog))
        return list(found or [])

    # -- unit flow -------------------------------------------------------------------------------

    def _flow(self, flow_filter: UnitFlowFilter) -> UnitFlowResult | None:
        kwargs = unit_flow_op.request_kwargs(body=flow_filter.to_wire())
        return self._call_parsed(unit_flow_op, kwargs, _parse_flow)

    @uses(unit_flow_op)
    def get_unit_flow(self, filter: UnitFlowFilter | Mapping[str, Any] | None = None) -> UnitFlowResult | None:
        """⚠️ INTERNAL API: how units moved through the operations: ``nodes``, ``links``, ``units``.

        Uses ``POST /api/internal/UnitFlow`` (unversioned; may change). None only in LENIENT mode
        when the server answers with nothing.
        """
        return self._flow(_filter(filter, UnitFlowFilter))

    @uses(unit_flow_op)
    def get_bottlenecks(
        self, filter: UnitFlowFilter | Mapping[str, Any] | None = None, min_yield_threshold: float | None = None
    ) -> list[UnitFlowNode]:
        """⚠️ INTERNAL API: the operations units pile up at, most units first (then longest wait).

        With ``min_yield_threshold`` (a percentage), only operations whose yield is below it.
        Uses ``POST /api/internal/UnitFlow`` (unversioned; may change).
        """
        if min_yield_threshold is not None and not 0 <= min_yield_threshold <= 100:
            raise invalid("min_yield_threshold", min_yield_threshold, "a percentage 0..100")
        flow = self._flow(_filter(filter, UnitFlowFilter))
        nodes = [n for n in (flow.nodes if flow else []) if n.unit_count]
        if min_yield_threshold is not None:
            nodes = [n for n in nodes if n.yield_pct < min_yield_threshold]
        return sorted(nodes, key=lambda n: (-n.unit_count, -(n.avg_time or 0.0), n.name))

    @uses(unit_flow_op)
    def trace_serial_numbers(
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
        return self._flow(flow_filter)
