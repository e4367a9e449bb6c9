"""Painting of the job rows: status icon and label, progress bar with percent, per-row action buttons.

Everything is drawn with the application style and palette, so rows follow light and dark themes and
stay sharp at any device pixel ratio.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QHelpEvent, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from desktop_app import icons
from desktop_app.job_model import FRACTION_ROLE, JOB_ROLE
from jobs.states import JobState
from jobs.store.base import Job

Index = QModelIndex | QPersistentModelIndex

EXPORT, OPEN_FOLDER, PAUSE, RESUME, CANCEL, RETRY, REMOVE = (
    "export", "open-folder", "pause", "resume", "cancel", "retry", "remove",
)


def row_actions(state: JobState) -> tuple[str, ...]:
    """The buttons a row shows, by state (the context menu offers the same and more)."""
    if state == JobState.RUNNING:
        return PAUSE, CANCEL
    if state == JobState.PAUSED:
        return RESUME, CANCEL
    if state == JobState.QUEUED:
        return CANCEL, REMOVE
    if state.succeeded:
        return EXPORT, OPEN_FOLDER, REMOVE
    if state == JobState.INTERRUPTED:
        return CANCEL, REMOVE
    return RETRY, REMOVE  # failed, cancelled


_ACTION_TEXTS = {
    EXPORT: QT_TRANSLATE_NOOP("Actions", "Export Parquet…"),
    OPEN_FOLDER: QT_TRANSLATE_NOOP("Actions", "Open folder"),
    PAUSE: QT_TRANSLATE_NOOP("Actions", "Pause"),
    RESUME: QT_TRANSLATE_NOOP("Actions", "Resume"),
    CANCEL: QT_TRANSLATE_NOOP("Actions", "Cancel"),
    RETRY: QT_TRANSLATE_NOOP("Actions", "Retry"),
    REMOVE: QT_TRANSLATE_NOOP("Actions", "Remove"),
}


def action_text(name: str) -> str:
    return QCoreApplication.translate("Actions", _ACTION_TEXTS[name])


def _icon_name(action: str) -> str:
    return {EXPORT: "export", OPEN_FOLDER: "open-folder", PAUSE: "pause", RESUME: "resume", CANCEL: "cancel",
            RETRY: "retry", REMOVE: "remove"}[action]


class StatusDelegate(QStyledItemDelegate):
    """The state's icon (shape and colour) and its name; the default item painting does the rest."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.decorationSize = QSize(16, 16)


class ProgressDelegate(QStyledItemDelegate):
    """A native progress bar with the percent inside; empty for jobs that have not started."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        job: Job | None = index.data(JOB_ROLE)
        if job is None:
            return super().paint(painter, option, index)
        super().paint(painter, option, index)  # selection background, like every other cell (no text)
        if job.state == JobState.QUEUED or (job.state in (JobState.FAILED, JobState.CANCELLED) and not job.done):
            return
        fraction = float(index.data(FRACTION_ROLE) or 0.0)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(3, 4, -3, -4)
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.direction = option.direction
        bar.fontMetrics = option.fontMetrics
        bar.palette = QPalette(option.palette)
        bar.minimum = 0
        bar.maximum = 1000
        bar.progress = round(fraction * 1000)
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.text = f"{round(fraction * 100)} %"
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.text = ""  # the bar carries the percent


class ActionsDelegate(QStyledItemDelegate):
    """Small icon buttons per row (export, open folder, pause/resume, cancel, retry, remove).

    Signals:
        actionClicked(str, int): the action's name and the job id.
    """

    actionClicked = Signal(str, int)

    BUTTON = 24
    ICON = 16
    GAP = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hover: tuple[int, str] | None = None

    def _buttons(self, rect: QRect, job: Job) -> list[tuple[str, QRect]]:
        out: list[tuple[str, QRect]] = []
        x = rect.left() + 4
        y = rect.top() + (rect.height() - self.BUTTON) // 2
        for name in row_actions(job.state):
            out.append((name, QRect(x, y, self.BUTTON, self.BUTTON)))
            x += self.BUTTON + self.GAP
        return out

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(8 + 3 * (self.BUTTON + self.GAP), self.BUTTON + 4)

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.text = ""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        job: Job | None = index.data(JOB_ROLE)
        if job is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for name, rect in self._buttons(option.rect, job):
            if self._hover == (job.id, name):
                colour = option.palette.color(QPalette.ColorRole.Highlight)
                colour.setAlpha(60)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 4, 4)
            icon_rect = QRect(0, 0, self.ICON, self.ICON)
            icon_rect.moveCenter(rect.center())
            icons.action_icon(_icon_name(name)).paint(painter, icon_rect)
        painter.restore()

    def _hit(self, pos: QPoint, option: QStyleOptionViewItem, job: Job) -> str | None:
        for name, rect in self._buttons(option.rect, job):
            if rect.contains(pos):
                return name
        return None

    def editorEvent(self, event: QEvent, model: object, option: QStyleOptionViewItem, index: Index) -> bool:
        job: Job | None = index.data(JOB_ROLE)
        if job is None or not isinstance(event, QMouseEvent):
            return False
        hit = self._hit(event.position().toPoint(), option, job)
        if event.type() == QEvent.Type.MouseMove:
            hover = (job.id, hit) if hit else None
            if hover != self._hover:
                self._hover = hover
                view = option.widget
                if isinstance(view, QAbstractItemView):
                    view.viewport().update()
            return False
        if hit and event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            self.actionClicked.emit(hit, job.id)
            return True
        return bool(hit) and event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)

    def helpEvent(
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        job: Job | None = index.data(JOB_ROLE)
        if job is not None and event.type() == QEvent.Type.ToolTip:
            hit = self._hit(event.pos(), option, job)
            if hit:
                QToolTip.showText(event.globalPos(), action_text(hit), view)
                return True
        return super().helpEvent(event, view, option, index)

    def leave(self) -> None:
        self._hover = None
