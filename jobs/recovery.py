"""Crash recovery: jobs whose worker died go back to the queue, up to their attempt limit.

Huey forgets a task the moment a worker takes it, so a SIGKILL or a power cut would lose the job. The
job store remembers which worker holds each running job; when that worker is dead (its process is gone,
or its heartbeat stopped on another machine), the job becomes ``interrupted`` and is queued again, or
``failed`` once it has been interrupted ``max_attempts`` times.
"""

from __future__ import annotations

import logging
import time

import psutil

from jobs.queue import JobQueue
from jobs.states import JobState, TransitionError
from jobs.store.base import WorkerInfo
from jobs.store.sqlite import HOST, SqliteJobStore

log = logging.getLogger(__name__)

STALE_HEARTBEAT_SECONDS = 15.0


def worker_alive(info: WorkerInfo | None, now: float | None = None) -> bool:
    """Alive: its process exists (on this machine) and its heartbeat is fresh (on any machine)."""
    if info is None:
        return False
    now = now or time.time()
    if info.host == HOST:
        try:
            proc = psutil.Process(info.pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                return False
        except psutil.NoSuchProcess:
            return False
        except psutil.AccessDenied:
            pass
    return now - info.heartbeat < STALE_HEARTBEAT_SECONDS


def recover(store: SqliteJobStore, queue: JobQueue, *, check_lost: bool = False) -> list[int]:
    """Requeue the jobs of dead workers; returns the ids queued again."""
    requeued: list[int] = []
    now = time.time()
    workers = {w.id: w for w in store.workers()}  # one read, not one per job
    for job in store.jobs_in_states([JobState.RUNNING, JobState.PAUSED]):
        if worker_alive(workers.get(job.worker or ""), now):
            continue
        try:
            store.transition(job.id, JobState.INTERRUPTED, error="its worker stopped (crash, kill or power loss)")
            log.warning("job %s interrupted: worker %s is gone", job.id, job.worker)
        except TransitionError:
            continue  # the worker finished it in the meantime
    for job in store.jobs_in_states([JobState.INTERRUPTED]):
        try:
            if job.attempt >= job.max_attempts:
                store.transition(
                    job.id, JobState.FAILED,
                    error=(f"{job.name}: interrupted {job.attempt} times (its worker died each time); "
                           "not retried again automatically. Use Retry to try once more."),
                )
                continue
            store.requeue(job.id)
        except TransitionError:
            continue
        requeued.append(job.id)
    if requeued:
        queue.submit(requeued)
    if check_lost:
        requeued.extend(resubmit_lost(store, queue))
    # Workers that died without unregistering leave rows behind; drop the dead ones.
    for info in workers.values():
        if not worker_alive(info, now):
            store.forget_worker(info.id)
    return requeued


def resubmit_lost(store: SqliteJobStore, queue: JobQueue, min_age: float = 5.0) -> list[int]:
    """Queued jobs with no task in the queue (a worker died between taking the task and claiming the job)."""
    queued = [j for j in store.jobs_in_states([JobState.QUEUED]) if (j.queued_at or 0) < time.time() - min_age]
    if not queued:
        return []
    if queue.pending_count() >= len(queued):
        return []
    held = {w.job_id for w in store.workers() if w.job_id is not None}
    pending = queue.pending_job_ids()
    lost = [j.id for j in queued if j.id not in pending and j.id not in held]
    if lost:
        log.warning("re-submitting %d queued jobs the queue had lost: %s", len(lost), lost[:20])
        queue.submit(lost)
    return lost
