"""Where the WATS API documents come from: a directory, explicit files, or a live server."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .normalise import PackageSpec

__all__ = ["SourceDocument", "SpecSourceError", "load_documents"]


class SpecSourceError(RuntimeError, ValueError):
    """The API documents could not be found, fetched or parsed.

    Also a ``ValueError``: callers that turn unreadable documents into their own error (as
    ``check_server_compatibility()`` does) catch malformed documents with it.
    """


@dataclass(frozen=True)
class SourceDocument:
    key: str
    origin: str
    raw: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    def parsed(self) -> dict[str, Any]:
        try:
            data = json.loads(self.raw)
        except ValueError as exc:
            raise SpecSourceError(f"{self.origin} is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise SpecSourceError(f"{self.origin} is not a JSON object")
        return data


def _fetch(url: str, token: str | None, referer: str) -> bytes:
    import httpx

    headers = {"Accept": "application/json", "Referer": referer}
    if token:
        headers["Authorization"] = f"Basic {token}"
    try:
        response = httpx.get(url, headers=headers, timeout=60, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise SpecSourceError(f"cannot fetch {url}: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code != 200:
        hint = " (set WATS_AUTH_TOKEN)" if response.status_code in (401, 403) else ""
        raise SpecSourceError(f"cannot fetch {url}: HTTP {response.status_code}{hint}")
    return response.content


def load_documents(
    packages: dict[str, PackageSpec],
    *,
    spec_dir: str | os.PathLike[str] | None = None,
    files: dict[str, str] | None = None,
    server: str | None = None,
    token: str | None = None,
) -> dict[str, SourceDocument]:
    """Read one document per package.

    Precedence: explicit ``files`` (package key → path), then ``server`` (documents fetched from
    ``<server><package.server_path>`` with ``token``, default ``WATS_AUTH_TOKEN``), then
    ``spec_dir`` (default ``WATS_SPEC_DIR``) holding each package's ``document`` file name.
    """
    files = dict(files or {})
    docs: dict[str, SourceDocument] = {}
    if server:
        base = server.rstrip("/")
        token = token if token is not None else os.environ.get("WATS_AUTH_TOKEN")
        for key, pkg in packages.items():
            if key not in files:
                url = base + pkg.server_path
                docs[key] = SourceDocument(key, url, _fetch(url, token, base + "/"))
    spec_dir = spec_dir if spec_dir is not None else os.environ.get("WATS_SPEC_DIR")
    for key, pkg in packages.items():
        if key in docs:
            continue
        if key in files:
            path = Path(files[key])
        elif spec_dir:
            path = Path(spec_dir) / pkg.document
        else:
            raise SpecSourceError(
                "no WATS API documents given: set WATS_SPEC_DIR to the directory holding "
                f"{', '.join(p.document for p in packages.values())}, or pass --spec-dir, --server URL or files"
            )
        try:
            docs[key] = SourceDocument(key, str(path), path.read_bytes())
        except OSError as exc:
            raise SpecSourceError(f"cannot read {path}: {exc.strerror}") from exc
    return docs
