"""The window's handle on the engine: the job store, the queue and the worker pool.

Every change the user asks for (cancel, pause, retry, …) runs on one background thread in the order
asked, so a busy database never freezes the window; the result shows up through the
:class:`~desktop_app.job_watcher.JobWatcher` like any other change.
"""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop_app.scanner import ScanReport, ScanSignals, ScanTask
from desktop_app.settings import Settings
from desktop_app.threads import thread_pool
from jobs import paths
from jobs.launcher import detached_kwargs, self_command
from jobs.logsetup import log_file
from jobs.pool import WorkerPool
from jobs.queue import JobQueue
from jobs.states import ACTIVE_STATES, FINAL_STATES, JobState, TransitionError
from jobs.store import open_store
from jobs.submit import submit_files

log = logging.getLogger(__name__)

RETRYABLE = frozenset({JobState.FAILED, JobState.CANCELLED, JobState.INTERRUPTED})


class Engine(QObject):
    """Owns the store, the queue and the pool for the window.

    Signals:
        poolStarted(bool): the pool is up; True when this process owns it, False when another one does.
        scanStarted(): a drop or an Add is being expanded into jobs.
        scanProgress(int): jobs queued so far by the running scan.
        scanFinished(object): a :class:`~desktop_app.scanner.ScanReport`.
        actionFailed(str): a user action could not be done (the message says why).
    """

    poolStarted = Signal(bool)
    scanStarted = Signal()
    scanProgress = Signal(int)
    scanFinished = Signal(object)
    actionFailed = Signal(str)

    def __init__(self, settings: Settings, data_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.data_dir = data_dir or paths.data_dir()
        self.store = open_store(self.data_dir)
        self.queue = JobQueue(self.data_dir)
        self.pool = WorkerPool(
            self.data_dir, self.store, self.queue, settings.workers, log_file=log_file("workers.log")
        )
        self._actions = ThreadPoolExecutor(1, thread_name_prefix="parqueue-actions")
        self._scans: set[ScanSignals] = set()
        self._pool_thread: threading.Thread | None = None
        self._closed = False
        settings.workersChanged.connect(self.resize)

    # -- life cycle ---------------------------------------------------------------------------------

    def start_pool(self) -> None:
        """Start the workers in a thread (spawning processes and recovery must not delay the window)."""
        if self._pool_thread is not None:
            return

        def start() -> None:
            try:
                owner = self.pool.start()
            except Exception:
                log.exception("the worker pool did not start")
                self.actionFailed.emit(self.tr("The workers could not start; see the log for details."))
                return
            self.poolStarted.emit(owner)

        self._pool_thread = threading.Thread(target=start, name="parqueue-pool-start", daemon=True)
        self._pool_thread.start()

    def has_active_jobs(self) -> bool:
        return any(n for state, n in self.store.counts().items() if state in ACTIVE_STATES)

    def shutdown(self, keep_processing: bool = False) -> None:
        """Stop this window's workers; with ``keep_processing`` a headless ``serve`` takes over the queue.

        Running jobs become interrupted and are queued again, by the background process at once or by the
        next start of the window.
        """
        if self._closed:
            return
        self._closed = True
        if self._pool_thread is not None:
            self._pool_thread.join(timeout=10)
        self._actions.shutdown(wait=True)
        thread_pool().waitForDone(3000)
        if keep_processing and self.has_active_jobs():
            self.start_background_process()
        self.pool.stop()
        self.store.close()

    def start_background_process(self) -> subprocess.Popen[bytes] | None:
        cmd = self_command("serve", "--until-idle", "--workers", str(self.settings.workers))
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                **detached_kwargs(),
            )
        except OSError:
            log.exception("could not start the background process")
            return None
        log.info("background processing continues in pid %s", proc.pid)
        return proc

    # -- adding files ---------------------------------------------------------------------------------

    def add_paths(self, roots: Iterable[Path], options: dict[str, Any] | None = None) -> None:
        """Queue files and folders (recursively) in the background; returns at once."""
        roots = [Path(p) for p in roots]
        if not roots:
            return
        signals = ScanSignals(self)
        self._scans.add(signals)
        signals.progress.connect(self.scanProgress)
        signals.finished.connect(self._scan_finished)
        signals.failed.connect(self._scan_failed)
        opts = {**self.settings.job_options(), **(options or {})}
        self.scanStarted.emit()
        thread_pool().start(ScanTask(self.store, self.queue, roots, self.settings.output_dir, opts, signals))

    @property
    def scanning(self) -> bool:
        return bool(self._scans)

    @Slot(object)
    def _scan_finished(self, report: ScanReport) -> None:
        self._forget_scan()
        self.scanFinished.emit(report)

    @Slot(str)
    def _scan_failed(self, message: str) -> None:
        self._forget_scan()
        self.actionFailed.emit(self.tr("Some files could not be queued: {0}").format(message))

    def _forget_scan(self) -> None:
        sender = self.sender()
        if isinstance(sender, ScanSignals):
            self._scans.discard(sender)
            sender.deleteLater()

    # -- actions on jobs ------------------------------------------------------------------------------

    def _run(self, what: str, func: Callable[[], None]) -> Future[None]:
        def body() -> None:
            try:
                func()
            except Exception as exc:
                log.exception("%s failed", what)
                self.actionFailed.emit(f"{what}: {exc}")

        return self._actions.submit(body)

    def _each(self, what: str, ids: Iterable[int], step: Callable[[int], Any]) -> Future[None]:
        ids = list(ids)

        def body() -> None:
            for job_id in ids:
                try:
                    step(job_id)
                except (TransitionError, KeyError):
                    continue  # the job moved on meanwhile (finished, removed): nothing to do

        return self._run(what, body)

    def cancel(self, ids: Iterable[int]) -> Future[None]:
        return self._each("cancel", ids, self.store.request_cancel)

    def pause(self, ids: Iterable[int]) -> Future[None]:
        def step(job_id: int) -> None:
            job = self.store.get(job_id)
            if job is not None and job.state == JobState.RUNNING:
                self.store.transition(job_id, JobState.PAUSED)

        return self._each("pause", ids, step)

    def resume(self, ids: Iterable[int]) -> Future[None]:
        def step(job_id: int) -> None:
            job = self.store.get(job_id)
            if job is not None and job.state == JobState.PAUSED:
                self.store.transition(job_id, JobState.RUNNING)

        return self._each("resume", ids, step)

    def retry(self, ids: Iterable[int]) -> Future[None]:
        ids = list(ids)
        return self._run("retry", lambda: self._retry_now(ids))

    def _retry_now(self, ids: Iterable[int]) -> None:
        again: list[int] = []
        for job_id in ids:
            job = self.store.get(job_id)
            if job is None or job.state not in RETRYABLE:
                continue
            try:
                self.store.requeue(job_id, retry=True)
            except TransitionError:
                continue
            again.append(job_id)
        self.queue.submit(again)

    def remove(self, ids: Iterable[int]) -> Future[None]:
        ids = list(ids)
        return self._run("remove", lambda: self.store.remove(ids))

    def rerun(self, job_id: int, options: dict[str, Any]) -> Future[None]:
        """Run a file again with changed options: the same job after a failure, a new job after a success."""

        def body() -> None:
            job = self.store.get(job_id)
            if job is None:
                return
            merged = {**job.options, **options}
            if job.state in RETRYABLE:
                self.store.requeue(job_id, retry=True, options=merged)
                self.queue.submit([job_id])
            elif job.state.succeeded:
                submit_files(self.store, self.queue, [Path(job.path)], Path(job.out_dir), merged)
            else:
                self.actionFailed.emit(self.tr("{0} is still in progress; cancel it first.").format(job.name))

        return self._run("re-run", body)

    def retry_failed(self) -> Future[None]:
        return self._run("retry failed", lambda: self._retry_now(
            j.id for j in self.store.jobs_in_states([JobState.FAILED])))

    def clear_finished(self) -> Future[None]:
        return self._run("clear finished", lambda: self.store.remove(
            [j.id for j in self.store.jobs_in_states(FINAL_STATES)]))

    def set_queue_paused(self, paused: bool) -> Future[None]:
        return self._run("pause queue", lambda: self.store.set_queue_paused(paused))

    @Slot(int)
    def resize(self, workers: int) -> None:
        """Change the number of workers live (stopping a busy worker requeues its job)."""
        self._run("change workers", lambda: self.pool.resize(workers))
