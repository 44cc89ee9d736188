"""MkDocs hooks of the pywats site.

* The station client's configuration table is generated from ``pywats_client.config.KEYS`` at
  build time, so the page cannot drift from the keys the client accepts.
* The list of facade methods that use WATS's internal API comes from their ``@uses`` declarations.
* Sphinx roles in docstrings (:class:`~pywats.X`) are shown as plain code.
* The GUI screenshots are served from where ``nox -s screenshots`` writes them
  (``pywats_client/gui/screenshots_png/``) instead of a copy under ``docs/``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "pywats_client" / "gui" / "screenshots_png"
SCREENSHOT_URI = "client/screenshots"
KEY_TABLE_MARKER = "<!-- generated: client-config-keys -->"
INTERNAL_MARKER = "<!-- generated: internal-methods -->"


def _shown(value: Any) -> str:
    if value == "" or value == []:
        return "*(empty)*"
    return f"`{json.dumps(value)}`"


def config_key_table() -> str:
    """The Markdown table of every station-client key: name, default, who reads it, meaning."""
    from pywats_client.config import ALIASES, KEYS, SERVICE

    aliases: dict[str, list[str]] = {}
    for alias, key in ALIASES.items():
        aliases.setdefault(key, []).append(alias)
    rows = ["| key | default | read by | meaning |", "| --- | --- | --- | --- |"]
    for name, spec in KEYS.items():
        also = "".join(f" (alias `{a}`)" for a in aliases.get(name, []))
        reader = "service" if spec.used_by == SERVICE else "GUI only"
        meaning = html.escape(spec.doc).replace("|", "\\|")
        rows.append(f"| `{name}`{also} | {_shown(spec.default)} | {reader} | {meaning} |")
    return "\n".join(rows)


def internal_method_table() -> str:
    """The facade methods that call an internal WATS endpoint, from their ``@uses`` declarations."""
    from pywats.operations import facade_bindings

    by_service: dict[str, list[str]] = {}
    for name, binding in facade_bindings().items():
        if binding.internal:
            service, method = name.split(".", 1)
            by_service.setdefault(service, []).append(f"`{method}`")
    rows = ["| service | methods that call an internal endpoint |", "| --- | --- |"]
    rows += [f"| `api.{service}` | {', '.join(methods)} |" for service, methods in sorted(by_service.items())]
    return "\n".join(rows)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if KEY_TABLE_MARKER in markdown:
        markdown = markdown.replace(KEY_TABLE_MARKER, config_key_table())
    if INTERNAL_MARKER in markdown:
        markdown = markdown.replace(INTERNAL_MARKER, internal_method_table())
    return markdown


# Docstrings use Sphinx roles (:class:`X`); Markdown renders the role's name as text before the code.
_ROLE = re.compile(r":(?:class|meth|func|attr|mod|exc|data|obj):<code>(~?)([^<]*)</code>")


def _role(match: re.Match[str]) -> str:
    target = match[2].rsplit(".", 1)[-1] if match[1] else match[2]
    return f"<code>{target}</code>"


def on_page_content(content: str, page: Any, **_: Any) -> str:
    return _ROLE.sub(_role, content)


def on_files(files: Files, config: Any) -> Files:
    if not SCREENSHOTS.is_dir():
        raise FileNotFoundError(f"GUI screenshots not found in {SCREENSHOTS} (nox -s screenshots writes them)")
    for png in sorted(SCREENSHOTS.glob("*.png")):
        files.append(File.generated(config, f"{SCREENSHOT_URI}/{png.name}", abs_src_path=str(png)))
    return files
