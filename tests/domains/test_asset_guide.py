"""Every code example of the Asset guide (the user-facing contract), run unchanged on the simulator."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import guide_examples
import pytest

import pywats
from pywats.simulator import Simulator

GUIDE = "asset.md"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nbinary certificate\n%%EOF\n"
EXAMPLES = guide_examples.examples(guide_examples.guide(GUIDE))
SKIPPED: dict[str, str] = {
    # the guide's filters the server rejects (400): state is a number, log records have no such fields
    "List All Assets": "filters with \"state eq 'OK'\"; state is an integer (0-6), the server answers 400",
    "Get Asset Logs": "filters on 'timestamp' and 'asset_name', which log records lack (server answers 400)",
    "Cannot create asset without type": "not Python: `create_asset(..., ...)` is a SyntaxError",
    "Calibration/maintenance dates not updating": "uses the placeholder serial number '...' (no such asset: "
    "NotFoundError)",
}
# Blocks that continue an earlier one (use a name it defined): run after it, as a reader would.
CONTINUES = {
    "Add Child to Existing Asset": "Create Asset with Parent",  # instrument_type, the ICT-STATION-01 parent
    "List Asset Files": "Upload File to Asset",  # asset (DMM-001), with the certificate it uploaded
    "Download File from Asset": "Upload File to Asset",
    "Delete Files": "Upload File to Asset",
}
# "Bulk Import Assets" reads assets.csv: the two rows its comment gives as the file's format.
ASSETS_CSV = (
    "serial_number,name,type,location,description,part_number,revision\n"
    "DMM-001,Keithley 2000,Instrument,Lab A,6.5 digit DMM,2000,1.0\n"
    "SCOPE-001,Rigol DS1054Z,Instrument,Lab A,4-ch 50MHz,DS1054Z,1.0\n"
)
# Examples that print only when something is wrong.
SILENT = {"Asset not found"}


@pytest.fixture(autouse=True)
def _quiet_internal() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        yield


def test_the_guide_is_there() -> None:
    guide_examples.require(guide_examples.guide(GUIDE), EXAMPLES)
    names = {name for name, _ in EXAMPLES}
    assert set(SKIPPED) <= names and set(CONTINUES) | set(CONTINUES.values()) <= names


@pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES, skip=SKIPPED))
def test_guide_example_runs(
    name: str,
    code: str,
    pointed_at: Simulator,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "Upload File to Asset" reads calibration_cert.pdf from the working directory: give it one.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "calibration_cert.pdf").write_bytes(PDF)
    (tmp_path / "assets.csv").write_text(ASSETS_CSV, encoding="utf-8")
    if name in CONTINUES:
        code = dict(EXAMPLES)[CONTINUES[name]] + "\n" + code
    guide_examples.run(code, name, GUIDE)
    if "Upload File to Asset" in (name, CONTINUES.get(name)):
        stored = pointed_at.store.collection("asset_blobs")[-1]
        assert stored["filename"] == "Calibration_Certificate_2024-06-15.pdf" and stored["size"] == len(PDF)
    out = capsys.readouterr().out
    if "print(" in code and name not in SILENT:
        assert out.strip(), "the example printed nothing"
    if name == "Bulk Import Assets":
        assert out.endswith("Imported 2 assets\n"), out
    if name == "Download File from Asset":
        assert (tmp_path / "downloaded_cert.pdf").read_bytes() == PDF
