"""``TestUUT``: build the report of one unit's test run, step by step, then submit it."""

from __future__ import annotations

from typing import Any, ClassVar

from ..core.arguments import checked_methods
from ..core.exceptions import ValidationError
from ..core.station import Purpose
from ..domains.report.models import SequenceCall, Step, UUTReport

__all__ = ["TestUUT"]


def _required(value: str | None, field: str) -> str:
    if value is None or not str(value).strip():
        raise ValidationError(f"{field.replace('_', ' ')} must not be empty", field=field, value=value)
    return str(value)


@checked_methods(finite=False)
class TestUUT(UUTReport):
    """A test report under construction: ``TestUUT(part_number=..., serial_number=..., revision=...)``.

    Add sequences and steps on the report itself or on the sequences it returns
    (``uut.add_sequence_call("Power").add_numeric_step("5V", 5.01, CompOp.GELE, 4.9, 5.1, "V")``);
    step statuses follow from their limits and :attr:`status` from the steps. Station name and
    location are taken from ``api.station`` when the report is submitted
    (``api.report.submit_report(uut)``), unless set here. An empty part or serial number raises
    :class:`pywats.ValidationError` at once, before anything is sent.
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
        super().__init__(
            pn=_required(part_number, "part_number"),
            sn=_required(serial_number, "serial_number"),
            rev=revision,
            process_code=process_code,
            purpose=purpose if isinstance(purpose, str) else str(int(purpose)),
            **fields,
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
