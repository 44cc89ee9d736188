# DO NOT EDIT — generated from pywats/domains/production/async_service.py by `python -m pywats._unasync`.
"""The Production service: units, phases, processes, serial numbers, assemblies, changes, batches."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx
from wats_internal.api.mes import mes_get_sites_get_internal_production_get_sites as sites_op
from wats_internal.api.mes import mes_get_unit_phases
from wats_internal.api.production import production_add_child_unit as internal_add_child_op
from wats_internal.api.production import production_check_child_units as internal_check_children_op
from wats_internal.api.production import production_create_unit as create_unit_op
from wats_internal.api.production import production_find_serial_numbers as sn_find_op
from wats_internal.api.production import production_free_reserved_serial_numbers as sn_free_op
from wats_internal.api.production import production_get_serial_number_count as sn_count_op
from wats_internal.api.production import production_get_serial_number_ranges as sn_ranges_op
from wats_internal.api.production import production_get_serial_number_stats as sn_stats_op
from wats_internal.api.production import production_get_unit as internal_get_unit_op
from wats_internal.api.production import production_get_unit_contents as contents_op
from wats_internal.api.production import production_get_unit_hierarchy as hierarchy_op
from wats_internal.api.production import production_get_unit_info as info_op
from wats_internal.api.production import production_get_unit_state_history as state_history_op
from wats_internal.api.production import production_is_connected as connected_op
from wats_internal.api.production import production_remove_all_child_units as remove_all_op
from wats_internal.api.production import production_remove_child_unit as internal_remove_child_op
from wats_public.api.app import app_processes
from wats_public.api.app import app_serial_number_history as history_op
from wats_public.api.production import (
    production_add_child_unit_public as add_child_op,
)
from wats_public.api.production import (
    production_check_child_units_public as check_children_op,
)
from wats_public.api.production import (
    production_delete_unit_change as delete_change_op,
)
from wats_public.api.production import (
    production_export_serial_numbers as sn_export_op,
)
from wats_public.api.production import (
    production_get_serial_number_types_public as sn_types_op,
)
from wats_public.api.production import (
    production_get_serial_numbers_by_range as sn_range_op,
)
from wats_public.api.production import (
    production_get_serial_numbers_by_reference as sn_reference_op,
)
from wats_public.api.production import (
    production_get_unit_changes as changes_op,
)
from wats_public.api.production import (
    production_get_unit_public as get_unit_op,
)
from wats_public.api.production import (
    production_get_unit_verification as verification_op,
)
from wats_public.api.production import (
    production_put_batches as put_batches_op,
)
from wats_public.api.production import (
    production_put_units as put_units_op,
)
from wats_public.api.production import (
    production_remove_child_unit_public as remove_child_op,
)
from wats_public.api.production import (
    production_set_unit_phase_public as set_phase_op,
)
from wats_public.api.production import (
    production_set_unit_process_public as set_process_op,
)
from wats_public.api.production import (
    production_take_serial_numbers as take_op,
)
from wats_public.api.production import (
    production_upload_serial_numbers as sn_upload_op,
)

from ..._sync.service import SyncService
from ...core.batch import SyncBatch
from ...core.binding import Endpoint, uses
from ...core.exceptions import ErrorMode, InvalidArgumentError, NoDocumentedOperationError, PyWATSError
from ...core.internal import warn_internal
from ...core.wire import (
    aliases,
    ignore_body,
    invalid,
    json_body,
    json_list,
    moment,
    parse_bytes,
    parse_list,
    parse_list_or_none,
    parse_model,
    positive,
    text,
    unset,
    unset_internal,
)
from ..process.service import ProcessService
from .models import (
    ProductionBatch,
    SerialNumberRange,
    SerialNumberType,
    Unit,
    UnitChange,
    UnitPhase,
    UnitPhaseFlag,
    UnitVerification,
    UnitVerificationGrade,
)

__all__ = ["PHASES", "ProductionService"]

# The phases WATS defines (the SetUnitPhase documentation lists them): id, code, name.
PHASES: tuple[UnitPhase, ...] = tuple(
    UnitPhase(unit_phase_id=int(flag), code=code, name=name, description=description)
    for flag, code, name, description in (
        (UnitPhaseFlag.UNKNOWN, "Unknown", "Unknown", "Unknown unit phase"),
        (UnitPhaseFlag.UNDER_PRODUCTION, "UnderProduction", "Under production", "Unit is under production"),
        (UnitPhaseFlag.PRODUCTION_REPAIR, "ProductionRepair", "Production repair", "Unit is being repaired"),
        (UnitPhaseFlag.SERVICE_REPAIR, "ServiceRepair", "Service repair", "Unit is being repaired for service (RMA)"),
        (UnitPhaseFlag.FINALIZED, "Finalized", "Finalized", "Unit is finalized"),
        (UnitPhaseFlag.SCRAPPED, "Scrapped", "Scrapped", "Unit is scrapped"),
        (UnitPhaseFlag.EXTENDED_TEST, "ExtendedTest", "Extended test", "Unit is under extended test"),
        (UnitPhaseFlag.CUSTOMIZATION, "Customization", "Customization", "Unit is under customization"),
        (UnitPhaseFlag.REPAIRED, "Repaired", "Repaired", "Unit has been repaired"),
        (UnitPhaseFlag.MISSING, "Missing", "Missing", "Unit is marked as missing"),
        (UnitPhaseFlag.IN_STORAGE, "InStorage", "In storage", "Unit is in store (warehouse)"),
        (UnitPhaseFlag.SHIPPED, "Shipped", "Shipped", "Unit is shipped (out of factory)"),
        (
            UnitPhaseFlag.UNDER_PRODUCTION_QUEUED,
            "UnderProductionQueued",
            "Under production - queued",
            "Unit is under production in a queue",
        ),
        (
            UnitPhaseFlag.PRODUCTION_REPAIR_QUEUED,
            "ProductionRepairQueued",
            "Production repair - queued",
            "Unit is waiting for production repair",
        ),
        (
            UnitPhaseFlag.SERVICE_REPAIR_QUEUED,
            "ServiceRepairQueued",
            "Service repair - queued",
            "Unit is waiting for service repair (RMA)",
        ),
    )
)
# Everyday words for phases, resolved to WATS phases.
_SYNONYMS = {
    "created": UnitPhaseFlag.UNDER_PRODUCTION,
    "in production": UnitPhaseFlag.UNDER_PRODUCTION,
    "in test": UnitPhaseFlag.UNDER_PRODUCTION,
    "testing": UnitPhaseFlag.UNDER_PRODUCTION,
    "in repair": UnitPhaseFlag.PRODUCTION_REPAIR,
    "in storage": UnitPhaseFlag.IN_STORAGE,
}
_BY_ID = {p.unit_phase_id: p for p in PHASES}
_BY_TEXT: dict[str, UnitPhase] = {}
for _p in PHASES:
    for _text in (_p.name, _p.code, _p.description or "", _p.code.replace("Production", " production")):
        _BY_TEXT.setdefault(_text.strip().casefold(), _p)
for _text, _flag in _SYNONYMS.items():
    _BY_TEXT.setdefault(_text, _BY_ID[int(_flag)])

PhaseIdentifier = int | str | UnitPhaseFlag
UnitKey = str | tuple[str, str]


def _serials(value: Any) -> list[str]:
    """Serial numbers from a JSON list (strings or objects) or CSV/line text (first column)."""
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                sn = item.get("serialNumber") or item.get("SerialNumber") or item.get("sn")
                if sn is not None:
                    out.append(str(sn))
            elif item is not None:
                out.append(str(item))
        return out
    if isinstance(value, str):
        return [line.split(",")[0].strip().strip('"') for line in value.splitlines() if line.strip()]
    return []


def _parse_serials(response: httpx.Response) -> list[str]:
    try:
        value = json_body(response)
    except ValueError:  # the documented CSV answer, sent as text
        value = response.text
    return _serials(value)


def _parse_records(response: httpx.Response) -> list[dict[str, Any]]:
    value = json_body(response)
    return [item if isinstance(item, dict) else {"serialNumber": item} for item in value or []]


def _part(part_number: str | None) -> str | None:
    return None if part_number is None else text("part_number", part_number)


def _no_part_number(self: Any, serial_number: Any, part_number: str | None = None, **kw: Any) -> bool:
    return part_number is None


def _bare_serials_known(self: Any, serials: Any, part_number: str | None = None, **kw: Any) -> bool:
    """True when a collection (not an iterator, which would be consumed) holds a bare serial."""
    if part_number is not None or isinstance(serials, str | bytes) or not isinstance(serials, Collection):
        return False
    return any(isinstance(item, str) for item in serials)


def find_phase(identifier: PhaseIdentifier) -> UnitPhase | None:
    """The WATS phase with this id (16, ``UnitPhaseFlag.FINALIZED``), code or name, else None."""
    if isinstance(identifier, bool) or not isinstance(identifier, int | str):
        raise TypeError(f"a phase is an id (int), a UnitPhaseFlag, a code or a name, not {type(identifier).__name__}")
    if isinstance(identifier, int):
        return _BY_ID.get(int(identifier))
    name = identifier.strip()
    if name.isdigit():
        return _BY_ID.get(int(name))
    return _BY_TEXT.get(name.casefold())


def _phase_id(identifier: PhaseIdentifier) -> int:
    phase = find_phase(identifier)
    if phase is None:
        known = ", ".join(p.name for p in PHASES)
        raise InvalidArgumentError(f"{identifier!r} is not a WATS unit phase; known phases: {known}")
    return phase.unit_phase_id


def _wire_unit(unit: Unit) -> dict[str, Any]:
    if not isinstance(unit, Unit):
        raise TypeError(f"expected a production Unit, not {type(unit).__name__}")
    body = unit.wire()
    # A phase named in the unit (its ``status``/``current_phase``) is sent as the phase id.
    if unit.unit_phase is not None:
        named = _phase_id(unit.unit_phase)
        current = _BY_ID.get(unit.unit_phase_id) if unit.unit_phase_id is not None else None
        if current is None or find_phase(unit.unit_phase) is not current:
            body["unitPhaseId"] = named
    return body


# A missing child line of CheckChildUnits' answer: our key -> the server's field.
_MISSING_CHILD_FIELDS = {
    "part_number": "partNumber",
    "revision": "revision",
    "quantity": "quantity",
    "missing": "missing",
}


def _verify_assembly_result(value: Any, parent_serial: str, parent_part: str) -> dict[str, Any]:
    """A plain dict (``is_complete``, ``missing_children``, ...) of CheckChildUnits' answer."""
    body = value if isinstance(value, dict) else {"result": value}
    rows = [m for m in body.get("missingChildren") or [] if isinstance(m, dict)]
    missing = [{key: m.get(wire) for key, wire in _MISSING_CHILD_FIELDS.items()} for m in rows]
    return {
        "serial_number": parent_serial,
        "part_number": parent_part,
        "is_complete": bool(body.get("isValid")) and not missing,
        "missing_children": missing,
        "children": body.get("children") or [],
        "messages": body.get("messages") or [],
        "raw": body,
    }


def _when(name: str, value: datetime | None) -> datetime | None:
    return None if value is None else moment(name, value)


def _file_format(name: str, value: str) -> str:
    """``CSV`` or ``XML`` from a media type or format name (``text/csv``, ``xml``, any casing)."""
    kind = text(name, value).casefold()
    for fmt in ("CSV", "XML"):
        if fmt.casefold() in kind:
            return fmt
    raise invalid(name, value, "CSV or XML (a format name or a media type such as text/csv)")


def _range_wire(index: int, item: Any) -> dict[str, Any]:
    """A range to send: its type, start and end address (the counts are the server's to say)."""
    if isinstance(item, Mapping):
        item = SerialNumberRange.model_validate(dict(item))
    if not isinstance(item, SerialNumberRange):
        raise invalid(f"ranges[{index}]", item, "a SerialNumberRange or a mapping")
    values = (item.serial_number_type, item.start_address, item.end_address)
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise invalid(f"ranges[{index}]", item, "a range with serial_number_type, start_address and end_address")
    return {"type": values[0], "startAddress": values[1], "endAddress": values[2]}


def _parse_count(response: httpx.Response) -> int:
    value = json_body(response)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a count, got {type(value).__name__}")
    return value


def _parse_objects(response: httpx.Response) -> list[dict[str, Any]]:
    return [item for item in json_list(response) if isinstance(item, dict)]


def _batch(value: Any) -> ProductionBatch:
    return value if isinstance(value, ProductionBatch) else ProductionBatch.model_validate(value)


def _created_unit(request: Unit) -> Any:
    """The parser of CreateUnit's untyped answer: the unit as stored, else the unit as requested."""

    def parse(response: httpx.Response) -> Unit:
        body = json_body(response)
        return Unit.model_validate(body) if isinstance(body, dict) and body.get("serialNumber") else request

    return parse


class ProductionService(SyncService):
    """Units and their production life: phases, processes, verification, assemblies, serial numbers.

    Needs the Production module enabled on the WATS server. Lookups that find nothing raise
    ``NotFoundError`` in STRICT mode and return ``None`` in LENIENT mode.
    """

    # -- units ---------------------------------------------------------------------------------

    @uses(get_unit_op, internal_get_unit_op, internal_if=_no_part_number)
    def get_unit(self, serial_number: str, part_number: str | None = None) -> Unit | None:
        """⚠️ INTERNAL API when ``part_number`` is not given: the unit, with its product and sub-units.

        With a part number it uses the public ``GET /api/Production/Unit/{serial}/{part}``.
        Without one it uses ``GET /api/internal/Production/GetUnit`` (unversioned; may change
        with a server upgrade), the only WATS lookup by serial number alone; a serial number
        that several products use is then refused by the server (``ValidationError``).
        """
        return self._get((text("serial_number", serial_number), _part(part_number)), None)

    def _get(self, key: tuple[str, str | None], error_mode: ErrorMode | None) -> Unit | None:
        serial, part = key
        if part is None:
            op: Endpoint[Any] = internal_get_unit_op
            kwargs = internal_get_unit_op.request_kwargs(serial_number=serial)
            identifier = serial
        else:
            op, identifier = get_unit_op, f"{serial}/{part}"
            kwargs = get_unit_op.request_kwargs(serial_number=serial, part_number=part)
        return self._call_parsed(
            op, kwargs, parse_model(Unit), resource_type="Unit", identifier=identifier, error_mode=error_mode
        )

    def _act(self, endpoint: Endpoint[Any], kwargs: dict[str, Any], kind: str, identifier: str) -> bool:
        """An action on a unit: True once the server accepts it (errors raise, as for any call)."""
        self._call_parsed(
            endpoint, kwargs, ignore_body, expect_data=False, resource_type=kind, identifier=identifier
        )
        return True

    def _get_lenient(self, key: tuple[str, str | None]) -> Unit | None:
        return self._get(key, ErrorMode.LENIENT)

    @uses(get_unit_op, internal_get_unit_op, internal_if=_bare_serials_known)
    @aliases(max_concurrency="max_workers")
    def get_units_batch(
        self,
        serials: Iterable[UnitKey],
        part_number: str | None = None,
        *,
        max_workers: int = 10,
    ) -> list[Unit | None]:
        """⚠️ INTERNAL API for bare serial numbers without ``part_number``: many units at once.

        One unit lookup per item, at most ``max_workers`` (also spelled ``max_concurrency``) in flight. Items are serial
        numbers (with ``part_number`` for all of them) or ``(serial, part)`` pairs. A bare serial
        number with no ``part_number`` is looked up by serial number alone, which only the
        internal ``GET /api/internal/Production/GetUnit`` offers (unversioned; may change with a
        server upgrade): only then does the call warn (for an iterator given to ``AsyncWATS``,
        at the line that awaits the call, since the iterator is read then). The answer is in input order; a unit that
        does not exist is ``None`` (in both error modes, so one missing unit does not lose the
        others); other errors raise.
        """
        if isinstance(serials, str | bytes):
            raise TypeError("serials is a collection of serial numbers or (serial, part) pairs, not one string")
        one_shot = not isinstance(serials, Collection)
        keys: list[tuple[str, str | None]] = []
        part = _part(part_number)
        for item in serials:  # read once: ``serials`` may be an iterator
            if isinstance(item, tuple):
                if len(item) != 2:
                    raise invalid("a (serial, part) pair", item, "two items")
                keys.append((text("serial number", item[0]), text("part number", item[1])))
            elif isinstance(item, str):
                keys.append((text("serial number", item), part))
            else:
                raise TypeError(f"a unit is a serial number or a (serial, part) pair, not {type(item).__name__}")
        if one_shot and any(p is None for _, p in keys):
            # internal_if could not look into an iterator without consuming it: warn now.
            warn_internal(f"{type(self).__name__}.get_units_batch")
        outcomes = SyncBatch.map_limited(self._get_lenient, keys, max_workers)
        for outcome in outcomes:
            if outcome.error is not None:  # not found is None already; anything else is the caller's to see
                raise outcome.error
        return [outcome.value for outcome in outcomes]

    @uses(history_op)
    def get_units(
        self,
        top: int = 100,
        *,
        part_number: str | None = None,
        serial_number: str | None = None,
        batch_number: str | None = None,
    ) -> list[Unit]:
        """Units with test history, most recently tested first: at most ``top`` units.

        WATS has no public list of production units; this reads the public Serial Number
        History (``POST /api/App/SerialNumberHistory``), which is built from test reports, so
        a unit never tested is not listed. The server is asked for its ``top`` most recent
        history rows; a unit tested several times there is listed once, so fewer than ``top``
        units may come back. Filters take several values separated by ``;``. Each unit carries
        what the history row says (part, revision, batch, last process; ``result``,
        ``stationName``, ``start`` and ``reportId`` as extra fields), not its product details:
        use :meth:`get_unit` for those.
        """
        wanted = {"topCount": positive("top", top), "partNumber": part_number, "serialNumber": serial_number}
        wanted["batchNumber"] = batch_number
        body = {k: v for k, v in wanted.items() if v is not None}
        rows = self._call_parsed(history_op, history_op.request_kwargs(body=body), json_body, expect_data=False)
        units: list[Unit] = []
        seen: set[tuple[str, str]] = set()
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or not row.get("serialNumber") or not row.get("partNumber"):
                continue
            key = (str(row["serialNumber"]).casefold(), str(row["partNumber"]).casefold())
            if key not in seen:
                seen.add(key)
                units.append(Unit.model_validate(row))
        return units[:top]

    @uses(put_units_op)
    def create_units(self, units: Sequence[Unit]) -> list[Unit]:
        """Add units (``PUT /api/Production/Units`` adds or updates by serial number).

        Each unit's product revision must exist on the server. Returns the units as stored.
        """
        wire = [_wire_unit(u) for u in units]
        if not wire:
            return []
        kwargs = put_units_op.request_kwargs(body=wire)
        stored = self._call_parsed(
            put_units_op, kwargs, parse_list_or_none(Unit), expect_data=False, resource_type="Unit"
        )
        if stored is not None:
            return stored
        return list(units)

    @uses(put_units_op)
    def update_unit(self, unit: Unit) -> Unit | None:
        """Save a unit's changes (revision, location, batch, phase, ...); returns it as stored."""
        stored = self.create_units([unit])
        return stored[0] if stored else None

    @uses(put_batches_op)
    def save_batches(self, batches: Sequence[ProductionBatch | dict[str, Any]]) -> bool:
        """Add or update production batches (lots): ``ProductionBatch(batch_number=..., batch_size=...)``."""
        models = [b if isinstance(b, ProductionBatch) else ProductionBatch.model_validate(b) for b in batches]
        wire = [b.to_wire() for b in models]
        kwargs = put_batches_op.request_kwargs(body=wire)
        self._call_parsed(put_batches_op, kwargs, ignore_body, expect_data=False)
        return True

    # -- verification --------------------------------------------------------------------------

    @uses(verification_op, query=("partNumber",))
    def verify_unit(
        self, serial_number: str, part_number: str | None = None, revision: str | None = None
    ) -> UnitVerification | None:
        """The unit's verification under the server's rules: grade, per-process results.

        ``revision`` is accepted and not sent: the server verifies the unit as it is.
        """
        kwargs = verification_op.request_kwargs(serial_number=serial_number, part_number=unset(part_number))
        return self._call_parsed(
            verification_op,
            kwargs,
            parse_model(UnitVerification),
            resource_type="Unit",
            identifier=f"{serial_number}/{part_number}",
        )

    @uses(verification_op, query=("partNumber",))
    def get_unit_grade(
        self, serial_number: str, part_number: str | None = None, revision: str | None = None
    ) -> UnitVerificationGrade | None:
        """Just the verdict of :meth:`verify_unit`."""
        verification = self.verify_unit(serial_number, part_number, revision)
        return verification.grade if verification is not None else None

    @uses(verification_op, query=("partNumber",))
    def is_unit_passing(self, serial_number: str, part_number: str | None = None) -> bool:
        """True when the unit's verification verdict is PASSED (False when unknown or not found)."""
        verification = self.verify_unit(serial_number, part_number)
        return verification is not None and verification.is_passing

    # -- phases and processes ------------------------------------------------------------------

    @uses()
    def get_phases(self) -> list[UnitPhase]:
        """The unit phases WATS defines (no request: the public API documents a fixed set)."""
        return list(PHASES)

    @uses()
    def get_phase(self, identifier: PhaseIdentifier) -> UnitPhase | None:
        """The phase with this id (16), ``UnitPhaseFlag``, code or name (any casing); None if none."""
        return find_phase(identifier)

    @uses()
    def get_phase_id(self, phase: PhaseIdentifier) -> int | None:
        """The id of the phase :meth:`get_phase` finds, or None."""
        found = find_phase(phase)
        return found.unit_phase_id if found is not None else None

    @uses(set_phase_op)
    def set_unit_phase(
        self, serial_number: str, part_number: str, phase: PhaseIdentifier, comment: str | None = None
    ) -> bool:
        """Move the unit to a phase (id, ``UnitPhaseFlag``, code or name).

        An unknown phase raises ``ValueError`` before anything is sent. The public API records
        no comment; ``comment`` is accepted and not sent.
        """
        phase_id = _phase_id(phase)
        kwargs = set_phase_op.request_kwargs(serial_number=serial_number, part_number=part_number, phase=phase_id)
        return self._act(set_phase_op, kwargs, "Unit", f"{serial_number}/{part_number}")

    @uses(set_process_op, app_processes)
    def set_unit_process(
        self, serial_number: str, part_number: str, process_code: int | str | None, comment: str | None = None
    ) -> bool:
        """Set the process (operation type) the unit is at, by code (100) or name ("ICT").

        ``None`` clears it. An unknown process raises ``ValueError`` before anything is sent;
        ``comment`` is accepted and not sent (the API takes none).
        """
        name = ""
        if process_code is not None:
            process = self._context.service(ProcessService).get_process(process_code)
            if process is None:
                raise InvalidArgumentError(
                    f"{process_code!r} is not a process on this server (see api.process.get_processes())"
                )
            name = process.name
        kwargs = set_process_op.request_kwargs(serial_number=serial_number, part_number=part_number, process_name=name)
        return self._act(set_process_op, kwargs, "Unit", f"{serial_number}/{part_number}")

    @uses(mes_get_unit_phases)
    def get_all_unit_phases(self) -> list[UnitPhase]:
        """⚠️ INTERNAL API: the unit phases as the server has them configured.

        Uses ``GET /api/internal/Mes/GetUnitPhases`` (unversioned; may change with a server upgrade).
        """
        kwargs = mes_get_unit_phases.request_kwargs()
        phases = self._call_parsed(mes_get_unit_phases, kwargs, parse_list(UnitPhase))
        return list(phases or [])

    # -- assembly ------------------------------------------------------------------------------

    @uses(add_child_op, get_unit_op)
    @aliases(
        parent_serial_number="parent_serial",
        parent_part_number="parent_part",
        child_serial_number="child_serial",
        child_part_number="child_part",
    )
    def add_child_to_assembly(
        self,
        parent_serial: str,
        parent_part: str,
        child_serial: str,
        child_part: str,
        *,
        check_part_number: str | None = None,
        check_revision: str | None = None,
    ) -> bool:
        """Attach a finalized child unit to its parent, checked against a box build.

        The child is checked against the box build of ``check_part_number``/``check_revision``,
        by default the parent unit's own product revision (read from the server first). The
        server refuses (``ValidationError``) a child that is not finalized, already has a
        parent, is not in the box build, or would make a loop.
        """
        if check_part_number is None or check_revision is None:
            parent = self.get_unit(parent_serial, parent_part)
            if parent is None:
                return False
            check_part_number = check_part_number or parent.part_number
            check_revision = check_revision or parent.part_revision or ""
        kwargs = add_child_op.request_kwargs(
            parent_serial_number=parent_serial,
            parent_part_number=parent_part,
            child_serial_number=child_serial,
            child_part_number=child_part,
            check_part_number=check_part_number,
            check_revision=check_revision,
        )
        return self._act(add_child_op, kwargs, "Unit", f"{child_serial}/{child_part}")

    @uses(remove_child_op)
    @aliases(
        parent_serial_number="parent_serial",
        parent_part_number="parent_part",
        child_serial_number="child_serial",
        child_part_number="child_part",
    )
    def remove_child_from_assembly(
        self, parent_serial: str, parent_part: str, child_serial: str, child_part: str
    ) -> bool:
        """Detach a child unit from its parent (the relation must exist)."""
        kwargs = remove_child_op.request_kwargs(
            parent_serial_number=parent_serial,
            parent_part_number=parent_part,
            child_serial_number=child_serial,
            child_part_number=child_part,
        )
        return self._act(remove_child_op, kwargs, "Unit", f"{child_serial}/{child_part}")

    @uses(check_children_op)
    def verify_assembly(
        self, serial_number: str, part_number: str, revision: str | None = None
    ) -> dict[str, Any] | None:
        """Whether the unit's direct children match its box build (part, revision, quantity, phase).

        Returns ``{"is_complete": bool, "missing_children": [{"part_number", "revision",
        "quantity", "missing"}], "children": [...], "messages": [...], "raw": <server answer>}``.
        ``revision`` is accepted and not sent: the server uses the unit's own revision.
        """
        kwargs = check_children_op.request_kwargs(parent_serial_number=serial_number, parent_part_number=part_number)
        value = self._call_parsed(
            check_children_op, kwargs, json_body, resource_type="Unit", identifier=f"{serial_number}/{part_number}"
        )
        return None if value is None else _verify_assembly_result(value, serial_number, part_number)

    # -- serial numbers ------------------------------------------------------------------------

    @uses(sn_types_op)
    def get_serial_number_types(self) -> list[SerialNumberType]:
        """The serial number types (pools) the server has."""
        types = self._call_parsed(sn_types_op, sn_types_op.request_kwargs(), parse_list(SerialNumberType))
        return list(types or [])

    @uses(take_op, query=("refSN", "refPN", "stationName", "onlyInSequence", "format"))
    @aliases(count="quantity", reference_sn="ref_sn", reference_pn="ref_pn")
    def allocate_serial_numbers(
        self,
        type_name: str,
        quantity: int = 1,
        *,
        ref_sn: str | None = None,
        ref_pn: str | None = None,
        station_name: str | None = None,
        only_in_sequence: bool | None = None,
    ) -> list[str]:
        """Take ``quantity`` free serial numbers of a type; each is handed out once only.

        pyWATS 0.x's spellings ``count``, ``reference_sn`` and ``reference_pn`` work too.

        Never retried automatically (a retry could take a second set). If the pool has fewer
        free numbers, the server gives what it has.
        """
        positive("quantity", quantity)
        kwargs = take_op.request_kwargs(
            serial_number_type=type_name,
            quantity=quantity,
            ref_sn=unset(ref_sn),
            ref_pn=unset(ref_pn),
            station_name=unset(station_name),
            only_in_sequence=unset(only_in_sequence),
            format_="CSV",
        )
        taken = self._call_parsed(
            take_op, kwargs, _parse_serials, resource_type="SerialNumberType", identifier=type_name
        )
        return list(taken or [])

    @uses(sn_range_op)
    def get_serial_numbers_by_range(self, type_name: str, start: str, end: str) -> list[dict[str, Any]]:
        """The serial numbers of a type from ``start`` to ``end`` (taken or free), as the server lists them."""
        kwargs = sn_range_op.request_kwargs(serial_number_type=type_name, start_address=start, end_address=end)
        found = self._call_parsed(
            sn_range_op, kwargs, _parse_records, resource_type="SerialNumberType", identifier=type_name
        )
        return list(found or [])

    @uses(sn_reference_op, query=("refSN", "refPN"))
    def get_serial_numbers_by_reference(
        self, type_name: str, ref_sn: str | None = None, ref_pn: str | None = None
    ) -> list[dict[str, Any]]:
        """Serial numbers taken with this reference serial number and/or part number."""
        if ref_sn is None and ref_pn is None:
            raise invalid("ref_sn or ref_pn", None, "given (or both)")
        kwargs = sn_reference_op.request_kwargs(
            serial_number_type=type_name, ref_sn=unset(ref_sn), ref_pn=unset(ref_pn)
        )
        found = self._call_parsed(
            sn_reference_op, kwargs, _parse_records, resource_type="SerialNumberType", identifier=type_name
        )
        return list(found or [])

    # -- unit changes --------------------------------------------------------------------------

    @uses(changes_op)
    def get_unit_changes(
        self, serial_number: str | None = None, part_number: str | None = None, top: int = 100
    ) -> list[UnitChange]:
        """Unit changes not yet acknowledged (at most ``top``), optionally for one unit."""
        changes = self._call_parsed(changes_op, changes_op.request_kwargs(max_count=top), parse_list(UnitChange))
        result = list(changes or [])
        if serial_number is not None:
            wanted = serial_number.casefold()
            result = [c for c in result if (c.unit_serial_number or "").casefold() == wanted]
        if part_number is not None:
            pn = part_number.casefold()
            result = [c for c in result if c.new_part_number is None or c.new_part_number.casefold() == pn]
        return result

    @uses(delete_change_op)
    def acknowledge_unit_change(self, change_id: int | str) -> bool:
        """Mark a unit change as handled (the server deletes it)."""
        key = str(change_id).strip()
        if isinstance(change_id, bool) or not key.isdigit():
            raise invalid("change_id", change_id, "a unit change id (a number)")
        kwargs = delete_change_op.request_kwargs(id=int(key))
        return self._act(delete_change_op, kwargs, "UnitChange", key)

    @uses(delete_change_op)
    def delete_unit_change(self, change_id: int | str) -> bool:
        """Delete a handled unit change (``DELETE /api/Production/Units/Changes/{id}``): same as
        :meth:`acknowledge_unit_change`."""
        return self.acknowledge_unit_change(change_id)

    @uses(changes_op)
    def get_unit_history(self, serial_number: str, part_number: str, top: int = 1000) -> list[UnitChange]:
        """The unit's changes not yet acknowledged (new parent, part, revision, phase), oldest first.

        Reads at most ``top`` pending changes of all units (``GET /api/Production/Units/Changes``)
        and keeps this unit's: an acknowledged change is gone from the server. For every phase
        and process the unit has been in, see :meth:`get_unit_state_history` (internal API).
        """
        return self.get_unit_changes(text("serial_number", serial_number), text("part_number", part_number), top)

    # -- unit details (internal) ---------------------------------------------------------------

    def _internal_object(
        self, endpoint: Endpoint[Any], kwargs: dict[str, Any], serial_number: str, part_number: str
    ) -> Any:
        return self._call_parsed(
            endpoint, kwargs, json_body, resource_type="Unit", identifier=f"{serial_number}/{part_number}"
        )

    @uses(info_op)
    def get_unit_info(self, serial_number: str, part_number: str) -> dict[str, Any] | None:
        """⚠️ INTERNAL API: the unit's details without its sub-units.

        Uses ``GET /api/internal/Production/GetUnitInfo`` (unversioned; may change with a server
        upgrade), whose answer the documents leave untyped: a dict as the server sends it (the
        unit's fields, product, parent and number of child units). An unknown unit is
        ``NotFoundError`` (LENIENT: None). :meth:`get_unit` is the public, typed lookup.
        """
        kwargs = info_op.request_kwargs(serial_number=serial_number, part_number=part_number)
        found = self._internal_object(info_op, kwargs, serial_number, part_number)
        return found if isinstance(found, dict) else None

    @uses(hierarchy_op)
    def get_unit_hierarchy(self, serial_number: str, part_number: str) -> dict[str, Any] | None:
        """⚠️ INTERNAL API: the unit's tree of child units (every level) and its parents.

        Uses ``GET /api/internal/Production/GetUnitHierarchy`` (unversioned; may change with a
        server upgrade); a dict as the server sends it (``children`` nested, ``parents`` nearest
        first). An unknown unit is ``NotFoundError`` (LENIENT: None).
        """
        kwargs = hierarchy_op.request_kwargs(serial_number=serial_number, part_number=part_number)
        found = self._internal_object(hierarchy_op, kwargs, serial_number, part_number)
        return found if isinstance(found, dict) else None

    @uses(state_history_op)
    def get_unit_state_history(self, serial_number: str, part_number: str) -> list[dict[str, Any]]:
        """⚠️ INTERNAL API: every phase and process the unit has been in, oldest first.

        Uses ``GET /api/internal/Production/GetUnitStateHistory`` (unversioned; may change with a
        server upgrade); each entry a dict as the server sends it. Unlike
        :meth:`get_unit_history`, acknowledging changes does not shorten it.
        """
        kwargs = state_history_op.request_kwargs(serial_number=serial_number, part_number=part_number)
        found = self._internal_object(state_history_op, kwargs, serial_number, part_number)
        return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []

    @uses(contents_op)
    def get_unit_contents(self, serial_number: str, part_number: str, revision: str) -> dict[str, Any] | None:
        """⚠️ INTERNAL API: the box build of ``part_number``/``revision``, each line with the unit's
        child units that fill it.

        Uses ``GET /api/internal/Production/GetUnitContents`` (unversioned; may change with a
        server upgrade); a dict as the server sends it. An unknown unit is ``NotFoundError``
        (LENIENT: None); a revision the product lacks is ``ValidationError``.
        """
        kwargs = contents_op.request_kwargs(serial_number=serial_number, part_number=part_number, revision=revision)
        found = self._internal_object(contents_op, kwargs, serial_number, part_number)
        return found if isinstance(found, dict) else None

    @uses(create_unit_op, query=("batchNumber", "unitPhase"))
    def create_unit(
        self,
        serial_number: str,
        part_number: str,
        revision: str,
        batch_number: str | None = None,
        unit_phase: PhaseIdentifier | None = None,
    ) -> Unit | None:
        """⚠️ INTERNAL API: create one unit; one that exists already is refused.

        Uses ``POST /api/internal/Production/CreateUnit`` (unversioned; may change with a server
        upgrade). The product revision must exist (``ValidationError`` otherwise); ``unit_phase``
        is a phase id, ``UnitPhaseFlag``, code or name (default: Under production). Returns the
        unit as stored. :meth:`create_units` is the public way, which adds or updates.
        """
        phase = None if unit_phase is None else _phase_id(unit_phase)
        wanted = {"serialNumber": serial_number, "partNumber": part_number, "revision": revision}
        request = Unit.model_validate(wanted | {"batchNumber": batch_number, "unitPhaseId": phase})
        kwargs = create_unit_op.request_kwargs(
            serial_number=serial_number,
            part_number=part_number,
            revision=revision,
            batch_number=unset_internal(batch_number),
            unit_phase=unset_internal(phase),
        )
        parse = _created_unit(request)
        return self._call_parsed(
            create_unit_op, kwargs, parse, expect_data=False, resource_type="Unit", identifier=serial_number
        )

    # -- assembly (internal) -------------------------------------------------------------------

    @uses(internal_add_child_op, query=("checkPhase",))
    def add_child_unit_validated(
        self,
        serial_number: str,
        part_number: str,
        child_serial_number: str,
        child_part_number: str,
        check_part_number: str,
        check_revision: str,
        culture_code: str = "en-US",
        check_phase: bool | None = None,
    ) -> bool:
        """⚠️ INTERNAL API: attach a child unit, checked against the box build of
        ``check_part_number``/``check_revision``, the server's messages in ``culture_code``.

        Uses ``POST /api/internal/Production/AddChildUnit`` (unversioned; may change with a server
        upgrade). As :meth:`add_child_to_assembly`, except that ``check_phase=False`` lets a child
        that is not finalized in. A refusal is ``ValidationError`` with the server's message.
        """
        kwargs = internal_add_child_op.request_kwargs(
            serial_number=serial_number,
            part_number=part_number,
            child_serial_number=child_serial_number,
            child_part_number=child_part_number,
            check_part_number=check_part_number,
            check_revision=check_revision,
            culture_code=culture_code,
            check_phase=unset_internal(check_phase),
        )
        return self._act(internal_add_child_op, kwargs, "Unit", f"{child_serial_number}/{child_part_number}")

    @uses(internal_remove_child_op, query=("cultureCode",))
    def remove_child_unit_localized(
        self,
        serial_number: str,
        part_number: str,
        child_serial_number: str,
        child_part_number: str,
        culture_code: str | None = None,
    ) -> bool:
        """⚠️ INTERNAL API: detach a child unit, the server's messages in ``culture_code``.

        Uses ``POST /api/internal/Production/RemoveChildUnit`` (unversioned; may change with a
        server upgrade). As :meth:`remove_child_from_assembly` (the public way).
        """
        kwargs = internal_remove_child_op.request_kwargs(
            serial_number=serial_number,
            part_number=part_number,
            child_serial_number=child_serial_number,
            child_part_number=child_part_number,
            culture_code=unset_internal(culture_code),
        )
        return self._act(internal_remove_child_op, kwargs, "Unit", f"{child_serial_number}/{child_part_number}")

    @uses(remove_all_op, query=("cultureCode",))
    def remove_all_child_units(
        self, serial_number: str, part_number: str, culture_code: str | None = None
    ) -> bool:
        """⚠️ INTERNAL API: detach every direct child unit of the unit in one request.

        Uses ``POST /api/internal/Production/RemoveAllChildUnits`` (unversioned; may change with
        a server upgrade). :meth:`remove_all_children_from_assembly` does the same with public
        operations, one per child.
        """
        kwargs = remove_all_op.request_kwargs(
            serial_number=serial_number, part_number=part_number, culture_code=unset_internal(culture_code)
        )
        return self._act(remove_all_op, kwargs, "Unit", f"{serial_number}/{part_number}")

    @uses(internal_check_children_op)
    def validate_child_units(
        self, parent_serial_number: str, parent_part_number: str, culture_code: str = "en-US"
    ) -> dict[str, Any] | None:
        """⚠️ INTERNAL API: :meth:`verify_assembly` with the server's messages in ``culture_code``.

        Uses ``GET /api/internal/Production/CheckChildUnits`` (unversioned; may change with a
        server upgrade). Same answer as :meth:`verify_assembly` (``is_complete``,
        ``missing_children``, ``children``, ``messages``, ``raw``).
        """
        kwargs = internal_check_children_op.request_kwargs(
            culture_code=culture_code,
            parent_serial_number=parent_serial_number,
            parent_part_number=parent_part_number,
        )
        value = self._internal_object(
            internal_check_children_op, kwargs, parent_serial_number, parent_part_number
        )
        return None if value is None else _verify_assembly_result(value, parent_serial_number, parent_part_number)

    @uses(get_unit_op, remove_child_op)
    @aliases(parent_serial_number="parent_serial", parent_part_number="parent_part")
    def remove_all_children_from_assembly(self, parent_serial: str, parent_part: str) -> bool:
        """Detach every direct child unit from its parent, with public operations.

        Reads the parent (``GET /api/Production/Unit/{serial}/{part}``), then removes each child
        (``POST /api/Production/RemoveChildUnit``). One child the server refuses does not stop
        the others: its error is raised once all were tried. False if the parent does not exist
        (LENIENT mode; STRICT raises ``NotFoundError``).
        """
        parent = self.get_unit(parent_serial, parent_part)
        if parent is None:
            return False
        failure: PyWATSError | None = None
        for child in parent.sub_units or []:
            try:
                self.remove_child_from_assembly(
                    parent_serial, parent_part, child.serial_number, child.part_number
                )
            except PyWATSError as exc:
                failure = failure or exc
        if failure is not None:
            raise failure
        return True

    # -- serial numbers: more ways to read, files, ranges, statistics --------------------------

    @uses(sn_range_op)
    def find_serial_numbers_in_range(
        self, type_name: str, from_serial: str, to_serial: str
    ) -> list[dict[str, Any]]:
        """Same as :meth:`get_serial_numbers_by_range` (the pyWATS 0.x name)."""
        return self.get_serial_numbers_by_range(type_name, from_serial, to_serial)

    @uses(sn_reference_op, query=("refSN", "refPN"))
    def find_serial_numbers_by_reference(
        self, type_name: str, reference_serial: str | None = None, reference_part: str | None = None
    ) -> list[dict[str, Any]]:
        """Same as :meth:`get_serial_numbers_by_reference` (the pyWATS 0.x name)."""
        return self.get_serial_numbers_by_reference(type_name, reference_serial, reference_part)

    @uses(sn_upload_op)
    def import_serial_numbers(
        self, file_content: bytes | str, content_type: str = "text/csv", serial_number_type: str | None = None
    ) -> bool:
        """Upload a CSV or XML file of serial numbers into a serial number type (``PUT
        /api/Production/SerialNumbers``, multipart).

        ``content_type`` says the file's format (``text/csv``, ``application/xml``, or just
        ``CSV``/``XML``). ``serial_number_type`` is required: the server adds the numbers to one
        type. Numbers the type holds already are kept as they are; the server refuses a file
        with a number that does not fit the type's format (``ValidationError``).
        """
        fmt = _file_format("content_type", content_type)
        if serial_number_type is None:
            raise invalid("serial_number_type", None, "the serial number type to add the numbers to")
        if isinstance(file_content, str):
            file_content = file_content.encode("utf-8")
        if not isinstance(file_content, bytes) or not file_content.strip():
            raise invalid("file_content", file_content, "the file's content (non-empty bytes or text)")
        kwargs = sn_upload_op.request_kwargs(
            serial_number_type=text("serial_number_type", serial_number_type), format_=fmt
        )
        media = "text/csv" if fmt == "CSV" else "application/xml"
        kwargs["files"] = {"file": (f"serialnumbers.{fmt.lower()}", file_content, media)}
        return self._act(sn_upload_op, kwargs, "SerialNumberType", serial_number_type)

    @uses(sn_export_op, query=("startAddress", "endAddress", "startDate", "endDate"))
    def export_serial_numbers(
        self,
        type_name: str,
        state: str | None = None,
        format: str = "csv",
        *,
        start_address: str | None = None,
        end_address: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> bytes | None:
        """The serial numbers of a type as a CSV or XML file (``GET /api/Production/SerialNumbers``).

        Narrow it with ``start_address``/``end_address`` and ``start_date``/``end_date`` (when the
        numbers were generated); :meth:`get_serial_number_count` says how many an export holds.
        The server's export has no filter by state: ``state`` is refused unless None (use
        :meth:`find_serial_numbers`, which reports each number's state).
        """
        if state is not None:
            raise invalid(
                "state", state, "None: the server's export has no state filter (find_serial_numbers has states)"
            )
        kwargs = sn_export_op.request_kwargs(
            serial_number_type=type_name,
            format_=_file_format("format", format),
            start_address=unset(start_address),
            end_address=unset(end_address),
            start_date=unset(_when("start_date", start_date)),
            end_date=unset(_when("end_date", end_date)),
        )
        return self._call_parsed(
            sn_export_op, kwargs, parse_bytes, resource_type="SerialNumberType", identifier=type_name
        )

    @uses(sn_find_op, query=("startDate", "endDate"))
    def find_serial_numbers(
        self,
        serial_number_type: str,
        start_address: str,
        end_address: str,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """⚠️ INTERNAL API: every serial number of a type from ``start_address`` to ``end_address``
        (generated between the dates, if given), each with its state (free, reserved or taken).

        Uses ``GET /api/internal/Production/SerialNumbers`` (unversioned; may change with a server
        upgrade); each number a dict as the server sends it.
        """
        kwargs = sn_find_op.request_kwargs(
            serial_number_type=serial_number_type,
            start_address=start_address,
            end_address=end_address,
            start_date=unset_internal(_when("start_date", start_date)),
            end_date=unset_internal(_when("end_date", end_date)),
        )
        found = self._call_parsed(
            sn_find_op, kwargs, _parse_records, resource_type="SerialNumberType", identifier=serial_number_type
        )
        return list(found or [])

    @uses(sn_count_op, query=("startAddress", "endAddress", "fromDate", "toDate"))
    def get_serial_number_count(
        self,
        serial_number_type: str,
        start_address: str | None = None,
        end_address: str | None = None,
        from_date: datetime | None = None,
        to_date: datetime | None = None,
    ) -> int | None:
        """⚠️ INTERNAL API: how many serial numbers :meth:`export_serial_numbers` with the same
        addresses and dates would export.

        Uses ``GET /api/internal/Production/SerialNumbers/Count`` (unversioned; may change with a
        server upgrade). An unknown type is ``NotFoundError`` (LENIENT: None).
        """
        kwargs = sn_count_op.request_kwargs(
            serial_number_type=serial_number_type,
            start_address=unset_internal(start_address),
            end_address=unset_internal(end_address),
            from_date=unset_internal(_when("from_date", from_date)),
            to_date=unset_internal(_when("to_date", to_date)),
        )
        return self._call_parsed(
            sn_count_op, kwargs, _parse_count, resource_type="SerialNumberType", identifier=serial_number_type
        )

    @uses(sn_free_op)
    def free_serial_numbers(self, ranges: Sequence[SerialNumberRange | Mapping[str, Any]]) -> bool:
        """⚠️ INTERNAL API: free the reserved serial numbers in each range; taken numbers stay taken.

        Uses ``PUT /api/internal/Production/SerialNumbers/Free`` (unversioned; may change with a
        server upgrade). Each range is a :class:`SerialNumberRange` or a mapping with its type
        (``serial_number_type`` or ``type``) and ``start_address``/``end_address``; all are
        checked before anything is sent.
        """
        if isinstance(ranges, str | bytes | Mapping) or not isinstance(ranges, Sequence):
            raise invalid("ranges", ranges, "a list of serial number ranges")
        wire = [_range_wire(i, item) for i, item in enumerate(ranges)]
        if not wire:
            raise invalid("ranges", ranges, "at least one serial number range")
        return self._act(sn_free_op, sn_free_op.request_kwargs(body=wire), "SerialNumberType", wire[0]["type"])

    @uses(sn_ranges_op, query=("serialNumberType",))
    def get_serial_number_ranges(self, serial_number_type: str | None = None) -> list[SerialNumberRange]:
        """⚠️ INTERNAL API: the stored ranges of one serial number type (or of all), each with how
        many of its numbers are free, reserved and taken.

        Uses ``GET /api/internal/Production/SerialNumbers/Ranges`` (unversioned; may change with
        a server upgrade).
        """
        kwargs = sn_ranges_op.request_kwargs(serial_number_type=unset_internal(serial_number_type))
        found = self._call_parsed(
            sn_ranges_op, kwargs, parse_list_or_none(SerialNumberRange), expect_data=False,
            resource_type="SerialNumberType", identifier=serial_number_type,
        )  # fmt: skip
        return list(found or [])

    @uses(sn_stats_op, query=("serialNumberType",))
    def get_serial_number_statistics(self, serial_number_type: str | None = None) -> dict[str, Any] | None:
        """⚠️ INTERNAL API: totals of one serial number type (or of all): how many numbers it holds,
        how many are free, reserved and taken.

        Uses ``GET /api/internal/Production/SerialNumbers/Statistics`` (unversioned; may change
        with a server upgrade); a dict as the server sends it.
        """
        kwargs = sn_stats_op.request_kwargs(serial_number_type=unset_internal(serial_number_type))
        found = self._call_parsed(
            sn_stats_op, kwargs, json_body, resource_type="SerialNumberType", identifier=serial_number_type
        )
        return found if isinstance(found, dict) else None

    # -- the Production module itself (internal) -----------------------------------------------

    @uses(connected_op)
    def is_connected(self) -> bool:
        """⚠️ INTERNAL API: whether the server's Production module answers as connected.

        Uses ``GET /api/internal/Production/isConnected`` (unversioned; may change with a server
        upgrade). A server that cannot be reached raises (``ConnectionError``), as every call does.
        """
        answer = self._call_parsed(connected_op, connected_op.request_kwargs(), json_body, expect_data=False)
        return answer is True

    @uses(sites_op)
    def get_sites(self) -> list[dict[str, Any]]:
        """⚠️ INTERNAL API: the production sites the server knows, each a dict as it sends it.

        Uses ``GET /api/internal/Production/GetSites`` (unversioned; may change with a server upgrade).
        """
        found = self._call_parsed(sites_op, sites_op.request_kwargs(), _parse_objects)
        return list(found or [])

    # -- batches ---------------------------------------------------------------------------------

    @uses()
    def get_batches(self, part_number: str | None = None, batch_id: str | None = None) -> list[ProductionBatch]:
        """Not available: WATS documents no operation that lists production batches.

        Always raises ``PyWATSError`` saying so (nothing is sent). Batches are written with
        :meth:`save_batches`, :meth:`create_batch` and :meth:`update_batch`; a unit's batch is
        its ``batch_number`` (:meth:`get_units` filters by it).
        """
        raise NoDocumentedOperationError.for_method(
            "get_batches",
            "list production batches",
            "batches can be written (save_batches, create_batch, update_batch), and units filtered by batch "
            "(get_units(batch_number=...))",
        )

    @uses(put_batches_op)
    def create_batch(self, batch: ProductionBatch | Mapping[str, Any]) -> ProductionBatch:
        """Add a production batch (lot): ``ProductionBatch(batch_number=..., batch_size=...)`` or a mapping.

        WATS has one batch operation, add or update (``PUT /api/Production/Batches``): a batch
        number that exists already is updated, not refused. Returns the batch as sent.
        """
        model = _batch(batch)
        self.save_batches([model])
        return model

    @uses(put_batches_op)
    def update_batch(self, batch: ProductionBatch | Mapping[str, Any]) -> ProductionBatch:
        """Save a production batch's size (``PUT /api/Production/Batches``, add or update); returns it as sent."""
        return self.create_batch(batch)

    # -- phases ----------------------------------------------------------------------------------

    @uses()
    def get_phase_by_name(self, name: str) -> UnitPhase | None:
        """The phase with this name or code (any casing, "Finalized", "Under production"); None if none."""
        return find_phase(text("name", name))
