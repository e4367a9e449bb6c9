"""A dismissable banner at the top of the window: one notice for a whole drop, never one per file."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import icons


class DetailsDialog(QDialog):
    """A read-only, copyable list (for example the files a drop could not use)."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 420)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class NoticeBar(QFrame):
    """One line of news with an optional Details… button.

    Signals:
        dismissed(): the user closed the notice.
    """

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QPushButton(self.tr("Details…"))
        self.details_button.clicked.connect(self._show_details)
        close = QToolButton()
        close.setIcon(icons.action_icon("cancel"))
        close.setToolTip(self.tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self._dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.details_button)
        layout.addWidget(close)
        self._details = ""
        self._details_title = ""
        self.dialog: DetailsDialog | None = None
        self.hide()

    def show_notice(self, message: str, details: str = "", details_title: str = "") -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Window)
        tint = QColor("#E69F00")
        mixed = QColor(
            (base.red() * 4 + tint.red()) // 5, (base.green() * 4 + tint.green()) // 5,
            (base.blue() * 4 + tint.blue()) // 5,
        )
        palette.setColor(QPalette.ColorRole.Window, mixed)
        self.setPalette(palette)
        self.message.setText(message)
        self._details = details
        self._details_title = details_title or message
        self.details_button.setVisible(bool(details))
        self.show()

    def _show_details(self) -> None:
        self.dialog = DetailsDialog(self._details_title, self._details, self.window())
        self.dialog.open()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
