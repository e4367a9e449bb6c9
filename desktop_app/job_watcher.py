"""The one object that reads the job store for the window.

A poller on its own thread asks the store "what changed since counter N?" on a timer (nearly free when
nothing changed) and hands the changed jobs to the GUI thread in one queued signal. There the watcher
announces them a slice at a time within a small time budget, so even a first load of 10,000 jobs never
holds the event loop for long.

Every ``emit()`` from Python releases the GIL, and while another thread of this process runs Python the
GUI thread then waits up to a switch interval to get it back. So the model takes each slice in one
``jobsChanged`` signal; the per-job ``jobChanged``/``jobRemoved`` signals are emitted only while something
is connected to them.
"""

from __future__ import annotations

import collections
import logging
import time

from PySide6.QtCore import QMetaMethod, QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot

from jobs.states import JobState
from jobs.store.base import Job, WorkerInfo
from jobs.store.sqlite import SqliteJobStore

log = logging.getLogger(__name__)

POLL_MS = 150
WORKERS_POLL_SECONDS = 1.0
SLICE_JOBS = 1000  # per event-loop iteration: a few milliseconds of model work


class _Poller(QObject):
    """Lives on the watcher's thread.

    Signals:
        polled(object, object, bool): changed jobs (list[Job]), counts per state, whether the queue is paused.
        workersPolled(object): the registered workers (list[WorkerInfo]).
    """

    polled = Signal(object, object, bool)
    workersPolled = Signal(object)

    def __init__(self, store: SqliteJobStore, interval_ms: int) -> None:
        super().__init__()
        self._store = store
        self._interval_ms = interval_ms
        self._seq = 0
        self._timer: QTimer | None = None
        self._next_workers = 0.0
        self._last_workers: list[tuple[str, int | None]] | None = None

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(self._interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @Slot()
    def poll(self) -> None:
        try:
            seq, jobs = self._store.changed_since(self._seq)
            if seq != self._seq:
                self._seq = seq
                self.polled.emit(jobs, self._store.counts(), self._store.queue_paused())
            now = time.monotonic()
            if now >= self._next_workers:
                self._next_workers = now + WORKERS_POLL_SECONDS
                workers = self._store.workers()
                key = [(w.id, w.job_id) for w in workers]
                if key != self._last_workers:
                    self._last_workers = key
                    self.workersPolled.emit(workers)
        except Exception:
            # A locked or briefly unavailable database: the next tick tries again.
            log.warning("reading the job store failed", exc_info=True)


class JobWatcher(QObject):
    """Reads what changed in the job store and tells the window, one signal per job.

    Signals:
        jobsChanged(object, object): a slice of changes: jobs added or changed (``list[Job]``), ids removed
            (``list[int]``).
        jobChanged(object): a job was added or changed (a :class:`jobs.store.base.Job`).
        jobRemoved(int): a job was removed from the list (its id).
        changesDelivered(): every job of a poll has been announced.
        countsChanged(object): jobs per state (``dict[JobState, int]``).
        queuePausedChanged(bool): the queue switch changed.
        workersChanged(int, int): workers busy, workers alive.
    """

    jobsChanged = Signal(object, object)
    jobChanged = Signal(object)
    jobRemoved = Signal(int)
    changesDelivered = Signal()
    countsChanged = Signal(object)
    queuePausedChanged = Signal(bool)
    workersChanged = Signal(int, int)

    def __init__(self, store: SqliteJobStore, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("parqueue-watcher")
        self._poller = _Poller(store, interval_ms)
        self._poller.moveToThread(self._thread)
        self._thread.started.connect(self._poller.start)
        self._poller.polled.connect(self._on_polled)
        self._poller.workersPolled.connect(self._on_workers)
        self._backlog: collections.deque[Job] = collections.deque()
        self._draining = False
        self.counts: dict[JobState, int] = {}
        self.queue_paused: bool | None = None
        self.workers: list[WorkerInfo] = []
        self.polls = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.isRunning():
            QMetaObject.invokeMethod(self._poller, "stop", Qt.ConnectionType.BlockingQueuedConnection)
            self._thread.quit()
            self._thread.wait(5000)

    @property
    def busy(self) -> bool:
        """Changes received but not yet announced."""
        return bool(self._backlog)

    @Slot(object, object, bool)
    def _on_polled(self, jobs: list[Job], counts: dict[JobState, int], queue_paused: bool) -> None:
        self.polls += 1
        self._backlog.extend(jobs)
        if counts != self.counts:
            self.counts = counts
            self.countsChanged.emit(counts)
        if queue_paused != self.queue_paused:
            self.queue_paused = queue_paused
            self.queuePausedChanged.emit(queue_paused)
        if not self._draining:
            self._drain()

    def _connected(self, signal: Signal) -> bool:
        return self.isSignalConnected(QMetaMethod.fromSignal(signal))

    @Slot()
    def _drain(self) -> None:
        """Announce jobs until the time budget is spent; the rest follows on the next loop iteration."""
        backlog = self._backlog
        changed: list[Job] = []
        removed: list[int] = []
        for _ in range(min(len(backlog), SLICE_JOBS)):
            job = backlog.popleft()
            if job.removed:
                removed.append(job.id)
            else:
                changed.append(job)
        self.jobsChanged.emit(changed, removed)
        if changed and self._connected(self.jobChanged):
            for job in changed:
                self.jobChanged.emit(job)
        if removed and self._connected(self.jobRemoved):
            for job_id in removed:
                self.jobRemoved.emit(job_id)
        if backlog:
            self._draining = True
            QTimer.singleShot(0, self._drain)
        else:
            self._draining = False
            self.changesDelivered.emit()

    @Slot(object)
    def _on_workers(self, workers: list[WorkerInfo]) -> None:
        self.workers = workers
        self.workersChanged.emit(sum(1 for w in workers if w.job_id is not None), len(workers))
