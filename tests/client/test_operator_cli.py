"""The operator's side: relative paths, diagnose, queue commands, systemd unit, the Docker config
location, post-actions after conversion."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pywats.simulator import Simulator
from pywats_client.cli import main
from pywats_client.cli_ops import render_unit, unit_name
from pywats_client.config import ClientConfig

from .helpers import configure, csv_text, drop, service, stored_serials, wait_for
from .mixed import wsxf

unix_only = pytest.mark.skipif(os.name == "nt", reason="--daemon and systemd are Unix only")


def _cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pywats_client", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


@unix_only
def test_relative_paths_mean_the_same_for_the_foreground_service_and_the_daemon(tmp_path: Path) -> None:
    with Simulator() as sim:
        work = tmp_path / "work"
        (work / "tmp" / "x").mkdir(parents=True)
        rel = ["--config", "tmp/x/config.json"]  # given relative, from the directory the command runs in
        init = _cli(work, *rel, "config", "init", "--non-interactive", "--server-url", sim.url,
                    "--api-token", sim.token, "--station-name", "REL")  # fmt: skip
        assert init.returncode == 0, init.stderr
        for key, value in (("watch_folders", "tmp/w"), ("settle_time", "0"), ("poll_interval", "0.05")):
            assert _cli(work, *rel, "config", "set", key, value).returncode == 0
        cfg = work / "tmp" / "x" / "config.json"
        doc = json.loads(cfg.read_text())
        assert doc["watch_folders"] == [str(work / "tmp" / "w")]  # stored absolute
        doc["log_file"] = "pywats_client.log"  # the GUI guide's own example: relative, in the file
        cfg.write_text(json.dumps(doc))

        started = _cli(work, *rel, "start", "--daemon", "--api", "--api-port", "0")
        assert started.returncode == 0, started.stderr
        try:
            drop(work / "tmp" / "w", "r.csv", csv_text("REL-1", part="REL"))
            wait_for(lambda: stored_serials(sim, "REL") == ["REL-1"], 30, "the daemon's report")
            assert "r.csv: 1 report(s) queued" in (work / "tmp" / "x" / "pywats_client.log").read_text()
            status = _cli(work, *rel, "status")
            assert status.returncode == 0 and "is running" in status.stdout
        finally:
            stopped = _cli(work, *rel, "stop")
        assert stopped.returncode == 0, stopped.stderr


def test_diagnose_names_each_problem_for_the_operator(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        good = _cli(tmp_path, "--config", str(cfg), "diagnose")
        assert good.returncode == 0, good.stdout
        assert "server reachable and token accepted" in good.stdout and "service: not running" in good.stdout
        assert "All checks passed." in good.stdout
        assert main(["--config", str(cfg), "config", "set", "api_token", "d3Jvbmc6dG9rZW4xMjM0"]) == 0
        (tmp_path / "errors").chmod(0o500)  # created by the first diagnose
        try:
            bad = _cli(tmp_path, "--config", str(cfg), "diagnose")
        finally:
            (tmp_path / "errors").chmod(0o700)
        assert bad.returncode == 1
        assert "FAIL  token: the server refused the API token (HTTP 401)" in bad.stdout
        if os.geteuid() != 0:  # root may write anywhere
            assert "error folder" in bad.stdout and "is not writable" in bad.stdout
    gone = _cli(tmp_path, "--config", str(cfg), "diagnose")  # the server stopped
    assert gone.returncode == 1 and "cannot connect to" in gone.stdout and "connection refused" in gone.stdout
    assert "Traceback" not in gone.stderr and "get_report(" not in gone.stdout


def test_queue_list_retry_and_process(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim)
        watch = tmp_path / "watch"
        watch.mkdir()
        drop(watch, "empty.csv", "")
        drop(watch, "ok.csv", csv_text("Q-1", part="QCLI"))
        with service(cfg) as svc:
            wait_for(lambda: svc.status()["counters"]["files_failed"] == 1, 30, "the bad file")
            listed = _cli(tmp_path, "--config", str(cfg), "queue", "list")
            assert (
                "1 failed item(s)" in listed.stdout
                and "empty.csv  [not converted]  empty.csv: the file is empty" in (listed.stdout)
            )
            assert _cli(tmp_path, "--config", str(cfg), "queue", "process").returncode == 0
            drop(tmp_path / "errors", "empty.csv", csv_text("Q-2", part="QCLI"))  # fixed where it lies
            retried = _cli(tmp_path, "--config", str(cfg), "queue", "retry", "empty.csv")
            assert retried.returncode == 0 and "back in the watch folder" in retried.stdout
            wait_for(lambda: sorted(stored_serials(sim, "QCLI")) == ["Q-1", "Q-2"], 30, "the retried report")
        offline = _cli(tmp_path, "--config", str(cfg), "queue", "process")
        assert offline.returncode == 3 and "not running" in offline.stdout
        unknown = _cli(tmp_path, "--config", str(cfg), "queue", "retry", "nothing.csv")
        assert unknown.returncode == 1 and "no failed item named 'nothing.csv'" in unknown.stderr
    version = _cli(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("pywats-client ")


def test_install_service_writes_a_unit_for_this_config(tmp_path: Path) -> None:
    cfg_path = tmp_path / "my station" / "config_line3.json"
    assert main(["--config", str(cfg_path), "config", "set", "station_name", "LINE-3"]) == 0
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    done = _cli(tmp_path, "--config", str(cfg_path), "install-service", env=env)
    assert done.returncode == 0, done.stderr
    unit = tmp_path / "xdg" / "systemd" / "user" / "pywats-client-config_line3.service"
    text = unit.read_text()
    assert f'ExecStart={sys.executable} -m pywats_client --config "{cfg_path}" start --api' in text
    assert "Restart=on-failure" in text and "WantedBy=default.target" in text and "User=" not in text
    assert "pyWATS station client (LINE-3)" in text and "systemctl --user daemon-reload" in done.stdout
    config = ClientConfig.load(cfg_path)
    system = render_unit(config, system=True, user="wats")
    assert "User=wats\n" in system and "WantedBy=multi-user.target" in system
    assert unit_name(config) == "pywats-client-config_line3.service"
    removed = _cli(tmp_path, "--config", str(cfg_path), "uninstall-service", env=env)
    assert removed.returncode == 0 and not unit.exists()


def test_the_docker_recipes_config_location_is_found_and_named(tmp_path: Path) -> None:
    home = tmp_path / "root"
    (home / ".pywats_client").mkdir(parents=True)
    (home / ".pywats_client" / "config.json").write_text(json.dumps({"station_name": "DOCKER-1"}))
    env = {k: v for k, v in os.environ.items() if k not in ("PYWATS_CLIENT_CONFIG", "XDG_CONFIG_HOME", "APPDATA")}
    env["HOME"] = str(home)
    shown = _cli(tmp_path, "config", "show", env=env)
    assert shown.returncode == 0, shown.stderr
    assert f"# config file: {home / '.pywats_client' / 'config.json'}" in shown.stdout
    assert "does not exist; using" in shown.stdout and "station_name = DOCKER-1" in shown.stdout
    (home / ".config" / "pywats_client").mkdir(parents=True)  # once the platform location has one, it wins
    (home / ".config" / "pywats_client" / "config.json").write_text(json.dumps({"station_name": "PLATFORM"}))
    shown = _cli(tmp_path, "config", "show", env=env)
    assert "station_name = PLATFORM" in shown.stdout and "the platform's default location" in shown.stdout


def test_post_actions_archive_delete_keep_and_wsxf(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim, post_actions="csv=delete,wsxf=keep")
        watch = tmp_path / "watch"
        with service(cfg) as svc:
            drop(watch, "a.csv", csv_text("PA-1", part="POST"))
            drop(watch, "b.json", json.dumps({"type": "T", "pn": "POST", "sn": "PA-2", "rev": "A", "processCode": 10}))
            drop(watch, "c.xml", wsxf("PA-3", "POST"))
            wait_for(lambda: len(stored_serials(sim, "POST")) == 3, 30, "the three reports")
            wait_for(lambda: svc.status()["counters"]["files_converted"] == 3, 30, "the files handled")
            for _ in range(5):  # kept in place, and not converted again at the next scans
                svc.api.request("POST", "/queue/process")
            assert svc.status()["counters"]["files_converted"] == 3
        assert sorted(p.name for p in watch.iterdir()) == ["c.xml"]  # kept; a.csv deleted
        assert [p.name for p in (tmp_path / "archive").iterdir()] == ["b.json"]  # wsjf: archived (default)
        assert (
            sorted(stored_serials(sim, "POST")) == ["PA-1", "PA-2", "PA-3"]
            and sim.count("POST", "/api/Report/WSXF") == 1
        )
