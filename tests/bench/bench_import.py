"""Start-up cost: ``import pywats`` against ``import httpx``, side by side in one run (nox -s bench).

    python -m tests.bench.bench_import [ROUNDS]

Each round imports each module in a fresh interpreter, alternating, so both see the same machine
load; the figures are medians of wall time spent in the import statement. Prints the ratio and
the modules ``import pywats`` loads beyond ``import httpx``; asserts nothing about time.
Target (issue 23): ratio <= 1.3x.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

TIMED = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
EXTRA = (
    "import sys; import httpx; before = set(sys.modules); import pywats; "
    "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
)


def once(module: str) -> float:
    code = TIMED.format(module=module)
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    once("httpx"), once("pywats")  # warm the file cache and the bytecode
    httpx_times, pywats_times = [], []
    for _ in range(rounds):
        httpx_times.append(once("httpx"))
        pywats_times.append(once("pywats"))
    hx, pw = statistics.median(httpx_times), statistics.median(pywats_times)
    print(f"import: httpx {hx * 1e3:.1f} ms  pywats {pw * 1e3:.1f} ms  ratio {pw / hx:.2f}x  (target <= 1.3x)")
    extra = subprocess.run([sys.executable, "-c", EXTRA], capture_output=True, text=True, check=True).stdout.split()
    print(f"packages pywats loads beyond httpx: {', '.join(extra)}")


if __name__ == "__main__":
    main()
