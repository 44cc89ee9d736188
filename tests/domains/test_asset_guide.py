"""Every code example of the Asset guide (the user-facing contract), run unchanged on the simulator."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import guide_examples
import pytest

import pywats
from pywats.simulator import Simulator

GUIDE = "asset.md"
EXAMPLES = guide_examples.examples(guide_examples.guide(GUIDE))
_PREVIOUS = "uses a variable defined by an earlier example ({}), so it cannot run on its own"
SKIPPED: dict[str, str] = {
    # the guide's filters the server rejects (400): state is a number, log records have no such fields
    "List All Assets": "filters with \"state eq 'OK'\"; state is an integer (0-6), the server answers 400",
    "Get Asset Logs": "filters on 'timestamp' and 'asset_name', which log records lack (server answers 400)",
    "Add Child to Existing Asset": _PREVIOUS.format("instrument_type"),
    "List Asset Files": _PREVIOUS.format("asset"),
    "Download File from Asset": _PREVIOUS.format("asset"),
    "Delete Files": _PREVIOUS.format("asset"),
    "Upload File to Asset": "reads calibration_cert.pdf from disk; also the simulator core takes JSON bodies only",
    "Bulk Import Assets": "reads assets.csv from disk",
    "Cannot create asset without type": "not Python: `create_asset(..., ...)` is a SyntaxError",
    "Calibration/maintenance dates not updating": "uses the placeholder serial number '...'",
}
# Examples that print only when something is wrong.
SILENT = {"Asset not found"}


@pytest.fixture(autouse=True)
def _quiet_internal() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        yield


def test_the_guide_is_there() -> None:
    guide_examples.require(guide_examples.guide(GUIDE), EXAMPLES)
    assert set(SKIPPED) <= {name for name, _ in EXAMPLES}


@pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES, skip=SKIPPED))
def test_guide_example_runs(name: str, code: str, pointed_at: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    guide_examples.run(code, name, GUIDE)
    if "print(" in code and name not in SILENT:
        assert capsys.readouterr().out.strip(), "the example printed nothing"
