"""``TestUUT``: build the report of one unit's test run, step by step, then submit it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from ..core.arguments import checked_methods, invalid_argument
from ..core.exceptions import InvalidArgumentError
from ..core.station import Purpose
from ..core.wire import guid, within
from ..domains.report.models import _0X_SPELLINGS, SequenceCall, Step, UUTReport, required_identifier

__all__ = ["TestUUT"]

# Process codes and the other WSJF integers are 32-bit on the server.
_INT32 = (-(2**31), 2**31 - 1)


def _report_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The further report fields given to ``TestUUT(...)``: known names only, values the server takes."""
    known = set(UUTReport.model_fields) | set(_0X_SPELLINGS)
    known |= {f.validation_alias for f in UUTReport.model_fields.values() if isinstance(f.validation_alias, str)}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise InvalidArgumentError(
            f"got an unexpected keyword argument {unknown[0]!r} (not a UUTReport field)",
            details={"argument": unknown[0]},
        )
    checked = dict(fields)
    if "type" in checked and checked["type"] != "T":
        raise invalid_argument(None, "type", checked["type"], "'T' (a TestUUT is a test report)")
    if checked.get("id") is not None:
        checked["id"] = str(guid("id", checked["id"]))
    for name in ("start", "start_utc", "startUTC"):
        value = checked.get(name)
        if value is not None and not isinstance(value, datetime):
            raise invalid_argument(None, name, value, "a datetime")
    return checked


@checked_methods(finite=False)
class TestUUT(UUTReport):
    """A test report under construction: ``TestUUT(part_number=..., serial_number=..., revision=...)``.

    Add sequences and steps on the report itself or on the sequences it returns
    (``uut.add_sequence_call("Power").add_numeric_step("5V", 5.01, CompOp.GELE, 4.9, 5.1, "V")``);
    step statuses follow from their limits and :attr:`status` from the steps. Station name and
    location are taken from ``api.station`` when the report is submitted
    (``api.report.submit_report(uut)``), unless set here. A bad argument raises
    :class:`pywats.InvalidArgumentError` naming it, at once (an empty part or serial number:
    ``ReportHeaderValidationError``, also a :class:`pywats.ValidationError` as in pyWATS 0.x);
    further keyword arguments must be report fields.
    """

    __test__: ClassVar[bool] = False  # not a pytest test class, despite its name

    def __init__(
        self,
        part_number: str,
        serial_number: str,
        revision: str = "",
        operator: str | None = None,
        purpose: Purpose | int | str = Purpose.TEST,
        process_code: int = 100,
        **fields: Any,
    ) -> None:
        if not isinstance(purpose, str):
            purpose = str(int(within("purpose", purpose, *_INT32, whole=True)))
        elif not purpose.strip():
            raise invalid_argument(None, "purpose", purpose, "a Purpose, its number, or a purpose name")
        super().__init__(
            pn=required_identifier("part_number", part_number),
            sn=required_identifier("serial_number", serial_number),
            rev=revision,
            process_code=int(within("process_code", process_code, *_INT32, whole=True)),
            purpose=purpose,
            **_report_fields(fields),
        )
        self.operator = operator

    @property
    def status(self) -> str:
        """The result the steps give so far: ``"P"``, or ``"F"`` (``"E"``/``"T"``) if a step did."""
        return self.compute_result()

    @property
    def passed(self) -> bool:
        """True while the steps so far give the result Passed."""
        return self.status == "P"

    def add_sequence_call(self, name: str, file_name: str | None = None, version: str | None = None) -> SequenceCall:
        """A sequence under the root; add steps to the sequence returned."""
        return self.get_root_sequence_call().add_sequence_call(name, file_name, version)

    def __getattr__(self, name: str) -> Any:
        # The root sequence's add_* builders, on the report itself (uut.add_numeric_step(...)).
        if name.startswith("add_") and hasattr(SequenceCall, name):
            return getattr(self.get_root_sequence_call(), name)
        return super().__getattr__(name)  # type: ignore[misc]

    def steps(self) -> list[Step]:
        """Every step added so far, depth first."""
        return self.get_root_sequence_call().get_all_steps()

    def to_report(self) -> UUTReport:
        """This report as a plain :class:`UUTReport` (what ``submit_report`` sends)."""
        return UUTReport.model_validate(self.to_wsjf())
