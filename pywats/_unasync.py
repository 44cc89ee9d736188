"""Generate the synchronous twins in ``pywats/_sync/`` from ``pywats/_async/`` (httpcore's approach).

    python -m pywats._unasync           # rewrite pywats/_sync/
    python -m pywats._unasync --check   # fail if pywats/_sync/ is not what the async sources give

The async code is the single source; the sync code differs only in I/O (no ``await``, blocking
httpx client, ``time.sleep``), never in decisions.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SOURCE = PACKAGE / "_async"
TARGET = PACKAGE / "_sync"
HEADER = "# DO NOT EDIT — generated from pywats/_async/{name} by `python -m pywats._unasync`.\n"

REPLACEMENTS = {
    "AsyncWATS": "pyWATS",
    "AsyncRawClients": "RawClients",
    "AsyncRetryTransport": "RetryTransport",
    "AsyncBaseTransport": "BaseTransport",
    "AsyncByteStream": "SyncByteStream",
    "AsyncHTTPTransport": "HTTPTransport",
    "AsyncClient": "Client",
    "handle_async_request": "handle_request",
    "aread": "read",
    "aclose": "close",
    "async_sleep": "sleep",
    "set_async_httpx_client": "set_httpx_client",
    "AsyncLock": "SyncLock",
    "AsyncEvent": "SyncEvent",
    "AsyncProcessService": "ProcessService",
    "_async": "_sync",
}


def build(dest: Path) -> None:
    import unasync  # type: ignore[import-untyped]  # dev-only dependency

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "_async"
        out = Path(tmp) / "_sync"
        shutil.copytree(SOURCE, src, ignore=shutil.ignore_patterns("__pycache__"))
        rule = unasync.Rule(fromdir=str(src) + "/", todir=str(out) + "/", additional_replacements=REPLACEMENTS)
        files = sorted(str(p) for p in src.rglob("*.py"))
        unasync.unasync_files(files, rules=[rule])
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        for path in sorted(out.rglob("*.py")):
            rel = path.relative_to(out)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(HEADER.format(name=rel.as_posix()) + path.read_text(encoding="utf-8"), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pywats._unasync")
    parser.add_argument("--check", action="store_true", help="fail if pywats/_sync/ is out of date")
    args = parser.parse_args(argv)
    if not args.check:
        build(TARGET)
        print(f"wrote {TARGET}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "_sync"
        build(fresh)
        cmp = filecmp.dircmp(fresh, TARGET, ignore=["__pycache__"])
        stale = sorted(cmp.left_only + cmp.right_only + cmp.diff_files)
        stale += [f"{d}/{f}" for d, sub in cmp.subdirs.items() for f in sub.left_only + sub.right_only + sub.diff_files]
    if stale:
        print("pywats/_sync/ is out of date; run `python -m pywats._unasync`:", *stale, sep="\n  ", file=sys.stderr)
        return 1
    print("pywats/_sync/ is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
