"""Converters turn a test station's output file into WATS reports.

A converter is a class with a ``name``, file ``patterns`` (shell globs matched against the file
name, case-insensitively) and ``convert(path)`` returning a report or a list of reports
(:class:`pywats.domains.report.UUTReport` / ``UURReport``). Raising any exception marks the
file as failed: it goes to the error folder with the message in a reason file.

They are found, in this order (the first enabled converter whose pattern matches takes a file):

1. ``*.py`` files in the converters folder (every :class:`Converter` subclass defined there);
2. entry points in the group ``pywats_client.converters`` (a class or an instance);
3. the built-ins: ``wsjf`` (WSJF JSON), ``wsxf`` (WATS XML, sent as it is) and ``csv`` (the layout below).

Report ids: a report's id must be a GUID. A file naming an id that is not one (``"id": "TS-4711"``,
``ID="TS-4711"``) is refused with a reason that says so (its report is not sent under another
id: the station's id is how the server knows a resubmission). A report without an id gets one fixed
by the file's name and content (:func:`report_id_for`).

Built-in CSV layout (UTF-8, comma-separated), one report per file::

    part_number,WIDGET-001          <- header rows: key,value
    serial_number,SN-0001
    revision,A                      (optional keys: process_code (default 10), operator,
    process_code,10                  station_name, location, start (ISO 8601), purpose, batch)
                                    <- one empty line
    step,type,value,low,high,unit,comp   <- step table header, then one row per step
    5V rail,numeric,5.02,4.9,5.1,V,GELE
    LED,passfail,PASS
    Firmware,string,1.2.3,1.2.3

``type`` is ``numeric`` (limits optional, ``comp`` defaults from them), ``passfail`` (value
PASS/FAIL, true/false, 1/0) or ``string`` (``low`` is the expected value, if any).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import fnmatch
import hashlib
import importlib.util
import inspect
import io
import json
import logging
import re
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from pywats.domains.report import CompOp, UURReport, UUTReport, load_report

__all__ = [
    "ENTRY_POINT_GROUP",
    "ConversionError",
    "Converter",
    "ConverterInfo",
    "CsvConverter",
    "WsjfConverter",
    "WsxfConverter",
    "WsxfDocument",
    "discover",
    "report_id_for",
    "require_guid",
]

log = logging.getLogger("pywats_client.converters")

ENTRY_POINT_GROUP = "pywats_client.converters"

Report = UUTReport | UURReport


class ConversionError(ValueError):
    """The file is not what the converter reads; the message goes to the reason file."""


@dataclasses.dataclass
class WsxfDocument:
    """A WSXF (WATS XML) report, queued and sent as its text; ``id`` is its ``Report`` element's ``ID``."""

    id: str
    text: str


def require_guid(value: object) -> str:
    """``value`` as a canonical report id; :class:`ConversionError` if it is missing or not a GUID."""
    if value is None or str(value).strip() == "":
        raise ConversionError("the report has no id")
    try:
        return str(uuid.UUID(str(value).strip()))
    except ValueError:
        shown = str(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise ConversionError(
            f"the report id {shown!r} is not a GUID (WATS report ids look like "
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301); fix it, or leave the id out to have one assigned"
        ) from None


class Converter:
    """Base class of converters (see the module docstring). Subclasses set ``name`` and ``patterns``."""

    name: str = ""
    patterns: tuple[str, ...] = ()
    description: str = ""
    #: True if ``convert`` sets each report's id itself (stable across conversions of the same file);
    #: otherwise the service derives the ids from the file's name and content.
    assigns_ids: bool = False

    def matches(self, path: Path) -> bool:
        """Whether this converter reads files named like ``path``."""
        lower = path.name.lower()
        return any(fnmatch.fnmatchcase(lower, p.lower()) for p in self.patterns)

    def convert(self, path: Path) -> Report | WsxfDocument | Sequence[Report | WsxfDocument]:
        """The report(s) in ``path``; raise (preferably :class:`ConversionError`) if there are none."""
        raise NotImplementedError


def report_id_for(path: Path, content: bytes, index: int) -> str:
    """A report id fixed by the file's name and content: converting the same file again gives the same id.

    This is what makes a crash between queueing a report and archiving its file harmless: the
    file is converted again after the restart, its report replaces the queued one, and the server
    replaces rather than duplicates a report sent twice under one id.
    """
    digest = hashlib.sha256(path.name.encode() + b"\0" + content).hexdigest()
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"pywats-client:{digest}:{index}"))


def _read_text(path: Path) -> str:
    return _decode(path.read_bytes())


# Windows tools write UTF-16 with a byte order mark (PowerShell 5's `>` and Out-File, .NET's
# Encoding.Unicode): text, though full of zero bytes. The UTF-32 marks start like UTF-16's: first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _marked_codec(content: bytes) -> str | None:
    """The codec a UTF-16 or UTF-32 byte order mark at the start of ``content`` names, if any."""
    return next((codec for bom, codec in _BOMS if content.startswith(bom) and len(content) > len(bom)), None)


def _decode(content: bytes) -> str:
    if not content.strip():
        raise ConversionError("the file is empty" if not content else "the file holds only blank space")
    codec = _marked_codec(content)
    if codec is not None:
        try:
            text = content.decode(codec)
        except UnicodeDecodeError as exc:
            raise ConversionError(
                f"the file starts as {codec.upper()} text but is not (bad bytes at position {exc.start})"
            ) from None
        if not text.strip():
            raise ConversionError("the file holds only blank space")
        if "\0" in text[:8192]:
            raise ConversionError("the file is binary, not text")
        return text
    if b"\0" in content[:8192]:
        raise ConversionError("the file is binary, not text")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConversionError(
            f"the file is not UTF-8 text (byte 0x{content[exc.start]:02x} at position {exc.start})"
        ) from None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise ConversionError(f"the JSON ends too early (line {exc.lineno}): the file looks cut off") from None
        raise ConversionError(f"not valid JSON ({exc.msg.lower()}; line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise ConversionError("the JSON is nested too deeply to be a report") from None


def _model_problem(exc: Exception) -> str:
    """A report model's complaint in one line: the field and what is wrong with it."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            found = errors()
        except Exception:
            found = []
        parts = []
        for err in found[:3]:
            loc = [str(p) for p in err.get("loc", ()) if not str(p).startswith("function-")]
            if loc and loc[0] in ("T", "R"):  # the report type's branch of the model, not a field
                loc = loc[1:]
            where = ".".join(loc)
            parts.append(f"{where or 'the report'}: {str(err.get('msg', 'invalid')).lower()}")
        if parts:
            more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
            return "; ".join(parts) + more
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text


class WsjfConverter(Converter):
    """WSJF (WATS Standard JSON Format) files: one report object, or a JSON list of them."""

    name = "wsjf"
    patterns = ("*.json", "*.wsjf")
    description = "WATS Standard JSON Format (a report object or a list of them)"
    assigns_ids = True  # a WSJF document's own id is the report's identity

    def convert(self, path: Path) -> list[Report]:
        """The report(s) the WSJF file at ``path`` holds."""
        content = path.read_bytes()
        doc = _json(_decode(content))
        docs = doc if isinstance(doc, list) else [doc]
        if not docs:
            raise ConversionError("an empty list holds no report")
        reports = []
        for i, item in enumerate(docs):
            if not isinstance(item, dict):
                raise ConversionError(f"item {i}: a WSJF report is a JSON object, not {type(item).__name__}")
            if item.get("type") not in ("T", "R"):
                raise ConversionError(f"item {i}: 'type' must be 'T' (UUT) or 'R' (UUR), not {item.get('type')!r}")
            for key, what in (("pn", "part number"), ("sn", "serial number")):
                if not isinstance(item.get(key), str) or not item[key].strip():
                    raise ConversionError(f"item {i}: the {what} ('{key}') is required")
            if item.get("id") in (None, ""):
                item = {**item, "id": report_id_for(path, content, i)}
            else:
                item = {**item, "id": require_guid(item["id"])}
            where = f"item {i}: " if len(docs) > 1 else ""
            try:
                report = load_report(item)
            except Exception as exc:  # the model names the field
                raise ConversionError(f"{where}{_model_problem(exc)}") from None
            # reading keeps a value of the wrong type as it came; such a report cannot be sent
            problems = report.wire_problems()
            if problems:
                more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
                raise ConversionError(f"{where}{'; '.join(problems[:3])}{more}")
            reports.append(report)
        return reports


WSXF_NAMESPACE = "http://wats.virinco.com/schemas/WATS/Report/wsxf"
_XML_ENCODING = re.compile(r"""^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


class WsxfConverter(Converter):
    """WSXF (WATS Standard XML Format) files: one ``<Report>`` (or ``<Reports>`` holding one), sent as XML.

    The document goes to the server as it is (``POST /api/Report/WSXF``); only a missing ``ID`` is
    added (fixed by the file's name and content). The server validates the rest.
    """

    name = "wsxf"
    patterns = ("*.xml", "*.wsxf")
    description = "WATS Standard XML Format (one Report), sent as XML"
    assigns_ids = True

    def convert(self, path: Path) -> WsxfDocument:
        """The WSXF document in the file at ``path``, to be sent as it is."""
        content = path.read_bytes()
        text = _decode(content)
        if _marked_codec(content) is not None:  # it is sent as UTF-8: its declaration must say so
            text = _XML_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            raise ConversionError(f"not well-formed XML: {exc}") from None
        local = root.tag.rsplit("}", 1)[-1]
        if local == "Reports":
            found = [n for n in root if n.tag.rsplit("}", 1)[-1] == "Report"]
            if len(found) != 1:
                raise ConversionError(f"<Reports> must hold exactly one <Report>, not {len(found)}")
            node = found[0]
        elif local == "Report":
            node = root
        else:
            raise ConversionError(f"the root element is <{local}>, not a WSXF <Reports> or <Report>")
        if node.get("type") not in ("UUT", "UUR"):
            raise ConversionError(f"the Report's type must be UUT or UUR, not {node.get('type')!r}")
        for attr, what in (("PN", "part number"), ("SN", "serial number")):
            if not (node.get(attr) or "").strip():
                raise ConversionError(f"the {what} (Report attribute {attr}) is required")
        given = node.get("ID")
        if given not in (None, ""):
            return WsxfDocument(require_guid(given), text)
        node.set("ID", report_id_for(path, content, 0))
        ET.register_namespace("", WSXF_NAMESPACE)
        return WsxfDocument(str(node.get("ID")), ET.tostring(root, encoding="unicode"))


_PASS = {
    "pass": True,
    "passed": True,
    "p": True,
    "true": True,
    "1": True,
    "ok": True,
    "fail": False,
    "failed": False,
    "f": False,
    "false": False,
    "0": False,
}
_HEADER_KEYS = {
    "part_number",
    "serial_number",
    "revision",
    "process_code",
    "operator",
    "station_name",
    "location",
    "start",
    "purpose",
    "batch",
}


class CsvConverter(Converter):
    """The simple CSV layout of the module docstring: header rows, an empty line, a step table."""

    name = "csv"
    patterns = ("*.csv",)
    description = "simple CSV: key,value header rows, an empty line, then step,type,value,low,high,unit,comp"

    def convert(self, path: Path) -> UUTReport:
        """The test report the CSV file at ``path`` describes."""
        rows = list(csv.reader(io.StringIO(_read_text(path))))
        header: dict[str, str] = {}
        i = 0
        while i < len(rows) and any(c.strip() for c in rows[i]):
            row = rows[i]
            key = row[0].strip().lower()
            if key not in _HEADER_KEYS:
                raise ConversionError(f"line {i + 1}: unknown header key {row[0]!r} (known: {sorted(_HEADER_KEYS)})")
            header[key] = row[1].strip() if len(row) > 1 else ""
            i += 1
        for key in ("part_number", "serial_number"):
            if not header.get(key):
                raise ConversionError(f"the header has no {key}")
        try:
            process_code = int(header.get("process_code") or 10)
        except ValueError:
            raise ConversionError(f"process_code must be a number, not {header['process_code']!r}") from None
        fields: dict[str, Any] = {
            "pn": header["part_number"],
            "sn": header["serial_number"],
            "rev": header.get("revision", ""),
            "process_code": process_code,
            "purpose": header.get("purpose") or "10",
        }
        for key, wire in (("station_name", "station_name"), ("location", "location"), ("start", "start")):
            if header.get(key):
                fields[wire] = header[key]
        report = UUTReport(**fields)
        if header.get("operator"):
            report.operator = header["operator"]
        root = report.get_root_sequence_call()
        while i < len(rows) and not any(c.strip() for c in rows[i]):
            i += 1
        if i < len(rows):
            columns = [c.strip().lower() for c in rows[i]]
            if columns[:3] != ["step", "type", "value"]:
                raise ConversionError(f"line {i + 1}: the step table must start with step,type,value")
            for n, row in enumerate(rows[i + 1 :], start=i + 2):
                if not any(c.strip() for c in row):
                    continue
                cell = dict(zip(columns, (c.strip() for c in row), strict=False))
                self._add_step(root, cell, n)
        return report

    @staticmethod
    def _add_step(root: Any, cell: dict[str, str], line: int) -> None:
        name, kind, value = cell.get("step", ""), cell.get("type", "").lower(), cell.get("value", "")
        if not name:
            raise ConversionError(f"line {line}: the step has no name")

        def num(key: str) -> float | None:
            text = cell.get(key, "")
            if not text:
                return None
            try:
                return float(text)
            except ValueError:
                raise ConversionError(f"line {line}: {key} {text!r} is not a number") from None

        if kind == "numeric":
            measured = num("value")
            if measured is None:
                raise ConversionError(f"line {line}: a numeric step needs a value")
            root.add_numeric_step(
                name, measured, cell.get("comp") or None, num("low"), num("high"), cell.get("unit") or None
            )
        elif kind == "passfail":
            if value.lower() not in _PASS:
                raise ConversionError(f"line {line}: a passfail value is PASS or FAIL, not {value!r}")
            root.add_pass_fail_step(name, _PASS[value.lower()])
        elif kind == "string":
            expected = cell.get("low") or None
            root.add_string_step(name, value, expected, CompOp.CASESENSIT if expected is not None else CompOp.LOG)
        else:
            raise ConversionError(f"line {line}: step type must be numeric, passfail or string, not {kind!r}")


# -- discovery ---------------------------------------------------------------------------------------


@dataclass
class ConverterInfo:
    """A converter found, where it came from, and whether the configuration enables it."""

    name: str
    source: str
    patterns: tuple[str, ...]
    description: str
    enabled: bool
    converter: Converter | None = field(default=None, repr=False)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "patterns": list(self.patterns),
            "description": self.description,
            "enabled": self.enabled,
            "error": self.error,
        }


def _instance(obj: Any, where: str) -> Converter:
    conv = obj() if inspect.isclass(obj) else obj
    name, patterns = getattr(conv, "name", None), getattr(conv, "patterns", None)
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"{where}: a converter needs a non-empty 'name'")
    if isinstance(patterns, str) or not isinstance(patterns, Iterable) or not patterns:
        raise TypeError(f"{where}: converter {name!r} needs 'patterns' (a list of globs such as '*.csv')")
    if not callable(getattr(conv, "convert", None)):
        raise TypeError(f"{where}: converter {name!r} has no convert(path) method")
    if not isinstance(conv, Converter):
        # a duck-typed plugin: give it the base class's matching without requiring inheritance
        conv = _Adapter(conv, name.strip(), tuple(patterns))
    return conv


class _Adapter(Converter):
    def __init__(self, inner: Any, name: str, patterns: tuple[str, ...]) -> None:
        self._inner = inner
        self.name = name
        self.patterns = patterns
        self.description = str(getattr(inner, "description", "") or "")
        self.assigns_ids = bool(getattr(inner, "assigns_ids", False))

    def convert(self, path: Path) -> Report | WsxfDocument | Sequence[Report | WsxfDocument]:
        result: Report | WsxfDocument | Sequence[Report | WsxfDocument] = self._inner.convert(path)
        return result


def _from_folder(folder: Path) -> Iterable[tuple[Any, str] | tuple[None, str, str]]:
    if not folder.is_dir():
        return
    for file in sorted(folder.glob("*.py")):
        where = f"folder:{file}"
        module_name = f"pywats_client_plugin_{file.stem}"
        try:
            spec = importlib.util.spec_from_file_location(module_name, file)
            if spec is None or spec.loader is None:
                raise ImportError("not a loadable Python file")
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except Exception as exc:
            yield None, where, f"cannot load {file.name}: {type(exc).__name__}: {exc}"
            continue
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Converter) and obj.__module__ == module_name and obj.name:
                yield obj, where


def _from_entry_points() -> Iterable[tuple[Any, str] | tuple[None, str, str]]:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        where = f"entry point:{ep.value}"
        try:
            yield ep.load(), where
        except Exception as exc:
            yield None, where, f"cannot load entry point {ep.name!r}: {type(exc).__name__}: {exc}"


def discover(folder: Path | None, disabled: Iterable[str] = ()) -> list[ConverterInfo]:
    """Every converter (folder, entry points, built-ins, in that order) with its enabled state.

    A plugin that fails to load is listed with its ``error`` and never used; a later converter with
    a name already taken is listed as shadowed and not used either.
    """
    off = {d.lower() for d in disabled}
    found: list[ConverterInfo] = []
    seen: set[str] = set()
    sources: list[Iterable[tuple[Any, str] | tuple[None, str, str]]] = []
    if folder is not None:
        sources.append(_from_folder(folder))
    sources.append(_from_entry_points())
    sources.append([(WsjfConverter, "built-in"), (WsxfConverter, "built-in"), (CsvConverter, "built-in")])
    for source in sources:
        for item in source:
            if item[0] is None:
                where, problem = item[1], item[2]  # type: ignore[misc]
                log.error("%s", problem)
                found.append(ConverterInfo(Path(where).stem, where, (), "", False, None, problem))
                continue
            obj, where = item[0], item[1]
            try:
                conv = _instance(obj, where)
            except Exception as exc:
                found.append(ConverterInfo(str(getattr(obj, "name", "") or "?"), where, (), "", False, None, str(exc)))
                continue
            name = conv.name
            info = ConverterInfo(name, where, tuple(conv.patterns), conv.description, name.lower() not in off, conv)
            if name.lower() in seen:
                info.enabled, info.converter, info.error = (
                    False,
                    None,
                    f"shadowed by an earlier converter named {name!r}",
                )
            seen.add(name.lower())
            found.append(info)
    return found
