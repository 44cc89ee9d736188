"""Every code example of the Software guide (the user-facing contract), run unchanged on the simulator."""

from __future__ import annotations

import guide_examples
import pytest

from pywats.domains.software.models import PackageStatus
from pywats.simulator import Simulator

GUIDE = "software.md"
EXAMPLES = guide_examples.examples(guide_examples.guide(GUIDE))
# The guide's later blocks continue the Quick Start's session, where PackageStatus is imported.
SESSION = {"PackageStatus": PackageStatus}
_NO_SIZE = (
    "formats file.file_size with ',': WATS's public PackageFile has no size, type or checksum "
    "(packageFileId, name, packageFolderName, attributes, Description), so file_size is None"
)
SKIPPED: dict[str, str] = {
    "Get Package by ID": "get_package(12345): WATS package ids are UUIDs; the facade refuses 12345 (ValueError)",
    "Get Package by Name": "version='2.1.0': WATS package versions are integers (1, 2, 3...); refused (ValueError)",
    "List Package Files": _NO_SIZE,
    "Download Package File": _NO_SIZE,
    "Version Comparison": "packaging.version.parse(p.version): WATS package versions are integers, not strings",
}


def test_the_guide_is_there() -> None:
    guide_examples.require(guide_examples.guide(GUIDE), EXAMPLES)
    assert set(SKIPPED) <= {name for name, _ in EXAMPLES}


@pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES, skip=SKIPPED))
def test_guide_example_runs(name: str, code: str, pointed_at: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    guide_examples.run(code, name, GUIDE, extra=SESSION)
    if "print(" in code:
        assert capsys.readouterr().out.strip(), "the example printed nothing"
