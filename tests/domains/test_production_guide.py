"""Every python example of the Production guide, run unchanged on the simulator.

The guide is read where it lives (``$WATS_GUIDES_DIR``, default ``../shared/guides``); examples
that cannot run are listed with the precise reason. The server is prepared as the guide assumes
a user's server is: WIDGET-001 has the revision C the examples create units of (added through
the Product API), the assembly examples' products, box build and units exist (created through
the facade before the example runs), and the names earlier sections imported are defined, as for a reader who runs
the guide from the top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import guide_examples
import httpx
import pytest

import pywats
from pywats.domains.production import Unit, UnitPhaseFlag, UnitVerificationGrade
from pywats.simulator import Simulator

GUIDE = guide_examples.guide("production.md")
EXAMPLES = guide_examples.examples(GUIDE)
# Names an example uses that an earlier section of the guide imported.
EARLIER_IMPORTS = {"Unit": Unit, "UnitVerificationGrade": UnitVerificationGrade, "UnitPhaseFlag": UnitPhaseFlag}
NOT_WATS_PHASES = "WATS has a fixed set of unit phases (ids 1..4104, see UnitPhaseFlag); "
SKIPPED: dict[str, str] = {
    "Get Specific Phase": NOT_WATS_PHASES + "phase 123, 'ICT_PASSED' and 'ICT - Passed' do not exist: get_phase "
    "gives None for each and the example prints nothing",
    "Set Unit Phase": NOT_WATS_PHASES + "'ICT' is a process, not a phase",
    "Set Unit Process": "process codes 10 and 50 are not processes of the simulator (ICT is 100, FCT 200)",
    "Complete Production Workflow": "sets process code 10 (not a process of the simulator; ICT is 100)",
    "Acknowledge Unit Change": "WATS unit change ids are integers; 'some-change-uuid' is refused (ValueError)",
    "Get Unit Phases": "the example is not valid Python: print(...)) has an unmatched ')'",
    "Cannot add child to assembly": "a fragment: child_sn, child_pn, parent_pn, ... are never defined",
}


def _products(api: pywats.pyWATS) -> None:
    """The products the assembly examples name, as a reader's server has them."""
    for part, revision in (("MAIN-MODULE", "A"), ("PCBA-BOARD", "A"), ("POWER-SUPPLY", "B")):
        api.product.create_product(part, part.title())
        api.product.create_revision(part, revision)
    api.product.create_revision("CABLE-ASSY", "A")


def _module(api: pywats.pyWATS, attached: bool = False) -> None:
    """MODULE-001 (MAIN-MODULE A, whose box build takes a PCBA-BOARD A) and its finalized PCBA-12345."""
    _products(api)
    template = api.product.get_box_build_template("MAIN-MODULE", "A")
    template.add_subunit("PCBA-BOARD", "A", quantity=1)
    template.save()
    api.production.create_units(
        [
            Unit(serial_number="MODULE-001", part_number="MAIN-MODULE", part_revision="A"),
            Unit(serial_number="PCBA-12345", part_number="PCBA-BOARD", part_revision="A"),
        ]
    )
    api.production.set_unit_phase("PCBA-12345", "PCBA-BOARD", UnitPhaseFlag.FINALIZED)
    if attached:
        api.production.add_child_to_assembly("MODULE-001", "MAIN-MODULE", "PCBA-12345", "PCBA-BOARD")


# Examples whose premise is data on the reader's server, created through the facade first.
SETUP: dict[str, Callable[[pywats.pyWATS], None]] = {
    "Add Child to Assembly": _module,
    "Remove Child from Assembly": lambda api: _module(api, attached=True),
    "Verify Assembly": _module,
    "Complete Assembly Workflow": _products,
}
# Examples whose prints are all conditional, and whose condition is false on the simulator's data.
SILENT = {
    "Unit not found": "WIDGET-12345 exists",
    "Cannot finalize unit": "WIDGET-12345 passes",
    # only defines production_line(); the guide never calls it (a call would stop at process code 10,
    # not a process of the simulator, and the function uses `time` without importing it)
    "Multi-Station Production Line": "defines a function only",
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
    if name in SETUP:
        with pywats.pyWATS(base_url=prepared.url, token=prepared.token) as api:
            SETUP[name](api)
    guide_examples.run(code, name, "production.md", extra=EARLIER_IMPORTS)
    out = capsys.readouterr().out
    if "print(" in code and name not in SILENT:
        assert out.strip(), "the example printed nothing"
    if name in SILENT:
        assert not out.strip()
