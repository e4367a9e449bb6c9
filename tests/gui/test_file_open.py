"""Files handed over by the OS (macOS Dock drops) reach the queue like any drop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFileOpenEvent
from pytestqt.qtbot import QtBot

from desktop_app.file_open import FileOpenFilter


def test_a_file_open_event_becomes_a_signal_with_the_path(qtbot: QtBot, tmp_path: Path) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    opener = FileOpenFilter()
    app.installEventFilter(opener)
    try:
        target = tmp_path / "dropped on dock.csv"
        target.write_text("a\n1\n")
        with qtbot.waitSignal(opener.files_opened, timeout=2000) as blocker:
            QCoreApplication.sendEvent(app, QFileOpenEvent(str(target)))
        assert blocker.args == [[target]]
    finally:
        app.removeEventFilter(opener)
