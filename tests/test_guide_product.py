"""Every python block of the Product guide, and the product snippets of seed 003, run on the simulator.

The blocks are read from the documents themselves at test time (``$WATS_GUIDES_DIR``, default
``../shared/guides``; ``$WATS_SEEDS_DIR``, default ``../shared/seeds``), never copied. A block
runs unchanged: the constructors send the documents' placeholder servers (``your-wats-server``,
``"..."``, ``https://...``, a bare ``...``) to the simulator, each block gets ``api`` and the
names the earlier blocks of its document imported (the documents are read top to bottom), and
a fresh simulator.
"""

from __future__ import annotations

import re
import sys
import types
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import guide_examples
import pytest

import pywats
from pywats.core.exceptions import ErrorMode
from pywats.simulator import Simulator

GUIDE = "product.md"
SEED = "003_2a5073beb231d150.txt"

# Blocks that cannot run unchanged, with the reason (block name: reason).
CANNOT_RUN = {
    "product.md: Assign Categories to Product": "passes three made-up ids ('cat-id-1'...); a WATS product has one "
    "category, a UUID (save_product_categories raises ValueError for this input)",
    "product.md: Revision creation fails": "a literal `...` stands for the remaining arguments",
    "003: Choosing the Right Mode": "calls pyWATS without importing it, and the reader's own names, defined nowhere "
    "in the seed (part_number, process_product, log_error, send_alert, candidate_parts)",
    "003: Complete Example": "imports python-dotenv, which pywats does not depend on",
}
# Blocks that print only on failure, or whose expected output mentions "not found": exact output.
OUTPUT = {
    "product.md: Product not found": "",
    "003: Basic Error Handling": "",
    "003: Comprehensive Exception Handling": "",
    "003: Retry Logic": "",
    "003: Error Mode Impact on Exceptions": "Product not found\nQuery returned no data\nProduct not found or empty\n",
}
# Blocks whose premise is a server state the simulator is put into first.
SETUP: dict[str, Callable[[Simulator], Any]] = {
    "003: Error Mode Impact on Exceptions": lambda sim: sim.inject("/api/Product/EMPTY-RESULT", empty=True),
}
# Blocks written for LENIENT mode: they test a missing product with `if not product` (seed 003's
# matrix: STRICT raises NotFoundError, LENIENT returns None).
LENIENT = {"product.md: Product Family Management"}
# Blocks that continue an earlier one (use a name it defined): run after it, as a reader would.
CONTINUES = {"product.md: BOM update fails": "product.md: Update BOM"}  # bom_items
OTHER_DOMAINS = re.compile(r"api\w*\.(production|report|asset|analytics|scim|some_api|process)\.|pywats\.tools")
PLACEHOLDERS = ("your-wats-server", "https://...", "...")


def _blocks(path: Path, prefix: str) -> list[tuple[str, str, str]]:
    """(name, code, imports of the earlier blocks) for every python block of a document."""
    found: list[tuple[str, str, str]] = []
    imports: list[str] = []
    for heading, code in guide_examples.examples(path):
        found.append((f"{prefix}: {heading}", code, "\n".join(imports)))
        # Only one-line imports of pywats itself: other modules may not be installed.
        imports += [line for line in code.splitlines() if re.match(r"from pywats[\w.]* import [\w, ]+$", line)]
    return found


def _product_blocks() -> list[tuple[str, str, str]]:
    guide = _blocks(guide_examples.guide(GUIDE), "product.md")
    # seed 003's blocks each say what they import
    seed = [(n, c, "") for n, c, _ in _blocks(guide_examples.seed(SEED), "003") if ".product." in c]
    return [b for b in guide + seed if not OTHER_DOMAINS.search(b[1])]


BLOCKS = _product_blocks()


def test_the_documents_are_there() -> None:
    guide_examples.require(guide_examples.guide(GUIDE), [(n, c) for n, c, _ in BLOCKS])
    names = {name for name, _, _ in BLOCKS}
    assert set(CANNOT_RUN) | set(SETUP) | set(OUTPUT) | LENIENT | set(CONTINUES) | set(CONTINUES.values()) <= names
    assert sum(n.startswith("product.md") for n in names) >= 40
    assert sum(n.startswith("003") for n in names) >= 8


@pytest.fixture
def pointed_at(wats_simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    """Constructors given a placeholder server/token talk to the simulator instead."""
    for cls in (pywats.pyWATS, pywats.AsyncWATS):
        original = cls.__init__

        def init(
            self: Any, base_url: Any = None, token: Any = None, *a: Any, __orig: Any = original, **kw: Any
        ) -> None:
            if base_url is None or base_url is Ellipsis or any(p in str(base_url) for p in PLACEHOLDERS):
                base_url, token = wats_simulator.url, wats_simulator.token
            __orig(self, base_url, token, *a, **kw)

        monkeypatch.setattr(cls, "__init__", init)
    yield wats_simulator


def _csv(tmp_path: Path) -> None:
    # The guide's import helper reads products.csv from the working directory.
    (tmp_path / "products.csv").write_text(
        "part_number,name,description,revision\nCSV-001,Imported one,first,A\nCSV-002,Imported two,,B\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("name", "code", "imports"),
    [pytest.param(n, c, i, id=n) for n, c, i in BLOCKS if n not in CANNOT_RUN],
)
def test_block_runs(
    name: str,
    code: str,
    imports: str,
    pointed_at: Simulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if name in SETUP:
        SETUP[name](pointed_at)
    _csv(tmp_path)
    monkeypatch.chdir(tmp_path)
    if name in CONTINUES:
        code = {n: c for n, c, _ in BLOCKS}[CONTINUES[name]] + "\n" + code
    mode = ErrorMode.LENIENT if name in LENIENT else ErrorMode.STRICT
    module = types.ModuleType("guide_example")
    with pywats.pyWATS(base_url="https://your-wats-server.com", token="t", error_mode=mode) as api:
        module.__dict__["api"] = api
        sys.modules[module.__name__] = module
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pywats.InternalAPIWarning)
                exec(compile(imports, f"<{name}: imports>", "exec"), module.__dict__)
                exec(compile(code, f"<{name}>", "exec"), module.__dict__)
        finally:
            del sys.modules[module.__name__]
    out = capsys.readouterr().out
    if name in OUTPUT:
        assert out == OUTPUT[name]
        return
    if "print(" in code:
        assert out.strip(), "the block printed nothing"
    assert "not found" not in out.lower() and "doesn't exist" not in out


def test_some_outputs(pointed_at: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    """A few blocks' printed results, checked against the simulator's seeded catalogue."""
    expected = {
        "product.md: Get Specific Product": "Product: Widget\nPart Number: WIDGET-001\nState: ACTIVE\n",
        "product.md: Get Box Build Template": "Box Build Template for MAIN-ASSEMBLY Rev A\nCurrent subunits: 4\n",
        "product.md: Complete Box Build Example": "Laptop structure defined with 6 components\n",
        "product.md: Product Family Management": "Created WIDGET-BASE\nCreated WIDGET-PLUS\nCreated WIDGET-PRO\n",
    }
    blocks = {n: (c, i) for n, c, i in BLOCKS}
    guide_examples.require(guide_examples.guide(GUIDE), [(n, c) for n, c, _ in BLOCKS])
    for name, start in expected.items():
        pointed_at.reset()
        code, imports = blocks[name]
        mode = ErrorMode.LENIENT if name in LENIENT else ErrorMode.STRICT
        namespace: dict[str, Any] = {}
        with pywats.pyWATS(error_mode=mode) as api, warnings.catch_warnings():
            warnings.simplefilter("ignore", pywats.InternalAPIWarning)
            namespace["api"] = api
            exec(compile(imports + "\n" + code, name, "exec"), namespace)
        assert capsys.readouterr().out.startswith(start), name


@pytest.mark.parametrize("name", sorted(n for n, _, _ in BLOCKS if n in CANNOT_RUN))
def test_blocks_listed_as_unrunnable_really_fail(name: str, pointed_at: Simulator) -> None:
    """Keeps CANNOT_RUN honest: a block that starts working must move out of the list."""
    code, imports = {n: (c, i) for n, c, i in BLOCKS}[name]
    namespace: dict[str, Any] = {}
    with pywats.pyWATS() as api, warnings.catch_warnings():
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        namespace["api"] = api
        exec(compile(imports, f"<{name}: imports>", "exec"), namespace)
        with pytest.raises((ValueError, NameError, ImportError, TypeError)):
            exec(compile(code, f"<{name}>", "exec"), namespace)
