"""``python -m pywats.spec``: compare WATS API versions.

    python -m pywats.spec diff [OLD] NEW [--format text|json|markdown]
    python -m pywats.spec check --server URL          # the server against this pywats

OLD and NEW may each be a Swagger 2.0 or OpenAPI 3 file, a directory of WATS documents (or of
surface snapshots), a server URL (token from WATS_AUTH_TOKEN), or ``snapshot`` (the API this
pywats was generated from; the default OLD).

Exit status: 0 no change, 1 only non-breaking changes, 2 at least one breaking change, 3 the
inputs could not be read.
"""

from __future__ import annotations

import argparse
import os
import sys

from .diff import DiffReport, diff_surfaces
from .inputs import SNAPSHOT, load_surfaces
from .sources import SpecSourceError


def _render(report: DiffReport, fmt: str) -> str:
    return {"text": report.to_text, "json": report.to_json, "markdown": report.to_markdown}[fmt]()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pywats.spec", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    diff = sub.add_parser("diff", help="what changed from OLD to NEW")
    diff.add_argument("sides", nargs="+", metavar="OLD NEW", help="[OLD] NEW (OLD defaults to the snapshot)")
    check = sub.add_parser("check", help="does a server still fit this pywats")
    check.add_argument("--server", default=os.environ.get("WATS_BASE_URL"), help="server URL ($WATS_BASE_URL)")
    for p in (diff, check):
        p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
        p.add_argument("--output", help="write the report here as well (e.g. $GITHUB_STEP_SUMMARY)")
    args = parser.parse_args(argv)

    token = os.environ.get("WATS_AUTH_TOKEN")
    if args.command == "diff":
        if len(args.sides) > 2:
            parser.error("diff takes at most two sides: [OLD] NEW")
        old, new = (SNAPSHOT, args.sides[0]) if len(args.sides) == 1 else args.sides
    else:
        if not args.server:
            parser.error("check needs --server URL or WATS_BASE_URL")
        old, new = SNAPSHOT, args.server
    try:
        report = diff_surfaces(load_surfaces(old, token=token), load_surfaces(new, token=token))
    except SpecSourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    text = _render(report, args.format)
    sys.stdout.write(text)
    if args.output:
        with open(args.output, "a", encoding="utf-8") as fh:
            fh.write(text)
    return report.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
