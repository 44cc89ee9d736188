"""Query vocabulary of the Analytics domain: status and run filters, dimensions, KPIs, paths.

Values are what the WATS server's filters and ``dimensions`` strings spell (see the
``POST /api/App/DynamicYield`` and ``DynamicRepair`` documentation).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Any

from pywats._compat import StrEnum

from ..comparison import CompOperator  # the report's CompOp: one comparison vocabulary

__all__ = [
    "KPI",
    "AlarmType",
    "CompOperator",
    "Dimension",
    "DimensionBuilder",
    "MeasurementPath",
    "RepairDimension",
    "RepairKPI",
    "RunFilter",
    "SortDirection",
    "StatusFilter",
    "StepPath",
    "StepType",
]

# The server separates the levels of a step path with a pilcrow; users write slashes.
API_SEPARATOR = "¶"
DISPLAY_SEPARATOR = "/"


class StatusFilter(StrEnum):
    """Which report results a query includes (the filter's ``status``)."""

    PASSED = "P"
    FAILED = "F"
    ERROR = "E"
    TERMINATED = "T"
    ALL = "*"


class RunFilter(IntEnum):
    """Which test runs of a unit a query counts."""

    FIRST = 1
    LAST = -1
    ALL = 0
    ALL_EXCEPT_FIRST = 2


class StepType(StrEnum):
    """Step types as WATS reports name them."""

    NUMERIC_LIMIT = "ET_NLT"
    MULTI_NUMERIC_LIMIT = "ET_MNLT"
    STRING_VALUE = "ET_SVT"
    PASS_FAIL = "ET_PFT"
    ACTION = "ET_A"
    SEQUENCECALL = "SequenceCall"
    WATS_SEQUENCECALL = "WATS_SeqCall"
    LABEL = "Label"
    STATEMENT = "Statement"
    WAIT = "NI_Wait"


class SortDirection(StrEnum):
    """Direction hint of a ``dimensions`` item."""

    ASC = "asc"
    DESC = "desc"


class Dimension(StrEnum):
    """Grouping dimensions of ``POST /api/App/DynamicYield``."""

    PART_NUMBER = "partNumber"
    PRODUCT_NAME = "productName"
    STATION_NAME = "stationName"
    LOCATION = "location"
    PURPOSE = "purpose"
    REVISION = "revision"
    TEST_OPERATION = "testOperation"
    PROCESS_CODE = "processCode"
    SW_FILENAME = "swFilename"
    SW_VERSION = "swVersion"
    PRODUCT_GROUP = "productGroup"
    LEVEL = "level"
    PERIOD = "period"
    BATCH_NUMBER = "batchNumber"
    OPERATOR = "operator"
    FIXTURE_ID = "fixtureId"
    SOCKET_INDEX = "socketIndex"
    ERROR_CODE = "errorCode"
    MISC_INFO_DESCRIPTION = "miscInfoDescription"
    MISC_INFO_STRING = "miscInfoString"
    STEP_CAUSED_UUT_FAILURE = "stepCausedUutFailure"
    STEP_PATH_CAUSED_UUT_FAILURE = "stepPathCausedUutFailure"
    ASSET_SERIAL_NUMBER = "assetSerialNumber"
    ASSET_NAME = "assetName"


class KPI(StrEnum):
    """Yield KPIs of ``POST /api/App/DynamicYield`` (usable as sort keys in ``dimensions``)."""

    UNIT_COUNT = "unitCount"
    FP_COUNT = "fpCount"
    SP_COUNT = "spCount"
    TP_COUNT = "tpCount"
    LP_COUNT = "lpCount"
    FPY = "fpy"
    SPY = "spy"
    TPY = "tpy"
    LPY = "lpy"
    RTY = "rty"
    TEST_YIELD_COUNT = "testYieldCount"
    TEST_REPORT_COUNT = "testReportCount"
    TEST_YIELD = "testYield"
    FIRST_UTC = "firstUtc"
    LAST_UTC = "lastUtc"
    FP_FAIL_COUNT = "fpFailCount"
    SP_FAIL_COUNT = "spFailCount"
    TP_FAIL_COUNT = "tpFailCount"
    LP_FAIL_COUNT = "lpFailCount"
    RETEST_COUNT = "retestCount"
    PPM_FPY = "ppmFpy"
    PPM_SPY = "ppmSpy"
    PPM_TPY = "ppmTpy"
    PPM_LPY = "ppmLpy"
    PPM_TEST_YIELD = "ppmTestYield"
    AVG_TEST_TIME = "avgTestTime"


class RepairDimension(StrEnum):
    """Grouping dimensions of ``POST /api/App/DynamicRepair`` (repair statistics)."""

    PART_NUMBER = "partNumber"
    REVISION = "revision"
    PRODUCT_NAME = "productName"
    REPAIR_OPERATION = "repairOperation"
    PERIOD = "period"
    STATION_NAME = "stationName"
    OPERATOR = "operator"
    REPAIR_CODE = "repairCode"
    REPAIR_CATEGORY = "repairCategory"
    REPAIR_TYPE = "repairType"
    COMPONENT_REF = "componentRef"
    COMPONENT_NUMBER = "componentNumber"
    FUNCTION_BLOCK = "functionBlock"
    REFERENCED_STEP = "referencedStep"
    TEST_OPERATION = "testOperation"


class RepairKPI(StrEnum):
    """Repair KPIs of ``POST /api/App/DynamicRepair``."""

    REPAIR_COUNT = "repairCount"
    REPAIR_REPORT_COUNT = "repairReportCount"


class AlarmType(IntEnum):
    """The five kinds of WATS alarm (``AlarmLog.type``)."""

    REPORT = 1
    YIELD_VOLUME = 2
    SERIAL_NUMBER = 3
    MEASUREMENT = 4
    ASSET = 5


DimensionItem = Dimension | KPI | RepairDimension | RepairKPI | str


class DimensionBuilder:
    """Builds the ``dimensions`` string: ``"unitCount desc;fpy;partNumber;period"``."""

    def __init__(self) -> None:
        self._items: list[str] = []

    def add(
        self,
        dimension: DimensionItem,
        direction: SortDirection | str | None = None,
        *,
        asc: bool = False,
        desc: bool = False,
    ) -> DimensionBuilder:
        """Append a dimension or KPI, optionally with a sort direction; returns the builder."""
        if asc and desc:
            raise ValueError("a dimension is sorted asc or desc, not both")
        name = str(dimension.value if isinstance(dimension, StrEnum) else dimension).strip()
        if not name or ";" in name or " " in name:
            raise ValueError(f"not a dimension or KPI name: {dimension!r}")
        hint = SortDirection(direction.lower()) if isinstance(direction, str) else direction
        if asc:
            hint = SortDirection.ASC
        if desc:
            hint = SortDirection.DESC
        self._items.append(f"{name} {hint.value}" if hint is not None else name)
        return self

    def add_all(self, *dimensions: DimensionItem) -> DimensionBuilder:
        """Append several dimensions or KPIs without sort hints."""
        for dimension in dimensions:
            self.add(dimension)
        return self

    def build(self) -> str:
        """The semicolon-separated string the server reads."""
        return ";".join(self._items)

    def clear(self) -> DimensionBuilder:
        """Forget every item."""
        self._items.clear()
        return self

    def __str__(self) -> str:
        return self.build()

    @classmethod
    def yield_by_product(cls) -> DimensionBuilder:
        """Volume and first-pass yield per part number and operation, biggest volume first."""
        return cls().add(KPI.UNIT_COUNT, desc=True).add_all(KPI.FPY, Dimension.PART_NUMBER, Dimension.TEST_OPERATION)

    @classmethod
    def yield_by_station(cls) -> DimensionBuilder:
        """Volume and first-pass yield per station and operation, biggest volume first."""
        return cls().add(KPI.UNIT_COUNT, desc=True).add_all(KPI.FPY, Dimension.STATION_NAME, Dimension.TEST_OPERATION)

    @classmethod
    def repair_analysis(cls) -> DimensionBuilder:
        """Repair counts per part number and repair operation (for ``DynamicRepair``)."""
        return (
            cls()
            .add(RepairKPI.REPAIR_COUNT, desc=True)
            .add(RepairKPI.REPAIR_REPORT_COUNT, desc=True)
            .add_all(RepairDimension.PART_NUMBER, RepairDimension.REPAIR_OPERATION)
        )

    @classmethod
    def oee_analysis(cls) -> DimensionBuilder:
        """Test volume and time per station and period."""
        return cls().add_all(
            KPI.TEST_REPORT_COUNT, KPI.AVG_TEST_TIME, KPI.FPY, Dimension.STATION_NAME, Dimension.PERIOD
        )


class StepPath:
    """A step path written with slashes (``"Main/Power/3.3V"``); the server spells it with ``¶``.

    Accepts either spelling. ``display`` is the slash form, ``api_format`` the server's,
    ``parts`` the levels; ``path / "child"`` appends a level.
    """

    __slots__ = ("_parts",)

    def __init__(self, path: str | StepPath) -> None:
        if isinstance(path, StepPath):
            self._parts: tuple[str, ...] = path._parts
            return
        if not isinstance(path, str):
            raise TypeError(f"a step path is a string, not {type(path).__name__}")
        separator = API_SEPARATOR if API_SEPARATOR in path else DISPLAY_SEPARATOR
        parts = tuple(p.strip() for p in path.split(separator))
        if not path.strip() or any(not p for p in parts):
            raise ValueError(f"not a step path (an empty level): {path!r}")
        self._parts = parts

    @classmethod
    def from_parts(cls, parts: Iterable[str]) -> StepPath:
        """The path with these levels (a level may contain ``/``)."""
        found = [str(p) for p in parts]
        if not found or any(not p.strip() for p in found):
            raise ValueError(f"a step path needs non-empty levels, not {found!r}")
        path = cls.__new__(cls)
        path._parts = tuple(p.strip() for p in found)
        return path

    @property
    def parts(self) -> list[str]:
        """The levels, outermost first."""
        return list(self._parts)

    @property
    def display(self) -> str:
        """The slash-separated form."""
        return DISPLAY_SEPARATOR.join(self._parts)

    @property
    def api_format(self) -> str:
        """The server's ``¶``-separated form."""
        return API_SEPARATOR.join(self._parts)

    @property
    def name(self) -> str:
        """The last level."""
        return self._parts[-1]

    def __truediv__(self, child: str | StepPath) -> StepPath:
        extra = child.parts if isinstance(child, StepPath) else StepPath(child).parts
        return type(self).from_parts([*self._parts, *extra])

    def __str__(self) -> str:
        return self.display

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.display!r})"

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, StepPath):
            return self._parts == other._parts
        if isinstance(other, str):
            try:
                return self._parts == StepPath(other)._parts
            except ValueError:
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._parts)


class MeasurementPath(StepPath):
    """The path of a numeric measurement; a step with several measurements names one with ``::``.

    ``MeasurementPath("Main/Pulses::Q202 Vpp")`` is ``Main¶Pulses¶¶Q202 Vpp`` for the server.
    """

    __slots__ = ()

    @property
    def api_format(self) -> str:
        """The path as the server expects it in a request."""
        *steps, last = self._parts
        step, sep, measurement = last.partition("::")
        tail = f"{step}{API_SEPARATOR}{API_SEPARATOR}{measurement}" if sep else last
        return API_SEPARATOR.join([*steps, tail])

    def __init__(self, path: str | StepPath) -> None:
        if isinstance(path, str) and API_SEPARATOR * 2 in path:
            path = path.replace(API_SEPARATOR * 2, "::")
        super().__init__(path)
