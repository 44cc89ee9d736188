"""Config commands, converters commands and test-connection (the CLI run in-process, the simulator real)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pywats.simulator import Simulator
from pywats_client.cli import main
from pywats_client.config import ClientConfig, default_config_path

TOKEN = "dXNlcjpzZWNyZXRwYXNzd29yZA=="


def run(capsys: pytest.CaptureFixture[str], cfg: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(cfg), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def init(capsys: pytest.CaptureFixture[str], cfg: Path, url: str = "https://wats.example.com") -> None:
    code, _, err = run(capsys, cfg, "config", "init", "--non-interactive", "--server-url", url,
                       "--api-token", TOKEN, "--station-name", "PI-01")  # fmt: skip
    assert code == 0, err


def test_init_non_interactive_writes_the_file_privately_and_never_prints_the_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "sub" / "config.json"
    code, out, _ = run(capsys, cfg, "config", "init", "--non-interactive", "--server-url", "https://wats.example.com/",
                       "--api-token", TOKEN, "--station-name", "PI-01")  # fmt: skip
    assert code == 0
    doc = json.loads(cfg.read_text())
    assert doc["service_address"] == "https://wats.example.com" and doc["api_token"] == TOKEN
    assert doc["station_name"] == "PI-01"
    assert TOKEN not in out and "dXNl****" in out
    if os.name != "nt":
        assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    assert [p.name for p in cfg.parent.iterdir()] == ["config.json"]  # no temporary file left


def test_init_non_interactive_names_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, tmp_path / "c.json", "config", "init", "--non-interactive", "--server-url", "https://x")
    assert code == 1 and "--api-token" in err
    assert not (tmp_path / "c.json").exists()


def test_init_interactive_asks_and_repeats_a_bad_answer(tmp_path: Path) -> None:
    cfg = tmp_path / "c.json"
    answers = "not a url\nhttps://wats.example.com\n" + TOKEN + "\nLINE-3\n"
    done = subprocess.run([sys.executable, "-m", "pywats_client", "--config", str(cfg), "config", "init"],
                          input=answers, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "must be an http:// or https:// URL" in done.stderr
    doc = json.loads(cfg.read_text())
    assert (doc["service_address"], doc["api_token"], doc["station_name"]) == (
        "https://wats.example.com",
        TOKEN,
        "LINE-3",
    )
    assert TOKEN not in done.stdout + done.stderr


def test_show_get_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.json"
    init(capsys, cfg)
    code, out, _ = run(capsys, cfg, "config", "show", "--format", "json")
    shown = json.loads(out)
    assert code == 0 and shown["api_token"] == "dXNl****" and shown["station_name"] == "PI-01"
    code, out, _ = run(capsys, cfg, "config", "show", "--format", "env")
    assert "PYWATS_SERVICE_ADDRESS=https://wats.example.com" in out and "PYWATS_API_TOKEN=dXNl****" in out
    code, out, _ = run(capsys, cfg, "config", "show")
    assert TOKEN not in out and "station_name = PI-01" in out
    assert run(capsys, cfg, "config", "get", "server_url")[1].strip() == "https://wats.example.com"
    assert run(capsys, cfg, "config", "get", "api_token")[1].strip() == "dXNl****"
    assert run(capsys, cfg, "config", "set", "log_level", "debug")[0] == 0
    assert run(capsys, cfg, "config", "set", "station_name", "MY-STATION")[0] == 0
    doc = json.loads(cfg.read_text())
    assert doc["log_level"] == "DEBUG" and doc["station_name"] == "MY-STATION" and doc["api_token"] == TOKEN


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("no_such_key", "1", "unknown configuration key 'no_such_key'; known keys: api_host"),
        ("log_level", "LOUD", "log_level: 'LOUD' must be one of DEBUG, INFO"),
        ("server_url", "ftp://x", "must be an http:// or https:// URL"),
        ("server_url", "https://user:pw@x", "must not carry credentials"),
        ("upload_workers", "0", "upload_workers: '0' must be a whole number from 1 to 64"),
        ("poll_interval", "soon", "must be a number"),
        ("api_token", "has space", "api_token: **** must not contain spaces"),
    ],
)
def test_set_refuses_bad_input_and_keeps_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, message: str
) -> None:
    cfg = tmp_path / "c.json"
    init(capsys, cfg)
    before = cfg.read_bytes()
    code, _, err = run(capsys, cfg, "config", "set", key, value)
    assert code == 1 and message in err
    assert cfg.read_bytes() == before


def test_unknown_keys_in_the_file_are_kept_and_bad_values_named(tmp_path: Path) -> None:
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"server_url": "https://a.example", "future_key": {"x": 1}}))
    config = ClientConfig.load(cfg)
    assert config["service_address"] == "https://a.example"
    config.set_value("station_name", "S")
    config.save()
    assert json.loads(cfg.read_text())["future_key"] == {"x": 1}
    cfg.write_text(json.dumps({"poll_interval": -1}))
    with pytest.raises(ValueError, match="poll_interval"):
        ClientConfig.load(cfg)


def test_environment_overrides_for_the_service(tmp_path: Path) -> None:
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"station_name": "FILE"}))
    env = {"PYWATS_STATION_NAME": "ENV", "PYWATS_SERVICE_ADDRESS": "https://env.example"}
    config = ClientConfig.load(cfg, environ=env)
    assert config["station_name"] == "ENV" and config["server_url"] == "https://env.example"
    assert ClientConfig.load(cfg)["station_name"] == "FILE"


def test_platform_config_locations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PYWATS_CLIENT_CONFIG", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert default_config_path() == tmp_path / "Roaming" / "pyWATS_Client" / "config.json"
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_config_path() == tmp_path / ".config" / "pywats_client" / "config.json"


def test_test_connection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.json"
    with Simulator() as sim:
        code, _, err = run(capsys, cfg, "test-connection")
        assert code == 1 and "config init" in err
        init(capsys, cfg, sim.url)
        assert run(capsys, cfg, "config", "set", "api_token", sim.token)[0] == 0
        code, out, _ = run(capsys, cfg, "test-connection")
        assert code == 0 and "Connected to" in out and "24.2.0-simulator" in out
        assert run(capsys, cfg, "config", "set", "api_token", TOKEN)[0] == 0  # a token the server refuses
        code, _, err = run(capsys, cfg, "test-connection")
        assert code == 1 and "refused the API token (HTTP 401)" in err and TOKEN not in err
        url = sim.url
    assert run(capsys, cfg, "config", "set", "server_url", url)[0] == 0
    code, _, err = run(capsys, cfg, "test-connection")  # server gone
    assert code == 1 and f"cannot connect to {url}" in err


PLUGIN = """
from pywats.domains.report import UUTReport
from pywats_client import Converter


class LineConverter(Converter):
    name = "lines"
    patterns = ("*.txt",)
    description = "part;serial per line"

    def convert(self, path):
        out = []
        for line in path.read_text().splitlines():
            pn, sn = line.split(";")
            out.append(UUTReport(pn=pn, sn=sn, rev="A", process_code=10, result="P"))
        return out
"""


def test_converters_list_enable_disable_and_a_folder_plugin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.json"
    init(capsys, cfg)
    plugins = tmp_path / "c" / "converters"  # c.json's data folder: c/
    plugins.mkdir(parents=True)
    (plugins / "lines.py").write_text(PLUGIN)
    (plugins / "broken.py").write_text("raise RuntimeError('boom')\n")
    code, out, _ = run(capsys, cfg, "converters", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["broken", "error"] and "boom" in out
    assert any(line.split()[:3] == ["lines", "enabled", "*.txt"] for line in lines)
    assert any(line.split()[:2] == ["wsjf", "enabled"] for line in lines)
    assert run(capsys, cfg, "converters", "disable", "CSV")[0] == 0
    assert json.loads(cfg.read_text())["disabled_converters"] == ["csv"]
    assert any(
        line.split()[:2] == ["csv", "disabled"] for line in run(capsys, cfg, "converters", "list")[1].splitlines()
    )
    assert run(capsys, cfg, "converters", "enable", "csv")[0] == 0
    assert json.loads(cfg.read_text())["disabled_converters"] == []
    code, _, err = run(capsys, cfg, "converters", "enable", "nope")
    assert code == 1 and "no converter named 'nope'; known: csv, lines, wsjf" in err


def test_settings_valid_alone_but_not_together_are_refused_before_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "c.json"
    init(capsys, cfg)
    assert run(capsys, cfg, "config", "set", "retry_initial_delay", "90")[0] == 0
    code, _, err = run(capsys, cfg, "start")
    assert code == 1 and "retry_initial_delay (90 s) is longer than retry_max_delay (60 s)" in err
