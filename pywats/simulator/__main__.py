"""``python -m pywats.simulator``: run the WATS simulator until interrupted.

A mistake (bad port, port in use, missing or malformed ``--data`` file, a token that is not
base64 of ``username:password``) prints one line naming it and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import NoReturn

from .server import Simulator
from .wire import DataError

DATA_HELP = (
    "JSON file with the data to serve: an object with 'processes' (a list of processes as "
    "GET /api/App/Processes returns them; each needs 'code' and 'name') and/or 'version' (a string), "
    "or a bare list of processes. A key left out keeps the seeded data."
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line instead of argparse's usage block: the user sees the problem, not a wall
        self.exit(2, f"{self.prog}: error: {message}\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number from 0 to 65535, not {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 0 to 65535, not {port}")
    return port


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m pywats.simulator", description="Run the WATS simulator.")
    parser.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--data", help=DATA_HELP)
    parser.add_argument("--token", help="base64 of 'username:password' clients must send (default: a random one)")
    args = parser.parse_args(argv)
    try:
        sim = Simulator(data=args.data, token=args.token, port=args.port).start()
    except (ValueError, OSError) as exc:
        message = str(exc)
        if isinstance(exc, DataError) and args.data and args.data not in message:
            message = f"--data {args.data}: {message}"
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        return 2
    print(f"WATS simulator serving at {sim.url}", flush=True)
    print(f"export WATS_BASE_URL={sim.url}", flush=True)
    print(f"export WATS_AUTH_TOKEN={sim.token}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
