"""Every python example of the Production guide, run unchanged on the simulator.

The guide is read where it lives (``$WATS_GUIDES_DIR``, default ``../shared/guides``); examples
that cannot run are listed with the precise reason. The server is prepared as the guide assumes
a user's server is: WIDGET-001 has the revision C the examples create units of (added through
the Product API), and the names earlier sections imported are defined, as for a reader who runs
the guide from the top.
"""

from __future__ import annotations

from collections.abc import Iterator

import guide_examples
import httpx
import pytest

from pywats.domains.production import Unit, UnitPhaseFlag, UnitVerificationGrade
from pywats.simulator import Simulator

GUIDE = guide_examples.guide("production.md")
EXAMPLES = guide_examples.examples(GUIDE)
# Names an example uses that an earlier section of the guide imported.
EARLIER_IMPORTS = {"Unit": Unit, "UnitVerificationGrade": UnitVerificationGrade, "UnitPhaseFlag": UnitPhaseFlag}
NOT_WATS_PHASES = "WATS has a fixed set of unit phases (ids 1..4104, see UnitPhaseFlag); "
SKIPPED: dict[str, str] = {
    "Get Specific Phase": NOT_WATS_PHASES + "phase 123, 'ICT_PASSED' and 'ICT - Passed' do not exist",
    "Set Unit Phase": NOT_WATS_PHASES + "'ICT' is a process, not a phase",
    "Set Unit Process": "process codes 10 and 50 are not processes of the simulator (ICT is 100, FCT 200); "
    "clearing (None) sends a blank processName, which the simulator's parameter check rejects as missing",
    "Complete Production Workflow": "sets process code 10 (not a process of the simulator; ICT is 100)",
    "Multi-Station Production Line": "uses `time` without importing it, and process codes 10/50/60/100",
    "Add Child to Assembly": "units MODULE-001/MAIN-MODULE and PCBA-12345/PCBA-BOARD and their products do not "
    "exist in the simulator (its box build example is MAIN-ASSEMBLY, tested in test_production.py)",
    "Remove Child from Assembly": "same units as 'Add Child to Assembly'",
    "Verify Assembly": "same units as 'Add Child to Assembly'",
    "Complete Assembly Workflow": "needs api.product.get_box_build_template (Product facade, not built yet)",
    "Acknowledge Unit Change": "WATS unit change ids are integers; 'some-change-uuid' is refused (ValueError)",
    "Get Unit Phases": "the example is not valid Python: print(...)) has an unmatched ')'",
    "Cannot add child to assembly": "a fragment: child_sn, child_pn, parent_pn, ... are never defined",
}
# Examples whose prints are all conditional, and whose condition is false on the simulator's data.
SILENT = {
    "Unit not found": "WIDGET-12345 exists",
    "Cannot finalize unit": "WIDGET-12345 passes",
}


@pytest.fixture
def prepared(pointed_at: Simulator) -> Iterator[Simulator]:
    r = httpx.put(
        f"{pointed_at.url}/api/Product/Revision",
        json={"partNumber": "WIDGET-001", "revision": "C", "name": "Rev C"},
        headers={"Authorization": f"Basic {pointed_at.token}"},
    )
    assert r.status_code == 200, r.text
    yield pointed_at


def test_the_guide_is_there() -> None:
    guide_examples.require(GUIDE, EXAMPLES)
    names = {name for name, _ in EXAMPLES}
    assert set(SKIPPED) <= names and set(SILENT) <= names


@pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES, skip=SKIPPED))
def test_guide_example_runs(name: str, code: str, prepared: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    guide_examples.run(code, name, "production.md", extra=EARLIER_IMPORTS)
    out = capsys.readouterr().out
    if "print(" in code and name not in SILENT:
        assert out.strip(), "the example printed nothing"
    if name in SILENT:
        assert not out.strip()
