"""Every python example of the SCIM guide (and seed 003's SCIM pagination), run unchanged on the simulator."""

from __future__ import annotations

from typing import Any

import guide_examples
import pytest

from pywats.simulator import Simulator

GUIDE = "scim.md"
SEED = "003_2a5073beb231d150.txt"
EXAMPLES = guide_examples.examples(guide_examples.guide(GUIDE))
SKIPPED = {
    # placeholder id "user-id" (WATS user ids are GUIDs), and its manual patch uses the path
    # "displayName", which WATS documents as unsupported (it is "fullName")
    "User Updates": 'uses the placeholder id "user-id" and the unsupported PATCH path "displayName"',
    # looks up john.doe@example.com, which only "User Creation" creates: run after it below
    "User Retrieval": "needs the user User Creation makes; run in sequence in test_creation_then_retrieval",
}
SEEN: list[Any] = []
# Names the examples call without defining them (the reader's own code).
EXTRA = {
    "process_user": SEEN.append,
    "sync_user": SEEN.append,
    "sync_to_external_system": SEEN.append,
}
SEED_EXAMPLES = [(n, c) for n, c in guide_examples.examples(guide_examples.seed(SEED)) if "api.scim." in c]


def test_the_guides_are_there() -> None:
    guide_examples.require(guide_examples.guide(GUIDE), EXAMPLES)
    assert len(EXAMPLES) == 10 and set(SKIPPED) <= {n for n, _ in EXAMPLES}
    assert [n for n, _ in SEED_EXAMPLES] == ["Pagination"]


@pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES + SEED_EXAMPLES, skip=SKIPPED))
def test_example_runs(name: str, code: str, pointed_at: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    SEEN.clear()
    guide_examples.run(code, name, GUIDE, extra=EXTRA)
    out = capsys.readouterr().out
    if "print(" in code:
        assert out.strip(), "the example printed nothing"
    assert "not found" not in out.lower() or name == "Error Handling"
    if "iter_users(page_size=50, max_users=200)" in code:
        assert len(SEEN) == 2 * 12  # max_users=200 run and the on_page run each see all 12 users
    if name == "User Deletion":
        assert pointed_at.requests[-1].method == "DELETE"


def test_creation_then_retrieval(pointed_at: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    code = dict(EXAMPLES)
    guide_examples.run(code["User Creation"], "User Creation", GUIDE)
    guide_examples.run(code["User Retrieval"], "User Retrieval", GUIDE)
    out = capsys.readouterr().out
    assert "Created user ID:" in out and "User: Ada Lovelace" in out and "User ID:" in out
