"""Turn any API source into surface snapshots: a Swagger 2.0 or OpenAPI 3 file, a directory of
documents or of snapshots, a live server URL, or the committed snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .normalise import PackageSpec, is_internal_path, load_overrides, surface
from .sources import SourceDocument, SpecSourceError, load_documents
from .surface import build_surface, load_surface
from .swagger2 import convert

__all__ = ["SNAPSHOT", "load_surfaces", "surfaces_from_documents"]

SNAPSHOT = "snapshot"
JSON = dict[str, Any]


def _document_surface(doc: JSON, package: PackageSpec) -> JSON:
    if str(doc.get("swagger", "")).startswith("2"):
        doc = convert(doc)
    elif not str(doc.get("openapi", "")).startswith("3"):
        raise SpecSourceError("not a Swagger 2.0 or OpenAPI 3 document (no 'swagger' or 'openapi' version)")
    return build_surface(surface(doc, package, load_overrides()))


def surfaces_from_documents(docs: dict[str, SourceDocument]) -> dict[str, JSON]:
    packages = load_overrides().packages
    return {key: _document_surface(d.parsed(), packages[key]) for key, d in docs.items()}


def _file(path: Path) -> dict[str, JSON]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SpecSourceError(f"cannot read {path}: {exc}") from exc
    if isinstance(data, dict) and "operations" in data and "schemas" in data:  # a snapshot file
        key = "internal" if any(is_internal_path(k.split(" ", 1)[1]) for k in data["operations"]) else "public"
        return {key: data}
    packages = load_overrides().packages
    paths = data.get("paths", {}) if isinstance(data, dict) else {}
    # The internal document repeats the public operations; it is the internal one if any path is internal.
    key = "internal" if any(is_internal_path(p) for p in paths) else "public"
    try:
        return {key: _document_surface(data, packages[key])}
    except ValueError as exc:
        raise SpecSourceError(f"{path}: {exc}") from exc


def load_surfaces(source: str | None, *, token: str | None = None) -> dict[str, JSON]:
    """Surfaces for ``source`` (see the module doc); None or ``"snapshot"`` is the committed one."""
    if source in (None, SNAPSHOT):
        return {key: load_surface(key) for key in ("public", "internal")}
    assert source is not None
    packages = load_overrides().packages
    if source.startswith(("http://", "https://")):
        return surfaces_from_documents(load_documents(packages, server=source, token=token))
    path = Path(source)
    if path.is_dir():
        if (path / "public.json").is_file() or (path / "internal.json").is_file():
            return {k: load_surface(k, path) for k in ("public", "internal") if (path / f"{k}.json").is_file()}
        return surfaces_from_documents(load_documents(packages, spec_dir=path))
    if path.is_file():
        return _file(path)
    raise SpecSourceError(f"{source!r} is not a file, a directory, a server URL or {SNAPSHOT!r}")
