"""Production models: units, phases, verification grades, unit changes, serial number types, batches.

Attributes are snake_case with the server's field names as aliases; fields the server sends that
these models do not name are kept (``extra="allow"``) and sent back on update, so nothing is lost.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntFlag
from typing import Any

from pydantic import AliasChoices, ConfigDict, Field, field_validator, model_validator

from pywats._compat import StrEnum

from ...core.model import FacadeModel, Synonym, WritableSynonym

__all__ = [
    "ProductionBatch",
    "SerialNumberRange",
    "SerialNumberType",
    "Unit",
    "UnitChange",
    "UnitInfo",
    "UnitPhase",
    "UnitPhaseFlag",
    "UnitProcessResult",
    "UnitProduct",
    "UnitProductRevision",
    "UnitVerification",
    "UnitVerificationGrade",
]

_CONFIG = ConfigDict(populate_by_name=True, extra="allow")


class UnitPhaseFlag(IntFlag):
    """The unit phases WATS defines (``PUT /api/Production/SetUnitPhase`` takes these numbers)."""

    UNKNOWN = 1
    UNDER_PRODUCTION = 2
    PRODUCTION_REPAIR = 4
    SERVICE_REPAIR = 8
    FINALIZED = 16
    SCRAPPED = 32
    EXTENDED_TEST = 64
    CUSTOMIZATION = 128
    REPAIRED = 256
    MISSING = 512
    IN_STORAGE = 1024
    SHIPPED = 2048
    UNDER_PRODUCTION_QUEUED = 4098
    PRODUCTION_REPAIR_QUEUED = 4100
    SERVICE_REPAIR_QUEUED = 4104


class UnitPhase(FacadeModel):
    """A unit phase: its id (a :class:`UnitPhaseFlag` value), code, name and description."""

    model_config = _CONFIG

    unit_phase_id: int = Field(validation_alias=AliasChoices("UnitPhaseId", "unitPhaseId", "unit_phase_id"))
    code: str = Field(validation_alias=AliasChoices("Code", "code"))
    name: str = Field(validation_alias=AliasChoices("Name", "name"))
    description: str | None = Field(default=None, validation_alias=AliasChoices("Description", "description"))

    phase_flags = Synonym[int]("unit_phase_id", "The phase's bit value (WATS phase ids are flags).")


class UnitProduct(FacadeModel):
    """The product a unit is of, as the unit answer attaches it."""

    model_config = _CONFIG

    product_id: str | None = Field(default=None, alias="productId")
    part_number: str | None = Field(default=None, alias="partNumber")
    name: str | None = Field(default=None, alias="name")
    description: str | None = Field(default=None, alias="description")
    non_serial: bool | None = Field(default=None, alias="nonSerial")
    state: int | None = Field(default=None, alias="state")


class UnitProductRevision(FacadeModel):
    """The product revision a unit is of, as the unit answer attaches it."""

    model_config = _CONFIG

    product_revision_id: str | None = Field(default=None, alias="productRevisionId")
    product_id: str | None = Field(default=None, alias="productId")
    revision: str | None = Field(default=None, alias="revision")
    name: str | None = Field(default=None, alias="name")
    description: str | None = Field(default=None, alias="description")
    state: int | None = Field(default=None, alias="state")


class Unit(FacadeModel):
    """One physical unit: serial number, product (part number and revision), phase and process.

    Other names are accepted and read as well: ``part_revision`` is the revision,
    ``current_phase`` (and ``status``) the phase name the server reports, ``current_process``
    the process code, ``location`` the current location, ``created`` the serial date and
    ``lot_number`` the batch number. WATS has no separate status: ``status`` is the phase name.
    """

    model_config = _CONFIG

    serial_number: str = Field(alias="serialNumber")
    part_number: str = Field(alias="partNumber")
    part_revision: str | None = Field(default=None, alias="revision")
    parent_serial_number: str | None = Field(default=None, alias="parentSerialNumber")
    batch_number: str | None = Field(default=None, alias="batchNumber")
    serial_date: datetime | None = Field(default=None, alias="serialDate")
    current_location: str | None = Field(default=None, alias="currentLocation")
    xml_data: str | None = Field(default=None, alias="xmlData")
    unit_phase_id: int | None = Field(default=None, alias="unitPhaseId")
    unit_phase: str | None = Field(default=None, alias="unitPhase")
    process_code: str | None = Field(default=None, alias="processCode")
    tags: list[dict[str, Any]] | None = Field(default=None, alias="tags")
    product_revision: UnitProductRevision | None = Field(default=None, alias="productRevision")
    product: UnitProduct | None = Field(default=None, alias="product")
    sub_units: list[Unit] | None = Field(default=None, alias="subUnits")

    @model_validator(mode="before")
    @classmethod
    def _other_names(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for other, field in (
            ("created", "serial_date"),
            ("lot_number", "batch_number"),
            ("location", "current_location"),
            ("current_phase", "unit_phase"),
            ("status", "unit_phase"),
            ("current_process", "process_code"),
        ):
            if other in data:
                value = data.pop(other)
                if value is not None and data.get(field) is None:
                    data[field] = value
        return data

    @field_validator("process_code", mode="before")
    @classmethod
    def _code_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    current_phase = Synonym[str | None]("unit_phase", 'The phase name the server reports (e.g. "Finalized").')

    status = WritableSynonym[str | None](
        "unit_phase", "Same as :attr:`current_phase` (WATS keeps no other unit status)."
    )

    @property
    def current_process(self) -> int | None:
        """The current process code as a number (None when unset or not numeric)."""
        code = (self.process_code or "").strip()
        return int(code) if code.lstrip("-").isdigit() else None

    location = WritableSynonym[str | None]("current_location", "The unit's current location.")

    created = Synonym[datetime | None]("serial_date", "The unit's serial date (when it was registered).")

    @property
    def modified(self) -> datetime | None:
        """When the server last changed the unit, if it says (``modified`` field), else None."""
        extra = self.model_extra or {}
        value = extra.get("modified") or extra.get("lastModified")
        return value if isinstance(value, datetime) else None

    def wire(self) -> dict[str, Any]:
        """The unit as ``PUT /api/Production/Units`` takes it (read-only fields left out)."""
        body = self.to_wire()
        for read_only in ("unitPhase", "tags", "product", "productRevision"):
            body.pop(read_only, None)
        return body


#: Another name for :class:`Unit`.
UnitInfo = Unit


class UnitVerificationGrade(StrEnum):
    """The overall verdict of a unit verification."""

    PASSED = "Passed"
    FAILED = "Failed"
    NOT_TESTED = "NotTested"
    INCOMPLETE = "Incomplete"


_GRADES = {g.value.casefold(): g for g in UnitVerificationGrade} | {
    "not tested": UnitVerificationGrade.NOT_TESTED,
    "unknown": UnitVerificationGrade.NOT_TESTED,
}


def grade_of(text: str | None) -> UnitVerificationGrade | None:
    """The grade a server status text names (any casing), None if it names none."""
    return _GRADES.get((text or "").strip().casefold())


class UnitProcessResult(FacadeModel):
    """A unit's results in one process of its verification rule."""

    model_config = _CONFIG

    process_code: int | None = Field(default=None, alias="processCode")
    process_name: str | None = Field(default=None, alias="processName")
    process_index: int | None = Field(default=None, alias="processIndex")
    status: str | None = Field(default=None, alias="status")
    start_utc: datetime | None = Field(default=None, alias="startUtc")
    station_name: str | None = Field(default=None, alias="stationName")
    total_count: int | None = Field(default=None, alias="totalCount")
    non_passed_count: int | None = Field(default=None, alias="nonPassedCount")
    repair_count: int | None = Field(default=None, alias="repairCount")


class UnitVerification(FacadeModel):
    """``GET /api/Production/UnitVerification``: a unit's grade under its verification rules.

    ``status`` and ``grade`` are the server's texts; :attr:`verdict` is the status as a
    :class:`UnitVerificationGrade` (None if the server used a word pywats does not know).
    """

    model_config = _CONFIG

    status: str | None = Field(default=None, alias="status")
    grade_text: str | None = Field(default=None, alias="grade")
    all_processes_executed_in_correct_order: bool | None = Field(
        default=None, alias="allProcessesExecutedInCorrectOrder"
    )
    all_processes_passed_first_run: bool | None = Field(default=None, alias="allProcessesPassedFirstRun")
    all_processes_passed_any_run: bool | None = Field(default=None, alias="allProcessesPassedAnyRun")
    all_processes_passed_last_run: bool | None = Field(default=None, alias="allProcessesPassedLastRun")
    no_repairs: bool | None = Field(default=None, alias="noRepairs")
    results: list[UnitProcessResult] = Field(default_factory=list, alias="results")

    @field_validator("results", mode="before")
    @classmethod
    def _no_null_list(cls, value: Any) -> Any:
        return [] if value is None else value

    @property
    def grade(self) -> UnitVerificationGrade | None:
        """The verdict as a :class:`UnitVerificationGrade` (from ``status``, else ``grade``)."""
        return grade_of(self.status) or grade_of(self.grade_text)

    @property
    def is_passing(self) -> bool:
        """True when the verdict is PASSED."""
        return self.grade is UnitVerificationGrade.PASSED

    @property
    def failed_step_count(self) -> int:
        """Processes of the rule the unit has not (yet) passed on its last run."""
        return sum(1 for r in self.results if grade_of(r.status) is UnitVerificationGrade.FAILED)

    @property
    def passed_step_count(self) -> int:
        """Processes of the rule the unit passed on its last run."""
        return sum(1 for r in self.results if grade_of(r.status) is UnitVerificationGrade.PASSED)


class UnitChange(FacadeModel):
    """A unit change (new parent, part number, revision or phase) waiting to be handled.

    ``new_unit_phase_id`` is what the server sends; ``serial_number``,
    ``unit_change_id``, ``comment``, ``user``, ``changed`` and ``old_unit_phase_id`` are read
    from the server's fields where it has them, else None.
    """

    model_config = _CONFIG

    id: int = Field(alias="id")
    unit_serial_number: str | None = Field(default=None, alias="unitSerialNumber")
    new_parent_serial_number: str | None = Field(default=None, alias="newParentSerialNumber")
    new_part_number: str | None = Field(default=None, alias="newPartNumber")
    new_revision: str | None = Field(default=None, alias="newRevision")
    new_unit_phase_id: int | None = Field(default=None, alias="newUnitPhaseId")

    def _extra(self, *names: str) -> Any:
        extra = self.model_extra or {}
        return next((extra[n] for n in names if extra.get(n) is not None), None)

    unit_change_id = Synonym[int]("id", "Same as :attr:`id` (what :meth:`acknowledge_unit_change` takes).")
    serial_number = Synonym[str | None]("unit_serial_number", "The serial number of the unit that changed.")
    part_number = Synonym[str | None]("new_part_number", "The part number of the unit that changed.")

    @property
    def old_unit_phase_id(self) -> int | None:
        """The unit's phase before the change, if it changed."""
        value = self._extra("oldUnitPhaseId")
        return int(value) if value is not None else None

    @property
    def changed(self) -> Any:
        """When the change was made, as the server sent it."""
        return self._extra("changed", "changeDate")

    @property
    def user(self) -> str | None:
        """Who made the change, if the server says."""
        value = self._extra("user", "userName")
        return str(value) if value is not None else None

    @property
    def comment(self) -> str | None:
        """The comment recorded with the change, if any."""
        value = self._extra("comment")
        return str(value) if value is not None else None


class SerialNumberType(FacadeModel):
    """A serial number type (a pool of serial numbers with its format)."""

    model_config = _CONFIG

    name: str = Field(alias="name")
    description: str | None = Field(default=None, alias="description")
    format: str | None = Field(default=None, alias="format")
    reg_ex: str | None = Field(default=None, alias="regEx")
    identifier: int | None = Field(default=None, alias="identifier")
    identifier_name: str | None = Field(default=None, alias="identifierName")

    pattern = Synonym[str | None]("format", "The serial number format (another name for ``format``).")

    @property
    def next_number(self) -> Any:
        """The next free serial number, if the server says (``nextNumber``), else None."""
        return (self.model_extra or {}).get("nextNumber")


class ProductionBatch(FacadeModel):
    """A production batch (lot): its number and size."""

    model_config = _CONFIG

    batch_number: str = Field(alias="batchNumber")
    batch_size: int | None = Field(default=None, alias="batchSize")


class SerialNumberRange(FacadeModel):
    """A range of serial numbers of one type, from ``start_address`` to ``end_address``.

    :meth:`~pywats.domains.production.async_service.AsyncProductionService.free_serial_numbers`
    takes these (type and addresses); :meth:`get_serial_number_ranges` answers them with how many
    of their numbers are ``free``, ``reserved`` and ``taken`` (of ``total``).
    """

    model_config = _CONFIG

    serial_number_type: str | None = Field(default=None, alias="type")
    identifier: int | None = Field(default=None, alias="identifier")
    identifier_name: str | None = Field(default=None, alias="identifierName")
    start_address: str | None = Field(default=None, alias="startAddress")
    end_address: str | None = Field(default=None, alias="endAddress")
    total: int | None = Field(default=None, alias="total")
    free: int | None = Field(default=None, alias="free")
    taken: int | None = Field(default=None, alias="taken")
    reserved: int | None = Field(default=None, alias="reserved")
