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
from pywats.domains.report import CompOp, ReportType
from pywats.simulator import Simulator

GUIDES = ("report.md", "UUT_OBJECT_MODEL.md", "UUR_OBJECT_MODEL.md", "REPORT_OBJECT_MODELS.md")
EXAMPLES = [(f"{g}: {n}", c) for g in GUIDES for n, c in guide_examples.examples(guide_examples.guide(g))]
AWAIT_AT_TOP = "uses `await` outside a function (a SyntaxError in a script) and calls submit_uur/submit_uut"
SKIPPED: dict[str, str] = {
    "report.md: Synchronous Usage": "the block is cut in two by the guide (an unclosed `query_headers(` call): "
    "a SyntaxError; its halves are the 'Asynchronous Usage' and 'Querying Reports' examples, which run",
    "report.md: Serial Number & Part Number Validation": "`UUTReport(pn=..., sn=..., ...)` puts `...` after keyword "
    "arguments: a SyntaxError; the behaviour is tested in test_report.py",
    "report.md: OData Filter Examples": "filters on `status`, which the server's ReportHeader does not have (it is "
    "`result`): the server and the simulator answer 400; the other filters are tested in test_report.py",
    "report.md: Add Attachment to Report": "imports `pywats_client.io.AttachmentIO`, a separate package",
    "report.md: Complete Test Workflow": "calls `api.production.set_unit_phase` (the production domain is not in "
    "this branch) and the user's own `measure_voltage`/`test_uart`",
    "UUR_OBJECT_MODEL.md: Usage Example": AWAIT_AT_TOP,
    "REPORT_OBJECT_MODELS.md: When to Use UUTReport": AWAIT_AT_TOP,
    "REPORT_OBJECT_MODELS.md: When to Use UURReport": AWAIT_AT_TOP,
    "REPORT_OBJECT_MODELS.md: Shared Base: Report Class": "an illustration of the class layout (`class Report(Generic"
    "[SubUnitT])` with `...`), not code to run",
    "REPORT_OBJECT_MODELS.md: Type Safety via Generics": "an illustration of the class layout, not code to run",
}


def test_the_guides_are_there() -> None:
    guide_examples.require(guide_examples.guide(GUIDES[0]), EXAMPLES)
    assert set(SKIPPED) <= {n for n, _ in EXAMPLES}, "a skipped example is no longer in the guides"
    assert len(EXAMPLES) - len(SKIPPED) >= 19


def context() -> dict[str, Any]:
    with pywats.pyWATS() as api:  # the test's simulator (pointed_at)
        report = api.report.create_uut_report(
            operator="Guide", part_number="WIDGET-001", revision="A", serial_number="W12345", operation_type=100
        )
    return {"report": report, "root": report.get_root_sequence_call(), "CompOp": CompOp, "ReportType": ReportType}


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
    before = len(pointed_at.store.collection("reports"))
    guide_examples.run(code, name, "report guides", extra=context())
    out = capsys.readouterr().out
    if "print(" in code:
        assert out.strip(), "the example printed nothing"
    assert "Failed to submit" not in out
    if "write_bytes(" in code:
        assert any(tmp_path.iterdir()), "the example saved no attachment"
    if "submit_report(" in code:
        assert len(pointed_at.store.collection("reports")) > before, "the example's report was not stored"
