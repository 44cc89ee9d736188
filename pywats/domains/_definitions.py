"""Which definition of the WATS server's API documents each facade model speaks.

One table for every model that goes to or comes from the server: its wire names (field aliases)
are properties of the definitions named here, spelled as the documents spell them, and it
carries every property they require. ``tests/test_wire_definitions.py`` holds each entry to the
documents (``openapi_public.json`` / ``openapi_internal.json``, read where they live).

Where the documents type a body or an answer only as ``object`` (SCIM, the analytics answers),
the model is listed in :data:`UNDOCUMENTED` with the operations concerned, and the test checks
that those operations are indeed untyped, so a richer document shows up as a failing test.

Nothing imports this module at start-up: it is read by tests and tooling only.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CLIENT_SIDE", "UNDOCUMENTED", "WIRE_MODELS", "ClientSide", "Undocumented", "WireModel"]

_WSJF = "Virinco.WATS.Schemas.WSJF."
_MES = "Virinco.WATS.Web.Dashboard.Models.Mes."
_DASH = "Virinco.WATS.Web.Dashboard.Models."
_FILTER = "Virinco.WATS.Web.Dashboard.Controllers.api.app.PublicWatsFilter"


@dataclass(frozen=True)
class WireModel:
    """``model`` (``"module:Class"``) is the JSON of ``definitions`` (more than one when the same
    model reads several spellings, e.g. the public camelCase and the internal PascalCase forms)."""

    model: str
    definitions: tuple[str, ...]
    # names the documents do not define: read if a server sends them or derived by the client,
    # never sent (excluded from bodies, or on a model the facade only reads)
    local: tuple[str, ...] = ()
    # other spellings accepted on input, from answers the documents type only as ``object``
    also_read: tuple[str, ...] = ()
    untyped_answers: tuple[str, ...] = ()
    # the wire names come from ``to_wire()`` instead of the field aliases
    by_to_wire: bool = False


@dataclass(frozen=True)
class Undocumented:
    """``model`` travels in bodies the documents type only as ``object`` (``operations``)."""

    model: str
    operations: tuple[str, ...]
    note: str
    # the request body of these operations is typed (a filter); only the answer is not
    body_typed: bool = False


_R = "pywats.domains.report.models:"
_H = "pywats.domains.report.headers:"
_P = "pywats.domains.product.models:"
_U = "pywats.domains.production.models:"
_A = "pywats.domains.asset.models:"
_S = "pywats.domains.software.models:"
_T = "pywats.domains.rootcause.models:"
_Y = "pywats.domains.analytics.models:"
_O = "pywats.domains.process.models:"
_M = "pywats.domains.manual_inspection.models:"
_MI = _MES + "MI."
_IF = "Virinco.WATS.Interface.Models."

WIRE_MODELS: tuple[WireModel, ...] = (
    # reports (WSJF)
    WireModel(_R + "UUTReport", (_WSJF + "Report",)),
    WireModel(_R + "UURReport", (_WSJF + "Report",)),
    WireModel(_R + "UUTInfo", (_WSJF + "UUT",)),
    WireModel(_R + "UURInfo", (_WSJF + "UUR",)),
    WireModel(_R + "MiscInfo", (_WSJF + "MiscInfo",)),
    WireModel(_R + "UUTSubUnit", (_WSJF + "SubUnit",)),
    WireModel(_R + "UURSubUnit", (_WSJF + "SubUnit",)),
    WireModel(_R + "UURFailure", (_WSJF + "Failure",)),
    WireModel(_R + "Asset", (_WSJF + "Asset",)),
    WireModel(_R + "AdditionalData", (_WSJF + "AdditionalData",)),
    WireModel(_R + "Attachment", (_WSJF + "Attachment",)),
    WireModel(_R + "BinaryData", (_WSJF + "BinaryData",)),
    WireModel(_R + "LoopInfo", (_WSJF + "LoopInfo",)),
    WireModel(_R + "SequenceCallInfo", (_WSJF + "SequenceCall",)),
    WireModel(_R + "Chart", (_WSJF + "Chart",)),
    WireModel(_R + "ChartSeries", (_WSJF + "ChartSeries",)),
    WireModel(_R + "NumericMeasurement", (_WSJF + "NumericMeasurement",)),
    WireModel(_R + "StringMeasurement", (_WSJF + "StringMeasurement",)),
    WireModel(_R + "BooleanMeasurement", (_WSJF + "BooleanMeasurement",)),
    WireModel(_R + "Step", (_WSJF + "Step",)),
    WireModel(_R + "SequenceCall", (_WSJF + "Step",)),
    WireModel(_R + "NumericStep", (_WSJF + "Step",)),
    WireModel(_R + "MultiNumericStep", (_WSJF + "Step",)),
    WireModel(_R + "PassFailStep", (_WSJF + "Step",)),
    WireModel(_R + "MultiBooleanStep", (_WSJF + "Step",)),
    WireModel(_R + "StringValueStep", (_WSJF + "Step",)),
    WireModel(_R + "MultiStringStep", (_WSJF + "Step",)),
    WireModel(_R + "ChartStep", (_WSJF + "Step",)),
    WireModel(_R + "CallExeStep", (_WSJF + "Step",)),
    WireModel(_R + "MessagePopupStep", (_WSJF + "Step",)),
    WireModel(_R + "GenericStep", (_WSJF + "Step",)),
    # report headers (OData)
    WireModel(_H + "ReportHeader", (_DASH + "OData.ReportHeader",)),
    WireModel(_H + "HeaderSubUnit", (_DASH + "OData.Subunit",)),
    WireModel(_H + "HeaderMiscInfo", (_DASH + "OData.Miscinfo",)),
    # process
    WireModel(
        _O + "ProcessInfo",
        (_MES + "Process",),
        also_read=(
            *("code", "name", "description", "isTestOperation", "isRepairOperation", "isWipOperation"),
            *("processIndex", "state", "processId", "properties"),
        ),
        untyped_answers=("App_Processes",),
    ),
    # repair operations (internal): the fail-code tree; the answers are untyped, the PUT body is RepairType
    WireModel(
        _O + "FailCode",
        (_IF + "Failcode",),
        also_read=("description", "selectable", "failcodes"),
        untyped_answers=("Process_GetRepairOperations", "Process_GetRepairOperation"),
    ),
    WireModel(
        _O + "RepairCategory",
        (_IF + "Failcode",),
        also_read=("description", "selectable", "failcodes"),
        untyped_answers=("Process_GetRepairOperations", "Process_GetRepairOperation"),
    ),
    WireModel(_O + "RepairOperationConfig", (_IF + "RepairType",), local=("code",)),
    # product
    WireModel(_P + "Product", (_MES + "Product.Public.Product",), local=("revision", "created", "modified")),
    WireModel(
        _P + "ProductRevision",
        (_MES + "Product.Public.ProductRevision",),
        local=("effectiveDate", "created", "modified"),
        also_read=("partNumber",),
    ),
    WireModel(_P + "ProductView", (_MES + "Product.ProductView",)),
    WireModel(_P + "BomItem", ("Virinco.WATS.Schemas.WSBF.BOMComponent",)),
    WireModel(_P + "ProductGroup", (_DASH + "Tdm.ProductSelection",)),
    WireModel(
        _P + "Vendor", (_MES + "ERP.Vendor",), also_read=("name", "vendorName"), untyped_answers=("Product_Vendors",)
    ),
    WireModel(_P + "ProductCategory", (_MES + "Product.ProductCategory",)),
    # production
    WireModel(_U + "Unit", (_MES + "Production.Public.Unit",)),
    WireModel(
        _U + "UnitPhase",
        (_MES + "UnitPhase",),
        also_read=("unit_phase_id", "unitPhaseId", "code", "name", "description"),
    ),
    WireModel(_U + "UnitProduct", (_MES + "Product.Public.Product",)),
    WireModel(_U + "UnitProductRevision", (_MES + "Product.Public.ProductRevision",)),
    WireModel(_U + "UnitVerification", (_DASH + "PublicUnitVerificationGrade",)),
    WireModel(_U + "UnitProcessResult", (_DASH + "PublicUnitVerification",)),
    WireModel(_U + "UnitChange", (_MES + "Production.Public.UnitChange",)),
    WireModel(_U + "SerialNumberType", (_MES + "Production.Public.SerialNumberType",)),
    WireModel(_U + "ProductionBatch", (_MES + "Production.Public.ProductionBatch",)),
    WireModel(_U + "SerialNumberRange", (_MES + "Production.SerialNumberRange",)),
    # asset
    WireModel(_A + "Asset", (_MES + "Asset.Asset",)),
    WireModel(_A + "AssetType", (_MES + "Asset.AssetType",)),
    WireModel(_A + "AssetLog", (_MES + "Asset.AssetLog",)),
    # software
    WireModel(_S + "Package", (_MES + "Software.Public.Package",), local=("files",)),
    WireModel(
        _S + "PackageFile", (_MES + "Software.Public.PackageFile",), local=("fileSize", "fileType", "md5Checksum")
    ),
    WireModel(_S + "PackageTag", (_MES + "Product.Setting",)),
    WireModel(_S + "SoftwareEntity", (_MES + "SoftwareEntity",)),
    WireModel(_S + "VirtualFolder", (_MES + "Public.VirtualFolder",), local=("path", "package_count")),
    # rootcause
    WireModel(_T + "Ticket", ("Virinco.WATS.Web.Models.RootCause.Ticket",)),
    WireModel(_T + "TicketUpdate", ("Virinco.WATS.Web.Models.RootCause.Update",)),
    WireModel(_T + "TicketAttachment", ("Virinco.WATS.Web.Models.RootCause.Attachment",)),
    # manual inspection (internal)
    WireModel(_M + "InspectionDefinition", (_MI + "TestSequenceDefinition",)),
    WireModel(_M + "InspectionRelation", (_MI + "TestSequenceRelation",)),
    WireModel(_M + "RelationConflict", (_MES + "ConflictingProductionManagerRelation",)),
    WireModel(_M + "MiscInfo", (_MI + "MiscInfo",)),
    WireModel(_M + "InspectionStep", (_MI + "Step",)),
    # analytics filters
    WireModel(_Y + "WATSFilter", (_FILTER,), by_to_wire=True),
    WireModel(_Y + "UnitFlowFilter", (_FILTER,), by_to_wire=True),
)

_C = "pywats.domains.scim.models:"
_SCIM = "SCIM 2.0 core schema (RFC 7643); the documents type every SCIM body as object"
_MI_RUNS = ("ManualInspection_GetSequences", "ManualInspection_PutSequence")
_ANSWER = "the documents type this answer as object; fields follow the server's JSON as observed"
_SCIM_OPS = (
    "Scim_GetJWT", "Scim_GetUsers", "Scim_CreateUser", "Scim_GetUserWithId", "Scim_UpdateUser", "Scim_GetUser",
)  # fmt: skip

UNDOCUMENTED: tuple[Undocumented, ...] = (
    Undocumented(_C + "ScimUser", _SCIM_OPS, _SCIM),
    Undocumented(_C + "ScimUserName", _SCIM_OPS, _SCIM),
    Undocumented(_C + "ScimUserEmail", _SCIM_OPS, _SCIM),
    Undocumented(_C + "ScimToken", ("Scim_GetJWT",), _SCIM),
    Undocumented(_C + "ScimPatchRequest", ("Scim_UpdateUser",), _SCIM),
    Undocumented(_C + "ScimPatchOperation", ("Scim_UpdateUser",), _SCIM),
    Undocumented(_C + "ScimListResponse", ("Scim_GetUsers",), _SCIM),
    Undocumented(_Y + "YieldData", ("App_DynamicYield",), _ANSWER, body_typed=True),
    Undocumented(_Y + "AggregatedMeasurement", ("App_AggregatedMeasurements",), _ANSWER, body_typed=True),
    Undocumented(_Y + "AlarmLog", ("Trigger_GetAlarmAndNotificationLogs",), _ANSWER, body_typed=True),
    Undocumented(_Y + "UnitFlowNode", ("UnitFlow_GetUnitFlow",), _ANSWER, body_typed=True),
    Undocumented(_Y + "UnitFlowLink", ("UnitFlow_GetUnitFlow",), _ANSWER, body_typed=True),
    Undocumented(_Y + "UnitFlowResult", ("UnitFlow_GetUnitFlow", "UnitFlow_GetUnitFlowSplitBy"), _ANSWER, True),
    Undocumented(_Y + "UnitFlowUnit", ("UnitFlow_GetUnitFlowUnits", "UnitFlow_GetUnitFlowOrder"), _ANSWER, True),
    Undocumented(_Y + "TopFailedStep", ("App_TopFailed",), _ANSWER, body_typed=True),
    Undocumented(_Y + "StepAnalysisRow", ("App_GetTestStepAnalysis",), _ANSWER, body_typed=True),
    Undocumented(_Y + "MeasurementData", ("App_Measurements",), _ANSWER, body_typed=True),
    Undocumented(_Y + "MeasurementListItem", ("App_MeasurementList",), _ANSWER, body_typed=True),
    Undocumented(_Y + "StepStatusItem", ("App_StepStatusList",), _ANSWER, body_typed=True),
    Undocumented(_Y + "RepairStatistics", ("App_DynamicRepair",), _ANSWER, body_typed=True),
    Undocumented(_Y + "RepairHistoryRecord", ("App_GetRelatedRepairHistory",), _ANSWER),
    Undocumented(_Y + "OeeAnalysisResult", ("App_OeeAnalysis",), _ANSWER, body_typed=True),
    Undocumented(_Y + "LevelInfo", ("App_Levels",), _ANSWER),
    Undocumented(_Y + "SerialNumberHistoryRow", ("App_SerialNumberHistory",), _ANSWER, body_typed=True),
    Undocumented(_Y + "ReportListItem", ("App_UutReport", "App_UurReports"), _ANSWER, body_typed=True),
    # PutSequence's body is the run's steps (MI.Step); its answer, the run, is untyped
    Undocumented(_M + "InspectionRun", _MI_RUNS, _ANSWER, body_typed=True),
    Undocumented(_A + "AssetFile", ("Blob_AssetList",), "the documents list asset files as plain names (strings)"),
)


@dataclass(frozen=True)
class ClientSide:
    """``model`` is built by the client from other models or from a download; no server JSON is
    read into it and it is never sent (``why`` says what it is made of)."""

    model: str
    why: str


CLIENT_SIDE: tuple[ClientSide, ...] = (
    ClientSide(_Y + "YieldResult", "YieldResult.of(rows): totals over the YieldData rows"),
    ClientSide(_Y + "UnitFlowSummary", "UnitFlowSummary.of(flow): totals over a UnitFlowResult"),
    ClientSide(_P + "BoxBuildSubunit", "made from a ProductRevisionRelation the service reads"),
    ClientSide(_P + "BoxBuildTemplate", "the box-build editor over a product revision's relations"),
    ClientSide(_P + "AsyncBoxBuildTemplate", "the box-build editor over a product revision's relations"),
    ClientSide(_P + "ProductHierarchyNode", "a tree the service builds from box-build templates"),
    ClientSide(_H + "ReportAttachment", "a downloaded file: its name from Content-Disposition, its bytes"),
)
