"""The README's Getting started example and the demo run as shown."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_getting_started_example_runs(capsys: object) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Getting started\n.*?```python\n(.*?)```", text, re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "<README Getting started>", "exec"), namespace)
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "Connected! Server version: 24.2.0-simulator" in out
    assert "Operation: ICT  Code: 100  Type: TEST" in out


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
