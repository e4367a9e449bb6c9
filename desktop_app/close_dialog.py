"""Closing the window while jobs run: keep processing in the background, or stop and resume next time."""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


class CloseChoice(enum.Enum):
    BACKGROUND = "background"
    STOP = "stop"
    CANCEL = "cancel"


def ask_close(parent: QWidget) -> CloseChoice:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("CloseDialog", "Jobs are still running"))
    box.setText(QCoreApplication.translate("CloseDialog", "Some jobs have not finished yet."))
    box.setInformativeText(QCoreApplication.translate(
        "CloseDialog",
        "Keep processing them in the background, or stop now and resume them the next time Parqueue starts?"))
    background = box.addButton(QCoreApplication.translate("CloseDialog", "Keep processing in background"),
                               QMessageBox.ButtonRole.AcceptRole)
    stop = box.addButton(QCoreApplication.translate("CloseDialog", "Stop, resume next time"),
                         QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(background)
    box.exec()
    clicked = box.clickedButton()
    if clicked is background:
        return CloseChoice.BACKGROUND
    if clicked is stop:
        return CloseChoice.STOP
    return CloseChoice.CANCEL
