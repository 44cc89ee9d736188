"""Every JSON example of the GUI guide (``guides/gui_client.md``, read where it lives) opens as the guide says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import guide_examples
import pytest
from pytestqt.qtbot import QtBot

from pywats_client.gui.settings import TAB_KEYS
from pywats_client.gui.window import MainWindow


def _json_examples() -> list[tuple[str, str]]:
    path = guide_examples.guide("gui_client.md")
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    found, heading = [], ""
    for block in re.finditer(r"^(#+ [^\n]*)$|^```json\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        if block.group(1):
            heading = block.group(1).lstrip("#").strip()
        else:
            found.append((f"{heading} #{len(found) + 1}", block.group(2)))
    return found


EXAMPLES = _json_examples()


def test_the_guide_has_its_examples() -> None:
    guide_examples.require(guide_examples.guide("gui_client.md"), EXAMPLES)
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize(("name", "text"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_guide_example_opens_without_problems_and_shows_its_tabs(
    qtbot: QtBot, tmp_path: Path, name: str, text: str
) -> None:
    doc = json.loads(text)
    cfg = tmp_path / "config.json"
    cfg.write_text(text)
    window = MainWindow(cfg, poll_ms=60_000, tray=False)
    qtbot.addWidget(window)
    assert window.settings.problems == {} and window.banner.isHidden(), window.banner.text()
    expected = ["Setup", "General", "Connection"] + [title for key, title in TAB_KEYS.items() if doc.get(key, True)]
    assert window.tab_titles() == [*expected, "Queue", "Log"]
    if doc.get("instance_name"):
        assert doc["instance_name"] in window.windowTitle()
    if "log_level" in doc:
        assert window.log_level_combo.currentText() == doc["log_level"]
    for key in ("start_minimized", "minimize_to_tray", "auto_connect"):
        if key in doc:
            assert window.window_checks[key].isChecked() is doc[key]
