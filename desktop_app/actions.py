"""The actions on selected jobs, shared by the toolbar, the Job menu, the context menu and the keyboard."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from desktop_app import icons
from desktop_app.delegates import CANCEL, EXPORT, OPEN_FOLDER, PAUSE, REMOVE, RESUME, RETRY, action_text
from desktop_app.engine import RETRYABLE
from jobs.states import JobState
from jobs.store.base import Job

JOB_ACTIONS = (EXPORT, OPEN_FOLDER, PAUSE, RESUME, CANCEL, RETRY, REMOVE)


def _shortcut(name: str) -> QKeySequence:
    """Built on demand: a QKeySequence from a standard key needs the application to exist."""
    if name == REMOVE:
        return QKeySequence(QKeySequence.StandardKey.Delete)
    return QKeySequence({EXPORT: "Ctrl+E", OPEN_FOLDER: "Ctrl+Shift+F", PAUSE: "Ctrl+P", RESUME: "Ctrl+Shift+P",
                         CANCEL: "Ctrl+K", RETRY: "Ctrl+R"}[name])


def applies(action: str, job: Job) -> bool:
    """Whether ``action`` does something for ``job`` (multi-select applies it to those where it does)."""
    state = job.state
    if action == EXPORT:
        return state.succeeded and any(o.lower().endswith(".parquet") for o in job.outputs)
    if action == OPEN_FOLDER:
        return True
    if action == PAUSE:
        return state == JobState.RUNNING
    if action == RESUME:
        return state == JobState.PAUSED
    if action == CANCEL:
        return state.is_active
    if action == RETRY:
        return state in RETRYABLE
    return True  # remove


class JobActions(QObject):
    """One QAction per job action, enabled by what the selection allows.

    Signals:
        triggered(str): the action's name.
    """

    triggered = Signal(str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.actions: dict[str, QAction] = {}
        for name in JOB_ACTIONS:
            action = QAction(icons.action_icon(name), action_text(name), parent)
            action.setShortcut(_shortcut(name))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setEnabled(False)
            action.triggered.connect(lambda _=False, n=name: self.triggered.emit(n))
            self.actions[name] = action

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def update_for(self, jobs: list[Job]) -> None:
        for name, action in self.actions.items():
            action.setEnabled(any(applies(name, j) for j in jobs))
