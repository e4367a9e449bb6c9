"""When a batch of jobs finishes: a system notification (tray), or a status-bar message where no tray exists.

:class:`BatchTracker` turns the watcher's counts into batch progress (for the window title) and a
"batch finished" event with the counts of that batch; :class:`Notifier` tells the user.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from desktop_app import icons
from desktop_app.formatting import state_label
from jobs.states import ACTIVE_STATES, FINAL_STATES, JobState

log = logging.getLogger(__name__)


class BatchTracker(QObject):
    """Follows job counts; a batch starts when work appears and ends when nothing is left to do.

    Signals:
        progressChanged(int, int): jobs finished in this batch, jobs in this batch (0, 0 when idle).
        batchFinished(object): jobs per final state that this batch ended in (``dict[JobState, int]``).
    """

    progressChanged = Signal(int, int)
    batchFinished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._baseline: dict[JobState, int] | None = None

    @property
    def running(self) -> bool:
        return self._baseline is not None

    @Slot(object)
    def update_counts(self, counts: dict[JobState, int]) -> None:
        active = sum(n for s, n in counts.items() if s in ACTIVE_STATES)
        finals = {s: counts.get(s, 0) for s in FINAL_STATES}
        if self._baseline is None:
            if active == 0:
                return
            self._baseline = dict(finals)
        base = self._baseline
        for state, n in finals.items():
            base[state] = min(base[state], n)  # "Clear finished" removed some: keep the diff honest
        ended = {s: finals[s] - base[s] for s in FINAL_STATES if finals[s] - base[s] > 0}
        done = sum(ended.values())
        if active:
            self.progressChanged.emit(done, done + active)
            return
        self._baseline = None
        self.progressChanged.emit(0, 0)
        if done:
            self.batchFinished.emit(ended)


def batch_message(ended: dict[JobState, int]) -> str:
    order = (JobState.COMPLETED, JobState.COMPLETED_WITH_WARNINGS, JobState.FAILED, JobState.CANCELLED)
    return ", ".join(f"{ended[s]} {state_label(s).lower()}" for s in order if ended.get(s))


class Notifier(QObject):
    """Shows notifications through the system tray, or falls back to the window when there is none.

    Signals:
        fallback(str): no tray is available; the window shows this message itself.
    """

    fallback = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._tray: QSystemTrayIcon | None = None
        self.last_message: str | None = None

    @property
    def tray_available(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()

    def _ensure_tray(self) -> QSystemTrayIcon:
        if self._tray is None:
            self._tray = QSystemTrayIcon(icons.app_icon(), self)
            self._tray.setToolTip("Parqueue")
            self._tray.activated.connect(self._raise_window)
            self._tray.messageClicked.connect(self._raise_window)
            self._tray.show()
        return self._tray

    @Slot()
    def _raise_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def notify(self, title: str, message: str) -> None:
        self.last_message = f"{title}: {message}"
        log.info("notification: %s", self.last_message)
        if self.tray_available:
            self._ensure_tray().showMessage(title, message, icons.app_icon(), 8000)
        else:
            self.fallback.emit(self.last_message)
        QApplication.alert(self._window)

    def hide(self) -> None:
        if self._tray is not None:
            self._tray.hide()
