"""Turn any API source into surface snapshots: a Swagger 2.0 or OpenAPI 3 file, a directory of
documents or of snapshots, a live server URL, or the committed snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .normalise import PackageSpec, is_internal_path, load_overrides, surface
from .sources import SourceDocument, SpecSourceError, load_documents
from .surface import build_surface, surface_dir
from .swagger2 import convert

__all__ = ["SNAPSHOT", "load_snapshot", "load_surfaces", "surfaces_from_documents"]

SNAPSHOT = "snapshot"
JSON = dict[str, Any]


def _document_surface(doc: JSON, package: PackageSpec) -> JSON:
    if not isinstance(doc.get("paths"), dict):
        raise SpecSourceError("no 'paths' object: not a Swagger 2.0 or OpenAPI 3 document")
    if str(doc.get("swagger", "")).startswith("2"):
        doc = convert(doc)
    elif not str(doc.get("openapi", "")).startswith("3"):
        raise SpecSourceError("not a Swagger 2.0 or OpenAPI 3 document (no 'swagger' or 'openapi' version)")
    return build_surface(surface(doc, package, load_overrides()))


def surfaces_from_documents(docs: dict[str, SourceDocument]) -> dict[str, JSON]:
    packages = load_overrides().packages
    out: dict[str, JSON] = {}
    for key, d in docs.items():
        try:
            out[key] = _document_surface(d.parsed(), packages[key])
        except SpecSourceError as exc:
            if d.origin in str(exc):
                raise
            raise SpecSourceError(f"{d.origin}: {exc}") from exc
    return out


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except RecursionError as exc:
        raise SpecSourceError(f"cannot read {path}: nested too deeply") from exc
    except (OSError, ValueError) as exc:
        raise SpecSourceError(f"cannot read {path}: {exc}") from exc


def _checked_snapshot(data: Any, origin: object) -> JSON:
    """``data`` if it has the shape of a surface snapshot; a clear error otherwise."""
    problem = None
    if not isinstance(data, dict):
        problem = f"a JSON {type(data).__name__}, not an object"
    elif not isinstance(data.get("operations"), dict) or not isinstance(data.get("schemas"), dict):
        problem = "'operations' and 'schemas' must be JSON objects"
    else:
        ops = data["operations"]
        bad = next((k for k, v in ops.items() if not isinstance(v, dict) or len(k.split(" ", 1)) != 2), None)
        if bad is not None:
            problem = f"operation {bad!r} is not 'METHOD /path' with an object"
        elif not all(isinstance(v, dict) for v in data["schemas"].values()):
            problem = "every schema must be a JSON object"
    if problem:
        raise SpecSourceError(f"{origin} is not a surface snapshot: {problem}")
    return dict(data)


def load_snapshot(key: str, directory: Path | None = None) -> JSON:
    """One surface snapshot file, checked for shape (the committed one without ``directory``)."""
    path = (directory or surface_dir()) / f"{key}.json"
    return _checked_snapshot(_read_json(path), path)


def _file(path: Path) -> dict[str, JSON]:
    data = _read_json(path)
    if not isinstance(data, dict):
        raise SpecSourceError(f"{path} is a JSON {type(data).__name__}: expected an API document (a JSON object)")
    if "operations" in data and "schemas" in data:  # a snapshot file
        data = _checked_snapshot(data, path)
        key = "internal" if any(is_internal_path(k.split(" ", 1)[1]) for k in data["operations"]) else "public"
        return {key: data}
    packages = load_overrides().packages
    paths = data.get("paths")
    if not isinstance(paths, dict):
        raise SpecSourceError(f"{path}: no 'paths' object: not a Swagger 2.0 or OpenAPI 3 document")
    # The internal document repeats the public operations; it is the internal one if any path is internal.
    key = "internal" if any(is_internal_path(p) for p in paths) else "public"
    try:
        return {key: _document_surface(data, packages[key])}
    except ValueError as exc:
        raise SpecSourceError(f"{path}: {exc}") from exc


def load_surfaces(source: str | None, *, token: str | None = None) -> dict[str, JSON]:
    """Surfaces for ``source`` (see the module doc); None or ``"snapshot"`` is the committed one."""
    if source in (None, SNAPSHOT):
        return {key: load_snapshot(key) for key in ("public", "internal")}
    assert source is not None
    packages = load_overrides().packages
    if source.startswith(("http://", "https://")):
        return surfaces_from_documents(load_documents(packages, server=source, token=token))
    path = Path(source)
    if path.is_dir():
        if (path / "public.json").is_file() or (path / "internal.json").is_file():
            return {k: load_snapshot(k, path) for k in ("public", "internal") if (path / f"{k}.json").is_file()}
        return surfaces_from_documents(load_documents(packages, spec_dir=path))
    if path.is_file():
        return _file(path)
    raise SpecSourceError(f"{source!r} is not a file, a directory, a server URL or {SNAPSHOT!r}")
