"""Process (operation type) models."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import AliasChoices, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import core_schema

from pywats._compat import StrEnum

from ...core.model import FacadeModel, Synonym
from .._fields import wire_field as _alias

__all__ = ["FailCode", "ProcessCode", "ProcessInfo", "ProcessType", "RepairCategory", "RepairOperationConfig"]


class ProcessType(StrEnum):
    """What kind of operation a process is, derived from the server's flags."""

    TEST = "TEST"
    REPAIR = "REPAIR"
    WIP = "WIP"
    ASSEMBLY = "WIP"  # another name for WIP (work in progress) operations
    OTHER = "OTHER"


class ProcessCode(int):
    """A WATS process code. An ``int`` (100, 500); ``startswith`` compares its decimal text.

    Callers treat codes both as numbers and as text (``op.code.startswith("T")``); both
    spellings work.
    """

    __slots__ = ()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls, core_schema.int_schema(), serialization=core_schema.plain_serializer_function_ser_schema(int)
        )

    def startswith(self, prefix: str | tuple[str, ...], *args: Any) -> bool:
        """Whether the code's digits start with ``prefix``, as ``str.startswith`` would."""
        prefix = prefix if isinstance(prefix, tuple) else (str(prefix),)
        return str(int(self)).startswith(prefix, *args)


def _false_if_null(value: Any) -> Any:
    return False if value is None else value


Flag = Annotated[bool, BeforeValidator(_false_if_null)]


class ProcessInfo(FacadeModel):
    """A process (operation type) as WATS defines it.

    ``code`` is the integer WATS uses everywhere (e.g. 100 for ICT, 500 for repair); ``id`` is
    the same number. ``process_type`` is derived from the server's flags. Built from either
    the public API's camelCase JSON or the internal API's PascalCase ``Process`` model.
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    code: ProcessCode = Field(validation_alias=AliasChoices("code", "Code"))
    name: Annotated[str, BeforeValidator(lambda v: "" if v is None else v)] = Field(
        validation_alias=AliasChoices("name", "Name")
    )
    description: str | None = _alias("description", "Description")
    is_test_operation: Flag = Field(default=False, validation_alias=AliasChoices("isTestOperation", "IsTestOperation"))
    is_repair_operation: Flag = Field(
        default=False, validation_alias=AliasChoices("isRepairOperation", "IsRepairOperation")
    )
    is_wip_operation: Flag = Field(default=False, validation_alias=AliasChoices("isWipOperation", "IsWIPOperation"))
    process_index: int | None = _alias("processIndex", "ProcessIndex")
    state: int | None = _alias("state", "State")
    process_id: UUID | None = _alias("processId", "ProcessID")
    properties: str | None = _alias("properties", "Properties")

    @property
    def id(self) -> int:
        """The process's numeric identity (its code)."""
        return int(self.code)

    @property
    def process_type(self) -> ProcessType:
        """TEST, REPAIR, WIP or OTHER, from the process's flags."""
        if self.is_test_operation:
            return ProcessType.TEST
        if self.is_repair_operation:
            return ProcessType.REPAIR
        if self.is_wip_operation:
            return ProcessType.WIP
        return ProcessType.OTHER

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.process_type})"


class FailCode(FacadeModel):
    """A node of a repair operation's fail-code tree (wire: internal ``Failcode``).

    The top level of the tree are categories (``RepairCategory``); their selectable leaves are
    the fail codes a repair report's failure names (``failure.category``/``failure.code`` are the
    category's and the fail code's ``description``).
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    guid: UUID | None = _alias("GUID")
    description: str = Field(default="", validation_alias=AliasChoices("Description", "description"))
    selectable: Flag = Field(default=False, validation_alias=AliasChoices("Selectable", "selectable"))
    sort_order: int | None = _alias("SortOrder")
    failure_type: int | None = _alias("FailureType")
    status: int | None = _alias("Status")
    fail_codes: list[FailCode] = Field(default_factory=list, validation_alias=AliasChoices("Failcodes", "failcodes"))

    code = Synonym[str]("description", "The text a repair report's failure uses for this node (its description).")

    def leaves(self) -> list[FailCode]:
        """The selectable fail codes under this node (itself, if it is one), in sort order."""
        found = [self] if self.selectable and not self.fail_codes else []
        for child in sorted(self.fail_codes, key=lambda c: (c.sort_order is None, c.sort_order or 0)):
            found.extend(child.leaves())
        return found


class RepairCategory(FailCode):
    """A top-level category of a repair operation's fail-code tree (e.g. "Component")."""


class RepairOperationConfig(FacadeModel):
    """How a repair operation is set up (wire: internal ``RepairType``): its fail-code tree and rules.

    ``code`` is the repair process's code (filled in by the service; the wire model has none).
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    code: int | None = None
    description: str | None = _alias("Description")
    uut_required: int | None = _alias("UUTRequired")
    comp_ref_mask: str | None = _alias("CompRefMask")
    comp_ref_mask_description: str | None = _alias("CompRefMaskDescription")
    bom_constraint: str | None = _alias("BomConstraint")
    bom_required: int | None = _alias("BOMRequired")
    vendor_required: int | None = _alias("VendorRequired")
    categories: list[RepairCategory] = Field(default_factory=list, validation_alias=AliasChoices("Categories"))
    misc_infos: list[dict[str, Any]] = Field(default_factory=list, validation_alias=AliasChoices("MiscInfos"))

    def fail_codes(self, category: str | None = None) -> list[FailCode]:
        """The selectable fail codes, of every category or of ``category`` (its description, any case)."""
        wanted = None if category is None else category.strip().casefold()
        found: list[FailCode] = []
        for cat in sorted(self.categories, key=lambda c: (c.sort_order is None, c.sort_order or 0)):
            if wanted is None or cat.description.strip().casefold() == wanted:
                found.extend(leaf for child in cat.fail_codes for leaf in child.leaves())
        return found
