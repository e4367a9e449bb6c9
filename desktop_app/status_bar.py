"""The status bar's summary: jobs per state, workers busy/total, throughput and time left for the queue."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop_app import icons
from desktop_app.formatting import human_duration, human_size, state_label
from jobs.states import JobState
from jobs.store.base import Job

ORDER = (
    JobState.RUNNING, JobState.PAUSED, JobState.QUEUED, JobState.INTERRUPTED, JobState.COMPLETED,
    JobState.COMPLETED_WITH_WARNINGS, JobState.FAILED, JobState.CANCELLED,
)


def queue_eta(active: list[Job]) -> tuple[float, float | None]:
    """(bytes per second now, seconds left for every active job) from bytes still to read and the rate."""
    rate = sum(j.rate for j in active if j.state == JobState.RUNNING and j.unit == "bytes")
    remaining = sum(max(0, (j.total or j.size or 0) - j.done) for j in active)
    if rate <= 0:
        return 0.0, None
    return rate, remaining / rate


class StatusSummary(QWidget):
    """Icons with counts per state, then workers, throughput and time left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self._counts: dict[JobState, tuple[QLabel, QLabel]] = {}
        for state in ORDER:
            icon = QLabel()
            icon.setPixmap(icons.status_icon(state).pixmap(QSize(14, 14), self.devicePixelRatioF()))
            number = QLabel("0")
            for w in (icon, number):
                w.setToolTip(state_label(state))
                w.hide()
                layout.addWidget(w)
            layout.setSpacing(4)
            self._counts[state] = (icon, number)
        self.workers = QLabel()
        self._busy = self._holding = 0
        self._workers_total: int | None = None  # not polled yet: nothing shown
        self.throughput = QLabel()
        self.eta = QLabel()
        for w in (self.workers, self.throughput, self.eta):
            layout.addSpacing(10)
            layout.addWidget(w)

    def set_counts(self, counts: dict[JobState, int]) -> None:
        # A running or paused job holds a worker: the job list knows at once, the workers' heartbeats within
        # a second or two (a short job could show "Workers 0/2" beside its running row).
        self._holding = counts.get(JobState.RUNNING, 0) + counts.get(JobState.PAUSED, 0)
        self._show_workers()
        for state, (icon, number) in self._counts.items():
            n = counts.get(state, 0)
            number.setText(str(n))
            number.setAccessibleName(f"{state_label(state)}: {n}")
            icon.setVisible(n > 0)
            number.setVisible(n > 0)

    def count_text(self, state: JobState) -> str:
        return self._counts[state][1].text()

    def set_workers(self, busy: int, total: int) -> None:
        self._busy, self._workers_total = busy, total
        self._show_workers()

    def _show_workers(self) -> None:
        total = self._workers_total
        if total is None:
            return
        busy = min(total, max(self._busy, self._holding))
        self.workers.setText(self.tr("Workers {0}/{1}").format(busy, total))

    def set_progress(self, rate: float, seconds_left: float | None) -> None:
        self.throughput.setText(f"{human_size(rate)}/s" if rate > 0 else "")
        self.eta.setText(self.tr("{0} left").format(human_duration(seconds_left)) if seconds_left else "")
