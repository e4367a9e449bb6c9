"""Icons from ``resources/icons``: SVG, so they stay crisp at any scale factor.

Status and kind icons keep their own colours (Okabe-Ito: distinct for colour-blind eyes, and each state
also has its own shape). Action icons are monochrome templates drawn in the palette's text colour, so they
follow the light or dark system palette.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from jobs import paths
from jobs.states import JobState

_TEMPLATE_COLOUR = "#000000"


def _icon_path(*parts: str) -> str:
    return str(paths.resource("icons", *parts))


class SvgIconEngine(QIconEngine):
    """Renders SVG data at whatever size and device pixel ratio Qt asks for."""

    def __init__(self, data: bytes, disabled_opacity: float = 0.4) -> None:
        super().__init__()
        self._data = data
        self._disabled_opacity = disabled_opacity
        self._renderer = QSvgRenderer(QByteArray(data))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(painter.opacity() * self._disabled_opacity)
        self._renderer.render(painter, rect)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        pixmap = QPixmap(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), pixmap.size()), mode, state)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._data, self._disabled_opacity)


@functools.cache
def status_icon(state: JobState) -> QIcon:
    return QIcon(_icon_path("status", f"{state.value}.svg"))


@functools.cache
def kind_icon(kind: str) -> QIcon:
    name = kind if kind in ("table", "text", "image") else "unknown"
    return QIcon(_icon_path("kind", f"{name}.svg"))


@functools.cache
def app_icon() -> QIcon:
    return QIcon(_icon_path("parqueue.svg"))


def _text_colour() -> QColor:
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


@functools.cache
def _action_icon(name: str, colour: str) -> QIcon:
    with open(_icon_path("actions", f"{name}.svg"), "rb") as fh:
        data = fh.read().replace(_TEMPLATE_COLOUR.encode(), colour.encode())
    return QIcon(SvgIconEngine(data))


def action_icon(name: str) -> QIcon:
    """A monochrome action icon in the current palette's text colour."""
    return _action_icon(name, _text_colour().name())
