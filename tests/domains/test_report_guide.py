"""Every python example of the report guides (report.md, the UUT/UUR object models), run unchanged
against the simulator, except those listed with the reason they cannot run.

Many examples continue the one before (``root.add_...`` after "get root sequence to add steps");
they run with what the earlier example set up: ``report`` (a new UUT report), its ``root``, and
the names imported earlier (``CompOp``, ``ReportType``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import guide_examples
import pytest

import pywats
from pywats.domains.report import CompOp, ReportType, UURReport, UUTReport
from pywats.simulator import Simulator

GUIDES = ("report.md", "UUT_OBJECT_MODEL.md", "UUR_OBJECT_MODEL.md", "REPORT_OBJECT_MODELS.md")
EXAMPLES = [(f"{g}: {n}", c) for g in GUIDES for n, c in guide_examples.examples(guide_examples.guide(g))]
SKIPPED: dict[str, str] = {
    "report.md: Synchronous Usage": "the block is cut in two by the guide (an unclosed `query_headers(` call): "
    "a SyntaxError; its halves are the 'Asynchronous Usage' and 'Querying Reports' examples, which run",
    "report.md: Serial Number & Part Number Validation": "`UUTReport(pn=..., sn=..., ...)` puts `...` after keyword "
    "arguments: a SyntaxError; the behaviour is tested in test_report.py",
    "report.md: OData Filter Examples": "filters on `status`, which the server's ReportHeader does not have (it is "
    "`result`): the server and the simulator answer 400; the other filters are tested in test_report.py",
    "report.md: Complete Test Workflow": "calls the reader's own `measure_voltage`/`test_uart`, then "
    "`api.production.set_unit_phase(..., phase=\"Passed\")`: WATS has no unit phase 'Passed' (ValueError; "
    "its phases are UnitPhaseFlag's: Under production, Finalized, ...)",
    "REPORT_OBJECT_MODELS.md: Shared Base: Report Class": "an illustration of the class layout (`class Report(Generic"
    "[SubUnitT])` with `...`), not code to run",
    "REPORT_OBJECT_MODELS.md: Type Safety via Generics": "an illustration of the class layout, not code to run",
}
# Blocks written for a notebook: top-level `await api.report.submit_uut(...)`/`submit_uur(...)`, so
# their `api` is an AsyncWATS. The repair ones link to the reader's failed test report by an id they
# hold (`failed_uut_id`, `uut_report_id`): a failed UUT of the same unit is submitted first.
NOTEBOOK = {
    "UUR_OBJECT_MODEL.md: Usage Example",
    "REPORT_OBJECT_MODELS.md: When to Use UUTReport",
    "REPORT_OBJECT_MODELS.md: When to Use UURReport",
}


def test_the_guides_are_there() -> None:
    guide_examples.require(guide_examples.guide(GUIDES[0]), EXAMPLES)
    names = {n for n, _ in EXAMPLES}
    assert set(SKIPPED) <= names, "a skipped example is no longer in the guides"
    assert NOTEBOOK <= names and not NOTEBOOK & set(SKIPPED)
    assert len(EXAMPLES) - len(SKIPPED) >= 19


def context() -> dict[str, Any]:
    with pywats.pyWATS() as api:  # the test's simulator (pointed_at)
        report = api.report.create_uut_report(
            operator="Guide", part_number="WIDGET-001", revision="A", serial_number="W12345", operation_type=100
        )
    return {"report": report, "root": report.get_root_sequence_call(), "CompOp": CompOp, "ReportType": ReportType}


def notebook_context() -> dict[str, Any]:
    """A notebook's session: an AsyncWATS ``api``, the report classes the object-model guides are
    about (imported by the reader), and the id of a failed test of SN123456 to repair."""
    with pywats.pyWATS() as api:
        failed = api.report.create_uut_report(
            operator="Guide", part_number="WIDGET-001", revision="A", serial_number="SN123456", operation_type=100
        )
        failed.get_root_sequence_call().add_boolean_step("LED Test", False)
        failed_id = api.report.submit_report(failed)
    return {
        "api": pywats.AsyncWATS(),  # the test's simulator (pointed_at), closed by the fixture
        "UUTReport": UUTReport,
        "UURReport": UURReport,
        "CompOp": CompOp,
        "failed_uut_id": failed_id,
        "uut_report_id": failed_id,
    }


@pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES, skip=SKIPPED))
def test_guide_example_runs(
    name: str,
    code: str,
    pointed_at: Simulator,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # "Download Attachments" writes the files it downloads
    (tmp_path / "test_screenshot.png").write_bytes(b"\x89PNG guide")  # "Add Attachment" reads it
    extra = notebook_context() if name in NOTEBOOK else context()
    before = len(pointed_at.store.collection("reports"))
    guide_examples.run(code, name, "report guides", extra=extra)
    out = capsys.readouterr().out
    if "print(" in code:
        assert out.strip(), "the example printed nothing"
    assert "Failed to submit" not in out
    if "write_bytes(" in code:
        assert any(tmp_path.iterdir()), "the example saved no attachment"
    if "submit_report(" in code or name in NOTEBOOK:
        assert len(pointed_at.store.collection("reports")) > before, "the example's report was not stored"
    if name in NOTEBOOK and "submit_uur(" in code:  # the repair is linked to the failed test
        stored = pointed_at.store.collection("reports")[-1]
        assert stored["type"] == "R" and stored["uur"]["refUUT"] == str(extra["failed_uut_id"])
