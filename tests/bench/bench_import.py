"""Start-up cost: ``import pywats`` against ``import httpx``, side by side in one run (nox -s bench).

    python -m tests.bench.bench_import [ROUNDS]

Each round imports each module in a fresh interpreter, alternating, so both see the same machine
load; the figures are medians of the wall and CPU time spent in the import statement (CPU time
varies less on a busy machine). Prints the ratios and the packages ``import pywats`` loads beyond
``import httpx``; asserts nothing about time.
Target (issue 23): ratio <= 1.3x.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

TIMED = (
    "import time; t, c = time.perf_counter(), time.process_time(); import {module}; "
    "print(time.perf_counter() - t, time.process_time() - c)"
)
EXTRA = (
    "import sys; import httpx; before = set(sys.modules); import pywats; "
    "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
)


def once(module: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``import module`` in a fresh interpreter."""
    code = TIMED.format(module=module)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    once("httpx"), once("pywats")  # warm the file cache and the bytecode
    httpx_runs, pywats_runs = [], []
    for _ in range(rounds):
        httpx_runs.append(once("httpx"))
        pywats_runs.append(once("pywats"))
    for i, what in enumerate(("wall", "CPU")):
        hx = statistics.median(run[i] for run in httpx_runs)
        pw = statistics.median(run[i] for run in pywats_runs)
        print(
            f"import ({what}): httpx {hx * 1e3:.1f} ms  pywats {pw * 1e3:.1f} ms  "
            f"ratio {pw / hx:.2f}x  (target <= 1.3x)"
        )
    extra = subprocess.run([sys.executable, "-c", EXTRA], capture_output=True, text=True, check=True).stdout.split()
    print(f"packages pywats loads beyond httpx: {', '.join(extra)}")


if __name__ == "__main__":
    main()
