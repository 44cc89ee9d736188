"""The README's two commands and its tour run as shown."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_are_the_ones_ci_and_developers_run() -> None:
    commands = re.search(r"```bash\n(.*?)```", README, re.DOTALL)
    assert commands is not None
    lines = commands.group(1).strip().splitlines()
    assert lines == [
        "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/python -m pywats.demo",
        '.venv/bin/pip install -q -e ".[dev]" && WATS_SPEC_DIR=../shared/wats-specs .venv/bin/python -m pytest',
    ]


def test_the_tour_runs(capsys: object) -> None:
    code = re.search(r"## A tour\n.*?```python\n(.*?)```", README, re.DOTALL)
    assert code is not None
    assert len(code.group(1).strip().splitlines()) <= 12
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "<README tour>", "exec"), namespace)
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "Server version: 24.2.0-simulator" in out
    assert re.search(r"^SN-1 P at \S+", out, re.MULTILINE)


def test_the_documentation_links_resolve() -> None:
    links = re.findall(r"\]\((docs/[^)]+)\)", README)
    assert len(links) >= 10
    assert [link for link in links if not (ROOT / link).is_file()] == []


def test_demo_prints_the_process_type_report() -> None:
    out = subprocess.run([sys.executable, "-m", "pywats.demo"], capture_output=True, text=True, check=True).stdout
    assert "Connected: True  server version: 24.2.0-simulator" in out
    assert "PROCESS TYPE REPORT" in out and "Total: 11 operations" in out
    assert re.search(r"^  100 +ICT +In-Circuit Test$", out, re.MULTILINE)
    # the station's job: two reports submitted, one read back, both in the headers, yield from them
    assert out.count("submitted DEMO-000") == 2
    assert "read back DEMO-0002: Failed at ICT-01 (Line A)" in out
    assert "header: DEMO-0001  Passed" in out and "header: DEMO-0002  Failed" in out
    assert "first-pass yield of PYWATS-DEMO today: 50.0% (1/2 units)" in out
