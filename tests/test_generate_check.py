"""`nox -s generate -- --check`: passes on the committed tree, fails on any drift."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The generator (openapi-python-client) installs only on Python 3.11+; generated/ is checked there.
pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="the code generator needs Python 3.11+")


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


def test_documents_without_a_facade_operation_fail_naming_the_methods(spec_dir: Path, tmp_path: Path) -> None:
    from pywats.spec.generate import GenerationError, build
    from pywats.spec.normalise import load_overrides
    from pywats.spec.sources import load_documents

    docs_dir = tmp_path / "specs"
    docs_dir.mkdir()
    public = json.loads((spec_dir / "openapi_public.json").read_text())
    del public["paths"]["/api/App/Version"]
    (docs_dir / "openapi_public.json").write_text(json.dumps(public))
    shutil.copy(spec_dir / "openapi_internal.json", docs_dir / "openapi_internal.json")

    overrides = load_overrides()
    docs = load_documents(overrides.packages, spec_dir=docs_dir)
    with pytest.raises(GenerationError) as info:
        build(docs, overrides, tmp_path / "out", tmp_path / "surface")
    message = str(info.value)
    assert "GET /api/App/Version: used by analytics.get_version, client.get_version, client.test_connection" in (
        message
    )
    assert not (tmp_path / "out").exists() and not (tmp_path / "surface").exists()  # nothing half-written

    proc = run_check(docs_dir, ROOT / "generated")
    assert proc.returncode == 1
    assert "client.get_version" in proc.stderr and "Traceback" not in proc.stderr


def test_lock_does_not_depend_on_how_the_spec_path_is_spelled(
    spec_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pywats.spec.generate import lock_data, lock_origin
    from pywats.spec.normalise import load_overrides
    from pywats.spec.sources import load_documents

    packages = load_overrides().packages
    absolute = spec_dir.resolve()
    monkeypatch.chdir(tmp_path)
    spellings = [
        str(absolute),
        str(absolute) + "/",
        str(absolute) + "//",
        f"{absolute}/../{absolute.name}",
        os.path.relpath(absolute, tmp_path),
        os.path.relpath(absolute, tmp_path) + "/./",
    ]
    facts = {k: {"package": p.package, "operations": 0} for k, p in packages.items()}
    locks = [lock_data(load_documents(packages, spec_dir=s), facts) for s in spellings]
    assert all(lock == locks[0] for lock in locks), [lock["sources"]["public"]["origin"] for lock in locks]
    expected = Path(os.path.relpath(absolute / "openapi_public.json", ROOT.resolve())).as_posix()
    assert locks[0]["sources"]["public"]["origin"] == expected
    assert lock_origin("https://wats.example.com/swagger/docs/v1") == "https://wats.example.com/swagger/docs/v1"
