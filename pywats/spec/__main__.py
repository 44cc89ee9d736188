"""``python -m pywats.spec``: compare WATS API versions.

    python -m pywats.spec diff [OLD] NEW [--format text|json|markdown]
    python -m pywats.spec check --server URL          # the server against this pywats

OLD and NEW may each be a Swagger 2.0 or OpenAPI 3 file, a directory of WATS documents (or of
surface snapshots), a server URL (token from WATS_AUTH_TOKEN), or ``snapshot`` (the API this
pywats was generated from; the default OLD).

Exit status: 0 no change, 1 only non-breaking changes, 2 at least one breaking change, 3 the
tool could not do its job (an input unreadable or of the wrong shape, nothing to compare, the
--output file unwritable, a usage error, or a bug), with a one-line ``error:`` message.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from .diff import DiffReport, diff_surfaces
from .inputs import SNAPSHOT, load_surfaces
from .sources import SpecSourceError

EXIT_ERROR = 3


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    # argparse exits 2 on a usage error, which here means "breaking change": raise instead.
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _render(report: DiffReport, fmt: str) -> str:
    return {"text": report.to_text, "json": report.to_json, "markdown": report.to_markdown}[fmt]()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _run(argv: list[str] | None) -> int:
    parser = _Parser(prog="python -m pywats.spec", description=__doc__.splitlines()[0])
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
    report = diff_surfaces(load_surfaces(old, token=token), load_surfaces(new, token=token))
    if not report.compared:
        raise SpecSourceError(f"{report.summary()}: OLD and NEW hold different APIs")
    text = _render(report, args.format)
    if args.output:
        # before stdout, so a CI summary that cannot be written never looks like a clean run
        try:
            with open(args.output, "a", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise SpecSourceError(f"cannot write --output {args.output}: {exc.strerror or exc}") from exc
    sys.stdout.write(text)
    return report.exit_code


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every failure of the tool itself is exit 3 with one ``error:`` line."""
    try:
        return _run(argv)
    except _UsageError as exc:
        message = f"{_one_line(str(exc))} (see --help)"
    except SpecSourceError as exc:
        message = _one_line(str(exc))
    except RecursionError:
        message = "an input is nested too deeply to be read"
    except Exception as exc:  # a bug or an input shape nobody foresaw: still not a 0/1/2 verdict
        message = f"spec-diff failed: {exc.__class__.__name__}: {_one_line(str(exc))}"
    print(f"error: {message}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
