"""Every code example on the documentation site runs, against the simulator.

Each page under ``docs/`` (not ``_incoming/``) is one test. The page gets its own simulator, a
fresh temporary working directory and ``HOME``, and ``WATS_BASE_URL``/``WATS_AUTH_TOKEN`` pointing
at that simulator, so ``pyWATS()`` with no arguments connects to it, as the pages say it does.
Its fenced blocks then run top to bottom:

* ``python`` blocks run in one namespace per page (a later block may use what an earlier one made);
* ``bash`` blocks run with ``bash -euo pipefail`` (the project's ``python`` and ``pywats-client``
  first on ``PATH``);
* a block right after ``<!-- example: output -->`` is what the block before it prints: each of its
  non-empty lines must appear in that output;
* a block right after ``<!-- example: file NAME -->`` is written to NAME in the page's directory
  (a test module, a data file) for the blocks after it to use;
* a block after ``<!-- example: cleanup -->`` runs when the page ends, even after a failure (it
  stops what the page started, such as a service);
* ``<!-- example: skip REASON -->`` right before a block says why it cannot run here (a real server,
  a package index, a command that never returns); a skip without a reason fails the page.

Other languages (yaml, json, text, ini, dockerfile) show files, not commands, and are not run.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pywats import InternalAPIWarning, pyWATS
from pywats.simulator import Simulator

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
RUN = {"python": "python", "py": "python", "bash": "bash", "sh": "bash", "shell": "bash", "console": "bash"}
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*(?P<lang>[\w+-]*)[^\n]*$")
MARKER = re.compile(r"<!--\s*example:\s*(?P<kind>skip|output|file|cleanup)\b(?P<reason>.*?)-->", re.DOTALL)


@dataclass
class Block:
    page: Path
    line: int
    lang: str
    code: str
    marker: str | None = None
    reason: str = ""

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if not p.relative_to(DOCS).parts[0].startswith("_"))


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a page, each with the example marker written right before it."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        block = Block(page, i + 2, match["lang"].lower(), "\n".join(body) + "\n")
        k = i - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        if k >= 0 and lines[k].strip().endswith("-->"):
            start = k
            while start > 0 and "<!--" not in lines[start]:
                start -= 1
            marker = MARKER.search("\n".join(lines[start : k + 1]))
            if marker:
                block.marker, block.reason = marker["kind"], " ".join(marker["reason"].split())
        found.append(block)
        i = j + 1
    return found


@contextlib.contextmanager
def page_environment(tmp_path: Path, sim: Simulator) -> Iterator[dict[str, str]]:
    """A working directory, HOME and WATS_* for one page, restored afterwards."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "APPDATA": str(home / "AppData"),
        "WATS_BASE_URL": sim.url,
        "WATS_AUTH_TOKEN": sim.token,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    saved = {key: os.environ.get(key) for key in env}
    cwd = Path.cwd()
    # Examples may configure logging and warning filters, as users do; the rest of the suite must not see it.
    loggers = [logging.getLogger(), logging.getLogger("pywats")]
    logger_state = [(lg, lg.level, list(lg.handlers)) for lg in loggers]
    os.environ.update(env)
    os.chdir(tmp_path)
    try:
        with warnings.catch_warnings():
            # the pages say which calls use the internal API; the warning itself is expected there
            warnings.simplefilter("ignore", InternalAPIWarning)
            yield {k: v for k, v in os.environ.items() if not k.startswith("PYWATS_")}
    finally:
        for lg, level, handlers in logger_state:
            lg.setLevel(level)
            lg.handlers[:] = handlers
        os.chdir(cwd)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_python(block: Block, namespace: dict[str, object]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block.code, block.where, "exec"), namespace)
    return out.getvalue()


def run_bash(block: Block, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"{block.where}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


PAGES = pages()


def run_blocks(page_blocks: list[Block], namespace: dict[str, object], env: dict[str, str], tmp_path: Path) -> None:
    """Run a page's blocks in order, checking each output block against what the block before printed."""
    last_output: str | None = None
    for block in page_blocks:
        if block.marker == "file":
            target = (tmp_path / block.reason).resolve()
            assert block.reason and target.is_relative_to(tmp_path.resolve()), f"{block.where}: bad file name"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.code, encoding="utf-8")
        elif block.marker == "output":
            assert last_output is not None, f"{block.where}: an output block must follow a run example"
            for expected in filter(None, (line.strip() for line in block.code.splitlines())):
                assert expected in last_output, f"{block.where}: {expected!r} not printed:\n{last_output}"
        elif RUN.get(block.lang) and block.marker not in ("skip", "cleanup"):
            last_output = run_block(block, namespace, env)


def run_block(block: Block, namespace: dict[str, object], env: dict[str, str]) -> str:
    try:
        return run_python(block, namespace) if RUN[block.lang] == "python" else run_bash(block, env)
    except AssertionError:
        raise
    except (Exception, SystemExit) as exc:
        raise AssertionError(f"{block.where}: the example raised {exc!r}") from exc


def test_the_site_has_examples() -> None:
    runnable = [b for p in PAGES for b in blocks(p) if RUN.get(b.lang) and b.marker not in ("skip", "file")]
    assert len(PAGES) >= 20 and len(runnable) >= 40, (len(PAGES), len(runnable))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_run(page: Path, tmp_path: Path) -> None:
    page_blocks = blocks(page)
    for block in page_blocks:
        if block.marker == "skip":
            assert len(block.reason) >= 10, f"{block.where}: a skipped example must say why it cannot run"
    if not any(RUN.get(b.lang) and b.marker != "skip" for b in page_blocks):
        return
    namespace: dict[str, object] = {"__name__": "__docs_example__"}
    with Simulator() as sim, page_environment(tmp_path, sim) as env:
        try:
            run_blocks(page_blocks, namespace, env, tmp_path)
        finally:
            for block in page_blocks:
                if block.marker == "cleanup" and RUN.get(block.lang):
                    run_block(block, namespace, env)
            # A page's script ends without closing its client, as a user's script may; the test
            # closes it so that its connections do not outlive the page (ResourceWarnings later).
            for value in namespace.values():
                if isinstance(value, pyWATS):
                    value.close()


def _page(tmp_path: Path, text: str) -> list[Block]:
    page = DOCS / "_selftest.md"  # never written: blocks() reads only the text given here
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return [Block(page, b.line, b.lang, b.code, b.marker, b.reason) for b in blocks(path)]


def test_the_runner_catches_a_failing_example_and_a_wrong_output(tmp_path: Path) -> None:
    failing = _page(tmp_path, "```python\nraise ValueError('boom')\n```\n")
    with pytest.raises(AssertionError, match="boom"):
        run_blocks(failing, {}, dict(os.environ), tmp_path)
    wrong = _page(tmp_path, "```python\nprint('41')\n```\n\n<!-- example: output -->\n```text\n42\n```\n")
    with pytest.raises(AssertionError, match="'42' not printed"):
        run_blocks(wrong, {}, dict(os.environ), tmp_path)
    shell = _page(tmp_path, "```bash\nexit 3\n```\n")
    with pytest.raises(AssertionError, match="exit 3"):
        run_blocks(shell, {}, dict(os.environ), tmp_path)


def test_the_runner_reads_markers(tmp_path: Path) -> None:
    text = (
        "<!-- example: skip needs a real server -->\n```python\nraise SystemExit\n```\n\n"
        "<!-- example: file data/x.txt -->\n```text\nhello\n```\n\n"
        "```python\nprint(open('data/x.txt').read().strip())\n```\n\n"
        "<!-- example: output -->\n```text\nhello\n```\n"
    )
    page_blocks = _page(tmp_path, text)
    assert [(b.marker, b.reason) for b in page_blocks] == [
        ("skip", "needs a real server"),
        ("file", "data/x.txt"),
        (None, ""),
        ("output", ""),
    ]
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        run_blocks(page_blocks, {}, dict(os.environ), tmp_path)
    finally:
        os.chdir(cwd)
