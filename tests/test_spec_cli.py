"""`python -m pywats.spec` exit codes: 0/1/2 are verdicts; every failure of the tool itself is 3."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pywats.spec.__main__ import main
from pywats.spec.diff import diff_surfaces
from pywats.spec.surface import surface_dir

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = surface_dir()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_tool_error(code: int, err: str, fragment: str) -> None:
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert fragment in lines[0], err


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ([1, 2], "is a JSON list"),
        ("not json", "cannot read"),
        ({"operations": [], "schemas": {}}, "'operations' and 'schemas' must be JSON objects"),
        ({"operations": {"nospace": {}}, "schemas": {}}, "is not 'METHOD /path'"),
        ({"swagger": "2.0", "paths": []}, "no 'paths' object"),
        ({"openapi": "9", "paths": {}}, "not a Swagger 2.0 or OpenAPI 3 document"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
    ids=["json list", "not json", "operations list", "bad operation key", "paths list", "unknown version", "deep"],
)
def test_unreadable_or_wrong_shaped_input_exits_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: Any, fragment: str
) -> None:
    code, out, err = run(capsys, "diff", write(tmp_path, "new.json", content))
    assert_tool_error(code, err, fragment)
    assert out == ""


def test_a_crash_inside_the_differ_exits_3_not_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # right outer shape, nonsense inside: the differ fails on it; that is no verdict about the API
    snapshot = {"operations": {"GET /api/App/Version": {"parameters": 5}}, "schemas": {}}
    code, _, err = run(capsys, "diff", write(tmp_path, "new.json", snapshot))
    assert_tool_error(code, err, "spec-diff failed: TypeError")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ((), "the following arguments are required"),
        (("diff",), "the following arguments are required"),
        (("diff", "a", "b", "c"), "at most two sides"),
        (("diff", "snapshot", "--format", "xml"), "invalid choice"),
        (("frobnicate",), "invalid choice"),
        (("check",), "check needs --server"),
    ],
)
def test_usage_errors_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], fragment: str
) -> None:
    monkeypatch.delenv("WATS_BASE_URL", raising=False)
    code, _, err = run(capsys, *argv)
    assert_tool_error(code, err, fragment)


def test_unwritable_output_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "summary.md"
    code, _, err = run(capsys, "diff", "snapshot", "snapshot", "--output", str(target))
    assert_tool_error(code, err, "cannot write --output")


def test_public_against_internal_is_not_compared_and_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "diff", str(SNAPSHOTS / "public.json"), str(SNAPSHOTS / "internal.json"))
    assert_tool_error(code, err, "not compared")
    assert out == ""
    report = diff_surfaces({"public": {}}, {"internal": {}})
    assert report.exit_code == 3 and report.compared == ()


def test_one_kind_only_says_the_other_was_not_compared(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", str(SNAPSHOTS / "public.json"))
    assert code == 0
    assert out.splitlines()[0] == "no API changes; internal API not compared (only in OLD)"
    code, out, _ = run(capsys, "diff", str(SNAPSHOTS / "internal.json"), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["compared"] == ["internal"] and data["not_compared"] == {"public": "only in OLD"}


def test_the_real_process_exits_3_with_one_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pywats.spec", "diff", write(tmp_path, "x.json", [1])],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 3 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# -- nox -s spec_diff ------------------------------------------------------------------------------


class FakeSession:
    """What noxfile.spec_diff uses of nox.Session, recording calls instead of running them."""

    def __init__(self, posargs: list[str]) -> None:
        self.posargs = posargs
        self.runs: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def install(self, *args: str) -> None:
        pass

    def run(self, *args: str, **kwargs: Any) -> None:
        self.runs.append((args, kwargs))

    def error(self, *args: Any) -> None:
        raise SystemExit(" ".join(map(str, args)))


def test_nox_spec_diff_without_arguments_is_a_usage_error() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        import noxfile
    finally:
        sys.path.remove(str(ROOT))
    session = FakeSession([])
    with pytest.raises(SystemExit, match="usage: nox -s spec_diff"):
        noxfile.spec_diff.func(session)  # type: ignore[attr-defined]
    assert session.runs == []

    session = FakeSession(["NEW.json"])
    noxfile.spec_diff.func(session)  # type: ignore[attr-defined]
    (args, kwargs), *_ = session.runs
    assert args[-1] == "NEW.json"
    # exit 2 (breaking) and 3 (could not compare) fail the session
    assert 0 in kwargs["success_codes"] and 1 in kwargs["success_codes"]
    assert not {2, 3} & set(kwargs["success_codes"])
