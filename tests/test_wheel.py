"""The built wheel on its own: what `.ci/wheel_check.py` checks, as part of the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_runs_spec_diff_check_and_compatibility(spec_dir: Path) -> None:
    # Builds the wheel, installs it in a fresh venv in a temporary directory, and runs spec-diff,
    # `check --server` and check_server_compatibility() from an empty working directory (~15 s).
    proc = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "wheel_check.py"), "--spec-dir", str(spec_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "diff: exit 0, summary written" in proc.stdout
    assert "check --server <simulator>: exit" in proc.stdout
    assert "check_server_compatibility(): exit" in proc.stdout
