"""The job list: a table model over the jobs the watcher announces, one row per job, oldest first.

Changes are collected as they are announced and applied at most every ``FLUSH_MS``: new jobs are
inserted in one block, removed ones taken out, and ``dataChanged`` is emitted for the changed rows only
(one signal per run of adjacent rows), the way qutebrowser's download model refreshes.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from desktop_app import icons
from desktop_app.formatting import human_duration, human_rate, human_size, kind_label, state_label
from jobs.states import JobState
from jobs.store.base import Job

COL_NAME = 0
COL_SIZE = 1
COL_STATUS = 2
COL_PROGRESS = 3
COL_RATE = 4
COL_TIME = 5
COL_ACTIONS = 6
COLUMN_COUNT = 7

JOB_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
FRACTION_ROLE = Qt.ItemDataRole.UserRole + 3
SORT_ROLE = Qt.ItemDataRole.UserRole + 4

FLUSH_MS = 100

Index = QModelIndex | QPersistentModelIndex


_HEADERS = (
    QT_TRANSLATE_NOOP("JobTableModel", "File"),
    QT_TRANSLATE_NOOP("JobTableModel", "Size"),
    QT_TRANSLATE_NOOP("JobTableModel", "Status"),
    QT_TRANSLATE_NOOP("JobTableModel", "Progress"),
    QT_TRANSLATE_NOOP("JobTableModel", "Speed"),
    QT_TRANSLATE_NOOP("JobTableModel", "Time"),
    QT_TRANSLATE_NOOP("JobTableModel", "Actions"),
)


def _headers() -> list[str]:
    return [QCoreApplication.translate("JobTableModel", h) for h in _HEADERS]


def time_text(job: Job) -> str:
    """Time left while running, time taken once finished."""
    if job.state == JobState.RUNNING:
        eta = job.eta_seconds
        return QCoreApplication.translate("JobTableModel", "{0} left").format(human_duration(eta)) if eta else ""
    seconds = job.metrics.get("seconds") if job.state.is_final else None
    if seconds is None and job.state.is_final:
        seconds = job.seconds
    return human_duration(seconds) if seconds is not None else ""


class JobTableModel(QAbstractTableModel):
    """Rows of jobs, updated from :class:`~desktop_app.job_watcher.JobWatcher` signals.

    Signals:
        flushed(): pending changes were applied (tests and the status bar wait on it).
    """

    flushed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []
        self._row_of: dict[int, int] = {}
        self._active: set[int] = set()
        self._new: dict[int, Job] = {}
        self._changed: dict[int, Job] = {}
        self._removed: set[int] = set()
        self._headers = _headers()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        self.last_flush_seconds = 0.0

    # -- feeding ------------------------------------------------------------------------------------

    @Slot(object)
    def upsert(self, job: Job) -> None:
        if job.id in self._row_of:
            self._changed[job.id] = job
        else:
            self._new[job.id] = job
        self._removed.discard(job.id)
        if not self._timer.isActive():
            self._timer.start()

    @Slot(object, object)
    def apply_batch(self, changed: list[Job], removed: list[int]) -> None:
        """A slice of the watcher's changes, taken in one call (see :mod:`desktop_app.job_watcher`)."""
        row_of, new, updated = self._row_of, self._new, self._changed
        for job in changed:
            if job.id in row_of:
                updated[job.id] = job
            else:
                new[job.id] = job
        if self._removed:
            self._removed.difference_update(j.id for j in changed)
        for job_id in removed:
            self.drop(job_id)
        if (changed or removed) and not self._timer.isActive():
            self._timer.start()

    @Slot(int)
    def drop(self, job_id: int) -> None:
        self._new.pop(job_id, None)
        self._changed.pop(job_id, None)
        if job_id in self._row_of:
            self._removed.add(job_id)
            if not self._timer.isActive():
                self._timer.start()

    @Slot()
    def flush(self) -> None:
        started = time.perf_counter()
        self._timer.stop()
        if self._removed:
            self._apply_removals()
        if self._changed:
            self._apply_changes()
        if self._new:
            self._apply_new()
        self.last_flush_seconds = time.perf_counter() - started
        self.flushed.emit()

    def _apply_removals(self) -> None:
        rows = sorted((self._row_of[i] for i in self._removed if i in self._row_of), reverse=True)
        self._removed.clear()
        # Remove runs of adjacent rows bottom-up, so the rows still to remove keep their numbers.
        i = 0
        while i < len(rows):
            last = first = rows[i]
            while i + 1 < len(rows) and rows[i + 1] == first - 1:
                i += 1
                first = rows[i]
            self.beginRemoveRows(QModelIndex(), first, last)
            for job in self._jobs[first:last + 1]:
                self._active.discard(job.id)
            del self._jobs[first:last + 1]
            self.endRemoveRows()
            i += 1
        self._row_of = {job.id: row for row, job in enumerate(self._jobs)}

    def _apply_changes(self) -> None:
        rows: list[int] = []
        for job_id, job in self._changed.items():
            row = self._row_of.get(job_id)
            if row is None:
                continue
            self._jobs[row] = job
            self._track(job)
            rows.append(row)
        self._changed.clear()
        rows.sort()
        last_col = COLUMN_COUNT - 1
        i = 0
        while i < len(rows):
            first = last = rows[i]
            while i + 1 < len(rows) and rows[i + 1] == last + 1:
                i += 1
                last = rows[i]
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_col))
            i += 1

    def _apply_new(self) -> None:
        jobs = sorted(self._new.values(), key=lambda j: j.id)
        self._new.clear()
        first = len(self._jobs)
        self.beginInsertRows(QModelIndex(), first, first + len(jobs) - 1)
        for offset, job in enumerate(jobs):
            self._jobs.append(job)
            self._row_of[job.id] = first + offset
            self._track(job)
        self.endInsertRows()

    def _track(self, job: Job) -> None:
        if job.state.is_active:
            self._active.add(job.id)
        else:
            self._active.discard(job.id)

    # -- reading ------------------------------------------------------------------------------------

    def job(self, row: int) -> Job | None:
        return self._jobs[row] if 0 <= row < len(self._jobs) else None

    def job_by_id(self, job_id: int) -> Job | None:
        row = self._row_of.get(job_id)
        return self._jobs[row] if row is not None else None

    def row_of(self, job_id: int) -> int | None:
        return self._row_of.get(job_id)

    def jobs(self) -> list[Job]:
        return list(self._jobs)

    def active_jobs(self) -> list[Job]:
        """Queued, running, paused or interrupted jobs, without walking every row."""
        return [self._jobs[self._row_of[i]] for i in self._active if i in self._row_of]

    @property
    def pending(self) -> bool:
        return bool(self._new or self._changed or self._removed)

    # -- QAbstractTableModel ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job = self._jobs[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(job, col)
        if role == Qt.ItemDataRole.DecorationRole:
            if col == COL_NAME:
                return icons.kind_icon(job.kind)
            if col == COL_STATUS:
                return icons.status_icon(job.state)
            return None
        if role == JOB_ROLE:
            return job
        if role == STATE_ROLE:
            return job.state
        if role == FRACTION_ROLE:
            return job.fraction
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(job, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_SIZE, COL_RATE, COL_TIME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(job, col) or state_label(job.state)
        return None

    def _display(self, job: Job, col: int) -> str:
        if col == COL_NAME:
            return job.name
        if col == COL_SIZE:
            return human_size(job.size)
        if col == COL_STATUS:
            return state_label(job.state)
        if col == COL_PROGRESS:
            return f"{round(job.fraction * 100)} %"
        if col == COL_RATE:
            return human_rate(job.rate, job.unit) if job.state == JobState.RUNNING else ""
        if col == COL_TIME:
            return time_text(job)
        return ""

    def _tooltip(self, job: Job, col: int) -> str:
        if col == COL_NAME:
            return f"{job.path}\n{kind_label(job.kind)}"
        if col == COL_STATUS:
            lines = [state_label(job.state)]
            if job.error:
                lines.append(job.error)
            if job.warnings:
                lines.extend(job.warnings[:5])
            if job.attempt > 1:
                lines.append(QCoreApplication.translate("JobTableModel", "Attempt {0}").format(job.attempt))
            return "\n".join(lines)
        return ""
