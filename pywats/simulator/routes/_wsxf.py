"""WSXF (the WATS Standard XML Format) to and from the WSJF documents the report routes store.

The simulator keeps reports in WSJF; WSXF is a view of the same data. A ``<Report>`` carries the
header as attributes (``ID``, ``type`` UUT/UUR, ``PN``, ``SN``, ``Rev``, ``Result``, ``Start``,
``Start_utc``, ``MachineName``, ``Location``, ``Purpose``) and holds ``<Process Code Name>``,
``<UUT>``/``<UUR>``, ``<MiscInfo>``, ``<SubUnit>`` and the step tree: ``<Step>`` elements with
``<SequenceCall>``, ``<NumericLimit>``, ``<PassFail>``, ``<StringValue>``, ``<Attachment>`` and
child ``<Step>`` elements. Other elements are accepted and ignored, as WSXF allows more than the
simulator stores. Attribute names are the WSJF keys with a capital first letter.

The parser is the standard library's expat, which resolves no external entity and refuses
exponential entity expansion, so an uploaded document cannot read files or exhaust memory.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape, quoteattr

NAMESPACE = "http://wats.virinco.com/schemas/WATS/Report/wsxf"
_STATUS = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated", "D": "Done", "S": "Skipped"}
_STATUS_BACK = {v.casefold(): k for k, v in _STATUS.items()}
_HEADER = {
    "id": "ID", "type": "type", "pn": "PN", "sn": "SN", "rev": "Rev", "result": "Result", "start": "Start",
    "startUTC": "Start_utc", "machineName": "MachineName", "location": "Location", "purpose": "Purpose",
}  # fmt: skip
_SUBUNIT = {"pn": "PN", "sn": "SN", "rev": "Rev"}
# Keys whose values are numbers or booleans in WSJF, per element (XML attributes are all text).
_NUMBERS = {
    "Step": {"id", "totTime", "errorCode"},
    "NumericLimit": {"value", "lowLimit", "highLimit"},
    "UUT": {"execTime", "testSocketIndex", "errorCode"},
    "UUR": {"processCode", "execTime", "confirmTime", "finalizeTime"},
    "SubUnit": {"idx", "parentIdx"},
    "MiscInfo": {"numeric"},
}
_BOOLEANS = {"causedSeqFailure", "causedUUTFailure", "active"}
_MEASUREMENTS = (("numericMeas", "NumericLimit"), ("booleanMeas", "PassFail"), ("stringMeas", "StringValue"))
_STEP_CONTAINERS = frozenset({"steps", "seqCall", "attachment", *(key for key, _ in _MEASUREMENTS)})


# XML 1.0 cannot hold most control characters (NUL, 0x01, ...), not even as character references.
# They are carried as "_xHHHH_" (the convention .NET's XmlConvert and Office XML use), and a text
# that already holds "_xHHHH_" keeps its underscore as "_x005F_", so that reading gives back
# exactly what was written. CR and TAB go as character references, which XML parsers do not
# normalise away (a literal CR LF would come back as LF, in an attribute as a space).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|_(?=x[0-9A-Fa-f]{4}_)")
_CARRIED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _carry(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _uncarry(text: str) -> str:
    return _CARRIED.sub(lambda m: chr(int(m.group(1), 16)), text)


class WsxfError(ValueError):
    """The document is not a WSXF report the server would take; the message says why."""


# -- WSJF -> WSXF ----------------------------------------------------------------------------------------


def _text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if key in ("status", "result"):
        return _STATUS.get(str(value), str(value))
    return str(value)


def _attrs(item: dict[str, Any], names: dict[str, str] | None = None, skip: frozenset[str] = frozenset()) -> str:
    names = names or {}
    parts = [
        f"{names.get(k, k[:1].upper() + k[1:])}={quoteattr(_carry(_text(k, v)))}"
        for k, v in item.items()
        if k not in skip and v is not None and isinstance(v, str | int | float | bool)
    ]
    return (" " + " ".join(parts)) if parts else ""


def _element(tag: str, attrs: str, children: list[str], pad: str, text: str | None = None) -> list[str]:
    if text is not None:
        return [f"{pad}<{tag}{attrs}>{escape(_carry(text), {chr(13): '&#13;', chr(9): '&#9;'})}</{tag}>"]
    if not children:
        return [f"{pad}<{tag}{attrs} />"]
    return [f"{pad}<{tag}{attrs}>", *children, f"{pad}</{tag}>"]


def _step_xml(step: dict[str, Any], depth: int) -> list[str]:
    pad = "  " * depth
    inner = pad + "  "
    children: list[str] = []
    seq = step.get("seqCall")
    if isinstance(seq, dict):
        children += _element("SequenceCall", _attrs(seq), [], inner)
    for key, tag in _MEASUREMENTS:
        for meas in step.get(key) or []:
            if isinstance(meas, dict):
                children += _element(tag, _attrs(meas), [], inner)
    att = step.get("attachment")
    if isinstance(att, dict):
        children += _element("Attachment", _attrs(att, skip=frozenset({"data"})), [], inner, str(att.get("data") or ""))
    for child in step.get("steps") or []:
        if isinstance(child, dict):
            children += _step_xml(child, depth + 1)
    return _element("Step", _attrs(step, skip=_STEP_CONTAINERS), children, pad)


def to_wsxf(report: dict[str, Any]) -> str:
    """The WSXF document of a stored WSJF report: header, process, unit info, misc info, sub units, steps."""
    header = {k: report.get(k) for k in _HEADER}
    header["type"] = "UUT" if report.get("type") == "T" else "UUR"
    body: list[str] = []
    pad = "    "
    process = {"code": report.get("processCode"), "name": report.get("processName")}
    body += _element("Process", _attrs(process), [], pad)
    info_key, info_tag = ("uut", "UUT") if report.get("type") == "T" else ("uur", "UUR")
    info = report.get(info_key)
    if isinstance(info, dict):
        body += _element(info_tag, _attrs(info), [], pad)
    for misc in report.get("miscInfos") or []:
        if isinstance(misc, dict):
            text = None if misc.get("text") is None else str(misc["text"])
            body += _element("MiscInfo", _attrs(misc, skip=frozenset({"text"})), [], pad, text)
    for unit in report.get("subUnits") or []:
        if isinstance(unit, dict):
            body += _element("SubUnit", _attrs(unit, _SUBUNIT), [], pad)
    if isinstance(report.get("root"), dict):
        body += _step_xml(report["root"], 2)
    return "\n".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            f"<Reports xmlns={quoteattr(NAMESPACE)}>",
            *_element("Report", _attrs(header, _HEADER), body, "  "),
            "</Reports>",
        ]
    )


# -- WSXF -> WSJF ----------------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _number(raw: str, where: str) -> int | float:
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        raise WsxfError(f"{where} must be a number, not {raw!r}") from None


def _dict(node: ET.Element, names: dict[str, str] | None = None) -> dict[str, Any]:
    back = {xml: key for key, xml in (names or {}).items()}
    tag = _local(node.tag)
    numbers = _NUMBERS.get(tag, set())
    out: dict[str, Any] = {}
    for attr, carried in node.attrib.items():
        raw = _uncarry(carried)
        key = back.get(attr, attr[:1].lower() + attr[1:])
        if key in numbers:
            out[key] = _number(raw, f"{tag} attribute {attr}")
        elif key in _BOOLEANS:
            out[key] = raw.strip().lower() in ("true", "1")
        elif key in ("status", "result"):
            out[key] = _STATUS_BACK.get(raw.casefold(), raw)
        else:
            out[key] = raw
    return out


def _step(node: ET.Element) -> dict[str, Any]:
    step = _dict(node)
    for child in node:
        tag = _local(child.tag)
        if tag == "SequenceCall":
            step["seqCall"] = _dict(child)
        elif tag == "Attachment":
            step["attachment"] = {**_dict(child), "data": (child.text or "").strip()}
        elif tag == "Step":
            step.setdefault("steps", []).append(_step(child))
        else:
            key = next((k for k, t in _MEASUREMENTS if t == tag), None)
            if key is not None:
                step.setdefault(key, []).append(_dict(child))
    if "seqCall" in step and "steps" not in step:
        step["steps"] = []
    return step


def from_wsxf(body: bytes) -> dict[str, Any]:
    """The WSJF document of a WSXF report (raises :class:`WsxfError` saying why it cannot be read)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise WsxfError(f"the body is not well-formed XML ({exc})") from None
    if _local(root.tag) == "Reports":
        reports = [n for n in root if _local(n.tag) == "Report"]
        if len(reports) != 1:
            raise WsxfError(f"<Reports> must hold exactly one <Report>, not {len(reports)}")
        node = reports[0]
    elif _local(root.tag) == "Report":
        node = root
    else:
        raise WsxfError(f"the root element must be <Reports>, not <{_local(root.tag)}>")
    report = _dict(node, _HEADER)
    kind = report.get("type")
    if kind not in ("UUT", "UUR"):
        raise WsxfError(f"the Report attribute 'type' must be UUT or UUR, not {kind!r}")
    report["type"] = "T" if kind == "UUT" else "R"
    for attr, key in (("ID", "id"), ("PN", "pn"), ("SN", "sn")):
        if not str(report.get(key) or "").strip():
            raise WsxfError(f"the Report attribute {attr!r} is required")
    try:
        uuid.UUID(str(report["id"]))
    except ValueError:
        raise WsxfError(f"the Report attribute 'ID' must be a GUID, not {report['id']!r}") from None
    for child in node:
        tag = _local(child.tag)
        if tag == "Process":
            process = _dict(child)
            if "code" in process:
                report["processCode"] = _number(str(process["code"]), "Process attribute Code")
            if "name" in process:
                report["processName"] = process["name"]
        elif tag in ("UUT", "UUR"):
            report[tag.lower()] = _dict(child)
        elif tag == "MiscInfo":
            misc = _dict(child)
            if child.text:
                misc["text"] = _uncarry(child.text)
            report.setdefault("miscInfos", []).append(misc)
        elif tag == "SubUnit":
            report.setdefault("subUnits", []).append(_dict(child, _SUBUNIT))
        elif tag == "Step":
            if "root" in report:
                raise WsxfError("a Report holds one root <Step>")
            report["root"] = _step(child)
    if report["type"] == "T" and "root" not in report:
        raise WsxfError("a UUT report needs its root <Step>")
    return report
