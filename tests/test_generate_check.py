"""`nox -s generate -- --check`: passes on the committed tree, fails on any drift."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_check(spec_dir: Path, output: Path) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable,
        "-m",
        "pywats.spec.generate",
        "--spec-dir",
        str(spec_dir),
        "--check",
        "--output",
        str(output),
    ]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_check_passes_on_the_committed_tree(spec_dir: Path) -> None:
    proc = run_check(spec_dir, ROOT / "generated")
    assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stdout


def test_check_fails_when_generated_files_change(spec_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", copy, ignore=shutil.ignore_patterns("__pycache__"))
    edited = copy / "wats_public" / "api" / "app" / "app_version.py"
    edited.write_text(edited.read_text() + "\n# hand edit\n")
    (copy / "wats_internal" / "extra.py").write_text("x = 1\n")
    (copy / "wats_internal" / "types.py").unlink()
    proc = run_check(spec_dir, copy)
    assert proc.returncode == 1
    for name in ("wats_public/api/app/app_version.py", "wats_internal/extra.py", "wats_internal/types.py"):
        assert name in proc.stderr


def test_missing_documents_are_a_clear_error(tmp_path: Path) -> None:
    proc = run_check(tmp_path, tmp_path / "out")
    assert proc.returncode == 2
    assert "cannot read" in proc.stderr and "openapi_public.json" in proc.stderr
