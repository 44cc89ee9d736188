"""``python -m pywats.simulator``: run the WATS simulator until interrupted."""

from __future__ import annotations

import argparse
import sys
import time

from .server import Simulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pywats.simulator", description="Run the WATS simulator.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    parser.add_argument("--data", help="JSON file with the data to serve (default: seeded processes)")
    parser.add_argument("--token", help="the token clients must send (default: a random one)")
    args = parser.parse_args(argv)
    sim = Simulator(data=args.data, token=args.token, port=args.port).start()
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
