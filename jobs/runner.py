"""What a worker does with one job: claim it, run its processor, record the outcome.

This is the whole body of the Huey task; it is also callable directly (tests, ``run --inline``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from pathlib import Path
from typing import Any

from jobs.inputs import check_input
from jobs.outputs import sweep_partials
from jobs.processors import registry
from jobs.processors.base import (
    Cancelled,
    Interrupted,
    ProcessingError,
    ProcessOptions,
    ProcessResult,
)
from jobs.states import JobState, TransitionError
from jobs.store.sqlite import SqliteJobStore

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.1  # at most 10 progress writes a second per job
PAUSE_POLL = 0.2


class JobProgress:
    """The progress callback handed to a processor.

    Writes progress at most every ``PROGRESS_INTERVAL`` seconds; each write also returns the job's state,
    so a cancel or pause request costs no extra round trip. Raises :class:`Cancelled` on a cancel and
    :class:`Interrupted` when the worker must stop; blocks while the job is paused.
    """

    def __init__(self, store: SqliteJobStore, job_id: int, stop: threading.Event) -> None:
        self.store = store
        self.job_id = job_id
        self.stop = stop
        self.started = time.monotonic()
        # The claim already wrote "running, 0 done": the first progress write can wait its turn, so a
        # small file costs no progress write at all.
        self._last_write = self.started
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        if self.stop.is_set():
            raise Interrupted()
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self._last_write < PROGRESS_INTERVAL:
            return
        self._last_write = now
        elapsed = max(1e-6, now - self.started)
        state, cancel = self.store.report_progress(self.job_id, done, total, done / elapsed)
        self._obey(state, cancel)

    def _obey(self, state: JobState, cancel: bool) -> None:
        while True:
            if cancel or state == JobState.CANCELLED:
                raise Cancelled()
            if self.stop.is_set():
                raise Interrupted()
            if state != JobState.PAUSED:
                return
            paused_at = time.monotonic()
            time.sleep(PAUSE_POLL)
            # Paused time is not processing time: keep the rate honest.
            self.started += time.monotonic() - paused_at
            state, cancel = self.store.poll_control(self.job_id)


def _finish(store: SqliteJobStore, job_id: int, state: JobState, **fields: Any) -> None:
    current = store.get(job_id)
    if current is not None and current.state.is_final:
        return  # cancelled while paused: the store already recorded the end
    if current is not None and current.state == JobState.PAUSED and state != JobState.CANCELLED:
        store.transition(job_id, JobState.RUNNING)
    store.transition(job_id, state, **fields)


def _failure_message(exc: Exception, source: Path, job_id: int) -> str:
    """One line for the user that names the file and the problem; tracebacks go to the log only."""
    if isinstance(exc, ProcessingError):
        message = f"{source.name}: {exc}"
        log.info("job %s failed: %s", job_id, message)
    elif isinstance(exc, MemoryError):
        message = f"{source.name}: ran out of memory"
        log.warning("job %s failed: %s", job_id, message)
    elif isinstance(exc, OSError):
        message = f"{source.name}: {exc.strerror or exc}"
        log.warning("job %s failed: %s", job_id, message)
    else:
        log.error("job %s: internal error while processing %s", job_id, source, exc_info=exc)
        message = f"{source.name}: internal error ({type(exc).__name__}: {exc}); details are in the log"
    return message


def run_job(store: SqliteJobStore, job_id: int, worker: str, stop: threading.Event | None = None) -> JobState | None:
    """Run one job to its end. Returns the final state, or None when the job was not ours to run."""
    stop = stop or threading.Event()
    job = store.claim(job_id, worker)
    if job is None:
        return None
    source = Path(job.path)
    owner = f"job{job.id}"
    out_dir = Path(job.out_dir)
    progress = JobProgress(store, job.id, stop)
    started = time.perf_counter()
    try:
        if job.attempt > 1:
            sweep_partials(out_dir, owner)  # what a killed earlier attempt left behind
        st = check_input(source)
        progress(0, st.st_size)
        info = registry.by_name(job.processor)
        process = info.load()
        result: ProcessResult = process(source, ProcessOptions(out_dir, {**job.options, "owner": owner}), progress)
    except Cancelled:
        log.info("job %s cancelled", job.id)
        _finish(store, job.id, JobState.CANCELLED, error=None)
        return JobState.CANCELLED
    except Interrupted:
        log.info("job %s interrupted: the worker is stopping", job.id)
        with contextlib.suppress(TransitionError):  # cancelled while paused: it stays cancelled
            store.transition(job.id, JobState.INTERRUPTED, error="the worker stopped before the job finished")
        return JobState.INTERRUPTED
    except Exception as exc:
        message = _failure_message(exc, source, job.id)
        _finish(store, job.id, JobState.FAILED, error=message)
        return JobState.FAILED
    seconds = time.perf_counter() - started
    state = JobState.COMPLETED_WITH_WARNINGS if result.warnings else JobState.COMPLETED
    metrics = {**result.metrics, "seconds": round(seconds, 4)}
    total = progress.total or (job.size or 0)
    _finish(
        store, job.id, state, outputs=[str(p) for p in result.outputs], warnings=result.warnings,
        metrics=metrics, error=None, done=total, total=total, rate=total / max(seconds, 1e-6),
    )
    return state
