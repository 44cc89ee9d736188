"""GUI tests run on Qt's offscreen platform (no display needed); they skip only when PySide6 is missing."""

from __future__ import annotations

import os

import pytest

# before any QApplication exists: the offscreen platform renders into memory
os.environ["QT_QPA_PLATFORM"] = "offscreen"

pytest.importorskip("PySide6.QtWidgets", reason="PySide6 is not installed (pip install pywats-api[client])")
