# DO NOT EDIT — generated from pywats/domains/production/async_service.py by `python -m pywats._unasync`.
"""The Production service: units, phases, processes, serial numbers, assemblies, changes, batches."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import httpx
from wats_internal.api.mes import mes_get_unit_phases
from wats_internal.api.production import production_get_unit as internal_get_unit_op
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

from ..._sync.service import SyncService
from ...core.batch import SyncBatch
from ...core.binding import Endpoint, uses
from ...core.exceptions import ErrorMode, InvalidArgumentError
from ...core.internal import warn_internal
from ...core.wire import (
    aliases,
    ignore_body,
    invalid,
    json_body,
    parse_list,
    parse_list_or_none,
    parse_model,
    positive,
    text,
    unset,
)
from ..process.service import ProcessService
from .models import (
    ProductionBatch,
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


def _verify_assembly_result(value: Any, parent_serial: str, parent_part: str) -> dict[str, Any]:
    """A plain dict (``is_complete``, ``missing_children``, ...) of CheckChildUnits' answer."""
    body = value if isinstance(value, dict) else {"result": value}
    missing = [
        {
            "part_number": m.get("partNumber"),
            "revision": m.get("revision"),
            "quantity": m.get("quantity"),
            "missing": m.get("missing"),
        }
        for m in body.get("missingChildren") or []
        if isinstance(m, dict)
    ]
    return {
        "serial_number": parent_serial,
        "part_number": parent_part,
        "is_complete": bool(body.get("isValid")) and not missing,
        "missing_children": missing,
        "children": body.get("children") or [],
        "messages": body.get("messages") or [],
        "raw": body,
    }


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
            kwargs = internal_get_unit_op.request_kwargs(serial_number=serial)
            return self._call_parsed(
                internal_get_unit_op,
                kwargs,
                parse_model(Unit),
                resource_type="Unit",
                identifier=serial,
                error_mode=error_mode,
            )
        kwargs = get_unit_op.request_kwargs(serial_number=serial, part_number=part)
        return self._call_parsed(
            get_unit_op,
            kwargs,
            parse_model(Unit),
            resource_type="Unit",
            identifier=f"{serial}/{part}",
            error_mode=error_mode,
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
        wire = [b.model_dump(by_alias=True, mode="json", exclude_none=True) for b in models]
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
