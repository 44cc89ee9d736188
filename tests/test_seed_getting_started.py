"""Seed 003 (Getting Started): every python block that no domain's guide test runs, run unchanged.

The blocks are read from the seed (``$WATS_SEEDS_DIR``), never copied. Blocks that use
``api.product`` run in ``tests/test_guide_product.py``, SCIM's pagination in the SCIM guide test.
Blocks written for a notebook (top-level ``await``/``async with``) run on an event loop, as there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import guide_examples
import pytest

from pywats import pyWATS
from pywats.simulator import Simulator

SEED = "003_2a5073beb231d150.txt"
# The product guide test runs the blocks that use only api.product; these use it with other domains.
_MIXED = re.compile(r"api\w*\.(production|report|asset|analytics|process)\.")
EXAMPLES = [
    (n, c)
    for n, c in guide_examples.examples(guide_examples.seed(SEED))
    if (".product." not in c or _MIXED.search(c)) and "api.scim" not in c
]
# Blocks that cannot run as written, and why.
SKIPPED = {
    "Using Environment Variables #2": "imports python-dotenv, which pywats does not depend on",
    "Using Internal APIs Safely #2": "calls its helper with the reader's own `date_from`/`date_to`; run in "
    "test_internal_api_helper_block below with those two names given",
    "Pagination #2": "illustrative: `api.some_api.get_items` is the reader's own paged API; paginate() itself is "
    "tested in test_utilities.py",
}


def _widget_units(sim: Simulator) -> None:
    """Units SN-00000..SN-00999 of WIDGET-001 rev A, created through the facade as a reader's line would."""
    from pywats.domains.production import Unit

    with pyWATS(base_url=sim.url, token=sim.token) as api:
        api.production.create_units(
            [Unit(serial_number=f"SN-{i:05d}", part_number="WIDGET-001", part_revision="A") for i in range(1000)]
        )


# Blocks whose premise is data on the reader's server: put on the simulator before the block runs.
SETUP: dict[str, Callable[[Simulator], None]] = {
    "Request Batching": _widget_units,
    "Combined Performance Pattern": _widget_units,
}

# Blocks that continue an earlier block (use a name it defined): run after it, as a reader would.
CONTINUES = {"Using in API": "Token Generation"}
# Names a block uses that the seed's earlier blocks imported ("Token Security" builds pyWATS).
EARLIER_IMPORTS = {"pyWATS": pyWATS}


def test_the_seed_is_there() -> None:
    guide_examples.require(guide_examples.seed(SEED), EXAMPLES)
    assert len(EXAMPLES) >= 15
    assert set(SKIPPED) <= {n for n, _ in EXAMPLES}


@pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES, skip=SKIPPED))
def test_block_runs(
    name: str,
    code: str,
    pointed_at: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)  # blocks write files (a log file) where they run
    monkeypatch.setenv("WATS_BASE_URL", pointed_at.url)
    monkeypatch.setenv("WATS_AUTH_TOKEN", pointed_at.token)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root.handlers[:] = []  # as in a fresh script, so a block's basicConfig() takes effect
    if name in CONTINUES:
        code = dict(EXAMPLES)[CONTINUES[name]] + "\n" + code
    if name in SETUP:
        SETUP[name](pointed_at)
    try:
        guide_examples.run(code, name, SEED, extra=EARLIER_IMPORTS)
    finally:  # blocks configure logging for their program; leave the test process as it was
        for handler in root.handlers + logging.getLogger("pywats").handlers:
            handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.getLogger("pywats").handlers.clear()
        logging.getLogger("pywats").setLevel(logging.NOTSET)
        logging.getLogger("pywats").propagate = True
    if "print(" in code:
        assert capsys.readouterr().out.strip(), "the block printed nothing"


def test_internal_api_helper_block(pointed_at: Simulator) -> None:
    import datetime
    import warnings

    import pywats

    code = dict(EXAMPLES)["Using Internal APIs Safely #2"]
    now = datetime.datetime.now()
    given = {"date_from": now - datetime.timedelta(days=7), "date_to": now, "logging": logging}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        names = guide_examples.run(code, "Using Internal APIs Safely #2", SEED, extra=given)
    assert names["flow"] is not None  # the unit flow came back; no fallback was needed
    assert any(w.category is pywats.InternalAPIWarning for w in caught)
