"""The job list's view: fixed-height rows, the painting delegates, and the selected jobs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_app.delegates import ActionsDelegate, ProgressDelegate, StatusDelegate
from desktop_app.formatting import state_label
from desktop_app.job_model import (
    COL_ACTIONS,
    COL_NAME,
    COL_PROGRESS,
    COL_RATE,
    COL_SIZE,
    COL_STATUS,
    COL_TIME,
    JobTableModel,
)
from jobs.states import JobState
from jobs.store.base import Job


class JobView(QTableView):
    """One row per job; keyboard and multi-selection work as in any table.

    The row buttons' clicks come from :attr:`actions_delegate` (``actionClicked(str, int)``).

    Signals:
        removeRequested(): Delete (or Backspace) was pressed in the list.
    """

    removeRequested = Signal()

    def __init__(self, model: JobTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.job_model = model
        self.setObjectName("jobView")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setMouseTracking(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring with 10,000 rows
        vh.setDefaultSectionSize(max(28, self.fontMetrics().height() + 12))
        hh = self.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().horizontalAdvance("M")
        for col, width in ((COL_SIZE, 7), (COL_STATUS, 14), (COL_PROGRESS, 10), (COL_RATE, 8), (COL_TIME, 8)):
            self.setColumnWidth(col, width * em)
        # Room for the longest state in this language beside its icon ("Completed with warnings" was cut).
        longest = max(self.fontMetrics().horizontalAdvance(state_label(s)) for s in JobState)
        self.setColumnWidth(COL_STATUS, max(14 * em, longest + self.fontMetrics().height() + 3 * em // 2))
        self.status_delegate = StatusDelegate(self)
        self.progress_delegate = ProgressDelegate(self)
        self.actions_delegate = ActionsDelegate(self)
        self.setItemDelegateForColumn(COL_STATUS, self.status_delegate)
        self.setItemDelegateForColumn(COL_PROGRESS, self.progress_delegate)
        self.setItemDelegateForColumn(COL_ACTIONS, self.actions_delegate)
        self.setColumnWidth(COL_ACTIONS, 3 * (ActionsDelegate.BUTTON + ActionsDelegate.GAP) + 10)
        hh.setSectionResizeMode(COL_ACTIONS, QHeaderView.ResizeMode.Fixed)

    def selected_jobs(self) -> list[Job]:
        model = self.job_model
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        return [job for job in (model.job(r) for r in rows) if job is not None]

    def current_job(self) -> Job | None:
        index = self.currentIndex()
        return self.job_model.job(index.row()) if index.isValid() else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace:
            self.removeRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.actions_delegate.leave()
        self.viewport().update()
        super().leaveEvent(event)
