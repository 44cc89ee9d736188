"""Manual Inspection models: definitions, their relations, steps, misc info and inspection runs."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any
from uuid import UUID

from pydantic import AliasChoices, ConfigDict, Field

from ...core.model import FacadeModel, Synonym

__all__ = [
    "InspectionDefinition",
    "InspectionRelation",
    "InspectionRun",
    "InspectionStatus",
    "InspectionStep",
    "MiscInfo",
    "RelationConflict",
]


class InspectionStatus(IntEnum):
    """A definition's place in its life cycle (the server's ``Status`` number).

    WATS allows Draft → Pending, Pending → Draft or Released, Released → Revoked; only Draft
    definitions take edits.
    """

    DRAFT = 0
    PENDING = 1
    RELEASED = 2
    REVOKED = 3


def _wire(name: str, **kw: Any) -> Any:
    """A field the server spells ``name``: read under either name, written under the server's; the
    constructor takes the Python name (``InspectionStep(definition_id=...)``)."""
    if "default_factory" not in kw:
        kw.setdefault("default", None)
    return Field(validation_alias=AliasChoices(name), serialization_alias=name, **kw)


class _Wire(FacadeModel):
    # unknown server fields are kept (extra="allow"), so a newer server loses nothing on a round trip
    model_config = ConfigDict(populate_by_name=True, extra="allow")


class InspectionRelation(_Wire):
    """What a definition applies to (``TestSequenceRelation``): e.g. ``entity_key="PartNumber"``,
    ``entity_value="WIDGET-001"`` (``"*"`` for every product)."""

    relation_id: UUID | None = _wire("TestSequenceRelationId")
    definition_id: UUID | None = _wire("TestSequenceDefinitionId")
    entity_schema: str | None = _wire("EntitySchema")
    entity_name: str | None = _wire("EntityName")
    entity_key: str | None = _wire("EntityKey")
    entity_value: str | None = _wire("EntityValue")
    status: int | None = _wire("Status")
    product_name: str | None = _wire("ProductName")


class InspectionDefinition(_Wire):
    """A manual inspection definition (``TestSequenceDefinition``), one version of a named inspection."""

    definition_id: UUID | None = _wire("TestSequenceDefinitionId")
    name: str | None = _wire("Name")
    version: int | None = _wire("Version")
    description: str | None = _wire("Description")
    status: InspectionStatus | None = _wire("Status")
    is_global: bool | None = _wire("IsGlobal")
    on_fail_goto_cleanup: bool | None = _wire("OnFailGotoCleanup")
    on_fail_require_submit: bool | None = _wire("OnFailRequireSubmit")
    on_fail_require_repair: int | None = _wire("OnFailRequireRepair")
    add_child_units: bool | None = _wire("AddChildUnits")
    created: datetime | None = _wire("Created")
    created_by: str | None = _wire("CreatedBy")
    modified: datetime | None = _wire("Modified")
    modified_by: str | None = _wire("ModifiedBy")
    released: datetime | None = _wire("Released")
    released_by: str | None = _wire("ReleasedBy")
    revoked: datetime | None = _wire("Revoked")
    revoked_by: str | None = _wire("RevokedBy")
    instances_count: int | None = _wire("InstancesCount")
    relations: list[InspectionRelation] = _wire("Relations", default_factory=list)

    id = Synonym[UUID | None]("definition_id", "The definition's id (what the other methods take).")


class RelationConflict(_Wire):
    """Another Released definition with the same relation (``ConflictingProductionManagerRelation``)."""

    definition_id: UUID | None = _wire("id")
    name: str | None = None
    version: int | None = None


class MiscInfo(_Wire):
    """A misc-info field an operator fills in, checked against ``regex`` (``is_valid`` from the server)."""

    guid: UUID | None = None
    name: str | None = None
    regex: str | None = None
    value: str | None = None
    is_valid: bool | None = _wire("isValid")
    type: int | None = None


class InspectionStep(_Wire):
    """A step of a manual inspection (``Step``): a string test, a pass/fail check, ..."""

    definition_id: UUID | None = _wire("definitionId")
    step_id: int | None = _wire("id")
    parent_id: int | None = _wire("parentId")
    name: str | None = None
    type: str | None = None
    description: str | None = _wire("desc")
    result: int | None = None
    operator: str | None = None
    url: str | None = None
    exec_time: float | None = _wire("execTime")
    pass_all_affected: bool | None = _wire("passAllAffected")
    allow_skip: bool | None = _wire("allowSkip")
    comment: str | None = None
    add_attachments: int | None = _wire("addAttachments")


class InspectionRun(_Wire):
    """One unit's run of a definition (what the server calls a sequence), with its steps."""

    run_id: UUID | None = _wire("uuid")
    definition_id: UUID | None = _wire("definitionId")
    name: str | None = None
    version: int | None = None
    status: int | None = None
    serial_number: str | None = _wire("serialNumber")
    part_number: str | None = _wire("partNumber")
    revision: str | None = None
    batch_number: str | None = _wire("batchNumber")
    station_name: str | None = _wire("stationName")
    steps: list[InspectionStep] = Field(default_factory=list)
