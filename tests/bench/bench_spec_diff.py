"""Time to diff the full internal WATS document against a mutated copy (nox -s bench; prints, asserts nothing).

Target (issue 6): under 2 s on the 2-core machine, end to end (parse, convert, normalise, diff).
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import time
from pathlib import Path

from pywats.spec.diff import diff_surfaces
from pywats.spec.inputs import surfaces_from_documents
from pywats.spec.sources import SourceDocument


def main() -> None:
    spec_dir = Path(os.environ.get("WATS_SPEC_DIR", "../shared/wats-specs"))
    raw = (spec_dir / "openapi_internal.json").read_bytes()
    doc = json.loads(raw)
    mutated = copy.deepcopy(doc)
    mutated["definitions"]["Virinco.WATS.Web.Dashboard.Models.Mes.Process"]["properties"].pop("Name")
    mutated["paths"].pop(next(p for p in mutated["paths"] if p.lower().startswith("/api/internal/")))
    mutated_raw = json.dumps(mutated).encode()
    totals, diffs = [], []
    for _ in range(5):
        started = time.perf_counter()
        old = surfaces_from_documents({"internal": SourceDocument("internal", "old", raw)})
        new = surfaces_from_documents({"internal": SourceDocument("internal", "new", mutated_raw)})
        middle = time.perf_counter()
        report = diff_surfaces(old, new)
        done = time.perf_counter()
        totals.append(done - started)
        diffs.append(done - middle)
    print(
        f"spec diff, internal document ({len(raw) / 1e6:.1f} MB) vs mutated copy: "
        f"{statistics.median(totals):.2f} s end to end, {statistics.median(diffs) * 1000:.0f} ms of it diffing; "
        f"{len(report.changes)} changes, exit {report.exit_code}  (target < 2 s)"
    )


if __name__ == "__main__":
    main()
