"""Run the documentation's python examples unchanged against the simulator.

The guides are read where they live (``$WATS_SEEDS_DIR`` / ``$WATS_GUIDES_DIR``, default
``../shared/seeds`` and ``../shared/guides`` beside the repo), never copied. A domain's guide test::

    EXAMPLES = guide_examples.examples(guide_examples.guide("product.md"))

    @pytest.mark.parametrize(("name", "code"), guide_examples.params(EXAMPLES, skip=SKIPPED))
    def test_example(name, code, pointed_at, capsys):
        guide_examples.run(code, name)

``pointed_at`` (fixture in conftest) makes ``pyWATS(...)``/``AsyncWATS(...)`` given the guide's
placeholder server (or nothing) talk to the test's simulator; ``api`` is predefined for examples
that use it without building it.
"""

from __future__ import annotations

import os
import re
import sys
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import pywats
from pywats.simulator import Simulator

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER_URL = "https://your-wats-server.com"
_PLACEHOLDER_HOSTS = ("your-wats-server", "wats.example.com", "your-server", "your.wats", "your-company", "//...")


def seeds_dir() -> Path:
    return Path(os.environ.get("WATS_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))


def guides_dir() -> Path:
    return Path(os.environ.get("WATS_GUIDES_DIR", ROOT.parent / "shared" / "guides"))


def guide(name: str) -> Path:
    return guides_dir() / name


def seed(name: str) -> Path:
    return seeds_dir() / name


def examples(path: Path) -> list[tuple[str, str]]:
    """(heading, code) of every ```python block; repeated headings are numbered ``#2``, ``#3``."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    found: list[tuple[str, str]] = []
    heading = ""
    counts: dict[str, int] = {}
    for block in re.finditer(r"^(#+ [^\n]*)$|^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        if block.group(1):
            heading = block.group(1).lstrip("#").strip()
            continue
        counts[heading] = counts.get(heading, 0) + 1
        name = heading if counts[heading] == 1 else f"{heading} #{counts[heading]}"
        found.append((name, block.group(2)))
    return found


def require(path: Path, found: list[tuple[str, str]]) -> None:
    """Fail in CI (skip locally) when the guide is missing, so no test silently runs nothing."""
    if found:
        return
    message = f"the guide is not at {path} (set WATS_GUIDES_DIR / WATS_SEEDS_DIR)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def params(found: list[tuple[str, str]], skip: Mapping[str, str] = {}) -> list[Any]:
    """pytest params for the examples, minus the ``skip`` ones (name → documented reason)."""
    return [pytest.param(n, c, id=n) for n, c in found if n not in skip]


def is_placeholder(base_url: str | None) -> bool:
    return base_url is None or base_url.strip() == "..." or any(h in base_url for h in _PLACEHOLDER_HOSTS)


def point_constructors_at(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """``pyWATS``/``AsyncWATS`` given a placeholder server (or none) connect to ``sim``.

    Returns the list of clients built meanwhile: guide examples often build a client and never
    close it (a script's end would); the fixture closes them after the test.
    """
    built: list[Any] = []
    for cls in (pywats.pyWATS, pywats.AsyncWATS):
        original = cls.__init__

        def init(
            self: Any,
            base_url: str | None = None,
            token: str | None = None,
            *a: Any,
            __original: Any = original,
            **kw: Any,
        ) -> None:
            if is_placeholder(base_url):
                base_url, token = sim.url, sim.token
            __original(self, base_url, token, *a, **kw)
            built.append(self)

        monkeypatch.setattr(cls, "__init__", init)
    return built


def close_all(clients: list[Any]) -> None:
    """Close what examples left open, as the end of their script would."""
    import asyncio

    for client in clients:
        if isinstance(client, pywats.AsyncWATS):
            try:
                asyncio.run(client.close())
            except Exception:  # its loop is gone; the sockets are still closed by the pool
                pass
        else:
            client.close()


def run(code: str, name: str, source: str = "guide", extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Execute one example as a real module (examples define dataclasses), with ``api`` predefined.

    Returns the names the example defined (its module namespace).
    """
    module = types.ModuleType("guide_example")
    with pywats.pyWATS(base_url=PLACEHOLDER_URL, token="your-api-token") as api:
        module.__dict__["api"] = api
        module.__dict__.update(extra or {})
        sys.modules[module.__name__] = module
        try:
            _execute(code, f"<{source}: {name}>", module.__dict__)
        finally:
            del sys.modules[module.__name__]
    return dict(module.__dict__)


def _execute(code: str, filename: str, namespace: dict[str, Any]) -> None:
    """Run a block as a script would; a block with top-level ``await``/``async with`` (written for
    a notebook or the asyncio REPL) runs as they run it, on an event loop."""
    import ast
    import asyncio
    import inspect

    try:
        compiled = compile(code, filename, "exec")
    except SyntaxError as exc:
        if "outside async function" not in str(exc) and "outside function" not in str(exc):
            raise
        compiled = compile(code, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)
    if inspect.iscoroutine(result):
        asyncio.run(result)


@pytest.fixture
def pointed_at(wats_simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    built = point_constructors_at(wats_simulator, monkeypatch)
    yield wats_simulator
    close_all(built)
