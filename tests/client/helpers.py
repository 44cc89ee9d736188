"""Shared helpers of the station-client tests: a configured data folder and the service as a real process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pywats.simulator import Simulator
from pywats_client.cli import main
from pywats_client.config import ClientConfig
from pywats_client.control import ControlClient


def configure(folder: Path, sim: Simulator, name: str = "config.json", **values: Any) -> Path:
    """A config file ``name`` in ``folder`` pointing at ``sim``, tuned for quick tests (short polls and back-off)."""
    cfg = folder / name
    args = [
        "--config",
        str(cfg),
        "config",
        "init",
        "--non-interactive",
        "--server-url",
        sim.url,
        "--api-token",
        sim.token,
        "--station-name",
        "TEST-ST",
    ]
    assert main(args) == 0
    settings = {
        "poll_interval": 0.05,
        "settle_time": 0,
        "retry_initial_delay": 0.1,
        "retry_max_delay": 0.5,
        "timeout": 10,
        **values,
    }
    for key, value in settings.items():
        assert main(["--config", str(cfg), "config", "set", key, str(value)]) == 0
    return cfg


def watched(folder: Path, **values: Any) -> tuple[ClientConfig, Path]:
    """A config in ``folder`` that takes files at once (``settle_time=0``, plus ``values``), and its
    watch folder, created."""
    config = ClientConfig.load(folder / "config.json").with_values(settle_time=0, **values)
    watch = config.watch_paths[0]
    watch.mkdir(parents=True)
    return config, watch


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``check`` until true; a generous bound so a broken service fails instead of hanging."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def csv_text(serial: str, part: str = "WIDGET-001") -> str:
    return (
        f"part_number,{part}\nserial_number,{serial}\nrevision,A\nprocess_code,10\n\n"
        "step,type,value,low,high,unit,comp\n5V rail,numeric,5.02,4.9,5.1,V,GELE\nLED,passfail,PASS\n"
    )


def drop(folder: Path, name: str, text: str) -> None:
    """Put a file into a watch folder the way a station should: written aside, then renamed in."""
    tmp = folder / f".{name}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, folder / name)


def stored_serials(sim: Simulator, part: str) -> list[str]:
    with sim.store.lock:
        return [r["sn"] for r in sim.store.collection("reports") if r.get("pn") == part]


class Service:
    """``python -m pywats_client start --api`` as a child process (``env``: its whole environment)."""

    def __init__(self, cfg: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        self.cfg = cfg
        # the log goes to a file: a pipe nobody reads would fill up and block the service
        self.log_path = cfg.parent / f"service-{time.monotonic_ns()}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "pywats_client",
                    "--config",
                    str(cfg),
                    "start",
                    "--api",
                    "--api-port",
                    "0",
                    *extra,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        runtime = ClientConfig.load(cfg).runtime_path

        def up() -> bool:  # a killed predecessor leaves its runtime file behind: wait for ours, running
            try:
                info = json.loads(runtime.read_text())
                return bool(info["pid"] == self.proc.pid and info["state"] == "running")
            except (OSError, ValueError, KeyError):
                return False

        wait_for(lambda: up() or self.proc.poll() is not None, 30, "the service to start")
        if self.proc.poll() is not None:
            raise AssertionError(f"the service exited: {self.log_path.read_text()}")
        self.api = ControlClient(json.loads(runtime.read_text())["api_url"])

    def status(self) -> dict[str, Any]:
        result: dict[str, Any] = self.api.request("GET", "/status")
        return result

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def close(self) -> str:
        """Stop it if still running; returns its log."""
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(60)
        return self.log_path.read_text()


@contextmanager
def service(cfg: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[Service]:
    svc = Service(cfg, *extra, env=env)
    try:
        yield svc
    finally:
        svc.close()


#: A converter plugin that takes 2 s to import (the service starts slowly with it).
SLOW_PLUGIN = """
import time
from pywats_client.converters import Converter

time.sleep(2)  # a converter that takes its time to import


class Slow(Converter):
    name = "slow"
    patterns = ("*.slow",)

    def convert(self, path):
        raise ValueError("never used")
"""
