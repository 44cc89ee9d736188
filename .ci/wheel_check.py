"""Does the installed wheel work on its own? Build it, install it in a fresh venv outside the
checkout, and run from an empty directory what a user runs after `pip install pywats-api`:
spec-diff against the pinned documents, `check --server` against the simulator shipped in the
wheel, and `pyWATS.check_server_compatibility()`.

    python .ci/wheel_check.py [--spec-dir DIR] [--keep]

Exit status 0 when all three behave, 1 otherwise (each failure is printed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What a simulator without the API documents answers: the tool then reports a clean 404, which is
# not a crash. Once the simulator serves its documents, only exit 0 (same surface) passes.
_NOT_SERVED = "HTTP 404"

_COMPAT_SNIPPET = """
import sys
import pywats
from pywats import pyWATS, NotFoundError
url, token = sys.argv[1], sys.argv[2]
try:
    with pyWATS(base_url=url, token=token) as api:
        report = api.check_server_compatibility()
except NotFoundError as exc:
    print(f"error: {exc}", file=sys.stderr)
    raise SystemExit(3)
print(report.to_text())
print(f"imported from {pywats.__file__}")
raise SystemExit(report.exit_code)
"""


class Failed(Exception):
    pass


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _show(name: str, proc: subprocess.CompletedProcess[str]) -> str:
    return f"{name}: exit {proc.returncode}\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"


def _served_or_404(name: str, proc: subprocess.CompletedProcess[str]) -> str:
    """Exit 0, or the clean not-served error; anything else (a crash, a differing surface) fails."""
    if proc.returncode == 0:
        return f"{name}: exit 0 (the simulator's API equals the snapshot)"
    if proc.returncode == 3 and _NOT_SERVED in proc.stderr and "Traceback" not in proc.stderr:
        return f"{name}: exit 3, clean error (the simulator does not serve its API documents yet)"
    raise Failed(_show(name, proc))


def _start_simulator(python: Path, cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str, str]:
    # stderr to a file: an unread pipe would block a chatty simulator
    log = (cwd / "simulator.log").open("w", encoding="utf-8")
    sim = subprocess.Popen(
        [str(python), "-m", "pywats.simulator"], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=log, text=True
    )
    log.close()
    assert sim.stdout is not None
    url = token = ""
    deadline = time.monotonic() + 60
    while not (url and token) and time.monotonic() < deadline:
        line = sim.stdout.readline()
        if not line:
            break
        if line.startswith("export WATS_BASE_URL="):
            url = line.split("=", 1)[1].strip()
        elif line.startswith("export WATS_AUTH_TOKEN="):
            token = line.split("=", 1)[1].strip()
    if not (url and token):
        sim.kill()
        sim.communicate(timeout=10)
        err = (cwd / "simulator.log").read_text(encoding="utf-8")
        raise Failed(f"the installed simulator did not start:\n{err[-3000:]}")
    return sim, url, token


def check(spec_dir: Path, work: Path) -> list[str]:
    timings: list[str] = []
    started = time.perf_counter()
    dist, venv, cwd = work / "dist", work / "venv", work / "cwd"
    cwd.mkdir()
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(REPO)]
    built = _run(pip_wheel, cwd=cwd, env=dict(os.environ))
    if built.returncode != 0:
        raise Failed(_show("pip wheel", built))
    wheel = next(dist.glob("pywats_api-*.whl"))
    timings.append(f"wheel built in {time.perf_counter() - started:.1f}s")

    mark = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "WATS_SPEC_DIR")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    installed = _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=cwd, env=env)
    if installed.returncode != 0:
        raise Failed(_show("pip install", installed))
    where = _run([str(python), "-c", "import pywats; print(pywats.__file__)"], cwd=cwd, env=env)
    if not where.stdout.strip().startswith(str(venv)):
        raise Failed(f"pywats was not imported from the fresh venv: {where.stdout}{where.stderr}")
    timings.append(f"fresh venv with the wheel in {time.perf_counter() - mark:.1f}s")
    # the station client ships in the same wheel, with its console script
    client = _run([str(python.parent / "pywats-client"), "--help"], cwd=cwd, env=env)
    if client.returncode != 0 or "config" not in client.stdout:
        raise Failed(_show("pywats-client --help from the wheel", client))
    timings.append("pywats-client --help: exit 0")

    mark = time.perf_counter()
    summary = cwd / "summary.md"
    diff = _run(
        [str(python), "-m", "pywats.spec", "diff", str(spec_dir), "--format", "markdown", "--output", str(summary)],
        cwd=cwd,
        env=env,
    )
    if diff.returncode != 0 or "no API changes" not in summary.read_text(encoding="utf-8"):
        raise Failed(_show("diff against the pinned documents (expected exit 0 and a summary)", diff))
    timings.append("diff: exit 0, summary written")

    sim, url, token = _start_simulator(python, cwd, env)
    try:
        check_env = {**env, "WATS_AUTH_TOKEN": token}
        checked = _run([str(python), "-m", "pywats.spec", "check", "--server", url], cwd=cwd, env=check_env)
        timings.append(_served_or_404("check --server <simulator>", checked))
        compat = _run([str(python), "-c", _COMPAT_SNIPPET, url, token], cwd=cwd, env=env)
        timings.append(_served_or_404("check_server_compatibility()", compat))
    finally:
        sim.terminate()
        try:
            sim.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()
            sim.communicate()
    timings.append(f"commands run in {time.perf_counter() - mark:.1f}s")
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec-dir", default=os.environ.get("WATS_SPEC_DIR"), help="the pinned WATS documents")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if not args.spec_dir:
        print("error: --spec-dir or WATS_SPEC_DIR is required", file=sys.stderr)
        return 1
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pywats-wheel-"))
    try:
        for line in check(Path(args.spec_dir).resolve(), work):
            print(f"  {line}")
    except Failed as exc:
        print(f"wheel check FAILED\n{exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"  kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"wheel check passed in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
