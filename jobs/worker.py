"""One worker process: a Huey consumer with thread workers, a heartbeat, and a parent watchdog.

Huey's own process workers need ``fork()``, which Windows lacks, so the pool is made of these processes
instead (``main.py worker``). A worker never outlives the process that started its pool: it polls its
parent and, when the parent is gone (even after a SIGKILL), marks its job interrupted and exits.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psutil
from huey.consumer import Consumer, Worker

from jobs import queue as job_queue
from jobs.nopandas import keep_pandas_out
from jobs.queue import JobQueue
from jobs.runner import run_job
from jobs.store import open_store
from jobs.store.sqlite import HOST, SqliteJobStore

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0
PARENT_POLL_SECONDS = 0.5


class _QueuePauseAwareWorker(Worker):
    """A Huey worker thread that takes no new task while the user has paused the queue."""

    store: SqliteJobStore | None = None
    _paused_until_check = 0.0
    _paused = False

    def loop(self, now: Any = None) -> None:
        store = type(self).store
        if store is not None:
            mono = time.monotonic()
            if mono >= self._paused_until_check:
                self._paused = store.queue_paused()
                self._paused_until_check = mono + 0.25
            if self._paused:
                self.stop_flag.wait(0.25)
                return
        super().loop(now)


class _Consumer(Consumer):  # type: ignore[misc]
    worker_class = _QueuePauseAwareWorker


def _parent_alive(pid: int, create_time: float | None) -> bool:
    try:
        proc = psutil.Process(pid)
        if create_time is not None and abs(proc.create_time() - create_time) > 1.0:
            return False  # the pid was reused by an unrelated process
        return proc.status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def _warm_up() -> None:
    """Import the heavy readers while the worker waits for its first task, not during it."""
    try:
        import pyarrow as pa
        import pyarrow.parquet

        pa.array([1])  # pyarrow loads its pandas shim lazily on first use
    except Exception:
        log.debug("warm-up failed", exc_info=True)


def serve(data_dir: Path, parent_pid: int | None, threads: int = 1) -> int:
    """Run until the parent dies or we are told to stop; returns the exit code."""
    keep_pandas_out()
    store = open_store(data_dir)
    jq = JobQueue(data_dir)
    worker_id = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    stop = threading.Event()
    current: dict[int, int] = {}  # thread ident -> job id, for the heartbeat

    def execute(job_id: int) -> None:
        current[threading.get_ident()] = job_id
        try:
            run_job(store, job_id, worker_id, stop)
        finally:
            current.pop(threading.get_ident(), None)

    job_queue.set_executor(execute)
    _QueuePauseAwareWorker.store = store
    consumer = _Consumer(
        jq.huey, workers=threads, periodic=False, initial_delay=0.02, backoff=1.5, max_delay=0.25,
        check_worker_health=True, health_check_interval=5,
    )
    parent_create: float | None = None
    if parent_pid:
        try:
            parent_create = psutil.Process(parent_pid).create_time()
        except psutil.NoSuchProcess:
            return 3

    def request_stop(signum: int, frame: Any) -> None:
        stop.set()

    threading.Thread(target=_warm_up, name="parqueue-warm-up", daemon=True).start()
    consumer.start()
    # Our own handlers replace Huey's: a stop must let the running job record "interrupted" first.
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGBREAK"):
        signal.signal(signal.SIGBREAK, request_stop)
    log.info("worker %s serving %s", worker_id, data_dir)
    next_beat = 0.0
    next_parent_check = 0.0
    try:
        while not stop.is_set():
            now = time.monotonic()
            if now >= next_beat:
                job_id = next(iter(current.values()), None)
                try:
                    store.heartbeat_worker(worker_id, HOST, os.getpid(), job_id)
                except Exception:
                    log.exception("heartbeat failed")
                next_beat = now + HEARTBEAT_SECONDS
            if parent_pid and now >= next_parent_check:
                if not _parent_alive(parent_pid, parent_create):
                    log.warning("worker %s: parent %s is gone; stopping", worker_id, parent_pid)
                    break
                next_parent_check = now + PARENT_POLL_SECONDS
            stop.wait(0.1)
    finally:
        stop.set()
        consumer.stop_flag.set()
        # The job thread notices the stop at its next chunk and records "interrupted"; give it a moment.
        deadline = time.monotonic() + 3.0
        while current and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            store.forget_worker(worker_id)
        except Exception:
            log.exception("could not unregister worker")
        store.close()
    # Huey's threads are daemons; a blocked one must not keep the process alive.
    os._exit(0)
