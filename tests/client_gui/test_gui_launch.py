"""``pywats-client`` with no command, and the GUI's config-file rules (no window needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pywats_client.config import ConfigError
from pywats_client.gui.settings import GuiSettings, save_settings


def test_no_command_without_a_display_explains_the_headless_commands(tmp_path: Path) -> None:
    hidden = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    done = subprocess.run(
        [sys.executable, "-m", "pywats_client", "--config", str(tmp_path / "c.json")],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert done.returncode == 2
    assert "no display" in done.stderr and "pywats-client start --api" in done.stderr


def test_no_command_opens_the_window_where_qt_can(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pywats_client import cli, gui

    opened: list[Path | None] = []
    monkeypatch.setattr(gui, "run_gui", lambda path=None: opened.append(path) or 0)
    assert gui.gui_unavailable_reason() is None  # offscreen counts as a display
    assert cli.main(["--config", str(tmp_path / "c.json")]) == 0
    assert opened == [tmp_path / "c.json"]


def test_save_settings_validates_everything_before_writing(tmp_path: Path) -> None:
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"server_url": "https://a.example.com", "api_token": "dXNlcjpwYXNzd29yZA==", "x": 1}))
    before = cfg.read_bytes()
    with pytest.raises(ConfigError, match="show_proxy_tab"):
        save_settings(cfg, {"station_name": "OK", "show_proxy_tab": "perhaps"})
    with pytest.raises(ConfigError, match="proxy_url"):
        save_settings(cfg, {"proxy_url": "proxy:port"})
    with pytest.raises(ConfigError, match="unknown configuration key"):
        save_settings(cfg, {"colour": "red"})
    assert cfg.read_bytes() == before

    save_settings(cfg, {"show_proxy_tab": "false", "proxy_url": "http://proxy:8080", "server_url": "https://b.example.com"})
    doc = json.loads(cfg.read_text())
    assert doc["show_proxy_tab"] is False and doc["proxy_url"] == "http://proxy:8080" and doc["x"] == 1
    assert doc["service_address"] == "https://b.example.com" and "server_url" not in doc  # alias written once
    settings = GuiSettings.load(cfg)
    assert not settings.tab_visible("show_proxy_tab") and settings.tab_visible("show_location_tab")


def test_a_bad_gui_value_in_the_file_falls_back_to_its_default(tmp_path: Path) -> None:
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"show_software_tab": "maybe", "sn_next_number": -3}))
    settings = GuiSettings.load(cfg)
    assert settings.tab_visible("show_software_tab") and settings["sn_next_number"] == 1


def test_no_command_opens_the_window_even_for_a_broken_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pywats_client import cli, gui

    opened: list[Path | None] = []
    monkeypatch.setattr(gui, "run_gui", lambda path=None: opened.append(path) or 0)
    for text in ('{"poll_interval": -1, "service_address": "ftp://nope"}', "{not json"):
        cfg = tmp_path / "config.json"
        cfg.write_text(text)
        assert cli.main(["--config", str(cfg)]) == 0  # the window shows what is wrong; nothing exits with 1
    assert opened == [tmp_path / "config.json"] * 2
