"""The Preview tab: a table's first rows, a text's start or the picture, read from the source file at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QStackedWidget, QVBoxLayout, QWidget

from desktop_app.details.grid_model import GridView
from desktop_app.details.loaders import PreviewData, load_preview
from desktop_app.threads import run_in_background


class _ImageLabel(QLabel):
    """Shows a picture scaled to fit, sharp on high-DPI screens."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(QSize(64, 64))
        self._pixmap: QPixmap | None = None

    def set_picture(self, pixmap: QPixmap | None) -> None:
        self._pixmap = pixmap
        self._rescale()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is None or self._pixmap.isNull():
            self.clear()
            return
        dpr = self.devicePixelRatioF()
        target = self.size() * dpr
        if self._pixmap.width() > target.width() or self._pixmap.height() > target.height():
            scaled = self._pixmap.scaled(target, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation)
        else:
            scaled = QPixmap(self._pixmap)
        scaled.setDevicePixelRatio(dpr)
        self.setPixmap(scaled)


class PreviewTab(QWidget):
    """Loads previews in the background; a newer request makes older results obsolete."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.grid = GridView()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.image = _ImageLabel()
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        for w in (self.message, self.grid, self.text, self.image):
            self.stack.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.info)
        layout.addWidget(self.stack, 1)
        self._source: Path | None = None
        self.loaded: PreviewData | None = None

    def show_source(self, source: Path | None) -> None:
        if source == self._source:
            return
        self._source = source
        self.loaded = None
        self.info.clear()
        if source is None:
            self._message(self.tr("Select a job to see its file."))
            return
        self._message(self.tr("Loading preview…"))
        run_in_background(lambda: load_preview(source), lambda r, e: self._loaded(source, r, e), self)

    def _message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _loaded(self, source: Path, data: PreviewData | None, error: BaseException | None) -> None:
        if source != self._source:
            return  # the user moved on
        if error is not None or data is None:
            self._message(self.tr("No preview: {0}").format(error))
            return
        self.loaded = data
        p = data.preview
        notes: list[str] = []
        if p.encoding:
            notes.append(self.tr("Encoding: {0}").format(p.encoding))
        if p.truncated:
            notes.append(self.tr("showing the start only"))
        if p.message and p.kind != "none":
            notes.append(p.message)
        self.info.setText(" · ".join(notes))
        if data.grid is not None:
            self.grid.set_grid(data.grid)
            self.stack.setCurrentWidget(self.grid)
        elif p.text is not None:
            self.text.setPlainText(p.text)
            self.stack.setCurrentWidget(self.text)
        elif data.image is not None:
            self.image.set_picture(QPixmap.fromImage(data.image))
            self.stack.setCurrentWidget(self.image)
            self.info.setText(self.tr("{0} × {1} preview").format(data.image.width(), data.image.height()))
        else:
            self._message(p.message or self.tr("No preview for this file."))
