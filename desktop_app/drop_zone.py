"""The empty state (a large drop target with Add buttons) and the highlight shown while dragging files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_app import icons
from jobs.processors import registry


def paths_from_mime(mime: QMimeData) -> list[Path]:
    """Local files and folders carried by a drag (remote URLs and plain text are ignored)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def _paint_dashed_frame(widget: QWidget, painter: QPainter, emphasis: bool) -> None:
    palette = widget.palette()
    colour = palette.color(QPalette.ColorRole.Highlight if emphasis else QPalette.ColorRole.PlaceholderText)
    rect = QRectF(widget.rect()).adjusted(6, 6, -6, -6)
    if emphasis:
        fill = QColor(colour)
        fill.setAlpha(40)
        painter.setBrush(fill)
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
    pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
    pen.setDashPattern([4.0, 3.0])
    painter.setPen(pen)
    painter.drawRoundedRect(rect, 14, 14)


class DropZone(QWidget):
    """The window's empty state: "Drop files or folders here", Add files… and Add folder….

    Signals:
        addFilesRequested(): the Add files… button was pressed.
        addFolderRequested(): the Add folder… button was pressed.
    """

    addFilesRequested = Signal()
    addFolderRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self._active = False
        logo = QLabel()
        logo.setPixmap(icons.app_icon().pixmap(QSize(72, 72), self.devicePixelRatioF()))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self.tr("Drop files or folders here"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        kinds = ", ".join(sorted({ext.split(".")[1] for ext in registry.extensions()}))
        hint = QLabel(self.tr("CSV, Excel, text and images become typed Parquet.") + "\n" + kinds)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.add_files = QPushButton(icons.action_icon("add-files"), self.tr("Add files…"))
        self.add_folder = QPushButton(icons.action_icon("add-folder"), self.tr("Add folder…"))
        self.add_files.clicked.connect(self.addFilesRequested)
        self.add_folder.clicked.connect(self.addFolderRequested)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.add_files)
        buttons.addWidget(self.add_folder)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addStretch()
        layout.addWidget(logo)
        layout.addSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(hint)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_active(self, active: bool) -> None:
        if active != self._active:
            self._active = active
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _paint_dashed_frame(self, painter, self._active)


class DropHighlight(QWidget):
    """A translucent frame over the job list while files are dragged over the window."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.hide()

    def cover(self, target: QWidget) -> None:
        self.setGeometry(target.geometry())
        self.raise_()
        self.show()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _paint_dashed_frame(self, painter, True)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Drop to queue"))
