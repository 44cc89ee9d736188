"""The Manual Inspection service: definitions and their life cycle, relations, XAML, runs (``api.manual_inspection``).

Every operation is WATS's internal ``/api/internal/ManualInspection/*``: each call warns
``InternalAPIWarning``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from uuid import UUID

import httpx
from wats_internal.api.manual_inspection import (
    manual_inspection_delete_relation_new as delete_relations_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_delete_sequence as delete_sequence_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_definition_copy as copy_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_instances_count as instances_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_mi_details as details_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_relation_conflicts_new as conflicts_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_relations as relations_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_sequences as sequences_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_test_sequence_definition as get_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_test_sequence_definition_xaml as get_xaml_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_test_sequence_definitions as list_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_get_watswwf_content as wwf_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_post_definition as post_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_post_relation as post_relation_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_put_definition_new as put_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_put_relation as put_relation_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_put_sequence as put_sequence_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_put_string_test as string_test_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_put_test_sequence_definition_xaml as put_xaml_op,
)
from wats_internal.api.manual_inspection import (
    manual_inspection_validate_misc_info as misc_info_op,
)

from ..._async.service import AsyncService
from ...core.binding import Endpoint, uses
from ...core.exceptions import InvalidArgumentError
from ...core.wire import guid, ignore_body, invalid, json_body, parse_list, parse_model, text, unset_internal
from .models import (
    InspectionDefinition,
    InspectionRelation,
    InspectionRun,
    InspectionStatus,
    InspectionStep,
    MiscInfo,
    RelationConflict,
)

__all__ = ["AsyncManualInspectionService"]

Id = UUID | str
T = TypeVar("T")
_DEFINITION = "manual inspection definition"
_GUID = "a GUID (uuid.UUID or its text)"


def _definition_id(definition: InspectionDefinition | Id, name: str = "definition_id") -> UUID:
    if isinstance(definition, InspectionDefinition):
        if definition.definition_id is None:
            raise InvalidArgumentError(f"{name} is an InspectionDefinition without a definition_id (not saved yet)")
        return definition.definition_id
    return guid(name, definition, _GUID)


def _object(content: Any) -> dict[str, Any] | None:
    # the server's JSON object as it is; anything else wrapped as ``{"content": ...}``
    return content if content is None or isinstance(content, dict) else {"content": content}


# The ProductionManagerEntity fields a definition edit sends (the entity spells them camelCase).
_ENTITY_FIELDS = {
    "name": "name",
    "description": "description",
    "is_global": "isGlobal",
    "add_child_units": "addChildUnits",
    "on_fail_require_submit": "onFailRequireSubmit",
    "on_fail_require_repair": "onFailRequireRepair",
}


class AsyncManualInspectionService(AsyncService):
    """Manual inspections: ``/api/internal/ManualInspection/*`` (internal API)."""

    async def _about(
        self,
        endpoint: Endpoint[Any],
        kwargs: dict[str, Any],
        parse: Callable[[httpx.Response], T],
        identifier: Any,
        resource_type: str = _DEFINITION,
    ) -> T | None:
        # a call about one definition (or run): not found names it
        return await self._call_parsed(endpoint, kwargs, parse, resource_type=resource_type, identifier=identifier)

    # -- definitions ------------------------------------------------------------------------------

    @uses(list_op)
    async def list_definitions(self, is_global: bool = False) -> list[InspectionDefinition]:
        """⚠️ INTERNAL API: The definitions, global ones (``is_global=True``) or product-related ones (the default)."""
        kwargs = list_op.request_kwargs(is_global_definitions=is_global)
        return await self._call_parsed(list_op, kwargs, parse_list(InspectionDefinition)) or []

    @uses(get_op)
    async def get_definition(self, definition_id: Id) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: The definition with this id, with its relations.

        Unknown: ``NotFoundError`` (None in LENIENT)."""
        uid = guid("definition_id", definition_id, _GUID)
        return await self._about(
            get_op, get_op.request_kwargs(definition_id=uid), parse_model(InspectionDefinition), definition_id
        )

    @uses(post_op, query=("createDefaultXaml",))
    async def create_definition(
        self,
        name: str,
        description: str = "",
        is_global: bool = False,
        on_fail_goto_cleanup: bool = False,
        on_fail_require_submit: bool = False,
        on_fail_require_repair: bool | int = False,
        add_child_units: bool = False,
    ) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: A new Draft definition with the server's default XAML. A name that exists gets its next
        version. ``on_fail_require_repair`` is WATS's number (``True`` is 1). Never retried (a POST)."""
        if isinstance(on_fail_require_repair, bool):
            repair = int(on_fail_require_repair)
        elif isinstance(on_fail_require_repair, int) and on_fail_require_repair >= 0:
            repair = on_fail_require_repair
        else:
            raise invalid("on_fail_require_repair", on_fail_require_repair, "True/False or a number >= 0")
        wire = {
            "Name": text("name", name).strip(),
            "Description": description,
            "IsGlobal": is_global,
            "OnFailGotoCleanup": on_fail_goto_cleanup,
            "OnFailRequireSubmit": on_fail_require_submit,
            "OnFailRequireRepair": repair,
            "AddChildUnits": add_child_units,
        }
        return await self._post_definition(wire)

    async def _post_definition(self, wire: dict[str, Any]) -> InspectionDefinition | None:
        kwargs = post_op.request_kwargs(body=wire, create_default_xaml=True)
        return await self._call_parsed(post_op, kwargs, parse_model(InspectionDefinition))

    @uses(put_op)
    async def update_definition(self, definition: InspectionDefinition) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: Save a Draft definition's ``name``, ``description``, ``is_global``, ``add_child_units`` and
        ``on_fail_require_*`` (change the fields of what :meth:`get_definition` returned). The server
        refuses edits of a definition that is not Draft (``ValidationError``)."""
        if not isinstance(definition, InspectionDefinition):
            raise invalid("definition", definition, "an InspectionDefinition (from get_definition)")
        uid = _definition_id(definition, "definition")
        entity: dict[str, Any] = {"id": str(uid)}
        for attr, key in _ENTITY_FIELDS.items():
            value = getattr(definition, attr)
            if value is not None:
                entity[key] = value
        if definition.status is not None:
            entity["status"] = int(definition.status)
        return await self._put_entity(entity, definition)

    async def _put_entity(self, entity: dict[str, Any], identifier: Any) -> InspectionDefinition | None:
        kwargs = put_op.request_kwargs(body=entity)
        return await self._about(put_op, kwargs, parse_model(InspectionDefinition), identifier)

    @uses(copy_op)
    async def copy_definition(self, definition_id: Id) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: An unsaved Draft copy of the definition (new id, same name and relations): change it and
        save it with :meth:`copy_inspection`'s second step, or use :meth:`copy_inspection` directly."""
        uid = guid("definition_id", definition_id, _GUID)
        return await self._about(copy_op, copy_op.request_kwargs(uid), parse_model(InspectionDefinition), definition_id)

    @uses(instances_op)
    async def get_instances_count(self, definition_id: Id) -> int | None:
        """⚠️ INTERNAL API: How many inspection runs the definition has (the server marks this operation deprecated)."""
        uid = guid("definition_id", definition_id, _GUID)
        count = await self._about(instances_op, instances_op.request_kwargs(uid), json_body, definition_id)
        return None if count is None else int(count)

    # -- the inspection life cycle ----------------------------------------------------------------

    @uses(post_op, query=("createDefaultXaml",))
    async def create_inspection(
        self, name: str, description: str = "", is_global: bool = False
    ) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: A new Draft inspection (definition) with the default XAML: :meth:`create_definition` with
        the defaults for the on-fail options. Never retried (a POST)."""
        return await self.create_definition(name, description, is_global)

    @uses(get_op)
    async def get_inspection(self, inspection_id: Id) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: The inspection (definition) with this id: :meth:`get_definition`."""
        return await self.get_definition(inspection_id)

    async def _move(self, inspection_id: Id, status: InspectionStatus) -> InspectionDefinition | None:
        uid = guid("inspection_id", inspection_id, _GUID)
        return await self._put_entity({"id": str(uid), "status": int(status)}, inspection_id)

    @uses(put_op)
    async def move_to_pending(self, inspection_id: Id) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: Draft → Pending (ready for review); any other status: ``ValidationError`` from the server."""
        return await self._move(inspection_id, InspectionStatus.PENDING)

    @uses(put_op)
    async def move_to_draft(self, inspection_id: Id) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: Pending → Draft (back for edits); any other status: ``ValidationError`` from the server."""
        return await self._move(inspection_id, InspectionStatus.DRAFT)

    @uses(put_op)
    async def release_inspection(self, inspection_id: Id) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: Pending → Released (operators get it).

        Any other status: ``ValidationError`` from the server."""
        return await self._move(inspection_id, InspectionStatus.RELEASED)

    @uses(put_op)
    async def revoke_inspection(self, inspection_id: Id) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: Released → Revoked (withdrawn); any other status: ``ValidationError`` from the server."""
        return await self._move(inspection_id, InspectionStatus.REVOKED)

    @uses(copy_op, post_op, query=("createDefaultXaml",))
    async def copy_inspection(self, inspection_id: Id) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: Copy the inspection and save the copy: the next version of its name, Draft, with the same
        description, options, relations and XAML. Never retried (the save is a POST)."""
        copy = await self.copy_definition(inspection_id)
        if copy is None:
            return None
        wire = copy.to_wire()
        wire.pop("TestSequenceDefinitionId", None)
        return await self._post_definition(wire)

    # -- XAML, WWF content, string tests, misc info -----------------------------------------------

    @uses(get_xaml_op)
    async def get_xaml(self, definition_id: Id) -> str | None:
        """⚠️ INTERNAL API: The definition's workflow XAML, as text."""
        uid = guid("definition_id", definition_id, _GUID)
        xaml = await self._about(get_xaml_op, get_xaml_op.request_kwargs(definition_id=uid), json_body, definition_id)
        return xaml if xaml is None or isinstance(xaml, str) else json.dumps(xaml)

    @uses(put_xaml_op, query=("username",))
    async def put_xaml(self, definition_id: Id, xaml: str, username: str | None = None) -> InspectionDefinition | None:
        """⚠️ INTERNAL API: Replace a Draft definition's XAML (``username`` is recorded as who changed it)."""
        uid = guid("definition_id", definition_id, _GUID)
        kwargs = put_xaml_op.request_kwargs(
            body=text("xaml", xaml).strip(),
            definition_id=uid,
            username=unset_internal(None if username is None else text("username", username).strip()),
        )
        return await self._about(put_xaml_op, kwargs, parse_model(InspectionDefinition), definition_id)

    @uses(wwf_op)
    async def get_wwf_content(self, definition_id: Id) -> dict[str, Any] | None:
        """⚠️ INTERNAL API: The definition's Windows Workflow (WWF) content, as the server's JSON object."""
        uid = guid("definition_id", definition_id, _GUID)
        content = await self._about(wwf_op, wwf_op.request_kwargs(uid), json_body, definition_id)
        return _object(content)

    @uses(string_test_op)
    async def put_string_test(self, step: InspectionStep) -> InspectionStep | None:
        """⚠️ INTERNAL API: Add a string-test step to a Draft definition (``step.definition_id``), or replace the step
        with its ``step_id``. Returns the step as saved (with its id)."""
        if not isinstance(step, InspectionStep):
            raise invalid("step", step, "an InspectionStep")
        if step.definition_id is None:
            raise InvalidArgumentError("step.definition_id is required: the definition the step belongs to")
        text("step.name", step.name)
        kwargs = string_test_op.request_kwargs(body=step.to_wire())
        return await self._about(string_test_op, kwargs, parse_model(InspectionStep), step.definition_id)

    @uses(misc_info_op)
    async def validate_misc_info(self, misc_info: MiscInfo) -> MiscInfo | None:
        """⚠️ INTERNAL API: The misc info checked by the server.

        ``is_valid`` tells whether ``value`` matches ``regex``."""
        if not isinstance(misc_info, MiscInfo):
            raise invalid("misc_info", misc_info, "a MiscInfo")
        kwargs = misc_info_op.request_kwargs(body=misc_info.to_wire())
        return await self._call_parsed(misc_info_op, kwargs, parse_model(MiscInfo))

    # -- relations --------------------------------------------------------------------------------

    @uses(relations_op)
    async def list_relations(self, definition_id: Id) -> list[InspectionRelation]:
        """⚠️ INTERNAL API: What the definition applies to (products, by part number)."""
        uid = guid("definition_id", definition_id, _GUID)
        found = await self._about(
            relations_op, relations_op.request_kwargs(uid), parse_list(InspectionRelation), definition_id
        )
        return found or []

    @uses(conflicts_op)
    async def get_relation_conflicts(self, definition_id: Id) -> list[RelationConflict]:
        """⚠️ INTERNAL API: The other Released definitions with one of this definition's relations."""
        uid = guid("definition_id", definition_id, _GUID)
        found = await self._about(
            conflicts_op,
            conflicts_op.request_kwargs(uid),
            parse_list(RelationConflict),
            definition_id,
        )
        return found or []

    @uses(post_relation_op)
    async def create_relation(
        self,
        definition_id: Id,
        entity_schema: str = "Production",
        entity_name: str = "Product",
        entity_key: str = "PartNumber",
        entity_value: str = "*",
    ) -> InspectionRelation | None:
        """⚠️ INTERNAL API: Relate the definition to products: by default every product; ``entity_value="WIDGET-001"``
        for one part number. Never retried (a POST)."""
        relation = InspectionRelation(
            definition_id=guid("definition_id", definition_id, _GUID),
            entity_schema=text("entity_schema", entity_schema).strip(),
            entity_name=text("entity_name", entity_name).strip(),
            entity_key=text("entity_key", entity_key).strip(),
            entity_value=text("entity_value", entity_value).strip(),
        )
        kwargs = post_relation_op.request_kwargs(body=relation.to_wire())
        return await self._about(post_relation_op, kwargs, parse_model(InspectionRelation), definition_id)

    @uses(put_relation_op)
    async def update_relation(self, relation: InspectionRelation) -> InspectionRelation | None:
        """⚠️ INTERNAL API: Save a relation's changed fields (``relation.relation_id`` names it)."""
        if not isinstance(relation, InspectionRelation) or relation.relation_id is None:
            raise InvalidArgumentError(
                "relation must be an InspectionRelation with a relation_id (from list_relations or create_relation)"
            )
        kwargs = put_relation_op.request_kwargs(body=relation.to_wire())
        return await self._call_parsed(
            put_relation_op,
            kwargs,
            parse_model(InspectionRelation),
            resource_type="manual inspection relation",
            identifier=relation.relation_id,
        )

    @uses(delete_relations_op)
    async def delete_relation(self, relation_ids: Id | Iterable[Id]) -> int:
        """⚠️ INTERNAL API: Delete one relation or several (ids); returns how many the server deleted (ids it does not
        know are skipped, they do not stop the others)."""
        items = [relation_ids] if isinstance(relation_ids, (UUID, str)) else list(relation_ids)
        if not items:
            raise InvalidArgumentError("relation_ids must name at least one relation id")
        ids = [guid("relation_ids", item, _GUID) for item in items]
        answer = await self._call_parsed(delete_relations_op, delete_relations_op.request_kwargs(body=ids), json_body)
        deleted = answer.get("Deleted") if isinstance(answer, dict) else None
        return int(deleted) if isinstance(deleted, int) else len(ids)

    # -- inspection runs (sequences) --------------------------------------------------------------

    @uses(sequences_op, query=("status", "stationName"))
    async def list_sequences(
        self,
        serial_number: str,
        part_number: str,
        revision: str = "",
        batch_number: str = "",
        status: int | None = None,
        station_name: str | None = None,
    ) -> list[InspectionRun]:
        """⚠️ INTERNAL API: The unit's inspection runs: one per Released definition that applies to its part number."""
        if status is not None and (isinstance(status, bool) or status not in (0, 1, 2, 3)):
            raise invalid("status", status, "0, 1, 2 or 3 (or None for any)")
        kwargs = sequences_op.request_kwargs(
            serial_number=text("serial_number", serial_number).strip(),
            part_number=text("part_number", part_number).strip(),
            revision=revision,
            batch_number=batch_number,
            status=unset_internal(status),
            station_name=unset_internal(None if station_name is None else text("station_name", station_name).strip()),
        )
        return await self._call_parsed(sequences_op, kwargs, parse_list(InspectionRun)) or []

    @uses(put_sequence_op, query=("submit", "returnRootSequence"))
    async def update_sequence(self, steps: Iterable[InspectionStep], submit: bool = False) -> InspectionRun | None:
        """⚠️ INTERNAL API: Save step results into the open run of their definition (``step.definition_id``);
        ``submit=True`` closes the run. Returns the run."""
        items = list(steps) if not isinstance(steps, InspectionStep) else [steps]
        if not items or not all(isinstance(s, InspectionStep) for s in items):
            raise InvalidArgumentError("steps must be one or more InspectionStep objects")
        kwargs = put_sequence_op.request_kwargs(
            body=[s.to_wire() for s in items],
            submit=submit,
            return_root_sequence=True,
        )
        return await self._call_parsed(put_sequence_op, kwargs, parse_model(InspectionRun))

    @uses(delete_sequence_op)
    async def delete_sequence(self, sequence_id: Id) -> None:
        """⚠️ INTERNAL API: Delete an inspection run (its ``run_id``).

        Unknown: ``NotFoundError`` (nothing in LENIENT)."""
        uid = guid("sequence_id", sequence_id, _GUID)
        await self._call_parsed(
            delete_sequence_op,
            delete_sequence_op.request_kwargs(uuid=uid),
            ignore_body,
            expect_data=False,
            resource_type="manual inspection run",
            identifier=sequence_id,
        )

    @uses(details_op)
    async def get_mi_details(self, unit_id: Id) -> dict[str, Any] | None:
        """⚠️ INTERNAL API: The server's manual-inspection details under this id (``GetMiDetails/{id}``): the run, its
        steps and its definition. The simulator keys them by the run's ``run_id``."""
        uid = guid("unit_id", unit_id, _GUID)
        details = await self._about(
            details_op, details_op.request_kwargs(uid), json_body, unit_id, "manual inspection run"
        )
        return _object(details)
