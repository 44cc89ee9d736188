"""A watch folder that interleaves good reports with every kind of bad file an operator meets.

Used by the pytest version (small) and by ``python -m tests.bench.bench_client mixed`` (1,000 files).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .helpers import csv_text

#: A converter plugin for the files that vanish or move while they are read, one that fails with
#: a programming error, and one that returns something that is not a report.
PLUGIN = """
import os
from pathlib import Path
from pywats_client.converters import Converter


class Vanishing(Converter):
    name = "vanishing"
    patterns = ("*.vanish",)

    def convert(self, path):
        os.unlink(path)  # deleted while being read
        return Path(path).read_bytes()


class Moving(Converter):
    name = "moving"
    patterns = ("*.moving",)

    def convert(self, path):
        target = Path(path).with_suffix(".csv")
        os.replace(path, target)  # renamed while being read: the new name is converted later
        return Path(path).read_bytes()


class Boom(Converter):
    name = "boom"
    patterns = ("*.boom",)

    def convert(self, path):
        return 1 / 0


class NotAReport(Converter):
    name = "notareport"
    patterns = ("*.nar",)

    def convert(self, path):
        return "hello"
"""


def wsjf(serial: str, part: str, **extra: object) -> str:
    return json.dumps({"type": "T", "pn": part, "sn": serial, "rev": "A", "processCode": 10, "result": "P", **extra})


def wsxf(serial: str, part: str, report_id: str | None = None) -> str:
    """A WSXF report the server takes (with ``ID`` when ``report_id`` is given, else without one)."""
    from pywats.domains.report import UUTReport
    from pywats.simulator.routes._wsxf import to_wsxf

    report = UUTReport(pn=part, sn=serial, rev="A", process_code=10, station_name="XML-ST")
    report.get_root_sequence_call().add_pass_fail_step("LED", True)
    report.finalize()
    doc = report.to_wsjf()
    text = to_wsxf({**doc, "id": report_id or "00000000-0000-0000-0000-000000000000"})
    return text if report_id else text.replace(' ID="00000000-0000-0000-0000-000000000000"', "")


@dataclass
class Mixed:
    good: list[str] = field(default_factory=list)  # serial numbers that must arrive, once each
    bad: dict[str, str] = field(default_factory=dict)  # file name -> words its reason must contain
    vanishing: list[str] = field(default_factory=list)  # deleted while read: in neither place
    kinds: set[str] = field(default_factory=set)


def build(watch: Path, plugins: Path, n: int, part: str) -> Mixed:
    """About ``n`` files in ``watch``: half good (CSV, WSJF, WSXF, odd names), half bad of every kind."""
    watch.mkdir(parents=True, exist_ok=True)
    plugins.mkdir(parents=True, exist_ok=True)
    (plugins / "midread.py").write_text(PLUGIN)
    out = Mixed()
    root = os.geteuid() == 0 if hasattr(os, "geteuid") else False

    def bad(kind: str, name: str, content: bytes | str | None, reason: str) -> None:
        path = watch / name
        if content is not None:
            path.write_bytes(content.encode() if isinstance(content, str) else content)
        out.bad[name] = reason
        out.kinds.add(kind)

    i = nbad = 0
    while len(out.good) + len(out.bad) + len(out.vanishing) < n:
        k = i % 20
        sn = f"{part}-{i:05d}"
        tag = f"{i:05d}"
        if k in (0, 3, 6, 9, 12):
            (watch / f"g{tag}.csv").write_text(csv_text(sn, part=part))
            out.good.append(sn)
        elif k in (1, 7, 13):
            (watch / f"g{tag}.json").write_text(wsjf(sn, part))
            out.good.append(sn)
        elif k in (4, 16):
            (watch / f"g{tag}.xml").write_text(wsxf(sn, part, str(uuid.uuid4()) if k == 4 else None))
            out.good.append(sn)
        elif k == 10:
            (watch / f"prüfung {tag} ünïcode.csv").write_text(csv_text(sn, part=part))  # spaces and non-ASCII
            out.good.append(sn)
        elif k == 19:
            path = watch / f"noread{tag}.csv"
            path.write_text(csv_text(sn, part=part))
            path.chmod(0)
            if root:  # root reads it anyway: then it is a good file
                out.good.append(sn)
            else:
                out.bad[path.name] = "permission denied"
                out.kinds.add("no read permission")
        elif k == 15:
            (watch / f"m{tag}.moving").write_text(csv_text(sn, part=part))  # arrives under its new name
            out.good.append(sn)
            out.kinds.add("renamed mid-read")
        else:
            kind = nbad % 16
            nbad += 1
            spec = [
                ("non-GUID id", f"b{tag}.json", wsjf(sn, part, id="TS-4711"), "'TS-4711' is not a GUID"),
                ("wrong field types", f"b{tag}.json", wsjf(sn, part, processCode="ten"), "processCode"),
                ("empty", f"b{tag}.json", "", "the file is empty"),
                ("truncated", f"b{tag}.json", wsjf(sn, part)[:40], "cut off"),
                ("binary", f"b{tag}.json", bytes(range(256)) * 4, "binary"),
                ("invalid UTF-8", f"b{tag}.csv", b"part_number,\xff\xfe\n", "not UTF-8"),
                ("nesting 10,000 deep", f"b{tag}.json", "[" * 10_000 + "]" * 10_000, "nested too deeply"),
                ("directory named like a report", f"b{tag}.json", None, "folder, not a file"),
                ("symlink loop", f"b{tag}.json", None, "symbolic link"),
                ("bad name with spaces ü", f"b {tag} ü.json", "{not json", "not valid JSON"),
                ("plugin error", f"b{tag}.boom", "x", "ZeroDivisionError"),
                ("plugin returns no report", f"b{tag}.nar", "x", "not a report"),
                ("no converter", f"b{tag}.txt", "notes", "no enabled converter"),
                ("bad CSV step", f"b{tag}.csv", csv_text(sn, part=part) + "V,numeric,abc\n", "'abc' is not a number"),
                ("bad WSXF", f"b{tag}.xml", "<Reports><Report type='UUT'/>", "XML"),
                ("deleted mid-read", f"b{tag}.vanish", "gone", ""),
            ][kind]
            name, content, reason = spec[1], spec[2], spec[3]
            if kind == 7:
                (watch / name).mkdir()
            elif kind == 8:
                os.symlink(watch / f"{name}.other.json", watch / name)
                os.symlink(watch / name, watch / f"{name}.other.json")
                bad(spec[0], f"{name}.other.json", None, "symbolic link")
            if kind == 15:
                (watch / name).write_text(str(content))
                out.vanishing.append(name)
                out.kinds.add(spec[0])
            else:
                bad(spec[0], name, content, reason)
        i += 1
    big = watch / "huge.json"  # 200 MB, sparse: over max_file_mb, refused unread
    with open(big, "wb") as fh:
        fh.truncate(200_000_000)
    out.bad[big.name] = "200.0 MB, more than the 50 MB"
    out.kinds.add("200 MB file")
    return out
