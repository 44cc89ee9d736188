"""One key table for the CLI and the GUI: every key the GUI and the guides name is known and validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pywats_client.cli import main
from pywats_client.config import GUI_ONLY_KEYS, KEYS, ClientConfig, ConfigError
from pywats_client.gui.settings import TAB_KEYS, save_settings

TOKEN = "dXNlcjpzZWNyZXRwYXNzd29yZA=="

# every key gui_client.md and headless_client.md name, and what `config set` should store for a typed value
GUIDE_KEYS = {
    "show_location_tab": ("false", False),
    "show_converters_tab": ("no", False),
    "show_sn_handler_tab": ("0", False),
    "show_proxy_tab": ("off", False),
    "show_software_tab": ("true", True),
    "log_level": ("debug", "DEBUG"),
    "log_file": ("/var/log/pywats_client.log", "/var/log/pywats_client.log"),  # relative: test_paths.py
    "instance_id": ("abc123", "abc123"),
    "instance_name": ("Production Test Station", "Production Test Station"),
    "start_minimized": ("yes", True),
    "minimize_to_tray": ("false", False),
    "auto_connect": ("false", False),
    "station_name": ("MY-STATION", "MY-STATION"),
    "server_url": ("https://wats.example.com/", "https://wats.example.com"),
    # the GUI's own tabs
    "proxy_mode": ("Manual", "manual"),
    "proxy_url": ("http://proxy.example.com:8080/", "http://proxy.example.com:8080"),
    "sn_handler_mode": ("auto_increment", "auto_increment"),
    "sn_prefix": ("SN-", "SN-"),
    "sn_next_number": ("42", 42),
    "software_auto_update": ("true", True),
    "software_folder": ("/opt/packages", "/opt/packages"),
}

BAD = {
    "show_proxy_tab": ("perhaps", "must be true or false"),
    "proxy_mode": ("auto", "must be one of system, none, manual"),
    "proxy_url": ("proxy:port", "proxy URL"),
    "sn_handler_mode": ("random", "must be one of manual, auto_increment"),
    "sn_next_number": ("-1", "0 or more"),
    "start_minimized": ("sometimes", "must be true or false"),
}


def _run(capsys: pytest.CaptureFixture[str], cfg: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(cfg), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_config_set_accepts_every_key_the_gui_and_the_guides_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.json"
    for key, (typed, stored) in GUIDE_KEYS.items():
        code, out, err = _run(capsys, cfg, "config", "set", key, typed)
        assert code == 0, f"{key}: {err}"
        code, out, _ = _run(capsys, cfg, "config", "get", key)
        assert code == 0
        shown = ("true" if stored else "false") if isinstance(stored, bool) else str(stored)
        assert out.strip() == shown, key
    doc = json.loads(cfg.read_text())
    for key, (_, stored) in GUIDE_KEYS.items():
        assert doc["service_address" if key == "server_url" else key] == stored
    assert set(TAB_KEYS) <= GUI_ONLY_KEYS and "proxy_mode" not in GUI_ONLY_KEYS  # the service honours the proxy


def test_config_set_refuses_bad_values_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "config.json"
    assert _run(capsys, cfg, "config", "set", "station_name", "KEEP")[0] == 0
    before = cfg.read_bytes()
    for key, (typed, why) in BAD.items():
        code, _, err = _run(capsys, cfg, "config", "set", key, typed)
        assert code == 1 and key in err and why in err, (key, err)
    code, _, err = _run(capsys, cfg, "config", "set", "show_colour_tab", "true")
    assert code == 1 and "unknown configuration key" in err and "show_proxy_tab" in err  # the known keys listed
    assert cfg.read_bytes() == before


def test_config_keys_lists_the_whole_table_with_who_reads_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "keys"]) == 0
    lines = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()}
    assert set(lines) == set(KEYS)
    assert lines["show_software_tab"] == "gui" and lines["proxy_url"] == "service" and lines["log_level"] == "service"


def test_gui_and_cli_share_the_rules(tmp_path: Path) -> None:
    cfg = tmp_path / "config.json"
    for key, (typed, why) in BAD.items():
        with pytest.raises(ConfigError, match=why):
            save_settings(cfg, {key: typed})
    assert not cfg.exists()
    assert save_settings(cfg, {"sn_next_number": "7", "proxy_mode": "NONE"}) == {
        "sn_next_number": 7,
        "proxy_mode": "none",
    }
    config = ClientConfig.load(cfg)
    assert config["sn_next_number"] == 7 and config["proxy_mode"] == "none"


def test_a_bad_gui_only_value_warns_and_is_kept_but_a_bad_service_value_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"show_software_tab": "maybe", "start_minimized": "sometimes", "station_name": "S"}))
    config = ClientConfig.load(cfg)
    assert config["show_software_tab"] is True and config["start_minimized"] is False
    assert any("show_software_tab" in w for w in config.warnings)

    code, _, err = _run(capsys, cfg, "config", "set", "station_name", "T")
    assert code == 0 and "warning:" in err and "start_minimized" in err
    doc = json.loads(cfg.read_text())
    assert doc["show_software_tab"] == "maybe" and doc["start_minimized"] == "sometimes"  # the typo is not lost
    assert _run(capsys, cfg, "config", "set", "start_minimized", "yes")[0] == 0
    assert json.loads(cfg.read_text())["start_minimized"] is True

    cfg.write_text(json.dumps({"proxy_mode": "sometimes"}))
    with pytest.raises(ConfigError, match="proxy_mode"):
        ClientConfig.load(cfg)


def test_start_refuses_a_manual_proxy_without_a_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "config.json"
    code, _, err = _run(capsys, cfg, "config", "init", "--non-interactive", "--server-url", "http://127.0.0.1:9",
                        "--api-token", TOKEN, "--station-name", "P")  # fmt: skip
    assert code == 0, err
    assert _run(capsys, cfg, "config", "set", "proxy_mode", "manual")[0] == 0
    code, _, err = _run(capsys, cfg, "start")
    assert code == 1 and "proxy_url is empty" in err
    assert not (tmp_path / "pywats_client.pid").exists()


def test_config_set_repairs_a_bad_service_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"poll_interval": "fast", "timeout": -5, "station_name": "S"}))
    code, out, err = _run(capsys, cfg, "config", "set", "poll_interval", "0.5")
    assert code == 0 and "poll_interval = 0.5" in out and "timeout" in err  # the other problem is still named
    doc = json.loads(cfg.read_text())
    assert doc["poll_interval"] == 0.5 and doc["timeout"] == -5  # nothing else changed or lost
    with pytest.raises(ConfigError, match="timeout"):
        ClientConfig.load(cfg)  # the service still refuses the file until timeout is fixed too
