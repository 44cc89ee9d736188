"""Generate the blocking twins of the async sources (httpcore's approach).

    python -m pywats._unasync           # rewrite the twins
    python -m pywats._unasync --check   # fail if any twin is not what its async source gives

Sources and twins:
- every ``pywats/_async/**/*.py`` gives ``pywats/_sync/**/*.py``;
- every ``pywats/domains/**/async_<name>.py`` gives ``async_<name>.py``'s sibling ``<name>.py``
  (``domains/product/async_service.py`` → ``domains/product/service.py``).

The async code is the single source; the sync code differs only in I/O (no ``await``, blocking
httpx client, ``time.sleep``), never in decisions. Names: ``Async<Name>Service`` becomes
``<Name>Service`` (so a new domain needs no entry here), other ``Async<Name>`` names become
``Sync<Name>`` unless listed in ``REPLACEMENTS``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ASYNC_DIR = PACKAGE / "_async"
SYNC_DIR = PACKAGE / "_sync"
DOMAINS = PACKAGE / "domains"
HEADER = "# DO NOT EDIT — generated from pywats/{source} by `python -m pywats._unasync`.\n"

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
    "_async": "_sync",
    "async_service": "service",
    "apaginate": "paginate",
    "AbstractAsyncContextManager": "AbstractContextManager",
    "aiter_bytes": "iter_bytes",
    "AsyncNetworkBackend": "NetworkBackend",
    "AsyncNetworkStream": "NetworkStream",
}
_SERVICE = re.compile(r"^Async(\w+Service)$")


def _rule(fromdir: str, todir: str) -> object:
    import unasync  # type: ignore[import-untyped]  # dev-only dependency

    class Rule(unasync.Rule):  # type: ignore[misc]
        def _unasync_name(self, name: str) -> str:
            found = _SERVICE.match(name)
            if found and name not in self.token_replacements:
                return found.group(1)
            result: str = super()._unasync_name(name)
            return result

    return Rule(fromdir=fromdir, todir=todir, additional_replacements=REPLACEMENTS)


def pairs() -> list[tuple[Path, Path]]:
    """(async source, sync twin) for every source file."""
    found = [(src, SYNC_DIR / src.relative_to(ASYNC_DIR)) for src in sorted(ASYNC_DIR.rglob("*.py"))]
    for src in sorted(DOMAINS.rglob("async_*.py")):
        found.append((src, src.with_name(src.name.removeprefix("async_"))))
    return found


def render(src: Path) -> str:
    """The sync twin's text for one async source."""
    import unasync

    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        a.mkdir()
        shutil.copy(src, a / src.name)
        unasync.unasync_files([str(a / src.name)], rules=[_rule(str(a) + "/", str(b) + "/")])
        body = (b / src.name).read_text(encoding="utf-8")
    return HEADER.format(source=src.relative_to(PACKAGE).as_posix()) + body


def _generated_twins() -> set[Path]:
    """Files that say they were generated here (to find twins whose source is gone)."""
    marker = "# DO NOT EDIT — generated from pywats/"
    candidates = list(SYNC_DIR.rglob("*.py")) + list(DOMAINS.rglob("*.py"))
    return {p for p in candidates if p.read_text(encoding="utf-8").startswith(marker)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pywats._unasync")
    parser.add_argument("--check", action="store_true", help="fail if a sync twin is out of date")
    args = parser.parse_args(argv)
    wanted = {dest: render(src) for src, dest in pairs()}
    orphans = sorted(_generated_twins() - wanted.keys())
    if args.check:
        stale = [d for d, text in wanted.items() if not d.is_file() or d.read_text(encoding="utf-8") != text]
        problems = [str(p.relative_to(PACKAGE)) for p in sorted(stale) + orphans]
        if problems:
            print("sync twins out of date; run `python -m pywats._unasync`:", *problems, sep="\n  ", file=sys.stderr)
            return 1
        print(f"{len(wanted)} sync twins up to date")
        return 0
    for orphan in orphans:
        orphan.unlink()
    for dest, text in wanted.items():
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.is_file() or dest.read_text(encoding="utf-8") != text:
            dest.write_text(text, encoding="utf-8")
    print(f"wrote {len(wanted)} sync twins ({len(orphans)} orphans removed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
