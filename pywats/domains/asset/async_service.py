"""The Asset service: equipment, types, hierarchy, states, counts, calibration, maintenance, log, files."""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import json
import os
from collections.abc import AsyncGenerator, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import httpx
from wats_internal.api.asset import asset_get_asset_internal, asset_put_asset_internal
from wats_internal.api.blob import blob_asset_delete_files, blob_asset_get_file, blob_asset_list, blob_asset_post_file
from wats_public.api.asset import (
    asset_delete_asset,
    asset_get_asset_by_asset_id,
    asset_get_asset_by_serial_number,
    asset_get_asset_children,
    asset_get_asset_log,
    asset_get_asset_status,
    asset_get_asset_types,
    asset_get_assets,
    asset_post_asset_message,
    asset_post_calibration,
    asset_post_maintenance,
    asset_put_asset,
    asset_put_asset_count,
    asset_put_asset_state,
    asset_put_asset_type,
    asset_reset_running_count,
)
from wats_public.models.asset_message import AssetMessage

from ..._async.service import AsyncService
from ...core.binding import Endpoint, uses
from ...core.exceptions import InvalidArgumentError, InvalidResponseError
from ...core.wire import (
    aliases,
    count,
    ignore_body,
    invalid,
    json_object,
    moment,
    odata_params,
    parse_list,
    parse_model,
    text,
    unset,
)
from .models import Asset, AssetAlarmState, AssetFile, AssetLog, AssetState, AssetType

__all__ = ["AsyncAssetService"]

_CHUNK = 64 * 1024
AssetId = str | UUID
Content = bytes | bytearray | memoryview | IO[bytes] | Iterable[bytes]


@dataclass(frozen=True)
class _Service:
    """Calibration or maintenance: the operation recording one, and where its next due date is kept."""

    endpoint: Any  # asset_post_calibration or asset_post_maintenance: the same query parameters
    date_arg: str
    due_field: str


_CALIBRATION = _Service(asset_post_calibration, "calibration_date", "nextCalibrationDate")
_MAINTENANCE = _Service(asset_post_maintenance, "maintenance_date", "nextMaintenanceDate")

# The operations ``_edit_entity`` calls, for the ``@uses`` of the methods that edit through it.
_EDITS: tuple[Endpoint[Any], ...] = (
    asset_get_asset_by_serial_number,
    asset_get_asset_internal,
    asset_put_asset_internal,
)


def _file_body(response: httpx.Response) -> bytes:
    """A file as the server sends it: raw bytes, or a ``byte[]`` serialised as a base64 JSON string."""
    if "json" in response.headers.get("Content-Type", "") and response.content.lstrip()[:1] == b'"':
        try:
            return base64.b64decode(json.loads(response.content), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"the file is a JSON string but not base64: {exc}") from exc
    return response.content


def _who(asset_id: AssetId | None, serial_number: str | None) -> dict[str, Any]:
    """The ``id`` / ``serial_number`` arguments of an operation; one of them must be given."""
    if asset_id is None and serial_number is None:
        raise invalid("asset_id or serial_number", None, "given to name the asset")
    if asset_id is not None:
        if not isinstance(asset_id, str | UUID) or not str(asset_id).strip():
            raise invalid("asset_id", asset_id, "a non-empty string or UUID")
        return {"id": str(asset_id)}
    return {"serial_number": text("serial_number", serial_number)}


def _status_dict(raw: dict[str, Any]) -> dict[str, Any]:
    """The server's status fields plus snake_case keys."""
    level = raw.get("alarmState")
    alarm = AssetAlarmState(level) if level in (0, 1, 2) else None
    state = raw.get("state")
    return {
        **raw,
        "state": AssetState(state) if isinstance(state, int) and state in range(7) else state,
        "alarm_state": alarm,
        "in_warning": alarm is AssetAlarmState.WARNING,
        "in_alarm": alarm is AssetAlarmState.ALARM,
        "calibration_due": raw.get("calibrationDue"),
        "maintenance_due": raw.get("maintenanceDue"),
        "count_percentage": raw.get("countPercentage"),
        "message": raw.get("message"),
    }


def _alarm_state(state: Any) -> AssetAlarmState:
    """An alarm status given as ``AssetAlarmState``, its number (0-2) or its name (``"alarm"``)."""
    if isinstance(state, str) and state.strip().upper() in AssetAlarmState.__members__:
        return AssetAlarmState[state.strip().upper()]
    if isinstance(state, int) and not isinstance(state, bool) and state in range(3):
        return AssetAlarmState(state)
    raise invalid("state", state, "an AssetAlarmState (OK, WARNING, ALARM), 0-2 or its name")


async def _chunks(source: IO[bytes] | Iterable[bytes]) -> AsyncGenerator[bytes, None]:
    """The upload body in pieces, so a large file is never held whole in memory."""
    if hasattr(source, "read"):
        while True:
            chunk = source.read(_CHUNK)
            if not chunk:
                return
            yield bytes(chunk)
    else:
        for chunk in source:
            if not isinstance(chunk, bytes | bytearray | memoryview):
                raise TypeError(f"file content chunks must be bytes, not {type(chunk).__name__}")
            yield bytes(chunk)


class AsyncAssetService(AsyncService):
    """Assets (``api.asset``): stations, instruments, fixtures and tools, with their limits and history.

    Most methods name the asset with ``asset_id`` or ``serial_number`` (one is required). A
    missing asset is ``NotFoundError`` in STRICT mode; in LENIENT mode lookups give ``None`` and
    actions give ``False``.
    """

    # -- assets --------------------------------------------------------------------------------

    @uses(asset_get_assets, query=("$filter", "$top"))
    @aliases(filter_str="odata_filter")
    async def get_assets(self, odata_filter: str | None = None, top: int | None = None) -> list[Asset]:
        """Assets matching an OData ``odata_filter`` (e.g. ``"contains(location,'Lab A')"``), at most ``top``.

        The server returns at most 1000 unless ``top`` says otherwise. ``filter_str`` is another
        name for ``odata_filter``.
        """
        kwargs = asset_get_assets.request_kwargs(**odata_params(odata_filter, top))
        return await self._call_parsed(asset_get_assets, kwargs, parse_list(Asset)) or []

    @uses(asset_get_asset_by_asset_id)
    async def get_asset(self, identifier: AssetId) -> Asset | None:
        """The asset with this id (UUID) or, failing that, this serial number.

        ``GET /api/Asset/{assetId}`` and ``GET /api/Asset/{serialNumber}`` are one URL; the
        server resolves the identifier.
        """
        key = str(identifier).strip() if isinstance(identifier, str | UUID) else ""
        if not key:
            raise invalid("identifier", identifier, "an asset id or serial number")
        kwargs = asset_get_asset_by_asset_id.request_kwargs(asset_id=key)
        return await self._call_parsed(
            asset_get_asset_by_asset_id, kwargs, parse_model(Asset), resource_type="asset", identifier=key
        )

    @uses(asset_get_asset_by_serial_number)
    async def get_asset_by_serial(self, serial_number: str) -> Asset | None:
        """The asset with this serial number."""
        _who(None, serial_number)
        return await self._fetch(serial_number)

    async def _fetch(self, key: str) -> Asset | None:
        kwargs = asset_get_asset_by_serial_number.request_kwargs(serial_number=key)
        return await self._call_parsed(
            asset_get_asset_by_serial_number, kwargs, parse_model(Asset), resource_type="asset", identifier=key
        )

    @uses(asset_put_asset)
    async def create_asset(
        self,
        serial_number: str,
        type_id: AssetId,
        asset_name: str | None = None,
        description: str | None = None,
        location: str | None = None,
        part_number: str | None = None,
        revision: str | None = None,
        state: AssetState | int | None = None,
        parent_serial_number: str | None = None,
        parent_asset_id: AssetId | None = None,
        total_count: int | None = None,
        running_count: int | None = None,
        **fields: Any,
    ) -> Asset | None:
        """Create an asset (``PUT /api/Asset``); returns it as the server stored it.

        The server creates or updates by serial number: an existing serial number is updated.
        Counts start at 0 (``total_count``/``running_count`` may only be 0 here; use
        :meth:`set_total_count` after). ``fields`` are further server fields (camelCase or
        snake_case). Link a parent with ``parent_serial_number`` or ``parent_asset_id``.
        """
        for name, value in (("total_count", total_count), ("running_count", running_count)):
            if value not in (None, 0):
                raise InvalidArgumentError(
                    f"{name} cannot be set when creating an asset (it starts at 0), not {value!r}; use set_total_count"
                )
        if not isinstance(type_id, str | UUID):
            raise invalid("type_id", type_id, "the asset type's UUID")
        asset = Asset.model_validate(
            {
                "serial_number": serial_number,
                "type_id": type_id,
                "asset_name": asset_name,
                "description": description,
                "location": location,
                "part_number": part_number,
                "revision": revision,
                "parent_serial_number": parent_serial_number,
                "parent_asset_id": parent_asset_id,
                **({"state": state} if state is not None else {}),
                **fields,
            }
        )
        _who(None, asset.serial_number)
        return await self._put(asset)

    async def _put(self, asset: Asset) -> Asset | None:
        if asset.type_id is None:
            raise invalid("asset.type_id", None, f"the asset type's UUID (asset {asset.serial_number!r})")
        body = asset.to_wire()
        if "state" in body:
            body["state"] = int(asset.state)
        return await self._call_parsed(asset_put_asset, asset_put_asset.request_kwargs(body=body), parse_model(Asset))

    @uses(asset_put_asset)
    async def update_asset(self, asset: Asset) -> Asset | None:
        """Save an asset's changed fields (name, location, state, parent...); returns it as stored.

        Counts and calibration/maintenance dates change only through their own methods.
        """
        if not isinstance(asset, Asset):
            raise TypeError(f"update_asset takes an Asset, not {type(asset).__name__}")
        return await self._put(asset)

    @uses(asset_delete_asset, query=("id", "serialNumber"))
    async def delete_asset(self, asset_id: AssetId | None = None, serial_number: str | None = None) -> bool:
        """Delete an asset and its log; its children move to its parent. False (LENIENT) if none."""
        kwargs = asset_delete_asset.request_kwargs(**_who(asset_id, serial_number))
        result = await self._call_parsed(asset_delete_asset, kwargs, ignore_body, expect_data=False)
        return bool(result)

    # -- types ---------------------------------------------------------------------------------

    @uses(asset_get_asset_types)
    async def get_asset_types(self) -> list[AssetType]:
        """Every asset type, by name."""
        kwargs = asset_get_asset_types.request_kwargs()
        types = await self._call_parsed(asset_get_asset_types, kwargs, parse_list(AssetType))
        return types or []

    @uses(asset_put_asset_type)
    async def create_asset_type(
        self,
        type_name: str,
        calibration_interval: float | None = None,
        maintenance_interval: float | None = None,
        running_count_limit: int | None = None,
        total_count_limit: int | None = None,
        warning_threshold: float | None = None,
        alarm_threshold: float | None = None,
        **fields: Any,
    ) -> AssetType | None:
        """Create an asset type (intervals in days; thresholds as the server keeps them)."""
        text("type_name", type_name)
        kind = AssetType.model_validate(
            {
                "type_name": type_name,
                "calibration_interval": calibration_interval,
                "maintenance_interval": maintenance_interval,
                "running_count_limit": running_count_limit,
                "total_count_limit": total_count_limit,
                "warning_threshold": warning_threshold,
                "alarm_threshold": alarm_threshold,
                **fields,
            }
        )
        body = kind.to_wire()
        kwargs = asset_put_asset_type.request_kwargs(body=body)
        return await self._call_parsed(asset_put_asset_type, kwargs, parse_model(AssetType))

    # -- hierarchy -----------------------------------------------------------------------------

    @uses(asset_get_asset_children, query=("id", "serialNumber", "level"))
    @aliases(parent_serial_number="parent_serial")
    async def get_child_assets(
        self, parent_id: AssetId | None = None, parent_serial: str | None = None, level: int | None = None
    ) -> list[Asset]:
        """The sub-assets of a parent: all levels (``level`` None or 0) or ``level`` levels deep."""
        if level is not None:
            count("level", level)
        kwargs = asset_get_asset_children.request_kwargs(**_who(parent_id, parent_serial), level=unset(level))
        return await self._call_parsed(asset_get_asset_children, kwargs, parse_list(Asset)) or []

    @uses(asset_put_asset)
    @aliases(parent_serial_number="parent_serial")
    async def add_child_asset(
        self,
        parent_serial: str,
        child_serial: str,
        child_type_id: AssetId,
        child_name: str | None = None,
        description: str | None = None,
        part_number: str | None = None,
        **fields: Any,
    ) -> Asset | None:
        """Create an asset under the parent with serial number ``parent_serial``."""
        _who(None, parent_serial)
        return await self.create_asset(
            serial_number=child_serial,
            type_id=child_type_id,
            asset_name=child_name,
            description=description,
            part_number=part_number,
            parent_serial_number=parent_serial,
            **fields,
        )

    # -- state and status ----------------------------------------------------------------------

    async def _status(self, asset_id: AssetId | None, serial_number: str | None) -> dict[str, Any] | None:
        kwargs = asset_get_asset_status.request_kwargs(**_who(asset_id, serial_number))
        raw = await self._call_parsed(
            asset_get_asset_status, kwargs, json_object, resource_type="asset", identifier=asset_id or serial_number
        )
        return None if raw is None else _status_dict(raw)

    @uses(asset_get_asset_status, query=("id", "serialNumber"))
    async def get_status(
        self, asset_id: AssetId | None = None, serial_number: str | None = None
    ) -> dict[str, Any] | None:
        """The asset's status: the server's fields plus ``state``, ``alarm_state``, ``in_warning``,
        ``in_alarm``, ``calibration_due``, ``maintenance_due``, ``count_percentage``, ``message``."""
        return await self._status(asset_id, serial_number)

    @uses(asset_get_asset_by_serial_number)
    async def get_asset_state(
        self, asset_id: AssetId | None = None, serial_number: str | None = None
    ) -> AssetState | None:
        """The asset's operational state."""
        who = _who(asset_id, serial_number)
        asset = await self._fetch(next(iter(who.values())))
        return None if asset is None else asset.state

    @uses(asset_put_asset_state, query=("id", "serialNumber"))
    async def set_asset_state(
        self,
        asset_id: AssetId | None = None,
        serial_number: str | None = None,
        state: AssetState | int | None = None,
    ) -> bool:
        """Set the operational state (``AssetState.IN_OPERATION``, ``IN_MAINTENANCE``, ...)."""
        if isinstance(state, bool) or not isinstance(state, int) or state not in range(7):
            raise InvalidArgumentError(
                f"state must be an AssetState (0-6: UNKNOWN, IN_OPERATION/OK, IN_TRANSIT, IN_MAINTENANCE/WARNING, "
                f"IN_CALIBRATION, IN_STORAGE, SCRAPPED), not {state!r}; alarms are a status, not a state"
            )
        kwargs = asset_put_asset_state.request_kwargs(state=int(state), **_who(asset_id, serial_number))
        return bool(await self._call_parsed(asset_put_asset_state, kwargs, ignore_body, expect_data=False))

    @uses(asset_get_asset_status, query=("id", "serialNumber"))
    async def is_in_alarm(self, asset_id: AssetId | None = None, serial_number: str | None = None) -> bool:
        """True if the asset's status is alarm (a limit or due date passed)."""
        status = await self._status(asset_id, serial_number)
        return bool(status and status["in_alarm"])

    @uses(asset_get_asset_status, query=("id", "serialNumber"))
    async def is_in_warning(self, asset_id: AssetId | None = None, serial_number: str | None = None) -> bool:
        """True if the asset's status is warning (a limit or due date is near)."""
        status = await self._status(asset_id, serial_number)
        return bool(status and status["in_warning"])

    @uses(asset_get_assets, asset_get_asset_status, query=("$top", "id"))
    async def get_assets_with_alarm_state(
        self, alarm_states: Iterable[AssetAlarmState | int], top: int | None = None
    ) -> list[Asset]:
        """Assets (of the first ``top``) whose status is one of ``alarm_states``; one status call per asset."""
        wanted = {AssetAlarmState(s) for s in alarm_states}
        kwargs = asset_get_assets.request_kwargs(**odata_params(top=top))
        found = []
        for asset in await self._call_parsed(asset_get_assets, kwargs, parse_list(Asset)) or []:
            status = await self._status(asset.asset_id, None)
            if status is not None and status["alarm_state"] in wanted:
                found.append(asset)
        return found

    @uses(asset_get_assets, asset_get_asset_status, query=("$top", "id"))
    async def get_assets_in_alarm(self, top: int | None = None) -> list[Asset]:
        """Assets (of the first ``top``) in alarm: a count limit reached or a due date passed."""
        return await self.get_assets_with_alarm_state([AssetAlarmState.ALARM], top)

    @uses(asset_get_assets, asset_get_asset_status, query=("$top", "id"))
    async def get_assets_in_warning(self, top: int | None = None) -> list[Asset]:
        """Assets (of the first ``top``) in warning: a count limit or due date is near."""
        return await self.get_assets_with_alarm_state([AssetAlarmState.WARNING], top)

    @uses(asset_get_assets, asset_get_asset_status, query=("$top", "id"))
    async def get_assets_by_alarm_state(
        self, state: AssetAlarmState | int | str, top: int | None = None
    ) -> list[Asset]:
        """Assets (of the first ``top``) whose alarm status is ``state`` (``AssetAlarmState``, 0-2 or its name)."""
        return await self.get_assets_with_alarm_state([_alarm_state(state)], top)

    # -- counts --------------------------------------------------------------------------------

    @uses(asset_put_asset_count, query=("id", "serialNumber", "incrementBy", "incrementChildren"))
    async def increment_count(
        self,
        asset_id: AssetId | None = None,
        serial_number: str | None = None,
        amount: int = 1,
        increment_children: bool = False,
    ) -> bool:
        """Add ``amount`` to the running and total counts (and the children's, if asked)."""
        kwargs = asset_put_asset_count.request_kwargs(
            **_who(asset_id, serial_number),
            increment_by=count("amount", amount),
            increment_children=bool(increment_children),
        )
        return bool(await self._call_parsed(asset_put_asset_count, kwargs, ignore_body, expect_data=False))

    @uses(asset_put_asset_count, query=("id", "serialNumber", "totalCount"))
    async def set_total_count(
        self, value: int, asset_id: AssetId | None = None, serial_number: str | None = None
    ) -> bool:
        """Set the total count; the running count grows by the same difference (server rule).

        The total count only grows: a lower value is a ``ValidationError`` from the server.
        """
        kwargs = asset_put_asset_count.request_kwargs(
            **_who(asset_id, serial_number), total_count=count("value", value)
        )
        return bool(await self._call_parsed(asset_put_asset_count, kwargs, ignore_body, expect_data=False))

    @uses(*_EDITS, query=("isNew",))
    async def set_running_count(
        self, value: int, asset_id: AssetId | None = None, serial_number: str | None = None
    ) -> bool:
        """⚠️ INTERNAL API: set the running count to ``value`` (the total count is unchanged).

        No public operation sets it; this edits the asset entity through ``/api/internal/Asset``.
        """
        return await self._edit_entity(asset_id, serial_number, {"runningCount": count("value", value)})

    @uses(asset_reset_running_count, query=("id", "serialNumber", "comment"))
    async def reset_running_count(
        self, asset_id: AssetId | None = None, serial_number: str | None = None, comment: str | None = None
    ) -> bool:
        """Set the running count to 0 (e.g. after maintenance), logging ``comment``."""
        kwargs = asset_reset_running_count.request_kwargs(**_who(asset_id, serial_number), comment=unset(comment))
        return bool(await self._call_parsed(asset_reset_running_count, kwargs, ignore_body, expect_data=False))

    async def _edit_entity(self, asset_id: AssetId | None, serial_number: str | None, changes: dict[str, Any]) -> bool:
        who = _who(asset_id, serial_number)
        key = str(asset_id) if asset_id is not None else None
        if key is None:
            asset = await self._fetch(who["serial_number"])
            if asset is None or asset.asset_id is None:
                return False
            key = str(asset.asset_id)
        kwargs = asset_get_asset_internal.request_kwargs(id=key)
        entity = await self._call_parsed(
            asset_get_asset_internal, kwargs, json_object, resource_type="asset", identifier=key
        )
        if entity is None:
            return False
        body = {k: v for k, v in {**entity, **changes}.items() if v is not None}
        kwargs = asset_put_asset_internal.request_kwargs(body=body, is_new=False)
        result = await self._call_parsed(asset_put_asset_internal, kwargs, ignore_body, expect_data=False)
        return bool(result)

    # -- calibration and maintenance -------------------------------------------------------------

    @uses(asset_post_calibration, query=("id", "serialNumber", "comment", "dateTime"))
    async def record_calibration(
        self,
        asset_id: AssetId | None = None,
        serial_number: str | None = None,
        comment: str | None = None,
        calibration_date: datetime | None = None,
    ) -> bool:
        """Record a calibration (now, or at ``calibration_date``); the next due date follows the type's interval."""
        return await self._record(_CALIBRATION, asset_id, serial_number, comment, calibration_date)

    @uses(asset_post_calibration, query=("id", "serialNumber", "comment", "dateTime"))
    async def post_calibration(
        self,
        asset_id: AssetId | None = None,
        serial_number: str | None = None,
        date_time: datetime | None = None,
        comment: str | None = None,
    ) -> bool:
        """``POST /api/Asset/Calibration`` with the server's parameter names; see :meth:`record_calibration`."""
        return await self.record_calibration(asset_id, serial_number, comment, date_time)

    @uses(asset_post_maintenance, query=("id", "serialNumber", "comment", "dateTime"))
    async def record_maintenance(
        self,
        asset_id: AssetId | None = None,
        serial_number: str | None = None,
        comment: str | None = None,
        maintenance_date: datetime | None = None,
    ) -> bool:
        """Record maintenance (now, or at ``maintenance_date``); the next due date follows the type's interval."""
        return await self._record(_MAINTENANCE, asset_id, serial_number, comment, maintenance_date)

    @uses(asset_post_calibration, *_EDITS, query=("id", "serialNumber", "comment", "dateTime", "isNew"))
    async def record_calibration_external(
        self,
        from_date: datetime,
        to_date: datetime,
        asset_id: AssetId | None = None,
        serial_number: str | None = None,
        comment: str | None = None,
    ) -> bool:
        """⚠️ INTERNAL API: record a calibration done at ``from_date`` and due again at ``to_date``.

        The calibration is posted publicly; the due date is set through ``/api/internal/Asset``.
        """
        return await self._record(_CALIBRATION, asset_id, serial_number, comment, from_date, due=to_date)

    @uses(asset_post_maintenance, *_EDITS, query=("id", "serialNumber", "comment", "dateTime", "isNew"))
    async def record_maintenance_external(
        self,
        from_date: datetime,
        to_date: datetime,
        asset_id: AssetId | None = None,
        serial_number: str | None = None,
        comment: str | None = None,
    ) -> bool:
        """⚠️ INTERNAL API: record maintenance done at ``from_date`` and due again at ``to_date``.

        The maintenance is posted publicly; the due date is set through ``/api/internal/Asset``.
        """
        return await self._record(_MAINTENANCE, asset_id, serial_number, comment, from_date, due=to_date)

    async def _record(
        self,
        kind: _Service,
        asset_id: AssetId | None,
        serial_number: str | None,
        comment: str | None,
        done: datetime | None,
        due: datetime | None = None,
    ) -> bool:
        """Post a calibration or maintenance done at ``done`` (None: now); then set the next ``due`` date, if any."""
        if due is None:
            when = None if done is None else moment(kind.date_arg, done)
        else:
            when = moment("from_date", done)
            if moment("to_date", due) <= when:
                raise invalid("to_date", due, f"after from_date ({done})")
        who = _who(asset_id, serial_number)
        endpoint = kind.endpoint
        kwargs = endpoint.request_kwargs(**who, comment=unset(comment), date_time=unset(when))
        if not await self._call_parsed(endpoint, kwargs, ignore_body, expect_data=False):
            return False
        if due is None:
            return True
        return await self._edit_entity(asset_id, serial_number, {kind.due_field: due.astimezone().isoformat()})

    # -- log -------------------------------------------------------------------------------------

    @uses(asset_get_asset_log, query=("$filter", "$top"))
    @aliases(filter_str="odata_filter")
    async def get_asset_log(self, odata_filter: str | None = None, top: int | None = None) -> list[AssetLog]:
        """Log records (newest first) matching an OData ``odata_filter`` over the server's fields
        (``logId``, ``assetId``, ``serialNumber``, ``date``, ``user``, ``type``, ``comment``...).
        ``filter_str`` is another name for ``odata_filter``."""
        kwargs = asset_get_asset_log.request_kwargs(**odata_params(odata_filter, top))
        return await self._call_parsed(asset_get_asset_log, kwargs, parse_list(AssetLog)) or []

    @uses(asset_post_asset_message, query=("id", "serialNumber"))
    async def add_log_message(
        self,
        asset_id: AssetId | None = None,
        message: str | None = None,
        user: str | None = None,
        serial_number: str | None = None,
    ) -> bool:
        """Add a message to the asset's log.

        The server records the calling account as the user; a different ``user`` is kept in the
        text, as ``"<message> (by <user>)"``.
        """
        text("message", message)
        content = f"{message} (by {user})" if user else message
        kwargs = asset_post_asset_message.request_kwargs(
            body=AssetMessage(content=content), **_who(asset_id, serial_number)
        )
        return bool(await self._call_parsed(asset_post_asset_message, kwargs, ignore_body, expect_data=False))

    # -- files (internal) ------------------------------------------------------------------------

    @uses(blob_asset_post_file)
    async def upload_blob(self, asset_id: AssetId, filename: str, content: Content) -> bool:
        """⚠️ INTERNAL API: store a file on the asset (an existing file of that name is replaced).

        ``content`` is bytes, a binary file object or an iterable of byte chunks; file objects
        and iterables are streamed in 64 KiB pieces, never read whole into memory.
        """
        return await self._upload(asset_id, filename, content)

    @uses(blob_asset_post_file)
    async def upload_file(self, asset_id: AssetId, filename: str, content: Content) -> bool:
        """⚠️ INTERNAL API: pyWATS 0.x's name for :meth:`upload_blob`."""
        return await self._upload(asset_id, filename, content)

    async def _upload(self, asset_id: AssetId, filename: str, content: Content) -> bool:
        who = _who(asset_id, None)
        text("filename", filename)
        kwargs = blob_asset_post_file.request_kwargs(asset_id=who["id"], filename=filename)
        if isinstance(content, bytes | bytearray | memoryview):
            kwargs["content"] = bytes(content)
        elif isinstance(content, str):
            raise TypeError("file content must be bytes, not str (encode it first)")
        elif hasattr(content, "read") or isinstance(content, Iterable):
            size = _remaining(content)
            if size is not None:
                # a known length is sent as Content-Length: no chunked encoding, still streamed
                kwargs["headers"] = {**kwargs.get("headers", {}), "Content-Length": str(size)}
            kwargs["content"] = _chunks(content)
        else:
            raise TypeError(f"file content must be bytes, a binary file or byte chunks, not {type(content).__name__}")
        kwargs["headers"] = {**kwargs.get("headers", {}), "Content-Type": "application/octet-stream"}
        return bool(await self._call_parsed(blob_asset_post_file, kwargs, ignore_body, expect_data=False))

    @uses(blob_asset_list)
    async def list_blobs(self, asset_id: AssetId) -> list[AssetFile]:
        """⚠️ INTERNAL API: the files stored on the asset (the server lists names only)."""
        return await self._list(asset_id)

    @uses(blob_asset_list)
    async def list_files(self, asset_id: AssetId) -> list[AssetFile]:
        """⚠️ INTERNAL API: pyWATS 0.x's name for :meth:`list_blobs`."""
        return await self._list(asset_id)

    async def _list(self, asset_id: AssetId) -> list[AssetFile]:
        who = _who(asset_id, None)
        kwargs = blob_asset_list.request_kwargs(asset_id=who["id"])
        names = await self._call_parsed(blob_asset_list, kwargs, blob_asset_list.parse_response)
        return [AssetFile(filename=n) for n in names or []]

    @uses(blob_asset_get_file)
    async def download_blob(self, asset_id: AssetId, filename: str) -> bytes | None:
        """⚠️ INTERNAL API: a file stored on the asset, as bytes (``NotFoundError`` / None if absent)."""
        return await self._download(asset_id, filename)

    @uses(blob_asset_get_file)
    async def download_file(self, asset_id: AssetId, filename: str) -> bytes | None:
        """⚠️ INTERNAL API: pyWATS 0.x's name for :meth:`download_blob`."""
        return await self._download(asset_id, filename)

    async def _download(self, asset_id: AssetId, filename: str) -> bytes | None:
        who = _who(asset_id, None)
        kwargs = blob_asset_get_file.request_kwargs(asset_id=who["id"], filename=filename)
        return await self._call_parsed(
            blob_asset_get_file, kwargs, _file_body, expect_data=False, resource_type="file", identifier=filename
        )

    @uses(blob_asset_get_file)
    async def download_blob_to(self, asset_id: AssetId, filename: str, destination: str | Path | IO[bytes]) -> int:
        """⚠️ INTERNAL API: stream a file stored on the asset into ``destination`` (a path or a
        binary file), chunk by chunk, never holding it whole in memory; returns the bytes written.

        A missing file raises ``NotFoundError`` in both error modes (nothing is written).
        """
        who = _who(asset_id, None)
        _check_destination(destination)
        kwargs = blob_asset_get_file.request_kwargs(asset_id=who["id"], filename=filename)
        async with self._stream(blob_asset_get_file, kwargs, resource_type="file", identifier=filename) as response:
            # The server may send the file raw, or as ASP.NET sends a byte[]: a base64 JSON string.
            decoder = _Base64JsonString() if "json" in response.headers.get("Content-Type", "") else None
            with _sink(destination) as out:
                written = 0
                async for chunk in response.aiter_bytes():
                    data = decoder.feed(chunk) if decoder is not None else chunk
                    out.write(data)
                    written += len(data)
                if decoder is not None:
                    tail = decoder.finish()
                    out.write(tail)
                    written += len(tail)
        return written

    @uses(blob_asset_delete_files)
    async def delete_blobs(self, asset_id: AssetId, filenames: Iterable[str]) -> bool:
        """⚠️ INTERNAL API: delete these files from the asset (names that do not exist are ignored)."""
        return await self._delete(asset_id, filenames)

    @uses(blob_asset_delete_files)
    async def delete_files(self, asset_id: AssetId, filenames: Iterable[str]) -> bool:
        """⚠️ INTERNAL API: pyWATS 0.x's name for :meth:`delete_blobs`."""
        return await self._delete(asset_id, filenames)

    async def _delete(self, asset_id: AssetId, filenames: Iterable[str]) -> bool:
        who = _who(asset_id, None)
        names = [filenames] if isinstance(filenames, str) else list(filenames)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise invalid("filenames", filenames, "one or more non-empty strings")
        kwargs = blob_asset_delete_files.request_kwargs(body=names, asset_id=who["id"])
        return bool(await self._call_parsed(blob_asset_delete_files, kwargs, ignore_body, expect_data=False))


class _Base64JsonString:
    """Decodes a JSON string of base64 (``"SGVsbG8="``) as it arrives, 4 characters at a time."""

    def __init__(self) -> None:
        self._pending = b""
        self._started = False

    def feed(self, chunk: bytes) -> bytes:
        text = self._pending + chunk.replace(b"\\", b"")  # JSON may escape "/" as "\/"
        if not self._started:
            text = text.lstrip()
            if not text:
                return b""
            if text[:1] != b'"':
                raise InvalidResponseError("the file is JSON but not a base64 string")
            text, self._started = text[1:], True
        text = text.rstrip().removesuffix(b'"') if text.rstrip().endswith(b'"') else text
        usable = len(text) - len(text) % 4
        self._pending = text[usable:]
        return _b64(text[:usable])

    def finish(self) -> bytes:
        rest, self._pending = self._pending, b""
        return _b64(rest) if rest else b""


def _b64(data: bytes) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidResponseError(f"the file is a JSON string but not base64: {exc}") from exc


@contextlib.contextmanager
def _sink(destination: str | Path | IO[bytes]) -> Iterator[IO[bytes]]:
    """A binary file to write to: the one given (left open), or a path.

    A path is written aside (``.NAME.part`` in the same folder) and renamed over ``destination``
    only once the whole body has arrived, so a broken-off download leaves no file behind.
    """
    if not isinstance(destination, str | Path):
        yield destination
        return
    target = Path(destination)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(part, "wb") as out:
            yield out
        os.replace(part, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()


def _check_destination(destination: str | Path | IO[bytes]) -> None:
    """Refuse, before anything is sent, a destination the download could not be written to."""
    if isinstance(destination, str | Path):
        text = str(destination)
        if not text.strip() or "\x00" in text:
            raise InvalidArgumentError(f"destination must be a file path, not {text!r}")
        target = Path(destination)
        if target.is_dir():
            raise InvalidArgumentError(f"destination must be a file path, not the folder {text!r}")
        if not target.parent.is_dir():
            raise InvalidArgumentError(f"destination's folder {str(target.parent)!r} does not exist")
    elif isinstance(destination, io.TextIOBase) or not callable(getattr(destination, "write", None)):
        raise InvalidArgumentError(
            f"destination must be a path or a binary file (opened with 'wb'), not {type(destination).__name__}"
        )


def _remaining(source: object) -> int | None:
    """Bytes left in a seekable binary file (None for other sources)."""
    seekable = getattr(source, "seekable", None)
    if not (callable(seekable) and seekable()):
        return None
    stream: IO[bytes] = source  # type: ignore[assignment]
    here = stream.tell()
    end = stream.seek(0, 2)
    stream.seek(here)
    return end - here
