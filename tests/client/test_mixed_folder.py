"""Per-file isolation: a folder mixing good reports with every kind of bad file, handled by a real
service process. (``python -m tests.bench.bench_client mixed`` runs the 1,000-file version.)"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pywats.simulator import Simulator

from .helpers import configure, service, stored_serials, wait_for
from .mixed import build

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symlink loops and modes are Unix here")


def test_a_mixed_folder_flows_and_every_bad_file_is_set_aside_with_its_reason(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim, settle_time=0.2)
        watch = tmp_path / "watch"
        mixed = build(watch, tmp_path / "converters", 100, "MIXED")
        assert len(mixed.kinds) >= 12, mixed.kinds
        with service(cfg) as svc:
            wait_for(lambda: len(stored_serials(sim, "MIXED")) >= len(mixed.good), 90, "the good reports")
            wait_for(lambda: not [p for p in watch.iterdir()], 30, "an empty watch folder")
            wait_for(lambda: svc.status()["queue"]["pending"] == 0, 30, "an empty queue")
            status = svc.status()
            log = svc.log_path.read_text()
        counts = Counter(stored_serials(sim, "MIXED"))
        assert sorted(counts) == sorted(mixed.good) and set(counts.values()) == {1}  # each good one, once
        errors = tmp_path / "errors"
        for name, words in mixed.bad.items():
            assert os.path.lexists(errors / name), name
            reason = (errors / f"{name}.reason.txt").read_text()
            assert reason.startswith(f"{name}: ") and words in reason, (name, reason)
            assert "pywats_client." not in reason and "Traceback" not in reason
            assert sum(1 for line in log.splitlines() if f"{name} moved to " in line) == 1, name  # one entry each
        left = {p.name for p in errors.iterdir() if not p.name.endswith(".reason.txt")}
        assert left == set(mixed.bad)  # nothing else went to errors/
        assert status["counters"]["files_failed"] == len(mixed.bad)
        assert status["last_failed_file"]["name"] in mixed.bad and status["last_failed_file"]["reason"]
        assert "Traceback" not in log
        for name in mixed.vanishing:
            assert not (errors / name).exists() and f"{name} was removed or renamed while it was read" in log
        shown = subprocess.run(
            [sys.executable, "-m", "pywats_client", "--config", str(cfg), "queue", "list"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert f"{len(mixed.bad)} failed item(s)" in shown.stdout and "'TS-4711' is not a GUID" in shown.stdout
